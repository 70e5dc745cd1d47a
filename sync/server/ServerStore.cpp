#include "sync/server/ServerStore.h"

#include "model/Assets.h"
#include "model/Database.h"
#include "model/Regions.h"
#include "model/Error.h"
#include "model/Schema.h"
#include "model/Uuid.h"
#include "model/Validation.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Nullable.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/URI.h>
#include <Poco/RandomStream.h>
#include <Poco/String.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

constexpr int kServerSchemaVersion = 4;

std::optional<std::string> fromNullable(const Poco::Nullable<std::string>& v)
{
    if (v.isNull())
        return std::nullopt;
    return v.value();
}

std::optional<std::string> fromNullable(Poco::Nullable<std::string>&& v)
{
    if (v.isNull())
        return std::nullopt;
    return std::move(v.value());
}

Poco::Nullable<std::string> toNullable(const std::optional<std::string>& v)
{
    if (!v)
        return Poco::Nullable<std::string>();
    return Poco::Nullable<std::string>(*v);
}

/// How many links the scope rules follow from a record to the one that
/// decides it (a conflict about a conflict about ... an application: people
/// settling one conflict at once make a conflict about it). Every spelling
/// of the read scope below follows exactly as deep.
constexpr int kMaxLinkDepth = 16;

bool fullScope(const std::string& role)
{
    return role == "manager" || role == "admin";
}

/// How the scope rules see records: the server's copy, or the server's copy
/// with a push's values laid over it (the record as it would stand after).
struct RecordLookup
{
    std::function<std::optional<std::string>(const std::string& id)> kindOf;
    std::function<std::optional<std::string>(const std::string& id, const std::string& field)> value;
    /// Verifier: a task of this application is assigned to the principal.
    std::function<bool(const std::string& applicationId)> hasTaskFor;
};

/// The read scope of sync/PROTOCOL.md, "Scope", for one record. Children
/// (requirements, notes, attachments, conflicts) follow the record they
/// belong to. ServerStore::scopeLocked computes the same set with SQL.
bool readable(const Principal& p, const std::string& kind, const std::string& id, const RecordLookup& l, int depth = 0)
{
    if (fullScope(p.role))
        return true;
    if (depth > kMaxLinkDepth)
        return false;
    if (kind == "service")
        return true;
    const auto parent = [&](const char* field, const char* onlyKind) {
        const auto pid = l.value(id, field);
        if (!pid || pid->empty())
            return false;
        const auto pk = l.kindOf(*pid);
        if (!pk || (onlyKind && *pk != onlyKind))
            return false;
        return readable(p, *pk, *pid, l, depth + 1);
    };
    if (kind == "requirement")
        return parent(model::field::kApplicationId, "application");
    if (kind == "note" || kind == "attachment")
        return parent("parent_id", nullptr);
    if (kind == "conflict")
        return parent("record_id", nullptr);
    if (p.role == "clerk")
    {
        if (kind == "application" || kind == "complaint")
        {
            const std::string k = l.value(id, model::field::kKecamatan).value_or("");
            return k.empty() || k == p.kecamatan;
        }
        return kind == "booking";
    }
    if (p.role == "verifier")
    {
        if (kind == "task")
            return l.value(id, "assigned_to").value_or("") == p.name;
        if (kind == "application")
            return l.hasTaskFor(id);
    }
    return false;
}

/// Why @p p may not make change @p c, or "" when it may. @p before is the
/// record as the server holds it (@p exists: it holds it), @p after as it
/// would stand after the batch.
std::string refusal(const Principal& p, const WireChange& c, bool exists, const RecordLookup& before,
                    const RecordLookup& after)
{
    if (p.role == "admin")
        return {};
    if (c.kind == "service")
        return "the service catalog is changed only by an administrator";
    if (p.role == "manager")
        return {};
    if (p.role == "clerk")
    {
        if (c.kind == "task")
            return "a clerk does not change field verification tasks; a manager assigns them";
        const std::string where = "outside your scope (kecamatan " + p.kecamatan + ")";
        if (exists && !readable(p, c.kind, c.id, before))
            return "this " + c.kind + " is " + where;
        if (!readable(p, c.kind, c.id, after))
            return "this change would put the " + c.kind + " " + where;
        return {};
    }
    if (p.role == "verifier")
    {
        if (c.kind == "task")
        {
            if (!exists || !readable(p, c.kind, c.id, before))
                return "this task is not assigned to you";
            if (c.field == "assigned_to" || c.field == model::field::kApplicationId ||
                c.field == model::field::kDeleted || c.field == model::field::kCreatedAt)
                return "a verifier may not change " + c.field + " of a task; a manager does";
            return {};
        }
        if (c.kind == "note" || c.kind == "attachment")
        {
            const auto pid = after.value(c.id, "parent_id");
            const auto pk = pid ? after.kindOf(*pid) : std::nullopt;
            if (pk && *pk == "task" && readable(p, "task", *pid, after))
                return {};
            return "a verifier adds notes and attachments only to the tasks assigned to them";
        }
        return "a verifier changes only the tasks assigned to them";
    }
    return "the role \"" + p.role + "\" may not change records";
}

/// Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool validUtf8(const std::string& text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;)
    {
        const unsigned char c = s[i];
        std::size_t len = 0;
        unsigned cp = 0;
        if (c < 0x80)
        {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07;
        else
            return false;
        if (i + len > n)
            return false;
        for (std::size_t k = 1; k < len; ++k)
        {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += len;
    }
    return true;
}

} // namespace

bool isValidUtf8(const std::string& text)
{
    return validUtf8(text);
}

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
        m_postgres = m_options.connector == "PostgreSQL";
        if (m_postgres)
            Poco::Data::PostgreSQL::Connector::registerConnector();
        else
        {
            model::Database::configureProcess(); // the session below is used under m_mutex only
            Poco::Data::SQLite::Connector::registerConnector();
        }
        m_session = std::make_unique<Poco::Data::Session>(m_options.connector, m_options.connection);
        if (m_postgres)
            *m_session << "SET client_min_messages TO WARNING", now;
        if (m_options.connector == "SQLite")
        {
            *m_session << q("PRAGMA journal_mode=WAL"), now;
            *m_session << q("PRAGMA synchronous=FULL"), now;
            *m_session << q("PRAGMA busy_timeout=5000"), now;
            // 64 MiB of pages (SQLite's default is 2): a scoped pull reads
            // the scope's rows of the whole fields table at every answer,
            // and with the default cache each page came from the file again
            // (a clerk's first pull of 20,000 applications: 2.2 s -> 1.8 s).
            *m_session << q("PRAGMA cache_size=-65536"), now;
        }
        createSchema();
        m_clock.restore(counter("hlc"));
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "cannot open the server database " + describeConnection() + ": " + e.displayText());
    }
}

ServerStore::~ServerStore() = default;

/// The scope rules' view of the server's copy (RecordLookup), reading rows
/// as they are asked for and keeping them for the next question.
struct ServerStore::StoredLookup
{
    RecordLookup lookup;

