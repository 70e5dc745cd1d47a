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
