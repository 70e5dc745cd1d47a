#include "sync/server/PullPlanner.h"

#include "model/Error.h"
#include "model/Schema.h"
#include "sync/server/FieldTable.h"
#include "sync/server/ScopeRules.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/StoredLookup.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <string_view>
#include <unordered_map>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

/// @p text as an SQL string literal (the scope table's kind and field names).
std::string sqlText(std::string_view text)
{
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

/// Every naming of the table, whichever role's rule it is: the records a
/// change may move into or out of some scope through another record.
std::vector<ScopeNaming> allNamings()
{
    std::vector<ScopeNaming> out;
    for (const RoleScope& role : scopeRoles())
        for (const ScopeRule& rule : role.rules)
            if (const auto naming = namingOf(role, rule))
                out.push_back(*naming);
    return out;
}

/// The bytes a change adds to an answer, near enough to bound its size.
std::size_t answerBytes(const WireChange& c)
{
    return c.id.size() + c.field.size() + (c.value ? c.value->size() : 0) + 32;
}

} // namespace

PullPlanner::PullPlanner(ServerDatabase& db, FieldTable& fields) : m_db(db), m_fields(fields) {}

std::vector<WireChange> PullPlanner::pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit)
{
    auto& s = m_db.session();
    std::string dev = deviceId;
    std::int64_t cur = cursor;
    s << m_db.q("UPDATE devices SET pulled_seq = ? WHERE id = ? AND pulled_seq < ?"), use(cur), use(dev), use(cur), now;
    return m_fields.changesAfter(cur, static_cast<std::int64_t>(limit));
}

std::optional<std::set<std::string>> PullPlanner::scopeCandidates(std::int64_t after)
{
    constexpr std::size_t kMaxCandidates = 5000;
    auto& s = m_db.session();
    std::vector<std::string> ids;
    std::vector<std::string> kinds;
    std::vector<std::string> fields;
    std::int64_t a = after;
    std::int64_t limit = kMaxCandidates + 1;
    s << m_db.q("SELECT record_id, kind, field FROM fields WHERE seq > ? ORDER BY seq LIMIT ?"), use(a), use(limit),
        into(ids), into(kinds), into(fields), now;
    if (ids.size() > kMaxCandidates)
        return std::nullopt;
    std::set<std::string> created;
    for (std::size_t n = 0; n < ids.size(); ++n)
        if (fields[n] == model::field::kCreatedAt)
            created.insert(ids[n]);
    // Records in a scope because others name them (ScopeRule::NamedBy, a
    // verifier's applications: their tasks name them) follow the naming
    // records whose link or matched field changed.
    const std::vector<ScopeNaming> namings = allNamings();
    std::vector<std::vector<std::string>> naming(namings.size());
    std::set<std::string> out;
    std::vector<std::string> todo;
    for (std::size_t n = 0; n < ids.size(); ++n)
    {
        for (std::size_t i = 0; i < namings.size(); ++i)
        {
            if (kinds[n] != namings[i].kind)
                continue;
            if (fields[n] == namings[i].link && !created.count(ids[n]))
                return std::nullopt; // a link moved: the record it named before is not known
            if (fields[n] == namings[i].link || fields[n] == namings[i].field)
                naming[i].push_back(ids[n]);
        }
        if (out.insert(ids[n]).second)
            todo.push_back(ids[n]);
    }
    for (std::size_t i = 0; i < namings.size(); ++i)
    {
        const std::string sql = "SELECT record_id, kind, field, value FROM fields WHERE field = " +
                                sqlText(namings[i].link) + " AND record_id IN (@)";
        const auto named = m_fields.rowsFor(sql, naming[i]);
        for (const auto& id : named.values)
            if (!id.isNull() && out.insert(id.value()).second)
                todo.push_back(id.value());
    }
    // Children follow their record, up to the depth the rules look (readable()).
    static const std::string childrenSql = [] {
        std::map<std::string_view, std::vector<std::string_view>> byLink;
        for (const KindScope& k : scopeKinds())
            if (k.reach == ScopeReach::Follows)
                byLink[k.link].push_back(k.kind);
        std::string sql;
        for (const auto& [link, followers] : byLink)
        {
            std::string list;
            for (const auto kind : followers)
                list += (list.empty() ? "" : ", ") + sqlText(kind);
            sql += (sql.empty() ? "" : " UNION ALL ") +
                   std::string("SELECT record_id, kind, field, value FROM fields WHERE kind IN (") + list +
                   ") AND field = " + sqlText(link) + " AND value IN (@)";
        }
        return sql;
    }();
    for (int depth = 0; depth < kMaxLinkDepth && !todo.empty(); ++depth)
    {
        const auto children = m_fields.rowsFor(childrenSql, todo);
        std::vector<std::string> next;
        for (const auto& child : children.ids)
            if (out.insert(child).second)
                next.push_back(child);
        if (out.size() > kMaxCandidates)
            return std::nullopt;
        todo = std::move(next);
    }
    return out;
}