    StoredLookup(ServerStore& store, const std::string& user)
    {
        auto& s = *store.m_session;
        lookup.kindOf = [this, &s, &store](const std::string& id) -> std::optional<std::string> {
            if (const auto it = m_kinds.find(id); it != m_kinds.end())
                return it->second;
            std::vector<std::string> rows;
            std::string i = id;
            s << store.q("SELECT kind FROM records WHERE record_id = ?"), use(i), into(rows), now;
            return m_kinds[id] = rows.empty() ? std::nullopt : std::optional<std::string>(rows.front());
        };
        lookup.value = [this, &s, &store](const std::string& id, const std::string& field) -> std::optional<std::string> {
            const auto key = std::make_pair(id, field);
            if (const auto it = m_values.find(key); it != m_values.end())
                return it->second;
            std::vector<Poco::Nullable<std::string>> rows;
            std::string i = id;
            std::string f = field;
            s << store.q("SELECT value FROM fields WHERE record_id = ? AND field = ?"), use(i), use(f), into(rows), now;
            return m_values[key] = rows.empty() ? std::nullopt : fromNullable(rows.front());
        };
        lookup.hasTaskFor = [this, &s, &store, user](const std::string& applicationId) {
            if (const auto it = m_tasks.find(applicationId); it != m_tasks.end())
                return it->second;
            if (m_tasksKnown)
                return false;
            std::vector<std::string> rows;
            std::string a = applicationId;
            std::string me = user;
            s << store.q("SELECT t.record_id FROM fields t JOIN fields u ON u.record_id = t.record_id AND "
                         "u.field = 'assigned_to' WHERE t.kind = 'task' AND t.field = 'application_id' AND t.value = ? "
                         "AND u.value = ? LIMIT 1"),
                use(a), use(me), into(rows), now;
            return m_tasks[applicationId] = !rows.empty();
        };
    }
    StoredLookup(const StoredLookup&) = delete;
    StoredLookup& operator=(const StoredLookup&) = delete;

