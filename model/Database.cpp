#include "model/Database.h"

#include "model/Error.h"

#include <openssl/crypto.h>
#include <sqlite3.h>

#include <mutex>

namespace berkas::model {

Statement::Statement(Database& db, std::string_view sql) : m_db(db)
{
    const int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        db.fail(rc, "prepare");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view text)
{
    if (text.empty())
        return bindNull(index);
    const int rc = sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        m_db.fail(rc, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK)
        m_db.fail(rc, "bind");
    return *this;
}

Statement& Statement::bindNull(int index)
{
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK)
        m_db.fail(rc, "bind");
    return *this;
}

Statement& Statement::bindOptional(int index, const std::optional<std::string>& text)
{
    if (!text)
        return bindNull(index);
    const int rc = sqlite3_bind_text(m_stmt, index, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        m_db.fail(rc, "bind");
    return *this;
}

Statement& Statement::bindBorrowed(int index, std::string_view text)
{
    const int rc = sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK)
        m_db.fail(rc, "bind");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_db.fail(rc, "step");
}

void Statement::run()
{
    while (step())
    {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const
{
    const auto* p = sqlite3_column_text(m_stmt, column);
    if (!p)
        return {};
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

int Statement::type(int column) const
{
    return sqlite3_column_type(m_stmt, column);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

std::string Statement::columnName(int column) const
{
    return sqlite3_column_name(m_stmt, column);
}

void Database::configureProcess()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Both fail harmlessly (SQLITE_MISUSE) once SQLite is initialised.
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    });
}

Database::Database(const std::string& path, bool readOnly) : Database(path, std::string(), readOnly) {}

std::string rawKeyText(const std::string& key)
{
    static const char* const digits = "0123456789abcdef";
    std::string text = "x'";
    for (const unsigned char c : key)
    {
        text += digits[c >> 4];
        text += digits[c & 15];
    }
    return text + "'";
}

Database::Database(const std::string& path, const std::string& key, bool readOnly, Cipher cipher)
    : m_path(path), m_key(key), m_cipher(cipher)
{
    configureProcess();
    const int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK)
    {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(ErrorCode::Storage, "cannot open database " + path + ": " + message);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000);
    // Temporary tables and sorts stay in memory (SQLITE_TEMP_STORE=2,
    // cmake/Sqlite3mc.cmake) for plain and encrypted stores alike: sqlite3mc
    // does not encrypt temporary files, and on files a plain store's inserts
    // took twice as long.
    if (key.empty())
        return;
    const auto refuse = [this](ErrorCode code, const std::string& message) {
        sqlite3_close(m_db);
        m_db = nullptr;
        OPENSSL_cleanse(m_key.data(), m_key.size());
        throw Error(code, message);
    };
    if (key.size() != 32)
        refuse(ErrorCode::InvalidData, "key: the data key must be 32 bytes");
    // AEGIS-256 is the build's default scheme (cmake/Sqlite3mc.cmake).
    if (cipher == Cipher::SqlCipher4 &&
        sqlite3mc_config(m_db, "cipher", sqlite3mc_cipher_index("sqlcipher")) < 0)
        refuse(ErrorCode::Storage, "cannot open database " + path + ": sqlite3mc has no SQLCipher scheme");
    std::string text = rawKeyText(key);
    const int keyed = sqlite3_key_v2(m_db, "main", text.data(), static_cast<int>(text.size()));
    OPENSSL_cleanse(text.data(), text.size());
    if (keyed != SQLITE_OK)
        refuse(ErrorCode::Storage, "cannot open database " + path + ": " + sqlite3_errmsg(m_db));
    // The key is checked by the first read of the file.
    const int read = sqlite3_exec(m_db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
    if ((read & 0xff) == SQLITE_NOTADB)
        refuse(ErrorCode::Unauthorized, "database: " + path + " is not encrypted under this laptop's data key");
    if (read != SQLITE_OK)
        refuse(ErrorCode::Storage, "cannot open database " + path + ": " + sqlite3_errmsg(m_db));
}

BackgroundCheckpoint::BackgroundCheckpoint(Database& db, int maxLogFrames)
    : m_db(db), m_own(db.path(), db.m_key, false, db.m_cipher), m_maxLogFrames(maxLogFrames)
{
    // A connection finds the log when it first reads the database.
    m_own.exec("SELECT count(*) FROM sqlite_schema");
    Statement current(m_db, "PRAGMA wal_autocheckpoint");
    if (current.step())
        m_autoCheckpoint = static_cast<int>(current.integer(0));
    m_thread = std::thread([this] { run(); });
    // Replaces SQLite's own hook, which checkpoints on the committing thread.
    sqlite3_wal_hook(m_db.handle(), &BackgroundCheckpoint::committed, this);
}

BackgroundCheckpoint::~BackgroundCheckpoint()
{
    sqlite3_wal_autocheckpoint(m_db.handle(), m_autoCheckpoint); // SQLite's hook again
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

int BackgroundCheckpoint::committed(void* self, sqlite3*, const char*, int logFrames)
{
    auto& me = *static_cast<BackgroundCheckpoint*>(self);
    std::unique_lock<std::mutex> lock(me.m_mutex);
    const std::uint64_t commit = ++me.m_commits;
    me.m_changed.notify_all();
    if (logFrames > me.m_maxLogFrames)
        me.m_changed.wait(lock, [&] { return me.m_copied >= commit; });
    return SQLITE_OK;
}

void BackgroundCheckpoint::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;)
    {
        m_changed.wait(lock, [&] { return m_stop || m_copied < m_commits; });
        if (m_copied == m_commits)
            return; // stopping, and everything committed is copied
        const std::uint64_t upTo = m_commits;
        lock.unlock();
        // PASSIVE: copies what no reader still needs, never waits. A copy
        // that fails (another connection checkpointing) leaves the pages in
        // the log, where they are safe; the next commit's copy, or SQLite's
        // own checkpoint afterwards, takes them.
        sqlite3_wal_checkpoint_v2(m_own.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
        m_copied = upTo;
        m_changed.notify_all();
    }
}

Database::Database(sqlite3* connection) : m_db(connection), m_owned(false)
{
    const char* file = sqlite3_db_filename(connection, "main");
    m_path = file ? file : "";
}

Database::~Database()
{
    if (m_owned)
        sqlite3_close_v2(m_db);
    OPENSSL_cleanse(m_key.data(), m_key.size());
}

void Database::exec(std::string_view sql)
{
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK)
    {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error(ErrorCode::Storage, "database error in " + m_path + ": " + text);
    }
}

std::int64_t Database::lastInsertRowid() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

int Database::userVersion()
{
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.integer(0));
}

void Database::fail(int rc, std::string_view what) const
{
    const int primary = rc & 0xff;
    const ErrorCode code = primary == SQLITE_CONSTRAINT ? ErrorCode::Conflict : ErrorCode::Storage;
    throw Error(code, "database error (" + std::string(what) + ") in " + m_path + ": " + sqlite3_errmsg(m_db));
}

Transaction::Transaction(Database& db) : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done)
    {
        try
        {
            m_db.exec("ROLLBACK");
        }
        catch (...)
        {
        }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace berkas::model
