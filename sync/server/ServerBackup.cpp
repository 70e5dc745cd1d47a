#include "sync/server/ServerBackup.h"

#include "model/DurableFile.h"
#include "model/Error.h"
#include "model/Uuid.h"
#include "sync/server/PostgresDump.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/ServerSchema.h"

#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/File.h>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

/// An sqlite3 connection closed on every way out.
struct Connection
{
    sqlite3* db = nullptr;
    ~Connection()
    {
        if (db)
            sqlite3_close_v2(db);
    }
};

std::string lastError(sqlite3* db)
{
    return db ? sqlite3_errmsg(db) : "out of memory";
}

/// Copies every page of @p source into a new database at @p path in one
/// step: one read transaction of the source, so the copy is the database as
/// it stood at one commit, whatever other connections write meanwhile (in
/// WAL mode they are not held up). The copy keeps no write-ahead log.
void copyDatabase(sqlite3* source, const std::string& path)
{
    std::remove(path.c_str());
    Connection dest;
    if (sqlite3_open_v2(path.c_str(), &dest.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        throw Error(ErrorCode::Storage, "cannot create " + path + ": " + lastError(dest.db));
    sqlite3_backup* backup = sqlite3_backup_init(dest.db, "main", source, "main");
    if (!backup)
        throw Error(ErrorCode::Storage, "cannot copy the database to " + path + ": " + lastError(dest.db));
    int rc = SQLITE_OK;
    // A writer holding the lock for a moment answers busy: wait and go on.
    for (int attempt = 0; attempt < 200; ++attempt)
    {
        rc = sqlite3_backup_step(backup, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        throw Error(ErrorCode::Storage, "cannot copy the database to " + path + ": " + sqlite3_errstr(rc));
    char* message = nullptr;
    if (sqlite3_exec(dest.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message) != SQLITE_OK)
    {
        const std::string why = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(ErrorCode::Storage, "cannot finish the copy at " + path + ": " + why);
    }
}

void removeQuietly(const std::string& path)
{
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

/// The steps after putting a backup back, the same on both databases: the
/// current schema, a new epoch, and each year's registration counter moved
/// @p reserve numbers on.
void renew(ServerDatabase& db, const std::string& epoch, std::int64_t reserve)
{
    ServerSchema::apply(db);
    auto& s = db.session();
    Poco::Data::Transaction tx(s);
    db.setMeta("epoch", epoch);
    // Numbers issued after the backup are still on laptops and come
    // back with their replay: new ones start past a reserve, the one
    // place where numbering skips (sync/PROTOCOL.md, "Restored servers").
    std::vector<std::string> names;
    s << "SELECT name FROM counters WHERE name LIKE 'reg_no:%'", into(names), now;
    const std::string thisYear = "reg_no:" + db.isoTime(db.options().clockMs()).substr(0, 4);
    if (std::find(names.begin(), names.end(), thisYear) == names.end())
        names.push_back(thisYear);
    for (const auto& name : names)
        db.setCounter(name, db.counter(name) + reserve);
    tx.commit();
}

} // namespace

std::string ServerBackup::notABackup(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return "no readable file there";
    char header[16] = {};
    in.read(header, sizeof header);
    if (in.gcount() != sizeof header || std::string(header, 15) != "SQLite format 3")
        return "it is not an SQLite database";
    Connection db;
    if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        return "it cannot be opened (" + lastError(db.db) + ")";
    const auto single = [&](const std::string& sql, std::string& out) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            return false;
        const bool row = sqlite3_step(st) == SQLITE_ROW;
        if (row)
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0) ? sqlite3_column_text(st, 0)
                                                                            : reinterpret_cast<const unsigned char*>(""));
        sqlite3_finalize(st);
        return row;
    };
    std::string tables;
    if (!single("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                "('counters', 'fields', 'users', 'devices', 'secrets')",
                tables))
        return "it cannot be read (" + lastError(db.db) + ")";
    if (tables != "5")
        return "it lacks the tables of a Berkas server (counters, fields, users, devices, secrets)";
    std::string version;
    if (!single("SELECT value FROM counters WHERE name = 'schema_version'", version))
        return "it has no schema version";
    const long long v = std::atoll(version.c_str());
    if (v < 1 || v > ServerSchema::kVersion)
        return "its schema version " + version + " is not one this berkas-server knows (1 to " +
               std::to_string(ServerSchema::kVersion) + ")";
    return {};
}

void ServerBackup::backup(const ServerStoreOptions& options, const std::string& to)
{
    if (to.empty())
        throw Error(ErrorCode::InvalidData, "to: is required (backup --to=FILE)");
    if (options.connector == "PostgreSQL")
    {
        PostgresDump::dump(options.connection, to);
        return;
    }
    if (!Poco::File(options.connection).exists())
        throw Error(ErrorCode::InvalidData, "data: no server database at " + options.connection);
    if (const std::string why = notABackup(options.connection); !why.empty())
        throw Error(ErrorCode::InvalidData, "data: " + options.connection + " is not a Berkas server database: " + why);
    const std::string tmp = to + ".partial";
    try
    {
        // Through the connection Poco opens, as the server's own.
        ServerDatabase db(options);
        copyDatabase(Poco::Data::SQLite::Utility::dbHandle(db.session()), tmp);
    }
    catch (const Poco::Exception& e)
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "cannot read the server database " + options.connection + ": " + e.displayText());
    }
    catch (...)
    {
        removeQuietly(tmp);
        throw;
    }
    if (const std::string why = notABackup(tmp); !why.empty())
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "the copy at " + tmp + " is not usable: " + why);
    }
    model::syncFileAndFolder(tmp, "backup");
    if (std::rename(tmp.c_str(), to.c_str()) != 0)
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "backup: cannot write " + to);
    }
    model::syncFileAndFolder(to, "backup");
}

