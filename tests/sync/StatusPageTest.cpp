#include "tests/support/ChildProcess.h"
#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include "model/Database.h"
#include "model/Date.h"
#include "model/RecordQuery.h"
#include "sync/Protocol.h"
#include "sync/StatusLink.h"
#include "sync/server/AddressRateLimit.h"
#include "sync/server/StatusLookup.h"
#include "sync/server/StatusPage.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <string>

using namespace berkas;
using test::Laptop;
using test::TestServer;

namespace {

/// One answer of the status page: status, body and the headers a test reads.
struct Page
{
    int status = 0;
    std::string body;
    std::string contentType;
    std::string retryAfter;
};

Page get(const TestServer& server, const std::string& pathAndQuery, const std::string& forwardedFor = "",
         const std::string& method = "GET")
{
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!forwardedFor.empty())
        request.set("X-Forwarded-For", forwardedFor);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Page page;
    Poco::StreamCopier::copyToString(in, page.body);
    page.status = response.getStatus();
    page.contentType = response.getContentType();
    page.retryAfter = response.get("Retry-After", "");
    return page;
}

std::string query(const std::string& path, const std::string& number, const std::string& nik4)
{
    std::string n;
    Poco::URI::encode(number, "/?&=+#", n);
    return path + "?number=" + n + "&nik4=" + nik4;
}

/// The member names of a JSON object.
std::set<std::string> members(const std::string& json)
{
    const auto o = sync::parseObject(json);
    std::set<std::string> names;
    for (const auto& [name, value] : *o)
        names.insert(name);
    return names;
}

constexpr const char* kNik = "3275094107904321"; // synthetic; last four 4321
constexpr const char* kBookingNik = "3275095512887766";

/// An office with a clerk's laptop that took an application (moved past the
/// document check, so it has a due date) and booked a counter visit, both
/// synced to the server.
struct Office
{
    TestServer& server;
    std::unique_ptr<Laptop> laptop;
    std::string applicationId;
    std::string bookingId;
    std::string regNo;
    std::string provisionalNo;
    std::string dueDate;
    std::string code;

    explicit Office(TestServer& s) : server(s)
    {
        server.addUser("siti", "clerk", "32.75.09");
        laptop = std::make_unique<Laptop>(server, "siti");
        auto& store = *laptop->store;
        applicationId = store.create("application", {{"service_code", "PBG"},
                                                     {"applicant_name", "Rahmat Sintetis"},
                                                     {"nik", kNik},
                                                     {"phone", "081234567890"},
                                                     {"address", "Jl. Contoh No. 7"},
                                                     {"channel", "phone"},
                                                     {"kecamatan", "32.75.09"}});
        store.update(applicationId, {{"status", "submitted"}});
        store.update(applicationId, {{"status", "document_check"}});
        model::ListQuery requirements;
        requirements.kind = model::kind::kRequirement;
        requirements.where = {{model::field::kApplicationId, applicationId}};
        for (const auto& r : store.list(requirements))
            store.update(r.id, {{"fulfilled", "1"}});
        store.update(applicationId, {{"status", "recommendation"}});
        bookingId = store.create("booking", {{"service_code", "PBG"},
                                             {"location", "MPP Kota Bekasi"},
                                             {"date", "2027-03-15"},
                                             {"slot", "09:30"},
                                             {"applicant_name", "Dewi Sintetis"},
                                             {"nik", kBookingNik},
                                             {"phone", "081298765432"}});
        laptop->sync();
        const auto app = store.get(applicationId);
        regNo = app.value("reg_no");
        provisionalNo = app.value("provisional_no");
        dueDate = app.value("due_date");
        code = store.get(bookingId).value("code");
    }
};

} // namespace

