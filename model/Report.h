#pragma once

#include "model/Date.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace berkas::model {

class CaseStore;
class Database;
class WorkingDayCalendar;

/// The days a report covers, both included, office-local.
struct ReportPeriod
{
    Date from;
    Date to;
};

/// Application figures of one group (a service, a kecamatan, the office).
/// All dates are the office-local dates as written in the records (the first
/// ten characters of a timestamp); only live rows (deleted = 0) count.
///
/// - received: submitted_at falls in [from, to].
/// - finished: the application's first move to approved, rejected or issued
///   (the decision) falls in [from, to]. The move's date comes from the audit
///   log: the `at` of a local or imported write, or, for a change that came
///   by sync, the office date of its HLC stamp (when it was made on the other
///   laptop, not when it arrived here). A final status with no audit line
///   falls back to the date of updated_at.
/// - onTime: finished, and the decision date is on or before due_date, or the
///   application has no due date (its SLA clock never started).
/// - late: finished after due_date.
/// - open: submitted on or before `to`, and neither decided nor withdrawn on
///   or before `to` (the backlog at the end of the period, whenever submitted).
/// - overdue: open with due_date before `to`.
struct ApplicationCounts
{
    std::int64_t received = 0;
    std::int64_t finished = 0;
    std::int64_t onTime = 0;
    std::int64_t late = 0;
    std::int64_t open = 0;
    std::int64_t overdue = 0;
};

/// One row of "Ringkasan" (by service) or "Per Kecamatan". @c code is the
/// service code or the kecamatan code ("" when the records have none).
struct GroupRow
{
    std::string code;
    std::string name;
    ApplicationCounts counts;
};

/// One ISO week of the trend: applications received and finished that week,
/// counting only days inside the period.
struct WeekRow
{
    std::string week; ///< "2021-W19"
    Date monday;
    std::int64_t received = 0;
    std::int64_t finished = 0;
};

/// Complaints (and consultations) received in the period (received_at in
/// [from, to]) of one channel or category.
/// - responded: responded_at on or before `to`.
/// - respondedWithinDue: responded on or before due_date (no due date: within).
/// - medianWorkingDays: median of the WORKING days from received_at to
///   responded_at over the responded ones, counted like due dates (the day of
///   receipt not counted, weekends and the store's holidays skipped); nullopt
///   when none was responded.
struct ComplaintGroupRow
{
    std::string key;
    std::int64_t received = 0;
    std::int64_t responded = 0;
    std::int64_t respondedWithinDue = 0;
    std::optional<double> medianWorkingDays;

    /// respondedWithinDue / received, 0 when nothing was received.
    double shareWithinDue() const;
};

/// Field-verification tasks assigned in the period (created_at in [from, to])
/// by verifier (assigned_to) and result ("" while there is none).
/// averageDaysToVisit is the mean of visited_at - created_at in calendar days
/// (fractional, from the full timestamps with their offsets) over the tasks
/// with a visit; nullopt when none was visited.
struct TaskRow
{
    std::string verifier;
    std::string result;
    std::int64_t tasks = 0;
    std::int64_t visited = 0;
    std::optional<double> averageDaysToVisit;
};

/// How an application in the detail stands for the period.
enum class Outcome
{
    OnTime,    ///< finished in the period, on time
    Late,      ///< finished in the period, late
    Open,      ///< open at the end of the period, not overdue
    Overdue,   ///< open at the end of the period, past due_date
    Withdrawn, ///< received in the period and withdrawn by its end
    Other      ///< received in the period, none of the above
};

/// "on_time", "late", "open", "overdue", "withdrawn", "other".
const char* outcomeName(Outcome outcome);

/// One application of the detail: every application received in the period,
/// finished in it, or still open at its end.
struct ApplicationDetail
{
    std::string id;
    std::string regNo;
    std::string provisionalNo;
    std::string serviceCode;
    std::string applicantName;
    std::string kecamatan;
    std::string channel;
    std::string status; ///< the current status (today, not as of `to`)
    std::optional<Date> submitted;
    std::optional<Date> due;
    std::optional<Date> finished;
    Outcome outcome = Outcome::Other;
};

