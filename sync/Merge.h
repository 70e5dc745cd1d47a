#pragma once

#include "model/ConflictReason.h"
#include "model/Hlc.h"
#include "model/Schema.h"

#include <optional>
#include <string>

namespace berkas::sync {

using model::Stamp;

/// One field of one record as a replica holds it.
struct FieldState
{
    std::optional<std::string> value;
    Stamp stamp; ///< zero when the field was never written
};

/// A field change as pushed by a device: the new value, its stamp and the
/// stamp of the value it replaced on that device (its base).
struct FieldChange
{
    std::string kind;
    std::string recordId;
    std::string field;
    std::optional<std::string> value;
    Stamp stamp;
    Stamp base;
};

/// What the record around the field looks like, for the rules that span fields.
struct MergeContext
{
    bool recordDeleted = false;       ///< the record is a tombstone
    bool reviewConflictOpen = false;  ///< an unresolved conflict needing review
    bool concurrentEditsOfRecord = false; ///< for a delete: others edited it meanwhile
};

enum class MergeResult
{
    Applied,            ///< the change replaces the value, no conflict
    Duplicate,          ///< the replica already holds exactly this change
    IncomingWins,       ///< concurrent; the change replaces the value, the old one goes to a conflict
    CurrentWins,        ///< concurrent or refused; the value stays, the change goes to a conflict
};

/// Why a change became a conflict: the conflict record's reason, whose
/// sentence the record's `resolution` carries (model/ConflictReason.h).
using MergeReason = model::ConflictReason;

/// The decision for one change, and whether a person must review it.
struct MergeOutcome
{
    MergeResult result = MergeResult::Applied;
    bool needsReview = false;
    MergeReason why = MergeReason::None;
    std::string detail; ///< for ImpossibleMove: model::moveError's sentence

    bool applies() const { return result == MergeResult::Applied || result == MergeResult::IncomingWins; }
    bool conflict() const { return result == MergeResult::IncomingWins || result == MergeResult::CurrentWins; }
    /// Why there is a conflict, in one English sentence ("" for none): the
    /// text the conflict record's `resolution` and the push answer carry.
    std::string reason() const;
};

/// The merge rule, the same on every replica (DESIGN.md, "Sync"). Pure: it
/// looks only at its arguments.
///
/// A change whose base is the current stamp simply applies, unless it is an
/// impossible workflow move, a status move while a review conflict is open, or
/// an edit of a deleted record: those keep the current value and become a
/// conflict needing review. A change made without seeing the current value
/// (base differs) is concurrent: for MergePolicy::Stamp the higher
/// (HLC, device) stamp wins and the loser is kept in a conflict; for
/// MergePolicy::Review the current value stays and the conflict needs review.
/// Two concurrent edits to the same value are no conflict: the higher stamp
/// is kept.
MergeOutcome merge(const model::KindDef& kind, const FieldChange& change, const FieldState& current,
                   const MergeContext& context);

/// On a laptop, a value pulled from the server against a local change that is
/// not pushed yet (@p pending, the newest of its field): true when the pulled
/// value should replace the local one now. Decided by merge() itself: once
/// the local change reaches the server, the server merges it against the
/// value pulled here, so the pulled value wins exactly when that merge keeps
/// it. The laptop thus shows the value every replica will end up with.
/// @p context is the record as the laptop knows it.
bool pulledValueWins(const model::KindDef& kind, const FieldChange& pending, const FieldState& pulled,
                     const MergeContext& context);

} // namespace berkas::sync