TEST_CASE("StatusPage: a synced application answers its status, due date and next step, and nothing else",
          "[sync][status]")
{
    TestServer server;
    Office office(server);
    REQUIRE_FALSE(office.regNo.empty());
    REQUIRE(model::Date::parse(office.dueDate));
    const std::string words = "Menunggu rekomendasi teknis";

    SECTION("JSON: exactly status, due_date and next_step")
    {
        const Page page = get(office.server, query("/v1/status", office.regNo, "4321"));
        REQUIRE(page.status == 200);
        CHECK(page.contentType == "application/json");
        CHECK(members(page.body) == std::set<std::string>{"status", "due_date", "next_step"});
        const auto o = sync::parseObject(page.body);
        CHECK(o->getValue<std::string>("status") == words);
        CHECK(o->getValue<std::string>("due_date") == office.dueDate);
        CHECK(o->getValue<std::string>("next_step").find("rekomendasi teknis") != std::string::npos);
    }
    SECTION("HTML: the same in Indonesian words, with no name, NIK, address or phone")
    {
        const Page page = get(office.server, query("/status", office.regNo, "4321"));
        REQUIRE(page.status == 200);
        CHECK(page.contentType == "text/html; charset=utf-8");
        CHECK(page.body.find("<dd id=\"status\" class=\"status\">" + words + "</dd>") != std::string::npos);
        CHECK(page.body.find(sync::statuspage::indonesianDate(office.dueDate)) != std::string::npos);
        CHECK(page.body.find("Tenggat penyelesaian") != std::string::npos);
        for (const std::string secret :
             {"Rahmat", "Sintetis", kNik, "4321", "Contoh", "081234567890", "32.75.09"})
            CHECK(page.body.find(secret) == std::string::npos);
    }
    SECTION("the address a receipt's QR code carries opens the form with the number filled in")
    {
        const std::string url = sync::statusPageUrl(office.server.url(), office.regNo);
        REQUIRE(url.rfind(office.server.url(), 0) == 0);
        const Page page = get(office.server, url.substr(office.server.url().size()));
        CHECK(page.status == 200);
        CHECK(page.body.find("value=\"" + office.regNo + "\"") != std::string::npos);
    }
    SECTION("the provisional number of a receipt printed before the sync finds it too")
    {
        REQUIRE_FALSE(office.provisionalNo.empty());
        const Page page = get(office.server, query("/v1/status", office.provisionalNo, "4321"));
        REQUIRE(page.status == 200);
        CHECK(sync::parseObject(page.body)->getValue<std::string>("status") == words);
    }
    SECTION("a status change on the laptop shows after its next sync")
    {
        office.laptop->store->update(office.applicationId, {{"status", "approved"}});
        office.laptop->sync();
        const Page page = get(office.server, query("/v1/status", office.regNo, "4321"));
        REQUIRE(page.status == 200);
        CHECK(sync::parseObject(page.body)->getValue<std::string>("status") == "Disetujui");
    }
    SECTION("a deleted application is not found")
    {
        office.laptop->store->remove(office.applicationId);
        office.laptop->sync();
        CHECK(get(office.server, query("/v1/status", office.regNo, "4321")).status == 404);
    }
}

TEST_CASE("StatusPage: a booking answers its status, the day and time of the visit and the next step",
          "[sync][status]")
{
    TestServer server;
    Office office(server);
    REQUIRE(office.code.size() == 6);
    SECTION("JSON: the visit's day as due_date, the time in the next step")
    {
        const Page page = get(office.server, query("/v1/status", office.code, "7766"));
        REQUIRE(page.status == 200);
        CHECK(members(page.body) == std::set<std::string>{"status", "due_date", "next_step"});
        const auto o = sync::parseObject(page.body);
        CHECK(o->getValue<std::string>("due_date") == "2027-03-15");
        CHECK(o->getValue<std::string>("next_step").find("Senin, 15 Maret 2027 pukul 09.30") !=
              std::string::npos);
    }
    SECTION("HTML, with the code typed in small letters")
    {
        const Page page = get(office.server, query("/status", Poco::toLower(office.code), "7766"));
        REQUIRE(page.status == 200);
        CHECK(page.body.find("Jadwal kunjungan") != std::string::npos);
        CHECK(page.body.find("Senin, 15 Maret 2027 pukul 09.30") != std::string::npos);
        for (const std::string secret : {"Dewi", kBookingNik, "081298765432", "MPP"})
            CHECK(page.body.find(secret) == std::string::npos);
    }
}

TEST_CASE("StatusPage: a wrong number and a wrong NIK get byte-identical answers", "[sync][status]")
{
    TestServer server;
    Office office(server);
    for (const std::string path : {"/status", "/v1/status"}) {
        const Page wrongNik = get(office.server, query(path, office.regNo, "1234"));
        const Page wrongNumber = get(office.server, query(path, office.regNo + "9", "4321"));
        const Page wrongBoth = get(office.server, query(path, "ZZZZZZ", "0000"));
        const Page otherRecordsNik = get(office.server, query(path, office.code, "4321"));
        CHECK(wrongNik.status == 404);
        CHECK(wrongNik.status == wrongNumber.status);
        CHECK(wrongNik.contentType == wrongNumber.contentType);
        CHECK(wrongNik.body == wrongNumber.body);
        CHECK(wrongNik.body == wrongBoth.body);
        CHECK(wrongNik.body == otherRecordsNik.body);
        CHECK(wrongNik.body.find(office.regNo) == std::string::npos);
        CHECK(wrongNik.body.find("Data tidak ditemukan") != std::string::npos);
    }
}

