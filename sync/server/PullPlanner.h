#pragma once

#include "sync/Protocol.h"
#include "sync/server/ServerTypes.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berkas::sync {

class FieldTable;
class ServerDatabase;

/// Answers pulls (sync/PROTOCOL.md): the plain cursor pull of a laptop that
/// holds everything, and the scoped pull that sends records entering the
/// user's scope whole, names those that left, and follows the changes after
/// the cursor of the records in scope. Tracks what each scoped device holds
/// (device_records) and keeps each scoped device's scope as its last
/// acknowledged answer left it, so the next pull judges only the records
/// changed since. Not thread-safe: ServerStore calls it under its lock.
class PullPlanner
{
public:
    PullPlanner(ServerDatabase& db, FieldTable& fields);

    /// ServerStore::pull, unscoped.
    std::vector<WireChange> pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit);
    /// ServerStore::pull within the principal's scope.
    PullAnswer pull(const Principal& principal, const std::string& deviceId, std::int64_t cursor, std::int64_t ack,
                    std::size_t limit, std::optional<std::int64_t> applied);

    /// Ids of every record the principal may read now: the table of
    /// readable() (ScopeTable.h) as set queries over the fields table.
    std::set<std::string> scope(const Principal& principal);

    /// How many scoped devices' scopes are kept between pulls.
    std::size_t keptScopes() const { return m_scopes.size(); }
    /// Stops keeping the scope of a device.
    void forgetScope(const std::string& deviceId) { m_scopes.erase(deviceId); }

private:
    /// The records whose place in a scope may have changed since sequence
    /// @p after, by the links of the scope table (ScopeTable.h): those
    /// changed since, the records they follow them down to (requirements,
    /// notes, attachments and conflicts of a record), and the records named
    /// by a changed link or matched field of a ScopeNaming (the application
    /// of a task). Nothing when they are too many to look at one by one, or
    /// when such a link moved (a task to another application: the one it
    /// left is not known any more): the whole scope is then computed again.
    std::optional<std::set<std::string>> scopeCandidates(std::int64_t after);

    ServerDatabase& m_db;
    FieldTable& m_fields;
    /// A scoped device's scope and held records as its last answer left
    /// them, valid while its epoch is unchanged and it acknowledged that
    /// answer: the next pull looks again only at the records changed since
    /// (scopeCandidates) instead of at the whole office.
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
    std::map<std::string, ScopeCache> m_scopes; ///< by device
    std::uint64_t m_scopeTick = 0;
};

} // namespace berkas::sync
