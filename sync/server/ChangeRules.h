#pragma once

#include "model/Regions.h"
#include "model/Schema.h"

#include <functional>
#include <optional>
#include <string>

namespace berkas::sync {

/// Why the central office refuses one pushed change (sync/PROTOCOL.md,
/// "Refused changes"). Each travels as its wire code in the push answer.
enum class RefusalCode
{
    None,
    OutOfScope,       ///< "out_of_scope": the user's role may not write this record or field
    InvalidValue,     ///< "invalid_value": the value breaks its field's form (NIK, date, enumeration, ...)
    ServerOnly,       ///< "server_only": only the central office writes it (reg_no, conflict records)
    FixedField,       ///< "fixed_field": set at creation and fixed since (or an append-only record)
    IncompleteRecord, ///< "incomplete_record": a new record lacks a required field or a valid first state
    WrongKind,        ///< "wrong_kind": the id names a record of another kind
    MissingReference, ///< "missing_reference": the record it points to is not known
};

/// The wire code of @p code ("out_of_scope", ...); "" for None.
std::string refusalCodeName(RefusalCode code);
/// The code of a wire name; None for an unknown one.
RefusalCode refusalCodeFromName(const std::string& name);

/// A refusal: its code and one English sentence naming the field and the rule.
struct Refusal
{
    RefusalCode code = RefusalCode::None;
    std::string reason;

    explicit operator bool() const { return code != RefusalCode::None; }
};

/// Whether a device may write one field of one record, judged on the change
/// alone: the same value rules the laptop applies before writing
/// (model::checkFieldValue), in their canonical spelling, and who writes the
/// field. @p creating: the server does not hold the record yet. Pure.
Refusal checkPushedField(const model::KindDef& kind, const std::string& field,
                         const std::optional<std::string>& value, bool creating, const model::Regions& regions);

/// Whether a record the server did not hold may be created with @p value
/// giving each of its fields as the push leaves it and @p firstStatus the
/// status it was created with: every required field has a value, and a
/// workflow kind starts in its first state (model::initialStatusError).
/// Conflict records are made only by the central office. Pure.
Refusal checkNewRecord(const model::KindDef& kind,
                       const std::function<std::optional<std::string>(const std::string& field)>& value,
                       const std::optional<std::string>& firstStatus);

} // namespace berkas::sync
