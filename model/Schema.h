#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berkas::model {

/// How a field's value is checked and stored.
enum class FieldType
{
    Text,
    LongText,
    Integer,
    Real,
    Bool,
    Date,
    Timestamp,
    Enum,
    Nik,
    Nib,
    Phone,
    Email,
    Latitude,
    Longitude,
    Slot,
    Reference, ///< the id of another record
    Kecamatan, ///< district code PP.RR.DD
    Kelurahan, ///< village code PP.RR.DD.VVVV
    List       ///< items separated by ';'
};

/// How concurrent edits of a field are decided (see sync/Merge.h).
enum class MergePolicy
{
    /// Free text and contact details: the higher stamp wins, the loser is kept
    /// in a conflict record.
    Stamp,
    /// Legally significant (status, NIK, reg_no, deletion): the concurrent edit
    /// never replaces the value without a person's review.
    Review
};

/// Who may write a field.
enum class FieldAccess
{
    Editable,  ///< through new, set and import
    CreateOnly,///< given at creation, then fixed
    Computed,  ///< derived by the store (due_date, provisional_no, booking code)
    Server     ///< assigned by the central office (reg_no)
};

struct FieldDef
{
    std::string name;
    FieldType type = FieldType::Text;
    std::vector<std::string> allowed; ///< for Enum
    bool required = false;
    MergePolicy policy = MergePolicy::Stamp;
    FieldAccess access = FieldAccess::Editable;
    std::string referenceKind; ///< for Reference
    std::string help;          ///< one line for `berkas schema`
};

/// One record kind: its table and fields. The common fields (id, created_at,
/// updated_at, deleted) are not listed in @c fields; see commonFields().
struct KindDef
{
    std::string name;
    std::string table;
    bool appendOnly = false; ///< notes and attachments: created, never edited
    bool userKind = false;   ///< listed in DESIGN's command line KIND
    std::vector<FieldDef> fields;

    const FieldDef* field(std::string_view name) const;
};

/// Record kind names, defined once: the names of the command line, the sync
/// protocol and the tables (a kind's table has its name). Each is a KindDef of
/// kinds(). These and the field names below are plain C strings, so they make
/// map keys, SQL binds and std::string without a conversion; compare them with
/// a std::string (or string_view), never with another const char*.
namespace kind {
inline constexpr const char* kService = "service";
inline constexpr const char* kApplication = "application";
inline constexpr const char* kRequirement = "requirement";
inline constexpr const char* kTask = "task";
inline constexpr const char* kComplaint = "complaint";
inline constexpr const char* kBooking = "booking";
inline constexpr const char* kNote = "note";
inline constexpr const char* kAttachment = "attachment";
inline constexpr const char* kConflict = "conflict";
inline constexpr const char* kSuspension = "suspension";
inline constexpr const char* kCalendarDay = "calendar_day";
} // namespace kind