    /// Reads at once what readable() asks of @p ids and of the records
    /// they belong to, up to the depth it follows: their kinds and the
    /// fields the scope rules look at, a statement per few hundred records
    /// instead of a few per record. What is not found here is still asked
    /// one record at a time.
    void preload(ServerStore& store, std::vector<std::string> ids)
    {
        static const std::set<std::string> kAsked = {model::field::kKecamatan, model::field::kApplicationId,
                                                     "parent_id", "record_id", "assigned_to"};
        static const std::set<std::string> kLinks = {model::field::kApplicationId, "parent_id", "record_id"};
        for (int depth = 0; depth <= kMaxLinkDepth && !ids.empty(); ++depth)
        {
            auto rows = store.rowsFor("SELECT record_id, kind, field, value FROM fields WHERE record_id IN (@) AND "
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

    /// Reads at once the applications with a task assigned to @p user.
    void preloadTasks(ServerStore& store, const std::string& user)
    {
        std::vector<std::string> applications;
        std::string me = user;
        *store.m_session << store.q("SELECT t.value FROM fields t JOIN fields u ON u.record_id = t.record_id AND "
                                    "u.field = 'assigned_to' WHERE t.kind = 'task' AND t.field = 'application_id' "
                                    "AND u.value = ? AND t.value IS NOT NULL"),
            use(me), into(applications), now;
        for (const auto& id : applications)
            m_tasks[id] = true;
        m_tasksKnown = true;
    }

private:
    std::map<std::string, std::optional<std::string>> m_kinds;
    std::map<std::pair<std::string, std::string>, std::optional<std::string>> m_values;
    std::map<std::string, bool> m_tasks;
    bool m_tasksKnown = false; ///< m_tasks names every application with a task of the user
};

ServerStore::FieldRows ServerStore::rowsFor(const std::string& sql, const std::vector<std::string>& ids)
{
    constexpr std::size_t kChunk = 400;
    constexpr const char* kList = "(@)";
    std::size_t lists = 0;
    for (std::size_t at = sql.find(kList); at != std::string::npos; at = sql.find(kList, at + 3))
        ++lists;
    FieldRows out;
    for (std::size_t from = 0; from < ids.size(); from += kChunk)
    {
        const std::size_t n = std::min(kChunk, ids.size() - from);
        std::string marks = "(";
        for (std::size_t i = 0; i < n; ++i)
            marks += i ? ", ?" : "?";
        marks += ')';
        FieldRows part;
        Poco::Data::Statement st(*m_session);
        st << q(Poco::replace(sql, std::string(kList), marks));
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

ServerStoreOptions ServerStore::optionsFor(const std::string& database, const std::string& dataDir)
{
    ServerStoreOptions options;
    if (database.empty())
        options.connection = Poco::Path(dataDir).append("server.db").toString();
    else if (database.rfind("sqlite:", 0) == 0)
        options.connection = database.substr(7);
    else if (database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0)
    {
        // Poco's connector takes libpq's key=value form, not a URL.
        const Poco::URI uri(database);
        const auto quote = [](const std::string& v) {
            std::string out = "'";
            for (char c : v)
            {
                if (c == '\'' || c == '\\')
                    out += '\\';
                out += c;
            }
            return out + "'";
        };
        const std::string userInfo = uri.getUserInfo();
        const auto colon = userInfo.find(':');
        std::string conninfo = "host=" + quote(uri.getHost()) +
                               " port=" + std::to_string(uri.getPort() ? uri.getPort() : 5432) +
                               " dbname=" + quote(uri.getPath().size() > 1 ? uri.getPath().substr(1) : "berkas");
        if (!userInfo.empty())
            conninfo += " user=" + quote(userInfo.substr(0, colon));
        if (colon != std::string::npos)
            conninfo += " password=" + quote(userInfo.substr(colon + 1));
        options.connector = "PostgreSQL";
        options.connection = conninfo;
    }
    else
        throw Error(ErrorCode::InvalidData,
                    "database: must be sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DBNAME");
    return options;
}

std::string ServerStore::q(const std::string& sql) const
{
    if (!m_postgres)
        return sql;
    // Poco's PostgreSQL connector takes libpq's numbered placeholders: the
    // same statements, with each ? outside a quoted literal made $1, $2, ...
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    bool quoted = false;
    for (char c : sql)
    {
        if (c == '\'')
            quoted = !quoted;
        if (c == '?' && !quoted)
            out += "$" + std::to_string(++n);
        else
            out += c;
    }
    return out;
}

std::string ServerStore::describeConnection() const
{
    if (!m_postgres)
        return m_options.connection;
    // Never show a password from the connection in a message or a log.
    std::string shown;
    std::istringstream parts(m_options.connection);
    std::string part;
    while (parts >> part)
        if (part.rfind("password=", 0) != 0)
            shown += (shown.empty() ? "" : " ") + part;
    return "PostgreSQL (" + shown + ")";
}

void ServerStore::createSchema()
{
    auto& s = *m_session;
    // Several server processes may start at once on one PostgreSQL: the
    // first creates or migrates the schema, the others wait and find it done.
    Poco::Data::Transaction tx(s);
    if (m_postgres)
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8471)::text", into(locked), now;
    }
    s << q("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"), now;
    const std::int64_t version = counter("schema_version");
    if (version > kServerSchemaVersion)
        throw Error(ErrorCode::InvalidData, "the server database has schema version " + std::to_string(version) +
                                                ", newer than this berkas-server understands (" +
                                                std::to_string(kServerSchemaVersion) + ")");
    if (version == kServerSchemaVersion)
    {
        tx.commit();
        return;
    }
    if (version < 1)
        createVersion1();
    if (version < 2)
    {
        // Access control: what each device holds, so a pull can
        // tell records that entered or left the user's scope; and the audit
        // of every pushed change, accepted or refused.
        s << q("ALTER TABLE devices ADD COLUMN tracked INTEGER NOT NULL DEFAULT 0"), now;
        s << q("ALTER TABLE devices ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0"), now;
        s << q("CREATE TABLE device_records (device_id TEXT NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL, "
             "held INTEGER NOT NULL, epoch BIGINT NOT NULL, PRIMARY KEY (device_id, record_id))"),
            now;
        // Scope queries look records up by a field's value. PostgreSQL's
        // B-tree cannot hold the longest values (up to 20,000 bytes); a hash
        // index answers the same equality lookups.
        s << q(m_postgres ? "CREATE INDEX fields_value ON fields USING hash (value)"
                          : "CREATE INDEX fields_kind_field ON fields (kind, field, value)"),
            now;
        s << q(std::string("CREATE TABLE audit (id ") + (m_postgres ? "BIGSERIAL" : "INTEGER") + " PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL, "
             "device TEXT NOT NULL, address TEXT NOT NULL, kind TEXT NOT NULL, record_id TEXT NOT NULL, "
             "field TEXT NOT NULL, value TEXT, change_seq BIGINT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL)"),
            now;
        s << q("CREATE INDEX audit_user ON audit (user_name, at)"), now;
    }
    if (version < 3)
    {
        // Every record once with its kind: the records of a kind (a scope)
        // without reading each of their field rows.
        s << q("CREATE TABLE records (record_id TEXT PRIMARY KEY, kind TEXT NOT NULL)"), now;
        // One pass over the rows in storage order (41 s for 13 million
        // here; grouping by record took 75 s).
        s << q("INSERT INTO records (record_id, kind) SELECT record_id, kind FROM fields WHERE true "
               "ON CONFLICT (record_id) DO NOTHING"),
            now;
        s << q("CREATE INDEX records_kind ON records (kind, record_id)"), now;
    }
    if (version < 4)
    {
        // Each change's stamp and refusal code in the audit: a retried push
        // is told apart from a restored laptop's new change under an old id
        // and gets its refusals told again. The device's marks let a
        // restored laptop move its numbering past what the server took.
        s << q("ALTER TABLE audit ADD COLUMN hlc BIGINT"), now;
        s << q("ALTER TABLE audit ADD COLUMN code TEXT"), now;
        s << q("CREATE INDEX audit_device ON audit (device, change_seq)"), now;
        s << q("ALTER TABLE devices ADD COLUMN pushed_hlc BIGINT NOT NULL DEFAULT 0"), now;
        s << q("ALTER TABLE devices ADD COLUMN provisional_seq BIGINT NOT NULL DEFAULT 0"), now;
    }
    setCounter("schema_version", kServerSchemaVersion);
    tx.commit();
}

void ServerStore::createVersion1()
{
    auto& s = *m_session;
    s << q("CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, kecamatan TEXT, password_hash TEXT NOT NULL, "
         "disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)"),
        now;
    s << q("CREATE TABLE devices (id TEXT PRIMARY KEY, user_name TEXT NOT NULL, enrolled_at TEXT NOT NULL, "
         "revoked INTEGER NOT NULL DEFAULT 0, pushed_seq BIGINT NOT NULL DEFAULT 0, "
         "pulled_seq BIGINT NOT NULL DEFAULT 0)"),
        now;
    // One row per field of every record: its value, stamp and the server
    // sequence of its last change. Pull is "WHERE seq > cursor ORDER BY seq".
    s << q("CREATE TABLE fields (record_id TEXT NOT NULL, field TEXT NOT NULL, kind TEXT NOT NULL, value TEXT, "
         "hlc BIGINT NOT NULL, device TEXT NOT NULL, user_name TEXT NOT NULL, seq BIGINT NOT NULL, "
         "PRIMARY KEY (record_id, field))"),
        now;
    s << q("CREATE INDEX fields_seq ON fields (seq)"), now;
    // Open conflicts that need review, by the record they block.
    s << q("CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)"), now;
    s << q("CREATE TABLE reviews (conflict_id TEXT PRIMARY KEY, record_id TEXT NOT NULL)"), now;
    s << q("CREATE INDEX reviews_record ON reviews (record_id)"), now;
}

std::int64_t ServerStore::counter(const std::string& name)
{
    std::vector<std::int64_t> values;
    std::string n = name;
    *m_session << q("SELECT value FROM counters WHERE name = ?"), use(n), into(values), now;
    return values.empty() ? 0 : values.front();
}

void ServerStore::setCounter(const std::string& name, std::int64_t value)
{
    std::string n = name;
    *m_session << q("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
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
    *m_session << q("SELECT value FROM secrets WHERE name = 'token'"), into(values), now;
    if (!values.empty())
        return values.front();
    std::string raw(32, '\0');
    Poco::RandomInputStream random;
    random.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    std::string secret = Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(raw.begin(), raw.end()));
    *m_session << q("INSERT INTO secrets (name, value) VALUES ('token', ?)"), use(secret), now;
    return secret;
}

void ServerStore::addUser(const UserAccount& account)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::string> existing;
    std::string name = account.name;
    *m_session << q("SELECT name FROM users WHERE name = ?"), use(name), into(existing), now;
    if (!existing.empty())
        throw Error(ErrorCode::Conflict, "user: " + account.name + " already exists");
    std::string role = account.role;
    std::string kecamatan = account.kecamatan;
    std::string hash = account.passwordHash;
    std::string created = isoTime(nowMs());
    *m_session << q("INSERT INTO users (name, role, kecamatan, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)"),
        use(name), use(role), use(kecamatan), use(hash), use(created), now;
}

std::optional<UserAccount> ServerStore::user(const std::string& name)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::string, std::string, std::string, std::string, int, std::string>> rows;
    std::string n = name;
    *m_session << q("SELECT name, role, COALESCE(kecamatan, ''), password_hash, disabled, created_at FROM users WHERE name = ?"),
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
    *m_session << q("SELECT name, role, COALESCE(kecamatan, ''), disabled, created_at FROM users ORDER BY name"), into(rows), now;
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
    st << q("UPDATE users SET disabled = ? WHERE name = ?"), use(d), use(n);
    if (st.execute() == 0)
        throw Error(ErrorCode::NotFound, "user: no user named " + name);
}

void ServerStore::enrollDevice(const std::string& deviceId, const std::string& userName)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::string> owners;
    std::string id = deviceId;
    *m_session << q("SELECT user_name FROM devices WHERE id = ?"), use(id), into(owners), now;
    std::string u = userName;
    if (owners.empty())
    {
        std::string at = isoTime(nowMs());
        *m_session << q("INSERT INTO devices (id, user_name, enrolled_at) VALUES (?, ?, ?)"), use(id), use(u), use(at), now;
    }
    else if (owners.front() != userName)
    {
        // Another person enrolling on a shared laptop: the device now acts
        // for them, and what it holds is judged afresh against their scope
        // at its next pull (untracked: everything outside is listed as gone).
        Poco::Data::Transaction tx(*m_session);
        *m_session << q("UPDATE devices SET user_name = ?, tracked = 0 WHERE id = ?"), use(u), use(id), now;
        *m_session << q("DELETE FROM device_records WHERE device_id = ?"), use(id), now;
        tx.commit();
    }
}

std::optional<DeviceInfo> ServerStore::device(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::string, std::string, int, std::int64_t, std::int64_t, std::string>> rows;
    std::string id = deviceId;
    *m_session << q("SELECT id, user_name, revoked, pushed_seq, pulled_seq, enrolled_at FROM devices WHERE id = ?"), use(id),
        into(rows), now;
    if (rows.empty())
        return std::nullopt;
    const auto& r = rows.front();
    return DeviceInfo{r.get<0>(), r.get<1>(), r.get<2>() != 0, r.get<3>(), r.get<4>(), r.get<5>()};
}

