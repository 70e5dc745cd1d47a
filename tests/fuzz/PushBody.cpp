#include "tests/fuzz/FuzzTargets.h"

#include "model/Error.h"
#include "model/Migrations.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/Protocol.h"
#include "sync/server/ServerStore.h"

#include <Poco/Data/Session.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Process.h>

#include <memory>
#include <set>

namespace berkas::fuzz {

namespace {

using namespace Poco::Data::Keywords;

// The limits of SyncServerOptions' defaults (sync/PROTOCOL.md, "Transport").
constexpr std::size_t kMaxBodyBytes = 8 << 20;
constexpr std::size_t kMaxBatch = 5000;

// 2030-01-01T00:00:00Z: later than every stamp of the seed corpus, and fixed,
// so that an input does the same thing each time it is replayed.
constexpr std::int64_t kNowMs = 1893456000000;

const sync::Principal kClerk{"fuzz-clerk", "clerk", "32.75.09"};
const sync::Principal kManager{"fuzz-manager", "manager", ""};

/// The server's storage, made at the first input and kept for the whole
/// process, so that later inputs merge against what earlier ones wrote.
struct Server
{
    std::string dir;
    std::unique_ptr<sync::ServerStore> store;
    /// A second connection to the same file, for what ServerStore has no call
    /// for: forgetting a device's pushed change ids between inputs.
    std::unique_ptr<Poco::Data::Session> admin;

    Server()
    {
        // tmpfs when there is one: every push commits with synchronous=FULL.
        const std::string base = Poco::File("/dev/shm").exists() ? std::string("/dev/shm/") : Poco::Path::temp();
        dir = base + "berkas-fuzz-push-" + std::to_string(Poco::Process::id()) + "-" + model::newUuidV7();
        Poco::File(dir).createDirectories();
        sync::ServerStoreOptions o = sync::ServerStore::optionsFor("", dir);
        o.clockMs = [] { return kNowMs; };
        store = std::make_unique<sync::ServerStore>(o);
        const std::string hash = sync::Passwords::hash("kata-sandi-fuzz-1", 1000);
        for (const auto* p : {&kClerk, &kManager})
            store->addUser({p->name, p->role, p->kecamatan, hash, false, ""});
        admin = std::make_unique<Poco::Data::Session>("SQLite", o.connection);
        *admin << "PRAGMA busy_timeout=5000", now;
    }
    ~Server()
    {
        admin.reset();
        store.reset();
        try
        {
            Poco::File(dir).remove(true);
        }
        catch (...)
        {
        }
    }

    /// The device as if the token were its own: enrolled for @p user, and
    /// with no change ids applied yet, so an earlier input that pushed a huge
    /// seq does not turn every later push of the device into duplicates.
    void becomeDevice(const std::string& deviceId, const std::string& user)
    {
        store->enrollDevice(deviceId, user);
        std::string id = deviceId;
        *admin << "UPDATE devices SET pushed_seq = 0 WHERE id = ?", use(id), now;
    }
};

Server& server()
{
    static Server s;
    return s;
}

} // namespace

FuzzOutcome fuzzPushBody(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return FuzzOutcome::Rejected;
    Server& s = server();
    const sync::Principal& principal = (data[size - 1] & 1) ? kClerk : kManager;
    std::string raw(reinterpret_cast<const char*>(data), size);
    try
    {
        // What SyncServer's readBody and push handler do before the store.
        if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f && static_cast<unsigned char>(raw[1]) == 0x8b)
            raw = sync::gunzip(raw, kMaxBodyBytes);
        if (!sync::isValidUtf8(raw))
            return FuzzOutcome::Rejected;
        const auto body = sync::parseObject(raw);
        const sync::PushBatch batch = sync::decodePush(body);
        if (batch.protocol != sync::kProtocolVersion || batch.schema > model::Migrations::recordSchema() ||
            batch.changes.size() > kMaxBatch || !model::isUuid(batch.deviceId))
            return FuzzOutcome::Rejected;
        std::int64_t last = 0;
        for (const auto& c : batch.changes)
        {
            if (c.seq <= last)
                return FuzzOutcome::Rejected;
            last = c.seq;
        }

        s.becomeDevice(batch.deviceId, principal.name);
        const auto results = s.store->push(principal, batch.deviceId, batch.cursor, batch.changes, "127.0.0.1");

        // One result per change, in order, each with an outcome the protocol knows.
        expect(results.size() == batch.changes.size(), "push: not one result per change");
        for (std::size_t i = 0; i < results.size(); ++i)
        {
            expect(results[i].seq == batch.changes[i].seq, "push: results out of order");
            const auto outcome = results[i].outcome;
            expect(outcome != sync::PushOutcome::Reused, "push: a reused id although no id was taken before");
            expect((outcome == sync::PushOutcome::Conflict || outcome == sync::PushOutcome::Refused) ==
                       !results[i].reason.empty(),
                   "push: a conflict or refusal without a reason, or a reason without one");
        }
        return FuzzOutcome::Accepted;
    }
    catch (const Error&)
    {
        return FuzzOutcome::Rejected;
    }
}

} // namespace berkas::fuzz
