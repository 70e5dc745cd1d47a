#pragma once

#include "model/Hlc.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace berkas::sync {

/// The wire protocol version spoken under /v1/ (sync/PROTOCOL.md).
inline constexpr int kProtocolVersion = 1;

/// How far ahead of the server's clock a stamp may be before it is refused.
inline constexpr std::int64_t kMaxClockAheadMs = 5 * 60 * 1000;

/// One field change on the wire, pushed by a device or pulled from the server.
struct WireChange
{
    std::int64_t seq = 0; ///< device change id (push) or server sequence (pull)
    std::string kind;
    std::string id;
    std::string field;
    std::optional<std::string> value;
    model::Stamp stamp;
    model::Stamp base; ///< push only
    std::string user;  ///< pull only: who made it
};

/// A push request body (sync/PROTOCOL.md, "POST /v1/push").
struct PushBatch
{
    int protocol = kProtocolVersion;
    int schema = 0;
    std::string deviceId;
    std::int64_t cursor = 0;
    /// The central office's epoch the device last synced with; "" for none
    /// (sync/PROTOCOL.md, "Restored servers").
    std::string epoch;
    std::vector<WireChange> changes; ///< stamps carry deviceId
};

/// A pull answer body (sync/PROTOCOL.md, "GET /v1/pull").
struct PullBatch
{
    std::vector<WireChange> changes;
    std::int64_t cursor = 0;
    bool more = false;
    /// Records that left the user's scope: (kind, id), to purge locally.
    std::vector<std::pair<std::string, std::string>> gone;
    /// The scope acknowledgement to send back with the next pull (`ack`).
    std::int64_t ack = 0;
    /// The central office's epoch (`epoch`); "" from a server without one.
    std::string epoch;
    /// The device holds counter slots granted ahead of time (`escrow`):
    /// ask POST /v1/escrow after the pull.
    bool escrow = false;
};

/// What became of one pushed change (sync/PROTOCOL.md, "POST /v1/push").
enum class PushOutcome
{
    Applied,   ///< "applied": the value is the server's now
    Duplicate, ///< "duplicate": a retry, or the value the server already holds with this stamp
    Conflict,  ///< "conflict": merged with a conflict record
    Refused,   ///< "refused": broke a rule; nothing stored (see code)
    Reused,    ///< "reused": the device used this change id before for another change
};

/// The wire and audit name of @p outcome ("applied", ...).
const char* outcomeName(PushOutcome outcome);
/// The outcome named @p name on the wire, or nothing for a name this
/// version does not know.
std::optional<PushOutcome> pushOutcomeOf(const std::string& name);

Poco::JSON::Object::Ptr encodePush(const PushBatch& batch);
/// Throws Error(InvalidData) naming the member that is missing or mistyped.
PushBatch decodePush(const Poco::JSON::Object::Ptr& body);

/// The whole pull answer as JSON text, written as a stream: a pull of
/// 100,000 records is millions of values, too many for a JSON object tree.
std::string encodePullText(const std::vector<WireChange>& changes, std::int64_t cursor, bool more,
                           std::int64_t serverTime);
/// How a pull answer writes its changes: the `shared` parameter of the
/// request (sync/PROTOCOL.md, "GET /v1/pull").
enum class PullForm
{
    Full = 0,         ///< every change [seq, field, value, hlc, device, user]
    SharedStamps = 1, ///< a record's changes that share a stamp give it once, in "s"
    Compact = 2,      ///< and those changes are field-value pairs in "v", fields by index
};

/// The same with the scope members `gone` (records that left the user's
/// scope) and `ack` (sync/PROTOCOL.md, "Scope"), in the form @p form.
std::string encodePullText(const std::vector<WireChange>& changes, std::int64_t cursor, bool more,
                           std::int64_t serverTime, const std::vector<std::pair<std::string, std::string>>& gone,
                           std::int64_t ack, PullForm form = PullForm::Full);
/// Decodes a pull answer of any form from its text with Poco's streaming
/// parser (no object tree). Throws Error(InvalidData) when it is not a pull
/// answer. Changes given as field-value pairs ("v") carry seq 0.
PullBatch decodePullText(const std::string& text, std::int64_t* serverTime = nullptr);

/// Parses a JSON object; Error(InvalidData) "body: not a JSON object: ..." otherwise.
Poco::JSON::Object::Ptr parseObject(const std::string& text);

std::string toJsonText(const Poco::JSON::Object::Ptr& o);

/// gzip with zlib's @p level (1 fastest .. 9 smallest; -1 zlib's default).
std::string gzip(const std::string& data, int level = -1);
/// Error(InvalidData) when the data is not gzip.
std::string gunzip(const std::string& data, std::size_t maxBytes);

/// Reads a whole stream, failing with Error(InvalidData) past @p maxBytes.
std::string readAll(std::istream& in, std::size_t maxBytes);

} // namespace berkas::sync