/// One complaint received in the period.
struct ComplaintDetail
{
    std::string id;
    std::string kind;
    std::string channel;
    std::string category;
    std::string complainantName;
    std::string subject;
    std::string kecamatan;
    std::string status;
    std::optional<Date> received;
    std::optional<Date> due;
    std::optional<Date> responded; ///< only when on or before `to`
    std::optional<int> workingDaysToRespond;
    bool withinDue = false;
};

/// A period summary as plain rows, the content of the Excel export.
struct Report
{
    ReportPeriod period;
    std::vector<GroupRow> byService;   ///< services with any application in the detail, by code
    std::vector<GroupRow> byKecamatan; ///< kecamatan with any application in the detail, by code
    ApplicationCounts total;           ///< the whole office
    std::vector<WeekRow> trend;        ///< every ISO week touching the period, in order
    /// Every channel of the schema in schema order (zeros included), then any
    /// other value found in the data.
    std::vector<ComplaintGroupRow> complaintsByChannel;
    std::vector<ComplaintGroupRow> complaintsByCategory; ///< by category ("" when none)
    ComplaintGroupRow complaintTotal;
    std::vector<TaskRow> tasks; ///< by verifier, then result
    std::vector<ApplicationDetail> applications; ///< filled only when asked for
    std::vector<ComplaintDetail> complaints;     ///< filled only when asked for
};

/// "2021-W19": the ISO 8601 week of @p day (weeks start on Monday; week 1
/// holds the year's first Thursday).
std::string isoWeek(Date day);

/// Reads a report from one consistent snapshot of the store's database.
/// The constructor opens a read transaction (a SAVEPOINT) and fills a temporary
/// table with the applications and the dates each was decided and withdrawn
/// (from status_move); the destructor drops both. Every SQL query of the report lives in Report.cpp;
/// the application figures are folded in C++ from the detail rows (each
/// classified once by its Outcome), so they read the applications once.
///
/// Throws Error(InvalidData) "to: must not be before from (YYYY-MM-DD)" for a
/// reversed period, Error(Storage) for database failures. Uses the caller's
/// connection, so the same thread rules as CaseStore apply; do not write
/// through the store while a ReportSource is alive.
class ReportSource
{
public:
    /// @p utcOffsetMinutes is the office zone, used for dates of changes that
    /// came by sync. @p calendar counts complaint working days.
    ReportSource(Database& db, const WorkingDayCalendar& calendar, int utcOffsetMinutes, ReportPeriod period);
    ~ReportSource();
    ReportSource(const ReportSource&) = delete;
    ReportSource& operator=(const ReportSource&) = delete;

    const ReportPeriod& period() const { return m_period; }

    /// Every summary table; the detail vectors stay empty.
    Report summary();

    /// One pass that streams the application detail, then the complaint
    /// detail, to the callbacks (either may be empty) and returns the summary
    /// folded from the same rows (the detail vectors stay empty). A callback
    /// returning false stops the pass: @p stopped is set and the report is
    /// incomplete.
    Report run(const std::function<bool(const ApplicationDetail&)>& application,
               const std::function<bool(const ComplaintDetail&)>& complaint, bool& stopped);

    /// How many rows the detail streams below will give.
    std::int64_t applicationDetailCount();
    std::int64_t complaintDetailCount();

    /// Streams the application detail ordered by submission date then id,
    /// without holding it in memory. @p row returns false to stop; then this
    /// returns false.
    bool forEachApplication(const std::function<bool(const ApplicationDetail&)>& row);

    /// Streams the complaints received in the period by received_at then id.
    bool forEachComplaint(const std::function<bool(const ComplaintDetail&)>& row);

private:
    bool fillComplaints(Report& report, const std::function<bool(const ComplaintDetail&)>& complaint);
    void fillTasks(Report& report);

    Database& m_db;
    const WorkingDayCalendar& m_calendar;
    int m_utcOffsetMinutes;
    ReportPeriod m_period;
};

/// Throws Error(InvalidData) "to: must not be before from (YYYY-MM-DD)" when
/// @p period is reversed.
void checkPeriod(const ReportPeriod& period);

/// The whole report from a store, details included (small periods, tests).
Report computeReport(CaseStore& store, const ReportPeriod& period, bool withDetails = true);

} // namespace berkas::model
