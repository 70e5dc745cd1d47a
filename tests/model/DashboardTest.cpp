#include "model/Dashboard.h"

#include "model/Workflow.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

using namespace berkas;
using namespace berkas::model;

TEST_CASE("Dashboard: application figures count live applications by status and deadline", "[model][dashboard]")
{
    test::StoreFixture f;
    Database& db = f.store->database();
    // Friday 7 May 2021: "this week" is the 7th to the 13th.
    db.exec("INSERT INTO application (id, status, due_date, deleted) VALUES "
            "('a1', 'submitted', '2021-05-01', 0), "      // overdue
            "('a2', 'rejected', '2021-05-01', 0), "       // decided: not overdue
            "('a3', 'document_check', '2021-05-07', 0), " // due today
            "('a4', 'draft', '2021-05-13', 0), "          // due on the week's last day
            "('a5', 'draft', '2021-05-14', 0), "          // next week
            "('a6', 'submitted', NULL, 0), "              // no deadline
            "('a7', 'issued', '2021-05-10', 0), "         // decided: not due
            "('a8', 'submitted', '2021-05-01', 1), "      // deleted
            "('a9', 'draft', '2021-05-08', 1)");          // deleted
    const DashboardFigures d = loadDashboard(db, Date(2021, 5, 7), "clerk.test");
    CHECK(d.applicationsOverdue == 1);
    CHECK(d.applicationsDueThisWeek == 2);
    std::map<std::string, std::int64_t> byStatus(d.applicationsByStatus.begin(), d.applicationsByStatus.end());
    CHECK(d.applicationsByStatus.size() == statuses("application").size());
    CHECK(d.applicationsByStatus.front().first == statuses("application").front());
    CHECK(byStatus["draft"] == 2);
    CHECK(byStatus["submitted"] == 2);
    CHECK(byStatus["document_check"] == 1);
    CHECK(byStatus["rejected"] == 1);
    CHECK(byStatus["issued"] == 1);
    CHECK(byStatus["approved"] == 0);

    SECTION("an office without applications shows zeros")
    {
        db.exec("DELETE FROM application");
        const DashboardFigures none = loadDashboard(db, Date(2021, 5, 7), "clerk.test");
        CHECK(none.applicationsOverdue == 0);
        CHECK(none.applicationsDueThisWeek == 0);
        for (const auto& [status, count] : none.applicationsByStatus)
            CHECK(count == 0);
    }
}
