#include "desktop/Receipt.h"
#include "desktop/Language.h"
#include "desktop/UiText.h"
#include "model/CaseStore.h"
#include "sync/StatusLink.h"
#include "tests/desktop/gui/GuiFixture.h"
#include "tests/support/ChildProcess.h"

#include <wx/app.h>
#include <wx/filesys.h>
#include <wx/stream.h>

#include <Poco/File.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

using namespace berkas;

namespace {

constexpr const char* kServer = "https://berkas.bekasikota.example.go.id";

/// The QR image a printout's HTML names, written to @p path; false when it names none.
bool saveQrImage(const wxString& html, const std::string& path)
{
    std::smatch m;
    const std::string text = desktop::utf8(html);
    if (!std::regex_search(text, m, std::regex("memory:berkas-status-qr-[0-9a-f]+\\.png")))
        return false;
    wxFileSystem fs;
    std::unique_ptr<wxFSFile> file(fs.OpenFile(desktop::wxs(m.str())));
    if (!file)
        return false;
    std::ofstream out(path, std::ios::binary);
    char buffer[4096];
    wxInputStream* in = file->GetStream();
    while (!in->Eof()) {
        in->Read(buffer, sizeof buffer);
        out.write(buffer, static_cast<std::streamsize>(in->LastRead()));
    }
    return true;
}

std::string decode(const std::string& image)
{
    std::string text = test::runProcess("/usr/bin/zbarimg", {"--raw", "-q", image}).out;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

} // namespace

TEST_CASE("Receipt: the printed QR code reads back as the status page of the number, without the NIK",
          "[gui][receipt][qr]")
{
    REQUIRE(Poco::File("/usr/bin/zbarimg").exists()); // installer/install-deps.sh installs zbar-tools
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    model::CaseStore store(o);
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Rahmat Sintetis"},
                                                         {"nik", test::kValidNik},
                                                         {"channel", "phone"},
                                                         {"kecamatan", "32.75.09"}});
    const std::string booking = store.create("booking", {{"service_code", "PBG"},
                                                         {"location", "MPP Kota Bekasi"},
                                                         {"date", "2027-03-15"},
                                                         {"slot", "09:30"},
                                                         {"applicant_name", "Dewi Sintetis"},
                                                         {"nik", test::kValidNik}});
    const std::string provisional = store.get(app).value("provisional_no");
    const std::string code = store.get(booking).value("code");

    SECTION("a laptop that never enrolled prints no QR code")
    {
        CHECK(desktop::utf8(desktop::receiptHtml(store, store.get(app))).find("berkas-status-qr") ==
              std::string::npos);
        CHECK(desktop::printedStatusUrl(store, provisional).empty());
    }
    SECTION("an enrolled laptop prints the address of its server's status page")
    {
        store.setSetting("server_url", kServer);
        const std::string image = dir.path + "/qr.png";

        REQUIRE(saveQrImage(desktop::receiptHtml(store, store.get(app)), image));
        const std::string receiptUrl = decode(image);
        CHECK(receiptUrl == sync::statusPageUrl(kServer, provisional));
        CHECK(receiptUrl == std::string(kServer) + "/status?number=" + provisional);
        CHECK(receiptUrl.find("3275") == std::string::npos); // no NIK digits

        const wxString confirmation = desktop::bookingConfirmationHtml(store, store.get(booking));
        REQUIRE(saveQrImage(confirmation, image));
        CHECK(decode(image) == std::string(kServer) + "/status?number=" + code);
        CHECK(desktop::utf8(confirmation).find(code) != std::string::npos);
    }
    SECTION("the booking confirmation in Indonesian")
    {
        store.setSetting("server_url", kServer);
        REQUIRE(desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString()));
        const std::string html = desktop::utf8(desktop::bookingConfirmationHtml(store, store.get(booking)));
        desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
        CHECK(html.find("BUKTI BOOKING") != std::string::npos);
        CHECK(html.find("Pindai kode QR ini untuk melihat status booking") != std::string::npos);
        CHECK(html.find("Booking ini masih sementara") != std::string::npos);
    }
}
