#include "tests/sync/SyncFixture.h"
#include "tests/support/ChildProcess.h"

#include "model/Database.h"
#include "model/KeyRing.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

using namespace berkas;

namespace {

using Result = test::ProcessResult;

Result run(const std::string& binary, const std::vector<std::string>& args, const std::string& input = "")
{
    return test::runProcess(binary, args, input);
}

/// A real berkas-server process on a free port.
struct ServerProcess
{
    std::string data;
    std::unique_ptr<Poco::ProcessHandle> handle;
    std::unique_ptr<Poco::Pipe> out;
    int port = 0;

    explicit ServerProcess(std::string dir) : data(std::move(dir))
    {
        std::ofstream(data + "/test.properties") << "auth.pbkdf2_iterations=1000\n";
    }
    ~ServerProcess() { kill(); }

    void start()
    {
        out = std::make_unique<Poco::Pipe>();
        handle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
            BERKAS_SERVER_BINARY, {"--data=" + data, "--port=" + std::to_string(port), "--plain-http"}, nullptr, out.get(), nullptr));
        Poco::PipeInputStream stream(*out);
        std::string line;
        std::getline(stream, line); // "listening on 127.0.0.1:PORT"
        REQUIRE(line.rfind("listening on ", 0) == 0);
        port = std::stoi(line.substr(line.rfind(':') + 1));
    }
    void kill()
    {
        if (handle)
        {
            Poco::Process::kill(*handle); // SIGKILL: no clean shutdown
            handle->wait();
            handle.reset();
        }
    }
    void addUser(const std::string& name)
    {
        const auto r = run(BERKAS_SERVER_BINARY,
                           {"--data=" + data, "--config=" + data + "/test.properties", "user", "add", name, "--role=manager"},
                           std::string(test::kPassword) + "\n");
        REQUIRE(r.code == 0);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

Result runBerkas(const std::string& data, std::vector<std::string> args, const std::string& input = "")
{
    args.insert(args.begin(), "--data=" + data);
    return run(BERKAS_BINARY, args, input);
}

/// The data key of an enrolled (so encrypted) laptop folder @p data, or ""
/// for a folder without a key ring (the server's).
std::string keyOf(const std::string& data, const std::string& user)
{
    model::KeyRing ring(data);
    return ring.exists() ? ring.unlock(user, test::kPassword) : std::string();
}

void checkIntegrity(const std::string& dbPath, const std::string& key = "")
{
    model::Database db(dbPath, key, true);
    model::Statement s(db, "PRAGMA integrity_check");
    REQUIRE(s.step());
    CHECK(s.text(0) == "ok");
}

/// Syncs until it succeeds (the server may still be starting).
void syncUntilDone(const std::string& data)
{
    for (int attempt = 0; attempt < 5; ++attempt)
    {
        const auto r = runBerkas(data, {"sync"});
        if (r.code == 0)
            return;
        UNSCOPED_INFO("sync failed: " << r.err);
    }
    FAIL("sync did not succeed");
}

std::string listAll(const std::string& data, const std::string& kind)
{
    const auto r = runBerkas(data, {"list", kind, "--json"});
    REQUIRE(r.code == 0);
    // updated_at is when the row changed on that laptop, not replicated.
    return std::regex_replace(r.out, std::regex("\"updated_at\":\"[^\"]*\""), "");
}

} // namespace

TEST_CASE("Sync: kill -9 of the server during a push and of a laptop during a pull lose nothing", "[sync][crash]")
{
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    test::TempDir dir;
    const std::string serverData = dir.file("server");
    const std::string a = dir.file("a");
    const std::string b = dir.file("b");
    Poco::File(serverData).createDirectories();
    ServerProcess server(serverData);
    server.addUser("ani");
    server.addUser("budi");
    server.start();
    // Enrolment encrypts both laptops; the commands after it unlock as a
    // script does (ani and budi share the test password).
    ::setenv("BERKAS_PASSWORD", test::kPassword, 1);
    REQUIRE(runBerkas(a, {"enroll", "--server=" + server.url(), "--user=ani"}, std::string(test::kPassword) + "\n").code == 0);
    REQUIRE(runBerkas(b, {"enroll", "--server=" + server.url(), "--user=budi"}, std::string(test::kPassword) + "\n").code == 0);
    REQUIRE(runBerkas(a, {"demo", "--applications=1500"}).code == 0);

    SECTION("server killed while a push is in flight")
    {
        Poco::Pipe out;
        auto sync = Poco::Process::launch(BERKAS_BINARY, {"--data=" + a, "sync"}, nullptr, &out, &out);
        Poco::Thread::sleep(static_cast<long>(50 + rng() % 400));
        server.kill();
        sync.wait();
        {
            model::Database db(a + "/berkas.db", keyOf(a, "ani"), true);
            model::Statement left(db, "SELECT count(*) FROM outbox");
            left.step();
            // For the record: how far the push got before the kill.
            std::cout << "crash test (seed " << seed << "): " << left.integer(0) << " changes still in the outbox after the server was killed\n";
        }
        checkIntegrity(serverData + "/server.db");
        server.start();
        syncUntilDone(a);
        syncUntilDone(b);
        syncUntilDone(a);
        checkIntegrity(serverData + "/server.db");
        checkIntegrity(a + "/berkas.db", keyOf(a, "ani"));
        CHECK(listAll(a, "application") == listAll(b, "application"));
        CHECK(listAll(a, "requirement") == listAll(b, "requirement"));
        CHECK(listAll(a, "complaint") == listAll(b, "complaint"));
    }
    SECTION("laptop killed while it pulls")
    {
        syncUntilDone(a);
        auto sync = Poco::Process::launch(BERKAS_BINARY, {"--data=" + b, "sync"}, nullptr, nullptr, nullptr);
        Poco::Thread::sleep(static_cast<long>(50 + rng() % 300));
        Poco::Process::kill(sync);
        sync.wait();
        {
            model::Database db(b + "/berkas.db", keyOf(b, "budi"), true);
            model::Statement cursor(db, "SELECT value FROM meta WHERE key = 'cursor'");
            std::cout << "crash test (seed " << seed << "): laptop killed at cursor " << (cursor.step() ? cursor.text(0) : "0") << "\n";
        }
        checkIntegrity(b + "/berkas.db", keyOf(b, "budi"));
        syncUntilDone(b);
        checkIntegrity(b + "/berkas.db", keyOf(b, "budi"));
        CHECK(listAll(a, "application") == listAll(b, "application"));
        CHECK(listAll(a, "requirement") == listAll(b, "requirement"));
        CHECK(listAll(a, "task") == listAll(b, "task"));
    }
}

