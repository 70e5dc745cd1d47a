#pragma once

#include "model/Database.h"
#include "model/Date.h"
#include "model/OfficeCalendar.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace berkas::model {

class CaseStore;

/// The figures on the window's home page (Beranda), read in a handful of
/// aggregate queries.
struct DashboardFigures
{
    std::vector<std::pair<std::string, std::int64_t>> applicationsByStatus; ///< workflow order, zeros included
    std::int64_t applicationsOverdue = 0;   ///< due before today, not in a terminal status
    std::int64_t applicationsDueThisWeek = 0; ///< due from today to today + 6
    std::int64_t complaintsOpen = 0;
    std::int64_t complaintsOverdue = 0;     ///< open and due before today
    std::int64_t tasksOpen = 0;             ///< assigned or in progress
    std::int64_t myTasksOpen = 0;           ///< the same, assigned to @p user
    std::int64_t bookingsToday = 0;
    std::int64_t waitingChanges = 0;        ///< outbox entries
    std::int64_t openConflicts = 0;
    /// The suspensions holding today (model/OfficeCalendar.h), in order of
    /// start; filled by loadDashboard(CaseStore&) only.
    std::vector<Suspension> suspendedToday;
};

/// Reads the dashboard for @p today (office-local) and @p user.
DashboardFigures loadDashboard(Database& db, Date today, const std::string& user);
/// The same for the store's today and user, on its connection: the window's home page.
DashboardFigures loadDashboard(CaseStore& store);

} // namespace berkas::model
