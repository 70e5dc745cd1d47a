// Attachment files through a real server on 127.0.0.1 (sync/PROTOCOL.md,
// "Files"): two laptops and one out of scope, chunks damaged on the way,
// transfers cut off at random points and resumed, the office's size limit.

#include "model/AttachmentFiles.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "sync/server/FileVault.h"
#include "tests/support/TestPhotos.h"
#include "tests/sync/SyncFixture.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <utility>
#include <vector>

using namespace berkas;

namespace {

std::string randomFile(const std::string& path, std::size_t bytes, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string s(bytes, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng() & 0xFF);
    test::writeFile(path, s);
    return model::sha256OfFile(path);
}

/// A verifier's task under a manager's application, made on the manager's laptop.
std::string newTask(test::Laptop& manager, const std::string& verifier)
{
    const std::string app = manager.newApplication("Rini Hapsari");
    return manager.store->create("task",
                                 {{"application_id", app}, {"assigned_to", verifier}, {"scheduled_for", "2026-12-10"}});
}

struct Office
{
    test::TestServer server;
    Office()
    {
        server.addUser("kepala", "manager");
        server.addUser("vera", "verifier");
        server.addUser("vino", "verifier");
        server.addUser("siti", "clerk", "32.71.01"); // another kecamatan
    }
};

} // namespace

TEST_CASE("FileTransfer: a photo attached on one laptop reaches a laptop in scope byte-identical, and no other",
          "[sync][files]")
{
    Office office;
    test::Laptop manager(office.server, "kepala");
    test::Laptop vera(office.server, "vera");
    test::Laptop vino(office.server, "vino");
    test::Laptop siti(office.server, "siti");

    const std::string task = newTask(manager, "vera");
    const std::string photo = manager.dir.file("tampak-depan.jpg");
    test::writeFile(photo, test::photoJpeg({-6.3015, 106.9512, "2026:12:03 09:41:05", "+07:00"}));
    const std::string sha = model::sha256OfFile(photo);
    const std::string id = model::attachFile(*manager.store, task, photo, {0, true}).id;

    const auto sent = manager.sync();
    CHECK(sent.filesSent == 1);
    CHECK(sent.filesWaiting == 0);
    CHECK(model::sha256OfFile(sync::FileVault(office.server.options.fileDir).completePath(sha)) == sha);

    SECTION("the verifier's laptop fetches it and extracts the same bytes")
    {
        const auto got = vera.sync();
        CHECK(got.filesFetched == 1);
        const std::string out = vera.dir.file("keluar.jpg");
        model::extractAttachment(*vera.store, id, out);
        CHECK(model::sha256OfFile(out) == sha);
        CHECK(vera.store->get(id).value("latitude") == manager.store->get(id).value("latitude"));
        CHECK(vera.sync().filesFetched == 0); // once is enough
    }
    SECTION("a second sync of the sender sends nothing again")
    {
        const auto again = manager.sync();
        CHECK(again.filesSent == 0);
        CHECK(again.filesWaiting == 0);
    }
    SECTION("laptops out of scope never get the record or the file")
    {
        vino.sync();
        siti.sync();
        CHECK_FALSE(vino.store->find(id));
        CHECK_FALSE(siti.store->find(id));
        CHECK_FALSE(model::hasAttachmentFile(vino.dir.path, sha));
        CHECK_FALSE(model::hasAttachmentFile(siti.dir.path, sha));

        // Asked directly with vino's own token, the server does not know the file.
        Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(office.server.port));
        for (const std::string& path : {"/v1/files/" + sha, "/v1/files/" + sha + "/data?offset=0"})
        {
            Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
            request.set("Authorization", "Bearer " + vino.store->setting("token"));
            s.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(s.receiveResponse(response), body);
            CHECK(response.getStatus() == 404);
            CHECK(body.find("not_found") != std::string::npos);
        }
    }
}

