#include "sync/ServerStore.h"

#include "model/Error.h"
#include "model/Schema.h"
#include "model/Uuid.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Nullable.h>
#include <Poco/RandomStream.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <map>
#include <set>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

constexpr int kServerSchemaVersion = 1;

std::optional<std::string> fromNullable(const Poco::Nullable<std::string>& v)
{
    if (v.isNull())
        return std::nullopt;
    return v.value();
}

Poco::Nullable<std::string> toNullable(const std::optional<std::string>& v)
{
    if (!v)
        return Poco::Nullable<std::string>();
    return Poco::Nullable<std::string>(*v);
}

} // namespace

/// A field as the server holds it.
struct ServerStore::Current
{
    bool exists = false;
    FieldState state;
    std::string user;
    std::int64_t seq = 0;
};

ServerStore::ServerStore(ServerStoreOptions options)
    : m_options(std::move(options)), m_clock([this] { return m_options.clockMs(); })
{
    try
    {
        Poco::Data::SQLite::Connector::registerConnector();
        m_session = std::make_unique<Poco::Data::Session>(m_options.connector, m_options.connection);
        if (m_options.connector == "SQLite")
        {
            *m_session << "PRAGMA journal_mode=WAL", now;
            *m_session << "PRAGMA synchronous=FULL", now;
            *m_session << "PRAGMA busy_timeout=5000", now;
        }
        createSchema();
        m_clock.restore(counter("hlc"));
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "cannot open the server database " + m_options.connection + ": " + e.displayText());
    }
}

ServerStore::~ServerStore() = default;

void ServerStore::createSchema()
{
    auto& s = *m_session;
    s << "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)", now;
    const std::int64_t version = counter("schema_version");
    if (version > kServerSchemaVersion)
        throw Error(ErrorCode::InvalidData, "the server database has schema version " + std::to_string(version) +
                                                ", newer than this berkas-server understands (" +
                                                std::to_string(kServerSchemaVersion) + ")");
    if (version == kServerSchemaVersion)
        return;
    Poco::Data::Transaction tx(s);
    s << "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, kecamatan TEXT, password_hash TEXT NOT NULL, "
         "disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)",
        now;
    s << "CREATE TABLE devices (id TEXT PRIMARY KEY, user_name TEXT NOT NULL, enrolled_at TEXT NOT NULL, "
         "revoked INTEGER NOT NULL DEFAULT 0, pushed_seq BIGINT NOT NULL DEFAULT 0, "
         "pulled_seq BIGINT NOT NULL DEFAULT 0)",
        now;
    // One row per field of every record: its value, stamp and the server
    // sequence of its last change. Pull is "WHERE seq > cursor ORDER BY seq".
    s << "CREATE TABLE fields (record_id TEXT NOT NULL, field TEXT NOT NULL, kind TEXT NOT NULL, value TEXT, "
         "hlc BIGINT NOT NULL, device TEXT NOT NULL, user_name TEXT NOT NULL, seq BIGINT NOT NULL, "
         "PRIMARY KEY (record_id, field))",
        now;
    s << "CREATE INDEX fields_seq ON fields (seq)", now;
    // Open conflicts that need review, by the record they block.
    s << "CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)", now;
    s << "CREATE TABLE reviews (conflict_id TEXT PRIMARY KEY, record_id TEXT NOT NULL)", now;
    s << "CREATE INDEX reviews_record ON reviews (record_id)", now;
    setCounter("schema_version", kServerSchemaVersion);
    tx.commit();
}

std::int64_t ServerStore::counter(const std::string& name)
{
    std::vector<std::int64_t> values;
    std::string n = name;
    *m_session << "SELECT value FROM counters WHERE name = ?", use(n), into(values), now;
    return values.empty() ? 0 : values.front();
}

void ServerStore::setCounter(const std::string& name, std::int64_t value)
{
    std::string n = name;
    *m_session << "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        use(n), use(value), now;
}

std::string ServerStore::isoTime(std::int64_t ms) const
{
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
    const Poco::LocalDateTime local(m_options.utcOffsetMinutes * 60, Poco::DateTime(ts));
    return Poco::DateTimeFormatter::format(local, Poco::DateTimeFormat::ISO8601_FORMAT);
}

