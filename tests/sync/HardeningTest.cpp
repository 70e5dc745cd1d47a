#include "tests/sync/ApiClient.h"
#include "tests/sync/SyncFixture.h"

#include "model/Migrations.h"
#include "sync/Passwords.h"

#include <Poco/AutoPtr.h>
#include <Poco/FileStream.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Logger.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/PatternFormatter.h>
#include <Poco/StreamChannel.h>
#include <Poco/StreamCopier.h>
#include <Poco/Base64Encoder.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using namespace berkas;
using test::Answer;
using test::ApiClient;
using test::Laptop;
using test::TestServer;

namespace {

/// Every field of every record the server holds, for "nothing changed".
std::vector<std::string> snapshot(TestServer& server)
{
    std::vector<std::string> out;
    for (const auto& c : server.store->pull("not-a-device", 0, 1000000))
        out.push_back(c.id + "/" + c.field + "=" + c.value.value_or("<null>") + "@" + std::to_string(c.seq));
    return out;
}

std::string fileText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string base64Url(const std::string& text)
{
    std::ostringstream out;
    Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    enc.rdbuf()->setLineLength(0);
    enc << text;
    enc.close();
    return out.str();
}

/// The first line of the server's answer to @p method @p path, read off the
/// socket as sent ("HTTP/1.1 404 Not Found"): Poco's HTTPResponse would
/// parse the reason phrase away.
std::string rawStatusLine(int port, const std::string& method, const std::string& path, const std::string& body = "")
{
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    const std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                                "\r\n\r\n" + body;
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string answer;
    char buffer[512];
    while (answer.find("\r\n") == std::string::npos)
    {
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        if (n <= 0)
            break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer.substr(0, answer.find("\r\n"));
}

} // namespace

TEST_CASE("Hardening: hostile bodies get the expected status and change nothing", "[sync][hardening]")
{
    TestServer server;
    server.addUser("budi", "manager");
    Laptop laptop(server, "budi");
    const std::string appId = laptop.newApplication();
    laptop.sync();
    ApiClient api(server);
    REQUIRE(api.enroll("budi") == 200);
    const std::string good = api.pushBody("application", appId, {{"phone", std::string("081299990000")}});
    const auto before = snapshot(server);
    const auto seqBefore = server.store->lastSeq();

    std::string deep;
    for (int i = 0; i < 200; ++i)
        deep += "[";
    for (int i = 0; i < 200; ++i)
        deep += "]";
    std::string huge = api.pushBody("application", appId, {{"address", std::string(30000, 'x')}});
    std::string badUtf8 = api.pushBody("application", appId, {{"address", std::string("Jl. Mawar \xC3\x28 No. 1")}});
    std::string surrogate = api.pushBody("application", appId, {{"address", std::string("JALAN_MARK")}});
    surrogate.replace(surrogate.find("JALAN_MARK"), 10, "\\ud800x");
    std::string duplicated = good;
    duplicated.replace(duplicated.find("{\"") + 1, 0, "\"protocol\":1,");
    const std::string sqlKind = api.pushBody("application'; DROP TABLE fields; --", appId, {{"phone", std::string("0812")}});
    const std::string sqlField = api.pushBody("application", appId, {{"phone = 'x' --", std::string("0812")}});
    std::string wrongType = good;
    wrongType.replace(wrongType.find("\"protocol\":1"), 12, "\"protocol\":\"1\"");
    std::string wrongRecords = "{\"protocol\":1,\"schema\":1,\"device_id\":\"" + api.deviceId + "\",\"records\":{\"k\":1}}";
    std::string wrongRow = "{\"protocol\":1,\"schema\":1,\"device_id\":\"" + api.deviceId +
                           "\",\"records\":[{\"k\":\"application\",\"i\":\"" + appId + "\",\"c\":[[1,2,3,4,5,6]]}]}";
    std::string floatSeq = "{\"protocol\":1,\"schema\":1,\"device_id\":\"" + api.deviceId +
                           "\",\"records\":[{\"k\":\"application\",\"i\":\"" + appId +
                           "\",\"c\":[[1.5,\"phone\",\"0812\",\"1\",\"0\",-1]]}]}";
    const std::string notUuid = api.pushBody("application", "1 OR 1=1", {{"phone", std::string("0812")}});

    struct Case
    {
        const char* name;
        std::string body;
        int status;
        std::string encoding = "";
    };
    const std::vector<Case> cases = {
        {"empty body", "", 400},
        {"truncated JSON", good.substr(0, good.size() / 2), 400},
        {"not an object", "[1,2,3]", 400},
        {"deep nesting", "{\"a\":" + deep + "}", 400},
        {"duplicated keys", duplicated, 400},
        {"not gzip", "this is not gzip", 400, "gzip"},
        {"huge string", huge, 422},
        {"invalid UTF-8", badUtf8, 422},
        {"lone surrogate escape", surrogate, 422},
        {"wrong type of protocol", wrongType, 422},
        {"records not an array", wrongRecords, 422},
        {"change members of wrong types", wrongRow, 422},
        {"a fractional seq", floatSeq, 422},
        {"SQL in a kind", sqlKind, 422},
        {"SQL in a field name", sqlField, 422},
        {"an id that is not a UUID", notUuid, 422},
    };
    for (const auto& c : cases)
    {
        INFO(c.name);
        const Answer a = api.request("POST", "/v1/push", c.body, api.token, c.encoding);
        CHECK(a.status == c.status);
        CHECK_FALSE(a.errorCode().empty());
        CHECK(server.store->lastSeq() == seqBefore);
    }
    CHECK(snapshot(server) == before);

    SECTION("a body over the limit is 413")
    {
        // Refused on its Content-Length, before the body is read.
        const Answer a = api.request("POST", "/v1/push", "{}", api.token, "", 9 * 1024 * 1024);
        CHECK(a.status == 413);
        CHECK(a.errorCode() == "too_large");
        // A gzip bomb: 20 MiB of spaces in a few kilobytes.
        const Answer bomb = api.request("POST", "/v1/push", sync::gzip(std::string(20 * 1024 * 1024, ' '), 9), api.token, "gzip");
        CHECK(bomb.status == 413);
        CHECK(snapshot(server) == before);
    }
    SECTION("SQL metacharacters in a value are stored as text, nothing more")
    {
        const std::string evil = "'); DELETE FROM fields; --";
        const Answer a = api.push("application", appId, {{"address", evil}});
        CHECK(a.status == 200);
        CHECK(server.store->value(appId, "address") == evil);
        CHECK(snapshot(server).size() == before.size() + 1);
    }
    SECTION("hostile logins and pulls")
    {
        CHECK(api.request("POST", "/v1/login", "{\"user\":1,\"password\":\"x\",\"device_id\":\"y\"}").status == 422);
        CHECK(api.request("POST", "/v1/login", ApiClient::loginBody(std::string(500, 'u'), "x", api.deviceId)).status == 422);
        CHECK(api.request("GET", "/v1/pull?cursor=abc", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?cursor=-5", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?limit=0", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?applied=-1", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?shared=yes", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?shared=3", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?shared=22", "", api.token).status == 422);
        CHECK(api.request("GET", "/v1/pull?shared=2", "", api.token).status == 200);
        CHECK(api.request("GET", "/v1/nothing").status == 404);
        CHECK(api.request("GET", "/v1/push", "", api.token).status == 405);
    }
    // The server still serves.
    CHECK(api.request("GET", "/v1/health").status == 200);
}

TEST_CASE("Hardening: every answer's status line carries the reason phrase of its status",
          "[sync][hardening][regression]")
{
    // Error answers went out as "HTTP/1.1 404 OK".
    sync::SyncServerOptions options;
    options.loginFailures = 1;
    TestServer server(options);
    server.addUser("siti", "clerk", "32.75.09");
    const std::string device = model::newUuidV7();

    CHECK(rawStatusLine(server.port, "GET", "/v1/health") == "HTTP/1.1 200 OK");
    CHECK(rawStatusLine(server.port, "GET", "/v1/no-such-endpoint") == "HTTP/1.1 404 Not Found");
    CHECK(rawStatusLine(server.port, "GET", "/v1/pull?cursor=0") == "HTTP/1.1 401 Unauthorized");
    CHECK(rawStatusLine(server.port, "POST", "/v1/login", ApiClient::loginBody("siti", test::kPassword, "not-a-uuid")) ==
          "HTTP/1.1 422 Unprocessable Entity");
    CHECK(rawStatusLine(server.port, "POST", "/v1/login", ApiClient::loginBody("siti", "salah-sandi-999", device)) ==
          "HTTP/1.1 401 Unauthorized");
    CHECK(rawStatusLine(server.port, "POST", "/v1/login", ApiClient::loginBody("siti", "salah-sandi-999", device)) ==
          "HTTP/1.1 429 Too Many Requests");
}

TEST_CASE("Hardening: failed logins lock a user name, and one address's failures do not lock out its office",
          "[sync][hardening][regression]")
{
    // Five failed logins from one address used to lock every login from it
    // for 15 minutes: a whole kecamatan office behind one NAT address was
    // shut out by one person's typos.
    sync::SyncServerOptions options;
    options.loginAddressFailures = 20; // 100 by default; fewer make the test quicker
    TestServer server(options);
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "clerk", "32.75.09");
    server.addUser("rina", "clerk", "32.75.09");
    ApiClient siti(server);
    ApiClient budi(server);
    ApiClient rina(server);