TEST_CASE("FileTransfer: a damaged chunk is detected and sent or fetched again", "[sync][files]")
{
    Office office;
    test::Laptop manager(office.server, "kepala");
    test::Laptop vera(office.server, "vera");
    manager.options.fileChunk = model::kFileChunk;
    vera.options.fileChunk = model::kFileChunk;
    int damagedUp = 0;
    int damagedDown = 0;
    manager.options.onFileChunk = [&](bool upload, std::int64_t offset, std::string& bytes) {
        if (upload && offset == static_cast<std::int64_t>(model::kFileChunk) && damagedUp++ < 2)
            bytes[100] = static_cast<char>(bytes[100] ^ 0x40);
    };
    vera.options.onFileChunk = [&](bool upload, std::int64_t offset, std::string& bytes) {
        if (!upload && offset == 2 * static_cast<std::int64_t>(model::kFileChunk) && damagedDown++ < 1)
            bytes[7] = static_cast<char>(bytes[7] ^ 0x01);
    };
    manager.open();
    vera.open();

    const std::string task = newTask(manager, "vera");
    const std::string file = manager.dir.file("rekaman.bin");
    const std::string sha = randomFile(file, 3 * model::kFileChunk + 5000, 11);
    const std::string id = model::attachFile(*manager.store, task, file).id;

    CHECK(manager.sync().filesSent == 1);
    CHECK(damagedUp == 3); // twice damaged and refused, the third time whole
    CHECK(vera.sync().filesFetched == 1);
    CHECK(damagedDown == 2);
    const std::string out = vera.dir.file("keluar.bin");
    model::extractAttachment(*vera.store, id, out);
    CHECK(model::sha256OfFile(out) == sha);
}

TEST_CASE("FileTransfer: a photo in one chunk damaged on the way is sent or fetched again, hashed once a side",
          "[sync][files]")
{
    Office office;
    test::Laptop manager(office.server, "kepala");
    test::Laptop vera(office.server, "vera");
    int damagedUp = 0;
    int damagedDown = 0;
    std::int64_t chunkBytes = 0;
    manager.options.onFileChunk = [&](bool upload, std::int64_t, std::string& bytes) {
        chunkBytes = static_cast<std::int64_t>(bytes.size());
        if (upload && damagedUp++ < 2)
            bytes[4000] = static_cast<char>(bytes[4000] ^ 0x10);
    };
    vera.options.onFileChunk = [&](bool upload, std::int64_t, std::string& bytes) {
        if (!upload && damagedDown++ < 3)
            bytes[bytes.size() - 1] = static_cast<char>(bytes[bytes.size() - 1] ^ 0x01);
    };
    manager.open();
    vera.open();

    // 5 MB, under the 8 MiB chunk: the whole file goes in one request each way.
    const std::string task = newTask(manager, "vera");
    const std::string file = manager.dir.file("foto.bin");
    const std::string sha = randomFile(file, 5'000'000, 17);
    const std::string id = model::attachFile(*manager.store, task, file).id;

    CHECK(manager.sync().filesSent == 1);
    CHECK(chunkBytes == 5'000'000);
    CHECK(damagedUp == 3); // refused twice by the server's check of the chunk, the third time whole
    const sync::FileVault vault(office.server.options.fileDir);
    CHECK(model::sha256OfFile(vault.completePath(sha)) == sha);

    const auto got = vera.sync();
    CHECK(got.filesFetched == 1);
    CHECK(got.filesWaiting == 0);
    CHECK(damagedDown == 4); // the whole-file check on the laptop refused three, the fourth whole
    const std::string out = vera.dir.file("keluar.bin");
    model::extractAttachment(*vera.store, id, out);
    CHECK(model::sha256OfFile(out) == sha);
}