std::vector<DeviceInfo> ServerStore::devices()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::string, std::string, int, std::int64_t, std::int64_t, std::string>> rows;
    *m_session << q("SELECT id, user_name, revoked, pushed_seq, pulled_seq, enrolled_at FROM devices ORDER BY user_name, id"),
        into(rows), now;
    std::vector<DeviceInfo> out;
    for (const auto& r : rows)
        out.push_back({r.get<0>(), r.get<1>(), r.get<2>() != 0, r.get<3>(), r.get<4>(), r.get<5>()});
    return out;
}

void ServerStore::revokeDevice(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::string id = deviceId;
    Poco::Data::Statement st(*m_session);
    st << q("UPDATE devices SET revoked = 1 WHERE id = ?"), use(id);
    if (st.execute() == 0)
        throw Error(ErrorCode::NotFound, "device: no device with id " + deviceId);
    m_scopes.erase(deviceId);
}

std::size_t ServerStore::keptScopes()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_scopes.size();
}

void ServerStore::forgetScope(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_scopes.erase(deviceId);
}

std::vector<ServerAuditEntry> ServerStore::audit(const std::string& user, const std::string& since, std::size_t limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::string u = user;
    std::string from = since;
    std::int64_t lim = static_cast<std::int64_t>(limit);
    std::vector<std::int64_t> ids;
    std::vector<std::string> ats, users, devs, addresses, kinds, records, fieldNames, outcomes, reasons;
    std::vector<Poco::Nullable<std::string>> values;
    std::vector<std::int64_t> seqs;
    // Times are ISO 8601 in one zone, so text order is time order.
    *m_session << q("SELECT id, at, user_name, device, address, kind, record_id, field, value, change_seq, outcome, reason "
                  "FROM audit WHERE (? = '' OR user_name = ?) AND (? = '' OR at >= ?) ORDER BY id LIMIT ?"),
        use(u), use(u), use(from), use(from), use(lim), into(ids), into(ats), into(users), into(devs), into(addresses),
        into(kinds), into(records), into(fieldNames), into(values), into(seqs), into(outcomes), into(reasons), now;
    std::vector<ServerAuditEntry> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        out[i] = {ids[i],   ats[i],        users[i],         devs[i], addresses[i], kinds[i],
                  records[i], fieldNames[i], fromNullable(values[i]), seqs[i], outcomes[i], reasons[i]};
    return out;
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
    *m_session << q("SELECT value FROM fields WHERE record_id = ? AND field = ?"), use(id), use(f), into(values), now;
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
    *m_session << q("SELECT hlc, device FROM fields WHERE record_id = ? AND field = ?"), use(id), use(f), into(hlcs),
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
    *m_session << q("INSERT INTO fields (record_id, field, kind, value, hlc, device, user_name, seq) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id, field) DO UPDATE SET "
                  "value = excluded.value, hlc = excluded.hlc, device = excluded.device, "
                  "user_name = excluded.user_name, seq = excluded.seq"),
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
    return push(Principal{user, "admin", ""}, deviceId, clientCursor, changes, "");
}

