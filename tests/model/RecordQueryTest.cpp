#include "model/RecordQuery.h"

#include "model/CaseStore.h"
#include "model/RecordPager.h"
#include "tests/model/ApplicationRows.h"
#include "tests/support/TempDir.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

using namespace berkas;
using namespace berkas::model;

namespace {

/// One application as the tests see it, read straight from the table.
struct Row
{
    std::string id;
    std::string createdAt;
    std::string name;
    std::string status;
    std::string dueDate;
    bool deleted = false;
};

/// 300 applications "Pemohon 1" to "Pemohon 300" (fillApplications), every
/// tenth deleted, in the list's default order: newest first.
struct QueryFixture
{
    test::TempDir dir;
    std::unique_ptr<CaseStore> store;
    std::vector<Row> rows;

    QueryFixture()
    {
        StoreOptions o;
        o.dataDir = dir.path;
        store = std::make_unique<CaseStore>(o);
        test::fillApplications(*store, 300);
        store->database().exec("UPDATE application SET deleted = 1 WHERE rowid % 10 = 0");
        Statement s(store->database(), "SELECT id, created_at, applicant_name, status, due_date, deleted FROM "
                                       "application ORDER BY created_at DESC, id DESC");
        while (s.step())
            rows.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.integer(5) != 0});
    }

    /// The ids of the rows @p keep keeps, in the default order.
    std::vector<std::string> expected(const std::function<bool(const Row&)>& keep) const
    {
        std::vector<std::string> out;
        for (const auto& r : rows)
            if (keep(r))
                out.push_back(r.id);
        return out;
    }

    std::vector<std::string> ids(const RecordQuery& query)
    {
        const Sql sql = query.select("t.id");
        Statement s(store->database(), sql.text);
        sql.bind(s);
        std::vector<std::string> out;
        while (s.step())
            out.push_back(s.text(0));
        return out;
    }

    std::int64_t count(const RecordQuery& query, std::int64_t cap = 0)
    {
        const Sql sql = query.count(cap);
        Statement s(store->database(), sql.text);
        sql.bind(s);
        REQUIRE(s.step());
        return s.integer(0);
    }
};

const KindDef& applications()
{
    return requireKind("application");
}

/// "Pemohon 29" and "Pemohon 290".."Pemohon 299": a word starting with 29.
bool numberStartsWith29(const Row& r)
{
    return r.name.rfind("Pemohon 29", 0) == 0;
}

} // namespace

