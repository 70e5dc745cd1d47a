#include "tests/sync/SyncFixture.h"

#include "model/AttachmentFiles.h"
#include "model/Error.h"

#include <Poco/Net/NetworkInterface.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <random>

using namespace berkas;
using test::Laptop;
using test::TempDir;
using test::TestServer;

namespace {

struct Run
{
    int code = 0;
    std::string out;
};

/// Runs a program to completion; its stdout and stderr together.
Run run(const std::string& program, const std::vector<std::string>& args, const std::string& input = "")
{
    Poco::Pipe in, out;
    Poco::ProcessHandle h = Poco::Process::launch(program, args, &in, &out, &out);
    Poco::PipeOutputStream toChild(in);
    toChild << input;
    toChild.close();
    Run r;
    Poco::PipeInputStream fromChild(out);
    Poco::StreamCopier::copyToString(fromChild, r.out);
    r.code = h.wait();
    return r;
}

void openssl(const std::vector<std::string>& args)
{
    const auto r = run("/usr/bin/openssl", args);
    INFO("openssl " << args.front() << ": " << r.out);
    REQUIRE(r.code == 0);
}

/// A throwaway certificate authority made with the openssl command line
/// (Poco::Crypto cannot issue certificates): a self-signed P-256 root, and
/// server certificates it signs for the names given.
struct TestCa
{
    const TempDir& dir;
    std::string name;
    std::string cert;
    std::string key;

    TestCa(const TempDir& d, std::string n) : dir(d), name(std::move(n)), cert(d.file(name + ".pem")), key(d.file(name + ".key"))
    {
        openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                 "-out", cert, "-days", "2", "-subj", "/CN=Berkas test CA " + name});
    }

    /// Issues a server certificate with @p subjectAltName (e.g.
    /// "IP:127.0.0.1,DNS:localhost"); returns {certificate, key}.
    std::pair<std::string, std::string> issue(const std::string& file, const std::string& subjectAltName) const
    {
        const std::string serverKey = dir.file(file + ".key");
        const std::string csr = dir.file(file + ".csr");
        const std::string serverCert = dir.file(file + ".pem");
        const std::string ext = dir.file(file + ".ext");
        std::ofstream(ext) << "subjectAltName=" << subjectAltName << "\nbasicConstraints=CA:FALSE\n"
                           << "extendedKeyUsage=serverAuth\n";
        openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", serverKey,
                 "-out", csr, "-subj", "/CN=" + file});
        openssl({"x509", "-req", "-in", csr, "-CA", cert, "-CAkey", key, "-CAcreateserial", "-out", serverCert, "-days",
                 "2", "-extfile", ext});
        return {serverCert, serverKey};
    }
};

/// Restarts @p server as HTTPS with the given certificate and key.
void serveTls(TestServer& server, const std::pair<std::string, std::string>& certAndKey)
{
    server.stop();
    server.options.tlsCert = certAndKey.first;
    server.options.tlsKey = certAndKey.second;
    server.start();
}

std::string httpsUrl(const std::string& host, const TestServer& server)
{
    return "https://" + host + ":" + std::to_string(server.port);
}

/// A laptop not yet enrolled that trusts @p caFile (empty: the system store).
std::unique_ptr<Laptop> laptopTrusting(TestServer& server, const std::string& caFile)
{
    auto laptop = std::make_unique<Laptop>(server, "", false);
    laptop->options.caFile = caFile;
    laptop->open();
    return laptop;
}

} // namespace

TEST_CASE("TLS: a laptop that trusts the office CA syncs over HTTPS by IP address and by host name", "[sync][tls]")
{
    TempDir pki;
    const TestCa ca(pki, "office");
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    serveTls(server, ca.issue("server", "IP:127.0.0.1,DNS:localhost"));

    auto a = laptopTrusting(server, ca.cert);
    a->client->enroll(httpsUrl("127.0.0.1", server), "siti", test::kPassword);
    auto b = laptopTrusting(server, ca.cert);
    b->client->enroll(httpsUrl("localhost", server), "budi", test::kPassword);
    CHECK_FALSE(a->client->plainHttp());
    CHECK_FALSE(a->client->plainHttpOverNetwork());

    const std::string id = a->newApplication();
    CHECK(a->sync().pushed > 0);
    CHECK(a->store->outboxSize() == 0);
    b->sync();
    REQUIRE(b->store->find(id));
    CHECK(b->store->get(id).value("nik") == "3275094107900001");

    SECTION("attachment files of several chunks go up and down over HTTPS whole")
    {
        // Chunk bodies are read from the TLS socket past Poco's body stream
        // (FileEndpoints.cpp): two files of three chunks each, so a second
        // request follows on the same connection.
        std::vector<std::pair<std::string, std::string>> sent; // attachment id, SHA-256
        for (unsigned seed : {1u, 2u})
        {
            std::mt19937 rng(seed);
            std::string bytes(20 * 1000 * 1000 + seed, '\0');
            for (auto& c : bytes)
                c = static_cast<char>(rng());
            const std::string path = a->dir.file("rekaman-" + std::to_string(seed) + ".bin");
            std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            sent.emplace_back(model::addAttachment(*a->store, id, path), model::sha256OfFile(path));
        }
        const auto up = a->sync();
        CHECK(up.filesSent == 2);
        CHECK(up.filesWaiting == 0);
        const auto down = b->sync();
        CHECK(down.filesFetched == 2);
        for (const auto& [attachment, sha] : sent)
        {
            const std::string out = b->dir.file(attachment + ".out");
            model::extractAttachment(*b->store, attachment, out);
            CHECK(model::sha256OfFile(out) == sha);
        }
    }
    SECTION("the CA file is kept at enrollment, so a reopened laptop still verifies")
    {
        b->options.caFile.clear();
        b->open();
        b->store->update(id, {{"address", "Jl. Kenanga No. 3"}});
        CHECK(b->sync().pushed > 0);
        CHECK(server.store->value(id, "address") == std::optional<std::string>("Jl. Kenanga No. 3"));
    }
    SECTION("a failed certificate check is rejected by Poco's SSLManager, never asked on the console")
    {
        auto handler = Poco::Net::SSLManager::instance().clientCertificateHandler();
        CHECK(dynamic_cast<Poco::Net::RejectCertificateHandler*>(handler.get()) != nullptr);
    }
}

