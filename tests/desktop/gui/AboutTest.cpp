#include "desktop/About.h"
#include "desktop/Language.h"
#include "desktop/UiText.h"
#include "model/Assets.h"
#include "model/Version.h"

#include <wx/app.h>

#include <Poco/File.h>

#include <catch2/catch.hpp>

using namespace berkas;

TEST_CASE("About: the version and the licences of the shipped data, in the interface language", "[gui][about]")
{
    SECTION("in English")
    {
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
        const wxAboutDialogInfo info = desktop::aboutInfo();
        CHECK(info.GetName() == "Berkas");
        CHECK(desktop::utf8(info.GetVersion()) == model::version());
        const std::string licence = desktop::utf8(info.GetLicence());
        CHECK(licence.find("Open Database License (ODbL) 1.0") != std::string::npos);
        CHECK(licence.find("idn-area-data") != std::string::npos);
        CHECK(licence.find("CC BY-SA 3.0") != std::string::npos);
        CHECK(licence.find("SQLite3 Multiple Ciphers") != std::string::npos);
        // The ODbL's text is where the box says it is.
        const std::string odbl = model::assetsDir() + "/reference/regions/LICENSE-ODbL.md";
        CHECK(licence.find(odbl) != std::string::npos);
        CHECK(Poco::File(odbl).exists());
    }
    SECTION("in Indonesian")
    {
        REQUIRE(desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString()));
        const wxAboutDialogInfo info = desktop::aboutInfo();
        CHECK(desktop::utf8(info.GetVersion()) == model::version());
        CHECK(desktop::utf8(info.GetDescription()) ==
              "Berkas perkara untuk kantor perizinan, tetap bekerja tanpa jaringan.");
        const std::string licence = desktop::utf8(info.GetLicence());
        CHECK(licence.find("Wilayah administratif Indonesia") != std::string::npos);
        CHECK(licence.find("teks lisensi lengkapnya ada di") != std::string::npos);
        CHECK(licence.find("Open Database License (ODbL) 1.0") != std::string::npos);
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
    }
}
