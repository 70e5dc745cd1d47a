#pragma once

#include "model/Date.h"

#include <set>
#include <string>
#include <vector>

namespace berkas::model {

/// Counts working days for service-level deadlines: Monday to Friday, minus
/// the holidays of the office's calendar (national, regional, collective leave).
/// Callers pass office-local dates. Immutable, so it may be shared between threads.
class WorkingDayCalendar
{
public:
    explicit WorkingDayCalendar(std::set<Date> holidays);

    /// Reads a holiday file shaped like assets/reference/holidays-id.csv
    /// (header `date,name_id,name_en,type`, quoted fields may hold commas;
    /// only the date column is used, repeated dates are fine). Throws
    /// Error(Storage) naming the file when it cannot be read, and
    /// Error(InvalidData) naming the file and line for a bad date or header.
    static WorkingDayCalendar fromCsv(const std::string& path);

    /// A calendar from "YYYY-MM-DD" strings (an administrator's edited list).
    /// Throws Error(InvalidData) naming the first bad entry.
    static WorkingDayCalendar fromDates(const std::vector<std::string>& isoDates);

    bool isWorkingDay(Date day) const;

    bool isHoliday(Date day) const { return m_holidays.count(day) != 0; }

    const std::set<Date>& holidays() const { return m_holidays; }

    /// The date @p workingDays working days after @p start; the start day is not
    /// counted, so a Friday start with one working day is due on Monday. The
    /// start may be a non-working day (a Saturday start with one day is due on
    /// Monday). Zero returns @p start unchanged; a negative count walks back.
    Date addWorkingDays(Date start, int workingDays) const;

    /// The working days after @p from up to and including @p to, so that
    /// workingDaysBetween(d, addWorkingDays(d, n)) == n for n > 0. Zero when
    /// @p to == @p from; when @p to is earlier it is the negated count of
    /// working days after @p to up to and including @p from
    /// (workingDaysBetween(a, b) == -workingDaysBetween(b, a)).
    int workingDaysBetween(Date from, Date to) const;

private:
    std::set<Date> m_holidays;
};

} // namespace berkas::model