TEST_CASE("StatusPage: a missing or malformed parameter is a 400 naming it", "[sync][status]")
{
    TestServer server;
    const auto message = [](const Page& p) {
        return sync::parseObject(p.body)->getObject("error")->getValue<std::string>("message");
    };
    SECTION("JSON")
    {
        const Page noNik = get(server, "/v1/status?number=2026/PBG/000001");
        CHECK(noNik.status == 400);
        CHECK(message(noNik).rfind("nik4: ", 0) == 0);
        const Page noNumber = get(server, "/v1/status?nik4=1234");
        CHECK(noNumber.status == 400);
        CHECK(message(noNumber).rfind("number: ", 0) == 0);
        const Page letters = get(server, "/v1/status?number=ABCDEF&nik4=12a4");
        CHECK(letters.status == 400);
        CHECK(message(letters) == "nik4: harus tepat 4 angka, yaitu 4 digit terakhir NIK");
        CHECK(get(server, "/v1/status?number=ABCDEF&nik4=12345").status == 400);
        const Page badNumber = get(server, "/v1/status?number=%3Cscript%3E&nik4=1234");
        CHECK(badNumber.status == 400);
        CHECK(message(badNumber).rfind("number: ", 0) == 0);
        const Page twice = get(server, "/v1/status?number=ABCDEF&number=GHJKLM&nik4=1234");
        CHECK(twice.status == 400);
        CHECK(message(twice).rfind("number: ", 0) == 0);
        CHECK(get(server, "/v1/status").status == 400);
    }
    SECTION("HTML: the sentence above the form; the form alone needs no parameter")
    {
        const Page form = get(server, "/status");
        CHECK(form.status == 200);
        CHECK(form.body.find("<form") != std::string::npos);
        const Page letters = get(server, "/status?number=ABCDEF&nik4=abcd");
        CHECK(letters.status == 400);
        CHECK(letters.body.find("nik4: harus tepat 4 angka") != std::string::npos);
        CHECK(letters.body.find("value=\"ABCDEF\"") !=
              std::string::npos); // the good number stays in the form
        const Page script = get(server, "/status?number=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&nik4=1234");
        CHECK(script.status == 400);
        CHECK(script.body.find("<script") == std::string::npos);
    }
    SECTION("a number alone (a scanned QR code) is the form with the number filled in")
    {
        const Page qr = get(server, "/status?number=2026%2FPBG%2F000042");
        CHECK(qr.status == 200);
        CHECK(qr.body.find("value=\"2026/PBG/000042\"") != std::string::npos);
    }
    SECTION("only GET and HEAD")
    {
        CHECK(get(server, "/v1/status?number=ABCDEF&nik4=1234", "", "POST").status == 405);
        CHECK(get(server, "/status", "", "DELETE").status == 405);
    }
}

TEST_CASE("StatusPage: lookups are limited per client address, then 429 with Retry-After", "[sync][status]")
{
    sync::SyncServerOptions options;
    options.statusPerMinute = 3;
    options.trustedProxies = {"127.0.0.1"};
    TestServer server(options);
    Office office(server);
    const std::string lookup = query("/v1/status", office.regNo, "4321");
    for (int i = 0; i < 3; ++i)
        REQUIRE(get(office.server, lookup, "203.0.113.7").status == 200);
    // The form and a malformed query count nothing.
    CHECK(get(office.server, "/status?number=ABCDEF", "203.0.113.7").status == 200);
    CHECK(get(office.server, "/v1/status?number=ABCDEF", "203.0.113.7").status == 400);

    const Page json = get(office.server, lookup, "203.0.113.7");
    CHECK(json.status == 429);
    const int wait = std::atoi(json.retryAfter.c_str());
    CHECK(wait >= 1);
    CHECK(wait <= 60);
    CHECK(sync::parseObject(json.body)->getObject("error")->getValue<std::string>("message") ==
          "Terlalu banyak pencarian dari alamat Anda. Coba lagi dalam " + json.retryAfter + " detik.");
    const Page html = get(office.server, query("/status", office.regNo, "4321"), "203.0.113.7");
    CHECK(html.status == 429);
    CHECK(html.body.find("Terlalu banyak pencarian") != std::string::npos);
    CHECK_FALSE(html.retryAfter.empty());
    // Another phone behind the same trusted proxy is not held back.
    CHECK(get(office.server, lookup, "198.51.100.23").status == 200);
}

