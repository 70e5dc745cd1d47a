#pragma once

#include "sync/Protocol.h"
#include "sync/server/ScopeTable.h"
#include "sync/server/ServerTypes.h"

#include <functional>
#include <optional>
#include <string>

// The scope rules of sync/PROTOCOL.md, "Scope", record by record: which
// records a principal reads (the table of ScopeTable.h), and why a principal
// may not make a change. Pure; the push (PushApplier) and the pull
// (PullPlanner) both ask them.

namespace berkas::sync {

/// How the scope rules see records: the server's copy, or the server's copy
/// with a push's values laid over it (the record as it would stand after).
struct RecordLookup
{
    std::function<std::optional<std::string>(const std::string& id)> kindOf;
    std::function<std::optional<std::string>(const std::string& id, const std::string& field)> value;
    /// Whether a record of @p kind names @p id in its field @p link and holds
    /// exactly @p equals in its field @p field (ScopeNaming: a task of this
    /// application is assigned to the verifier).
    std::function<bool(const std::string& kind, const std::string& link, const std::string& id,
                       const std::string& field, const std::string& equals)>
        namedBy;
};

/// The read scope of sync/PROTOCOL.md, "Scope", for one record of @p kind,
/// as the table of ScopeTable.h says: children (requirements, notes,
/// attachments, conflicts) follow the record they belong to, up to
/// kMaxLinkDepth links away (@p depth: links followed so far).
/// PullPlanner::scope computes the same set with SQL.
bool readable(const Principal& p, const std::string& kind, const std::string& id, const RecordLookup& l,
              int depth = 0);

/// Why @p p may not make change @p c, or "" when it may. @p before is the
/// record as the server holds it (@p exists: it holds it), @p after as it
/// would stand after the batch.
std::string scopeRefusal(const Principal& p, const WireChange& c, bool exists, const RecordLookup& before,
                         const RecordLookup& after);

} // namespace berkas::sync
