#include "model/WriteRules.h"

#include "model/Assets.h"
#include "model/Deadlines.h"
#include "model/RecordQuery.h"
#include "model/Workflow.h"

#include <cstdlib>
#include <sstream>

namespace berkas::model {

namespace {

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    const auto end = s.find_last_not_of(" \t\r\n");
    return s.substr(begin, end - begin + 1);
}

} // namespace

WriteRules::WriteRules(StatementCache& statements, ReplicaStore& records, DeviceClock& clock,
                       std::function<const OfficeCalendar&()> calendar, const Regions& regions,
                       DeviceSettings& settings)
    : m_statements(statements), m_records(records), m_clock(clock), m_calendar(std::move(calendar)), m_regions(regions),
      m_settings(settings)
{
}

std::optional<Record> WriteRules::service(const std::string& code)
{
    const KindDef& kind = requireKind(kind::kService);
    Statement& s =
        m_statements.get("SELECT " + recordColumns(kind) + " FROM service t WHERE t.code = ? AND t.deleted = 0");
    s.bind(1, code);
    std::optional<Record> found;
    if (s.step())
        found = recordFromRow(kind, s);
    s.reset();
    return found;
}

bool WriteRules::exists(const FieldDef& reference, const std::string& id)
{
    if (!reference.referenceKind.empty())
        return m_records.readRecord(requireKind(reference.referenceKind), id).has_value();
    for (const auto& kind : kinds())
        if (m_records.readRecord(kind, id))
            return true;
    return false;
}

bool WriteRules::reviewConflictOpen(const std::string& recordId)
{
    Statement& s = m_statements.get("SELECT 1 FROM conflict WHERE record_id = ? AND status = 'open' AND "
                                    "needs_review = 1 AND deleted = 0 LIMIT 1");
    s.bind(1, recordId);
    const bool open = s.step();
    s.reset();
    return open;
}

std::pair<int, std::string> WriteRules::unticked(const std::string& applicationId)
{
    // In checklist order: the rows were made in it, one after another.
    Statement& s = m_statements.get("SELECT requirement FROM requirement WHERE application_id = ? AND deleted = 0 "
                                    "AND coalesce(fulfilled, 0) <> 1 ORDER BY created_at, rowid");
    s.bind(1, applicationId);
    std::pair<int, std::string> out{0, ""};
    while (s.step())
        if (out.first++ == 0)
            out.second = s.text(0);
    s.reset();
    return out;
}

std::vector<std::string> WriteRules::checklist(const std::string& serviceCode, const std::string& kecamatan)
{
    Statement& s = m_statements.get("SELECT requirements FROM service WHERE code = ? AND deleted = 0");
    s.bind(1, serviceCode);
    const std::string list = s.step() ? s.text(0) : "";
    s.reset();
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(list);
    while (std::getline(in, item, ';'))
    {
        item = trim(item);
        if (!item.empty())
            items.push_back(item);
    }
    const std::string today = m_clock.today().toString();
    for (const auto& dated : referenceDatedRequirements())
        if (dated.holds(today, kecamatan))
            items.push_back(dated.item());
    return items;
}

