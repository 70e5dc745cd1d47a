#include "model/DataFolder.h"

#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "tests/model/StoreTestSupport.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace berkas;
using model::DataFolder;
using model::KeyRing;

namespace {

constexpr unsigned kFast = 1000; // PBKDF2 iterations in tests; production uses KeyRing::kIterations

/// A terminal the test types into: answers from a list, and remembers who was asked.
class ScriptedPrompt : public model::PasswordPrompt
{
public:
    explicit ScriptedPrompt(std::vector<std::optional<std::string>> answers) : m_answers(std::move(answers)) {}
    std::optional<std::string> askPassword(const std::string& user) override
    {
        asked.push_back(user);
        if (m_answers.empty())
            return std::nullopt;
        auto answer = m_answers.front();
        m_answers.erase(m_answers.begin());
        return answer;
    }
    std::vector<std::string> asked;

private:
    std::vector<std::optional<std::string>> m_answers;
};

/// No terminal: standard input is a pipe or a file.
ScriptedPrompt noTerminal()
{
    return ScriptedPrompt({});
}

/// The files of a folder, without SQLite's shared-memory index and log of
/// the database, which even a read-only look may create.
std::set<std::string> listing(const std::string& dir)
{
    std::set<std::string> names;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        if (it.name() != "berkas.db-shm" && it.name() != "berkas.db-wal")
            names.insert(it.name());
    return names;
}

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// A folder used by siti (her store made, her name stored) whose data key
/// is wrapped for her with "sandi-siti-1".
struct EncryptedFolder
{
    test::TempDir dir;
    std::string key;

    EncryptedFolder()
    {
        {
            model::StoreOptions o;
            o.dataDir = dir.path;
            model::CaseStore store(o);
            store.setUser("siti");
        }
        key = KeyRing(dir.path, kFast).create("siti", "sandi-siti-1");
    }
};

} // namespace

TEST_CASE("DataFolder: a folder without a key ring needs no password and gets no key", "[model][keys][session]")
{
    test::TempDir dir;
    DataFolder folder(dir.path, kFast);
    CHECK_FALSE(folder.encrypted());
    CHECK_FALSE(folder.locked());

    ScriptedPrompt prompt({std::string("never asked")});
    folder.unlockHeadless("", std::nullopt, &prompt);
    CHECK(folder.unlockForLogin("siti", "whatever", std::nullopt, &prompt));
    CHECK(prompt.asked.empty());
    CHECK_FALSE(folder.unlocked());
    CHECK(folder.storeOptions().dataDir == dir.path);
    CHECK(folder.storeOptions().dataKey.empty());
    // Nothing to remember a password in, and nothing written.
    folder.rememberPassword("siti", "whatever");
    CHECK_FALSE(Poco::File(KeyRing::path(dir.path)).exists());
    CHECK(folder.openStore()->dataKey().empty());
}

TEST_CASE("DataFolder: the stored user's password unlocks the data key", "[model][keys][session]")
{
    EncryptedFolder f;
    DataFolder folder(f.dir.path, kFast);
    REQUIRE(folder.encrypted());
    CHECK(folder.locked());
    CHECK(folder.defaultUser() == "siti");

    SECTION("from BERKAS_PASSWORD, without asking")
    {
        ScriptedPrompt prompt({});
        folder.unlockHeadless("", std::string("sandi-siti-1"), &prompt);
        CHECK(prompt.asked.empty());
    }
    SECTION("typed at the terminal when BERKAS_PASSWORD is not set")
    {
        ScriptedPrompt prompt({std::string("sandi-siti-1")});
        folder.unlockHeadless("", std::nullopt, &prompt);
        CHECK(prompt.asked == std::vector<std::string>{"siti"});
    }
    SECTION("by the window's login dialog")
    {
        folder.unlock("siti", "sandi-siti-1");
    }
    CHECK(folder.unlocked());
    CHECK(folder.storeOptions().dataKey == f.key);

    // Every store opened from the folder seals what it keeps.
    const std::string photo = f.dir.file("ktp.jpg");
    std::ofstream(photo, std::ios::binary) << "JFIF... NIK 3275094107900001 Ani Lestari";
    const auto store = folder.openStore();
    const std::string parent = store->create("application", {{"service_code", "PBG"},
                                                             {"applicant_name", "Ani Lestari"},
                                                             {"nik", "3275094107900001"},
                                                             {"channel", "phone"},
                                                             {"kecamatan", "32.75.09"}});
    const std::string id = model::addAttachment(*store, parent, photo);
    const std::string sha = store->get(id).value("sha256");
    CHECK(model::looksSealed(slurp(model::attachmentPath(f.dir.path, sha))));
    CHECK(model::readAttachment(*store, sha) == slurp(photo));
}

