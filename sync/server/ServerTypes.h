#pragma once

#include "model/Hlc.h"
#include "sync/Merge.h"
#include "sync/Protocol.h"
#include "sync/server/ChangeRules.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// The values the central office's store takes and gives (ServerStore.h and
// the classes behind it).

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
    PushResult(std::int64_t s, PushOutcome o, std::string r) : seq(s), outcome(o), reason(std::move(r)) {}

    std::int64_t seq = 0;
    PushOutcome outcome = PushOutcome::Applied;
    std::string reason; ///< a conflict's or a refusal's sentence
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

/// What the public status page (GET /status) may tell about one application
/// or booking: its status and dates, nothing that names the applicant.
struct PublicStatus
{
    std::string kind;   ///< application or booking
    std::string status; ///< the record's status as stored (a code such as document_check); may be empty
    std::string date;   ///< application: due_date; booking: its date (YYYY-MM-DD); may be empty
    std::string slot;   ///< booking: its slot (HH:MM); empty for an application
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
    /// Keep it above an office's clerk and verifier laptops: they pull in
    /// turn, so with fewer kept than laptops each pull finds its scope
    /// evicted (bench server-load, 190 clerks on PostgreSQL: p99 2.7 s with
    /// 64 kept, 0.09 s with 256). Each costs about the set of its record ids.
    std::size_t maxKeptScopes = 256;
    /// Queue applicants' e-mail in the transaction of the push that causes
    /// it (MailEvents.h); berkas-server sets it with --smtp.
    bool queueMail = false;
    /// A confirmed booking becomes no_show this many minutes after its slot
    /// began without a check-in (decided at the next push).
    int noShowGraceMinutes = 60;
};

} // namespace berkas::sync
