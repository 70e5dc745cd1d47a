#pragma once

namespace berkas::sync {

class ServerDatabase;

/// The server's tables: created in an empty database and migrated from an
/// older version at start, one version at a time, in one transaction. On
/// PostgreSQL a transaction-scoped advisory lock lets several server
/// processes start at once: the first creates or migrates, the others wait
/// and find it done.
class ServerSchema
{
public:
    static constexpr int kVersion = 7;

    /// Brings the database to kVersion. Throws Error(InvalidData) for a
    /// database of a newer version, Poco::Exception when storage fails.
    static void apply(ServerDatabase& db);

private:
    static void createVersion1(ServerDatabase& db);
};

} // namespace berkas::sync
