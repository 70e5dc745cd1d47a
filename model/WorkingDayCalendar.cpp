#include "model/WorkingDayCalendar.h"

#include "model/Error.h"

#include <fstream>
#include <utility>

namespace berkas::model {

namespace {

/// The first field of a CSV line (RFC 4180 quoting), or nullopt when a
/// quoted field is not closed.
std::optional<std::string> firstCsvField(const std::string& line)
{
    std::string field;
    if (line.empty() || line[0] != '"') {
        return line.substr(0, line.find(','));
    }
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] != '"') {
            field += line[i];
        } else if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            ++i;
        } else {
            return field;
        }
    }
    return std::nullopt;
}

} // namespace

WorkingDayCalendar::WorkingDayCalendar(std::set<Date> holidays)
    : m_holidays(std::move(holidays))
{
}

WorkingDayCalendar WorkingDayCalendar::fromCsv(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "cannot read the holiday calendar " + path);

    std::set<Date> holidays;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (lineNo == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
            line.erase(0, 3);
        if (line.empty())
            continue;
        const auto field = firstCsvField(line);
        if (lineNo == 1) {
            if (!field || *field != "date") {
                throw Error(ErrorCode::InvalidData,
                            path + ":1: expected a header starting with \"date\"");
            }
            continue;
        }
        const auto date = field ? Date::parse(*field) : std::nullopt;
        if (!date) {
            throw Error(ErrorCode::InvalidData, path + ":" + std::to_string(lineNo) +
                                                    ": not a date in the form YYYY-MM-DD: " +
                                                    (field ? *field : line));
        }
        holidays.insert(*date);
    }
    if (in.bad())
        throw Error(ErrorCode::Storage, "error while reading the holiday calendar " + path);
    if (lineNo == 0)
        throw Error(ErrorCode::InvalidData, path + ": the holiday calendar is empty");
    return WorkingDayCalendar(std::move(holidays));
}

WorkingDayCalendar WorkingDayCalendar::fromDates(const std::vector<std::string>& isoDates)
{
    std::set<Date> holidays;
    for (const auto& text : isoDates) {
        const auto date = Date::parse(text);
        if (!date) {
            throw Error(ErrorCode::InvalidData,
                        "holiday is not a date in the form YYYY-MM-DD: " + text);
        }
        holidays.insert(*date);
    }
    return WorkingDayCalendar(std::move(holidays));
}

bool WorkingDayCalendar::isWorkingDay(Date day) const
{
    return day.weekday() <= 5 && m_holidays.count(day) == 0;
}

Date WorkingDayCalendar::addWorkingDays(Date start, int workingDays) const
{
    const int step = workingDays < 0 ? -1 : 1;
    int remaining = workingDays < 0 ? -workingDays : workingDays;
    Date day = start;
    while (remaining > 0) {
        day = day.addDays(step);
        if (isWorkingDay(day))
            --remaining;
    }
    return day;
}

int WorkingDayCalendar::workingDaysBetween(Date from, Date to) const
{
    if (to < from)
        return -workingDaysBetween(to, from);
    int count = 0;
    for (Date day = from.addDays(1); day <= to; day = day.addDays(1)) {
        if (isWorkingDay(day))
            ++count;
    }
    return count;
}

} // namespace berkas::model
