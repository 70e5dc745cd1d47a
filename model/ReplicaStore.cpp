#include "model/ReplicaStore.h"

#include "model/Error.h"
#include "model/RecordQuery.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace berkas::model {

namespace {

/// The device and user named in the audit for a pulled value that has no
/// author; the same name as the server's own stamps.
const std::string kCentralOffice = "server";

std::map<std::string, Stamp> parseStamps(const std::string& json)
{
    std::map<std::string, Stamp> stamps;
    if (json.empty())
        return stamps;
    Poco::JSON::Parser parser;
    const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, value] : *object)
        stamps[name] = parseStamp(value.toString());
    return stamps;
}

std::string formatStamps(const std::map<std::string, Stamp>& stamps)
{
    if (stamps.empty())
        return {};
    Poco::JSON::Object object;
    for (const auto& [name, stamp] : stamps)
        object.set(name, formatStamp(stamp));
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

} // namespace

Stamp ReplicaState::stampOf(const std::string& fieldName) const
{
    if (const auto it = written.find(fieldName); it != written.end())
        return it->second;
    if (record.value(fieldName).empty() && fieldName != field::kDeleted)
        return {};
    return created;
}

std::map<std::string, Stamp> ReplicaState::fieldStamps() const
{
    std::map<std::string, Stamp> out;
    for (const auto& [name, value] : record.values)
        if (!value.empty() || name == field::kDeleted)
            out[name] = created;
    for (const auto& [name, stamp] : written)
        out[name] = stamp;
    out.erase(field::kId);
    out.erase(field::kUpdatedAt);
    return out;
}

std::optional<ReplicaState> ReplicaStore::read(const KindDef& kind, const std::string& id)
{
    Statement& s = m_statements.get("SELECT " + recordColumns(kind) + ", t._hlc, t._device, t._stamps FROM " +
                                    kind.table + " t WHERE t.id = ?");
    s.bind(1, id);
    std::optional<ReplicaState> state;
    if (s.step())
    {
        const int n = static_cast<int>(kind.fields.size()) + 4;
        state = ReplicaState{recordFromRow(kind, s), {s.integer(n), s.text(n + 1)}, parseStamps(s.text(n + 2))};
    }
    s.reset();
    return state;
}

std::optional<ReplicaState> ReplicaStore::find(const std::string& id)
{
    for (const auto& kind : kinds())
        if (auto state = read(kind, id))
            return state;
    return std::nullopt;
}

std::optional<Record> ReplicaStore::readRecord(const KindDef& kind, const std::string& id)
{
    Statement& s = m_statements.get("SELECT " + recordColumns(kind) + " FROM " + kind.table + " t WHERE t.id = ?");
    s.bind(1, id);
    std::optional<Record> r;
    if (s.step())
        r = recordFromRow(kind, s);
    s.reset();
    return r;
}

void ReplicaStore::noteWrite(const KindDef& kind)
{
    if (kind.name == kind::kSuspension || kind.name == kind::kCalendarDay)
        ++m_calendarWrites;
}

void ReplicaStore::insert(const KindDef& kind, const std::string& id, const FieldMap& values, const Stamp& stamp,
                          const std::string& now)
{
    noteWrite(kind);
    Statement& insert = m_statements.get("insert " + kind.table, [&] {
        std::string columns = "id, created_at, updated_at, deleted, _hlc, _device, _stamps";
        std::string marks = "?, ?, ?, 0, ?, ?, NULL";
        for (const auto& f : kind.fields)
        {
            columns += ", " + f.name;
            marks += ", ?";
        }
        return "INSERT INTO " + kind.table + " (" + columns + ") VALUES (" + marks + ")";
    });
    insert.bind(1, id).bind(2, now).bind(3, now).bind(4, stamp.hlc).bind(5, stamp.device);
    for (std::size_t i = 0; i < kind.fields.size(); ++i)
    {
        const auto it = values.find(kind.fields[i].name);
        insert.bind(static_cast<int>(i) + 6, it == values.end() ? std::string_view() : std::string_view(it->second));
    }
    insert.run();
}

std::vector<Stamp> ReplicaStore::update(const KindDef& kind, const ReplicaState& current, const FieldMap& changes,
                                        const Stamp& stamp, const std::string& now)
{
    noteWrite(kind);
    m_index.releaseFor(kind, current.record.id); // the update trigger indexes the row anew
    std::vector<Stamp> bases;
    bases.reserve(changes.size());
    auto written = current.written;
    std::string sql = "UPDATE " + kind.table + " SET updated_at = ?, _stamps = ?";
    for (const auto& [name, value] : changes)
    {
        sql += ", " + name + " = ?";
        bases.push_back(current.stampOf(name));
        written[name] = stamp;
    }
    Statement& update = m_statements.get(sql + " WHERE id = ?");
    update.bind(1, now);
    update.bind(2, formatStamps(written));
    int i = 3;
    for (const auto& [name, value] : changes)
        update.bind(i++, value);
    update.bind(i, current.record.id).run();
    return bases;
}

