#include "model/Report.h"

#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Error.h"
#include "model/Regions.h"
#include "model/Schema.h"
#include "model/WorkingDayCalendar.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>

namespace berkas::model {

namespace {

// --- every SQL query of the report ---------------------------------------
//
// ?1 is the first day of the period and ?2 the last, both 'YYYY-MM-DD'; dates
// in the rows are compared as text, which orders 'YYYY-MM-DD' correctly.

/// The office date of an audit entry. A local or imported write is dated by
/// its `at`; a change that came by sync is dated by its HLC stamp, which is
/// when it was made on the other laptop, not when this one pulled it
/// (a manager's laptop receives almost everything by sync).
std::string auditDateSql(int utcOffsetMinutes)
{
    return "CASE WHEN au.source = 'sync' THEN date((au.hlc >> 16) / 1000, 'unixepoch', '" +
           std::to_string(utcOffsetMinutes) + " minutes') ELSE substr(au.at, 1, 10) END";
}

/// One row per live submitted application with every column the report and
/// the detail sheet need, inserted in submission order so that the detail is
/// streamed from this table alone by rowid: no sort and no lookup into
/// `application` per row while a million rows are written.
///
/// The decision and withdrawal dates come from status_move (migration 6), the
/// status moves of the audit log, kept by a trigger as audit lines arrive: no
/// JSON is parsed at report time. The moves are grouped once (a scan of the
/// covering index in record order) and joined, which measured faster than a
/// correlated lookup per application.
std::string createReportAppSql(int utcOffsetMinutes)
{
    const std::string d = auditDateSql(utcOffsetMinutes);
    return "CREATE TEMP TABLE report_app AS "
           "WITH moves AS ("
           " SELECT au.record_id AS id,"
           "  MIN(CASE WHEN au.status IN ('approved', 'rejected', 'issued') THEN " + d + " END) AS finished,"
           "  MIN(CASE WHEN au.status = 'withdrawn' THEN " + d + " END) AS withdrawn"
           " FROM status_move au GROUP BY au.record_id) "
           "SELECT a.id AS id, a.reg_no AS reg_no, a.provisional_no AS provisional_no,"
           " COALESCE(a.service_code, '') AS service_code, a.applicant_name AS applicant_name,"
           " COALESCE(a.kecamatan, '') AS kecamatan, a.channel AS channel, a.status AS status,"
           " substr(a.submitted_at, 1, 10) AS submitted, NULLIF(a.due_date, '') AS due,"
           " COALESCE(m.finished, CASE WHEN a.status IN ('approved', 'rejected', 'issued')"
           "  THEN substr(a.updated_at, 1, 10) END) AS finished,"
           " COALESCE(m.withdrawn, CASE WHEN a.status = 'withdrawn' THEN substr(a.updated_at, 1, 10) END) AS withdrawn "
           "FROM application a LEFT JOIN moves m ON m.id = a.id "
           "WHERE a.deleted = 0 AND COALESCE(a.submitted_at, '') <> '' "
           "ORDER BY submitted, a.id";
}

const char* const kDropReportApp = "DROP TABLE IF EXISTS temp.report_app";

const char* const kServiceNames = "SELECT code, name FROM service WHERE deleted = 0 ORDER BY updated_at";

/// Every application that counts in any figure: received in the period,
/// decided in it, or open at its end.
#define BERKAS_REPORT_DETAIL_WHERE                                                                             \
    "(r.submitted BETWEEN ?1 AND ?2 OR r.finished BETWEEN ?1 AND ?2 OR "                                      \
    "(r.submitted <= ?2 AND (r.finished IS NULL OR r.finished > ?2) AND (r.withdrawn IS NULL OR r.withdrawn > ?2)))"

const char* const kApplicationDetail =
    "SELECT r.id, r.reg_no, r.provisional_no, r.service_code, r.applicant_name, r.kecamatan, r.channel, r.status,"
    " r.submitted, r.due, r.finished, r.withdrawn "
    "FROM report_app r WHERE " BERKAS_REPORT_DETAIL_WHERE " ORDER BY r.rowid";
const char* const kApplicationDetailCount = "SELECT COUNT(*) FROM report_app r WHERE " BERKAS_REPORT_DETAIL_WHERE;

const char* const kComplaintDetail =
    "SELECT id, kind, channel, category, complainant_name, subject, kecamatan, status,"
    " substr(received_at, 1, 10), due_date, substr(responded_at, 1, 10) "
    "FROM complaint WHERE deleted = 0 AND substr(received_at, 1, 10) BETWEEN ?1 AND ?2 "
    "ORDER BY received_at, id";
const char* const kComplaintDetailCount =
    "SELECT COUNT(*) FROM complaint WHERE deleted = 0 AND substr(received_at, 1, 10) BETWEEN ?1 AND ?2";

const char* const kTasks =
    "SELECT COALESCE(assigned_to, ''), COALESCE(result, ''), COUNT(*), SUM(COALESCE(visited_at, '') <> ''),"
    " AVG(CASE WHEN COALESCE(visited_at, '') <> '' THEN julianday(visited_at) - julianday(created_at) END) "
    "FROM task WHERE deleted = 0 AND substr(created_at, 1, 10) BETWEEN ?1 AND ?2 "
    "GROUP BY 1, 2 ORDER BY 1, 2";

#undef BERKAS_REPORT_DETAIL_WHERE

// --- helpers ---------------------------------------------------------------

void bindPeriod(Statement& s, const ReportPeriod& p)
{
    s.bind(1, p.from.toString()).bind(2, p.to.toString());
}

std::optional<Date> dateColumn(const Statement& s, int column)
{
    return Date::parse(s.text(column));
}

std::optional<double> median(std::vector<int>& values)
{
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    if (n % 2)
        return values[n / 2];
    return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

/// A prepared statement read without copies, for the detail loop. Database's
/// Statement returns each text as a new std::string; this one copies into the
/// caller's string, reusing its buffer.
class RawStatement
{
public:
    RawStatement(Database& db, const char* sql) : m_db(db)
    {
        if (sqlite3_prepare_v2(db.handle(), sql, -1, &m_stmt, nullptr) != SQLITE_OK)
            fail("prepare");
    }
    ~RawStatement() { sqlite3_finalize(m_stmt); }
    RawStatement(const RawStatement&) = delete;
    RawStatement& operator=(const RawStatement&) = delete;

    void bindPeriod(const ReportPeriod& p)
    {
        const std::string from = p.from.toString();
        const std::string to = p.to.toString();
        if (sqlite3_bind_text(m_stmt, 1, from.c_str(), -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_bind_text(m_stmt, 2, to.c_str(), -1, SQLITE_TRANSIENT) != SQLITE_OK)
            fail("bind");
    }

    bool step()
    {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            fail("step");
        return false;
    }

    std::string_view view(int column) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        if (!p)
            return {};
        return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
    }

    void textInto(int column, std::string& out) const
    {
        const std::string_view v = view(column);
        out.assign(v.data(), v.size());
    }

    std::optional<Date> date(int column) const { return Date::parse(view(column)); }

private:
    [[noreturn]] void fail(const char* what) const
    {
        throw Error(ErrorCode::Storage,
                    std::string("report: cannot ") + what + " the detail query: " + sqlite3_errmsg(m_db.handle()));
    }

    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

struct ComplaintAccumulator
{
    ComplaintGroupRow row;
    std::vector<int> days;

    void add(const ComplaintDetail& c)
    {
        ++row.received;
        if (c.responded)
            ++row.responded;
        if (c.withinDue)
            ++row.respondedWithinDue;
        if (c.workingDaysToRespond)
            days.push_back(*c.workingDaysToRespond);
    }

    ComplaintGroupRow finish()
    {
        row.medianWorkingDays = median(days);
        return row;
    }
};

} // namespace

const char* outcomeName(Outcome outcome)
{
    switch (outcome)
    {
    case Outcome::OnTime: return "on_time";
    case Outcome::Late: return "late";
    case Outcome::Open: return "open";
    case Outcome::Overdue: return "overdue";
    case Outcome::Withdrawn: return "withdrawn";
    case Outcome::Other: return "other";
    }
    return "other";
}

double ComplaintGroupRow::shareWithinDue() const
{
    return received ? static_cast<double>(respondedWithinDue) / static_cast<double>(received) : 0.0;
}

std::string isoWeek(Date day)
{
    // The Thursday of the week decides the year the week belongs to.
    const Date thursday = day.addDays(4 - day.weekday());
    const int week = static_cast<int>((thursday.toDays() - Date(thursday.year(), 1, 1).toDays()) / 7 + 1);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-W%02d", thursday.year(), week);
    return text;
}

void checkPeriod(const ReportPeriod& period)
{
    if (period.to < period.from)
        throw Error(ErrorCode::InvalidData,
                    "to: must not be before from (" + period.from.toString() + "), got " + period.to.toString());
}

ReportSource::ReportSource(Database& db, const WorkingDayCalendar& calendar, int utcOffsetMinutes,
                           ReportPeriod period)
    : m_db(db), m_calendar(calendar), m_utcOffsetMinutes(utcOffsetMinutes), m_period(period)
{
    checkPeriod(m_period);
    // One snapshot for every query; rolling back to the savepoint also drops
    // the temporary table.
    m_db.exec("SAVEPOINT berkas_report");
    try
    {
        m_db.exec(kDropReportApp);
        m_db.exec(createReportAppSql(m_utcOffsetMinutes));
    }
    catch (...)
    {
        m_db.exec("ROLLBACK TO berkas_report; RELEASE berkas_report");
        throw;
    }
}

ReportSource::~ReportSource()
{
    try
    {
        m_db.exec("ROLLBACK TO berkas_report; RELEASE berkas_report");
    }
    catch (...)
    {
        // Nothing was written through this savepoint; a failure here leaves
        // at most a temporary table that dies with the connection.
    }
}

Report ReportSource::summary()
{
    bool stopped = false;
    return run(nullptr, nullptr, stopped);
}

Report ReportSource::run(const std::function<bool(const ApplicationDetail&)>& application,
                         const std::function<bool(const ComplaintDetail&)>& complaint, bool& stopped)
{
    Report report;
    report.period = m_period;
    stopped = false;

    // The application figures are folded from the detail stream itself, so a
    // million-row export reads the applications once, and the figures and the
    // detail's outcome column can never disagree.
    const Date firstMonday = m_period.from.addDays(1 - m_period.from.weekday());
    for (Date monday = firstMonday; monday <= m_period.to; monday = monday.addDays(7))
        report.trend.push_back({isoWeek(monday), monday, 0, 0});
    const auto week = [&](Date day) -> WeekRow& {
        return report.trend[static_cast<std::size_t>(firstMonday.daysUntil(day) / 7)];
    };
    std::map<std::string, ApplicationCounts> byService;
    std::map<std::string, ApplicationCounts> byKecamatan;
    const auto count = [&](const ApplicationDetail& d, ApplicationCounts& c) {
        const bool received = d.submitted && m_period.from <= *d.submitted && *d.submitted <= m_period.to;
        c.received += received;
        c.finished += d.outcome == Outcome::OnTime || d.outcome == Outcome::Late;
        c.onTime += d.outcome == Outcome::OnTime;
        c.late += d.outcome == Outcome::Late;
        c.open += d.outcome == Outcome::Open || d.outcome == Outcome::Overdue;
        c.overdue += d.outcome == Outcome::Overdue;
    };
    const bool completed = forEachApplication([&](const ApplicationDetail& d) {
        count(d, byService[d.serviceCode]);
        count(d, byKecamatan[d.kecamatan]);
        count(d, report.total);
        if (d.submitted && m_period.from <= *d.submitted && *d.submitted <= m_period.to)
            ++week(*d.submitted).received;
        if (d.outcome == Outcome::OnTime || d.outcome == Outcome::Late)
            ++week(*d.finished).finished;
        return !application || application(d);
    });
    if (!completed)
    {
        stopped = true;
        return report;
    }

    std::map<std::string, std::string> serviceNames;
    {
        Statement s(m_db, kServiceNames);
        while (s.step())
            serviceNames[s.text(0)] = s.text(1);
    }
    for (const auto& [code, c] : byService)
        report.byService.push_back({code, serviceNames.count(code) ? serviceNames[code] : "", c});
    const Regions& regions = Regions::standard();
    for (const auto& [code, c] : byKecamatan)
        report.byKecamatan.push_back({code, code.empty() ? "" : regions.name(code), c});

    if (!fillComplaints(report, complaint))
    {
        stopped = true;
        return report;
    }
    fillTasks(report);
    return report;
}

bool ReportSource::fillComplaints(Report& report, const std::function<bool(const ComplaintDetail&)>& complaint)
{
    std::map<std::string, ComplaintAccumulator> byChannel;
    for (const auto& channel : requireKind(kind::kComplaint).field(field::kChannel)->allowed)
        byChannel[channel].row.key = channel;
    std::map<std::string, ComplaintAccumulator> byCategory;
    ComplaintAccumulator total;
    const bool completed = forEachComplaint([&](const ComplaintDetail& c) {
        byChannel[c.channel].row.key = c.channel;
        byChannel[c.channel].add(c);
        byCategory[c.category].row.key = c.category;
        byCategory[c.category].add(c);
        total.add(c);
        return !complaint || complaint(c);
    });
    if (!completed)
        return false;
    const auto& channels = requireKind(kind::kComplaint).field(field::kChannel)->allowed;
    for (const auto& channel : channels)
        report.complaintsByChannel.push_back(byChannel[channel].finish());
    for (auto& [key, acc] : byChannel)
        if (std::find(channels.begin(), channels.end(), key) == channels.end())
            report.complaintsByChannel.push_back(acc.finish());
    for (auto& [key, acc] : byCategory)
        report.complaintsByCategory.push_back(acc.finish());
    report.complaintTotal = total.finish();
    return true;
}

void ReportSource::fillTasks(Report& report)
{
    Statement s(m_db, kTasks);
    bindPeriod(s, m_period);
    while (s.step())
    {
        TaskRow row;
        row.verifier = s.text(0);
        row.result = s.text(1);
        row.tasks = s.integer(2);
        row.visited = s.integer(3);
        if (!s.isNull(4))
            row.averageDaysToVisit = s.real(4);
        report.tasks.push_back(std::move(row));
    }
}

std::int64_t ReportSource::applicationDetailCount()
{
    Statement s(m_db, kApplicationDetailCount);
    bindPeriod(s, m_period);
    return s.step() ? s.integer(0) : 0;
}

std::int64_t ReportSource::complaintDetailCount()
{
    Statement s(m_db, kComplaintDetailCount);
    bindPeriod(s, m_period);
    return s.step() ? s.integer(0) : 0;
}

bool ReportSource::forEachApplication(const std::function<bool(const ApplicationDetail&)>& row)
{
    // The hot loop of a million-row export: columns are copied straight from
    // SQLite's buffers into the reused strings of one ApplicationDetail, so a
    // row costs no allocation once the strings have grown.
    RawStatement s(m_db, kApplicationDetail);
    s.bindPeriod(m_period);
    const Date from = m_period.from;
    const Date to = m_period.to;
    ApplicationDetail d;
    while (s.step())
    {
        s.textInto(0, d.id);
        s.textInto(1, d.regNo);
        s.textInto(2, d.provisionalNo);
        s.textInto(3, d.serviceCode);
        s.textInto(4, d.applicantName);
        s.textInto(5, d.kecamatan);
        s.textInto(6, d.channel);
        s.textInto(7, d.status);
        d.submitted = s.date(8);
        d.due = s.date(9);
        d.finished = s.date(10);
        const auto withdrawn = s.date(11);
        // The rules of ApplicationCounts, row by row.
        const bool finishedIn = d.finished && from <= *d.finished && *d.finished <= to;
        const bool open = d.submitted && *d.submitted <= to && !(d.finished && *d.finished <= to) &&
                          !(withdrawn && *withdrawn <= to);
        if (finishedIn)
            d.outcome = (!d.due || *d.finished <= *d.due) ? Outcome::OnTime : Outcome::Late;
        else if (open)
            d.outcome = (d.due && *d.due < to) ? Outcome::Overdue : Outcome::Open;
        else if (withdrawn && *withdrawn <= to)
            d.outcome = Outcome::Withdrawn;
        else
            d.outcome = Outcome::Other;
        if (!row(d))
            return false;
    }
    return true;
}

bool ReportSource::forEachComplaint(const std::function<bool(const ComplaintDetail&)>& row)
{
    Statement s(m_db, kComplaintDetail);
    bindPeriod(s, m_period);
    ComplaintDetail c;
    while (s.step())
    {
        c.id = s.text(0);
        c.kind = s.text(1);
        c.channel = s.text(2);
        c.category = s.text(3);
        c.complainantName = s.text(4);
        c.subject = s.text(5);
        c.kecamatan = s.text(6);
        c.status = s.text(7);
        c.received = dateColumn(s, 8);
        c.due = dateColumn(s, 9);
        c.responded = dateColumn(s, 10);
        if (c.responded && *c.responded > m_period.to)
            c.responded.reset();
        c.workingDaysToRespond.reset();
        if (c.responded && c.received)
            c.workingDaysToRespond = std::max(0, m_calendar.workingDaysBetween(*c.received, *c.responded));
        c.withinDue = c.responded && (!c.due || *c.responded <= *c.due);
        if (!row(c))
            return false;
    }
    return true;
}

Report computeReport(CaseStore& store, const ReportPeriod& period, bool withDetails)
{
    ReportSource source(store.database(), store.calendar(), store.utcOffsetMinutes(), period);
    if (!withDetails)
        return source.summary();
    std::vector<ApplicationDetail> applications;
    std::vector<ComplaintDetail> complaints;
    bool stopped = false;
    Report report = source.run(
        [&](const ApplicationDetail& d) {
            applications.push_back(d);
            return true;
        },
        [&](const ComplaintDetail& c) {
            complaints.push_back(c);
            return true;
        },
        stopped);
    report.applications = std::move(applications);
    report.complaints = std::move(complaints);
    return report;
}

} // namespace berkas::model
