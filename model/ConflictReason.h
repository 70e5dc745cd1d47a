#pragma once

#include <string>

namespace berkas::model {

/// Why the merge (sync/Merge.h) set a value aside. The sentence of each
/// (conflictReasonText) travels in an open conflict's `resolution` field and
/// in the push answer; it is made here only, and read back by
/// conflictReasonOf.
enum class ConflictReason
{
    None,               ///< no conflict
    EditedAfterDelete,  ///< an edit of a deleted record
    ImpossibleMove,     ///< a workflow move the table does not allow (detail: which)
    ReviewOpen,         ///< a status move while a conflict needing review is open
    DeletedWhileEdited, ///< a delete made without seeing others' later edits
    ConcurrentReview,   ///< concurrent edits of a legally significant field
    Concurrent,         ///< concurrent edits; the higher stamp won
};

/// The English sentence of @p reason ("" for None); for ImpossibleMove it is
/// @p detail, model::moveError's sentence.
std::string conflictReasonText(ConflictReason reason, const std::string& detail = "");

/// The reason whose sentence is @p text: None for "", ImpossibleMove for a
/// sentence that is none of the fixed ones (it is moveError's).
ConflictReason conflictReasonOf(const std::string& text);

} // namespace berkas::model
