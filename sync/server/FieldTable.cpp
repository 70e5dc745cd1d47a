#include "sync/server/FieldTable.h"

#include "model/Database.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/String.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <iterator>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

FieldTable::FieldTable(ServerDatabase& db) : m_db(db) {}

namespace {

constexpr std::size_t kChunk = 400;

/// "(?, ?, ?)" for @p n records.
std::string placeholders(std::size_t n)
{
    std::string marks = "(";
    for (std::size_t i = 0; i < n; ++i)
        marks += i ? ", ?" : "?";
    return marks + ')';
}

} // namespace

FieldTable::FieldRows FieldTable::rowsFor(const std::string& sql, const std::vector<std::string>& ids)
{
    auto& s = m_db.session();
    constexpr const char* kList = "(@)";
    std::size_t lists = 0;
    for (std::size_t at = sql.find(kList); at != std::string::npos; at = sql.find(kList, at + 3))
        ++lists;
    FieldRows out;
    for (std::size_t from = 0; from < ids.size(); from += kChunk)
    {
        const std::size_t n = std::min(kChunk, ids.size() - from);
        const std::string marks = placeholders(n);
        FieldRows part;
        Poco::Data::Statement st(s);
        st << m_db.q(Poco::replace(sql, std::string(kList), marks));
        for (std::size_t l = 0; l < lists; ++l)
            for (std::size_t i = 0; i < n; ++i)
                st, Poco::Data::Keywords::bind(ids[from + i]);
        st, into(part.ids), into(part.kinds), into(part.fields), into(part.values), now;
        if (out.ids.empty())
        {
            out = std::move(part);
            continue;
        }
        std::move(part.ids.begin(), part.ids.end(), std::back_inserter(out.ids));
        std::move(part.kinds.begin(), part.kinds.end(), std::back_inserter(out.kinds));
        std::move(part.fields.begin(), part.fields.end(), std::back_inserter(out.fields));
        std::move(part.values.begin(), part.values.end(), std::back_inserter(out.values));
    }
    return out;
}

std::vector<FieldTable::StampedRow> FieldTable::stampedRowsOf(const std::vector<std::string>& ids)
{
    auto& s = m_db.session();
    std::vector<StampedRow> out;
    for (std::size_t from = 0; from < ids.size(); from += kChunk)
    {
        const std::size_t n = std::min(kChunk, ids.size() - from);
        std::vector<Poco::Tuple<std::string, std::string, Poco::Nullable<std::string>, std::int64_t, std::string,
                                std::string, std::int64_t>>
            rows;
        Poco::Data::Statement st(s);
        st << m_db.q("SELECT record_id, field, value, hlc, device, user_name, seq FROM fields WHERE record_id IN " +
                     placeholders(n));
        for (std::size_t i = 0; i < n; ++i)
            st, Poco::Data::Keywords::bind(ids[from + i]);
        st, into(rows), now;
        for (auto& r : rows)
            out.push_back({std::move(r.get<0>()), std::move(r.get<1>()), std::move(r.get<2>()), r.get<3>(),
                           std::move(r.get<4>()), std::move(r.get<5>()), r.get<6>()});
    }
    return out;
}

void FieldTable::writeField(const std::string& kind, const std::string& id, const std::string& field,
                             const std::optional<std::string>& value, const model::Stamp& stamp,
                             const std::string& user, std::int64_t seq)
{
    writeFields({{id, field, kind, toNullable(value), stamp.hlc, stamp.device, user, seq}});
}

void FieldTable::writeFields(std::vector<FieldWrite> rows)
{
    // One row per field: PostgreSQL refuses an INSERT ... ON CONFLICT DO
    // UPDATE that meets the same row twice.
    std::vector<FieldWrite*> last;
    last.reserve(rows.size());
    {
        std::map<std::pair<std::string, std::string>, std::size_t> at;
        for (FieldWrite& r : rows)
        {
            const auto [it, added] = at.emplace(std::make_pair(r.id, r.field), last.size());
            if (added)
                last.push_back(&r);
            else
                last[it->second] = &r;
        }
    }
    constexpr std::size_t kRows = 100;
    auto& s = m_db.session();
    for (std::size_t from = 0; from < last.size(); from += kRows)
    {
        const std::size_t n = std::min(kRows, last.size() - from);
        std::string sql = "INSERT INTO fields (record_id, field, kind, value, hlc, device, user_name, seq) VALUES ";
        for (std::size_t i = 0; i < n; ++i)
            sql += i ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)";
        sql += " ON CONFLICT (record_id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, "
               "device = excluded.device, user_name = excluded.user_name, seq = excluded.seq";
        Poco::Data::Statement st(s);
        st << m_db.q(sql);
        for (std::size_t i = from; i < from + n; ++i)
        {
            FieldWrite& r = *last[i];
            st, use(r.id), use(r.field), use(r.kind), use(r.value), use(r.hlc), use(r.device), use(r.user), use(r.seq);
        }
        st.execute();
    }
}

std::optional<std::string> FieldTable::value(const std::string& recordId, const std::string& field)
{
    auto& s = m_db.session();
    std::vector<Poco::Nullable<std::string>> values;
    std::string id = recordId;
    std::string f = field;
    s << m_db.q("SELECT value FROM fields WHERE record_id = ? AND field = ?"), use(id), use(f), into(values), now;
    if (values.empty())
        return std::nullopt;
    return fromNullable(values.front());
}