    SECTION("five wrong passwords for one name: that name waits, even with the right password")
    {
        for (int i = 0; i < 5; ++i)
            CHECK(siti.enroll("siti", "salah-sandi-999") == 401);
        const Answer a = siti.request("POST", "/v1/enroll", ApiClient::loginBody("siti", test::kPassword, siti.deviceId));
        CHECK(a.status == 429);
        CHECK(a.errorCode() == "throttled");
        CHECK(std::atoi(a.retryAfter.c_str()) > 0);
        CHECK(std::atoi(a.retryAfter.c_str()) <= 15 * 60);
    }
    SECTION("another user from the same address logs in while that name waits")
    {
        for (int i = 0; i < 5; ++i)
            CHECK(siti.enroll("siti", "salah-sandi-999") == 401);
        CHECK(budi.enroll("budi") == 200);
        CHECK(siti.enroll("siti") == 429);
    }
    SECTION("a successful login clears the name's count")
    {
        for (int i = 0; i < 4; ++i)
            CHECK(siti.enroll("siti", "salah-sandi-999") == 401);
        CHECK(siti.enroll("siti") == 200);
        for (int i = 0; i < 4; ++i)
            CHECK(siti.enroll("siti", "salah-sandi-999") == 401);
        CHECK(siti.enroll("siti") == 200);
    }
    SECTION("spraying many names from one address: beyond the address's limit each failure locks its name")
    {
        ApiClient sprayer(server);
        for (int i = 0; i < options.loginAddressFailures; ++i)
            CHECK(sprayer.enroll("tamu" + std::to_string(i), "Musim-Hujan-2026") == 401);
        // Over the limit: the next wrong guess answers 429 and locks that name.
        const Answer a =
            sprayer.request("POST", "/v1/enroll", ApiClient::loginBody("rina", "Musim-Hujan-2026", sprayer.deviceId));
        CHECK(a.status == 429);
        CHECK(a.errorCode() == "throttled");
        CHECK(std::atoi(a.retryAfter.c_str()) == 15 * 60);
        CHECK(sprayer.enroll("tamu-lagi", "Musim-Hujan-2026") == 429);
        // rina is locked after that single guess, right password or not.
        CHECK(rina.enroll("rina") == 429);
        // A colleague whose name was not tried still logs in from the same address.
        CHECK(budi.enroll("budi") == 200);
    }
}