TEST_CASE("FileTransfer: several photos move two at a time, and one cut off waits for the next sync while the others arrive",
          "[sync][files]")
{
    Office office;
    test::Laptop manager(office.server, "kepala");
    test::Laptop vera(office.server, "vera");
    // Called from both connections' threads.
    std::atomic<int> puts{0};
    std::atomic<int> cut{0};
    std::string cutSha;
    manager.options.maxAttempts = 1;
    manager.options.beforeRequest = [&](const std::string& path) {
        if (path.find("?offset=") == std::string::npos)
            return;
        ++puts;
        if (!cutSha.empty() && path.find(cutSha) != std::string::npos && cut++ == 0)
            throw Poco::Net::NetException("connection cut by the test");
    };
    manager.open();

    const std::string task = newTask(manager, "vera");
    std::vector<std::pair<std::string, std::string>> photos; // id, sha
    for (unsigned i = 0; i < 6; ++i)
    {
        const std::string file = manager.dir.file("foto-" + std::to_string(i) + ".bin");
        const std::string sha = randomFile(file, 300'000 + i * 1000, 100 + i);
        photos.emplace_back(model::attachFile(*manager.store, task, file).id, sha);
    }
    cutSha = photos[3].second;

    const auto first = manager.sync();
    CHECK(first.filesSent == 5);
    CHECK(first.filesWaiting == 1);
    CHECK(cut == 1);
    const sync::FileVault vault(office.server.options.fileDir);
    for (const auto& [id, sha] : photos)
        CHECK(vault.state(sha).complete == (sha != cutSha));

    const auto second = manager.sync();
    CHECK(second.filesSent == 1); // only the one cut off: the others are noted as uploaded
    CHECK(second.filesWaiting == 0);
    CHECK(puts == 7);
    CHECK(vault.state(cutSha).complete);

    const auto got = vera.sync();
    CHECK(got.filesFetched == 6);
    CHECK(got.filesWaiting == 0);
    for (const auto& [id, sha] : photos)
    {
        const std::string out = vera.dir.file(id + ".bin");
        model::extractAttachment(*vera.store, id, out);
        CHECK(model::sha256OfFile(out) == sha);
    }
}

TEST_CASE("FileTransfer: a file sent in one chunk whose bytes match the chunk's hash but not the file's name is not kept",
          "[sync][files]")
{
    Office office;
    test::Laptop manager(office.server, "kepala");
    const std::string task = newTask(manager, "vera");
    const std::string file = manager.dir.file("foto.bin");
    const std::string sha = randomFile(file, 300'000, 5);
    model::attachFile(*manager.store, task, file);
    manager.options.maxAttempts = 1;
    manager.options.beforeRequest = [](const std::string& path) {
        if (path.find("?offset=") != std::string::npos)
            throw Poco::Net::NetException("the record goes, the file waits");
    };
    manager.open();
    CHECK(manager.sync().filesWaiting == 1); // the record is at the office, the file is not

    // Other bytes of the same size, with their own (right) chunk hash.
    std::string other(300'000, 'x');
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(office.server.port));
    Poco::Net::HTTPRequest request("PUT", "/v1/files/" + sha + "?offset=0", Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + manager.store->setting("token"));
    request.set("X-Berkas-Chunk-Sha256", sync::FileVault::sha256Of(other));
    request.setContentType("application/octet-stream");
    request.setContentLength64(static_cast<Poco::Int64>(other.size()));
    s.sendRequest(request).write(other.data(), static_cast<std::streamsize>(other.size()));
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(s.receiveResponse(response), body);
    CHECK(response.getStatus() == 422);
    CHECK(body.find("file_corrupt") != std::string::npos);
    const sync::FileVault vault(office.server.options.fileDir);
    CHECK_FALSE(vault.state(sha).complete);
    CHECK(vault.state(sha).received == 0);

    manager.options.beforeRequest = nullptr;
    manager.open();
    CHECK(manager.sync().filesSent == 1);
    CHECK(model::sha256OfFile(vault.completePath(sha)) == sha);
}

TEST_CASE("FileTransfer: uploads and downloads cut off at random points resume and finish with the right hash",
          "[sync][files]")
{
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    Office office;
    test::Laptop manager(office.server, "kepala");
    test::Laptop vera(office.server, "vera");
    manager.options.fileChunk = model::kFileChunk;
    vera.options.fileChunk = model::kFileChunk;
    manager.options.maxAttempts = 1; // a cut ends this sync's try; the next sync goes on
    vera.options.maxAttempts = 1;
    int requests = 0;
    int cutAt = 0;
    int dataRequests = 0;
    const auto cutter = [&](const std::string& path) {
        dataRequests += path.find("/data?") != std::string::npos ? 1 : 0;
        if (path.rfind("/v1/files/", 0) == 0 && ++requests == cutAt)
            throw Poco::Net::NetException("connection cut by the test");
    };
    manager.options.beforeRequest = cutter;
    vera.options.afterAnswer = cutter; // the answer (a chunk) lost on its way back
    // Bytes that went each way: a resumed transfer sends again at most the
    // chunk that was cut, never the file from the start.
    std::int64_t up = 0;
    manager.options.onFileChunk = [&](bool, std::int64_t, std::string& bytes) { up += static_cast<std::int64_t>(bytes.size()); };
    manager.open();
    vera.open();

    const std::string task = newTask(manager, "vera");
    const std::string file = manager.dir.file("denah.bin");
    const std::string sha = randomFile(file, 6 * model::kFileChunk + 123, seed);
    const std::string id = model::attachFile(*manager.store, task, file).id;

    int syncs = 0;
    std::int64_t sent = 0;
    while (sent == 0 && syncs < 20)
    {
        requests = 0;
        cutAt = 2 + static_cast<int>(rng() % 6);
        sent = manager.sync().filesSent;
        ++syncs;
    }
    CHECK(sent == 1);
    CHECK(syncs > 1);
    const auto size = static_cast<std::int64_t>(6 * model::kFileChunk + 123);
    CHECK(up <= size + syncs * static_cast<std::int64_t>(model::kFileChunk));
    const sync::FileVault vault(office.server.options.fileDir);
    CHECK(vault.state(sha).complete);

    // The server restarts in the middle of the downloads too.
    std::int64_t fetched = 0;
    int downloads = 0;
    while (fetched == 0 && downloads < 20)
    {
        requests = 0;
        cutAt = 2 + static_cast<int>(rng() % 6);
        fetched = vera.sync().filesFetched;
        if (downloads++ == 1)
        {
            office.server.restart();
            vera.open();
        }
    }
    CHECK(fetched == 1);
    CHECK(downloads > 1);
    // Seven chunks, and each answer lost on its way back fetched once more:
    // never the file again from the start.
    CHECK(dataRequests <= 7 + downloads);
    const std::string out = vera.dir.file("keluar.bin");
    model::extractAttachment(*vera.store, id, out);
    CHECK(model::sha256OfFile(out) == sha);
}

TEST_CASE("FileTransfer: a file over the office's limit waits and says so, and the laptop learns the limit",
          "[sync][files]")
{
    sync::SyncServerOptions options;
    options.maxFileSize = 2'000'000;
    test::TestServer server(options);
    server.addUser("kepala", "manager");
    test::Laptop manager(server, "kepala");
    const std::string task = newTask(manager, "vera");
    const std::string file = manager.dir.file("video.bin");
    randomFile(file, 3'000'000, 3);
    model::attachFile(*manager.store, task, file); // before the laptop knew the limit
    const auto s = manager.sync();
    CHECK(s.filesSent == 0);
    CHECK(s.filesWaiting == 1);
    CHECK(manager.store->setting("max_file_size") == "2000000");
    CHECK_THROWS_WITH(model::attachFile(*manager.store, task, file, {2'000'000, false}),
                      "video.bin: 3.0 MB is over the office's limit of 2.0 MB for one file");
}
