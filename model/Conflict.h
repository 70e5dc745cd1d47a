#pragma once

#include "model/CaseStore.h"
#include "model/ConflictReason.h"
#include "model/Hlc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berkas::model {

enum class ConflictStatus
{
    Open,
    Resolved
};

/// How a person settles a conflict (`berkas resolve --keep=...`).
enum class ConflictKeep
{
    Local,  ///< "local": this laptop's value
    Remote, ///< "remote": the other one
    Value   ///< "value": a value the person types
};

/// Which stored value a side of a conflict is.
enum class ConflictSide
{
    Kept,  ///< kept_value, with kept_user, kept_at and kept_stamp
    Other, ///< other_value, with other_user, other_at and other_stamp
    Shown  ///< neither: the value this laptop shows now, written after the conflict
};

/// A conflict's two values as one laptop sees them: what "keep local" and
/// "keep remote" keep, and which stored value each is.
struct ConflictSides
{
    std::string local;
    std::string remote;
    ConflictSide localSide = ConflictSide::Kept;
    ConflictSide remoteSide = ConflictSide::Other;
};

/// What settling a conflict writes, in this order: the conflict's own fields,
/// then the record's (the chosen value, perhaps an undeletion; empty when
/// the record already shows it).
struct ConflictResolution
{
    FieldMap conflict;
    FieldMap record;
};

/// The conflict record (kind "conflict", DESIGN.md "Records"): made by the
/// central office when the merge sets a value aside, replicated like any
/// record, moved to resolved by a person. Values absent on the record are
/// nullopt where the server may write "no value" (a value never written, the
/// time of a zero stamp), else "".
struct Conflict
{
    using Fields = std::vector<std::pair<std::string, std::optional<std::string>>>;

    std::string id;
    std::string createdAt;
    std::string recordKind;
    std::string recordId;
    std::string field;
    std::optional<std::string> keptValue;  ///< the value every replica shows
    std::optional<std::string> otherValue; ///< the value set aside
    Stamp keptStamp;                       ///< zero: never written (a first deletion)
    Stamp otherStamp;
    std::string keptUser;
    std::string otherUser;
    std::optional<std::string> keptAt; ///< ISO 8601; nullopt for a zero stamp
    std::optional<std::string> otherAt;
    bool needsReview = false;
    ConflictStatus status = ConflictStatus::Open;
    /// Open: the merge's sentence (conflictReasonText); resolved: "kept local: VALUE", ...
    std::string resolution;
    std::string resolvedBy;

    /// Reads a record of kind "conflict". A missing stamp reads as the zero
    /// stamp; a status other than "open" as Resolved. Throws
    /// Error(InvalidData) for a record of another kind or a stamp that is not
    /// HLC@DEVICE.
    static Conflict fromRecord(const Record& record);

    /// The fields to write for this conflict, by name, in the order the
    /// central office writes them (created_at first; resolved_by only once
    /// set): every replica pulls them in this order.
    Fields toFields() const;

    /// The record as the store holds it (absent values as "").
    Record toRecord() const;

    /// Why the merge made this conflict; meaningful while it is open (after,
    /// `resolution` says what was kept).
    ConflictReason reason() const;

    /// Which value is this laptop's (@p deviceId), given the value of the
    /// field the laptop shows now (@p shown). Local is the value this device
    /// wrote when one of the two is its own (other_value before kept_value);
    /// otherwise the value shown, and remote the other value, or the kept one
    /// when the laptop shows the other value.
    ConflictSides sides(const std::string& deviceId, const std::string& shown) const;

    /// Checks that this conflict can be settled with @p keep ("local",
    /// "remote" or "value"). Throws Error(InvalidData) when it is resolved
    /// already or @p keep is none of those.
    ConflictKeep checkResolvable(const std::string& keep) const;

    /// What settling it writes, for the record @p target as this laptop holds
    /// it, by @p user of device @p deviceId. Keeping the remote value or a
    /// typed one of a record deleted in this conflict restores the record.
    /// A resolution may change a computed or server-owned field (it puts back
    /// a value that existed), so only the workflow is checked: throws
    /// Error(InvalidData) for a status move the table does not allow.
    ConflictResolution resolve(ConflictKeep keep, const std::string& value, const Record& target,
                               const std::string& deviceId, const std::string& user) const;
};

/// The list query of the open conflicts: kind "conflict", status open.
ListQuery openConflictsQuery();

/// The open conflicts on this laptop, newest first (as CaseStore::list).
std::vector<Conflict> openConflicts(CaseStore& store);

/// How many conflicts are open on this laptop.
std::int64_t countOpenConflicts(CaseStore& store);

} // namespace berkas::model
