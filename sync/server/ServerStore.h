#pragma once

#include "model/Hlc.h"
#include "sync/server/ChangeRules.h"
#include "sync/Merge.h"
#include "sync/Protocol.h"

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace berkas::sync {

/// The longest field value a push may carry, in bytes (422 beyond).
inline constexpr std::size_t kMaxValueBytes = 20000;

/// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool isValidUtf8(const std::string& text);

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
    std::string enrolledAt;
};

/// Who pushes or pulls, as the scope rules see them (sync/PROTOCOL.md, "Scope").
struct Principal
{
    std::string name;
    std::string role; ///< admin, manager, clerk, verifier
    std::string kecamatan;
};

/// One line of the server's audit: a pushed change, accepted or refused.
struct ServerAuditEntry
{
    std::int64_t id = 0;
    std::string at; ///< ISO 8601 in the office zone
    std::string user;
    std::string device;
    std::string address; ///< the client's IP address
    std::string kind;
    std::string recordId;
    std::string field;
    std::optional<std::string> value;
    std::int64_t changeSeq = 0; ///< the device's change id
    std::string outcome;        ///< applied, conflict, refused
    std::string reason;
};

/// A pull answer as the store computes it for one device.
struct PullAnswer
{
    std::vector<WireChange> changes;
    std::vector<std::pair<std::string, std::string>> gone; ///< (kind, id) that left the scope
    std::int64_t cursor = 0;
    bool more = false;
    std::int64_t ack = 0;
};

/// Per-change answer of a push.
struct PushResult
{
    PushResult() = default;
    PushResult(std::int64_t s, std::string o, std::string r) : seq(s), outcome(std::move(o)), reason(std::move(r)) {}

    std::int64_t seq = 0;
    std::string outcome; ///< applied, duplicate, conflict, refused, reused
    std::string reason;
    /// Refused: why, as a code (also for a retried push of a refused change).
    RefusalCode code = RefusalCode::None;
    /// Refused: the server holds the record and the device may read it; then
    /// current is the field as the server holds it after the batch (its value
    /// and stamp, zero when never written) and currentUser its author.
    bool held = false;
    FieldState current;
    std::string currentUser;
};

/// What the central office knows of one device's own numbering, so that a
/// laptop restored from an older copy of its folder moves past it
/// (sync/PROTOCOL.md, "Restored laptops").
struct DeviceMarks
{
    std::int64_t changeSeq = 0;   ///< highest change id the server took from the device
    std::int64_t hlc = 0;         ///< highest HLC of the device's stamps the server saw
    std::int64_t provisional = 0; ///< highest provisional-number counter in its applications
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
    /// A pull answer stops once its values and ids pass this many bytes
    /// (after at least one change), whatever the change count allows.
    std::size_t maxPullBytes = 16 << 20;
    /// Scoped devices whose scope the server keeps between their pulls (the
    /// ones that pulled last); any other computes it anew at its next pull.
    std::size_t maxKeptScopes = 64;
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

    /// The storage a --database value names: "" (SQLite in @p dataDir),
    /// sqlite:PATH, or postgresql://USER:PASSWORD@HOST:PORT/DBNAME (several
    /// server processes may share one PostgreSQL). Error(InvalidData) otherwise.
    static ServerStoreOptions optionsFor(const std::string& database, const std::string& dataDir);

    // --- users and devices ---
    void addUser(const UserAccount& user);
    std::optional<UserAccount> user(const std::string& name);
    std::vector<UserAccount> users();
    void setUserDisabled(const std::string& name, bool disabled);
    void enrollDevice(const std::string& deviceId, const std::string& user);
    std::optional<DeviceInfo> device(const std::string& deviceId);
    std::vector<DeviceInfo> devices();
    /// The device's marks; zeros for an unknown device.
    DeviceMarks deviceMarks(const std::string& deviceId);
    /// Throws Error(NotFound) for an unknown device.
    void revokeDevice(const std::string& deviceId);

    /// Audit lines of pushed changes, oldest first; @p user empty: everybody;
    /// @p since: "YYYY-MM-DD" or an ISO 8601 time in the office zone, empty: all.
    std::vector<ServerAuditEntry> audit(const std::string& user = "", const std::string& since = "",
                                        std::size_t limit = 100000);

    /// A secret for signing tokens, made at first start and kept.
    std::string tokenSecret();

    // --- replication ---

    /// Applies a device's batch in one transaction (see sync/PROTOCOL.md).
    /// Changes at or below the device's last applied change id are duplicates
    /// of a retried push and apply nothing. @p clientCursor is the last server
    /// sequence the device had pulled, which tells which edits it had seen.
    /// Throws Error(InvalidData) for a batch that cannot apply at all; nothing
    /// is written then.
    /// A change that breaks a value rule (ChangeRules.h) or the principal's
    /// scope is answered "refused" with its code, its reason and the field as
    /// the server holds it; the rest of the batch applies, and the refused
    /// change is kept in the audit. A change whose id the device used before
    /// for another change (a laptop restored from an older copy) is answered
    /// "reused", with every change after it, and applies nothing. Every
    /// accepted and refused change gets an audit line naming @p address.
    std::vector<PushResult> push(const Principal& principal, const std::string& deviceId, std::int64_t clientCursor,
                                 const std::vector<WireChange>& changes, const std::string& address = "");
    /// The same for a trusted caller (tools, benchmarks): @p user with full scope.
    std::vector<PushResult> push(const std::string& deviceId, const std::string& user, std::int64_t clientCursor,
                                 const std::vector<WireChange>& changes);

