#include "model/Date.h"

#include "model/Error.h"

#include <cstdio>

namespace berkas::model {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// Parses exactly @p count ASCII digits starting at @p pos; -1 if any is not a digit.
int digitsAt(std::string_view text, std::size_t pos, std::size_t count)
{
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!isDigit(text[i]))
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

Date::Date(int year, int month, int day)
    : m_year(year), m_month(month), m_day(day)
{
    if (!isValid(year, month, day)) {
        throw Error(ErrorCode::InvalidData, "not a real date: " + std::to_string(year) + "-" +
                                                std::to_string(month) + "-" + std::to_string(day));
    }
}

bool Date::isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int Date::daysInMonth(int year, int month)
{
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && isLeapYear(year))
        return 29;
    return kDays[month - 1];
}

bool Date::isValid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= daysInMonth(year, month);
}

std::optional<Date> Date::parse(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    const int year = digitsAt(text, 0, 4);
    const int month = digitsAt(text, 5, 2);
    const int day = digitsAt(text, 8, 2);
    if (year < 0 || month < 0 || day < 0 || !isValid(year, month, day))
        return std::nullopt;
    return Date(year, month, day);
}

// Howard Hinnant's days_from_civil / civil_from_days: eras of 400 years,
// with the year starting on 1 March so that the leap day comes last.
long Date::toDays() const
{
    const long y = m_month <= 2 ? m_year - 1 : m_year;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long mp = (m_month + 9) % 12;
    const long doy = (153 * mp + 2) / 5 + m_day - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date Date::fromDays(long days)
{
    const long z = days + 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    const long day = doy - (153 * mp + 2) / 5 + 1;
    const long month = mp < 10 ? mp + 3 : mp - 9;
    const long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return Date(static_cast<int>(year), static_cast<int>(month), static_cast<int>(day));
}

int Date::weekday() const
{
    // 1970-01-01 was a Thursday (ISO 4).
    const long days = toDays();
    const long sinceMonday = ((days + 3) % 7 + 7) % 7;
    return static_cast<int>(sinceMonday) + 1;
}

Date Date::addDays(int days) const
{
    return fromDays(toDays() + days);
}

int Date::daysUntil(Date other) const
{
    return static_cast<int>(other.toDays() - toDays());
}

std::string Date::toString() const
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", m_year, m_month, m_day);
    return buffer;
}

std::optional<Date> dateOfTimestamp(std::string_view iso8601)
{
    if (iso8601.size() < 10)
        return std::nullopt;
    if (iso8601.size() > 10 && iso8601[10] != 'T')
        return std::nullopt;
    return Date::parse(iso8601.substr(0, 10));
}

} // namespace berkas::model
