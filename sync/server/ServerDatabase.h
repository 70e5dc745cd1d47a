#pragma once

#include "sync/server/ServerTypes.h"

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace berkas::sync {

/// The server's connection to its database through Poco::Data (SQLite in
/// WAL mode, or PostgreSQL), the SQL dialect of that database and the named
/// counters (the server sequence, the clock, registration numbers). Not
/// thread-safe: ServerStore uses it under its lock. Keeps a reference to
/// @p options, which must outlive it.
class ServerDatabase
{
public:
    /// Opens the connection @p options names; throws Poco::Exception when it
    /// cannot (ServerStore turns that into Error(Storage)).
    explicit ServerDatabase(const ServerStoreOptions& options);
    ~ServerDatabase();
    ServerDatabase(const ServerDatabase&) = delete;
    ServerDatabase& operator=(const ServerDatabase&) = delete;

    /// The storage a --database value names (ServerStore::optionsFor).
    static ServerStoreOptions optionsFor(const std::string& database, const std::string& dataDir);
    /// The connection of @p options for messages, without any password.
    static std::string describeConnection(const ServerStoreOptions& options);

    Poco::Data::Session& session() { return *m_session; }
    bool postgres() const { return m_postgres; }
    const ServerStoreOptions& options() const { return m_options; }

    /// @p sql in the dialect of the connected database (placeholders).
    std::string q(const std::string& sql) const;

    /// A named counter; 0 when never set.
    std::int64_t counter(const std::string& name);
    void setCounter(const std::string& name, std::int64_t value);
    /// A named value of the database itself (the table meta, such as its
    /// epoch); "" when never set.
    std::string meta(const std::string& name);
    void setMeta(const std::string& name, const std::string& value);

    /// @p ms (Unix milliseconds) as ISO 8601 in the office zone.
    std::string isoTime(std::int64_t ms) const;

private:
    const ServerStoreOptions& m_options;
    bool m_postgres = false;
    std::unique_ptr<Poco::Data::Session> m_session;
};

/// A nullable column as an optional value, and back.
std::optional<std::string> fromNullable(const Poco::Nullable<std::string>& v);
std::optional<std::string> fromNullable(Poco::Nullable<std::string>&& v);
Poco::Nullable<std::string> toNullable(const std::optional<std::string>& v);

} // namespace berkas::sync
