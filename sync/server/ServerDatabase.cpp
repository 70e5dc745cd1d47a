#include "sync/server/ServerDatabase.h"

#include "model/Database.h"
#include "model/Error.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Path.h>
#include <Poco/URI.h>

#include <sstream>
#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

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

ServerDatabase::ServerDatabase(const ServerStoreOptions& options) : m_options(options)
{
    m_postgres = m_options.connector == "PostgreSQL";
    if (m_postgres)
        Poco::Data::PostgreSQL::Connector::registerConnector();
    else
    {
        model::Database::configureProcess(); // the session below is used under ServerStore's lock only
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
}

ServerDatabase::~ServerDatabase() = default;

ServerStoreOptions ServerDatabase::optionsFor(const std::string& database, const std::string& dataDir)
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

std::string ServerDatabase::q(const std::string& sql) const
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

std::string ServerDatabase::describeConnection(const ServerStoreOptions& options)
{
    if (options.connector != "PostgreSQL")
        return options.connection;
    // Never show a password from the connection in a message or a log.
    std::string shown;
    std::istringstream parts(options.connection);
    std::string part;
    while (parts >> part)
        if (part.rfind("password=", 0) != 0)
            shown += (shown.empty() ? "" : " ") + part;
    return "PostgreSQL (" + shown + ")";
}

std::int64_t ServerDatabase::counter(const std::string& name)
{
    std::vector<std::int64_t> values;
    std::string n = name;
    *m_session << q("SELECT value FROM counters WHERE name = ?"), use(n), into(values), now;
    return values.empty() ? 0 : values.front();
}

void ServerDatabase::setCounter(const std::string& name, std::int64_t value)
{
    std::string n = name;
    *m_session << q("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
        use(n), use(value), now;
}

std::string ServerDatabase::meta(const std::string& name)
{
    std::vector<std::string> values;
    std::string n = name;
    *m_session << q("SELECT value FROM meta WHERE name = ?"), use(n), into(values), now;
    return values.empty() ? std::string() : values.front();
}

void ServerDatabase::setMeta(const std::string& name, const std::string& value)
{
    std::string n = name;
    std::string v = value;
    *m_session << q("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
        use(n), use(v), now;
}

std::string ServerDatabase::isoTime(std::int64_t ms) const
{
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
    const Poco::LocalDateTime local(m_options.utcOffsetMinutes * 60, Poco::DateTime(ts));
    return Poco::DateTimeFormatter::format(local, Poco::DateTimeFormat::ISO8601_FORMAT);
}

} // namespace berkas::sync