TEST_CASE("RecordQuery: conditions, deleted filter, search and page select the rows they say", "[model][query]")
{
    QueryFixture f;
    const auto live = [](const Row& r) { return !r.deleted; };
    REQUIRE(f.rows.size() == 300);

    SECTION("records not deleted, newest first, by default")
    {
        const auto expected = f.expected(live);
        CHECK(expected.size() == 270);
        CHECK(f.ids(RecordQuery(applications())) == expected);
        CHECK(f.count(RecordQuery(applications())) == 270);
        CHECK(f.count(RecordQuery(applications()), 100) == 100);
    }
    SECTION("equality filters, and an empty value for no value")
    {
        RecordQuery q(applications());
        q.where("status", "submitted");
        CHECK(f.ids(q) == f.expected([](const Row& r) { return !r.deleted && r.status == "submitted"; }));
        q.where("due_date", "");
        CHECK(f.ids(q) == f.expected([](const Row& r) {
            return !r.deleted && r.status == "submitted" && r.dueDate.empty();
        }));
    }
    SECTION("deleted records on request, or by a condition on deleted")
    {
        RecordQuery all(applications());
        all.includeDeleted();
        CHECK(f.ids(all) == f.expected([](const Row&) { return true; }));
        RecordQuery tombs(applications());
        tombs.where("status", "draft").where("deleted", "1");
        const auto expected = f.expected([](const Row& r) { return r.deleted && r.status == "draft"; });
        CHECK_FALSE(expected.empty());
        CHECK(f.ids(tombs) == expected);
    }
    SECTION("a word search, planned from its matches or in order, and through the full-text index")
    {
        const auto expected = f.expected([](const Row& r) { return !r.deleted && numberStartsWith29(r); });
        CHECK(expected.size() == 10); // 29 and 291..299 (290 is deleted)
        RecordQuery q(applications());
        q.search("pemohon 29");
        CHECK(q.searchCondition().fullText);
        CHECK(f.ids(q) == expected);
        CHECK(f.ids(RecordQuery(q).plan(SearchPlan::InOrder)) == expected);
        CHECK(f.count(q) == 10);

        // FTS5 hands its matches over by rowid: here, creation order.
        const Sql sql = q.selectFullText("t.id", true);
        Statement s(f.store->database(), sql.text);
        sql.bind(s);
        std::vector<std::string> viaIndex;
        while (s.step())
            viaIndex.push_back(s.text(0));
        CHECK(viaIndex == expected);
    }
    SECTION("rows not deleted told by the tombstones' index are the same rows")
    {
        RecordQuery q(applications());
        q.liveRows(LiveRows::Tombstones).search("pemohon 29");
        CHECK(f.ids(q) == f.expected([](const Row& r) { return !r.deleted && numberStartsWith29(r); }));
        RecordQuery whole(applications());
        CHECK(f.count(RecordQuery(whole).liveRows(LiveRows::Tombstones)) == 270);
        const auto scalar = [&](const Sql& sql) {
            Statement s(f.store->database(), sql.text);
            sql.bind(s);
            REQUIRE(s.step());
            return s.integer(0);
        };
        CHECK(scalar(whole.countRows()) - scalar(whole.countTombstones()) == 270);

        // The full-text index alone: matches by rowid, oldest first, less the tombstones.
        const Sql sql = RecordQuery(q).page(5).fullTextMatches();
        Statement s(f.store->database(), sql.text);
        sql.bind(s);
        std::vector<std::int64_t> rowids;
        while (s.step())
            rowids.push_back(s.integer(0));
        CHECK(rowids == std::vector<std::int64_t>{29, 291, 292, 293, 294});
    }
    SECTION("a date range on the first ten characters")
    {
        RecordQuery q(applications());
        q.between("due_date", "2019-12-31", "2020-01-01");
        CHECK(f.ids(q) == f.expected([](const Row& r) { return !r.deleted && r.dueDate == "2020-01-01"; }));
        q.between("due_date", "2020-01-02", "");
        CHECK(f.ids(q).empty());
    }
    SECTION("pages of the same order")
    {
        const auto expected = f.expected(live);
        RecordQuery q(applications());
        q.page(10, 25);
        CHECK(f.ids(q) == std::vector<std::string>(expected.begin() + 25, expected.begin() + 35));
        q.page(10, 265);
        CHECK(f.ids(q) == std::vector<std::string>(expected.begin() + 265, expected.end()));
        q.page(0, 0);
        CHECK(f.ids(q).empty());
    }
    SECTION("another order, and preferred rows first")
    {
        RecordQuery q(applications());
        q.orderBy("applicant_name", true);
        auto byName = f.rows;
        byName.erase(std::remove_if(byName.begin(), byName.end(), [](const Row& r) { return r.deleted; }),
                     byName.end());
        std::sort(byName.begin(), byName.end(), [](const Row& a, const Row& b) {
            return a.name != b.name ? a.name < b.name : a.id < b.id;
        });
        std::vector<std::string> expected;
        for (const auto& r : byName)
            expected.push_back(r.id);
        CHECK(f.ids(q) == expected);

        RecordQuery drafts(applications());
        drafts.prefer("status", "draft");
        const auto ids = f.ids(drafts);
        const auto firstOther = std::find_if(ids.begin(), ids.end(), [&](const std::string& id) {
            return f.store->get(id).value("status") != "draft";
        });
        CHECK(std::all_of(firstOther, ids.end(),
                          [&](const std::string& id) { return f.store->get(id).value("status") != "draft"; }));
        CHECK(firstOther - ids.begin() ==
              static_cast<std::ptrdiff_t>(f.expected([](const Row& r) { return !r.deleted && r.status == "draft"; })
                                              .size()));
    }
}

TEST_CASE("RecordQuery: values travel as parameters, never in the SQL text", "[model][query]")
{
    RecordQuery q(applications());
    q.where("applicant_name", "Robert'); DROP TABLE application; --").where("email", "").search("siti");
    const Sql sql = q.conditions();
    CHECK(sql.text.find("DROP") == std::string::npos);
    CHECK(sql.text.rfind("t.deleted = 0 AND t.applicant_name = ? AND t.email IS NULL AND ", 0) == 0);
    REQUIRE(sql.params.size() == 2);
    CHECK(sql.params[0] == "Robert'); DROP TABLE application; --");
    CHECK(sql.params[1] == "\"siti\"*");
    CHECK(q.conditions(false).text == "t.deleted = 0 AND t.applicant_name = ? AND t.email IS NULL");
}

TEST_CASE("RecordQuery: the store's list and the window's pager list the same rows in the same order",
          "[model][query][pager]")
{
    QueryFixture f;
    RecordPager pager(f.store->database(), {"applicant_name"}, 7);
    const auto same = [&](const std::vector<std::pair<std::string, std::string>>& where, const std::string& search) {
        ListQuery list;
        list.kind = "application";
        list.where = where;
        list.search = search;
        std::vector<std::string> listed;
        for (const auto& r : f.store->list(list))
            listed.push_back(r.id);
        PagerQuery paged;
        paged.kind = "application";
        paged.where = where;
        paged.search = search;
        pager.setQuery(paged);
        std::vector<std::string> shown;
        for (std::int64_t i = 0; i < pager.count(); ++i)
            shown.push_back(pager.row(i).id);
        CHECK(f.store->count(list) == static_cast<std::int64_t>(listed.size()));
        return listed == shown && !listed.empty();
    };
    CHECK(same({}, ""));
    CHECK(same({{"status", "document_check"}}, ""));
    CHECK(same({}, "pemohon 29"));
    CHECK(same({{"status", "submitted"}}, "pemohon 2"));
    CHECK(same({}, "P-000001-0001"));
}
