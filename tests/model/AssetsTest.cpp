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
