#include "model/Schema.h"

#include "model/Error.h"

namespace berkas::model {

namespace {

FieldDef text(std::string name, bool required = false)
{
    FieldDef f;
    f.name = std::move(name);
    f.required = required;
    return f;
}

FieldDef typed(std::string name, FieldType type, bool required = false)
{
    FieldDef f = text(std::move(name), required);
    f.type = type;
    return f;
}

FieldDef choice(std::string name, std::vector<std::string> allowed, bool required = false)
{
    FieldDef f = typed(std::move(name), FieldType::Enum, required);
    f.allowed = std::move(allowed);
    return f;
}

FieldDef review(FieldDef f)
{
    f.policy = MergePolicy::Review;
    return f;
}

FieldDef access(FieldDef f, FieldAccess a)
{
    f.access = a;
    return f;
}

FieldDef reference(std::string name, std::string kind, bool required = false)
{
    FieldDef f = typed(std::move(name), FieldType::Reference, required);
    f.referenceKind = std::move(kind);
    return f;
}

std::vector<KindDef> buildKinds()
{
    std::vector<KindDef> all;

    all.push_back({"service", "service", false, true,
                   {
                       access(text("code", true), FieldAccess::CreateOnly),
                       text("name", true),
                       text("agency"),
                       typed("sla_days", FieldType::Integer, true),
                       choice("needs_field_verification", {"yes", "no", "optional"}),
                       typed("requirements", FieldType::List),
                       typed("suspended_from", FieldType::Date),
                       typed("suspended_to", FieldType::Date),
                       text("suspension_basis"),
                       typed("exempt_from_suspension", FieldType::Bool),
                   }});

    all.push_back({"application", "application", false, true,
                   {
                       review(access(text("reg_no"), FieldAccess::Server)),
                       access(text("provisional_no"), FieldAccess::Computed),
                       review(text("service_code", true)),
                       text("applicant_name", true),
                       review(typed("nik", FieldType::Nik)),
                       review(typed("nib", FieldType::Nib)),
                       typed("phone", FieldType::Phone),
                       typed("email", FieldType::Email),
                       typed("address", FieldType::LongText),
                       typed("kecamatan", FieldType::Kecamatan),
                       typed("kelurahan", FieldType::Kelurahan),
                       choice("channel", {"portal", "phone", "email", "whatsapp", "social_media", "counter", "oss"},
                              true),
                       review(choice("status", {"draft", "submitted", "document_check", "field_verification",
                                                "recommendation", "approved", "rejected", "issued", "withdrawn"})),
                       typed("submitted_at", FieldType::Timestamp),
                       access(typed("due_date", FieldType::Date), FieldAccess::Computed),
                       text("assigned_to"),
                   }});

    all.push_back({"requirement", "requirement", false, false,
                   {
                       access(reference("application_id", "application", true), FieldAccess::CreateOnly),
                       text("requirement", true),
                       typed("fulfilled", FieldType::Bool),
                       text("checked_by"),
                       typed("note", FieldType::LongText),
                   }});

    all.push_back({"task", "task", false, true,
                   {
                       access(reference("application_id", "application", true), FieldAccess::CreateOnly),
                       text("assigned_to", true),
                       typed("scheduled_for", FieldType::Date),
                       review(choice("status", {"assigned", "in_progress", "done", "cancelled"})),
                       review(choice("result", {"compliant", "non_compliant", "needs_revision"})),
                       typed("findings", FieldType::LongText),
                       typed("latitude", FieldType::Latitude),
                       typed("longitude", FieldType::Longitude),
                       typed("visited_at", FieldType::Timestamp),
                   }});

    all.push_back({"complaint", "complaint", false, true,
                   {
                       choice("kind", {"complaint", "consultation"}, true),
                       choice("channel", {"call_center", "whatsapp", "social_media", "email", "sp4n_lapor", "walk_in"},
                              true),
                       text("complainant_name", true),
                       text("contact"),
                       text("subject", true),
                       typed("body", FieldType::LongText),
                       text("category"),
                       choice("sla_class", {"minor", "normative", "non_supervisory", "investigation", "referral"}),
                       typed("kecamatan", FieldType::Kecamatan),
                       reference("application_id", "application"),
                       review(choice("status", {"received", "in_progress", "responded", "closed"})),
                       typed("received_at", FieldType::Timestamp),
                       access(typed("due_date", FieldType::Date), FieldAccess::Computed),
                       typed("response", FieldType::LongText),
                       typed("responded_at", FieldType::Timestamp),
                   }});

    all.push_back({"booking", "booking", false, true,
                   {
                       text("service_code", true),
                       text("location", true),
                       typed("date", FieldType::Date, true),
                       typed("slot", FieldType::Slot, true),
                       text("applicant_name", true),
                       review(typed("nik", FieldType::Nik)),
                       typed("email", FieldType::Email),
                       typed("phone", FieldType::Phone),
                       access(text("code"), FieldAccess::Computed),
                       review(choice("status", {"tentative", "confirmed", "overbooked", "checked_in", "cancelled",
                                                "no_show"})),
                   }});

    all.push_back({"note", "note", true, false,
                   {
                       access(typed("parent_id", FieldType::Reference, true), FieldAccess::CreateOnly),
                       access(text("author"), FieldAccess::CreateOnly),
                       access(typed("body", FieldType::LongText, true), FieldAccess::CreateOnly),
                   }});

    all.push_back({"attachment", "attachment", true, false,
                   {
                       access(typed("parent_id", FieldType::Reference, true), FieldAccess::CreateOnly),
                       access(text("name", true), FieldAccess::CreateOnly),
                       access(text("mime"), FieldAccess::CreateOnly),
                       access(typed("size", FieldType::Integer), FieldAccess::CreateOnly),
                       access(text("sha256", true), FieldAccess::CreateOnly),
                   }});

    // Conflict records are made by the merge (sync/Merge.h) and replicated like
    // any record; people only move them to resolved.
    FieldDef conflictStatus = choice("status", {"open", "resolved"});
    all.push_back({"conflict", "conflict", false, false,
                   {
                       access(text("record_kind"), FieldAccess::Computed),
                       access(typed("record_id", FieldType::Reference), FieldAccess::Computed),
                       access(text("field"), FieldAccess::Computed),
                       access(typed("kept_value", FieldType::LongText), FieldAccess::Computed),
                       access(typed("other_value", FieldType::LongText), FieldAccess::Computed),
                       access(text("kept_stamp"), FieldAccess::Computed),
                       access(text("other_stamp"), FieldAccess::Computed),
                       access(text("kept_user"), FieldAccess::Computed),
                       access(text("other_user"), FieldAccess::Computed),
                       access(typed("kept_at", FieldType::Timestamp), FieldAccess::Computed),
                       access(typed("other_at", FieldType::Timestamp), FieldAccess::Computed),
                       access(typed("needs_review", FieldType::Bool), FieldAccess::Computed),
                       access(conflictStatus, FieldAccess::Computed),
                       access(typed("resolution", FieldType::LongText), FieldAccess::Computed),
                       access(text("resolved_by"), FieldAccess::Computed),
                   }});

    return all;
}

} // namespace

const FieldDef* KindDef::field(std::string_view name) const
{
    for (const auto& f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

const std::vector<KindDef>& kinds()
{
    static const std::vector<KindDef> all = buildKinds();
    return all;
}

const KindDef* findKind(std::string_view name)
{
    for (const auto& k : kinds())
        if (k.name == name)
            return &k;
    return nullptr;
}

const KindDef& requireKind(std::string_view name)
{
    if (const KindDef* k = findKind(name))
        return *k;
    std::string known;
    for (const auto& k : kinds())
        if (k.userKind)
            known += (known.empty() ? "" : ", ") + k.name;
    throw Error(ErrorCode::InvalidData,
                "kind: unknown kind \"" + std::string(name) + "\"; expected one of " + known);
}

std::string_view fullTextColumns(const KindDef& kind)
{
    if (kind.name == "application")
        return "applicant_name, nik, nib, reg_no, provisional_no, address";
    if (kind.name == "complaint")
        return "complainant_name, contact, subject, body";
    return {};
}

const std::vector<std::string>& commonFields()
{
    static const std::vector<std::string> names = {field::kId, field::kCreatedAt, field::kUpdatedAt,
                                                   field::kDeleted};
    return names;
}

std::string typeName(FieldType type)
{
    switch (type)
    {
    case FieldType::Text: return "text";
    case FieldType::LongText: return "long text";
    case FieldType::Integer: return "integer";
    case FieldType::Real: return "number";
    case FieldType::Bool: return "boolean (1/0)";
    case FieldType::Date: return "date YYYY-MM-DD";
    case FieldType::Timestamp: return "time ISO 8601 with offset";
    case FieldType::Enum: return "one of";
    case FieldType::Nik: return "NIK (16 digits)";
    case FieldType::Nib: return "NIB (13 digits)";
    case FieldType::Phone: return "phone (+62...)";
    case FieldType::Email: return "e-mail";
    case FieldType::Latitude: return "latitude";
    case FieldType::Longitude: return "longitude";
    case FieldType::Slot: return "time HH:MM";
    case FieldType::Reference: return "record id";
    case FieldType::Kecamatan: return "kecamatan code PP.RR.DD";
    case FieldType::Kelurahan: return "kelurahan code PP.RR.DD.VVVV";
    case FieldType::List: return "list separated by ;";
    }
    return "text";
}

} // namespace berkas::model
