#include "sync/server/DueDates.h"

#include "model/Assets.h"
#include "model/Schema.h"
#include "sync/server/FieldTable.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>

#include <map>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

const std::set<model::Date>& shippedHolidays()
{
    static const std::set<model::Date> days = [] {
        try
        {
            return model::WorkingDayCalendar::fromCsv(model::assetsDir() + "/reference/holidays-id.csv").holidays();
        }
        catch (const std::exception&)
        {
            return std::set<model::Date>{};
        }
    }();
    return days;
}

} // namespace

DueDates::DueDates(ServerDatabase& db, FieldTable& fields) : m_db(db), m_fields(fields) {}

std::vector<std::pair<std::string, model::FieldMap>> DueDates::recordsOf(const char* kind)
{
    std::vector<std::string> ids, names;
    std::vector<Poco::Nullable<std::string>> values;
    std::string k = kind;
    m_db.session() << m_db.q("SELECT record_id, field, value FROM fields WHERE kind = ? ORDER BY record_id"), use(k),
        into(ids), into(names), into(values), now;
    std::vector<std::pair<std::string, model::FieldMap>> out;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        if (out.empty() || out.back().first != ids[i])
            out.emplace_back(ids[i], model::FieldMap{});
        if (!values[i].isNull())
            out.back().second[names[i]] = values[i].value();
    }
    return out;
}

model::OfficeCalendar DueDates::calendar()
{
    const auto live = [](const model::FieldMap& f) {
        const auto d = f.find(model::field::kDeleted);
        return d == f.end() || d->second != "1";
    };
    std::vector<model::CalendarDay> days;
    for (const auto& [id, f] : recordsOf(model::kind::kCalendarDay))
        if (live(f))
            days.push_back(model::CalendarDay::fromFields(f));
    std::vector<model::Suspension> suspensions;
    for (const auto& [id, f] : recordsOf(model::kind::kSuspension))
        if (live(f))
            suspensions.push_back(model::Suspension::fromFields(id, f));
    return model::OfficeCalendar(shippedHolidays(), std::move(days), std::move(suspensions));
}

model::ServiceTerms DueDates::service(const std::string& code)
{
    // The catalog's record for the code: an edited or added one the server
    // holds, else the shipped seed every laptop holds.
    std::vector<std::string> ids;
    std::string c = code;
    m_db.session() << m_db.q("SELECT record_id FROM fields WHERE kind = 'service' AND field = 'code' AND value = ?"),
        use(c), into(ids), now;
    for (const auto& id : ids)
    {
        if (m_fields.value(id, model::field::kDeleted).value_or("0") == "1")
            continue;
        model::FieldMap f;
        const auto seeded = model::referenceServices().find(id);
        if (seeded != model::referenceServices().end())
            f = seeded->second;
        for (const auto& change : m_fields.wholeRecords({id})[id])
            if (change.value)
                f[change.field] = *change.value;
            else
                f.erase(change.field);
        return model::ServiceTerms::fromFields(f);
    }
    if (const auto id = model::referenceServiceIds().find(code); id != model::referenceServiceIds().end())
        return model::ServiceTerms::fromFields(model::referenceServices().at(id->second));
    model::ServiceTerms none;
    none.code = code;
    return none;
}

std::vector<std::pair<std::string, std::string>> DueDates::stale(const model::OfficeCalendar& calendar,
                                                                 const std::vector<std::string>* ids)
{
    std::vector<std::string> started;
    if (ids)
        started = *ids;
    else
        m_db.session() << m_db.q("SELECT record_id FROM fields WHERE kind = 'application' AND field = 'sla_started' "
                                 "AND value IS NOT NULL"),
            into(started), now;
    const auto rows = m_fields.rowsFor("SELECT record_id, kind, field, value FROM fields WHERE record_id IN (@) AND "
                                       "field IN ('sla_started', 'service_code', 'kecamatan', 'due_date', 'deleted')",
                                       started);
    std::map<std::string, model::FieldMap> apps;
    for (std::size_t i = 0; i < rows.ids.size(); ++i)
        if (rows.kinds[i] == model::kind::kApplication && !rows.values[i].isNull())
            apps[rows.ids[i]][rows.fields[i]] = rows.values[i].value();
    std::map<std::string, model::ServiceTerms> services;
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& [id, f] : apps)
    {
        const auto start = model::Date::parse(f[model::field::kSlaStarted]);
        if (!start || f[model::field::kDeleted] == "1")
            continue;
        const std::string& code = f[model::field::kServiceCode];
        auto svc = services.find(code);
        if (svc == services.end())
            svc = services.emplace(code, service(code)).first;
        const std::string due = calendar.applicationDue(*start, svc->second, f[model::field::kKecamatan]).toString();
        if (due != f[model::field::kDueDate])
            out.emplace_back(id, due);
    }
    return out;
}

} // namespace berkas::sync