TEST_CASE("Hardening: requests beyond a device's rate are throttled", "[sync][hardening]")
{
    sync::SyncServerOptions options;
    options.requestsPerSecond = 0.5;
    options.requestBurst = 3;
    TestServer server(options);
    server.addUser("budi", "manager");
    ApiClient api(server);
    REQUIRE(api.enroll("budi") == 200);
    for (int i = 0; i < 3; ++i)
        CHECK(api.request("GET", "/v1/pull?cursor=0", "", api.token).status == 200);
    const Answer a = api.request("GET", "/v1/pull?cursor=0", "", api.token);
    CHECK(a.status == 429);
    CHECK(a.errorCode() == "throttled");
    CHECK_FALSE(a.retryAfter.empty());
}

TEST_CASE("Hardening: expired, forged, tampered and revoked tokens", "[sync][hardening]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("admin1", "admin");
    ApiClient api(server);
    REQUIRE(api.enroll("siti") == 200);
    const auto pull = [&](const std::string& token) { return api.request("GET", "/v1/pull?cursor=0", "", token); };
    REQUIRE(pull(api.token).status == 200);

    SECTION("forged: signed with another key")
    {
        Poco::JWT::Token t;
        t.setSubject("admin1");
        t.payload().set("dev", api.deviceId);
        t.setExpiration(Poco::Timestamp() + 3600 * Poco::Timestamp::resolution());
        Poco::JWT::Signer signer("not-the-server-secret");
        const Answer a = pull(signer.sign(t, Poco::JWT::Signer::ALGO_HS256));
        CHECK(a.status == 401);
        CHECK(a.errorCode() == "unauthorized");
    }
    SECTION("tampered: another user in a token signed for siti")
    {
        const auto dot1 = api.token.find('.');
        const auto dot2 = api.token.find('.', dot1 + 1);
        const std::string payload = "{\"sub\":\"admin1\",\"dev\":\"" + api.deviceId + "\",\"exp\":4102444800}";
        const std::string forged = api.token.substr(0, dot1) + "." + base64Url(payload) + api.token.substr(dot2);
        CHECK(pull(forged).status == 401);
    }
    SECTION("alg none")
    {
        const std::string none = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                                 base64Url("{\"sub\":\"siti\",\"dev\":\"" + api.deviceId + "\",\"exp\":4102444800}") + ".";
        CHECK(pull(none).status == 401);
    }
    SECTION("garbage")
    {
        CHECK(pull("abc.def.ghi").status == 401);
        CHECK(pull(std::string(5000, 'A')).status == 401);
    }
    SECTION("expired")
    {
        sync::SyncServerOptions options;
        options.tokenSeconds = -10;
        server.http->stop();
        server.http = std::make_unique<sync::SyncServer>(*server.store, [&] {
            options.port = server.port;
            options.threads = 4;
            options.plainHttp = true;
            return options;
        }());
        server.http->start();
        ApiClient late(server);
        REQUIRE(late.enroll("siti") == 200);
        const Answer a = pull(late.token);
        CHECK(a.status == 401);
        CHECK(a.errorCode() == "token_expired");
    }
    SECTION("revoked device: refused at its next request")
    {
        server.store->revokeDevice(api.deviceId);
        const Answer a = pull(api.token);
        CHECK(a.status == 403);
        CHECK(a.errorCode() == "forbidden");
        CHECK(api.request("POST", "/v1/login", ApiClient::loginBody("siti", test::kPassword, api.deviceId)).status == 403);
    }
    SECTION("disabled user: refused at the next request")
    {
        server.store->setUserDisabled("siti", true);
        CHECK(pull(api.token).status == 403);
    }
    SECTION("a token of one device does not serve another")
    {
        ApiClient other(server);
        REQUIRE(other.enroll("siti") == 200);
        const std::string body = other.pushBody("application", model::newUuidV7(), {{"phone", std::string("0812")}});
        CHECK(api.request("POST", "/v1/push", body, api.token).status == 422);
    }
}

