#include "desktop/QrCode.h"
#include "model/Error.h"
#include "sync/StatusLink.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <catch2/catch.hpp>

#include <fstream>

using namespace berkas;

namespace {

/// What zbarimg (Debian's zbar-tools) reads from @p image; "" when it finds no code.
std::string decode(const std::string& image)
{
    const auto result = test::runProcess("/usr/bin/zbarimg", {"--raw", "-q", image});
    std::string text = result.out;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

} // namespace

TEST_CASE("QrCode: a printed status address reads back as the same address", "[desktop][qr]")
{
    // zbar-tools comes with installer/install-deps.sh; without it this test
    // cannot say anything, which is a failure rather than a pass.
    REQUIRE(Poco::File("/usr/bin/zbarimg").exists());
    test::TempDir dir;
    for (const auto& [server, number] : std::vector<std::pair<std::string, std::string>>{
             {"https://berkas.bekasikota.go.id", "2026/PBG/000123"},
             {"https://10.8.0.1:8470/", "P-3F9A2C-000042"},
             {"https://izin.example.go.id/berkas", "K7M2QX"},
             {"http://127.0.0.1:8470", "2026/SIUP/000001 & more"}}) {
        const std::string url = sync::statusPageUrl(server, number);
        CAPTURE(url);
        const desktop::QrCode code = desktop::QrCode::encode(url);
        CHECK(code.size() >= 21);
        const std::string path = dir.path + "/qr.pgm";
        std::ofstream(path, std::ios::binary) << code.toPgm(3);
        CHECK(decode(path) == url);
        CHECK(url.find("nik") == std::string::npos);
    }
}

TEST_CASE("QrCode: the status address is the server's, then /status and the number", "[desktop][qr]")
{
    CHECK(sync::statusPageUrl("https://berkas.bekasikota.go.id/", "2026/PBG/000123") ==
          "https://berkas.bekasikota.go.id/status?number=2026/PBG/000123");
    CHECK(sync::statusPageUrl("https://izin.example.go.id/berkas", "K7M2QX") ==
          "https://izin.example.go.id/berkas/status?number=K7M2QX");
    CHECK(sync::statusPageUrl("http://127.0.0.1:8470", "A&B=C#D") ==
          "http://127.0.0.1:8470/status?number=A%26B%3DC%23D");
    CHECK(sync::statusPageUrl("", "2026/PBG/000123").empty()); // never enrolled: no QR code
    CHECK(sync::statusPageUrl("https://berkas.bekasikota.go.id", "").empty());
}

TEST_CASE("QrCode: an address too long for a QR code is refused", "[desktop][qr]")
{
    CHECK_THROWS_AS(desktop::QrCode::encode(std::string(4000, 'x')), Error);
    CHECK_THROWS_AS(desktop::QrCode::encode(""), Error);
}
