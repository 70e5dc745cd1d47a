#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

struct sqlite3;
struct sqlite3_stmt;

namespace berkas::model {

class Database;

/// The page encryption of a keyed database (sqlite3mc), under the raw 32-byte
/// data key either way, so no key derivation runs at open:
/// - Aegis256: AEGIS-256 (an authenticated cipher built on the processor's
///   AES rounds), what every laptop database is encrypted with;
/// - SqlCipher4: SQLCipher 4's scheme (AES-256-CBC, HMAC-SHA512 per page),
///   what release 0.1.0 encrypted with; such a file is re-encrypted at its
///   next unlock (AtRest.h) and opened with it only for that.
enum class Cipher
{
    Aegis256,
    SqlCipher4,
};

/// A prepared statement. Parameters are 1-based, columns 0-based; an empty
/// text binds as NULL and a NULL column reads as "" (Berkas treats both as
/// "no value"). Throws Error(Storage) with SQLite's message on failure.
class Statement
{
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bindNull(int index);
    Statement& bindOptional(int index, const std::optional<std::string>& text);
    /// Binds @p text as it is (an empty text stays empty) without copying
    /// it: SQLite reads it in place until the statement is reset, so it must
    /// outlive the step, as in bindBorrowed(...).run(). For bulk writes.
    Statement& bindBorrowed(int index, std::string_view text);

    /// Advances to the next row; false when done.
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    void reset();

    std::string text(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    bool isNull(int column) const;
    /// SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_BLOB.
    int type(int column) const;
    int columnCount() const;
    std::string columnName(int column) const;

private:
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// An open SQLite connection with Berkas' settings (WAL, foreign keys, busy
/// timeout). One per thread; not shareable between threads.
class Database
{
public:
    /// Opens or creates @p path. @p readOnly opens without creating or changing it.
    explicit Database(const std::string& path, bool readOnly = false);
    /// Opens or creates @p path encrypted under @p key, the 32-byte data key
    /// (KeyRing), or in plain when @p key is empty. Throws
    /// Error(Unauthorized) when the file is encrypted under another key or
    /// not encrypted at all. The connection keeps a copy of the key for
    /// another connection to the same file (BackgroundCheckpoint) and wipes
    /// it when closed.
    Database(const std::string& path, const std::string& key, bool readOnly = false,
             Cipher cipher = Cipher::Aegis256);
    /// Uses @p connection, opened elsewhere (such as by a Poco::Data
    /// session), without taking it over: it stays open afterwards.
    explicit Database(sqlite3* connection);

    /// Sets up SQLite for this process, once, before its first connection
    /// (opening a Database does it too). Every connection is used by one
    /// thread at a time, so SQLite takes no lock per call; it keeps no
    /// memory statistics, which took a process-wide lock per allocation.
    static void configureProcess();
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    std::int64_t lastInsertRowid() const;
    int changes() const;
    int userVersion();
    sqlite3* handle() { return m_db; }
    const std::string& path() const { return m_path; }

    /// Throws Error(Storage) built from SQLite's current error for @p rc.
    [[noreturn]] void fail(int rc, std::string_view what) const;

private:
    friend class BackgroundCheckpoint;

    sqlite3* m_db = nullptr;
    std::string m_path;
    std::string m_key;
    Cipher m_cipher = Cipher::Aegis256;
    bool m_owned = true;
};

/// How sqlite3mc takes a raw 32-byte key: "x'" + 64 hex digits + "'", used
/// as the page key as it is, without a key derivation at each open.
std::string rawKeyText(const std::string& key);

/// While it lives, the write-ahead log of @p db's database is copied into
/// the database file by a connection and thread of its own, started after
/// each commit of @p db, instead of by @p db at commit (SQLite's default). A
/// first pull commits hundreds of megabytes, and copying them took a tenth
/// of the applying thread's time. A commit that leaves the log longer than
/// @p maxLogFrames pages waits for the copy, so that the next one starts the
/// log again from its beginning rather than growing it. Durability is
/// SQLite's as before: until a page is copied, the log holds it. Afterwards
/// @p db checkpoints at commit again. Only for a database in WAL mode.
class BackgroundCheckpoint
{
public:
    explicit BackgroundCheckpoint(Database& db, int maxLogFrames = 8192);
    /// Waits for the copy started by the last commit.
    ~BackgroundCheckpoint();
    BackgroundCheckpoint(const BackgroundCheckpoint&) = delete;
    BackgroundCheckpoint& operator=(const BackgroundCheckpoint&) = delete;

private:
    static int committed(void* self, sqlite3*, const char*, int logFrames);
    void run();

    Database& m_db;
    Database m_own;
    int m_maxLogFrames;
    int m_autoCheckpoint = 1000; ///< @p db's own setting, put back at the end
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_commits = 0; ///< commits of @p db seen
    std::uint64_t m_copied = 0;  ///< commits whose log is copied
    bool m_stop = false;
    std::thread m_thread;
};

/// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit()
/// was called: a thrown exception anywhere inside leaves nothing written.
class Transaction
{
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace berkas::model
