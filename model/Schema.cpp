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

    all.push_back({kind::kService, kind::kService, false, true,
                   {
                       access(text(field::kCode, true), FieldAccess::CreateOnly),
                       text(field::kName, true),
                       text(field::kAgency),
                       typed(field::kSlaDays, FieldType::Integer, true),
                       choice(field::kNeedsFieldVerification, {"yes", "no", "optional"}),
                       typed(field::kRequirements, FieldType::List),
                       typed(field::kSuspendedFrom, FieldType::Date),
                       typed(field::kSuspendedTo, FieldType::Date),
                       text(field::kSuspensionBasis),
                       typed(field::kExemptFromSuspension, FieldType::Bool),
                   }});

    all.push_back({kind::kApplication, kind::kApplication, false, true,
                   {
                       review(access(text(field::kRegNo), FieldAccess::Server)),
                       access(text(field::kProvisionalNo), FieldAccess::Computed),
                       review(text(field::kServiceCode, true)),
                       text(field::kApplicantName, true),
                       review(typed(field::kNik, FieldType::Nik)),
                       review(typed(field::kNib, FieldType::Nib)),
                       typed(field::kPhone, FieldType::Phone),
                       typed(field::kEmail, FieldType::Email),
                       typed(field::kAddress, FieldType::LongText),
                       typed(field::kKecamatan, FieldType::Kecamatan),
                       typed(field::kKelurahan, FieldType::Kelurahan),
                       choice(field::kChannel,
                              {"portal", "phone", "email", "whatsapp", "social_media", "counter", "oss"},
                              true),
                       review(choice(field::kStatus,
                                     {"draft", "submitted", "document_check", "field_verification",
                                      "recommendation", "approved", "rejected", "issued", "withdrawn"})),
                       typed(field::kSubmittedAt, FieldType::Timestamp),
                       access(typed(field::kDueDate, FieldType::Date), FieldAccess::Computed),
                       text(field::kAssignedTo),
                       typed(field::kChecklistOverride, FieldType::LongText),
                       access(typed(field::kSlaStarted, FieldType::Date), FieldAccess::Computed),
                   }});

    all.push_back({kind::kRequirement, kind::kRequirement, false, false,
                   {
                       access(reference(field::kApplicationId, kind::kApplication, true),
                              FieldAccess::CreateOnly),
                       text(field::kRequirement, true),
                       typed(field::kFulfilled, FieldType::Bool),
                       text(field::kCheckedBy),
                       typed(field::kNote, FieldType::LongText),
                   }});

    all.push_back({kind::kTask, kind::kTask, false, true,
                   {
                       access(reference(field::kApplicationId, kind::kApplication, true),
                              FieldAccess::CreateOnly),
                       text(field::kAssignedTo, true),
                       typed(field::kScheduledFor, FieldType::Date),
                       review(choice(field::kStatus, {"assigned", "in_progress", "done", "cancelled"})),
                       review(choice(field::kResult, {"compliant", "non_compliant", "needs_revision"})),
                       typed(field::kFindings, FieldType::LongText),
                       typed(field::kLatitude, FieldType::Latitude),
                       typed(field::kLongitude, FieldType::Longitude),
                       typed(field::kVisitedAt, FieldType::Timestamp),
                   }});

    all.push_back({kind::kComplaint, kind::kComplaint, false, true,
                   {
                       choice(field::kKind, {"complaint", "consultation"}, true),
                       choice(field::kChannel,
                              {"call_center", "whatsapp", "social_media", "email", "sp4n_lapor", "walk_in"},
                              true),
                       text(field::kComplainantName, true),
                       text(field::kContact),
                       text(field::kSubject, true),
                       typed(field::kBody, FieldType::LongText),
                       text(field::kCategory),
                       choice(field::kSlaClass,
                              {"minor", "normative", "non_supervisory", "investigation", "referral"}),
                       typed(field::kKecamatan, FieldType::Kecamatan),
                       reference(field::kApplicationId, kind::kApplication),
                       review(choice(field::kStatus, {"received", "in_progress", "responded", "closed"})),
                       typed(field::kReceivedAt, FieldType::Timestamp),
                       access(typed(field::kDueDate, FieldType::Date), FieldAccess::Computed),
                       typed(field::kResponse, FieldType::LongText),
                       typed(field::kRespondedAt, FieldType::Timestamp),
                   }});

    all.push_back({kind::kBooking, kind::kBooking, false, true,
                   {
                       text(field::kServiceCode, true),
                       text(field::kLocation, true),
                       typed(field::kDate, FieldType::Date, true),
                       typed(field::kSlot, FieldType::Slot, true),
                       text(field::kApplicantName, true),
                       review(typed(field::kNik, FieldType::Nik)),
                       typed(field::kEmail, FieldType::Email),
                       typed(field::kPhone, FieldType::Phone),
                       access(text(field::kCode), FieldAccess::Computed),
                       review(choice(field::kStatus, {"tentative", "confirmed", "overbooked", "checked_in",
                                                      "cancelled", "no_show"})),
                   }});

    all.push_back({kind::kNote, kind::kNote, true, false,
                   {
                       access(typed(field::kParentId, FieldType::Reference, true), FieldAccess::CreateOnly),
                       access(text(field::kAuthor), FieldAccess::CreateOnly),
                       access(typed(field::kBody, FieldType::LongText, true), FieldAccess::CreateOnly),
                   }});

    all.push_back({kind::kAttachment, kind::kAttachment, true, false,
                   {
                       access(typed(field::kParentId, FieldType::Reference, true), FieldAccess::CreateOnly),
                       access(text(field::kName, true), FieldAccess::CreateOnly),
                       access(text(field::kMime), FieldAccess::CreateOnly),
                       access(typed(field::kSize, FieldType::Integer), FieldAccess::CreateOnly),
                       access(text(field::kSha256, true), FieldAccess::CreateOnly),
                       access(typed(field::kTakenAt, FieldType::Timestamp), FieldAccess::CreateOnly),
                       access(typed(field::kLatitude, FieldType::Latitude), FieldAccess::CreateOnly),
                       access(typed(field::kLongitude, FieldType::Longitude), FieldAccess::CreateOnly),
                   }});

    // Conflict records are made by the merge (sync/Merge.h) and replicated like
    // any record; people only move them to resolved.
    FieldDef conflictStatus = choice(field::kStatus, {"open", "resolved"});
    all.push_back({kind::kConflict, kind::kConflict, false, false,
                   {
                       access(text(field::kRecordKind), FieldAccess::Computed),
                       access(typed(field::kRecordId, FieldType::Reference), FieldAccess::Computed),
                       access(text(field::kField), FieldAccess::Computed),
                       access(typed(field::kKeptValue, FieldType::LongText), FieldAccess::Computed),
                       access(typed(field::kOtherValue, FieldType::LongText), FieldAccess::Computed),
                       access(text(field::kKeptStamp), FieldAccess::Computed),
                       access(text(field::kOtherStamp), FieldAccess::Computed),
                       access(text(field::kKeptUser), FieldAccess::Computed),
                       access(text(field::kOtherUser), FieldAccess::Computed),
                       access(typed(field::kKeptAt, FieldType::Timestamp), FieldAccess::Computed),
                       access(typed(field::kOtherAt, FieldType::Timestamp), FieldAccess::Computed),
                       access(typed(field::kNeedsReview, FieldType::Bool), FieldAccess::Computed),
                       access(conflictStatus, FieldAccess::Computed),
                       access(typed(field::kResolution, FieldType::LongText), FieldAccess::Computed),
                       access(text(field::kResolvedBy), FieldAccess::Computed),
                   }});

    // The central office's calendar (model/OfficeCalendar.h): written by an
    // administrator (berkas-server catalog import, or the window), read by all.
    FieldDef steps = typed(field::kSteps, FieldType::List); // required unless it extends another (catalogRecordProblem)
    steps.allowed = {"counter_intake", "field_verification", "consultation", "oss_assistance"};
    all.push_back({kind::kSuspension, kind::kSuspension, false, true,
                   {
                       text(field::kInstrument, true),
                       text(field::kNumber),
                       text(field::kRegion),
                       typed(field::kDateFrom, FieldType::Date, true),
                       typed(field::kDateTo, FieldType::Date),
                       reference(field::kExtends, kind::kSuspension),
                       typed(field::kScope, FieldType::LongText),
                       typed(field::kLocations, FieldType::List),
                       steps,
                       typed(field::kExemptServices, FieldType::List),
                       typed(field::kChannels, FieldType::LongText),
                       text(field::kSource),
                   }});

    all.push_back({kind::kCalendarDay, kind::kCalendarDay, false, true,
                   {
                       typed(field::kDate, FieldType::Date, true),
                       text(field::kName),
                       choice(field::kKind, {"national", "cuti_bersama", "regional", "working_day"}, true),
                       text(field::kRegion),
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
    if (kind.name == kind::kApplication)
        return "applicant_name, nik, nib, reg_no, provisional_no, address";
    if (kind.name == kind::kComplaint)
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

std::vector<std::string> listItems(const std::string& value)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= value.size())
    {
        const std::size_t end = std::min(value.find(';', start), value.size());
        std::string item = value.substr(start, end - start);
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos)
            out.push_back(item.substr(first, last - first + 1));
        start = end + 1;
    }
    return out;
}

} // namespace berkas::model
