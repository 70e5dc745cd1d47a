#pragma once

#include "sync/Protocol.h"
#include "sync/server/ChangeRules.h"
#include "sync/server/ServerTypes.h"

#include <Poco/Nullable.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace berkas::sync {

class ServerDatabase;

/// The server's audit: one line per pushed change, accepted or refused,
/// naming who, from which device and address, the value, the outcome and,
/// for a refusal, its code. Not thread-safe: ServerStore uses it under its
/// lock; the push writes its lines in its own transaction.
class ServerAudit
{
public:
    explicit ServerAudit(ServerDatabase& db);

    /// Audit lines, oldest first; @p user empty: everybody; @p since:
    /// "YYYY-MM-DD" or an ISO 8601 time in the office zone, empty: all.
    std::vector<ServerAuditEntry> entries(const std::string& user, const std::string& since, std::size_t limit);

    /// Holds the line of change @p c of @p device, pushed by @p user from
    /// @p address at @p at (ISO 8601 in the office zone), for flush().
    void add(const std::string& at, const std::string& user, const std::string& device, const std::string& address,
             const WireChange& c, const std::string& outcome, const std::string& reason,
             RefusalCode code = RefusalCode::None);
    /// Writes the lines held, in the order added, a hundred to a statement
    /// (on PostgreSQL every statement costs several round trips), in the
    /// caller's transaction. Call it before that transaction commits.
    void flush();
    /// Forgets the lines held (a push that failed and rolled back).
    void discard() { m_pending.clear(); }

    /// A change the server took from a device, as its audit line has it.
    struct TakenChange
    {
        Poco::Nullable<std::int64_t> hlc; ///< NULL: audited before lines carried the stamp
        std::string recordId;
        std::string field;
        std::string outcome;
        std::string code;
        std::string reason;
    };
    /// The audited changes of @p device with change ids from @p from to
    /// @p to, by change id.
    std::map<std::int64_t, TakenChange> taken(const std::string& device, std::int64_t from, std::int64_t to);

private:
    struct Line
    {
        std::string at, user, device, address, kind, recordId, field;
        Poco::Nullable<std::string> value;
        std::int64_t changeSeq = 0;
        std::string outcome, reason;
        std::int64_t hlc = 0;
        Poco::Nullable<std::string> code;
    };
    std::vector<Line> m_pending;

    ServerDatabase& m_db;
};

} // namespace berkas::sync
