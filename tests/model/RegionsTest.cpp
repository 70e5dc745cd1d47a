#include "model/Regions.h"
#include "model/Error.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>

using berkas::model::Regions;

namespace {

const std::string kRegionsDir = std::string(BERKAS_ASSETS_DIR) + "/reference/regions";

} // namespace

TEST_CASE("Regions: the standard list knows the seed regions at every level", "[model][regions]")
{
    const Regions& regions = Regions::standard();
    CHECK(&regions == &Regions::standard());

    CHECK(regions.hasProvince("32"));
    CHECK(regions.hasRegency("32.75"));
    CHECK(regions.hasDistrict("32.75.09"));
    CHECK(regions.hasVillage("32.75.09.1001"));
    CHECK(regions.hasRegency("64.74"));
    CHECK(regions.hasRegency("51.02"));

    CHECK(regions.name("32") == "Jawa Barat");
    CHECK(regions.name("32.75") == "Kota Bekasi");
    CHECK(regions.name("32.75.09") == "Jatiasih");
    CHECK(regions.name("32.75.09.1001") == "Jatimekar");

    CHECK(regions.provinceCount() == 38);
    CHECK(regions.regencyCount() == 514);
    CHECK(regions.districtCount() == 7285);
    CHECK(regions.villageCount() == 83762);
}

TEST_CASE("Regions: unknown or malformed codes are simply absent", "[model][regions]")
{
    const Regions& regions = Regions::standard();
    CHECK_FALSE(regions.hasProvince("99"));
    CHECK_FALSE(regions.hasRegency("32.99"));
    CHECK_FALSE(regions.hasDistrict("32.75.13"));
    CHECK_FALSE(regions.hasVillage("32.75.09.9999"));
    CHECK_FALSE(regions.hasRegency("3275"));
    CHECK_FALSE(regions.hasDistrict("32.75"));
    CHECK_FALSE(regions.hasProvince(""));
    CHECK(regions.name("99").empty());
    CHECK(regions.name("").empty());
    CHECK(regions.name("327509").empty());
    CHECK(regions.districtsOf("32.99").empty());
    CHECK(regions.villagesOf("32.75.13").empty());
    CHECK(regions.districtsOf("32").empty());
}

TEST_CASE("Regions: children are listed sorted by code", "[model][regions]")
{
    const Regions& regions = Regions::standard();

    const auto districts = regions.districtsOf("32.75");
    REQUIRE(districts.size() == 12);
    CHECK(districts.front() == Regions::Entry{"32.75.01", "Bekasi Timur"});
    CHECK(districts[8] == Regions::Entry{"32.75.09", "Jatiasih"});
    CHECK(districts.back().first == "32.75.12");
    CHECK(std::is_sorted(districts.begin(), districts.end()));

    const auto bontang = regions.districtsOf("64.74");
    CHECK(bontang.size() == 3);
    CHECK(regions.districtsOf("51.02").size() == 10);

    const auto villages = regions.villagesOf("32.75.09");
    REQUIRE(villages.size() >= 3);
    CHECK(villages.front() == Regions::Entry{"32.75.09.1001", "Jatimekar"});
    for (const auto& village : villages)
        CHECK(village.first.compare(0, 9, "32.75.09.") == 0);

    const auto regencies = regions.regenciesOf("64");
    CHECK(std::any_of(regencies.begin(), regencies.end(),
                      [](const Regions::Entry& e) { return e.first == "64.74"; }));
}

TEST_CASE("Regions: quoted names keep their commas and quotes", "[model][regions]")
{
    const Regions& regions = Regions::standard();
    CHECK(regions.name("12.07.28.1007") == "Lubuk Pakam I,II");
    CHECK(regions.name("35.29.22") == "Ra\"as");
    CHECK(regions.name("94.04.10.2004") == "T\"Singa");
}

TEST_CASE("Regions: load reports a missing folder as a storage error", "[model][regions]")
{
    try {
        Regions::load("/nonexistent/berkas/regions");
        FAIL("no exception");
    } catch (const berkas::Error& error) {
        CHECK(error.code() == berkas::ErrorCode::Storage);
        CHECK_THAT(error.what(), Catch::Contains("/nonexistent/berkas/regions/provinces.csv"));
    }
}

TEST_CASE("Regions: loading the full list is fast", "[model][regions][performance]")
{
    const auto start = std::chrono::steady_clock::now();
    const Regions regions = Regions::load(kRegionsDir);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    CHECK(regions.villageCount() == 83762);
    WARN("Regions::load took " << elapsed.count() << " ms");
    // Generous, so that Debug and sanitizer builds pass too; Release is far below.
    CHECK(elapsed.count() < 2000);
}
