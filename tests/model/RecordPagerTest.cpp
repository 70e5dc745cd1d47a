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


TEST_CASE("RecordPager: deleted records are neither counted nor listed, searched or not", "[model][pager][search]")
{
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    model::CaseStore store(o);
    fillApplications(store, 1000);
    // Tombstones keep their full-text entries and their identifiers.
    store.database().exec("UPDATE application SET deleted = 1 WHERE rowid % 9 = 0");

    const auto expected = [&](const std::string& condition, const std::string& order) {
        model::Statement s(store.database(), "SELECT id FROM application t WHERE t.deleted = 0" + condition +
                                                 " ORDER BY " + order);
        std::vector<std::string> ids;
        while (s.step())
            ids.push_back(s.text(0));
        return ids;
    };
    const auto listed = [](model::RecordPager& pager) {
        std::vector<std::string> ids;
        for (std::int64_t i = 0; i < pager.count(); ++i)
            ids.push_back(pager.row(i).id);
        CHECK(pager.row(pager.count()).id.empty());
        return ids;
    };
    const std::string newest = "t.created_at DESC, t.id DESC";
    const std::string words = " AND t.rowid IN (SELECT rowid FROM application_fts WHERE application_fts MATCH ?)";
    const auto matching = [&](const std::string& match) {
        model::Statement s(store.database(), "SELECT id FROM application t WHERE t.deleted = 0" + words +
                                                 " ORDER BY " + newest);
        s.bind(1, match);
        std::vector<std::string> ids;
        while (s.step())
            ids.push_back(s.text(0));
        return ids;
    };

    model::RecordPager pager(store.database(), {"applicant_name"}, 20);
    model::PagerQuery q;
    q.kind = "application";
    SECTION("the whole list")
    {
        pager.setQuery(q);
        CHECK(pager.count() == 889);
        CHECK(listed(pager) == expected("", newest));
    }
    SECTION("an identifier")
    {
        pager.setSearchCountLimit(1000);
        q.search = "P-000001-0005";
        pager.setQuery(q);
        CHECK(pager.count() == 89);
        CHECK(listed(pager) == expected(" AND t.provisional_no LIKE 'P-000001-0005%'", newest));
    }
    SECTION("a few words, newest first and oldest first")
    {
        pager.setSearchCountLimit(1000);
        q.search = "pemohon 5";
        pager.setQuery(q);
        const auto ids = matching("\"pemohon\"* \"5\"*");
        REQUIRE(ids.size() == 99); // 5, 50-59, 500-599, less the deleted
        CHECK(pager.count() == 99);
        CHECK_FALSE(pager.countCapped());
        CHECK(listed(pager) == ids);
        q.ascending = true;
        pager.setQuery(q);
        CHECK(listed(pager) == std::vector<std::string>(ids.rbegin(), ids.rend()));
    }
    SECTION("a few words, without a count limit")
    {
        q.search = "pemohon 5";
        pager.setQuery(q);
        CHECK(listed(pager) == matching("\"pemohon\"* \"5\"*"));
    }
    SECTION("more words than the count limit: the newest stored that are not deleted")
    {
        pager.setSearchCountLimit(50);
        q.search = "pemohon";
        pager.setQuery(q);
        CHECK(pager.count() == 50);
        CHECK(pager.countCapped());
        const auto all = expected("", "t.rowid DESC");
        CHECK(listed(pager) == std::vector<std::string>(all.begin(), all.begin() + 50));
    }
}