/// Field names, defined once: the names of the command line, CSV import,
/// the sync protocol and the columns. A name shared by several kinds
/// (status, kecamatan, ...) is listed under the first kind that has it.
namespace field {
// Present on every record (see commonFields()).
inline constexpr const char* kId = "id";
inline constexpr const char* kCreatedAt = "created_at";
inline constexpr const char* kUpdatedAt = "updated_at";
inline constexpr const char* kDeleted = "deleted";

// service
inline constexpr const char* kCode = "code";
inline constexpr const char* kName = "name";
inline constexpr const char* kAgency = "agency";
inline constexpr const char* kSlaDays = "sla_days";
inline constexpr const char* kNeedsFieldVerification = "needs_field_verification";
inline constexpr const char* kRequirements = "requirements";
inline constexpr const char* kSuspendedFrom = "suspended_from";
inline constexpr const char* kSuspendedTo = "suspended_to";
inline constexpr const char* kSuspensionBasis = "suspension_basis";
inline constexpr const char* kExemptFromSuspension = "exempt_from_suspension";

// application
inline constexpr const char* kRegNo = "reg_no";
inline constexpr const char* kProvisionalNo = "provisional_no";
inline constexpr const char* kServiceCode = "service_code";
inline constexpr const char* kApplicantName = "applicant_name";
inline constexpr const char* kNik = "nik";
inline constexpr const char* kNib = "nib";
inline constexpr const char* kPhone = "phone";
inline constexpr const char* kEmail = "email";
inline constexpr const char* kAddress = "address";
inline constexpr const char* kKecamatan = "kecamatan";
inline constexpr const char* kKelurahan = "kelurahan";
inline constexpr const char* kChannel = "channel";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kSubmittedAt = "submitted_at";
inline constexpr const char* kDueDate = "due_date";
inline constexpr const char* kChecklistOverride = "checklist_override";
inline constexpr const char* kSlaStarted = "sla_started";
inline constexpr const char* kAssignedTo = "assigned_to";

// requirement
inline constexpr const char* kApplicationId = "application_id";
inline constexpr const char* kRequirement = "requirement";
inline constexpr const char* kFulfilled = "fulfilled";
inline constexpr const char* kCheckedBy = "checked_by";
inline constexpr const char* kNote = "note";

// task
inline constexpr const char* kScheduledFor = "scheduled_for";
inline constexpr const char* kResult = "result";
inline constexpr const char* kFindings = "findings";
inline constexpr const char* kLatitude = "latitude";
inline constexpr const char* kLongitude = "longitude";
inline constexpr const char* kVisitedAt = "visited_at";

// complaint
inline constexpr const char* kKind = "kind";
inline constexpr const char* kComplainantName = "complainant_name";
inline constexpr const char* kContact = "contact";
inline constexpr const char* kSubject = "subject";
inline constexpr const char* kBody = "body";
inline constexpr const char* kCategory = "category";
inline constexpr const char* kSlaClass = "sla_class";
inline constexpr const char* kReceivedAt = "received_at";
inline constexpr const char* kResponse = "response";
inline constexpr const char* kRespondedAt = "responded_at";

// booking
inline constexpr const char* kLocation = "location";
inline constexpr const char* kDate = "date";
inline constexpr const char* kSlot = "slot";

// note and attachment
inline constexpr const char* kParentId = "parent_id";
inline constexpr const char* kAuthor = "author";
inline constexpr const char* kMime = "mime";
inline constexpr const char* kSize = "size";
inline constexpr const char* kSha256 = "sha256";
inline constexpr const char* kTakenAt = "taken_at"; ///< from a photo's EXIF; latitude and longitude too

// conflict
inline constexpr const char* kRecordKind = "record_kind";
inline constexpr const char* kRecordId = "record_id";
inline constexpr const char* kField = "field";
inline constexpr const char* kKeptValue = "kept_value";
inline constexpr const char* kOtherValue = "other_value";
inline constexpr const char* kKeptStamp = "kept_stamp";
inline constexpr const char* kOtherStamp = "other_stamp";
inline constexpr const char* kKeptUser = "kept_user";
inline constexpr const char* kOtherUser = "other_user";
inline constexpr const char* kKeptAt = "kept_at";
inline constexpr const char* kOtherAt = "other_at";
inline constexpr const char* kNeedsReview = "needs_review";
inline constexpr const char* kResolution = "resolution";
inline constexpr const char* kResolvedBy = "resolved_by";

// suspension (and calendar_day: date, name, kind, region)
inline constexpr const char* kInstrument = "instrument";
inline constexpr const char* kNumber = "number";
inline constexpr const char* kRegion = "region";
inline constexpr const char* kDateFrom = "date_from";
inline constexpr const char* kDateTo = "date_to";
inline constexpr const char* kExtends = "extends";
inline constexpr const char* kScope = "scope";
inline constexpr const char* kLocations = "locations";
inline constexpr const char* kSteps = "steps";
inline constexpr const char* kExemptServices = "exempt_services";
inline constexpr const char* kChannels = "channels";
inline constexpr const char* kSource = "source";
} // namespace field

/// Every record kind Berkas stores, in a stable order.
const std::vector<KindDef>& kinds();

/// The kind named @p name, or nullptr.
const KindDef* findKind(std::string_view name);

/// The kind or an Error(InvalidData) listing the known kinds.
const KindDef& requireKind(std::string_view name);

/// The columns of @p kind's full-text index (table "<table>_fts", see
/// Migrations), comma-separated, or empty when the kind has none.
std::string_view fullTextColumns(const KindDef& kind);

/// Names of the common fields present on every record.
const std::vector<std::string>& commonFields();

/// "enum", "date", ... for `berkas schema`.
std::string typeName(FieldType type);

/// Items of a List field ("a;b; c" -> {"a", "b", "c"}), trimmed, empty ones
/// left out.
std::vector<std::string> listItems(const std::string& value);

} // namespace berkas::model