TEST_CASE("StatusPage: values that are not what they should be are escaped, never markup", "[sync][status]")
{
    TestServer server;
    // A booking as an older server may have stored it, written straight
    // into the field rows: a hostile date, slot and status.
    {
        model::Database db(server.dir.path + "/server.db");
        const std::string id = "0190f0f0-0000-7000-8000-00000000beef";
        db.exec("INSERT INTO records (record_id, kind) VALUES ('" + id + "', 'booking')");
        const std::vector<std::pair<std::string, std::string>> values = {
            {"code", "HOSTIL"},
            {"nik", "3275090101900042"},
            {"date", "<script>alert(1)</script>"},
            {"slot", "\"><img src=x onerror=alert(2)>"},
            {"status", "<b>confirmed</b>"},
        };
        int seq = 1000;
        for (const auto& [field, value] : values) {
            model::Statement insert(
                db, "INSERT INTO fields (record_id, field, kind, value, hlc, device, user_name, seq) "
                    "VALUES (?, ?, 'booking', ?, 1, 'server', 'server', ?)");
            insert.bind(1, id).bind(2, field).bind(3, value).bind(4, static_cast<std::int64_t>(++seq));
            insert.step();
        }
    }
    const Page page = get(server, "/status?number=HOSTIL&nik4=0042");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<script") == std::string::npos);
    CHECK(page.body.find("<img") == std::string::npos);
    CHECK(page.body.find("<b>") == std::string::npos);
    CHECK(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(page.body.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
    CHECK(page.body.find("Sedang diproses") != std::string::npos); // an unknown status is never shown raw
    const Page json = get(server, "/v1/status?number=HOSTIL&nik4=0042");
    REQUIRE(json.status == 200);
    CHECK(sync::parseObject(json.body)->get("due_date").isEmpty()); // not a date: null
}

TEST_CASE("StatusPage: words and escaping", "[sync][status]")
{
    using namespace sync::statuspage;
    CHECK(htmlEscape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(formPage("\"><script>x</script>").find("<script>") == std::string::npos);
    CHECK(indonesianDate("2026-12-14") == "14 Desember 2026");
    CHECK(indonesianDate("2026-12-14", true) == "Senin, 14 Desember 2026");
    CHECK(indonesianDate("2027-01-03", true) == "Minggu, 3 Januari 2027");
    // Every status of applications and bookings has its own words and next step.
    for (const auto& [kind, statuses] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"application",
              {"draft", "submitted", "document_check", "field_verification", "recommendation", "approved",
               "rejected", "issued", "withdrawn"}},
             {"booking", {"tentative", "confirmed", "overbooked", "checked_in", "cancelled", "no_show"}}}) {
        std::set<std::string> words;
        for (const auto& status : statuses) {
            const sync::PublicStatus s{kind, status, "2027-03-15", kind == "booking" ? "10:00" : ""};
            CAPTURE(kind, status);
            CHECK(statusWords(s) != "Sedang diproses");
            CHECK(nextStep(s).find("{visit}") == std::string::npos);
            words.insert(statusWords(s));
        }
        CHECK(words.size() == statuses.size());
    }
}

TEST_CASE("AddressRateLimit: a sliding window per address", "[sync][status]")
{
    sync::AddressRateLimit limit(2, 60);
    CHECK(limit.take("a", 0) == 0);
    CHECK(limit.take("a", 10000) == 0);
    CHECK(limit.take("a", 20000) == 40); // the first leaves the window at 60 s
    CHECK(limit.take("b", 20000) == 0);
    CHECK(limit.take("a", 60000) == 0);  // the first has left
    CHECK(limit.take("a", 60500) == 10); // the second leaves at 70 s
    SECTION("a flood of addresses does not grow without bound")
    {
        sync::AddressRateLimit small(1, 60, 3);
        for (int i = 0; i < 10; ++i)
            CHECK(small.take("10.0.0." + std::to_string(i), 1000) == 0);
    }
}

TEST_CASE("StatusLookup: SQLite finds candidates through the index of field values", "[sync][status]")
{
    TestServer server;
    model::Database db(server.dir.path + "/server.db");
    model::Statement plan(db, std::string("EXPLAIN QUERY PLAN ") + sync::StatusLookup::candidatesSql());
    std::string text;
    while (plan.step())
        text += plan.text(3) + "\n";
    CAPTURE(text);
    CHECK(text.find("fields_kind_field") != std::string::npos);
    CHECK(text.find("SCAN fields\n") == std::string::npos);
}

TEST_CASE("StatusPage: on PostgreSQL", "[sync][status][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin) {
        WARN("BERKAS_TEST_POSTGRES is not set: the status lookup on PostgreSQL was not tested here");
        return;
    }
    test::ScratchDatabase db(admin);
    TestServer server(db.url, 4);
    Office office(server);
    const Page page = get(server, query("/v1/status", office.regNo, "4321"));
    REQUIRE(page.status == 200);
    CHECK(sync::parseObject(page.body)->getValue<std::string>("due_date") == office.dueDate);
    CHECK(get(server, query("/v1/status", office.code, "7766")).status == 200);
    CHECK(get(server, query("/v1/status", office.regNo, "1234")).body ==
          get(server, query("/v1/status", "ZZZZZZ", "4321")).body);

    // The plan: with sequential scans made expensive, the hash index on
    // value answers (a table this small is scanned otherwise).
    Poco::Data::Session session("PostgreSQL", sync::ServerStore::optionsFor(db.url, "").connection);
    std::vector<std::string> plan;
    std::string sql = sync::StatusLookup::candidatesSql();
    for (int i = 1; i <= 3; ++i)
        sql.replace(sql.find('?'), 1, "'" + office.regNo + "'");
    session << "SET enable_seqscan = off", Poco::Data::Keywords::now;
    session << "EXPLAIN " + sql, Poco::Data::Keywords::into(plan), Poco::Data::Keywords::now;
    std::string text;
    for (const auto& line : plan)
        text += line + "\n";
    CAPTURE(text);
    CHECK(text.find("fields_value") != std::string::npos);
}