TEST_CASE("Hardening: no password appears in the server's database or logs", "[sync][hardening]")
{
    std::ostringstream logged;
    Poco::AutoPtr<Poco::StreamChannel> channel = new Poco::StreamChannel(logged);
    auto& logger = Poco::Logger::get("berkas.server");
    Poco::AutoPtr<Poco::Channel> previous(logger.getChannel(), true);
    const int level = logger.getLevel();
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_TRACE);
    const std::string wrong = "tebakan-salah-42";
    std::string dbPath;
    {
        TestServer server;
        dbPath = server.dir.file("server.db");
        server.addUser("siti", "clerk", "32.75.09");
        Laptop laptop(server, "siti");
        laptop.newApplication();
        laptop.sync();
        ApiClient api(server);
        CHECK(api.enroll("siti", wrong) == 401);
        CHECK(api.request("POST", "/v1/enroll", "{\"user\":\"siti\",\"password\":\"" + wrong + "\"").status == 400);
        CHECK(laptop.client->login("siti", test::kPassword));
        const std::string db = fileText(dbPath) + fileText(dbPath + "-wal");
        CHECK(db.find(test::kPassword) == std::string::npos);
        CHECK(db.find(wrong) == std::string::npos);
        CHECK(db.find(laptop.store->setting("token")) == std::string::npos);
        const std::string laptopDb = fileText(model::CaseStore::databasePath(laptop.dir.path)) +
                                     fileText(model::CaseStore::databasePath(laptop.dir.path) + "-wal");
        CHECK(laptopDb.find(test::kPassword) == std::string::npos);
    }
    logger.setChannel(previous);
    logger.setLevel(level);
    CHECK(logged.str().find("failed login") != std::string::npos);
    CHECK(logged.str().find(test::kPassword) == std::string::npos);
    CHECK(logged.str().find(wrong) == std::string::npos);
}

