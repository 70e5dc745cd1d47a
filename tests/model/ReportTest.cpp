#include "model/Report.h"

#include "model/Error.h"
#include "tests/model/ReportFixture.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace berkas;
using berkas::model::Date;
using berkas::test::may;

namespace {

const model::GroupRow* findRow(const std::vector<model::GroupRow>& rows, const std::string& code)
{
    for (const auto& r : rows)
        if (r.code == code)
            return &r;
    return nullptr;
}

const model::ComplaintGroupRow* findComplaint(const std::vector<model::ComplaintGroupRow>& rows,
                                              const std::string& key)
{
    for (const auto& r : rows)
        if (r.key == key)
            return &r;
    return nullptr;
}

/// Every application figure of @p c against the independent SQL, for one group.
void checkAgainstSql(test::ReportFixture& f, const model::ApplicationCounts& c, Date from, Date to,
                     const std::string& group = "", const std::string& value = "")
{
    INFO("group " << group << " = " << value << ", period " << from.toString() << " to " << to.toString());
    CHECK(c.received == f.count(test::sql::apps(test::sql::kReceived, group), from, to, value));
    CHECK(c.finished == f.count(test::sql::apps(test::sql::kFinished, group), from, to, value));
    CHECK(c.onTime == f.count(test::sql::apps(test::sql::kOnTime, group), from, to, value));
    CHECK(c.late == f.count(test::sql::apps(test::sql::kLate, group), from, to, value));
    CHECK(c.open == f.count(test::sql::apps(test::sql::kOpen, group), from, to, value));
    CHECK(c.overdue == f.count(test::sql::apps(test::sql::kOverdue, group), from, to, value));
}

} // namespace

TEST_CASE("Report: the data set has the due dates the scenario expects", "[model][report]")
{
    test::ReportFixture f;
    f.fill();
    // Idul Fitri (13, 14 May) and the weekend push a Friday start five working days to Tuesday 18 May.
    CHECK(f.store.get(f.a[2]).value("due_date") == "2021-05-18");
    CHECK(f.store.get(f.a[3]).value("due_date") == "2021-05-18");
    CHECK(f.store.get(f.a[1]).value("due_date") == "2021-05-12");
    CHECK(f.store.get(f.a[4]).value("due_date") == "2021-05-20");
    CHECK(f.store.get(f.a[9]).value("due_date") == "2021-05-04");
    CHECK(f.store.get(f.a[5]).value("due_date").empty());
    CHECK(f.store.get(f.a[7]).value("due_date").empty());
    CHECK(f.store.get(f.c[1]).value("due_date") == "2021-05-20");
    CHECK(f.store.get(f.c[2]).value("due_date") == "2021-05-21");
    CHECK(f.store.get(f.t[1]).value("visited_at") == "2021-05-07T15:00:00+07:00");
}

