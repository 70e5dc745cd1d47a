#include "model/AtRest.h"

#include "model/AttachmentFiles.h"
#include "model/Database.h"
#include "model/DurableFile.h"
#include "model/Error.h"
#include "model/KeyRing.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/URI.h>

#include <fstream>
#include <iterator>

namespace berkas::model {

namespace {

constexpr char kSqliteHeader[] = "SQLite format 3"; // followed by a NUL: 16 bytes

std::string firstBytes(const std::string& path, std::size_t n)
{
    std::ifstream in(path, std::ios::binary);
    std::string bytes(n, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(n));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "attachment: cannot read " + path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void removeIfThere(const std::string& path)
{
    Poco::File f(path);
    if (f.exists())
        f.remove();
}

} // namespace

bool isPlainDatabase(const std::string& path)
{
    return firstBytes(path, sizeof kSqliteHeader) == std::string(kSqliteHeader, sizeof kSqliteHeader);
}

bool isEncryptedDatabase(const std::string& path)
{
    Poco::File f(path);
    return f.exists() && f.getSize() > 0 && !isPlainDatabase(path);
}

namespace {

/// Writes the database @p path, opened as @p source says, again under
/// @p key with AEGIS-256: a copy beside it (VACUUM INTO, keyed), synced,
/// checked, and renamed over the original. A crash at any moment leaves
/// either the original or the finished copy; the next call starts again.
void rewriteEncrypted(const std::string& path, const std::string& sourceKey, Cipher sourceCipher,
                      const std::string& key, const std::string& what)
{
    const std::string copy = path + ".encrypting";
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        removeIfThere(copy + suffix); // a copy left by a crash: start again
    try
    {
        {
            Database source(path, sourceKey, false, sourceCipher);
            // Everything in the log goes into the file the copy is made of.
            source.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            // The key travels in the target's URI (sqlite3mc reads cipher and
            // key from it); the statement's text is wiped after use.
            Poco::URI target("file:" + copy);
            target.addQueryParameter("cipher", "aegis");
            target.addQueryParameter("key", rawKeyText(key));
            std::string uri = target.toString();
            std::string sql = "VACUUM INTO '" + uri + "'";
            try
            {
                source.exec(sql);
            }
            catch (...)
            {
                wipeSecret(sql);
                wipeSecret(uri);
                throw;
            }
            wipeSecret(sql);
            wipeSecret(uri);
        }
        // The copy must be whole on disk before it takes the name.
        syncFileAndFolder(copy, "database");
        {
            Database check(copy, key, true);
            check.exec("SELECT count(*) FROM sqlite_schema");
        }
        // The original's log was folded in and is empty; its log or shared
        // memory index must not meet the new file.
        removeIfThere(path + "-wal");
        removeIfThere(path + "-shm");
        Poco::File(copy).renameTo(path);
        syncFolder(Poco::Path(path).parent().toString());
    }
    catch (const Poco::Exception& e)
    {
        removeIfThere(copy);
        throw Error(ErrorCode::Storage, "database: cannot " + what + " " + path + ": " + e.displayText());
    }
    catch (...)
    {
        removeIfThere(copy);
        throw;
    }
}

/// True when @p key opens @p path with @p cipher.
bool opensWith(const std::string& path, const std::string& key, Cipher cipher)
{
    try
    {
        Database probe(path, key, true, cipher);
        return true;
    }
    catch (const Error& e)
    {
        if (e.code() == ErrorCode::Unauthorized)
            return false;
        throw;
    }
}

} // namespace

void encryptDatabase(const std::string& path, const std::string& key)
{
    rewriteEncrypted(path, std::string(), Cipher::Aegis256, key, "encrypt");
}

bool isOldCipherDatabase(const std::string& path, const std::string& key)
{
    return isEncryptedDatabase(path) && !opensWith(path, key, Cipher::Aegis256) &&
           opensWith(path, key, Cipher::SqlCipher4);
}

void reencryptDatabase(const std::string& path, const std::string& key)
{
    rewriteEncrypted(path, key, Cipher::SqlCipher4, key, "re-encrypt");
}

int sealAttachments(const std::string& dataDir, const std::string& key)
{
    const std::string root = Poco::Path(dataDir).append("attachments").toString();
    if (!Poco::File(root).exists())
        return 0;
    int sealed = 0;
    for (Poco::DirectoryIterator bucket(root), end; bucket != end; ++bucket)
    {
        if (!bucket->isDirectory())
            continue;
        for (Poco::DirectoryIterator it(bucket->path()); it != end; ++it)
        {
            const std::string path = it->path();
            if (!it->isFile() || Poco::Path(path).getExtension() == "part" || Poco::Path(path).getExtension() == "tmp")
                continue;
            if (looksSealed(firstBytes(path, 4)))
                continue;
            std::string plain = readAll(path);
            const std::string bytes = sealBytes(key, plain);
            wipeSecret(plain);
            writeFileDurably(path, bytes, "attachment");
            ++sealed;
        }
    }
    return sealed;
}

bool encryptDataFolder(const std::string& dataDir, const std::string& databasePath, const std::string& key)
{
    if (key.empty())
        return false;
    if (isOldCipherDatabase(databasePath, key))
    {
        // Attachments are sealed the same way as before: only the pages change.
        reencryptDatabase(databasePath, key);
        return true;
    }
    if (!isPlainDatabase(databasePath))
        return false;
    // Attachments first: should the database's turn crash, the next unlock
    // finds the database still plain and comes back here; sealed files are
    // skipped.
    sealAttachments(dataDir, key);
    encryptDatabase(databasePath, key);
    return true;
}

} // namespace berkas::model