std::vector<PushResult> ServerStore::push(const Principal& principal, const std::string& deviceId,
                                          std::int64_t clientCursor, const std::vector<WireChange>& changes,
                                          const std::string& address)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::string& user = principal.name;
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
        if (c.value && c.value->size() > kMaxValueBytes)
            throw Error(ErrorCode::InvalidData, "changes: value of " + c.field + " is longer than " +
                                                    std::to_string(kMaxValueBytes) + " bytes (change " +
                                                    std::to_string(c.seq) + ")");
        if (c.value && !validUtf8(*c.value))
            throw Error(ErrorCode::InvalidData,
                        "changes: value of " + c.field + " is not valid UTF-8 (change " + std::to_string(c.seq) + ")");
        if (c.stamp.device != deviceId)
            throw Error(ErrorCode::InvalidData, "changes: stamp of change " + std::to_string(c.seq) +
                                                    " names another device than the one pushing");
        const std::int64_t aheadMs = model::HybridLogicalClock::physicalMs(c.stamp.hlc) - nowMs;
        if (aheadMs > kMaxClockAheadMs)
            throw Error(ErrorCode::InvalidData,
                        "clock: this device's clock is " + std::to_string(aheadMs / 60000) +
                            " minutes ahead of the central office; set the laptop's date and time and sync again");
    }

    // One push at a time, also across server processes that share one
    // PostgreSQL: sequence numbers then commit in order, so a pull never
    // skips one, and a retried push is recognised by whichever process gets it.
    Poco::Data::Transaction tx(s);
    if (m_postgres)
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    std::vector<Poco::Tuple<std::int64_t, std::int64_t, std::int64_t>> deviceRows;
    std::string dev = deviceId;
    s << q("SELECT pushed_seq, pushed_hlc, provisional_seq FROM devices WHERE id = ?"), use(dev), into(deviceRows), now;
    if (deviceRows.empty())
        throw Error(ErrorCode::Unauthorized, "device: this device is not enrolled");
    std::int64_t pushedSeq = deviceRows.front().get<0>();
    std::int64_t pushedHlc = deviceRows.front().get<1>();
    std::int64_t provisionalSeq = deviceRows.front().get<2>();
    const std::int64_t pushedBefore = pushedSeq;

    // What each change is: new, a retry of one already taken (answered as it
    // was the first time), or one whose id this device already used for
    // another change. The last happens when a laptop's folder is put back
    // from an older copy (a backup, a disk image): its change ids start again
    // below what the server took. Device A pushes changes 1-40, its folder
    // is restored from a copy made at change 25, and the user edits offline:
    // the new changes 26, 27, ... are not the ones the server took under
    // those ids. Comparing the stamp (and record and field) tells them apart;
    // from the first such change on nothing applies, and the answer names
    // the server's marks so that the laptop numbers them again after them.
    enum class Kind
    {
        New,
        Duplicate,
        Reused
    };
    std::vector<Kind> kinds(changes.size(), Kind::New);
    struct Taken
    {
        Poco::Nullable<std::int64_t> hlc;
        std::string recordId;
        std::string field;
        std::string outcome;
        std::string code;
        std::string reason;
    };
    std::map<std::int64_t, Taken> taken;
    if (!changes.empty() && changes.front().seq <= pushedSeq)
    {
        std::vector<Poco::Tuple<std::int64_t, Poco::Nullable<std::int64_t>, std::string, std::string, std::string,
                                Poco::Nullable<std::string>, std::string>>
            rows;
        std::int64_t from = changes.front().seq;
        std::int64_t to = pushedSeq;
        s << q("SELECT change_seq, hlc, record_id, field, outcome, code, reason FROM audit WHERE device = ? AND "
               "change_seq >= ? AND change_seq <= ?"),
            use(dev), use(from), use(to), into(rows), now;
        for (auto& r : rows)
            taken[r.get<0>()] = {r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(),
                                 r.get<5>().isNull() ? std::string() : r.get<5>().value(), r.get<6>()};
    }
    bool reusing = false;
    for (std::size_t n = 0; n < changes.size(); ++n)
    {
        const WireChange& c = changes[n];
        if (reusing)
            kinds[n] = Kind::Reused;
        else if (c.seq <= pushedSeq)
        {
            const auto it = taken.find(c.seq);
            // No audit line: taken before audit lines named every change; a retry.
            const bool same = it == taken.end() ||
                              ((it->second.hlc.isNull() || it->second.hlc.value() == c.stamp.hlc) &&
                               it->second.recordId == c.id && it->second.field == c.field);
            kinds[n] = same ? Kind::Duplicate : Kind::Reused;
            reusing = !same;
        }
    }

    // Value rules, then scope (sync/PROTOCOL.md, "Scope"): each record is
    // judged as the server holds it and as it would stand after the changes
    // of this batch that are not refused, so a clerk's new application is
    // judged by the kecamatan it arrives with, and a requirement of an
    // application refused here is refused with it.
    std::vector<Refusal> refusals(changes.size());
    StoredLookup stored(*this, principal.name);
    RecordLookup before = stored.lookup;
    // The shipped service catalog is on every replica from the start: an
    // edit of a seeded service is no new record, though the server holds it
    // only from its first edit.
    before.kindOf = [&stored](const std::string& id) -> std::optional<std::string> {
        if (auto k = stored.lookup.kindOf(id))
            return k;
        for (const auto& [code, seeded] : model::referenceServiceIds())
            if (seeded == id)
                return std::string("service");
        return std::nullopt;
    };
    const auto serviceKnown = [&](const std::string& code) {
        if (model::referenceServiceIds().count(code))
            return true;
        std::vector<std::string> rows;
        std::string c = code;
        s << q("SELECT record_id FROM fields WHERE kind = 'service' AND field = 'code' AND value = ? LIMIT 1"), use(c),
            into(rows), now;
        return !rows.empty();
    };
    {
        const model::Regions& regions = model::Regions::standard();
        for (std::size_t n = 0; n < changes.size(); ++n)
        {
            const WireChange& c = changes[n];
            if (kinds[n] != Kind::New)
                continue;
            const auto held = before.kindOf(c.id);
            if (held && *held != c.kind)
                refusals[n] = {RefusalCode::WrongKind, "id: record " + c.id + " is a " + *held + ", not a " + c.kind};
            else
                refusals[n] = checkPushedField(model::requireKind(c.kind), c.field, c.value, !held, regions);
        }
        // Refusing one change can refuse others (a record refused whole
        // takes its requirements with it), so judge again until nothing moves.
        for (bool moved = true; moved;)
        {
            moved = false;
            std::map<std::string, std::string> batchKinds;
            std::map<std::pair<std::string, std::string>, std::optional<std::string>> batchValues;
            std::map<std::string, std::optional<std::string>> firstStatus;
            for (std::size_t n = 0; n < changes.size(); ++n)
            {
                const WireChange& c = changes[n];
                if (kinds[n] != Kind::New || refusals[n])
                    continue;
                batchKinds.emplace(c.id, c.kind);
                batchValues[{c.id, c.field}] = c.value;
                if (c.field == model::field::kStatus)
                    firstStatus.emplace(c.id, c.value);
            }
            // A record the server holds is judged with the one change at
            // hand laid over it: a clerk's e-mail edit is hers to make even
            // in the batch where she also tried to move the application out
            // (refused). A new record is judged as the batch creates it.
            const WireChange* judged = nullptr;
            RecordLookup after = before;
            after.kindOf = [&](const std::string& id) -> std::optional<std::string> {
                if (auto k = before.kindOf(id))
                    return k;
                if (const auto it = batchKinds.find(id); it != batchKinds.end())
                    return it->second;
                return std::nullopt;
            };
            after.value = [&](const std::string& id, const std::string& field) -> std::optional<std::string> {
                if (judged && judged->id == id && judged->field == field)
                    return judged->value;
                if (!before.kindOf(id))
                    if (const auto it = batchValues.find({id, field}); it != batchValues.end())
                        return it->second;
                return before.value(id, field);
            };
            std::map<std::string, Refusal> wholeRecord; // new records that may not be created
            for (std::size_t n = 0; n < changes.size(); ++n)
            {
                const WireChange& c = changes[n];
                if (kinds[n] != Kind::New || refusals[n])
                    continue;
                judged = &c;
                const model::KindDef& kind = model::requireKind(c.kind);
                const bool held = before.kindOf(c.id).has_value();
                Refusal r;
                if (!held && !wholeRecord.count(c.id))
                {
                    const auto status = firstStatus.find(c.id);
                    wholeRecord[c.id] = checkNewRecord(
                        kind, [&](const std::string& f) { return after.value(c.id, f); },
                        status == firstStatus.end() ? std::nullopt : status->second);
                }
                if (!held && wholeRecord[c.id])
                    r = wholeRecord[c.id];
                const model::FieldDef* fd = kind.field(c.field);
                if (!r && fd && fd->type == model::FieldType::Reference && c.value && !c.value->empty())
                {
                    const auto target = after.kindOf(*c.value);
                    if (!target || (!fd->referenceKind.empty() && *target != fd->referenceKind))
                        r = {RefusalCode::MissingReference,
                             c.field + ": no " + (fd->referenceKind.empty() ? std::string("record") : fd->referenceKind) +
                                 " with id " + *c.value};
                }
                if (!r && c.field == model::field::kServiceCode && c.value && !c.value->empty() &&
                    (c.kind == "application" || c.kind == "booking") && !serviceKnown(*c.value) &&
                    !std::any_of(batchValues.begin(), batchValues.end(), [&](const auto& v) {
                        return v.first.second == "code" && v.second == c.value && after.kindOf(v.first.first) == std::string("service");
                    }))
                    r = {RefusalCode::MissingReference, "service_code: no service with code \"" + *c.value + "\""};
                if (!r && (c.field == model::field::kKelurahan || c.field == model::field::kKecamatan) &&
                    kind.field(model::field::kKelurahan) && kind.field(model::field::kKecamatan))
                {
                    // A rule across two fields: the record as the batch leaves it.
                    const auto whole = [&](const char* f) {
                        if (const auto it = batchValues.find({c.id, f}); it != batchValues.end())
                            return it->second.value_or("");
                        return before.value(c.id, f).value_or("");
                    };
                    if (std::string why = model::kelurahanOutsideKecamatan(whole(model::field::kKelurahan),
                                                                           whole(model::field::kKecamatan));
                        !why.empty())
                        r = {RefusalCode::InvalidValue, "kelurahan: " + why};
                }
                if (!r)
                    if (std::string why = refusal(principal, c, held, before, after); !why.empty())
                        r = {RefusalCode::OutOfScope, std::move(why)};
                if (r)
                {
                    refusals[n] = std::move(r);
                    moved = true;
                }
            }
        }
    }

    std::int64_t seq = counter("seq");
    std::vector<PushResult> results;
    std::map<std::pair<std::string, std::string>, Current> cache;
    const std::string at = isoTime(nowMs);
    const auto audit = [&](const WireChange& c, const std::string& outcome, const std::string& reason,
                           RefusalCode code = RefusalCode::None) {
        std::string u = user, d = deviceId, a = address, k = c.kind, i = c.id, f = c.field, o = outcome, r = reason,
                    when = at;
        Poco::Nullable<std::string> v = toNullable(c.value);
        Poco::Nullable<std::string> cd;
        if (code != RefusalCode::None)
            cd = refusalCodeName(code);
        std::int64_t cs = c.seq;
        std::int64_t hlc = c.stamp.hlc;
        s << q("INSERT INTO audit (at, user_name, device, address, kind, record_id, field, value, change_seq, outcome, "
             "reason, hlc, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            use(when), use(u), use(d), use(a), use(k), use(i), use(f), use(v), use(cs), use(o), use(r), use(hlc),
            use(cd), now;
    };

    const auto load = [&](const std::string& id, const std::string& field) -> Current& {
        auto key = std::make_pair(id, field);
        auto it = cache.find(key);
        if (it != cache.end())
            return it->second;
        std::vector<Poco::Tuple<Poco::Nullable<std::string>, std::int64_t, std::string, std::string, std::int64_t>> rows;
        std::string i = id;
        std::string f = field;
        s << q("SELECT value, hlc, device, user_name, seq FROM fields WHERE record_id = ? AND field = ?"), use(i), use(f),
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
    std::set<std::string> recorded; // records this push has made sure of in the records table
    const auto put = [&](const std::string& kind, const std::string& id, const std::string& field,
                         const std::optional<std::string>& value, const model::Stamp& stamp, const std::string& by) {
        ++seq;
        Current& c = cache[{id, field}];
        if (!c.exists && recorded.insert(id).second)
        {
            // A field the server did not have: perhaps a record it did not have.
            std::string k = kind;
            std::string i = id;
            s << q("INSERT INTO records (record_id, kind) VALUES (?, ?) ON CONFLICT (record_id) DO NOTHING"), use(i),
                use(k), now;
        }
        writeField(kind, id, field, value, stamp, by, seq);
        c.exists = true;
        c.state = {value, stamp};
        c.user = by;
        c.seq = seq;
    };

    std::vector<std::size_t> refusedResults; // indexes into results, to fill in the server's value
    for (std::size_t n = 0; n < changes.size(); ++n)
    {
        const WireChange& c = changes[n];
        if (kinds[n] == Kind::Reused)
        {
            results.push_back({c.seq, "reused",
                               "change id " + std::to_string(c.seq) + " was used before by another change of this "
                               "device; number it after " + std::to_string(pushedBefore) + " and send it again"});
            continue;
        }
        if (kinds[n] == Kind::Duplicate)
        {
            // A retry: a refusal is told again, so a laptop that lost the
            // first answer still puts the server's value back.
            const auto it = taken.find(c.seq);
            if (it != taken.end() && it->second.outcome == "refused")
            {
                PushResult r{c.seq, "refused", it->second.reason};
                r.code = refusalCodeFromName(it->second.code);
                if (r.code == RefusalCode::None)
                    r.code = RefusalCode::OutOfScope; // refused before refusals carried a code: scope only
                refusedResults.push_back(results.size());
                results.push_back(std::move(r));
            }
            else
                results.push_back({c.seq, "duplicate", ""});
            continue;
        }
        pushedSeq = c.seq;
        pushedHlc = std::max(pushedHlc, c.stamp.hlc);
        if (c.field == model::field::kProvisionalNo && c.value)
        {
            // "P-4433AA-000012": the device's own counter is the last part.
            const auto dash = c.value->rfind('-');
            std::int64_t number = 0;
            if (dash != std::string::npos && Poco::NumberParser::tryParse64(c.value->substr(dash + 1), number))
                provisionalSeq = std::max(provisionalSeq, number);
        }
        if (const Refusal& why = refusals[n])
        {
            // Refused: nothing changes, the device's change ids move past
            // it, and the audit keeps the value.
            audit(c, "refused", why.reason, why.code);
            PushResult r{c.seq, "refused", why.reason};
            r.code = why.code;
            refusedResults.push_back(results.size());
            results.push_back(std::move(r));
            continue;
        }
        m_clock.observe(c.stamp.hlc);
        const model::KindDef& kind = model::requireKind(c.kind);
        MergeContext context;
        context.recordDeleted = load(c.id, model::field::kDeleted).state.value.value_or("0") == "1";
        {
            std::vector<std::string> open;
            std::string i = c.id;
            s << q("SELECT conflict_id FROM reviews WHERE record_id = ? LIMIT 1"), use(i), into(open), now;
            context.reviewConflictOpen = !open.empty();
        }
        if (c.field == model::field::kDeleted)
        {
            std::vector<std::string> others;
            std::string i = c.id;
            std::int64_t cur = clientCursor;
            s << q("SELECT field FROM fields WHERE record_id = ? AND seq > ? AND device <> ? LIMIT 1"), use(i), use(cur),
                use(dev), into(others), now;
            context.concurrentEditsOfRecord = !others.empty();
        }
        Current& cur = load(c.id, c.field);
        FieldChange change{c.kind, c.id, c.field, c.value, c.stamp, c.base};
        const MergeOutcome outcome = merge(kind, change, cur.state, context);

        if (outcome.result == MergeResult::Duplicate)
        {
            audit(c, "unchanged", "");
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
            // A value never written (a record's first deletion) has no time.
            const auto timeOf = [&](const model::Stamp& st) -> std::optional<std::string> {
                if (st.isZero())
                    return std::nullopt;
                return isoTime(model::HybridLogicalClock::physicalMs(st.hlc));
            };
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
                {"kept_at", timeOf(kept.stamp)},
                {"other_at", timeOf(other.stamp)},
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
                s << q("INSERT INTO reviews (conflict_id, record_id) VALUES (?, ?)"), use(cid), use(rid), now;
            }
            results.push_back({c.seq, "conflict", outcome.reason});
            audit(c, "conflict", outcome.reason);
        }
        else
        {
            results.push_back({c.seq, "applied", ""});
            audit(c, "applied", "");
        }

        if (c.kind == "conflict" && c.field == model::field::kStatus && c.value.value_or("") == "resolved" &&
            outcome.applies())
        {
            std::string cid = c.id;
            s << q("DELETE FROM reviews WHERE conflict_id = ?"), use(cid), now;
        }
        if (c.kind == "application" && c.field == model::field::kServiceCode && outcome.applies() &&
            !load(c.id, model::field::kRegNo).exists)
        {
            // The central office numbers an application when it first sees it.
            const model::Stamp serverStamp{m_clock.now(), m_options.serverDevice};
            put(c.kind, c.id, model::field::kRegNo, assignRegNo(c.value.value_or(""), nowMs), serverStamp, "server");
        }
    }

    // A refused change's field as the server holds it after the batch, for
    // the laptop to show again; nothing of a record the device may not read.
    if (!refusedResults.empty())
    {
        StoredLookup afterBatch(*this, principal.name);
        for (const std::size_t i : refusedResults)
        {
            PushResult& r = results[i];
            const WireChange& c = *std::find_if(changes.begin(), changes.end(),
                                                [&](const WireChange& w) { return w.seq == r.seq; });
            const auto kind = afterBatch.lookup.kindOf(c.id);
            r.held = kind && *kind == c.kind && readable(principal, c.kind, c.id, afterBatch.lookup);
            if (r.held)
            {
                const Current& held = load(c.id, c.field);
                r.current = held.state;
                r.currentUser = held.user;
            }
        }
    }
    setCounter("seq", seq);
    setCounter("hlc", m_clock.last());
    s << q("UPDATE devices SET pushed_seq = ?, pushed_hlc = ?, provisional_seq = ? WHERE id = ?"), use(pushedSeq),
        use(pushedHlc), use(provisionalSeq), use(dev), now;
    tx.commit();
    return results;
}

