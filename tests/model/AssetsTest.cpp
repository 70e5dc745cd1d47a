#include "model/Assets.h"
#include "tests/support/TempDir.h"

#include <Poco/File.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using namespace berkas;

TEST_CASE("Assets: an installed binary reads the data folder of its package", "[model][assets]")
{
    test::TempDir root("assets");
    Poco::File(root.file("usr/bin")).createDirectories();
    Poco::File(root.file("usr/share/berkas-server/reference")).createDirectories();

    SECTION("PREFIX/bin/NAME reads PREFIX/share/NAME")
    {
        CHECK(model::installedAssetsDir(root.file("usr/bin/berkas-server")) ==
              root.file("usr/share/berkas-server"));
    }
    SECTION("a binary whose package folder has no reference data is not installed")
    {
        CHECK(model::installedAssetsDir(root.file("usr/bin/berkas")).empty());
    }
    SECTION("a binary outside a bin folder, as in the build tree, is not installed")
    {
        Poco::File(root.file("usr/build/share/berkas-server/reference")).createDirectories();
        CHECK(model::installedAssetsDir(root.file("usr/build/berkas-server")).empty());
    }
    SECTION("the test binary itself reads the source tree's assets, unless BERKAS_ASSETS says otherwise")
    {
        const char* env = std::getenv("BERKAS_ASSETS");
        CHECK(model::assetsDir() == (env && *env ? std::string(env) : std::string(BERKAS_ASSETS_DIR)));
    }
}

TEST_CASE("Assets: a service's findings checklist, and findings text read back as checklist and words",
          "[model][assets][verification]")
{
    const auto pbg = model::referenceFindingsChecklist("PBG");
    REQUIRE(pbg.size() == 6);
    CHECK(pbg.front() == "Lokasi bangunan sesuai alamat permohonan");
    CHECK(model::referenceFindingsChecklist("TDUP").empty());

    SECTION("items and words round-trip")
    {
        model::Findings f{{{pbg[0], true}, {pbg[1], false}}, "Pagar melewati batas 30 cm.\nPerlu foto ulang."};
        const std::string text = model::formatFindings(f);
        CHECK(text == "[x] " + pbg[0] + "\n[ ] " + pbg[1] + "\n\nPagar melewati batas 30 cm.\nPerlu foto ulang.");
        const auto back = model::parseFindings(text);
        REQUIRE(back.items.size() == 2);
        CHECK(back.items[0].item == pbg[0]);
        CHECK(back.items[0].met);
        CHECK_FALSE(back.items[1].met);
        CHECK(back.notes == f.notes);
    }
    SECTION("items alone, and words typed by hand")
    {
        CHECK(model::formatFindings({{{"A", true}}, ""}) == "[x] A");
        CHECK(model::parseFindings("[x] A").items.size() == 1);
        const auto typed = model::parseFindings("Lokasi sesuai.\n[x] bukan daftar");
        CHECK(typed.items.empty());
        CHECK(typed.notes == "Lokasi sesuai.\n[x] bukan daftar");
    }
}
