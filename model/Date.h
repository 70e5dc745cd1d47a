#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berkas::model {

/// A calendar date (proleptic Gregorian) with no time zone: callers pass
/// office-local dates. A value type, cheap to copy and always valid.
class Date
{
public:
    /// 1970-01-01.
    Date() = default;

    /// Throws berkas::Error(InvalidData) when the date does not exist
    /// (2021-02-29, month 13, day 0).
    Date(int year, int month, int day);

    /// Strictly "YYYY-MM-DD" with zero padding; nullopt for any other shape
    /// ("2021-1-5") and for dates that do not exist ("2021-02-29").
    static std::optional<Date> parse(std::string_view text);

    /// Whether @p year-@p month-@p day is a real date (years 1..9999).
    static bool isValid(int year, int month, int day);

    static bool isLeapYear(int year);
    static int daysInMonth(int year, int month);

    /// The date @p days days after 1970-01-01 (negative before it). Like
    /// addDays(), throws Error(InvalidData) outside the years 1 to 9999.
    static Date fromDays(long days);

    /// Days since 1970-01-01 (negative before it).
    long toDays() const;

    int year() const { return m_year; }
    int month() const { return m_month; }
    int day() const { return m_day; }

    /// ISO weekday: 1 = Monday .. 7 = Sunday.
    int weekday() const;

    /// The date @p days calendar days later (earlier when negative).
    Date addDays(int days) const;

    /// Calendar days from this date to @p other: positive when @p other is later.
    int daysUntil(Date other) const;

    /// "YYYY-MM-DD".
    std::string toString() const;

    friend bool operator==(Date a, Date b) { return a.toKey() == b.toKey(); }
    friend bool operator!=(Date a, Date b) { return a.toKey() != b.toKey(); }
    friend bool operator<(Date a, Date b) { return a.toKey() < b.toKey(); }
    friend bool operator<=(Date a, Date b) { return a.toKey() <= b.toKey(); }
    friend bool operator>(Date a, Date b) { return a.toKey() > b.toKey(); }
    friend bool operator>=(Date a, Date b) { return a.toKey() >= b.toKey(); }

private:
    int toKey() const { return m_year * 10000 + m_month * 100 + m_day; }

    int m_year = 1970;
    int m_month = 1;
    int m_day = 1;
};

/// The local date written at the start of an ISO 8601 timestamp
/// ("2021-05-07T09:30:00+07:00" gives 2021-05-07): no zone conversion. Only
/// the date part and the 'T' separator are checked; use checkTimestamp() in
/// model/Validation.h to validate the whole timestamp. A bare date is accepted.
std::optional<Date> dateOfTimestamp(std::string_view iso8601);

} // namespace berkas::model