DeviceMarks ServerStore::deviceMarks(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<Poco::Tuple<std::int64_t, std::int64_t, std::int64_t>> rows;
    std::string id = deviceId;
    *m_session << q("SELECT pushed_seq, pushed_hlc, provisional_seq FROM devices WHERE id = ?"), use(id), into(rows),
        now;
    if (rows.empty())
        return {};
    return {rows.front().get<0>(), rows.front().get<1>(), rows.front().get<2>()};
}

std::vector<WireChange> ServerStore::pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = *m_session;
    std::string dev = deviceId;
    std::int64_t cur = cursor;
    s << q("UPDATE devices SET pulled_seq = ? WHERE id = ? AND pulled_seq < ?"), use(cur), use(dev), use(cur), now;
    return changesAfter(cur, static_cast<std::int64_t>(limit));
}

namespace {

/// The bytes a change adds to an answer, near enough to bound its size.
std::size_t answerBytes(const WireChange& c)
{
    return c.id.size() + c.field.size() + (c.value ? c.value->size() : 0) + 32;
}

} // namespace

std::vector<WireChange> ServerStore::changesAfter(std::int64_t cursor, std::int64_t limit)
{
    static const std::string kSql =
        "SELECT seq, kind, record_id, field, value, hlc, device, user_name FROM fields WHERE seq > ? ORDER BY seq LIMIT ?";
    std::vector<WireChange> out;
    // Every change has its own sequence number and a field keeps only its
    // latest, so there are at most this many rows after the cursor: room
    // for a first pull's whole page, and little for a small pull.
    out.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(counter("seq") - cursor, 0, limit)));
    if (!m_postgres)
    {
        // SQLite's own interface on the session's connection: a first pull
        // reads millions of cells, and Poco::Data's extraction of each one
        // took two thirds of the time of reading them.
        model::Database db(Poco::Data::SQLite::Utility::dbHandle(*m_session));
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
    auto& s = *m_session;
    // Column vectors rather than tuples: a first pull reads millions of rows.
    std::vector<std::int64_t> seqs;
    std::vector<std::string> kinds;
    std::vector<std::string> ids;
    std::vector<std::string> fields;
    std::vector<Poco::Nullable<std::string>> values;
    std::vector<std::int64_t> hlcs;
    std::vector<std::string> devices;
    std::vector<std::string> users;
    s << q(kSql), use(cursor), use(limit), into(seqs), into(kinds), into(ids), into(fields), into(values), into(hlcs),
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

std::vector<WireChange> ServerStore::wholeRecord(const std::string& id)
{
    std::vector<Poco::Tuple<std::int64_t, std::string, std::string, Poco::Nullable<std::string>, std::int64_t,
                            std::string, std::string>>
        rows;
    std::string i = id;
    *m_session << q("SELECT seq, kind, field, value, hlc, device, user_name FROM fields WHERE record_id = ? ORDER BY seq"),
        use(i), into(rows), now;
    std::vector<WireChange> out;
    for (const auto& r : rows)
    {
        WireChange c;
        c.seq = r.get<0>();
        c.kind = r.get<1>();
        c.id = id;
        c.field = r.get<2>();
        c.value = fromNullable(r.get<3>());
        c.stamp = {r.get<4>(), r.get<5>()};
        c.user = r.get<6>();
        out.push_back(std::move(c));
    }
    return out;
}

std::set<std::string> ServerStore::allRecordIds()
{
    std::vector<std::string> ids;
    *m_session << q("SELECT record_id FROM records"), into(ids), now;
    return {ids.begin(), ids.end()};
}

std::set<std::string> ServerStore::scope(const Principal& principal)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return scopeLocked(principal);
}

