#include "model/ServiceCatalog.h"

#include "model/CaseStore.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace berkas;

TEST_CASE("ServiceCatalog: the services lists and forms offer, by code, without deleted ones", "[model][catalog]")
{
    test::StoreFixture f;
    model::CaseStore& store = *f.store;
    model::ListQuery all;
    all.kind = "service";
    const auto services = store.list(all);
    REQUIRE(services.size() > 1);

    auto names = model::serviceNames(store);
    REQUIRE(names.size() == services.size());
    CHECK(std::is_sorted(names.begin(), names.end(),
                         [](const model::ServiceName& a, const model::ServiceName& b) { return a.code < b.code; }));
    const model::Record& first = services.front();
    const auto it = std::find_if(names.begin(), names.end(),
                                 [&](const model::ServiceName& n) { return n.code == first.value("code"); });
    REQUIRE(it != names.end());
    CHECK(it->name == first.value("name"));
    CHECK(model::serviceName(store, first.value("code")) == first.value("name"));
    CHECK(model::serviceName(store, "TIDAK-ADA").empty());
    CHECK(model::serviceName(store, "").empty());

    SECTION("a deleted service is offered no more")
    {
        model::Database& db = store.database();
        model::Statement s(db, "UPDATE service SET deleted = 1 WHERE code = ?");
        s.bind(1, first.value("code")).run();
        names = model::serviceNames(store);
        CHECK(names.size() == services.size() - 1);
        CHECK(model::serviceName(store, first.value("code")).empty());
    }
}
