#include "sync/server/MailEvents.h"

#include "model/ApplicantEmail.h"
#include "model/Assets.h"
#include "model/Schema.h"
#include "sync/server/FieldTable.h"
#include "sync/server/MailQueue.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>

#include <sstream>
#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

namespace field = model::field;
namespace kind = model::kind;

/// The record's fields each event's message shows, by placeholder.
const std::vector<std::pair<const char*, const char*>>& shownFields(const std::string& recordKind)
{
    static const std::vector<std::pair<const char*, const char*>> kApplication = {
        {"reg_no", field::kRegNo},           {"provisional_no", field::kProvisionalNo},
        {"applicant_name", field::kApplicantName}, {"status", field::kStatus},
        {"due_date", field::kDueDate}};
    static const std::vector<std::pair<const char*, const char*>> kBooking = {
        {"booking_code", field::kCode}, {"applicant_name", field::kApplicantName},
        {"date", field::kDate},         {"slot", field::kSlot},
        {"location", field::kLocation}, {"status", field::kStatus}};
    static const std::vector<std::pair<const char*, const char*>> kComplaint = {
        {"applicant_name", field::kComplainantName}, {"subject", field::kSubject},
        {"response", field::kResponse},              {"status", field::kStatus},
        {"due_date", field::kDueDate}};
    if (recordKind == kind::kApplication)
        return kApplication;
    if (recordKind == kind::kBooking)
        return kBooking;
    return kComplaint;
}

/// The event a field's change from @p first to @p last causes; "" for none.
std::string eventOf(const std::string& recordKind, const std::string& f, const std::optional<std::string>& first,
                    const std::string& last)
{
    const bool hadValue = first && !first->empty();
    if (recordKind == kind::kApplication && f == field::kRegNo)
        return hadValue || last.empty() ? "" : "application_received";
    if (recordKind == kind::kApplication && f == field::kStatus)
        // A new application's first status is told by application_received.
        return hadValue && !last.empty() ? "application_status" : "";
    if (recordKind == kind::kBooking && f == field::kStatus)
        return last == "confirmed" ? "booking_confirmed" : last == "overbooked" ? "booking_overbooked" : "";
    if (recordKind == kind::kComplaint && f == field::kStatus)
        return last == "responded" ? "complaint_responded" : "";
    return "";
}

} // namespace

MailEvents::MailEvents(ServerDatabase& db, FieldTable& fields, MailQueue& queue, bool enabled)
    : m_db(db), m_fields(fields), m_queue(queue), m_enabled(enabled)
{
}

bool MailEvents::watches(const std::string& recordKind, const std::string& f) const
{
    if (!m_enabled)
        return false;
    if (recordKind == kind::kApplication)
        return f == field::kRegNo || f == field::kStatus;
    return (recordKind == kind::kBooking || recordKind == kind::kComplaint) && f == field::kStatus;
}

void MailEvents::written(const std::string& recordKind, const std::string& id, const std::string& f,
                         const std::optional<std::string>& before, const std::optional<std::string>& value,
                         const model::Stamp& stamp)
{
    if (!watches(recordKind, f))
        return;
    auto [it, fresh] = m_watched.try_emplace({id, f});
    if (fresh)
    {
        it->second.kind = recordKind;
        it->second.first = before;
    }
    it->second.last = value;
    it->second.stamp = stamp;
}

std::string MailEvents::serviceName(const std::string& code)
{
    std::vector<std::string> ids;
    std::string c = code;
    m_db.session() << m_db.q("SELECT record_id FROM fields WHERE kind = 'service' AND field = 'code' AND value = ? LIMIT 1"),
        use(c), into(ids), now;
    if (!ids.empty())
        if (auto name = m_fields.value(ids.front(), field::kName))
            return *name;
    if (const auto id = model::referenceServiceIds().find(code); id != model::referenceServiceIds().end())
        if (const auto seeded = model::referenceServices().find(id->second); seeded != model::referenceServices().end())
            if (const auto name = seeded->second.find(field::kName); name != seeded->second.end())
                return name->second;
    return code;
}

std::size_t MailEvents::enqueue(const std::string& createdAt, std::int64_t nowMs)
{
    std::size_t queued = 0;
    for (const auto& [key, w] : m_watched)
    {
        const auto& [id, f] = key;
        const std::string last = w.last.value_or("");
        if (w.first.value_or("") == last)
            continue;
        const std::string event = eventOf(w.kind, f, w.first, last);
        if (event.empty())
            continue;
        const auto valueOf = [&](const std::string& name) { return m_fields.value(id, name).value_or(""); };
        if (valueOf(field::kDeleted) == "1")
            continue;
        const auto recipient = model::applicantEmail(w.kind, valueOf);
        if (!recipient)
            continue;
        Poco::JSON::Object values;
        for (const auto& [placeholder, name] : shownFields(w.kind))
            values.set(placeholder, valueOf(name));
        if (w.kind != kind::kComplaint)
            values.set("service", serviceName(valueOf(field::kServiceCode)));
        std::ostringstream json;
        values.stringify(json);
        QueuedMail mail;
        mail.eventKey = id + "/" + event + "/" + std::to_string(w.stamp.hlc) + "@" + w.stamp.device;
        mail.event = event;
        mail.recordKind = w.kind;
        mail.recordId = id;
        mail.recipient = *recipient;
        mail.values = json.str();
        mail.createdAt = createdAt;
        if (m_queue.enqueue(mail, nowMs))
            ++queued;
    }
    return queued;
}

} // namespace berkas::sync
