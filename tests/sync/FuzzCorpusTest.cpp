#include "tests/sync/SyncFixture.h"

#include "model/Uuid.h"
#include "sync/Protocol.h"

#include <Poco/Environment.h>

#include <catch2/catch.hpp>

#include <fstream>

using namespace berkas;
using namespace berkas::test;

namespace {

/// Where the seed corpus goes: $BERKAS_FUZZ_CORPUS_OUT, or the checked-in
/// tests/fuzz/corpus.
std::string corpusDir(const std::string& target)
{
    const std::string base = Poco::Environment::get("BERKAS_FUZZ_CORPUS_OUT", std::string(BERKAS_FUZZ_DIR) + "/corpus");
    const std::string dir = base + "/" + target;
    Poco::File(dir).createDirectories();
    return dir;
}

void writeFile(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE(out.good());
}

/// The laptop's next push body, as SyncClient sends it, written twice: as
/// is (its last byte '}' makes berkas-fuzz-push push as the clerk) and with a
/// newline after it (as the manager); @p gzipped also gzip-wrapped.
void writePush(Laptop& laptop, const std::string& name, bool gzipped = false)
{
    const auto entries = laptop.store->outbox(5000);
    REQUIRE_FALSE(entries.empty());
    const std::string body = sync::toJsonText(sync::pushBody(*laptop.store, entries));
    const std::string dir = corpusDir("push");
    writeFile(dir + "/" + name + ".json", body);
    writeFile(dir + "/" + name + "-manager.json", body + "\n");
    if (gzipped)
        writeFile(dir + "/" + name + ".json.gz", sync::gzip(body));
}

/// A device of @p user's that pulls straight from the store, each answer
/// written in the three forms a client accepts.
struct Puller
{
    TestServer& server;
    sync::Principal principal;
    std::string deviceId = model::newUuidV7();
    std::int64_t cursor = 0;
    std::int64_t ack = 0;

    Puller(TestServer& s, sync::Principal p) : server(s), principal(std::move(p))
    {
        server.store->enrollDevice(deviceId, principal.name);
    }
    /// Pulls until up to date, @p limit changes an answer; returns the answers written.
    int pullAll(const std::string& name, std::size_t limit, int maxAnswers = 4)
    {
        int written = 0;
        for (int n = 0; n < 50; ++n)
        {
            const auto a = server.store->pull(principal, deviceId, cursor, ack, limit);
            if (written < maxAnswers && (!a.changes.empty() || !a.gone.empty()))
            {
                for (const auto form : {sync::PullForm::Full, sync::PullForm::SharedStamps, sync::PullForm::Compact})
                    writeFile(corpusDir("pull") + "/" + name + "-" + std::to_string(written) + "-form" +
                                  std::to_string(static_cast<int>(form)) + ".json",
                              sync::encodePullText(a.changes, a.cursor, a.more, server.store->nowMs(), a.gone, a.ack,
                                                   form));
                ++written;
            }
            cursor = a.cursor;
            ack = a.ack;
            if (!a.more)
                break;
        }
        return written;
    }
};

} // namespace

// Not run by default: writes the seed corpus of the fuzz targets (see
// tests/fuzz/CMakeLists.txt) from a real sync of two laptops and a server.
//   build/bin/berkas_sync_tests "[.corpus]"
TEST_CASE("Fuzz corpus: push bodies and pull answers of a real sync", "[.corpus]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    server.addUser("vera", "verifier");
    Laptop clerk(server, "siti");
    Laptop manager(server, "budi");
    Puller clerkPuller(server, {"siti", "clerk", "32.75.09"});
    Puller managerPuller(server, {"budi", "manager", ""});

    // A morning at the counter: new applications, a complaint, a booking, a note.
    const std::string app1 = clerk.newApplication("Rina Wulandari");
    const std::string app2 = clerk.newApplication("Dedi Kurniawan");
    clerk.store->create("complaint", {{"kind", "complaint"}, {"channel", "whatsapp"}, {"complainant_name", "Citra"},
                                      {"subject", "Antrian lama"}, {"kecamatan", "32.75.09"}});
    clerk.store->create("booking", {{"service_code", "PBG"}, {"location", "MPP Bekasi"}, {"date", "2030-03-04"},
                                    {"slot", "09:00"}, {"applicant_name", "Eka"}});
    clerk.store->create("note", {{"parent_id", app1}, {"author", "siti"}, {"body", "berkas lengkap"}});
    writePush(clerk, "clerk-new-records", true);
    clerk.sync();

    // The manager submits one and assigns a task.
    manager.sync();
    manager.store->update(app1, {{"status", "submitted"}, {"phone", "081311112222"}});
    manager.store->create("task", {{"application_id", app1}, {"assigned_to", "vera"}});
    writePush(manager, "manager-submit-assign", true);
    manager.sync();

    // The clerk, not yet pulled, edits the same phone and address: a conflict.
    clerk.store->update(app1, {{"phone", "081399998888"}, {"address", "Jl. Mawar No. 1, Bekasi"}});
    writePush(clerk, "clerk-concurrent-edit");
    clerk.sync();
    clerkPuller.pullAll("clerk-first", 8);
    managerPuller.pullAll("manager-first", 50000, 1);

    // A deletion, and a conflict settled by the manager.
    clerk.store->remove(app2);
    writePush(clerk, "clerk-delete");
    clerk.sync();
    manager.sync();
    for (const auto& c : manager.openConflicts())
        manager.store->resolveConflict(c.id, "remote");
    if (manager.store->outboxSize() > 0)
    {
        writePush(manager, "manager-resolve");
        manager.sync();
    }

    // The manager moves the application to another kecamatan: it leaves the
    // clerk's scope (a pull answer with "gone").
    manager.store->update(app1, {{"kecamatan", "32.75.01"}});
    writePush(manager, "manager-move", true);
    manager.sync();
    CHECK(clerkPuller.pullAll("clerk-after-move", 50000, 1) == 1);
    managerPuller.pullAll("manager-later", 50000, 1);

    // berkas-fuzz-merge reads bytes, not bodies: a few seeds that reach each
    // kind and each base (current, zero, other) at least once.
    const std::string mergeDir = corpusDir("merge");
    for (int k = 0; k < static_cast<int>(model::kinds().size()); ++k)
    {
        std::string bytes;
        bytes += static_cast<char>(k);
        bytes += static_cast<char>(3 + k);        // field
        bytes += "\x03\x85\x01";                  // current value, stamp, device
        for (const char flags : {'\x00', '\x08', '\x18', '\x01', '\x12'})
        {
            bytes += flags;
            bytes += static_cast<char>(k * 7 + 3); // value
            bytes += "\x86\x02\x84\x01";           // stamp, device (and a base when flags say so)
        }
        writeFile(mergeDir + "/kind-" + model::kinds()[static_cast<std::size_t>(k)].name, bytes);
    }
}