TEST_CASE("Server: a bad limit in the configuration file is refused by its name", "[sync][server]")
{
    test::TempDir dir;
    std::ofstream(dir.path + "/bad.properties") << "limits.kept_scopes=-1\n";
    const auto r = run(BERKAS_SERVER_BINARY, {"--data=" + dir.path, "--config=" + dir.path + "/bad.properties", "--port=0", "--plain-http"});
    CHECK(r.code == 1);
    CHECK(r.err == "limits.kept_scopes: must be 0 or more\n");
    CHECK(r.out.find("listening") == std::string::npos);
}

/// Runs berkas-server with @p args, expecting it to refuse to start. When it
/// serves instead ("listening on" on stdout) it is stopped, and the result
/// has code -1 and that line, so such a test fails instead of hanging.
Result refusedStart(const std::vector<std::string>& args)
{
    Poco::Pipe out, err;
    Poco::ProcessHandle h = Poco::Process::launch(BERKAS_SERVER_BINARY, args, nullptr, &out, &err);
    Result r;
    std::thread errors([&] {
        Poco::PipeInputStream fromErr(err);
        Poco::StreamCopier::copyToString(fromErr, r.err);
    });
    Poco::PipeInputStream fromOut(out);
    std::string line;
    bool serving = false;
    while (std::getline(fromOut, line))
    {
        r.out += line + "\n";
        if (line.rfind("listening on ", 0) == 0)
        {
            serving = true;
            Poco::Process::kill(h);
            break;
        }
    }
    const int code = h.wait();
    errors.join();
    r.code = serving ? -1 : code;
    return r;
}

TEST_CASE("Server: serves plain HTTP only when asked with --plain-http", "[sync][server][tls]")
{
    test::TempDir dir;
    SECTION("without TLS files or --plain-http it does not start, and says which options to give")
    {
        const auto r = refusedStart({"--data=" + dir.path, "--port=0"});
        CHECK(r.code == 1);
        CHECK(r.err == "tls: give --tls-cert and --tls-key, or --plain-http to serve without TLS\n");
        CHECK(r.out.find("listening") == std::string::npos);
    }
    SECTION("--plain-http together with a TLS option is wrong usage")
    {
        const std::string cert = dir.file("cert.pem");
        std::ofstream(cert) << "not read\n";
        for (const auto& tls : std::vector<std::vector<std::string>>{
                 {"--tls-cert=" + cert, "--tls-key=" + cert}, {"--tls-cert=" + cert}, {"--tls-key=" + cert}})
        {
            std::vector<std::string> args = {"--data=" + dir.path, "--port=0", "--plain-http"};
            args.insert(args.end(), tls.begin(), tls.end());
            const auto r = refusedStart(args);
            INFO(r.err);
            CHECK((r.code == 1 || r.code == 2));
            CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
            CHECK(r.err.find("--plain-http") != std::string::npos);
            CHECK(r.out.find("listening") == std::string::npos);
        }
    }
    SECTION("with --plain-http it serves HTTP")
    {
        ServerProcess server(dir.path);
        server.start(); // with --plain-http
        server.addUser("budi");
        test::TempDir laptop;
        const auto r = runBerkas(laptop.path, {"enroll", "--server=" + server.url(), "--user=budi"},
                                 std::string(test::kPassword) + "\n");
        INFO(r.err);
        CHECK(r.code == 0);
    }
    SECTION("--help lists it")
    {
        const auto r = run(BERKAS_SERVER_BINARY, {"--help"});
        CHECK(r.code == 0);
        CHECK(r.out.find("--plain-http") != std::string::npos);
    }
}
