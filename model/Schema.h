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

/// Field names, defined once.
namespace field {
inline constexpr const char* kId = "id";
inline constexpr const char* kCreatedAt = "created_at";
inline constexpr const char* kUpdatedAt = "updated_at";
inline constexpr const char* kDeleted = "deleted";
inline constexpr const char* kStatus = "status";
inline constexpr const char* kRegNo = "reg_no";
inline constexpr const char* kProvisionalNo = "provisional_no";
inline constexpr const char* kServiceCode = "service_code";
inline constexpr const char* kDueDate = "due_date";
inline constexpr const char* kSubmittedAt = "submitted_at";
inline constexpr const char* kReceivedAt = "received_at";
inline constexpr const char* kKecamatan = "kecamatan";
inline constexpr const char* kKelurahan = "kelurahan";
inline constexpr const char* kApplicationId = "application_id";
inline constexpr const char* kCode = "code";
inline constexpr const char* kSlaDays = "sla_days";
inline constexpr const char* kSlaClass = "sla_class";
inline constexpr const char* kRequirements = "requirements";
inline constexpr const char* kChannel = "channel";
inline constexpr const char* kAssignedTo = "assigned_to";
inline constexpr const char* kScheduledFor = "scheduled_for";
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

} // namespace berkas::model
