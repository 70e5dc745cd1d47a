#include "model/ConflictReason.h"

namespace berkas::model {

namespace {

constexpr ConflictReason kFixedReasons[] = {ConflictReason::EditedAfterDelete, ConflictReason::ReviewOpen,
                                            ConflictReason::DeletedWhileEdited, ConflictReason::ConcurrentReview,
                                            ConflictReason::Concurrent};

} // namespace

std::string conflictReasonText(ConflictReason reason, const std::string& detail)
{
    switch (reason)
    {
    case ConflictReason::None: return {};
    case ConflictReason::EditedAfterDelete: return "edited after the record was deleted";
    case ConflictReason::ImpossibleMove: return detail;
    case ConflictReason::ReviewOpen: return "status moves wait until the open conflict of this record is resolved";
    case ConflictReason::DeletedWhileEdited: return "deleted while others were editing it";
    case ConflictReason::ConcurrentReview:
        return "changed on two devices at the same time; legally significant, so it waits for review";
    case ConflictReason::Concurrent: return "changed on two devices at the same time";
    }
    return {};
}

ConflictReason conflictReasonOf(const std::string& text)
{
    if (text.empty())
        return ConflictReason::None;
    for (const ConflictReason reason : kFixedReasons)
        if (text == conflictReasonText(reason))
            return reason;
    return ConflictReason::ImpossibleMove;
}

} // namespace berkas::model