TEST_CASE("DataFolder: a wrong or missing password is refused in one sentence and writes nothing",
          "[model][keys][session]")
{
    EncryptedFolder f;
    const auto before = listing(f.dir.path);
    const std::string ring = slurp(KeyRing::path(f.dir.path));
    const std::string database = slurp(model::CaseStore::databasePath(f.dir.path));
    DataFolder folder(f.dir.path, kFast);

    SECTION("a wrong BERKAS_PASSWORD")
    {
        CHECK_THROWS_WITH(folder.unlockHeadless("", std::string("salah"), nullptr),
                          "password: BERKAS_PASSWORD does not unlock the data on this laptop for user \"siti\"");
    }
    SECTION("a wrong password typed at the terminal")
    {
        ScriptedPrompt prompt({std::string("salah")});
        CHECK_THROWS_WITH(folder.unlockHeadless("", std::nullopt, &prompt),
                          "password: does not unlock the data on this laptop for user \"siti\"");
    }
    SECTION("no BERKAS_PASSWORD and no terminal to ask on")
    {
        ScriptedPrompt prompt = noTerminal();
        CHECK_THROWS_WITH(folder.unlockHeadless("", std::nullopt, &prompt),
                          "password: the data in " + f.dir.path +
                              " is encrypted; set BERKAS_PASSWORD to the password of user \"siti\", or run the "
                              "command in a terminal to be asked for it");
        CHECK(prompt.asked == std::vector<std::string>{"siti"});
    }
    SECTION("an empty BERKAS_PASSWORD counts as none")
    {
        CHECK_THROWS_WITH(folder.unlockHeadless("", std::string(""), nullptr), Catch::Contains("set BERKAS_PASSWORD"));
    }
    SECTION("another user's name")
    {
        CHECK_THROWS_WITH(folder.unlock("budi", "sandi-siti-1"),
                          "password: does not unlock the data on this laptop for user \"budi\"");
    }
    try
    {
        folder.unlockHeadless("", std::string("salah"), nullptr);
    }
    catch (const Error& e)
    {
        CHECK(e.code() == ErrorCode::Unauthorized);
    }
    CHECK(folder.locked());
    // A locked folder opens no store: nothing can be written in plain.
    CHECK_THROWS_WITH(folder.openStore(), Catch::Contains("is encrypted and not unlocked"));
    CHECK_THROWS_AS(folder.rememberPassword("siti", "baru"), Error);
    CHECK(listing(f.dir.path) == before);
    CHECK(slurp(KeyRing::path(f.dir.path)) == ring);
    CHECK(slurp(model::CaseStore::databasePath(f.dir.path)) == database);
}

TEST_CASE("DataFolder: whose password unlocks when nobody is named", "[model][keys][session]")
{
    test::TempDir dir;
    DataFolder folder(dir.path, kFast);
    CHECK(folder.defaultUser().empty());
    CHECK(folder.peekSetting("user").empty());
    // Looking did not make a store.
    CHECK(listing(dir.path).empty());

    SECTION("the key ring's only user, when the folder stores none")
    {
        const std::string key = KeyRing(dir.path, kFast).create("ani", "sandi-ani");
        CHECK(folder.defaultUser() == "ani");
        SECTION("of several, the one who logged in last")
        {
            KeyRing(dir.path, kFast).addUser("budi", "sandi-budi", key);
            CHECK(folder.defaultUser() == "budi");
            CHECK_THROWS_WITH(folder.unlockHeadless("", std::string("sandi-ani"), nullptr),
                              Catch::Contains("for user \"budi\""));
            CHECK(folder.unlockForLogin("ani", "sandi-ani", std::nullopt, nullptr));
            CHECK(folder.defaultUser() == "ani");
            DataFolder again(dir.path, kFast);
            again.unlockHeadless("", std::string("sandi-ani"), nullptr);
            CHECK(again.unlocked());
        }
    }
    SECTION("the folder's stored user before the key ring's")
    {
        {
            model::StoreOptions o;
            o.dataDir = dir.path;
            model::CaseStore store(o);
            store.setUser("siti");
            store.setSetting("server_url", "https://kantor.example");
        }
        KeyRing(dir.path, kFast).create("ani", "sandi-ani");
        CHECK(folder.defaultUser() == "siti");
        CHECK(folder.peekSetting("server_url") == "https://kantor.example");
    }
}