std::set<std::string> PullPlanner::scope(const Principal& p)
{
    // The table of readable() (ScopeTable.h) as set queries over the records
    // and fields tables.
    const RoleScope* role = findRoleScope(p.role);
    if (!role)
        return {};
    if (role->everything)
        return m_fields.allRecordIds();
    auto& s = m_db.session();
    std::map<std::string, std::set<std::string>, std::less<>> ofKind;
    const auto idsOf = [&](std::string_view kind) -> const std::set<std::string>& {
        if (const auto it = ofKind.find(kind); it != ofKind.end())
            return it->second;
        std::vector<std::string> ids;
        std::string k(kind);
        s << m_db.q("SELECT record_id FROM records WHERE kind = ?"), use(k), into(ids), now;
        return ofKind[k] = std::set<std::string>(ids.begin(), ids.end());
    };
    /// (record, value of field, "" when NULL) for every record of a kind with that field.
    const auto links = [&](std::string_view kind, std::string_view field) {
        std::vector<std::string> ids;
        std::vector<std::string> targets;
        std::string k(kind);
        std::string f(field);
        s << m_db.q("SELECT record_id, COALESCE(value, '') FROM fields WHERE kind = ? AND field = ?"), use(k), use(f),
            into(ids), into(targets), now;
        std::vector<std::pair<std::string, std::string>> out;
        for (std::size_t i = 0; i < ids.size(); ++i)
            out.emplace_back(std::move(ids[i]), std::move(targets[i]));
        return out;
    };

    // The records that decide for themselves: the kinds everyone reads, the
    // role's rules on the records' own fields, then the records those name.
    std::map<std::string_view, std::set<std::string>> own;
    for (const KindScope& k : scopeKinds())
        if (k.reach == ScopeReach::Everyone)
            own[k.kind] = idsOf(k.kind);
    for (const ScopeRule& rule : role->rules)
    {
        if (rule.test == ScopeRule::Test::All)
            own[rule.kind] = idsOf(rule.kind);
        else if (rule.test == ScopeRule::Test::Field)
        {
            std::map<std::string, std::string> values;
            for (auto& [id, value] : links(rule.kind, rule.field))
                values.emplace(std::move(id), std::move(value));
            auto& in = own[rule.kind];
            for (const auto& id : idsOf(rule.kind))
            {
                const auto it = values.find(id);
                const auto value = it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
                if (fieldMatches(rule, p, value))
                    in.insert(id);
            }
        }
    }
    for (const ScopeRule& rule : role->rules)
        if (const auto naming = namingOf(*role, rule))
        {
            const auto& namers = own[naming->kind];
            const auto& candidates = idsOf(rule.kind);
            auto& in = own[rule.kind];
            for (const auto& [id, target] : links(naming->kind, naming->link))
                if (namers.count(id) && candidates.count(target))
                    in.insert(target);
        }
    std::set<std::string> in;
    for (const auto& [kind, ids] : own)
        in.insert(ids.begin(), ids.end());

    // The records that follow another (a requirement its application, a
    // note its parent, a conflict the record it is about, and so on down)
    // are in when it is, as many links deep as readable() follows.
    std::unordered_map<std::string, std::vector<std::string>> followers; // record -> those following it
    for (const KindScope& k : scopeKinds())
        if (k.reach == ScopeReach::Follows)
            for (auto& [id, target] : links(k.kind, k.link))
                if (!target.empty() && (k.linkKind.empty() || idsOf(k.linkKind).count(target)))
                    followers[target].push_back(std::move(id));
    std::vector<std::string> reached(in.begin(), in.end());
    for (int depth = 0; depth < kMaxLinkDepth && !reached.empty(); ++depth)
    {
        std::vector<std::string> next;
        for (const auto& id : reached)
            if (const auto it = followers.find(id); it != followers.end())
                for (const auto& follower : it->second)
                    if (in.insert(follower).second)
                        next.push_back(follower);
        reached = std::move(next);
    }
    return in;
}