std::string ServerStore::tokenSecret()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::string> values;
    *m_session << "SELECT value FROM secrets WHERE name = 'token'", into(values), now;
    if (!values.empty())
        return values.front();
    std::string raw(32, '\0');
    Poco::RandomInputStream random;
    random.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    std::string secret = Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(raw.begin(), raw.end()));
    *m_session << "INSERT INTO secrets (name, value) VALUES ('token', ?)", use(secret), now;
    return secret;
}

void ServerStore::addUser(const UserAccount& account)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::string> existing;
    std::string name = account.name;
    *m_session << "SELECT name FROM users WHERE name = ?", use(name), into(existing), now;
    if (!existing.empty())
        throw Error(ErrorCode::Conflict, "user: " + account.name + " already exists");
    std::string role = account.role;
    std::string kecamatan = account.kecamatan;
    std::string hash = account.passwordHash;
    std::string created = isoTime(nowMs());
    *m_session << "INSERT INTO users (name, role, kecamatan, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)",
        use(name), use(role), use(kecamatan), use(hash), use(created), now;
}

std::optional<UserAccount> ServerStore::user(const std::string& name)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::string, std::string, std::string, std::string, int, std::string>> rows;
    std::string n = name;
    *m_session << "SELECT name, role, COALESCE(kecamatan, ''), password_hash, disabled, created_at FROM users WHERE name = ?",
        use(n), into(rows), now;
    if (rows.empty())
        return std::nullopt;
    const auto& r = rows.front();
    return UserAccount{r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>() != 0, r.get<5>()};
}

std::vector<UserAccount> ServerStore::users()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::string, std::string, std::string, int, std::string>> rows;
    *m_session << "SELECT name, role, COALESCE(kecamatan, ''), disabled, created_at FROM users ORDER BY name", into(rows), now;
    std::vector<UserAccount> out;
    for (const auto& r : rows)
        out.push_back({r.get<0>(), r.get<1>(), r.get<2>(), "", r.get<3>() != 0, r.get<4>()});
    return out;
}

void ServerStore::setUserDisabled(const std::string& name, bool disabled)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::string n = name;
    int d = disabled ? 1 : 0;
    Poco::Data::Statement st(*m_session);
    st << "UPDATE users SET disabled = ? WHERE name = ?", use(d), use(n);
    if (st.execute() == 0)
        throw Error(ErrorCode::NotFound, "user: no user named " + name);
}

void ServerStore::enrollDevice(const std::string& deviceId, const std::string& userName)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::string> owners;
    std::string id = deviceId;
    *m_session << "SELECT user_name FROM devices WHERE id = ?", use(id), into(owners), now;
    std::string u = userName;
    if (owners.empty())
    {
        std::string at = isoTime(nowMs());
        *m_session << "INSERT INTO devices (id, user_name, enrolled_at) VALUES (?, ?, ?)", use(id), use(u), use(at), now;
    }
    else if (owners.front() != userName)
    {
        // Another person enrolling on a shared laptop: the device now acts for them.
        *m_session << "UPDATE devices SET user_name = ? WHERE id = ?", use(u), use(id), now;
    }
}

std::optional<DeviceInfo> ServerStore::device(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::string, std::string, int, std::int64_t, std::int64_t>> rows;
    std::string id = deviceId;
    *m_session << "SELECT id, user_name, revoked, pushed_seq, pulled_seq FROM devices WHERE id = ?", use(id), into(rows), now;
    if (rows.empty())
        return std::nullopt;
    const auto& r = rows.front();
    return DeviceInfo{r.get<0>(), r.get<1>(), r.get<2>() != 0, r.get<3>(), r.get<4>()};
}

void ServerStore::revokeDevice(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::string id = deviceId;
    *m_session << "UPDATE devices SET revoked = 1 WHERE id = ?", use(id), now;
}

std::int64_t ServerStore::lastSeq()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return counter("seq");
}

std::optional<std::string> ServerStore::value(const std::string& recordId, const std::string& field)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Nullable<std::string>> values;
    std::string id = recordId;
    std::string f = field;
    *m_session << "SELECT value FROM fields WHERE record_id = ? AND field = ?", use(id), use(f), into(values), now;
    if (values.empty())
        return std::nullopt;
    return fromNullable(values.front());
}

model::Stamp ServerStore::stamp(const std::string& recordId, const std::string& field)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::int64_t> hlcs;
    std::vector<std::string> devices;
    std::string id = recordId;
    std::string f = field;
    *m_session << "SELECT hlc, device FROM fields WHERE record_id = ? AND field = ?", use(id), use(f), into(hlcs),
        into(devices), now;
    if (hlcs.empty())
        return {};
    return {hlcs.front(), devices.front()};
}

