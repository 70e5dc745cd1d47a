#pragma once

#include <string>

namespace berkas::sync {

/// The pg_dump route of backup and restore for a server database in
/// PostgreSQL, through Debian's postgresql-client (pg_dump, pg_restore on
/// the PATH). @p conninfo is a libpq connection string as
/// ServerDatabase::optionsFor makes it; its password reaches the tools
/// through PGPASSWORD, never their command line. ServerBackup calls these
/// and takes the steps after a restore that both databases share.
class PostgresDump
{
public:
    /// pg_dump --format=custom of the whole database while servers use it
    /// (one consistent snapshot), written to a temporary file beside @p to,
    /// checked with pg_restore --list, fsynced and renamed: @p to is a whole
    /// archive or is not there. Throws Error(Storage) naming what failed.
    static void dump(const std::string& conninfo, const std::string& to);

    /// Why @p path is not a pg_dump archive of a Berkas server database, as
    /// the rule it breaks; "" when it is one.
    static std::string notADump(const std::string& path);

    /// Puts the archive @p from in place of the database's tables, with
    /// every server stopped: Error(InvalidData) when it is no archive of a
    /// Berkas server database, Error(Conflict) when another session uses
    /// the database ("stop berkas-server"). The current tables move to the
    /// schema berkas_before_restore (the one an earlier restore kept is
    /// dropped), then pg_restore fills a new schema public in one
    /// transaction; when it fails the old tables are put back and
    /// Error(Storage) carries pg_restore's words.
    static void restore(const std::string& conninfo, const std::string& from);

    /// The schema that keeps the tables a restore replaced.
    static constexpr const char* kKeptSchema = "berkas_before_restore";
};

} // namespace berkas::sync