std::string ServerBackup::restore(const ServerStoreOptions& options, const std::string& from, std::int64_t reserve)
{
    if (options.connector == "PostgreSQL")
    {
        PostgresDump::restore(options.connection, from);
        const std::string epoch = model::newUuidV7();
        try
        {
            ServerDatabase db(options);
            renew(db, epoch, reserve);
        }
        catch (const Poco::Exception& e)
        {
            throw Error(ErrorCode::Storage, "cannot prepare the restored database: " + e.displayText());
        }
        return epoch;
    }
    if (const std::string why = notABackup(from); !why.empty())
        throw Error(ErrorCode::InvalidData, "from: " + from + " is not a Berkas server database: " + why);
    const std::string target = options.connection;
    const bool replacing = Poco::File(target).exists();
    // A server still serving the database keeps its log open: SQLite will not
    // leave WAL mode then. Leaving it also folds the log into the file, so
    // the database kept below is whole in one file.
    const auto settle = [&] {
        if (!replacing)
            return;
        Connection db;
        char* message = nullptr;
        const bool ok = sqlite3_open_v2(target.c_str(), &db.db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
                        sqlite3_exec(db.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message) == SQLITE_OK;
        sqlite3_free(message);
        if (!ok)
            throw Error(ErrorCode::Conflict, "data: the server database " + target +
                                                 " is in use; stop berkas-server before restoring");
    };
    settle();

    const std::string tmp = target + ".restoring";
    std::string epoch = model::newUuidV7();
    try
    {
        {
            Connection source;
            if (sqlite3_open_v2(from.c_str(), &source.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
                throw Error(ErrorCode::Storage, "cannot open " + from + ": " + lastError(source.db));
            copyDatabase(source.db, tmp);
        }
        ServerStoreOptions restored = options;
        restored.connection = tmp;
        ServerDatabase db(restored);
        renew(db, epoch, reserve);
        db.session() << "PRAGMA journal_mode=DELETE", now;
    }
    catch (const Poco::Exception& e)
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "cannot prepare the restored database at " + tmp + ": " + e.displayText());
    }
    catch (...)
    {
        removeQuietly(tmp);
        throw;
    }
    model::syncFileAndFolder(tmp, "restore");
    settle(); // nobody started a server meanwhile
    if (replacing)
    {
        const std::string kept = target + ".before-restore";
        removeQuietly(kept);
        std::error_code error;
        std::filesystem::create_hard_link(target, kept, error);
        if (error)
        {
            removeQuietly(tmp);
            throw Error(ErrorCode::Storage, "restore: cannot keep the current database as " + kept + ": " + error.message());
        }
    }
    if (std::rename(tmp.c_str(), target.c_str()) != 0)
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "restore: cannot put the backup in place at " + target);
    }
    removeQuietly(target + "-wal");
    removeQuietly(target + "-shm");
    model::syncFileAndFolder(target, "restore");
    return epoch;
}

} // namespace berkas::sync
