#include "model/StoreFile.h"

#include "model/AtRest.h"
#include "model/Error.h"
#include "model/Migrations.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

namespace berkas::model {

std::string StoreFile::path(const std::string& dataDir)
{
    return Poco::Path(dataDir).append("berkas.db").toString();
}

std::unique_ptr<Database> StoreFile::open(const std::string& dataDir, const std::string& key)
{
    if (dataDir.empty())
        throw Error(ErrorCode::InvalidData, "data: no data folder given");
    try
    {
        Poco::File(dataDir).createDirectories();
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "cannot create data folder " + dataDir + ": " + e.message());
    }
    const std::string file = path(dataDir);
    if (key.empty() && isEncryptedDatabase(file))
        throw Error(ErrorCode::Unauthorized,
                    "password: the data of this laptop is encrypted; unlock it with a user's password");
    if (Poco::File(file).exists())
    {
        // Check the version before anything may write to the file, so a
        // database from a newer Berkas is left exactly as it was.
        const bool plain = isPlainDatabase(file);
        const Cipher cipher =
            !plain && !key.empty() && isOldCipherDatabase(file, key) ? Cipher::SqlCipher4 : Cipher::Aegis256;
        Database probe(file, plain ? std::string() : key, true, cipher);
        if (probe.userVersion() > Migrations::latest())
            Migrations::migrate(probe);
    }
    // A folder from before encryption is encrypted at its first unlock, one
    // of release 0.1.0 re-encrypted.
    encryptDataFolder(dataDir, file, key);
    auto db = std::make_unique<Database>(file, key);
    db->exec(kPragmas);
    Migrations::migrate(*db);
    return db;
}

} // namespace berkas::model
