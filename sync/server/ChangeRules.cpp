#include "sync/server/ChangeRules.h"

#include "model/Validation.h"
#include "model/Workflow.h"

#include <algorithm>
#include <array>
#include <utility>

namespace berkas::sync {

namespace {

const std::array<std::pair<RefusalCode, const char*>, 7> kNames = {{
    {RefusalCode::OutOfScope, "out_of_scope"},
    {RefusalCode::InvalidValue, "invalid_value"},
    {RefusalCode::ServerOnly, "server_only"},
    {RefusalCode::FixedField, "fixed_field"},
    {RefusalCode::IncompleteRecord, "incomplete_record"},
    {RefusalCode::WrongKind, "wrong_kind"},
    {RefusalCode::MissingReference, "missing_reference"},
}};

Refusal refuse(RefusalCode code, const std::string& field, const std::string& rule)
{
    return {code, field + ": " + rule};
}

/// The fields of a conflict record a person sets when resolving it; the
/// rest are written by the central office's merge.
bool resolutionField(const std::string& field)
{
    return field == model::field::kStatus || field == model::field::kResolution ||
           field == model::field::kResolvedBy;
}

bool isWorkflowKind(const std::string& kind)
{
    const auto& kinds = model::workflowKinds();
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

} // namespace

std::string refusalCodeName(RefusalCode code)
{
    for (const auto& [c, name] : kNames)
        if (c == code)
            return name;
    return {};
}

RefusalCode refusalCodeFromName(const std::string& name)
{
    for (const auto& [c, n] : kNames)
        if (name == n)
            return c;
    return RefusalCode::None;
}

Refusal checkPushedField(const model::KindDef& kind, const std::string& field,
                         const std::optional<std::string>& value, bool creating, const model::Regions& regions)
{
    const std::string text = value.value_or("");
    if (kind.name == model::kind::kConflict)
    {
        // A laptop never makes a conflict: it only settles one.
        if (creating)
            return refuse(RefusalCode::ServerOnly, field, "conflict records are made by the central office");
        if (!resolutionField(field))
            return refuse(RefusalCode::ServerOnly, field, "is written by the central office's merge");
        if (field == model::field::kStatus && text != "open" && text != "resolved")
            return refuse(RefusalCode::InvalidValue, field, "must be open or resolved, got \"" + text + "\"");
        return {};
    }
    if (!creating && kind.appendOnly)
        return refuse(RefusalCode::FixedField, field, kind.name + " records cannot be changed once written");
    if (field == model::field::kDeleted)
    {
        if (text != "0" && text != "1")
            return refuse(RefusalCode::InvalidValue, field, "must be \"0\" or \"1\", got \"" + text + "\"");
        return {};
    }
    if (field == model::field::kCreatedAt)
    {
        if (!creating)
            return refuse(RefusalCode::FixedField, field, "cannot be changed after the record is created");
        if (text.empty())
            return {};
        const auto check = model::checkTimestamp(text);
        if (!check.ok)
            return refuse(RefusalCode::InvalidValue, field, check.message());
        return {};
    }
    const model::FieldDef* fd = kind.field(field);
    if (!fd)
        return refuse(RefusalCode::InvalidValue, field, "unknown field of " + kind.name);
    if (fd->access == model::FieldAccess::Server)
        return refuse(RefusalCode::ServerOnly, field, "is assigned by the central office and cannot be set");
    if (fd->access == model::FieldAccess::CreateOnly && !creating)
        return refuse(RefusalCode::FixedField, field, "cannot be changed after the record is created");
    if (text.empty())
    {
        if (fd->required)
            return refuse(RefusalCode::InvalidValue, field, "is required");
        return {};
    }
    if (field == model::field::kStatus && model::decidedByServer(kind.name, text))
        return refuse(RefusalCode::ServerOnly, field,
                      text + " is decided by the central office against the counter's capacity");
    const model::FieldCheck check = model::checkFieldValue(*fd, text, regions);
    if (!check.ok)
        return refuse(RefusalCode::InvalidValue, field, check.message());
    // Every replica stores the same spelling: "0812 3456 7890" would show as
    // one value here and "+6281234567890" on a laptop that wrote it itself.
    if (check.normalized != text)
        return refuse(RefusalCode::InvalidValue, field,
                      "must be written as \"" + check.normalized + "\", got \"" + text + "\"");
    return {};
}

Refusal checkNewRecord(const model::KindDef& kind,
                       const std::function<std::optional<std::string>(const std::string& field)>& value,
                       const std::optional<std::string>& firstStatus)
{
    if (kind.name == model::kind::kConflict)
        return refuse(RefusalCode::ServerOnly, model::field::kRecordId,
                      "conflict records are made by the central office");
    std::string missing;
    for (const auto& fd : kind.fields)
        if (fd.required && fd.access != model::FieldAccess::Computed && value(fd.name).value_or("").empty())
            missing += (missing.empty() ? "" : ", ") + fd.name;
    if (!missing.empty())
        return {RefusalCode::IncompleteRecord,
                missing + ": " + (missing.find(',') == std::string::npos ? "is" : "are") + " required to create a " +
                    kind.name};
    if (isWorkflowKind(kind.name) && kind.field(model::field::kStatus))
    {
        if (const std::string why = model::initialStatusError(kind.name, firstStatus.value_or("")); !why.empty())
            return refuse(RefusalCode::IncompleteRecord, model::field::kStatus, why);
    }
    return {};
}

} // namespace berkas::sync
