#include "model/Search.h"

#include "model/CaseStore.h"
#include "model/RecordPager.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

using namespace berkas;
using namespace berkas::model;

namespace {

std::vector<std::string> ids(CaseStore& store, const std::string& text)
{
    ListQuery q;
    q.kind = "application";
    q.search = text;
    std::vector<std::string> out;
    for (const auto& r : store.list(q))
        out.push_back(r.id);
    return out;
}

} // namespace

TEST_CASE("Search: identifiers typed into the search box are looked up by index", "[model][search]")
{
    test::StoreFixture f;
    CaseStore& store = *f.store;
    // Synthetic applicants: a woman born 1 July 1990 and a man born 12 March 1985, both of Jatiasih.
    const std::string siti = store.create("application", {{"service_code", "PBG"}, {"applicant_name", "Siti Wulandari"},
                                                          {"nik", "3275094107900001"}, {"channel", "phone"}});
    const std::string budi = store.create("application", {{"service_code", "TDUP"}, {"applicant_name", "Budi Hartono"},
                                                          {"nik", "3275091203850002"}, {"nib", "1234567890123"},
                                                          {"channel", "oss"}});

    SECTION("five or more digits are a NIK or NIB prefix")
    {
        CHECK(ids(store, "32750").size() == 2);
        CHECK(ids(store, "3275094107") == std::vector<std::string>{siti});
        CHECK(ids(store, "3275091203850002") == std::vector<std::string>{budi});
        CHECK(ids(store, "1234567") == std::vector<std::string>{budi});
        CHECK(ids(store, "99999").empty());
        CHECK_FALSE(searchCondition(requireKind("application"), "32750").fullText);
    }
    SECTION("a provisional number in any case")
    {
        const std::string number = store.get(siti).value("provisional_no");
        CHECK(ids(store, number) == std::vector<std::string>{siti});
        std::string lower = number;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        CHECK(ids(store, lower) == std::vector<std::string>{siti});
    }
    SECTION("names still go through full-text prefixes")
    {
        CHECK(ids(store, "sit wul") == std::vector<std::string>{siti});
        CHECK(searchCondition(requireKind("application"), "sit").fullText);
        CHECK(ids(store, "har") == std::vector<std::string>{budi});
    }
    SECTION("the window's pager finds the same rows")
    {
        RecordPager pager(store.database(), {"applicant_name"});
        PagerQuery q;
        q.kind = "application";
        q.search = "3275094";
        pager.setQuery(q);
        REQUIRE(pager.count() == 1);
        CHECK(pager.row(0).id == siti);
    }
}

TEST_CASE("Search: a broad search in the window lists matches only, newest stored first, within the filters",
          "[model][search][pager]")
{
    test::StoreFixture f;
    CaseStore& store = *f.store;
    store.create("service", {{"code", "NOCHECK"}, {"name", "Tanpa daftar periksa"}, {"sla_days", "5"}});
    std::vector<std::string> made; // in the order stored
    std::set<std::string> submitted;
    store.inBatch([&] {
        for (int i = 0; i < 120; ++i)
        {
            f.clock.advance(1000);
            made.push_back(store.create("application", {{"service_code", "NOCHECK"},
                                                        {"applicant_name", (i % 4 == 3 ? "Bagus " : "Sari ") + std::to_string(i)},
                                                        {"channel", "portal"}}));
            if (i % 2 == 0)
            {
                store.update(made.back(), {{"status", "submitted"}});
                submitted.insert(made.back());
            }
        }
    });
    store.remove(made[116]); // a deleted match is not listed

    RecordPager pager(store.database(), {"applicant_name", "status"}, 10);
    pager.setSearchCountLimit(20);
    PagerQuery q;
    q.kind = "application";
    q.search = "s";
    pager.setQuery(q);
    CHECK(pager.count() == 20);
    CHECK(pager.countCapped());
    // Every "Sari" but the deleted one, newest stored first, page after page.
    std::vector<std::string> expected;
    for (auto it = made.rbegin(); it != made.rend(); ++it)
        if (store.get(*it).value("applicant_name").rfind("Sari", 0) == 0 && !store.get(*it).deleted())
            expected.push_back(*it);
    for (std::int64_t i = 0; i < 20; ++i)
        CHECK(pager.row(i).id == expected[static_cast<std::size_t>(i)]);

    SECTION("with a filter, only rows that pass it are counted and listed")
    {
        q.where = {{"status", "submitted"}};
        pager.setQuery(q);
        CHECK(pager.count() == 20);
        for (std::int64_t i = 0; i < pager.count(); ++i)
        {
            CHECK(submitted.count(pager.row(i).id) == 1);
            CHECK(pager.row(i).values[0].rfind("Sari", 0) == 0);
        }
    }
    SECTION("oldest first when asked")
    {
        q.ascending = true;
        pager.setQuery(q);
        CHECK(pager.row(0).id == made[0]);
        CHECK(pager.row(1).id == made[1]);
    }
}

TEST_CASE("Search: a narrow word search in the window pages its matches in the list's order", "[model][search][pager]")
{
    test::StoreFixture f;
    CaseStore& store = *f.store;
    store.create("service", {{"code", "NOCHECK"}, {"name", "Tanpa daftar periksa"}, {"sla_days", "5"}});
    store.inBatch([&] {
        for (int i = 0; i < 90; ++i)
        {
            if (i % 3 == 0)
                f.clock.advance(1000); // runs of equal created_at, ordered by id
            const std::string id = store.create(
                "application", {{"service_code", "NOCHECK"},
                                {"applicant_name", (i % 3 == 2 ? "Bagus " : "Sari ") + std::to_string(97 - i)},
                                {"channel", "portal"}});
            if (i % 4 == 0) // due dates on some, NULL on the others
                store.update(id, {{"status", "submitted"}});
        }
    });
    // What SQL itself gives for each order.
    const auto expected = [&](const std::string& order) {
        Statement s(store.database(), "SELECT id FROM application t WHERE t.deleted = 0 AND t.rowid IN (SELECT rowid "
                                      "FROM application_fts WHERE application_fts MATCH '\"sari\"*') ORDER BY " + order);
        std::vector<std::string> ids;
        while (s.step())
            ids.push_back(s.text(0));
        return ids;
    };
    RecordPager pager(store.database(), {"applicant_name"}, 7);
    pager.setSearchCountLimit(1000);
    const auto listed = [&](const std::string& sort, bool ascending) {
        PagerQuery q;
        q.kind = "application";
        q.search = "sari";
        q.sortField = sort;
        q.ascending = ascending;
        pager.setQuery(q);
        std::vector<std::string> ids;
        for (std::int64_t i = 0; i < pager.count(); ++i)
            ids.push_back(pager.row(i).id);
        CHECK_FALSE(pager.countCapped());
        return ids;
    };
    REQUIRE(expected("t.created_at DESC, t.id DESC").size() == 60);
    CHECK(listed("", false) == expected("t.created_at DESC, t.id DESC"));
    CHECK(listed("created_at", true) == expected("t.created_at ASC, t.id ASC"));
    CHECK(listed("applicant_name", true) == expected("t.applicant_name ASC, t.id ASC"));
    CHECK(listed("due_date", false) == expected("t.due_date DESC, t.id DESC"));
    CHECK(listed("due_date", true) == expected("t.due_date ASC, t.id ASC"));
}