TEST_CASE("Hardening: password policy", "[sync][hardening]")
{
    using sync::Passwords;
    CHECK_FALSE(Passwords::policyProblem("pendek", "siti").empty());
    CHECK_FALSE(Passwords::policyProblem("siti-punya-sandi", "siti").empty());
    CHECK_FALSE(Passwords::policyProblem("SITI-punya-sandi", "siti").empty());
    CHECK_FALSE(Passwords::policyProblem("1234567890", "siti").empty());
    CHECK_FALSE(Passwords::policyProblem("Password123", "siti").empty());
    CHECK_FALSE(Passwords::policyProblem("aaaaaaaaaaaa", "siti").empty());
    CHECK(Passwords::policyProblem("kuda-makan-rumput-hijau", "siti").empty());
    CHECK(Passwords::kDefaultIterations == 600000u);
}

TEST_CASE("Hardening: more keep-alive clients than server threads all get every answer", "[sync][hardening]")
{
    sync::SyncServerOptions options;
    options.threads = 4;
    options.queue = 64;
    TestServer server(options);
    constexpr int kClients = 24;
    constexpr int kRequests = 5;
    std::atomic<int> answered{0};
    std::vector<int> perClient(kClients, 0);
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c)
        threads.emplace_back([&, c] {
            try
            {
                Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port));
                session.setKeepAlive(true);
                session.setTimeout(Poco::Timespan(60, 0));
                for (int r = 0; r < kRequests; ++r)
                {
                    Poco::Net::HTTPRequest req("GET", "/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
                    req.setKeepAlive(true);
                    session.sendRequest(req);
                    Poco::Net::HTTPResponse res;
                    std::string body;
                    Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
                    if (res.getStatus() == 200 && body.find("\"ok\"") != std::string::npos)
                    {
                        ++perClient[static_cast<std::size_t>(c)];
                        ++answered;
                    }
                }
            }
            catch (...)
            {
            }
        });
    for (auto& t : threads)
        t.join();
    for (int c = 0; c < kClients; ++c)
    {
        INFO("client " << c);
        CHECK(perClient[static_cast<std::size_t>(c)] == kRequests);
    }
    CHECK(answered == kClients * kRequests);
}

