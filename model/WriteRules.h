#pragma once

#include "model/DeviceClock.h"
#include "model/DeviceSettings.h"
#include "model/Record.h"
#include "model/Regions.h"
#include "model/ReplicaStore.h"
#include "model/Schema.h"
#include "model/StatementCache.h"
#include "model/Validation.h"
#include "model/OfficeCalendar.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace berkas::model {

/// A record a write brings with it, made in the same transaction.
struct NewRecord
{
    std::string kind;
    FieldMap fields;
};

/// A write as the rules leave it: every problem found, and when there is
/// none, what to write and what to create with it.
struct PreparedWrite
{
    ValidationReport report;
    /// The values to write: those given (trimmed, in their canonical
    /// spelling), defaults and computed fields; for an existing record only
    /// what really changes.
    FieldMap changes;
    /// Records the write creates with it (a verifier's task).
    std::vector<NewRecord> followUps;
};

/// The rules of a person's write, kind by kind: who writes which field
/// (access), the form of each value (model/Validation), defaults and
/// computed fields (submitted_at, due dates, a complaint's deadline class),
/// the status workflow, the rules that span fields or records (a booking
/// while its service is suspended), and what a write brings with it:
/// - a new application gets one checklist row per requirement of its
///   service (checklist()), each its own record so that two clerks ticking
///   different items never conflict;
/// - an application leaves document_check forward (to field_verification,
///   recommendation or approved) only when every checklist item is ticked,
///   or while it holds a checklist_override: the reason a manager (the
///   role this laptop's user logged in with) gives, kept in the audit
///   trail like every write and cleared when the application enters
///   document_check again;
/// - an application moved to field_verification gets the verifier's task:
///   assigned to the application's assigned_to (else the user writing),
///   scheduled two working days after today (a followUp);
/// - a task is done only with its result (compliant, non_compliant,
///   needs_revision), by which the central office moves the application on
///   (model/VerificationRound.h).
/// Values from elsewhere (a pull, a conflict's resolution) are not written
/// through these rules. Reads the store; writes nothing. On the store's thread.
class WriteRules
{
public:
    WriteRules(StatementCache& statements, ReplicaStore& records, DeviceClock& clock,
               std::function<const OfficeCalendar&()> calendar, const Regions& regions, DeviceSettings& settings);

    /// Checks @p changes to @p current (nothing: a new record of @p kind) by
    /// @p user, and works out what to write.
    PreparedWrite prepare(const KindDef& kind, const std::optional<Record>& current, const FieldMap& changes,
                          const std::string& user);

    /// Whether an open conflict that needs review holds the record's status.
    bool reviewConflictOpen(const std::string& recordId);

    /// The checklist of a new application of service @p serviceCode in
    /// @p kecamatan: the service's requirement items ("a; b" -> {a, b}),
    /// then the dated requirements (referenceDatedRequirements()) that hold
    /// today in that kecamatan.
    std::vector<std::string> checklist(const std::string& serviceCode, const std::string& kecamatan);

    /// How many checklist items of application @p applicationId are not
    /// ticked, and the first of them.
    std::pair<int, std::string> unticked(const std::string& applicationId);

private:
    std::optional<Record> service(const std::string& code);
    bool exists(const FieldDef& reference, const std::string& id);

    StatementCache& m_statements;
    ReplicaStore& m_records;
    DeviceClock& m_clock;
    std::function<const OfficeCalendar&()> m_calendar;
    const Regions& m_regions;
    DeviceSettings& m_settings;
};

} // namespace berkas::model