TEST_CASE("TLS: a server whose certificate does not verify is refused with a clear message and nothing changes",
          "[sync][tls]")
{
    TempDir pki;
    const TestCa office(pki, "office");
    const TestCa stranger(pki, "stranger");
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");

    SECTION("signed by a CA the laptop does not trust")
    {
        serveTls(server, stranger.issue("server", "IP:127.0.0.1,DNS:localhost"));
        const std::int64_t before = server.store->lastSeq();
        auto a = laptopTrusting(server, office.cert);
        CHECK_THROWS_WITH(a->client->enroll(httpsUrl("127.0.0.1", server), "siti", test::kPassword),
                          Catch::Contains("is not trusted") && Catch::Contains("--ca-file"));
        CHECK_FALSE(a->client->enrolled());
        CHECK(a->store->setting("token").empty());
        CHECK(server.store->lastSeq() == before);
    }
    SECTION("signed by a private CA while the laptop trusts only the system store")
    {
        serveTls(server, office.issue("server", "IP:127.0.0.1,DNS:localhost"));
        auto a = laptopTrusting(server, "");
        CHECK_THROWS_WITH(a->client->enroll(httpsUrl("localhost", server), "siti", test::kPassword),
                          Catch::Contains("is not trusted"));
        CHECK_FALSE(a->client->enrolled());
    }
    SECTION("issued for another host name")
    {
        serveTls(server, office.issue("other", "DNS:other.example"));
        auto a = laptopTrusting(server, office.cert);
        CHECK_THROWS_WITH(a->client->enroll(httpsUrl("127.0.0.1", server), "siti", test::kPassword),
                          Catch::Contains("is not trusted"));
        CHECK_FALSE(a->client->enrolled());
    }
    SECTION("the server's certificate changes after enrollment: sync is refused and the outbox kept")
    {
        serveTls(server, office.issue("server", "IP:127.0.0.1,DNS:localhost"));
        auto a = laptopTrusting(server, office.cert);
        a->client->enroll(httpsUrl("127.0.0.1", server), "siti", test::kPassword);
        const std::string id = a->newApplication();
        const std::int64_t outbox = a->store->outboxSize();
        serveTls(server, stranger.issue("impostor", "IP:127.0.0.1,DNS:localhost"));
        const std::int64_t before = server.store->lastSeq();
        CHECK_THROWS_WITH(a->sync(), Catch::Contains("is not trusted"));
        CHECK(a->store->outboxSize() == outbox);
        CHECK(server.store->lastSeq() == before);
        CHECK_FALSE(server.store->value(id, "nik"));
    }
}

TEST_CASE("TLS: plain HTTP is remembered and warned about when it leaves this computer", "[sync][tls]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.stop();
    server.options.bind = "0.0.0.0";
    server.start();

    Laptop a(server, "siti");
    CHECK(a.client->plainHttp());
    CHECK_FALSE(a.client->plainHttpOverNetwork()); // 127.0.0.1
    CHECK(a.store->setting("plain_http") == "1");

    std::string lanAddress;
    for (const auto& nic : Poco::Net::NetworkInterface::list())
        if (nic.supportsIPv4() && !nic.address().isLoopback() && nic.isUp())
            lanAddress = nic.address().toString();
    if (lanAddress.empty())
    {
        WARN("no non-loopback IPv4 address here; the warning is not exercised");
        return;
    }
    a.store->setSetting("server_url", "http://" + lanAddress + ":" + std::to_string(server.port));
    CHECK(a.client->plainHttpOverNetwork());
    a.newApplication();
    const std::string data = a.dir.path;
    a.client.reset();
    a.store.reset();
    const auto r = run(BERKAS_BINARY, {"--data=" + data, "sync"});
    INFO(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.find("warning: syncing over plain HTTP") != std::string::npos);
}

TEST_CASE("TLS: after enrolling and syncing over HTTPS, no file of the server or the laptop holds the password",
          "[sync][tls][secrets]")
{
    TempDir pki;
    const TestCa ca(pki, "office");
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    serveTls(server, ca.issue("server", "IP:127.0.0.1,DNS:localhost"));
    auto a = laptopTrusting(server, ca.cert);
    a->client->enroll(httpsUrl("127.0.0.1", server), "siti", test::kPassword);
    a->newApplication();
    a->sync();
    a->client->login("siti", test::kPassword);

    std::vector<std::string> files;
    for (const auto& folder : {server.dir.path, a->dir.path})
    {
        std::vector<std::string> stack{folder};
        while (!stack.empty())
        {
            Poco::File f(stack.back());
            stack.pop_back();
            if (f.isDirectory())
            {
                std::vector<std::string> children;
                f.list(children);
                for (const auto& c : children)
                    stack.push_back(Poco::Path(f.path()).append(c).toString());
            }
            else
                files.push_back(f.path());
        }
    }
    CHECK(files.size() >= 2);
    for (const auto& file : files)
    {
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO(file);
        CHECK(bytes.find(test::kPassword) == std::string::npos);
    }
}
