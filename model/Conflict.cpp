#include "model/Conflict.h"

#include "model/Error.h"
#include "model/Schema.h"
#include "model/Validation.h"
#include "model/ValidationReport.h"
#include "model/Workflow.h"

namespace berkas::model {

namespace {

constexpr const char* kOpen = "open";
constexpr const char* kResolved = "resolved";

std::optional<std::string> optional(const std::string& value)
{
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

Stamp stampOf(const Record& record, const char* name)
{
    const std::string& text = record.value(name);
    if (text.empty())
        return Stamp{};
    try
    {
        return parseStamp(text);
    }
    catch (const Error& e)
    {
        throw Error(ErrorCode::InvalidData, std::string(name) + ": " + e.what());
    }
}

const char* keepName(ConflictKeep keep)
{
    switch (keep)
    {
    case ConflictKeep::Local: return "local";
    case ConflictKeep::Remote: return "remote";
    case ConflictKeep::Value: return "value";
    }
    return "local";
}

} // namespace

Conflict Conflict::fromRecord(const Record& record)
{
    if (record.kind != kind::kConflict)
        throw Error(ErrorCode::InvalidData, "id: " + record.id + " is a " + record.kind + ", not a conflict");
    Conflict c;
    c.id = record.id;
    c.createdAt = record.value(model::field::kCreatedAt);
    c.recordKind = record.value(model::field::kRecordKind);
    c.recordId = record.value(model::field::kRecordId);
    c.field = record.value(model::field::kField);
    c.keptValue = optional(record.value(model::field::kKeptValue));
    c.otherValue = optional(record.value(model::field::kOtherValue));
    c.keptStamp = stampOf(record, model::field::kKeptStamp);
    c.otherStamp = stampOf(record, model::field::kOtherStamp);
    c.keptUser = record.value(model::field::kKeptUser);
    c.otherUser = record.value(model::field::kOtherUser);
    c.keptAt = optional(record.value(model::field::kKeptAt));
    c.otherAt = optional(record.value(model::field::kOtherAt));
    c.needsReview = record.value(model::field::kNeedsReview) == "1";
    c.status = record.value(model::field::kStatus) == kOpen ? ConflictStatus::Open : ConflictStatus::Resolved;
    c.resolution = record.value(model::field::kResolution);
    c.resolvedBy = record.value(model::field::kResolvedBy);
    return c;
}

Conflict::Fields Conflict::toFields() const
{
    Fields fields = {
        {model::field::kCreatedAt, createdAt},
        {model::field::kRecordKind, recordKind},
        {model::field::kRecordId, recordId},
        {model::field::kField, field},
        {model::field::kKeptValue, keptValue},
        {model::field::kOtherValue, otherValue},
        {model::field::kKeptStamp, formatStamp(keptStamp)},
        {model::field::kOtherStamp, formatStamp(otherStamp)},
        {model::field::kKeptUser, keptUser},
        {model::field::kOtherUser, otherUser},
        {model::field::kKeptAt, keptAt},
        {model::field::kOtherAt, otherAt},
        {model::field::kNeedsReview, std::string(needsReview ? "1" : "0")},
        {model::field::kStatus, std::string(status == ConflictStatus::Open ? kOpen : kResolved)},
        {model::field::kResolution, resolution},
    };
    if (!resolvedBy.empty())
        fields.emplace_back(model::field::kResolvedBy, resolvedBy);
    return fields;
}

Record Conflict::toRecord() const
{
    Record r;
    r.kind = kind::kConflict;
    r.id = id;
    for (const auto& [name, value] : toFields())
        r.values[name] = value.value_or("");
    r.values[model::field::kId] = id;
    return r;
}

ConflictReason Conflict::reason() const
{
    return conflictReasonOf(resolution);
}

ConflictSides Conflict::sides(const std::string& deviceId, const std::string& shown) const
{
    const std::string kept = keptValue.value_or("");
    const std::string other = otherValue.value_or("");
    // The value set aside is looked at first: when both are this device's,
    // "local" is the one that did not stay.
    if (otherStamp.device == deviceId)
        return {other, kept, ConflictSide::Other, ConflictSide::Kept};
    if (keptStamp.device == deviceId)
        return {kept, other, ConflictSide::Kept, ConflictSide::Other};
    // Neither is this laptop's: "local" is what it shows. That is normally
    // the kept value; a later edit may show the other value again, and then
    // "remote" is the kept one, so that the two ways out still differ.
    if (shown == other)
        return {shown, kept, ConflictSide::Other, ConflictSide::Kept};
    return {shown, other, shown == kept ? ConflictSide::Kept : ConflictSide::Shown, ConflictSide::Other};
}

ConflictKeep Conflict::checkResolvable(const std::string& keep) const
{
    if (status != ConflictStatus::Open)
        throw Error(ErrorCode::InvalidData, "id: conflict " + id + " is already resolved");
    if (keep == "local")
        return ConflictKeep::Local;
    if (keep == "remote")
        return ConflictKeep::Remote;
    if (keep == "value")
        return ConflictKeep::Value;
    throw Error(ErrorCode::InvalidData, "keep: must be local, remote or value=VALUE, got \"" + keep + "\"");
}

ConflictResolution Conflict::resolve(ConflictKeep keep, const std::string& value, const Record& target,
                                     const std::string& deviceId, const std::string& user) const
{
    const ConflictSides two = sides(deviceId, target.value(field));
    const std::string chosen = keep == ConflictKeep::Local ? two.local : keep == ConflictKeep::Remote ? two.remote : value;

    ConflictResolution out;
    out.conflict = {{model::field::kStatus, kResolved},
                    {model::field::kResolution, std::string("kept ") + keepName(keep) + ": " + chosen},
                    {model::field::kResolvedBy, user}};
    const ConflictReason why = reason();
    if (target.deleted() && keep != ConflictKeep::Local &&
        (why == ConflictReason::EditedAfterDelete || why == ConflictReason::DeletedWhileEdited))
        out.record[model::field::kDeleted] = "0";
    if (field == model::field::kDeleted)
        out.record[model::field::kDeleted] = chosen.empty() ? "0" : chosen;
    else if (target.value(field) != chosen)
        out.record[field] = chosen;

    if (const auto move = out.record.find(model::field::kStatus); move != out.record.end())
    {
        const std::string& from = target.value(model::field::kStatus);
        if (!from.empty())
            if (auto refused = moveProblem(target.kind, from, move->second))
                throw ValidationError(FieldProblem(model::field::kStatus, std::move(*refused)));
    }
    return out;
}

ListQuery openConflictsQuery()
{
    ListQuery q;
    q.kind = kind::kConflict;
    q.where = {{model::field::kStatus, kOpen}};
    return q;
}

std::vector<Conflict> openConflicts(CaseStore& store)
{
    std::vector<Conflict> out;
    for (const auto& r : store.list(openConflictsQuery()))
        out.push_back(Conflict::fromRecord(r));
    return out;
}

std::int64_t countOpenConflicts(CaseStore& store)
{
    return store.count(openConflictsQuery());
}

} // namespace berkas::model