TEST_CASE("DataFolder: login adds or refreshes the user's wrap once the password is accepted",
          "[model][keys][session]")
{
    EncryptedFolder f;
    DataFolder folder(f.dir.path, kFast);

    SECTION("the typed password unlocks: its wrap is current")
    {
        ScriptedPrompt prompt({});
        CHECK(folder.unlockForLogin("siti", "sandi-siti-1", std::nullopt, &prompt));
        CHECK(prompt.asked.empty());
        CHECK(folder.storeOptions().dataKey == f.key);
    }
    SECTION("a password changed at the central office: the old one from BERKAS_PASSWORD opens, the new one is kept")
    {
        CHECK_FALSE(folder.unlockForLogin("siti", "sandi-siti-2", std::string("sandi-siti-1"), nullptr));
        CHECK(folder.storeOptions().dataKey == f.key);
        folder.rememberPassword("siti", "sandi-siti-2");
        CHECK(KeyRing(f.dir.path).unlock("siti", "sandi-siti-2") == f.key);
        CHECK_THROWS_AS(KeyRing(f.dir.path).unlock("siti", "sandi-siti-1"), Error);
    }
    SECTION("a user new to this laptop: the holder's password is asked at the terminal")
    {
        ScriptedPrompt prompt({std::string("sandi-siti-1")});
        CHECK_FALSE(folder.unlockForLogin("budi", "sandi-budi", std::nullopt, &prompt));
        CHECK(prompt.asked == std::vector<std::string>{"siti"});
        folder.rememberPassword("budi", "sandi-budi");
        CHECK(KeyRing(f.dir.path).users() == std::vector<std::string>{"budi", "siti"});
        CHECK(KeyRing(f.dir.path).unlock("budi", "sandi-budi") == f.key);
    }
    SECTION("nothing else to ask: the typed password's refusal, and nothing written")
    {
        const std::string ring = slurp(KeyRing::path(f.dir.path));
        ScriptedPrompt prompt = noTerminal();
        CHECK_THROWS_WITH(folder.unlockForLogin("budi", "sandi-budi", std::nullopt, &prompt),
                          "password: does not unlock the data on this laptop for user \"budi\"");
        CHECK_THROWS_WITH(folder.unlockForLogin("siti", "salah", std::nullopt, nullptr),
                          "password: does not unlock the data on this laptop for user \"siti\"");
        CHECK(folder.locked());
        CHECK(slurp(KeyRing::path(f.dir.path)) == ring);
    }
}

TEST_CASE("DataFolder: removing a user takes their key away and leaves the others' working", "[model][keys][session]")
{
    EncryptedFolder f;
    KeyRing(f.dir.path, kFast).addUser("budi", "sandi-budi", f.key);
    const std::string ring = slurp(KeyRing::path(f.dir.path));
    DataFolder folder(f.dir.path, kFast);
    CHECK(folder.users() == std::vector<std::string>{"budi", "siti"});

    SECTION("locked: nothing is removed")
    {
        CHECK_THROWS_WITH(folder.removeUser("budi"), Catch::Contains("is locked; unlock it first"));
        CHECK(slurp(KeyRing::path(f.dir.path)) == ring);
    }
    SECTION("unlocked by siti, budi is removed: his password no longer unlocks, hers does, the data key is the same")
    {
        folder.unlock("siti", "sandi-siti-1");
        folder.removeUser("budi");
        CHECK(folder.users() == std::vector<std::string>{"siti"});
        DataFolder again(f.dir.path, kFast);
        CHECK_THROWS_WITH(again.unlock("budi", "sandi-budi"),
                          "password: does not unlock the data on this laptop for user \"budi\"");
        again.unlock("siti", "sandi-siti-1");
        CHECK(again.storeOptions().dataKey == f.key);
        // The data was not re-encrypted: the store opens with the same key.
        CHECK(again.openStore()->user() == "siti");
        CHECK(KeyRing(f.dir.path).lastUser() == "siti");
    }
    SECTION("refused, nothing written: unknown, the enrolled user, the last user")
    {
        folder.unlock("budi", "sandi-budi");
        CHECK_THROWS_WITH(folder.removeUser("ayu"), "user: \"ayu\" cannot unlock this laptop; nothing to remove");
        CHECK_THROWS_WITH(folder.removeUser("siti"), Catch::StartsWith("user: this laptop is enrolled for \"siti\""));
        CHECK(slurp(KeyRing::path(f.dir.path)) == ring);
    }
    SECTION("the last user of a laptop that is enrolled for nobody is not removed")
    {
        test::TempDir dir;
        const std::string key = KeyRing(dir.path, kFast).create("ayu", "sandi-ayu");
        DataFolder lone(dir.path, kFast);
        lone.unlock("ayu", "sandi-ayu");
        CHECK_THROWS_WITH(lone.removeUser("ayu"), Catch::Contains("is the only user who can unlock this laptop"));
        CHECK(KeyRing(dir.path).unlock("ayu", "sandi-ayu") == key);
    }
}