void ServerStore::writeField(const std::string& kind, const std::string& id, const std::string& field,
                             const std::optional<std::string>& value, const model::Stamp& stamp,
                             const std::string& user, std::int64_t seq)
{
    std::string k = kind;
    std::string i = id;
    std::string f = field;
    Poco::Nullable<std::string> v = toNullable(value);
    std::int64_t hlc = stamp.hlc;
    std::string device = stamp.device;
    std::string u = user;
    std::int64_t s = seq;
    *m_session << "INSERT INTO fields (record_id, field, kind, value, hlc, device, user_name, seq) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id, field) DO UPDATE SET "
                  "value = excluded.value, hlc = excluded.hlc, device = excluded.device, "
                  "user_name = excluded.user_name, seq = excluded.seq",
        use(i), use(f), use(k), use(v), use(hlc), use(device), use(u), use(s), now;
}

std::string ServerStore::assignRegNo(const std::string& serviceCode, std::int64_t physicalMs)
{
    // Gapless per year: the counter moves in the same transaction as the
    // record, so a rolled-back push never burns a number.
    const std::string year = isoTime(physicalMs).substr(0, 4);
    const std::int64_t next = counter("reg_no:" + year) + 1;
    setCounter("reg_no:" + year, next);
    std::string out;
    const std::string& t = m_options.regNoTemplate;
    for (std::size_t i = 0; i < t.size();)
    {
        if (t[i] != '{')
        {
            out += t[i++];
            continue;
        }
        const auto close = t.find('}', i);
        if (close == std::string::npos)
        {
            out += t.substr(i);
            break;
        }
        const std::string token = t.substr(i + 1, close - i - 1);
        if (token == "year")
            out += year;
        else if (token == "service")
            out += serviceCode;
        else if (token.rfind("seq", 0) == 0)
        {
            std::size_t width = 0;
            if (token.size() > 4 && token[3] == ':')
                width = static_cast<std::size_t>(std::stoi(token.substr(4)));
            std::string n = std::to_string(next);
            if (n.size() < width)
                n.insert(0, width - n.size(), '0');
            out += n;
        }
        else
            out += "{" + token + "}";
        i = close + 1;
    }
    return out;
}

