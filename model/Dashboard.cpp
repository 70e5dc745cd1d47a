#include "model/Dashboard.h"

#include "model/CaseStore.h"
#include "model/Workflow.h"

#include <map>

namespace berkas::model {

namespace {

std::int64_t scalar(Database& db, const std::string& sql, const std::vector<std::string>& params = {})
{
    Statement s(db, sql);
    for (std::size_t i = 0; i < params.size(); ++i)
        s.bind(static_cast<int>(i) + 1, params[i]);
    return s.step() ? s.integer(0) : 0;
}

// "'approved','rejected',..." for the terminal statuses of a kind.
std::string terminalList(const std::string& kind)
{
    std::string list;
    for (const auto& s : statuses(kind))
        if (isTerminal(kind, s))
            list += (list.empty() ? "'" : ",'") + s + "'";
    return list.empty() ? "''" : list;
}

} // namespace

DashboardFigures loadDashboard(Database& db, Date today, const std::string& user)
{
    DashboardFigures f;
    std::map<std::string, std::int64_t> byStatus;
    {
        Statement s(db, "SELECT status, COUNT(*) FROM application WHERE deleted = 0 GROUP BY status");
        while (s.step())
            byStatus[s.text(0)] = s.integer(1);
    }
    for (const auto& st : statuses("application"))
        f.applicationsByStatus.emplace_back(st, byStatus[st]);

    const std::string day = today.toString();
    const std::string week = today.addDays(6).toString();
    const std::string appDone = terminalList("application");
    f.applicationsOverdue = scalar(db,
                                   "SELECT COUNT(*) FROM application WHERE deleted = 0 AND due_date < ? AND "
                                   "status NOT IN (" + appDone + ")",
                                   {day});
    f.applicationsDueThisWeek = scalar(db,
                                       "SELECT COUNT(*) FROM application WHERE deleted = 0 AND due_date >= ? AND "
                                       "due_date <= ? AND status NOT IN (" + appDone + ")",
                                       {day, week});
    const std::string complaintDone = terminalList("complaint");
    f.complaintsOpen = scalar(db, "SELECT COUNT(*) FROM complaint WHERE deleted = 0 AND status NOT IN (" +
                                      complaintDone + ")");
    f.complaintsOverdue = scalar(db,
                                 "SELECT COUNT(*) FROM complaint WHERE deleted = 0 AND due_date < ? AND status NOT IN (" +
                                     complaintDone + ")",
                                 {day});
    f.tasksOpen = scalar(db, "SELECT COUNT(*) FROM task WHERE deleted = 0 AND status IN ('assigned','in_progress')");
    f.myTasksOpen = scalar(db,
                           "SELECT COUNT(*) FROM task WHERE deleted = 0 AND status IN ('assigned','in_progress') "
                           "AND assigned_to = ?",
                           {user});
    f.bookingsToday = scalar(db, "SELECT COUNT(*) FROM booking WHERE deleted = 0 AND date = ?", {day});
    f.waitingChanges = scalar(db, "SELECT COUNT(*) FROM outbox");
    f.openConflicts = scalar(db, "SELECT COUNT(*) FROM conflict WHERE deleted = 0 AND status = 'open'");
    return f;
}

DashboardFigures loadDashboard(CaseStore& store)
{
    return loadDashboard(store.database(), store.today(), store.user());
}

} // namespace berkas::model
