#include "sync/Merge.h"

#include "model/Workflow.h"

#include <algorithm>

namespace berkas::sync {

std::string MergeOutcome::reason() const
{
    return model::conflictReasonText(why, detail);
}

MergeOutcome merge(const model::KindDef& kind, const FieldChange& change, const FieldState& current,
                   const MergeContext& context)
{
    using model::MergePolicy;
    MergeOutcome out;
    if (change.stamp == current.stamp)
    {
        out.result = MergeResult::Duplicate;
        return out;
    }
    const model::FieldDef* fd = kind.field(change.field);
    const bool isDelete = change.field == model::field::kDeleted;
    const auto& workflows = model::workflowKinds();
    const bool isStatus = change.field == model::field::kStatus &&
                          std::find(workflows.begin(), workflows.end(), kind.name) != workflows.end();
    const MergePolicy policy = isDelete ? MergePolicy::Review : fd ? fd->policy : MergePolicy::Stamp;
    const std::string currentValue = current.value.value_or("");
    const std::string incomingValue = change.value.value_or("");

    // Device A deletes a record while device B, offline, edits its address;
    // B's edit arrives after the delete. The record stays deleted and B's
    // address is kept in a conflict for someone to restore or dismiss.
    if (context.recordDeleted && !isDelete)
    {
        out.result = MergeResult::CurrentWins;
        out.needsReview = true;
        out.why = MergeReason::EditedAfterDelete;
        return out;
    }

    const bool concurrent = change.base != current.stamp && !current.stamp.isZero();
    if (!concurrent)
    {
        if (isStatus && !currentValue.empty() && !model::isAllowedMove(kind.name, currentValue, incomingValue))
        {
            out.result = MergeResult::CurrentWins;
            out.needsReview = true;
            out.why = MergeReason::ImpossibleMove;
            out.detail = model::moveError(kind.name, currentValue, incomingValue);
            return out;
        }
        if (isStatus && context.reviewConflictOpen)
        {
            out.result = MergeResult::CurrentWins;
            out.needsReview = true;
            out.why = MergeReason::ReviewOpen;
            return out;
        }
        if (isDelete && incomingValue == "1" && context.concurrentEditsOfRecord)
        {
            // The delete wins (it was made on purpose) but the edits it hides
            // are flagged for review.
            out.result = MergeResult::IncomingWins;
            out.needsReview = true;
            out.why = MergeReason::DeletedWhileEdited;
            return out;
        }
        out.result = MergeResult::Applied;
        return out;
    }

    if (currentValue == incomingValue)
    {
        // Both sides wrote the same value: nothing to review.
        out.result = change.stamp > current.stamp ? MergeResult::Applied : MergeResult::Duplicate;
        return out;
    }
    if (policy == MergePolicy::Review)
    {
        out.result = MergeResult::CurrentWins;
        out.needsReview = true;
        out.why = MergeReason::ConcurrentReview;
        return out;
    }
    out.result = change.stamp > current.stamp ? MergeResult::IncomingWins : MergeResult::CurrentWins;
    out.why = MergeReason::Concurrent;
    return out;
}

bool pulledValueWins(const model::KindDef& kind, const FieldChange& pending, const FieldState& pulled,
                     const MergeContext& context)
{
    // Device A edits the phone offline (stamp 300, based on 100) and, before
    // pushing, pulls B's phone (stamp 200). At the server A's change will
    // meet B's: concurrent, and A's higher stamp applies, so A keeps showing
    // its own. Had it been the NIK (a review field), the server would keep
    // B's: the laptop shows B's now.
    return !merge(kind, pending, pulled, context).applies();
}

} // namespace berkas::sync