void ReplicaStore::writeReplicated(const KindDef& kind, const std::string& id,
                                   const std::vector<ReplicatedField>& fields, const std::vector<Stamp>& stamps,
                                   const std::vector<std::string>& users, const std::optional<ReplicaState>* known)
{
    noteWrite(kind);
    if (stamps.size() != fields.size() || users.size() != fields.size())
        throw Error(ErrorCode::Internal, "writeReplicated: one stamp and one user per field");
    AuditChanges lines;
    lines.reserve(fields.size());
    std::int64_t maxHlc = 0;
    bool oneStamp = true;
    bool allValues = true;
    // The kind and its fields in the order given, one control character
    // each: the cache key of the INSERT a record seen for the first time
    // needs (see below); no SQL text starts with one.
    std::string columns(1, static_cast<char>(&kind - kinds().data()));
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        const auto& name = fields[i].first;
        const FieldDef* fd = kind.field(name);
        if (!fd && name != field::kCreatedAt && name != field::kDeleted)
            throw Error(ErrorCode::InvalidData, "field: unknown field \"" + name + "\" of " + kind.name);
        columns += static_cast<char>(fd ? 2 + (fd - kind.fields.data()) : name == field::kCreatedAt ? 0 : 1);
        maxHlc = std::max(maxHlc, stamps[i].hlc);
        oneStamp = oneStamp && stamps[i] == stamps.front();
        allValues = allValues && fields[i].second.has_value();
    }
    const auto bindValue = [](Statement& st, int index, const std::string& name, const std::optional<std::string>& v) {
        if (name == field::kDeleted)
            st.bind(index, static_cast<std::int64_t>(v.value_or("0") == "1"));
        else
            st.bindOptional(index, v);
    };

    std::optional<ReplicaState> current = known ? *known : read(kind, id);
    const std::string now = m_clock.nowIso();
    if (!current && oneStamp && allValues)
    {
        // A record seen for the first time, written in one go (the common
        // case of a pull): one INSERT with the shared stamp as row stamp.
        // A pull brings thousands with the same fields, so the statement is
        // kept by their signature, and the values are read in place.
        Statement& insert = m_statements.get(columns, [&] {
            std::string cols = "id, updated_at, _hlc, _device";
            std::string marks = "?, ?, ?, ?";
            for (const auto& f : fields)
            {
                cols += ", " + f.first;
                marks += ", ?";
            }
            return "INSERT INTO " + kind.table + " (" + cols + ") VALUES (" + marks + ")";
        });
        insert.bind(1, id).bind(2, now).bind(3, stamps.front().hlc).bind(4, stamps.front().device);
        int p = 5;
        for (const auto& [name, value] : fields)
        {
            if (name == field::kDeleted)
                bindValue(insert, p++, name, value);
            else
                insert.bindBorrowed(p++, *value);
            lines.emplace_back(name, "", *value);
        }
        insert.run();
    }
    else
    {
        if (!current)
        {
            Statement& insert = m_statements.get("INSERT INTO " + kind.table + " (id, _hlc, _device) VALUES (?, 0, '')");
            insert.bind(1, id).run();
            current = ReplicaState{Record{kind.name, id, {}}, {}, {}};
        }
        m_index.releaseFor(kind, id); // the update trigger indexes the row anew
        auto overrides = current->written;
        std::string sql = "UPDATE " + kind.table + " SET updated_at = ?, _stamps = ?";
        for (std::size_t i = 0; i < fields.size(); ++i)
        {
            sql += ", " + fields[i].first + " = ?";
            overrides[fields[i].first] = stamps[i];
            lines.emplace_back(fields[i].first, current->record.value(fields[i].first), fields[i].second.value_or(""));
        }
        Statement& update = m_statements.get(sql + " WHERE id = ?");
        update.bind(1, now);
        update.bind(2, formatStamps(overrides));
        int p = 3;
        for (const auto& [name, value] : fields)
            bindValue(update, p++, name, value);
        update.bind(p, id).run();
    }
    m_clock.observe(maxHlc);
    // The audit names who made each change, not who pulled it: laptop A's
    // edit pulled by laptop B is A's device and A's user in B's history.
    // One pulled write may carry fields of several devices and users (a
    // record entering the scope arrives whole), so it becomes one entry per
    // device and user, in the order they first appear, each with its own
    // newest stamp.
    std::vector<std::pair<std::string, std::string>> authors; // (device, user)
    std::vector<AuditChanges> byAuthor;
    std::vector<std::int64_t> hlcOf;
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        // A value with the zero stamp (never written, as the central office
        // re-sends a field it keeps empty after a conflict) has no author:
        // the central office is all that can be named.
        const bool authorless = stamps[i].device.empty();
        const std::pair<std::string, std::string> author{authorless ? kCentralOffice : stamps[i].device,
                                                         authorless && users[i].empty() ? kCentralOffice : users[i]};
        std::size_t a = 0;
        while (a < authors.size() && authors[a] != author)
            ++a;
        if (a == authors.size())
        {
            authors.push_back(author);
            byAuthor.emplace_back();
            hlcOf.push_back(0);
        }
        byAuthor[a].push_back(std::move(lines[i]));
        hlcOf[a] = std::max(hlcOf[a], stamps[i].hlc);
    }
    for (std::size_t a = 0; a < authors.size(); ++a)
        m_audit.append(kind.name, id, hlcOf[a], "sync", byAuthor[a], authors[a].second, authors[a].first, now);
}

void ReplicaStore::purge(const KindDef& kind, const std::string& id, const std::string& why, const std::string& user,
                         const std::string& device)
{
    noteWrite(kind);
    // The delete trigger takes the row out of the index (see FullTextHold).
    m_index.releaseBeforeDelete(kind);
    Statement& remove = m_statements.get("DELETE FROM " + kind.table + " WHERE id = ?");
    remove.bind(1, id).run();
    if (m_statements.database().changes() > 0)
        m_audit.append(kind.name, id, m_clock.now(), "sync", {{"scope", "", why}}, user, device, m_clock.nowIso());
}

} // namespace berkas::model