std::vector<PushResult> ServerStore::push(const std::string& deviceId, const std::string& user,
                                          std::int64_t clientCursor, const std::vector<WireChange>& changes)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = *m_session;
    const std::int64_t nowMs = m_options.clockMs();

    // Validate the whole batch before writing anything.
    for (const auto& c : changes)
    {
        const model::KindDef* kind = model::findKind(c.kind);
        if (!kind)
            throw Error(ErrorCode::InvalidData, "changes: unknown kind \"" + c.kind + "\" (change " + std::to_string(c.seq) + ")");
        const bool common = c.field == model::field::kCreatedAt || c.field == model::field::kDeleted;
        if (!common && !kind->field(c.field))
            throw Error(ErrorCode::InvalidData,
                        "changes: unknown field \"" + c.field + "\" of " + c.kind + " (change " + std::to_string(c.seq) + ")");
        if (!model::isUuid(c.id))
            throw Error(ErrorCode::InvalidData, "changes: id must be a UUID (change " + std::to_string(c.seq) + ")");
        if (c.stamp.device != deviceId)
            throw Error(ErrorCode::InvalidData, "changes: stamp of change " + std::to_string(c.seq) +
                                                    " names another device than the one pushing");
        const std::int64_t aheadMs = model::HybridLogicalClock::physicalMs(c.stamp.hlc) - nowMs;
        if (aheadMs > kMaxClockAheadMs)
            throw Error(ErrorCode::InvalidData,
                        "clock: this device's clock is " + std::to_string(aheadMs / 60000) +
                            " minutes ahead of the central office; set the laptop's date and time and sync again");
    }

    std::vector<Poco::Tuple<std::int64_t>> pushedRows;
    std::string dev = deviceId;
    s << "SELECT pushed_seq FROM devices WHERE id = ?", use(dev), into(pushedRows), now;
    if (pushedRows.empty())
        throw Error(ErrorCode::Unauthorized, "device: this device is not enrolled");
    std::int64_t pushedSeq = pushedRows.front().get<0>();

    Poco::Data::Transaction tx(s);
    std::int64_t seq = counter("seq");
    std::vector<PushResult> results;
    std::map<std::pair<std::string, std::string>, Current> cache;

    const auto load = [&](const std::string& id, const std::string& field) -> Current& {
        auto key = std::make_pair(id, field);
        auto it = cache.find(key);
        if (it != cache.end())
            return it->second;
        std::vector<Poco::Tuple<Poco::Nullable<std::string>, std::int64_t, std::string, std::string, std::int64_t>> rows;
        std::string i = id;
        std::string f = field;
        s << "SELECT value, hlc, device, user_name, seq FROM fields WHERE record_id = ? AND field = ?", use(i), use(f),
            into(rows), now;
        Current c;
        if (!rows.empty())
        {
            c.exists = true;
            c.state.value = fromNullable(rows.front().get<0>());
            c.state.stamp = {rows.front().get<1>(), rows.front().get<2>()};
            c.user = rows.front().get<3>();
            c.seq = rows.front().get<4>();
        }
        return cache[key] = c;
    };
    const auto put = [&](const std::string& kind, const std::string& id, const std::string& field,
                         const std::optional<std::string>& value, const model::Stamp& stamp, const std::string& by) {
        ++seq;
        writeField(kind, id, field, value, stamp, by, seq);
        Current& c = cache[{id, field}];
        c.exists = true;
        c.state = {value, stamp};
        c.user = by;
        c.seq = seq;
    };

    for (const auto& c : changes)
    {
        if (c.seq <= pushedSeq)
        {
            results.push_back({c.seq, "duplicate", ""});
            continue;
        }
        pushedSeq = c.seq;
        m_clock.observe(c.stamp.hlc);
        const model::KindDef& kind = model::requireKind(c.kind);
        MergeContext context;
        context.recordDeleted = load(c.id, model::field::kDeleted).state.value.value_or("0") == "1";
        {
            std::vector<std::string> open;
            std::string i = c.id;
            s << "SELECT conflict_id FROM reviews WHERE record_id = ? LIMIT 1", use(i), into(open), now;
            context.reviewConflictOpen = !open.empty();
        }
        if (c.field == model::field::kDeleted)
        {
            std::vector<std::string> others;
            std::string i = c.id;
            std::int64_t cur = clientCursor;
            s << "SELECT field FROM fields WHERE record_id = ? AND seq > ? AND device <> ? LIMIT 1", use(i), use(cur),
                use(dev), into(others), now;
            context.concurrentEditsOfRecord = !others.empty();
        }
        Current& cur = load(c.id, c.field);
        FieldChange change{c.kind, c.id, c.field, c.value, c.stamp, c.base};
        const MergeOutcome outcome = merge(kind, change, cur.state, context);

        if (outcome.result == MergeResult::Duplicate)
        {
            results.push_back({c.seq, "duplicate", ""});
            continue;
        }
        const FieldState before = cur.state;
        const std::string beforeUser = cur.user;
        if (outcome.applies())
            put(c.kind, c.id, c.field, c.value, c.stamp, user);
        else
        {
            // The device that lost still shows its own value: send the value
            // that stays out again (same stamp, new sequence) so that its
            // next pull puts it back. An edit of a deleted record gets the
            // deletion re-sent too.
            put(c.kind, c.id, c.field, before.value, before.stamp, beforeUser);
            if (context.recordDeleted)
            {
                Current& deleted = load(c.id, model::field::kDeleted);
                const FieldState d = deleted.state;
                put(c.kind, c.id, model::field::kDeleted, d.value, d.stamp, deleted.user);
            }
        }

        if (outcome.conflict())
        {
            // The value that stays and the one set aside, both with their
            // authors and times, in a conflict record that replicates.
            const bool incomingKept = outcome.result == MergeResult::IncomingWins;
            const FieldState kept = incomingKept ? FieldState{c.value, c.stamp} : before;
            const FieldState other = incomingKept ? before : FieldState{c.value, c.stamp};
            const std::string keptUser = incomingKept ? user : beforeUser;
            const std::string otherUser = incomingKept ? beforeUser : user;
            const std::string conflictId = model::newUuidV7();
            const model::Stamp serverStamp{m_clock.now(), m_options.serverDevice};
            const std::vector<std::pair<std::string, std::optional<std::string>>> fields = {
                {model::field::kCreatedAt, isoTime(nowMs)},
                {"record_kind", c.kind},
                {"record_id", c.id},
                {"field", c.field},
                {"kept_value", kept.value},
                {"other_value", other.value},
                {"kept_stamp", model::formatStamp(kept.stamp)},
                {"other_stamp", model::formatStamp(other.stamp)},
                {"kept_user", keptUser},
                {"other_user", otherUser},
                {"kept_at", isoTime(model::HybridLogicalClock::physicalMs(kept.stamp.hlc))},
                {"other_at", isoTime(model::HybridLogicalClock::physicalMs(other.stamp.hlc))},
                {"needs_review", std::string(outcome.needsReview ? "1" : "0")},
                {"status", std::string("open")},
                {"resolution", outcome.reason},
            };
            for (const auto& [name, value] : fields)
                put("conflict", conflictId, name, value, serverStamp, "server");
            if (outcome.needsReview)
            {
                std::string cid = conflictId;
                std::string rid = c.id;
                s << "INSERT INTO reviews (conflict_id, record_id) VALUES (?, ?)", use(cid), use(rid), now;
            }
            results.push_back({c.seq, "conflict", outcome.reason});
        }
        else
            results.push_back({c.seq, "applied", ""});

        if (c.kind == "conflict" && c.field == model::field::kStatus && c.value.value_or("") == "resolved" &&
            outcome.applies())
        {
            std::string cid = c.id;
            s << "DELETE FROM reviews WHERE conflict_id = ?", use(cid), now;
        }
        if (c.kind == "application" && c.field == model::field::kServiceCode && outcome.applies() &&
            !load(c.id, model::field::kRegNo).exists)
        {
            // The central office numbers an application when it first sees it.
            const model::Stamp serverStamp{m_clock.now(), m_options.serverDevice};
            put(c.kind, c.id, model::field::kRegNo, assignRegNo(c.value.value_or(""), nowMs), serverStamp, "server");
        }
    }
    setCounter("seq", seq);
    setCounter("hlc", m_clock.last());
    s << "UPDATE devices SET pushed_seq = ? WHERE id = ?", use(pushedSeq), use(dev), now;
    tx.commit();
    return results;
}

