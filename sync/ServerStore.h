#pragma once

#include "model/Hlc.h"
#include "sync/Merge.h"
#include "sync/Protocol.h"

#include <Poco/Data/Session.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace berkas::sync {

/// A user of the central office.
struct UserAccount
{
    std::string name;
    std::string role; ///< admin, manager, clerk, verifier
    std::string kecamatan;
    std::string passwordHash;
    bool disabled = false;
    std::string createdAt;
};

/// An enrolled laptop.
struct DeviceInfo
{
    std::string id;
    std::string user;
    bool revoked = false;
    std::int64_t pushedSeq = 0; ///< highest device change id applied
    std::int64_t pulledSeq = 0; ///< cursor the device last reported
};

/// Per-change answer of a push.
struct PushResult
{
    std::int64_t seq = 0;
    std::string outcome; ///< applied, duplicate, conflict, refused
    std::string reason;
};

/// Settings of the server's storage.
struct ServerStoreOptions
{
    std::string connector = "SQLite"; ///< Poco::Data connector: SQLite or PostgreSQL
    std::string connection;           ///< file path or PostgreSQL connection string
    std::string regNoTemplate = "{year}/{service}/{seq:06}";
    int utcOffsetMinutes = 7 * 60;
    std::function<std::int64_t()> clockMs = &model::HybridLogicalClock::systemMs;
    std::string serverDevice = "server";
};

/// The central office's copy of every record, as field rows stamped like the
/// laptops' and numbered by a server sequence, plus users and devices.
/// Storage goes through Poco::Data. Pushes are applied one at a time under a
/// lock, each in one transaction, so sequence numbers commit in order and a
/// pull cursor can never skip a change. Thread-safe.
class ServerStore
{
public:
    explicit ServerStore(ServerStoreOptions options);
    ~ServerStore();

    // --- users and devices ---
    void addUser(const UserAccount& user);
    std::optional<UserAccount> user(const std::string& name);
    std::vector<UserAccount> users();
    void setUserDisabled(const std::string& name, bool disabled);
    void enrollDevice(const std::string& deviceId, const std::string& user);
    std::optional<DeviceInfo> device(const std::string& deviceId);
    void revokeDevice(const std::string& deviceId);

    /// A secret for signing tokens, made at first start and kept.
    std::string tokenSecret();

    // --- replication ---

    /// Applies a device's batch in one transaction (see sync/PROTOCOL.md).
    /// Changes at or below the device's last applied change id are duplicates
    /// of a retried push and apply nothing. @p clientCursor is the last server
    /// sequence the device had pulled, which tells which edits it had seen.
    /// Throws Error(InvalidData) for a batch that cannot apply at all; nothing
    /// is written then.
    std::vector<PushResult> push(const std::string& deviceId, const std::string& user, std::int64_t clientCursor,
                                 const std::vector<WireChange>& changes);

    /// Field changes after @p cursor in sequence order, at most @p limit.
    /// Records the cursor as what the device has applied.
    std::vector<WireChange> pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit);

    std::int64_t lastSeq();
    std::int64_t nowMs() { return m_options.clockMs(); }

    /// Removes deleted records every device has pulled past (keeping a
    /// tombstone row so a late edit still meets the deletion). Returns how
    /// many records were purged.
    std::size_t purgeTombstones();

    /// Current value of one field (for tests and administration).
    std::optional<std::string> value(const std::string& recordId, const std::string& field);
    /// Current stamp of one field; zero when the field was never written.
    model::Stamp stamp(const std::string& recordId, const std::string& field);

private:
    struct Current;
    void createSchema();
    std::int64_t counter(const std::string& name);
    void setCounter(const std::string& name, std::int64_t value);
    void writeField(const std::string& kind, const std::string& id, const std::string& field,
                    const std::optional<std::string>& value, const model::Stamp& stamp, const std::string& user,
                    std::int64_t seq);
    std::string assignRegNo(const std::string& serviceCode, std::int64_t physicalMs);
    std::string isoTime(std::int64_t ms) const;

    ServerStoreOptions m_options;
    std::unique_ptr<Poco::Data::Session> m_session;
    std::mutex m_mutex;
    model::HybridLogicalClock m_clock;
};

} // namespace berkas::sync