TEST_CASE("Report: May 2021 gives the known answers", "[model][report]")
{
    test::ReportFixture f;
    f.fill();
    const model::Report r = model::computeReport(f.store, {may(1), may(31)});

    SECTION("office totals")
    {
        CHECK(r.total.received == 8);
        CHECK(r.total.finished == 5);
        CHECK(r.total.onTime == 4);
        CHECK(r.total.late == 1);
        CHECK(r.total.open == 4);
        CHECK(r.total.overdue == 2);
    }
    SECTION("by service and kecamatan")
    {
        REQUIRE(r.byService.size() == 2);
        const auto* sipb = findRow(r.byService, "SIPB");
        const auto* kkpr = findRow(r.byService, "KKPR");
        REQUIRE(sipb);
        REQUIRE(kkpr);
        CHECK(sipb->name == "Surat Izin Praktik Bidan");
        CHECK(sipb->counts.received == 6);
        CHECK(sipb->counts.finished == 4);
        CHECK(sipb->counts.late == 1);
        CHECK(sipb->counts.open == 3);
        CHECK(sipb->counts.overdue == 1);
        CHECK(kkpr->counts.received == 2);
        CHECK(kkpr->counts.finished == 1);
        CHECK(kkpr->counts.onTime == 1);
        CHECK(kkpr->counts.open == 1);
        CHECK(kkpr->counts.overdue == 1);
        const auto* jatiasih = findRow(r.byKecamatan, "32.75.09");
        REQUIRE(jatiasih);
        CHECK(jatiasih->name == "Jatiasih");
        CHECK(jatiasih->counts.received == 6);
        CHECK(jatiasih->counts.finished == 4);
        CHECK(jatiasih->counts.open == 2);
        CHECK(jatiasih->counts.overdue == 0);
    }
    SECTION("the trend has every ISO week of the period, counting days inside it only")
    {
        REQUIRE(r.trend.size() == 6);
        CHECK(r.trend.front().week == "2021-W17");
        CHECK(r.trend.front().monday == Date(2021, 4, 26));
        CHECK(r.trend.back().week == "2021-W22");
        const std::vector<std::pair<std::int64_t, std::int64_t>> expected = {{0, 0}, {5, 1}, {1, 2},
                                                                             {0, 2}, {2, 0}, {0, 0}};
        for (std::size_t i = 0; i < expected.size(); ++i)
        {
            INFO(r.trend[i].week);
            CHECK(r.trend[i].received == expected[i].first);
            CHECK(r.trend[i].finished == expected[i].second);
        }
    }
    SECTION("complaints by channel with median working days")
    {
        CHECK(r.complaintTotal.received == 4);
        CHECK(r.complaintTotal.responded == 2);
        CHECK(r.complaintTotal.respondedWithinDue == 1);
        CHECK(r.complaintTotal.shareWithinDue() == Approx(0.25));
        REQUIRE(r.complaintTotal.medianWorkingDays);
        CHECK(*r.complaintTotal.medianWorkingDays == Approx(4.5)); // 3 and 6 working days
        const auto* wa = findComplaint(r.complaintsByChannel, "whatsapp");
        const auto* email = findComplaint(r.complaintsByChannel, "email");
        const auto* counter = findComplaint(r.complaintsByChannel, "walk_in");
        REQUIRE(wa);
        REQUIRE(email);
        REQUIRE(counter);
        CHECK(wa->received == 2);
        CHECK(wa->responded == 2);
        CHECK(wa->respondedWithinDue == 1);
        CHECK(email->received == 2);
        CHECK(email->responded == 0);
        CHECK_FALSE(email->medianWorkingDays);
        CHECK(counter->received == 0);
        CHECK(r.complaintsByChannel.size() == 6); // every channel of the schema
        const auto* waktu = findComplaint(r.complaintsByCategory, "waktu");
        REQUIRE(waktu);
        CHECK(waktu->received == 2);
        CHECK(waktu->responded == 1);
        REQUIRE(waktu->medianWorkingDays);
        CHECK(*waktu->medianWorkingDays == Approx(3));
    }
    SECTION("field tasks by verifier and result")
    {
        REQUIRE(r.tasks.size() == 3);
        CHECK(r.tasks[0].verifier == "verif.andi");
        CHECK(r.tasks[0].result == "compliant");
        CHECK(r.tasks[0].visited == 1);
        REQUIRE(r.tasks[0].averageDaysToVisit);
        CHECK(*r.tasks[0].averageDaysToVisit == Approx(2.25));
        CHECK(r.tasks[1].result == "non_compliant");
        REQUIRE(r.tasks[1].averageDaysToVisit);
        CHECK(*r.tasks[1].averageDaysToVisit == Approx(3.0));
        CHECK(r.tasks[2].verifier == "verif.siti");
        CHECK(r.tasks[2].result.empty());
        CHECK(r.tasks[2].tasks == 3);
        CHECK(r.tasks[2].visited == 0);
        CHECK_FALSE(r.tasks[2].averageDaysToVisit);
    }
    SECTION("the detail holds each counted application once with its outcome")
    {
        // Received (8), plus finished A9 and open A8 from before the period.
        REQUIRE(r.applications.size() == 10);
        std::map<std::string, model::Outcome> outcome;
        for (const auto& d : r.applications)
            outcome[d.id] = d.outcome;
        CHECK(outcome.at(f.a[1]) == model::Outcome::OnTime);
        CHECK(outcome.at(f.a[2]) == model::Outcome::Late);
        CHECK(outcome.at(f.a[3]) == model::Outcome::OnTime);
        CHECK(outcome.at(f.a[4]) == model::Outcome::Overdue);
        CHECK(outcome.at(f.a[5]) == model::Outcome::Open);
        CHECK(outcome.at(f.a[6]) == model::Outcome::Withdrawn);
        CHECK(outcome.at(f.a[7]) == model::Outcome::OnTime);
        CHECK(outcome.at(f.a[8]) == model::Outcome::Overdue);
        CHECK(outcome.at(f.a[9]) == model::Outcome::OnTime);
        CHECK(outcome.at(f.a[10]) == model::Outcome::Open);
        CHECK(outcome.count(f.a[11]) == 0);
        CHECK(outcome.count(f.a[12]) == 0);
        CHECK(std::is_sorted(r.applications.begin(), r.applications.end(),
                             [](const auto& x, const auto& y) { return *x.submitted < *y.submitted; }));
        REQUIRE(r.complaints.size() == 4);
        CHECK(r.complaints[0].id == f.c[1]);
        CHECK(r.complaints[0].workingDaysToRespond == 3);
        CHECK(r.complaints[0].withinDue);
        CHECK(r.complaints[1].workingDaysToRespond == 6);
        CHECK_FALSE(r.complaints[1].withinDue);
        CHECK_FALSE(r.complaints[3].responded); // responded in June
    }
}

