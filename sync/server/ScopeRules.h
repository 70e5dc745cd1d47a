#pragma once

#include "sync/Protocol.h"
#include "sync/server/ServerTypes.h"

#include <functional>
#include <optional>
#include <string>

// The scope rules of sync/PROTOCOL.md, "Scope", record by record: which
// records a principal reads, and why a principal may not make a change.
// Pure; the push (PushApplier) and the pull (PullPlanner) both ask them.

namespace berkas::sync {

/// How many links the scope rules follow from a record to the one that
/// decides it (a conflict about a conflict about ... an application: people
/// settling one conflict at once make a conflict about it). Every spelling
/// of the read scope (readable() and PullPlanner's) follows exactly as deep.
inline constexpr int kMaxLinkDepth = 16;

/// Managers and administrators read and hold everything.
bool fullScope(const std::string& role);

/// How the scope rules see records: the server's copy, or the server's copy
/// with a push's values laid over it (the record as it would stand after).
struct RecordLookup
{
    std::function<std::optional<std::string>(const std::string& id)> kindOf;
    std::function<std::optional<std::string>(const std::string& id, const std::string& field)> value;
    /// Verifier: a task of this application is assigned to the principal.
    std::function<bool(const std::string& applicationId)> hasTaskFor;
};

/// The read scope of sync/PROTOCOL.md, "Scope", for one record. Children
/// (requirements, notes, attachments, conflicts) follow the record they
/// belong to. PullPlanner::scope computes the same set with SQL.
bool readable(const Principal& p, const std::string& kind, const std::string& id, const RecordLookup& l,
              int depth = 0);

/// Why @p p may not make change @p c, or "" when it may. @p before is the
/// record as the server holds it (@p exists: it holds it), @p after as it
/// would stand after the batch.
std::string scopeRefusal(const Principal& p, const WireChange& c, bool exists, const RecordLookup& before,
                         const RecordLookup& after);

} // namespace berkas::sync
