#pragma once

#include "model/Hlc.h"
#include "model/OfficeCalendar.h"
#include "sync/server/CatalogImport.h"
#include "sync/server/MailQueue.h"
#include "sync/server/ServerTypes.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berkas::sync {

class Accounts;
class BookingDesk;
struct Capacity;
struct CapacityRequest;
struct EscrowGrant;
class FieldTable;
class PullPlanner;
class PushApplier;
class RegNumbers;
class ReplayApplier;
struct ReplayResult;
class ServerAudit;
class ServerDatabase;
class StatusLookup;

/// The central office's copy of every record, as field rows stamped like the
/// laptops' and numbered by a server sequence, plus users and devices.
/// Storage goes through Poco::Data. Pushes are applied one at a time under a
/// lock, each in one transaction, so sequence numbers commit in order and a
/// pull cursor can never skip a change. Thread-safe.
///
/// A thin façade: it takes the one lock and hands each call to the class
/// that does that job (ServerDatabase and ServerSchema: the connection, the
/// SQL dialect and the tables; Accounts; ServerAudit; FieldTable: the field
/// rows; RegNumbers; PushApplier; PullPlanner with its scope cache;
/// MailQueue, the applicants' e-mail that pushes queue and MailWorker sends).
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

    /// Takes back what a laptop holds after this database was restored from
    /// a backup (ReplayApplier.h; sync/PROTOCOL.md, "Restored servers").
    /// @p lastEpoch: the epoch the laptop last synced with.
    ReplayResult replay(const Principal& principal, const std::string& lastEpoch, const std::vector<WireChange>& changes);

    /// What the public status page tells about the application or booking
    /// that @p number names (registration number, provisional number or
    /// booking code) when its applicant's NIK ends in @p nik4; nullopt, the
    /// same for a wrong number and a wrong NIK (StatusLookup.h).
    std::optional<PublicStatus> publicStatus(const std::string& number, const std::string& nik4);

    /// This database's epoch: a random id a restore from a backup replaces.
    const std::string& epoch() const { return m_epoch; }

    std::int64_t lastSeq();
    std::int64_t nowMs() { return m_options.clockMs(); }

    /// Removes deleted records every device has pulled past (keeping a
    /// tombstone row so a late edit still meets the deletion). Returns how
    /// many records were purged.
    std::size_t purgeTombstones();

    /// Current value of one field (for tests and administration).
    std::optional<std::string> value(const std::string& recordId, const std::string& field);
    /// The size in bytes of file @p sha256 as the attachment records naming
    /// it say, when @p principal reads at least one of them (the scope rules
    /// of ScopeRules.h: an attachment follows the record it belongs to);
    /// nullopt when no such record is theirs to read, or none exists.
    std::optional<std::int64_t> readableFile(const Principal& principal, const std::string& sha256);
    /// How many scoped devices' scopes are kept between pulls.
    std::size_t keptScopes();
    /// Stops keeping the scope of a device that may not pull any more
    /// (revoked, or its user disabled, perhaps by another process).
    void forgetScope(const std::string& deviceId);
    // --- counter bookings ---

    /// Sets the counter slots of each day of @p request (BookingDesk::setCapacity),
    /// in one transaction under the push lock, so no push decides a booking
    /// between the check against confirmed bookings and the write. Throws
    /// Error(InvalidData) naming the field and the rule; nothing is written then.
    std::vector<Capacity> setCapacity(const CapacityRequest& request);
    /// Capacity rows from day @p from on ("": all).
    std::vector<Capacity> capacities(const std::string& from = "");
    /// Marks every confirmed booking whose slot passed more than the grace
    /// (ServerStoreOptions::noShowGraceMinutes) ago no_show, as a push does;
    /// returns how many. For a timer and for tests.
    std::size_t sweepNoShows();

    // --- the catalog (CatalogImport.h) ---

    /// Writes catalog records (services, suspensions, calendar days) as the
    /// central office's changes, and the due dates the new calendar gives,
    /// in one transaction under the push lock; every laptop takes them at
    /// its next pull. Returns (records changed, due dates moved).
    std::pair<std::size_t, std::size_t> importCatalog(const std::vector<CatalogRecord>& records);
    /// The office calendar as the server holds it (DueDates::calendar).
    model::OfficeCalendar officeCalendar();
    /// Grants device @p deviceId slots of each day of @p request ahead of
    /// time (escrow; BookingDesk::grant), under the push lock. Throws
    /// Error(InvalidData) naming the field and the rule, Error(NotFound) for
    /// a device that is not enrolled; nothing is written then.
    std::vector<EscrowGrant> grantEscrow(const std::string& deviceId, const CapacityRequest& request);
    /// Every grant of days from @p from on ("": all), for administration.
    std::vector<EscrowGrant> escrowGrants(const std::string& from = "");
    /// POST /v1/escrow: takes back the unused slots of the grants the device
    /// says it stopped using (@p released: location, service, date), then
    /// answers its grants not released for days after today.
    /// Whether device @p deviceId holds grants not released for days after today.
    bool holdsEscrow(const std::string& deviceId);
    std::vector<EscrowGrant> exchangeEscrow(const std::string& deviceId, const std::vector<EscrowGrant>& released);

    /// Current stamp of one field; zero when the field was never written.
    model::Stamp stamp(const std::string& recordId, const std::string& field);

    // --- applicants' e-mail (MailQueue.h), for MailWorker and tools ---

    /// The oldest due message, leased to @p owner for @p leaseMs; nothing when none is due.
    std::optional<QueuedMail> claimMail(const std::string& owner, std::int64_t leaseMs);
    /// Marks a claimed message sent now; false when @p owner lost its lease.
    bool mailSent(std::int64_t id, const std::string& owner);
    /// A failed attempt: due again at @p nextAttemptMs.
    void mailRetry(std::int64_t id, const std::string& owner, std::int64_t nextAttemptMs, const std::string& error);
    /// A message refused for good; never sent.
    void mailFailed(std::int64_t id, const std::string& owner, const std::string& error);
    /// The queue, newest first.
    std::vector<QueuedMail> mail(std::size_t limit = 1000);

private:
    ServerStoreOptions m_options;
    std::mutex m_mutex;
    model::HybridLogicalClock m_clock;
    std::unique_ptr<ServerDatabase> m_db;
    std::unique_ptr<FieldTable> m_fields;
    std::unique_ptr<Accounts> m_accounts;
    std::unique_ptr<ServerAudit> m_audit;
    std::unique_ptr<RegNumbers> m_regNumbers;
    std::unique_ptr<BookingDesk> m_bookings;
    std::unique_ptr<PushApplier> m_push;
    std::unique_ptr<PullPlanner> m_pull;
    std::unique_ptr<ReplayApplier> m_replay;
    std::unique_ptr<StatusLookup> m_status;
    std::unique_ptr<MailQueue> m_mail;
    std::string m_epoch;
};

} // namespace berkas::sync