model::Stamp FieldTable::stamp(const std::string& recordId, const std::string& field)
{
    auto& s = m_db.session();
    std::vector<std::int64_t> hlcs;
    std::vector<std::string> devices;
    std::string id = recordId;
    std::string f = field;
    s << m_db.q("SELECT hlc, device FROM fields WHERE record_id = ? AND field = ?"), use(id), use(f), into(hlcs),
        into(devices), now;
    if (hlcs.empty())
        return {};
    return {hlcs.front(), devices.front()};
}

std::map<std::string, std::vector<WireChange>> FieldTable::wholeRecords(const std::vector<std::string>& ids)
{
    auto& s = m_db.session();
    std::map<std::string, std::vector<WireChange>> out;
    for (std::size_t from = 0; from < ids.size(); from += kChunk)
    {
        const std::size_t n = std::min(kChunk, ids.size() - from);
        std::vector<Poco::Tuple<std::int64_t, std::string, std::string, std::string, Poco::Nullable<std::string>,
                                std::int64_t, std::string, std::string>>
            rows;
        Poco::Data::Statement st(s);
        st << m_db.q("SELECT seq, kind, record_id, field, value, hlc, device, user_name FROM fields WHERE record_id IN " +
                     placeholders(n) + " ORDER BY seq");
        for (std::size_t i = 0; i < n; ++i)
            st, Poco::Data::Keywords::bind(ids[from + i]);
        st, into(rows), now;
        for (auto& r : rows)
        {
            WireChange c;
            c.seq = r.get<0>();
            c.kind = std::move(r.get<1>());
            c.id = r.get<2>();
            c.field = std::move(r.get<3>());
            c.value = fromNullable(std::move(r.get<4>()));
            c.stamp = {r.get<5>(), std::move(r.get<6>())};
            c.user = std::move(r.get<7>());
            out[r.get<2>()].push_back(std::move(c));
        }
    }
    return out;
}

std::vector<WireChange> FieldTable::changesAfter(std::int64_t cursor, std::int64_t limit)
{
    static const std::string kSql =
        "SELECT seq, kind, record_id, field, value, hlc, device, user_name FROM fields WHERE seq > ? ORDER BY seq LIMIT ?";
    std::vector<WireChange> out;
    // Every change has its own sequence number and a field keeps only its
    // latest, so there are at most this many rows after the cursor: room
    // for a first pull's whole page, and little for a small pull.
    out.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(m_db.counter("seq") - cursor, 0, limit)));
    if (!m_db.postgres())
    {
        // SQLite's own interface on the session's connection: a first pull
        // reads millions of cells, and Poco::Data's extraction of each one
        // took two thirds of the time of reading them.
        model::Database db(Poco::Data::SQLite::Utility::dbHandle(m_db.session()));
        model::Statement rows(db, kSql);
        rows.bind(1, cursor).bind(2, limit);
        while (rows.step())
        {
            WireChange& c = out.emplace_back();
            c.seq = rows.integer(0);
            c.kind = rows.text(1);
            c.id = rows.text(2);
            c.field = rows.text(3);
            if (!rows.isNull(4))
                c.value = rows.text(4);
            c.stamp = {rows.integer(5), rows.text(6)};
            c.user = rows.text(7);
        }
        return out;
    }
    auto& s = m_db.session();
    // Column vectors rather than tuples: a first pull reads millions of rows.
    std::vector<std::int64_t> seqs;
    std::vector<std::string> kinds;
    std::vector<std::string> ids;
    std::vector<std::string> fields;
    std::vector<Poco::Nullable<std::string>> values;
    std::vector<std::int64_t> hlcs;
    std::vector<std::string> devices;
    std::vector<std::string> users;
    s << m_db.q(kSql), use(cursor), use(limit), into(seqs), into(kinds), into(ids), into(fields), into(values), into(hlcs),
        into(devices), into(users), now;
    out.resize(seqs.size());
    for (std::size_t i = 0; i < seqs.size(); ++i)
    {
        WireChange& c = out[i];
        c.seq = seqs[i];
        c.kind = std::move(kinds[i]);
        c.id = std::move(ids[i]);
        c.field = std::move(fields[i]);
        c.value = fromNullable(std::move(values[i]));
        c.stamp = {hlcs[i], std::move(devices[i])};
        c.user = std::move(users[i]);
    }
    return out;
}

std::set<std::string> FieldTable::allRecordIds()
{
    auto& s = m_db.session();
    std::vector<std::string> ids;
    s << m_db.q("SELECT record_id FROM records"), into(ids), now;
    return {ids.begin(), ids.end()};
}

std::size_t FieldTable::purgeTombstones()
{
    auto& s = m_db.session();
    std::vector<std::int64_t> minimum;
    s << m_db.q("SELECT COALESCE(MIN(pulled_seq), 0) FROM devices WHERE revoked = 0"), into(minimum), now;
    std::int64_t floor = minimum.empty() ? 0 : minimum.front();
    std::vector<std::string> ids;
    s << m_db.q("SELECT d.record_id FROM fields d WHERE d.field = 'deleted' AND d.value = '1' AND "
                "(SELECT MAX(seq) FROM fields f WHERE f.record_id = d.record_id) <= ? AND "
                "EXISTS (SELECT 1 FROM fields f WHERE f.record_id = d.record_id AND f.field <> 'deleted')"),
        use(floor), into(ids), now;
    Poco::Data::Transaction tx(s);
    for (auto& id : ids)
        s << m_db.q("DELETE FROM fields WHERE record_id = ? AND field <> 'deleted'"), use(id), now;
    tx.commit();
    return ids.size();
}

} // namespace berkas::sync