TEST_CASE("Report: every figure equals an independent SQL count", "[model][report]")
{
    test::ReportFixture f;
    f.fill();
    const std::vector<std::pair<Date, Date>> periods = {
        {may(1), may(31)}, {may(10), may(16)}, {may(17), may(17)}, {Date(2021, 4, 1), Date(2021, 6, 30)},
        {Date(2021, 6, 1), Date(2021, 6, 30)}, {Date(2020, 1, 1), Date(2020, 1, 31)}};
    for (const auto& [from, to] : periods)
    {
        const model::Report r = model::computeReport(f.store, {from, to});
        checkAgainstSql(f, r.total, from, to);
        for (const auto& row : r.byService)
            checkAgainstSql(f, row.counts, from, to, "service_code", row.code);
        for (const auto& row : r.byKecamatan)
            checkAgainstSql(f, row.counts, from, to, "kecamatan", row.code);
        std::int64_t received = 0, finished = 0;
        for (const auto& w : r.trend)
        {
            received += w.received;
            finished += w.finished;
        }
        CHECK(received == r.total.received);
        CHECK(finished == r.total.finished);
        CHECK(r.complaintTotal.received == f.count(test::sql::kComplaintsReceived, from, to));
        CHECK(r.complaintTotal.responded == f.count(test::sql::kComplaintsResponded, from, to));
        CHECK(r.complaintTotal.respondedWithinDue == f.count(test::sql::kComplaintsWithinDue, from, to));
        std::int64_t tasks = 0;
        for (const auto& t : r.tasks)
            tasks += t.tasks;
        CHECK(tasks == f.count("SELECT COUNT(*) FROM task WHERE deleted = 0 AND date(created_at) BETWEEN ?1 AND ?2",
                               from, to));
    }
}

TEST_CASE("Report: an empty period gives zeros and one row per week", "[model][report]")
{
    test::ReportFixture f;
    f.fill();
    const model::Report r = model::computeReport(f.store, {Date(2020, 1, 6), Date(2020, 1, 12)});
    CHECK(r.total.received == 0);
    CHECK(r.total.finished == 0);
    CHECK(r.total.open == 0);
    CHECK(r.byService.empty());
    CHECK(r.applications.empty());
    REQUIRE(r.trend.size() == 1);
    CHECK(r.trend[0].week == "2020-W02");
    CHECK(r.complaintTotal.received == 0);
    CHECK_FALSE(r.complaintTotal.medianWorkingDays);
}

TEST_CASE("Report: a reversed period is refused", "[model][report]")
{
    test::ReportFixture f;
    try
    {
        model::computeReport(f.store, {may(2), may(1)});
        FAIL("no error");
    }
    catch (const Error& e)
    {
        CHECK(e.code() == ErrorCode::InvalidData);
        CHECK(std::string(e.what()).rfind("to: must not be before from (2021-05-02)", 0) == 0);
    }
}

TEST_CASE("Report: ISO weeks at year boundaries", "[model][report]")
{
    CHECK(model::isoWeek(Date(2021, 1, 3)) == "2020-W53");
    CHECK(model::isoWeek(Date(2021, 1, 4)) == "2021-W01");
    CHECK(model::isoWeek(Date(2019, 12, 30)) == "2020-W01");
    CHECK(model::isoWeek(Date(2021, 5, 13)) == "2021-W19");
}