    /// Field changes after @p cursor in sequence order, at most @p limit.
    /// Records the cursor as what the device has applied. Unscoped.
    std::vector<WireChange> pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit);

    /// A pull within the principal's scope (sync/PROTOCOL.md, "Scope"):
    /// records that entered the scope come whole first, then changes after
    /// @p cursor of records in scope; records that left are listed in gone.
    /// @p ack is the `ack` of the last answer the device applied, and
    /// @p applied the cursor it has committed when that is behind @p cursor
    /// (it asks for the next batch while applying this one).
    PullAnswer pull(const Principal& principal, const std::string& deviceId, std::int64_t cursor, std::int64_t ack,
                    std::size_t limit, std::optional<std::int64_t> applied = std::nullopt);

    /// Ids of every record the principal may read now (for tests and tools).
    std::set<std::string> scope(const Principal& principal);

    std::int64_t lastSeq();
    std::int64_t nowMs() { return m_options.clockMs(); }

    /// Removes deleted records every device has pulled past (keeping a
    /// tombstone row so a late edit still meets the deletion). Returns how
    /// many records were purged.
    std::size_t purgeTombstones();

    /// Current value of one field (for tests and administration).
    std::optional<std::string> value(const std::string& recordId, const std::string& field);
    /// How many scoped devices' scopes are kept between pulls.
    std::size_t keptScopes();
    /// Stops keeping the scope of a device that may not pull any more
    /// (revoked, or its user disabled, perhaps by another process).
    void forgetScope(const std::string& deviceId);
    /// Current stamp of one field; zero when the field was never written.
    model::Stamp stamp(const std::string& recordId, const std::string& field);

private:
    struct Current;
    struct StoredLookup;
    void createSchema();
    void createVersion1();
    std::int64_t counter(const std::string& name);
    void setCounter(const std::string& name, std::int64_t value);
    void writeField(const std::string& kind, const std::string& id, const std::string& field,
                    const std::optional<std::string>& value, const model::Stamp& stamp, const std::string& user,
                    std::int64_t seq);
    std::string assignRegNo(const std::string& serviceCode, std::int64_t physicalMs);
    std::string isoTime(std::int64_t ms) const;
    std::set<std::string> scopeLocked(const Principal& principal);
    /// The records whose place in a scope may have changed since sequence
    /// @p after: those changed since, and the records that follow them
    /// (requirements, notes, attachments and conflicts of a record; the
    /// application of a task). Nothing when they are too many to look at
    /// one by one, or when a task moved to another application (the one it
    /// left is not known any more): the whole scope is then computed again.
    std::optional<std::set<std::string>> scopeCandidatesLocked(std::int64_t after);
    std::set<std::string> allRecordIds();
    /// Rows of the fields table as (record_id, kind, field, value).
    struct FieldRows
    {
        std::vector<std::string> ids;
        std::vector<std::string> kinds;
        std::vector<std::string> fields;
        std::vector<Poco::Nullable<std::string>> values;
    };
    /// The rows @p sql selects for a list of records, one statement per few
    /// hundred of @p ids instead of one per record: @p sql selects
    /// record_id, kind, field, value and has "(@)" wherever the list goes.
    FieldRows rowsFor(const std::string& sql, const std::vector<std::string>& ids);
    std::vector<WireChange> wholeRecord(const std::string& id);
    std::vector<WireChange> changesAfter(std::int64_t cursor, std::int64_t limit);

    /// @p sql in the dialect of the connected database (placeholders).
    std::string q(const std::string& sql) const;
    /// The connection for messages, without any password.
    std::string describeConnection() const;

    ServerStoreOptions m_options;
    bool m_postgres = false;
    std::unique_ptr<Poco::Data::Session> m_session;
    std::mutex m_mutex;
    model::HybridLogicalClock m_clock;
    /// A scoped device's scope and held records as its last answer left
    /// them, valid while its epoch is unchanged and it acknowledged that
    /// answer: the next pull looks again only at the records changed since
    /// (scopeCandidatesLocked) instead of at the whole office.
    struct ScopeCache
    {
        std::string user;
        std::string role;
        std::string kecamatan;
        std::int64_t epoch = 0;
        std::int64_t evaluatedAt = 0; ///< sequence the scope is right up to
        bool leftNamed = false;       ///< the answer named records that left the scope
        std::set<std::string> inScope;
        std::set<std::string> held;
        /// Records that entered the scope and are not marked held yet
        /// (an answer marks or sends a page of them), in order.
        std::vector<std::string> unsent;
        std::uint64_t lastUsed = 0; ///< m_scopeTick at the device's last pull
    };
    std::map<std::string, ScopeCache> m_scopes; ///< by device; under m_mutex
    std::uint64_t m_scopeTick = 0;
};

} // namespace berkas::sync