std::vector<WireChange> ServerStore::pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = *m_session;
    std::string dev = deviceId;
    std::int64_t cur = cursor;
    s << "UPDATE devices SET pulled_seq = ? WHERE id = ? AND pulled_seq < ?", use(cur), use(dev), use(cur), now;
    // Column vectors rather than tuples: a first pull reads millions of rows.
    std::vector<std::int64_t> seqs;
    std::vector<std::string> kinds;
    std::vector<std::string> ids;
    std::vector<std::string> fields;
    std::vector<Poco::Nullable<std::string>> values;
    std::vector<std::int64_t> hlcs;
    std::vector<std::string> devices;
    std::vector<std::string> users;
    std::int64_t lim = static_cast<std::int64_t>(limit);
    s << "SELECT seq, kind, record_id, field, value, hlc, device, user_name FROM fields WHERE seq > ? ORDER BY seq LIMIT ?",
        use(cur), use(lim), into(seqs), into(kinds), into(ids), into(fields), into(values), into(hlcs), into(devices),
        into(users), now;
    std::vector<WireChange> out(seqs.size());
    for (std::size_t i = 0; i < seqs.size(); ++i)
    {
        WireChange& c = out[i];
        c.seq = seqs[i];
        c.kind = std::move(kinds[i]);
        c.id = std::move(ids[i]);
        c.field = std::move(fields[i]);
        c.value = fromNullable(values[i]);
        c.stamp = {hlcs[i], std::move(devices[i])};
        c.user = std::move(users[i]);
    }
    return out;
}

std::size_t ServerStore::purgeTombstones()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = *m_session;
    std::vector<std::int64_t> minimum;
    s << "SELECT COALESCE(MIN(pulled_seq), 0) FROM devices WHERE revoked = 0", into(minimum), now;
    std::int64_t floor = minimum.empty() ? 0 : minimum.front();
    std::vector<std::string> ids;
    s << "SELECT d.record_id FROM fields d WHERE d.field = 'deleted' AND d.value = '1' AND "
         "(SELECT MAX(seq) FROM fields f WHERE f.record_id = d.record_id) <= ? AND "
         "EXISTS (SELECT 1 FROM fields f WHERE f.record_id = d.record_id AND f.field <> 'deleted')",
        use(floor), into(ids), now;
    Poco::Data::Transaction tx(s);
    for (auto& id : ids)
        s << "DELETE FROM fields WHERE record_id = ? AND field <> 'deleted'", use(id), now;
    tx.commit();
    return ids.size();
}

} // namespace berkas::sync