PreparedWrite WriteRules::prepare(const KindDef& kind, const std::optional<Record>& current, const FieldMap& changes,
                                  const std::string& user)
{
    PreparedWrite p;
    ValidationReport& report = p.report;
    const bool creating = !current.has_value();

    if (!creating && kind.appendOnly)
    {
        report.add(field::kId, {ProblemCode::AppendOnly, {kind.name}});
        return p;
    }
    if (!creating && current->deleted())
    {
        const auto it = changes.find(field::kDeleted);
        if (it == changes.end() || it->second != "0")
        {
            report.add(field::kDeleted, {ProblemCode::RecordDeleted, {}});
            return p;
        }
    }

    // Who may write what, then the form of each value (model/Validation).
    for (const auto& [name, raw] : changes)
    {
        const std::string value = trim(raw);
        if (name == field::kDeleted)
        {
            if (creating)
            {
                report.add(name, {ProblemCode::NotOnCreate, {}});
                continue;
            }
            const FieldCheck c = checkBool(value);
            if (!c.ok)
                report.add(name, c.problem);
            else
                p.changes[name] = c.normalized;
            continue;
        }
        if (name == field::kId || name == field::kCreatedAt || name == field::kUpdatedAt)
        {
            report.add(name, {ProblemCode::SetByBerkas, {}});
            continue;
        }
        const FieldDef* fd = kind.field(name);
        if (!fd)
        {
            report.add(name, {ProblemCode::UnknownField, {kind.name}});
            continue;
        }
        if (fd->access == FieldAccess::Server)
        {
            report.add(name, {ProblemCode::ServerOnly, {}});
            continue;
        }
        if (fd->access == FieldAccess::Computed)
        {
            report.add(name, {ProblemCode::Computed, {}});
            continue;
        }
        if (fd->access == FieldAccess::CreateOnly && !creating)
        {
            report.add(name, {ProblemCode::CreateOnly, {}});
            continue;
        }
        if (value.empty())
        {
            if (fd->required)
                report.add(name, {ProblemCode::Required, {}});
            else
                p.changes[name] = "";
            continue;
        }
        const FieldCheck c = checkFieldValue(*fd, value, m_regions);
        if (!c.ok)
        {
            report.add(name, c.problem);
            continue;
        }
        if (fd->type == FieldType::Reference && !exists(*fd, value))
        {
            report.add(name, {ProblemCode::NoSuchRecord,
                              {fd->referenceKind.empty() ? std::string("record") : fd->referenceKind, value}});
            continue;
        }
        report.add(name, c); // its warnings
        p.changes[name] = c.normalized.empty() ? value : c.normalized;
    }

    if (creating)
        for (const auto& fd : kind.fields)
            if (fd.required && fd.access != FieldAccess::Computed && !changes.count(fd.name))
                report.add(fd.name, {ProblemCode::Required, {}});
    if (!report.ok())
        return p;

    // The record as it will be, for rules that span fields.
    FieldMap merged = current ? current->values : FieldMap{};
    for (const auto& [name, value] : p.changes)
        merged[name] = value;
    const auto changed = [&](const char* name) {
        return p.changes.count(name) && (!current || current->value(name) != p.changes.at(name));
    };

    std::optional<Record> service;
    if (kind.field(field::kServiceCode) && !merged[field::kServiceCode].empty())
    {
        service = this->service(merged[field::kServiceCode]);
        if (!service && changed(field::kServiceCode))
            report.add(field::kServiceCode, {ProblemCode::NoSuchService, {merged[field::kServiceCode]}});
    }
    if (changed(field::kKelurahan) || changed(field::kKecamatan))
    {
        if (auto why = kelurahanProblem(merged[field::kKelurahan], merged[field::kKecamatan]))
            report.add(field::kKelurahan, std::move(*why));
    }
    if (kind.name == kind::kService && changed(field::kSuspendedTo) &&
        !merged[field::kSuspendedFrom].empty() && !merged[field::kSuspendedTo].empty() &&
        merged[field::kSuspendedTo] < merged[field::kSuspendedFrom])
        report.add(field::kSuspendedTo, {ProblemCode::SuspensionOrder, {merged[field::kSuspendedFrom]}});
    if (kind.name == kind::kSuspension || kind.name == kind::kCalendarDay)
    {
        // The central office's calendar: its administrator's to write (the
        // server refuses anyone else's change too, sync/server/ScopeRules).
        if (const std::string role = m_settings.get("role"); role != "admin")
            report.add(kind.name, {ProblemCode::AdminOnly, {role}});
        if (auto why = catalogRecordProblem(kind.name, merged))
            report.add(why->field, {why->code, why->args});
    }
    if (kind.name == kind::kBooking && service &&
        (changed(field::kDate) || changed(field::kServiceCode) || changed(field::kLocation)))
    {
        // A counter a suspension closes takes no bookings while it holds,
        // for the services it does not exempt (model/OfficeCalendar.h).
        if (const Suspension* s = m_calendar().suspension(merged[field::kDate], ServiceTerms::fromFields(service->values),
                                                           kStepCounterIntake, merged[field::kLocation], ""))
            report.add(field::kDate, {ProblemCode::CounterSuspended, {merged[field::kLocation], s->title(), s->from, s->to}});
    }
    if (kind.name == kind::kBooking && service && (changed(field::kDate) || changed(field::kServiceCode)))
    {
        // Counter appointments cannot be booked while face-to-face service is
        // suspended, unless the service is exempt (health, local revenue).
        const std::string& day = merged[field::kDate];
        const std::string& from = service->value(field::kSuspendedFrom);
        const std::string& to = service->value(field::kSuspendedTo);
        if (!from.empty() && day >= from && (to.empty() || day <= to) &&
            service->value(field::kExemptFromSuspension) != "1")
            report.add(field::kDate,
                       {ProblemCode::ServiceSuspended,
                        {service->value(field::kCode), from, to, service->value(field::kSuspensionBasis)}});
    }
    if (kind.name == kind::kBooking && (creating || changed(field::kDate) || changed(field::kSlot)))
    {
        // A counter visit is booked for a day the counter serves, and not
        // for a time already gone (office time). Opening hours and slots
        // are the central office's: it decides at the push (sync/PROTOCOL.md,
        // "Bookings").
        if (const auto day = Date::parse(merged[field::kDate]))
        {
            const std::string nowIso = m_clock.nowIso();
            const std::string nowLocal = nowIso.substr(0, 10) + " " + nowIso.substr(11, 5);
            const std::string slot = merged[field::kSlot];
            if (*day < m_clock.today())
                report.add(field::kDate, {ProblemCode::InThePast, {day->toString(), nowLocal}});
            else if (!m_calendar().holidays().isWorkingDay(*day))
                report.add(field::kDate, {ProblemCode::NotWorkingDay, {day->toString()}});
            else if (slot.size() == 5 && day->toString() + " " + slot < nowLocal)
                report.add(field::kSlot, {ProblemCode::InThePast, {day->toString() + " " + slot, nowLocal}});
        }
    }

    // Workflow.
    if (kind.field(field::kStatus) && kind.name != kind::kConflict)
    {
        const std::string initial = initialStatus(kind.name);
        if (creating)
        {
            std::string& status = merged[field::kStatus];
            if (status.empty())
                p.changes[field::kStatus] = status = initial;
            else if (auto why = initialStatusProblem(kind.name, status))
                report.add(field::kStatus, std::move(*why));
        }
        else if (changed(field::kStatus))
        {
            const std::string& from = current->value(field::kStatus);
            const std::string& to = merged[field::kStatus];
            if (auto why = moveProblem(kind.name, from, to))
                report.add(field::kStatus, std::move(*why));
            else if (decidedByServer(kind.name, to))
                report.add(field::kStatus, {ProblemCode::DecidedByServer, {to}});
            else if (reviewConflictOpen(current->id))
                report.add(field::kStatus, {ProblemCode::ReviewConflict, {}});
            else if (kind.name == kind::kTask && to == "done" && merged[field::kResult].empty())
                report.add(field::kResult, {ProblemCode::ResultRequired, {}}); // the office decides by it
            else if (kind.name == kind::kApplication && from == "document_check" &&
                     (to == "field_verification" || to == "recommendation" || to == "approved") &&
                     merged[field::kChecklistOverride].empty())
            {
                // The checklist gates: the documents are checked before the
                // file moves on (a rejection or a return needs no ticks).
                if (const auto [count, first] = unticked(current->id); count > 0)
                    report.add(field::kStatus, {ProblemCode::ChecklistIncomplete, {to, std::to_string(count), first}});
            }
        }
    }
    if (kind.name == kind::kApplication && changed(field::kChecklistOverride) &&
        !merged[field::kChecklistOverride].empty())
    {
        const std::string role = m_settings.get("role");
        if (role != "manager" && role != "admin")
            report.add(field::kChecklistOverride, {ProblemCode::ManagerOnly, {role}});
    }
    if (!report.ok())
        return p;

    // Derived fields.
    const Date day = m_clock.today();
    if (kind.name == kind::kApplication)
    {
        const std::string from = current ? current->value(field::kStatus) : initialStatus(kind.name);
        const std::string& to = merged[field::kStatus];
        if (from != to && to == "document_check" && !merged[field::kChecklistOverride].empty() &&
            !changed(field::kChecklistOverride))
            p.changes[field::kChecklistOverride] = ""; // an override holds for one pass only
        if (to == "submitted" && merged[field::kSubmittedAt].empty())
            p.changes[field::kSubmittedAt] = m_clock.nowIso();
        if (from != to && slaClockStarts(from, to) && service)
        {
            // The SLA clock starts when the file is declared complete and
            // correct; the day it happens is not counted.
            p.changes[field::kSlaStarted] = merged[field::kSlaStarted] = day.toString();
        }
        if (service && !merged[field::kSlaStarted].empty() &&
            (changed(field::kSlaStarted) || changed(field::kServiceCode) || changed(field::kKecamatan)))
        {
            // Working days of the application's place, paused while a
            // suspension stops its service; the central office computes the
            // same when its calendar changes (sync/server/DueDates.h).
            if (const auto started = Date::parse(merged[field::kSlaStarted]))
                p.changes[field::kDueDate] = m_calendar()
                                                 .applicationDue(*started, ServiceTerms::fromFields(service->values),
                                                                 merged[field::kKecamatan])
                                                 .toString();
        }
        if (from != to && to == "field_verification")
        {
            // Sending a file to the field creates the verifier's task in the
            // same transaction, so there is never a status without its task.
            const std::string& assignee = merged[field::kAssignedTo];
            p.followUps.push_back({kind::kTask,
                                   {{field::kApplicationId, current->id},
                                    {field::kAssignedTo, assignee.empty() ? user : assignee},
                                    {field::kScheduledFor,
                                     m_calendar().holidays(merged[field::kKecamatan]).addWorkingDays(day, 2).toString()}}});
        }
    }
    if (kind.name == kind::kComplaint)
    {
        if (creating)
        {
            if (merged[field::kReceivedAt].empty())
                p.changes[field::kReceivedAt] = merged[field::kReceivedAt] = m_clock.nowIso();
            if (merged[field::kSlaClass].empty())
                p.changes[field::kSlaClass] = merged[field::kSlaClass] =
                    merged[field::kChannel] == "sp4n_lapor" ? "referral"
                    : merged[field::kKind] == "consultation" ? "minor"
                                                             : "normative";
        }
        const bool statusMoved = changed(field::kStatus);
        if (creating || changed(field::kSlaClass) || changed(field::kReceivedAt) || statusMoved)
        {
            const auto cls = parseComplaintClass(merged[field::kSlaClass]);
            const auto received = dateOfTimestamp(merged[field::kReceivedAt]);
            if (cls && received)
            {
                const bool verified = merged[field::kStatus] != "received";
                p.changes[field::kDueDate] =
                    complaintDueDate(m_calendar().holidays(merged[field::kKecamatan]), *received, *cls, verified)
                        .toString();
            }
        }
        if (statusMoved && merged[field::kStatus] == "responded" && merged[field::kRespondedAt].empty())
            p.changes[field::kRespondedAt] = m_clock.nowIso();
    }
    if (kind.name == kind::kTask && changed(field::kStatus) && merged[field::kStatus] == "done" &&
        merged[field::kVisitedAt].empty())
        p.changes[field::kVisitedAt] = m_clock.nowIso();

    // Only what really changes is written.
    if (current)
        for (auto it = p.changes.begin(); it != p.changes.end();)
            it = current->value(it->first) == it->second ? p.changes.erase(it) : std::next(it);
    return p;
}

} // namespace berkas::model
