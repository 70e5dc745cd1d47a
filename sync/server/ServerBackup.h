#pragma once

#include "sync/server/ServerTypes.h"

#include <cstdint>
#include <string>

namespace berkas::sync {

/// Backup and restore of the central office's database, SQLite or, by the
/// pg_dump route, PostgreSQL (PostgresDump.h) (sync/server/README.md,
/// "Backup and restore"; sync/PROTOCOL.md, "Restored servers").
class ServerBackup
{
public:
    /// Copies the database of @p options to @p to while other processes may
    /// be serving it: SQLite's online backup of one read transaction, written
    /// to a temporary file beside @p to, checked, fsynced and renamed, so
    /// @p to is a consistent snapshot or is not there. A PostgreSQL database
    /// is dumped with pg_dump (PostgresDump::dump) the same way. Throws
    /// Error(Storage) when the copy fails (nothing is left at @p to then).
    static void backup(const ServerStoreOptions& options, const std::string& to);

    /// Why @p path is not a Berkas server database this berkas-server can
    /// open, as the rule it breaks; "" when it is one.
    static std::string notABackup(const std::string& path);

    /// Puts the backup @p from in place of the (stopped) server's SQLite
    /// database of @p options: checked first (Error(InvalidData) naming the
    /// rule, nothing changed), copied beside the database, brought to the
    /// current schema, given a new epoch and each year's registration
    /// counter moved @p reserve numbers on, fsynced, then renamed over the
    /// database in one step. The database it replaces is kept beside it as
    /// server.db.before-restore. Error(Conflict) when a server still has the
    /// database open. On PostgreSQL @p from is a pg_dump archive, put in
    /// place by PostgresDump::restore (the replaced tables are kept in the
    /// schema berkas_before_restore), then the same steps follow.
    /// Returns the new epoch.
    static std::string restore(const ServerStoreOptions& options, const std::string& from, std::int64_t reserve);
};

} // namespace berkas::sync
