#include "sync/server/StoredLookup.h"

#include "model/Schema.h"
#include "sync/server/FieldTable.h"
#include "sync/server/ServerDatabase.h"

#include <set>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

StoredLookup::StoredLookup(ServerDatabase& db, FieldTable& fields, const std::string& user)
    : m_db(db), m_fields(fields)
{
    auto& s = m_db.session();
    lookup.kindOf = [this, &s](const std::string& id) -> std::optional<std::string> {
        if (const auto it = m_kinds.find(id); it != m_kinds.end())
            return it->second;
        std::vector<std::string> rows;
        std::string i = id;
        s << m_db.q("SELECT kind FROM records WHERE record_id = ?"), use(i), into(rows), now;
        return m_kinds[id] = rows.empty() ? std::nullopt : std::optional<std::string>(rows.front());
    };
    lookup.value = [this, &s](const std::string& id, const std::string& field) -> std::optional<std::string> {
        const auto key = std::make_pair(id, field);
        if (const auto it = m_values.find(key); it != m_values.end())
            return it->second;
        std::vector<Poco::Nullable<std::string>> rows;
        std::string i = id;
        std::string f = field;
        s << m_db.q("SELECT value FROM fields WHERE record_id = ? AND field = ?"), use(i), use(f), into(rows), now;
        return m_values[key] = rows.empty() ? std::nullopt : fromNullable(rows.front());
    };
    lookup.hasTaskFor = [this, &s, user](const std::string& applicationId) {
        if (const auto it = m_tasks.find(applicationId); it != m_tasks.end())
            return it->second;
        if (m_tasksKnown)
            return false;
        std::vector<std::string> rows;
        std::string a = applicationId;
        std::string me = user;
        s << m_db.q("SELECT t.record_id FROM fields t JOIN fields u ON u.record_id = t.record_id AND "
                    "u.field = 'assigned_to' WHERE t.kind = 'task' AND t.field = 'application_id' AND t.value = ? "
                    "AND u.value = ? LIMIT 1"),
            use(a), use(me), into(rows), now;
        return m_tasks[applicationId] = !rows.empty();
    };
}

void StoredLookup::preload(std::vector<std::string> ids)
{
    static const std::set<std::string> kAsked = {model::field::kKecamatan, model::field::kApplicationId,
                                                 "parent_id", "record_id", "assigned_to"};
    static const std::set<std::string> kLinks = {model::field::kApplicationId, "parent_id", "record_id"};
    for (int depth = 0; depth <= kMaxLinkDepth && !ids.empty(); ++depth)
    {
        auto rows = m_fields.rowsFor("SELECT record_id, kind, field, value FROM fields WHERE record_id IN (@) AND "
                                     "field IN ('created_at', 'deleted', 'kecamatan', 'application_id', 'parent_id', "
                                     "'record_id', 'assigned_to')",
                                     ids);
        std::set<std::string> next;
        for (std::size_t n = 0; n < rows.ids.size(); ++n)
        {
            const std::string& id = rows.ids[n];
            m_kinds[id] = rows.kinds[n];
            if (!kAsked.count(rows.fields[n]))
                continue;
            auto value = fromNullable(std::move(rows.values[n]));
            if (kLinks.count(rows.fields[n]) && value && !value->empty() && !m_kinds.count(*value))
                next.insert(*value);
            m_values[{id, rows.fields[n]}] = std::move(value);
        }
        // A record found has no row for the other fields asked: empty.
        for (const auto& id : rows.ids)
            for (const auto& field : kAsked)
                m_values.emplace(std::make_pair(id, field), std::nullopt);
        for (const auto& id : rows.ids)
            next.erase(id);
        ids.assign(next.begin(), next.end());
    }
}

void StoredLookup::preloadTasks(const std::string& user)
{
    std::vector<std::string> applications;
    std::string me = user;
    m_db.session() << m_db.q("SELECT t.value FROM fields t JOIN fields u ON u.record_id = t.record_id AND "
                             "u.field = 'assigned_to' WHERE t.kind = 'task' AND t.field = 'application_id' "
                             "AND u.value = ? AND t.value IS NOT NULL"),
        use(me), into(applications), now;
    for (const auto& id : applications)
        m_tasks[id] = true;
    m_tasksKnown = true;
}

} // namespace berkas::sync
