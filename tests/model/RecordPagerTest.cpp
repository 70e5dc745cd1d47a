#include "model/RecordPager.h"
#include "tests/model/ApplicationRows.h"
#include "tests/support/TempDir.h"

#include <catch2/catch.hpp>

using namespace berkas;
using test::fillApplications;

TEST_CASE("RecordPager: pages are fetched on demand and cached", "[model][pager]")
{
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    model::CaseStore store(o);
    fillApplications(store, 1000);
    model::RecordPager pager(store.database(), {"applicant_name", "status"}, 100, 4);
    model::PagerQuery q;
    q.kind = "application";
    pager.setQuery(q);
    pager.setToday(model::Date(2026, 1, 1));

    CHECK(pager.count() == 1000);
    CHECK(pager.row(0).values[0] == "Pemohon 1000"); // newest first
    CHECK(pager.row(999).values[0] == "Pemohon 1");
    CHECK(pager.stats().rowsFetched == 200);
    const auto queries = pager.stats().queries;
    CHECK(pager.row(5).values[0] == "Pemohon 995");
    CHECK(pager.stats().queries == queries); // cached
    CHECK(pager.row(1000).id.empty());       // past the end
    CHECK(pager.row(993).overdue);           // row 7 (2020 due date, not terminal)

    SECTION("filters and search")
    {
        q.where = {{"status", "draft"}};
        q.search = "pemohon 99";
        pager.setQuery(q);
        CHECK(pager.count() > 0);
        for (std::int64_t i = 0; i < pager.count(); ++i)
            CHECK(pager.row(i).values[1] == "draft");
    }
    SECTION("sorting")
    {
        q.sortField = "applicant_name";
        q.ascending = true;
        pager.setQuery(q);
        CHECK(pager.row(0).values[0] == "Pemohon 1");
        CHECK(pager.row(1).values[0] == "Pemohon 10");
    }
    SECTION("unknown fields are refused")
    {
        q.sortField = "nope";
        CHECK_THROWS(pager.setQuery(q));
    }
}