PullAnswer PullPlanner::pull(const Principal& principal, const std::string& deviceId, std::int64_t cursor,
                             std::int64_t ack, std::size_t limit, std::optional<std::int64_t> applied)
{
    auto& s = m_db.session();
    std::string dev = deviceId;
    std::int64_t cur = cursor;
    const std::int64_t lim = static_cast<std::int64_t>(std::max<std::size_t>(limit, 1));
    PullAnswer answer;
    answer.cursor = cursor;

    std::vector<Poco::Tuple<int, std::int64_t>> state;
    s << m_db.q("SELECT tracked, epoch FROM devices WHERE id = ?"), use(dev), into(state), now;
    if (state.empty())
        throw Error(ErrorCode::Unauthorized, "device: this device is not enrolled");
    bool tracked = state.front().get<0>() != 0;
    std::int64_t epoch = state.front().get<1>();
    const bool full = fullScope(principal.role);

    Poco::Data::Transaction tx(s);
    // What the device has committed, which keeps tombstones it has not
    // applied yet: never past the cursor it asks from.
    std::int64_t done = std::min(cur, applied.value_or(cur));
    s << m_db.q("UPDATE devices SET pulled_seq = ? WHERE id = ? AND pulled_seq < ?"), use(done), use(dev), use(done), now;

    if (full && !tracked)
    {
        // A manager's or administrator's laptop holds everything: the plain
        // cursor pull, with nothing to track.
        answer.changes = m_fields.changesAfter(cur, lim + 1);
        answer.more = answer.changes.size() > static_cast<std::size_t>(lim);
        if (answer.more)
            answer.changes.resize(static_cast<std::size_t>(lim));
        std::size_t bytes = 0;
        for (std::size_t n = 0; n < answer.changes.size(); ++n)
        {
            bytes += answerBytes(answer.changes[n]);
            if (n > 0 && bytes > m_db.options().maxPullBytes)
            {
                answer.changes.resize(n);
                answer.more = true;
                break;
            }
        }
        if (!answer.changes.empty())
            answer.cursor = answer.changes.back().seq;
        tx.commit();
        return answer;
    }

    std::int64_t acked = ack;
    // The scope and held records as the last answer left them, when the
    // device applied that answer: only the records changed since need a look.
    std::optional<ScopeCache> cache;
    if (const auto it = m_scopes.find(dev); it != m_scopes.end())
    {
        const ScopeCache& c = it->second;
        if (tracked && c.epoch == epoch && acked == epoch && c.evaluatedAt > 0 && c.user == principal.name &&
            c.role == principal.role && c.kecamatan == principal.kecamatan)
            cache = std::move(it->second);
        m_scopes.erase(it); // put back once this answer is committed
    }
    if (tracked && !cache)
    {
        // Whatever an answer the device never applied (it crashed, the answer
        // was lost) told it is undone here, so it is told again.
        s << m_db.q("DELETE FROM device_records WHERE device_id = ? AND held = 1 AND epoch > ?"), use(dev), use(acked), now;
        s << m_db.q("DELETE FROM device_records WHERE device_id = ? AND held = 0 AND epoch <= ?"), use(dev), use(acked), now;
        s << m_db.q("UPDATE device_records SET held = 1, epoch = 0 WHERE device_id = ? AND held = 0"), use(dev), now;
    }
    else if (tracked && cache->leftNamed)
    {
        // The device applied the last answer: the records it named as gone
        // are gone (each statement here reads all the device's rows).
        s << m_db.q("DELETE FROM device_records WHERE device_id = ? AND held = 0 AND epoch <= ?"), use(dev), use(acked), now;
    }
    const std::int64_t evaluatedAt = m_db.counter("seq");
    const auto candidates = cache ? scopeCandidates(cache->evaluatedAt) : std::nullopt;
    std::set<std::string> held;
    std::set<std::string> inScope;
    std::vector<std::string> entered;
    std::vector<std::string> left;
    StoredLookup stored(m_db, m_fields);
    if (candidates)
    {
        held = std::move(cache->held);
        inScope = std::move(cache->inScope);
        stored.preload(std::vector<std::string>(candidates->begin(), candidates->end()));
        // The records the principal reads because others name them (a
        // verifier's applications), at once.
        if (const RoleScope* role = findRoleScope(principal.role))
            for (const ScopeRule& rule : role->rules)
                if (const auto naming = namingOf(*role, rule))
                    if (const std::string& mine = holderValue(naming->holder, principal); !mine.empty())
                        stored.preloadNamedBy(std::string(naming->kind), std::string(naming->link),
                                              std::string(naming->field), mine);
        // Those the last answer had no room for first, unless they changed
        // since (they are judged again below).
        for (auto& id : cache->unsent)
            if (!candidates->count(id) && inScope.count(id) && !held.count(id))
                entered.push_back(std::move(id));
        for (const auto& id : *candidates)
        {
            const auto kind = stored.lookup.kindOf(id);
            if (kind && readable(principal, *kind, id, stored.lookup))
                inScope.insert(id);
            else
                inScope.erase(id);
            if (inScope.count(id) && !held.count(id))
                entered.push_back(id);
            else if (!inScope.count(id) && held.count(id))
                left.push_back(id);
        }
    }
    else
    {
        std::vector<std::string> heldIds;
        s << m_db.q("SELECT record_id FROM device_records WHERE device_id = ? AND held = 1"), use(dev), into(heldIds), now;
        held = std::set<std::string>(heldIds.begin(), heldIds.end());
        inScope = scope(principal);
        for (const auto& id : inScope)
            if (!held.count(id))
                entered.push_back(id);
        if (tracked)
        {
            for (const auto& id : held)
                if (!inScope.count(id))
                    left.push_back(id);
        }
        else if (cursor > 0)
        {
            // First scoped pull of a laptop that may hold anything (it was a
            // manager's, or changed hands): everything outside the scope goes.
            for (const auto& id : m_fields.allRecordIds())
                if (!inScope.count(id))
                    left.push_back(id);
        }
    }

    const std::int64_t nextEpoch = epoch + 1;
    // A laptop that has pulled nothing yet gets every change of its scope
    // from the changes after cursor 0 below, so its records are only marked
    // as held here, a page at a time, before those changes are sent.
    // Sending them whole as well sent each change twice.
    const bool fresh = cur == 0;
    bool changedHolding = false;
    std::set<std::string> sentWhole;
    std::size_t enteredSent = 0;
    std::size_t bytes = 0;
    // Entered records are read a page ahead (a colleague's new application
    // enters every clerk's scope of that kecamatan): one statement per page
    // instead of one per record.
    constexpr std::size_t kWholePage = 200;
    std::map<std::string, std::vector<WireChange>> wholePage;
    std::size_t pagedUpTo = 0;
    for (std::size_t e = 0; e < entered.size(); ++e)
    {
        const std::string& id = entered[e];
        std::vector<WireChange> record;
        if (fresh)
        {
            if (enteredSent >= static_cast<std::size_t>(lim))
                break;
        }
        else
        {
            if (e >= pagedUpTo)
            {
                pagedUpTo = std::min(entered.size(), e + kWholePage);
                wholePage = m_fields.wholeRecords(std::vector<std::string>(
                    entered.begin() + static_cast<std::ptrdiff_t>(e), entered.begin() + static_cast<std::ptrdiff_t>(pagedUpTo)));
            }
            if (auto it = wholePage.find(id); it != wholePage.end())
                record = std::move(it->second);
            std::size_t recordBytes = 0;
            for (const auto& c : record)
                recordBytes += answerBytes(c);
            if (!answer.changes.empty() && (answer.changes.size() + record.size() > static_cast<std::size_t>(lim) ||
                                            bytes + recordBytes > m_db.options().maxPullBytes))
                break;
            bytes += recordBytes;
            sentWhole.insert(id);
        }
        for (auto& c : record)
            answer.changes.push_back(std::move(c));
        ++enteredSent;
        changedHolding = true;
    }
    // The device's holding as this answer leaves it: one statement for all
    // the records (a first pull marks tens of thousands), each with its kind.
    const auto mark = [&](std::vector<std::string> ids, int heldFlag) {
        if (ids.empty())
            return;
        std::vector<std::string> devices(ids.size(), dev);
        std::vector<std::int64_t> epochs(ids.size(), nextEpoch);
        std::vector<std::int64_t> flags(ids.size(), heldFlag);
        s << m_db.q("INSERT INTO device_records (device_id, record_id, kind, held, epoch) VALUES (?, ?, "
                    "COALESCE((SELECT kind FROM records WHERE record_id = ?), ''), ?, ?) "
                    "ON CONFLICT (device_id, record_id) DO UPDATE SET held = excluded.held, epoch = excluded.epoch"),
            use(devices), use(ids), use(ids), use(flags), use(epochs), now;
    };
    mark(std::vector<std::string>(entered.begin(), entered.begin() + static_cast<std::ptrdiff_t>(enteredSent)), 1);
    mark(left, 0);
    for (const auto& id : left)
    {
        answer.gone.emplace_back(stored.lookup.kindOf(id).value_or(""), id);
        changedHolding = true;
    }

    if (enteredSent < entered.size())
        answer.more = true; // the rest of the entered records first; the cursor waits
    else
    {
        // Changes after the cursor of records in scope, skipping those just
        // sent whole. The cursor moves past every row looked at, so rows
        // outside the scope are not looked at again; a pull examines at
        // most a few pages of them.
        std::int64_t examined = 0;
        std::int64_t from = cur;
        for (;;)
        {
            const auto page = m_fields.changesAfter(from, lim);
            bool answerFull = false;
            for (const auto& c : page)
            {
                // As in the unscoped pull: a change that would take the
                // answer past its byte budget waits for the next one.
                const bool wanted = inScope.count(c.id) && !sentWhole.count(c.id);
                if (answer.changes.size() >= static_cast<std::size_t>(lim) ||
                    (wanted && !answer.changes.empty() && bytes + answerBytes(c) > m_db.options().maxPullBytes))
                {
                    answerFull = true;
                    break;
                }
                from = c.seq;
                ++examined;
                if (wanted)
                {
                    bytes += answerBytes(c);
                    answer.changes.push_back(c);
                }
            }
            if (page.size() < static_cast<std::size_t>(lim) && from == (page.empty() ? from : page.back().seq))
            {
                answer.more = false;
                break;
            }
            if (answerFull || answer.changes.size() >= static_cast<std::size_t>(lim) ||
                bytes > m_db.options().maxPullBytes || examined >= 8 * lim)
            {
                answer.more = true;
                break;
            }
        }
        answer.cursor = from;
    }
    if (changedHolding)
        epoch = nextEpoch;
    if (full && entered.empty() && left.empty())
    {
        // A laptop whose user now sees everything, fully caught up: stop tracking.
        s << m_db.q("DELETE FROM device_records WHERE device_id = ?"), use(dev), now;
        tracked = false;
    }
    else
        tracked = true;
    int t = tracked ? 1 : 0;
    s << m_db.q("UPDATE devices SET tracked = ?, epoch = ? WHERE id = ?"), use(t), use(epoch), use(dev), now;
    tx.commit();
    answer.ack = epoch;
    if (tracked)
    {
        // Every record that left is named, and the records that entered are
        // sent or marked up to enteredSent: once the device applies this
        // answer it holds those, and the rest wait for the next answer.
        ScopeCache next;
        next.user = principal.name;
        next.role = principal.role;
        next.kecamatan = principal.kecamatan;
        next.epoch = epoch;
        next.evaluatedAt = evaluatedAt;
        next.leftNamed = !left.empty();
        const auto sentEnd = entered.begin() + static_cast<std::ptrdiff_t>(enteredSent);
        held.insert(entered.begin(), sentEnd);
        for (const auto& id : left)
            held.erase(id);
        next.held = std::move(held);
        next.inScope = std::move(inScope);
        next.unsent.assign(std::make_move_iterator(sentEnd), std::make_move_iterator(entered.end()));
        next.lastUsed = ++m_scopeTick;
        m_scopes[dev] = std::move(next);
        while (!m_scopes.empty() && m_scopes.size() > m_db.options().maxKeptScopes)
            m_scopes.erase(std::min_element(m_scopes.begin(), m_scopes.end(), [](const auto& a, const auto& b) {
                return a.second.lastUsed < b.second.lastUsed;
            }));
    }
    return answer;
}

} // namespace berkas::sync