TEST_CASE("Hardening: the schema a push names is the record schema, which an index-only migration leaves",
          "[sync][hardening]")
{
    TestServer server;
    server.addUser("budi", "manager");
    Laptop laptop(server, "budi");
    const std::string appId = laptop.newApplication();
    laptop.sync();
    ApiClient api(server);
    REQUIRE(api.enroll("budi") == 200);
    // The laptop's database is at the newest migration; what it names on the
    // wire is older whenever the newest migrations changed indexes only.
    CHECK(model::Migrations::recordSchema() <= model::Migrations::latest());
    const auto named = [&](int schema) {
        std::string body = api.pushBody("application", appId, {{"phone", std::string("081299990001")}});
        const std::string one = "\"schema\":1";
        const auto at = body.find(one);
        REQUIRE(at != std::string::npos);
        body.replace(at, one.size(), "\"schema\":" + std::to_string(schema));
        return api.request("POST", "/v1/push", body, api.token);
    };
    CHECK(named(model::Migrations::recordSchema()).status == 200);
    const Answer newer = named(model::Migrations::recordSchema() + 1);
    CHECK(newer.status == 422);
    CHECK(newer.body.find("unsupported_schema") != std::string::npos);
}

namespace {

/// Asks /v1/health on @p session, keeping the connection alive when the
/// server lets it; whether the server said it would keep it.
bool askHealth(Poco::Net::HTTPClientSession& session)
{
    Poco::Net::HTTPRequest req("GET", "/v1/health", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    session.sendRequest(req);
    Poco::Net::HTTPResponse res;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
    REQUIRE(res.getStatus() == 200);
    return res.getKeepAlive();
}

} // namespace

TEST_CASE("Hardening: a trusted proxy's idle connections do not hold the server's threads", "[sync][hardening][proxy]")
{
    // A balancer keeps its connections to a backend open between requests
    // (nginx's upstream keepalive); Poco's server holds a worker thread on
    // each until it closes or stays idle keepAliveSeconds. As many idle
    // connections as threads (TestServer runs 4), then one more asker.
    sync::SyncServerOptions options;
    options.keepAliveSeconds = 5;
    const bool behindProxy = GENERATE(true, false);
    if (behindProxy)
        options.trustedProxies = {"127.0.0.1"};
    TestServer server(options);
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle;
    for (int i = 0; i < 4; ++i)
    {
        idle.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(server.port)));
        idle.back()->setKeepAlive(true);
        idle.back()->setTimeout(Poco::Timespan(30, 0));
        INFO("idle connection " << i << (behindProxy ? " from the trusted proxy" : " from a laptop"));
        // From the proxy each answer closes its connection; a laptop keeps
        // its own for the requests of one sync.
        CHECK(askHealth(*idle.back()) == !behindProxy);
    }
    Poco::Net::HTTPClientSession next("127.0.0.1", static_cast<Poco::UInt16>(server.port));
    next.setTimeout(Poco::Timespan(30, 0));
    const auto start = std::chrono::steady_clock::now();
    askHealth(next);
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("the fifth connection waited " << waited << " s");
    if (behindProxy)
        CHECK(waited < 2.0);
    else
        CHECK(waited > 3.0); // until an idle laptop connection timed out: why the proxy's are closed
}
