// Encryption at rest: what a stolen laptop's disk shows, who opens it, and the
// upgrade of a folder from before encryption, including a kill -9 in its middle.
#include "model/AtRest.h"
#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "tests/support/TempDir.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/URI.h>

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

using namespace berkas;

namespace {

// Invented applicant: the values searched for on disk.
const std::string kNik = "3275096203880007";
const std::string kName = "Wulan Sasmita Rahayu";
const std::string kAddress = "Jl. Cempaka Ungu No. 17";
const std::string kPhotoText = "JFIF KTP scan of the applicant, NIK 3275096203880007";

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Every file of @p dir and below, whole.
std::vector<std::string> filesUnder(const std::string& dir)
{
    std::vector<std::string> out;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
    {
        if (it->isDirectory())
        {
            const auto sub = filesUnder(it->path());
            out.insert(out.end(), sub.begin(), sub.end());
        }
        else
            out.push_back(it->path());
    }
    return out;
}

/// The files of @p dir (database, log, attachments...) that show any of the
/// applicant's values in plain.
std::vector<std::string> revealing(const std::string& dir)
{
    std::vector<std::string> out;
    for (const auto& path : filesUnder(dir))
    {
        const std::string bytes = slurp(path);
        for (const auto& secret : {kNik, kName, kAddress, std::string("Cempaka Ungu")})
            if (bytes.find(secret) != std::string::npos)
            {
                out.push_back(path + " shows \"" + secret + "\"");
                break;
            }
    }
    return out;
}

model::StoreOptions optionsFor(const std::string& dir, const std::string& key)
{
    model::StoreOptions o;
    o.dataDir = dir;
    o.deviceId = "0f0e0d0c-0b0a-4999-8888-7766554433aa";
    o.user = "petugas.uji";
    o.dataKey = key;
    return o;
}

std::string addApplicant(model::CaseStore& store, int n = 0)
{
    return store.create("application", {{"service_code", "PBG"},
                                        {"applicant_name", n == 0 ? kName : kName + " " + std::to_string(n)},
                                        {"nik", kNik},
                                        {"address", kAddress},
                                        {"channel", "counter"},
                                        {"kecamatan", "32.75.09"}});
}

std::int64_t applications(model::CaseStore& store)
{
    model::ListQuery q;
    q.kind = "application";
    return store.count(q);
}

/// Runs the plain sqlite3 shell on @p path; its exit code.
int plainShell(const std::string& path)
{
    const std::string command = "sqlite3 '" + path + "' 'SELECT count(*) FROM application' >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Copies the folder @p master to @p dir, upgrades it in a child process
/// (encryptDataFolder) and kills that with SIGKILL after @p delayMs.
void killedUpgrade(const std::string& master, const std::string& dir, const std::string& key, double delayMs)
{
    Poco::File(master).copyTo(dir);
    const std::string db = model::CaseStore::databasePath(dir);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0)
    {
        try
        {
            model::encryptDataFolder(dir, db, key);
        }
        catch (...)
        {
            _exit(2);
        }
        _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(delayMs));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
}

/// Milliseconds one upgrade of a copy of @p master takes here.
double upgradeMs(const std::string& master, const std::string& dir, const std::string& key)
{
    Poco::File(master).copyTo(dir);
    const auto start = std::chrono::steady_clock::now();
    model::encryptDataFolder(dir, model::CaseStore::databasePath(dir), key);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// Turns the plain database of @p dir into one encrypted as release 0.1.0 did
/// (SQLCipher 4 pages under the raw key), the way that release wrote it.
void encryptAsRelease01(const std::string& dir, const std::string& key)
{
    const std::string db = model::CaseStore::databasePath(dir);
    const std::string copy = db + ".old-scheme";
    {
        model::Database plain(db);
        plain.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        Poco::URI target("file:" + copy);
        target.addQueryParameter("cipher", "sqlcipher");
        target.addQueryParameter("key", model::rawKeyText(key));
        plain.exec("VACUUM INTO '" + target.toString() + "'");
    }
    for (const char* suffix : {"-wal", "-shm"})
        if (Poco::File(db + suffix).exists())
            Poco::File(db + suffix).remove();
    Poco::File(copy).renameTo(db);
}

} // namespace

TEST_CASE("AtRest: the database, its log and the attachments show no applicant data", "[model][atrest]")
{
    test::TempDir data;
    test::TempDir scratch;
    const std::string key = model::randomBytes(32);
    const std::string photo = scratch.file("ktp.jpg");
    std::ofstream(photo, std::ios::binary) << kPhotoText;
    std::string id;
    {
        model::CaseStore store(optionsFor(data.path, key));
        id = addApplicant(store);
        for (int n = 1; n < 50; ++n)
            addApplicant(store, n);
        model::addAttachment(store, id, photo);
        // While the store is open its log holds the latest pages: look now.
        CHECK(Poco::File(model::CaseStore::databasePath(data.path) + "-wal").exists());
        CHECK(revealing(data.path).empty());
    }
    CHECK(revealing(data.path).empty());
    CHECK(model::isEncryptedDatabase(model::CaseStore::databasePath(data.path)));
    CHECK(plainShell(model::CaseStore::databasePath(data.path)) != 0);

    SECTION("the same key opens it again, with search")
    {
        model::CaseStore store(optionsFor(data.path, key));
        CHECK(applications(store) == 50);
        model::ListQuery q;
        q.kind = "application";
        q.search = "sasmita";
        CHECK(store.count(q) == 50);
        CHECK(model::readAttachment(store, model::sha256OfFile(photo)) == kPhotoText);
    }
    SECTION("another key or no key does not open it, and changes nothing")
    {
        const std::string before = slurp(model::CaseStore::databasePath(data.path));
        CHECK_THROWS_AS(model::CaseStore(optionsFor(data.path, model::randomBytes(32))), Error);
        CHECK_THROWS_WITH(model::CaseStore(optionsFor(data.path, "")), Catch::Contains("encrypted"));
        CHECK(slurp(model::CaseStore::databasePath(data.path)) == before);
    }
}

TEST_CASE("AtRest: a folder from before encryption is encrypted at its first unlock, nothing lost",
          "[model][atrest]")
{
    test::TempDir data;
    test::TempDir scratch;
    const std::string photo = scratch.file("ktp.jpg");
    std::ofstream(photo, std::ios::binary) << kPhotoText;
    std::string id;
    {
        model::CaseStore plain(optionsFor(data.path, ""));
        id = addApplicant(plain);
        model::addAttachment(plain, id, photo);
    }
    CHECK_FALSE(revealing(data.path).empty()); // the old release's folder, in plain
    CHECK(plainShell(model::CaseStore::databasePath(data.path)) == 0);

    const std::string key = model::randomBytes(32);
    {
        model::CaseStore store(optionsFor(data.path, key));
        CHECK(store.get(id).value("nik") == kNik);
        CHECK(model::readAttachment(store, model::sha256OfFile(photo)) == kPhotoText);
        CHECK(store.outboxSize() > 0); // the unsent changes are still waiting
    }
    CHECK(revealing(data.path).empty());
    CHECK(plainShell(model::CaseStore::databasePath(data.path)) != 0);
    CHECK_FALSE(Poco::File(model::CaseStore::databasePath(data.path) + ".encrypting").exists());
    model::CaseStore again(optionsFor(data.path, key));
    CHECK(again.get(id).value("address") == kAddress);
}

TEST_CASE("AtRest: a kill -9 during the upgrade leaves the plain file or the encrypted one, never neither",
          "[model][atrest][crash]")
{
    const std::string key = model::randomBytes(32);
    test::TempDir scratch;
    // One plain folder, copied for every attempt.
    const std::string master = scratch.file("master");
    {
        model::CaseStore plain(optionsFor(master, ""));
        plain.inBatch([&] {
            for (int n = 0; n < 3000; ++n)
                addApplicant(plain, n);
        });
    }
    // How long one upgrade takes here, to spread the kills over it.
    const double ms = upgradeMs(master, scratch.file("timed"), key);
    int endedPlain = 0;
    int endedEncrypted = 0;
    // Kills from the start to past the end of an upgrade: early ones land
    // before the rename, later ones after it.
    for (int attempt = 0; attempt < 12; ++attempt)
    {
        const std::string dir = scratch.file("attempt" + std::to_string(attempt));
        const std::string db = model::CaseStore::databasePath(dir);
        killedUpgrade(master, dir, key, ms * attempt / 8);

        // Right after the kill: one whole database under the name, plain or
        // encrypted, never a missing or half-written one.
        REQUIRE(Poco::File(db).exists());
        if (model::isPlainDatabase(db))
        {
            ++endedPlain;
            model::CaseStore plain(optionsFor(dir, ""));
            CHECK(applications(plain) == 3000);
        }
        else
        {
            ++endedEncrypted;
            CHECK(model::isEncryptedDatabase(db));
        }
        // The next unlock carries on and finds every record.
        model::CaseStore store(optionsFor(dir, key));
        CHECK(applications(store) == 3000);
        CHECK(model::isEncryptedDatabase(db));
        CHECK_FALSE(Poco::File(db + ".encrypting").exists());
    }
    INFO("attempts that ended with the plain file: " << endedPlain << ", encrypted: " << endedEncrypted);
    CHECK(endedPlain + endedEncrypted == 12);
}

TEST_CASE("AtRest: a database of release 0.1.0 (SQLCipher 4 pages) is re-encrypted with AEGIS at its next unlock",
          "[model][atrest]")
{
    test::TempDir data;
    test::TempDir scratch;
    const std::string key = model::randomBytes(32);
    const std::string photo = scratch.file("ktp.jpg");
    std::ofstream(photo, std::ios::binary) << kPhotoText;
    std::string id;
    {
        model::CaseStore plain(optionsFor(data.path, ""));
        id = addApplicant(plain);
        model::addAttachment(plain, id, photo);
    }
    model::sealAttachments(data.path, key);
    encryptAsRelease01(data.path, key);
    const std::string db = model::CaseStore::databasePath(data.path);
    REQUIRE(model::isOldCipherDatabase(db, key));
    CHECK_FALSE(model::isOldCipherDatabase(db, model::randomBytes(32))); // another key opens neither way
    CHECK_THROWS_AS(model::Database(db, key, true), Error);               // not with AEGIS

    {
        model::CaseStore store(optionsFor(data.path, key));
        CHECK(store.get(id).value("nik") == kNik);
        CHECK(model::readAttachment(store, model::sha256OfFile(photo)) == kPhotoText);
        CHECK(store.outboxSize() > 0);
    }
    CHECK_FALSE(model::isOldCipherDatabase(db, key));
    CHECK_THROWS_AS(model::Database(db, key, true, model::Cipher::SqlCipher4), Error);
    CHECK(revealing(data.path).empty());
    CHECK_FALSE(Poco::File(db + ".encrypting").exists());
    model::CaseStore again(optionsFor(data.path, key));
    CHECK(again.get(id).value("address") == kAddress);
}

TEST_CASE("AtRest: a kill -9 during the re-encryption leaves the old file or the new one, never neither",
          "[model][atrest][crash]")
{
    const std::string key = model::randomBytes(32);
    test::TempDir scratch;
    const std::string master = scratch.file("master");
    {
        model::CaseStore plain(optionsFor(master, ""));
        plain.inBatch([&] {
            for (int n = 0; n < 3000; ++n)
                addApplicant(plain, n);
        });
    }
    encryptAsRelease01(master, key);
    const double ms = upgradeMs(master, scratch.file("timed"), key);
    int endedOld = 0;
    int endedNew = 0;
    for (int attempt = 0; attempt < 12; ++attempt)
    {
        const std::string dir = scratch.file("attempt" + std::to_string(attempt));
        const std::string db = model::CaseStore::databasePath(dir);
        killedUpgrade(master, dir, key, ms * attempt / 8);

        REQUIRE(Poco::File(db).exists());
        if (model::isOldCipherDatabase(db, key))
            ++endedOld;
        else
        {
            model::Database aegis(db, key, true); // throws unless whole and under the key
            ++endedNew;
        }
        model::CaseStore store(optionsFor(dir, key));
        CHECK(applications(store) == 3000);
        CHECK_FALSE(model::isOldCipherDatabase(db, key));
        CHECK_FALSE(Poco::File(db + ".encrypting").exists());
    }
    INFO("attempts that ended with the old file: " << endedOld << ", the new one: " << endedNew);
    CHECK(endedOld + endedNew == 12);
}