TEST_CASE("StatusPage: berkas-server takes the limit from limits.status_per_minute", "[sync][status][server]")
{
    test::TempDir dir;
    SECTION("a value below 1 stops it at start, naming the property, before anything is written")
    {
        std::ofstream(dir.path + "/bad.properties") << "limits.status_per_minute=0\n";
        const auto r = test::runProcess(BERKAS_SERVER_BINARY, {"--data=" + dir.path + "/data",
                                                               "--config=" + dir.path + "/bad.properties",
                                                               "--port=0", "--plain-http"});
        CHECK(r.code == 1);
        CHECK(r.err == "limits.status_per_minute: must be 1 or more, got 0\n");
        CHECK_FALSE(Poco::File(dir.path + "/data").exists());
    }
    SECTION("the third lookup a minute from one address is refused when the limit is 2")
    {
        std::ofstream(dir.path + "/two.properties") << "limits.status_per_minute=2\n";
        Poco::Pipe out;
        Poco::ProcessHandle process =
            Poco::Process::launch(BERKAS_SERVER_BINARY,
                                  {"--data=" + dir.path + "/data", "--config=" + dir.path + "/two.properties",
                                   "--port=0", "--plain-http"},
                                  nullptr, &out, nullptr);
        Poco::PipeInputStream stream(out);
        std::string line;
        std::getline(stream, line); // "listening on 127.0.0.1:PORT"
        REQUIRE(line.rfind("listening on ", 0) == 0);
        const int port = std::stoi(line.substr(line.rfind(':') + 1));
        const auto lookup = [&] {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
            Poco::Net::HTTPRequest request("GET", "/v1/status?number=2026/PBG/000001&nik4=1234",
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            return std::make_pair(static_cast<int>(response.getStatus()), response.get("Retry-After", ""));
        };
        CHECK(lookup().first == 404);
        CHECK(lookup().first == 404);
        const auto third = lookup();
        CHECK(third.first == 429);
        CHECK_FALSE(third.second.empty());
        Poco::Process::requestTermination(process.id());
        CHECK(process.wait() == 0);
    }
}