std::optional<std::set<std::string>> ServerStore::scopeCandidatesLocked(std::int64_t after)
{
    constexpr std::size_t kMaxCandidates = 5000;
    auto& s = *m_session;
    std::vector<std::string> ids;
    std::vector<std::string> kinds;
    std::vector<std::string> fields;
    std::int64_t a = after;
    std::int64_t limit = kMaxCandidates + 1;
    s << q("SELECT record_id, kind, field FROM fields WHERE seq > ? ORDER BY seq LIMIT ?"), use(a), use(limit),
        into(ids), into(kinds), into(fields), now;
    if (ids.size() > kMaxCandidates)
        return std::nullopt;
    std::set<std::string> created;
    for (std::size_t n = 0; n < ids.size(); ++n)
        if (fields[n] == model::field::kCreatedAt)
            created.insert(ids[n]);
    std::set<std::string> out;
    std::vector<std::string> todo;
    std::vector<std::string> tasks;
    for (std::size_t n = 0; n < ids.size(); ++n)
    {
        if (kinds[n] == "task" && fields[n] == model::field::kApplicationId && !created.count(ids[n]))
            return std::nullopt; // a task moved: the application it left is not known
        if (kinds[n] == "task" && (fields[n] == "assigned_to" || fields[n] == model::field::kApplicationId))
            tasks.push_back(ids[n]);
        if (out.insert(ids[n]).second)
            todo.push_back(ids[n]);
    }
    // A verifier's applications follow their tasks.
    const auto applications = rowsFor("SELECT record_id, kind, field, value FROM fields WHERE field = 'application_id' "
                                      "AND record_id IN (@)",
                                      tasks);
    for (const auto& app : applications.values)
        if (!app.isNull() && out.insert(app.value()).second)
            todo.push_back(app.value());
    // Children follow their record, up to the depth the rules look (readable()).
    for (int depth = 0; depth < kMaxLinkDepth && !todo.empty(); ++depth)
    {
        const auto children = rowsFor(
            "SELECT record_id, kind, field, value FROM fields WHERE kind = 'requirement' AND field = 'application_id' "
            "AND value IN (@) UNION ALL SELECT record_id, kind, field, value FROM fields WHERE kind IN ('note', "
            "'attachment') AND field = 'parent_id' AND value IN (@) UNION ALL SELECT record_id, kind, field, value "
            "FROM fields WHERE kind = 'conflict' AND field = 'record_id' AND value IN (@)",
            todo);
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

std::set<std::string> ServerStore::scopeLocked(const Principal& p)
{
    // The same rules as readable() above, as set queries over the fields table.
    auto& s = *m_session;
    if (fullScope(p.role))
        return allRecordIds();
    const auto idsOf = [&](const std::string& kind) {
        std::vector<std::string> ids;
        std::string k = kind;
        s << q("SELECT record_id FROM records WHERE kind = ?"), use(k), into(ids), now;
        return std::set<std::string>(ids.begin(), ids.end());
    };
    /// (record, value of field) for every record of a kind.
    const auto links = [&](const std::string& kind, const std::string& field) {
        std::vector<std::string> ids;
        std::vector<std::string> targets;
        std::string k = kind;
        std::string f = field;
        s << q("SELECT record_id, COALESCE(value, '') FROM fields WHERE kind = ? AND field = ?"), use(k), use(f),
            into(ids), into(targets), now;
        std::vector<std::pair<std::string, std::string>> out;
        for (std::size_t i = 0; i < ids.size(); ++i)
            out.emplace_back(std::move(ids[i]), std::move(targets[i]));
        return out;
    };
    std::set<std::string> in = idsOf("service");
    std::set<std::string> applications;
    if (p.role == "clerk")
    {
        for (const char* kind : {"application", "complaint"})
        {
            std::set<std::string> ids = idsOf(kind);
            for (const auto& [id, k] : links(kind, model::field::kKecamatan))
                if (!k.empty() && k != p.kecamatan)
                    ids.erase(id);
            if (std::string(kind) == "application")
                applications = ids;
            in.insert(ids.begin(), ids.end());
        }
        const auto bookings = idsOf("booking");
        in.insert(bookings.begin(), bookings.end());
    }
    else if (p.role == "verifier")
    {
        std::set<std::string> tasks;
        for (const auto& [id, who] : links("task", "assigned_to"))
            if (who == p.name)
                tasks.insert(id);
        const auto allApplications = idsOf("application");
        for (const auto& [id, app] : links("task", model::field::kApplicationId))
            if (tasks.count(id) && allApplications.count(app))
                applications.insert(app);
        in.insert(tasks.begin(), tasks.end());
        in.insert(applications.begin(), applications.end());
    }
    else
        return {};
    for (const auto& [id, app] : links("requirement", model::field::kApplicationId))
        if (applications.count(app))
            in.insert(id);
    // Notes and attachments follow their parent; conflicts the record they are about.
    std::vector<std::string> children;
    for (const char* kind : {"note", "attachment"})
        for (const auto& [id, parent] : links(kind, "parent_id"))
            if (in.count(parent))
                children.push_back(id);
    in.insert(children.begin(), children.end());
    // A conflict may be about a conflict (two people settled one at once):
    // follow as deep as readable() does.
    const auto conflicts = links("conflict", "record_id");
    for (int depth = 0; depth < kMaxLinkDepth; ++depth)
    {
        children.clear();
        for (const auto& [id, record] : conflicts)
            if (in.count(record) && !in.count(id))
                children.push_back(id);
        if (children.empty())
            break;
        in.insert(children.begin(), children.end());
    }
    return in;
}

PullAnswer ServerStore::pull(const Principal& principal, const std::string& deviceId, std::int64_t cursor,
                             std::int64_t ack, std::size_t limit, std::optional<std::int64_t> applied)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = *m_session;
    std::string dev = deviceId;
    std::int64_t cur = cursor;
    const std::int64_t lim = static_cast<std::int64_t>(std::max<std::size_t>(limit, 1));
    PullAnswer answer;
    answer.cursor = cursor;

    std::vector<Poco::Tuple<int, std::int64_t>> state;
    s << q("SELECT tracked, epoch FROM devices WHERE id = ?"), use(dev), into(state), now;
    if (state.empty())
        throw Error(ErrorCode::Unauthorized, "device: this device is not enrolled");
    bool tracked = state.front().get<0>() != 0;
    std::int64_t epoch = state.front().get<1>();
    const bool full = fullScope(principal.role);

    Poco::Data::Transaction tx(s);
    // What the device has committed, which keeps tombstones it has not
    // applied yet: never past the cursor it asks from.
    std::int64_t done = std::min(cur, applied.value_or(cur));
    s << q("UPDATE devices SET pulled_seq = ? WHERE id = ? AND pulled_seq < ?"), use(done), use(dev), use(done), now;

    if (full && !tracked)
    {
        // A manager's or administrator's laptop holds everything: the plain
        // cursor pull, with nothing to track.
        answer.changes = changesAfter(cur, lim + 1);
        answer.more = answer.changes.size() > static_cast<std::size_t>(lim);
        if (answer.more)
            answer.changes.resize(static_cast<std::size_t>(lim));
        std::size_t bytes = 0;
        for (std::size_t n = 0; n < answer.changes.size(); ++n)
        {
            bytes += answerBytes(answer.changes[n]);
            if (n > 0 && bytes > m_options.maxPullBytes)
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
        s << q("DELETE FROM device_records WHERE device_id = ? AND held = 1 AND epoch > ?"), use(dev), use(acked), now;
        s << q("DELETE FROM device_records WHERE device_id = ? AND held = 0 AND epoch <= ?"), use(dev), use(acked), now;
        s << q("UPDATE device_records SET held = 1, epoch = 0 WHERE device_id = ? AND held = 0"), use(dev), now;
    }
    else if (tracked && cache->leftNamed)
    {
        // The device applied the last answer: the records it named as gone
        // are gone (each statement here reads all the device's rows).
        s << q("DELETE FROM device_records WHERE device_id = ? AND held = 0 AND epoch <= ?"), use(dev), use(acked), now;
    }
    const std::int64_t evaluatedAt = counter("seq");
    const auto candidates = cache ? scopeCandidatesLocked(cache->evaluatedAt) : std::nullopt;
    std::set<std::string> held;
    std::set<std::string> inScope;
    std::vector<std::string> entered;
    std::vector<std::string> left;
    StoredLookup stored(*this, principal.name);
    if (candidates)
    {
        held = std::move(cache->held);
        inScope = std::move(cache->inScope);
        stored.preload(*this, std::vector<std::string>(candidates->begin(), candidates->end()));
        if (principal.role == "verifier")
            stored.preloadTasks(*this, principal.name);
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
        s << q("SELECT record_id FROM device_records WHERE device_id = ? AND held = 1"), use(dev), into(heldIds), now;
        held = std::set<std::string>(heldIds.begin(), heldIds.end());
        inScope = scopeLocked(principal);
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
            for (const auto& id : allRecordIds())
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
    for (const auto& id : entered)
    {
        std::vector<WireChange> record;
        if (fresh)
        {
            if (enteredSent >= static_cast<std::size_t>(lim))
                break;
        }
        else
        {
            record = wholeRecord(id);
            std::size_t recordBytes = 0;
            for (const auto& c : record)
                recordBytes += answerBytes(c);
            if (!answer.changes.empty() && (answer.changes.size() + record.size() > static_cast<std::size_t>(lim) ||
                                            bytes + recordBytes > m_options.maxPullBytes))
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
        s << q("INSERT INTO device_records (device_id, record_id, kind, held, epoch) VALUES (?, ?, "
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
            const auto page = changesAfter(from, lim);
            bool answerFull = false;
            for (const auto& c : page)
            {
                // As in the unscoped pull: a change that would take the
                // answer past its byte budget waits for the next one.
                const bool wanted = inScope.count(c.id) && !sentWhole.count(c.id);
                if (answer.changes.size() >= static_cast<std::size_t>(lim) ||
                    (wanted && !answer.changes.empty() && bytes + answerBytes(c) > m_options.maxPullBytes))
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
                bytes > m_options.maxPullBytes || examined >= 8 * lim)
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
        s << q("DELETE FROM device_records WHERE device_id = ?"), use(dev), now;
        tracked = false;
    }
    else
        tracked = true;
    int t = tracked ? 1 : 0;
    s << q("UPDATE devices SET tracked = ?, epoch = ? WHERE id = ?"), use(t), use(epoch), use(dev), now;
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
        while (!m_scopes.empty() && m_scopes.size() > m_options.maxKeptScopes)
            m_scopes.erase(std::min_element(m_scopes.begin(), m_scopes.end(), [](const auto& a, const auto& b) {
                return a.second.lastUsed < b.second.lastUsed;
            }));
    }
    return answer;
}

std::size_t ServerStore::purgeTombstones()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = *m_session;
    std::vector<std::int64_t> minimum;
    s << q("SELECT COALESCE(MIN(pulled_seq), 0) FROM devices WHERE revoked = 0"), into(minimum), now;
    std::int64_t floor = minimum.empty() ? 0 : minimum.front();
    std::vector<std::string> ids;
    s << q("SELECT d.record_id FROM fields d WHERE d.field = 'deleted' AND d.value = '1' AND "
         "(SELECT MAX(seq) FROM fields f WHERE f.record_id = d.record_id) <= ? AND "
         "EXISTS (SELECT 1 FROM fields f WHERE f.record_id = d.record_id AND f.field <> 'deleted')"),
        use(floor), into(ids), now;
    Poco::Data::Transaction tx(s);
    for (auto& id : ids)
        s << q("DELETE FROM fields WHERE record_id = ? AND field <> 'deleted'"), use(id), now;
    tx.commit();
    return ids.size();
}

} // namespace berkas::sync
