#include "sync/server/StoredLookup.h"

#include "sync/server/FieldTable.h"
#include "sync/server/ServerDatabase.h"

#include <set>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

/// The fields the scope table looks at: the links children follow, and the
/// fields the roles' rules compare.
const std::set<std::string>& scopeFields()
{
    static const std::set<std::string> fields = [] {
        std::set<std::string> out;
        for (const KindScope& k : scopeKinds())
            if (k.reach == ScopeReach::Follows)
                out.emplace(k.link);
        for (const RoleScope& role : scopeRoles())
            for (const ScopeRule& rule : role.rules)
                if (rule.test == ScopeRule::Test::Field)
                    out.emplace(rule.field);
        return out;
    }();
    return fields;
}

/// The fields children follow to the record they belong to.
const std::set<std::string>& linkFields()
{
    static const std::set<std::string> fields = [] {
        std::set<std::string> out;
        for (const KindScope& k : scopeKinds())
            if (k.reach == ScopeReach::Follows)
                out.emplace(k.link);
        return out;
    }();
    return fields;
}

} // namespace

StoredLookup::StoredLookup(ServerDatabase& db, FieldTable& fields) : m_db(db), m_fields(fields)
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
    lookup.namedBy = [this, &s](const std::string& kind, const std::string& link, const std::string& id,
                                const std::string& field, const std::string& equals) {
        Named& named = m_named[{kind, link, field, equals}];
        if (const auto it = named.ids.find(id); it != named.ids.end())
            return it->second;
        if (named.complete)
            return false;
        std::vector<std::string> rows;
        std::string k = kind;
        std::string l = link;
        std::string f = field;
        std::string i = id;
        std::string e = equals;
        s << m_db.q("SELECT t.record_id FROM fields t JOIN fields u ON u.record_id = t.record_id AND u.field = ? "
                    "WHERE t.kind = ? AND t.field = ? AND t.value = ? AND u.value = ? LIMIT 1"),
            use(f), use(k), use(l), use(i), use(e), into(rows), now;
        return named.ids[id] = !rows.empty();
    };
}

void StoredLookup::preload(std::vector<std::string> ids)
{
    // Every record found has a created_at or deleted row, which tells its kind.
    static const std::string sql = [] {
        std::string out = "SELECT record_id, kind, field, value FROM fields WHERE record_id IN (@) AND field IN "
                          "('created_at', 'deleted'";
        for (const auto& field : scopeFields())
            out += ", '" + field + "'";
        return out + ")";
    }();
    for (int depth = 0; depth <= kMaxLinkDepth && !ids.empty(); ++depth)
    {
        auto rows = m_fields.rowsFor(sql, ids);
        std::set<std::string> next;
        for (std::size_t n = 0; n < rows.ids.size(); ++n)
        {
            const std::string& id = rows.ids[n];
            m_kinds[id] = rows.kinds[n];
            if (!scopeFields().count(rows.fields[n]))
                continue;
            auto value = fromNullable(std::move(rows.values[n]));
            if (linkFields().count(rows.fields[n]) && value && !value->empty() && !m_kinds.count(*value))
                next.insert(*value);
            m_values[{id, rows.fields[n]}] = std::move(value);
        }
        // A record found has no row for the other fields asked: empty.
        for (const auto& id : rows.ids)
            for (const auto& field : scopeFields())
                m_values.emplace(std::make_pair(id, field), std::nullopt);
        for (const auto& id : rows.ids)
            next.erase(id);
        ids.assign(next.begin(), next.end());
    }
}

void StoredLookup::preloadNamedBy(const std::string& kind, const std::string& link, const std::string& field,
                                  const std::string& equals)
{
    std::vector<std::string> named;
    std::string k = kind;
    std::string l = link;
    std::string f = field;
    std::string e = equals;
    m_db.session() << m_db.q("SELECT t.value FROM fields t JOIN fields u ON u.record_id = t.record_id AND "
                             "u.field = ? WHERE t.kind = ? AND t.field = ? AND u.value = ? AND t.value IS NOT NULL"),
        use(f), use(k), use(l), use(e), into(named), now;
    Named& n = m_named[{kind, link, field, equals}];
    for (const auto& id : named)
        n.ids[id] = true;
    n.complete = true;
}

} // namespace berkas::sync
