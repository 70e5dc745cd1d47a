#include "model/DataFolder.h"

#include "model/Database.h"
#include "model/Error.h"

#include <Poco/File.h>

#include <algorithm>
#include <utility>

namespace berkas::model {

namespace {

/// A password typed at a prompt, overwritten when it is no longer needed.
struct TypedPassword
{
    std::optional<std::string> text;
    ~TypedPassword()
    {
        if (text)
            wipeSecret(*text);
    }
};

} // namespace

DataFolder::DataFolder(std::string path, unsigned keyIterations)
    : m_path(std::move(path)), m_keyIterations(keyIterations)
{
}

DataFolder::~DataFolder()
{
    wipeSecret(m_key);
}

bool DataFolder::encrypted() const
{
    return KeyRing(m_path).exists();
}

std::string DataFolder::peekSetting(const std::string& key) const
{
    const std::string file = CaseStore::databasePath(m_path);
    if (!Poco::File(file).exists())
        return "";
    try
    {
        Database db(file, true);
        Statement s(db, "SELECT value FROM meta WHERE key = ?");
        s.bind(1, key);
        return s.step() ? s.text(0) : "";
    }
    catch (const Error&)
    {
        // Not readable without the key (an encrypted database) or not ours:
        // the caller falls back as for a folder that does not say.
        return "";
    }
}

std::string DataFolder::defaultUser() const
{
    if (std::string stored = peekSetting("user"); !stored.empty())
        return stored;
    if (encrypted())
    {
        // The database is encrypted too: the key ring tells.
        const KeyRing ring(m_path);
        if (std::string last = ring.lastUser(); !last.empty())
            return last;
        if (const auto users = ring.users(); users.size() == 1)
            return users.front();
    }
    return "";
}

void DataFolder::unlock(const std::string& user, const std::string& password)
{
    if (!encrypted())
        return;
    std::string key = KeyRing(m_path, m_keyIterations).unlock(user, password);
    wipeSecret(m_key);
    m_key = std::move(key);
}

void DataFolder::unlockHeadless(std::string user, const std::optional<std::string>& fromEnvironment,
                                PasswordPrompt* prompt)
{
    if (!encrypted())
        return;
    if (user.empty())
        user = defaultUser();
    if (user.empty())
        throw Error(ErrorCode::Unauthorized, "user: the data in " + m_path +
                                                 " is encrypted and no user is stored to unlock it; run: berkas "
                                                 "login --user=NAME");
    if (fromEnvironment && !fromEnvironment->empty())
    {
        try
        {
            unlock(user, *fromEnvironment);
        }
        catch (const Error& e)
        {
            if (e.code() != ErrorCode::Unauthorized)
                throw;
            throw Error(ErrorCode::Unauthorized, std::string("password: ") + kPasswordVariable +
                                                     " does not unlock the data on this laptop for user \"" + user +
                                                     "\"");
        }
        return;
    }
    TypedPassword typed;
    if (prompt)
        typed.text = prompt->askPassword(user);
    if (!typed.text)
        throw Error(ErrorCode::Unauthorized, "password: the data in " + m_path + " is encrypted; set " +
                                                 kPasswordVariable + " to the password of user \"" + user +
                                                 "\", or run the command in a terminal to be asked for it");
    unlock(user, *typed.text);
}

bool DataFolder::unlockForLogin(const std::string& user, const std::string& password,
                                const std::optional<std::string>& fromEnvironment, PasswordPrompt* prompt)
{
    if (!encrypted())
        return true;
    try
    {
        unlock(user, password);
        // Whose password the next command without a user name asks for.
        KeyRing(m_path, m_keyIterations).setLastUser(user);
        return true;
    }
    catch (const Error& refused)
    {
        if (refused.code() != ErrorCode::Unauthorized)
            throw;
        // Scenario: siti's password was changed at the central office, so
        // her new one does not open the wrap made with the old one; with the
        // old one in BERKAS_PASSWORD (or typed when asked) the folder opens,
        // and the new wrap is written once the central office accepts the
        // new password.
        const std::string holder = defaultUser();
        const bool canAsk = (fromEnvironment && !fromEnvironment->empty()) || prompt;
        if (holder.empty() || !canAsk)
            throw;
        if (fromEnvironment && !fromEnvironment->empty())
        {
            unlockHeadless(holder, fromEnvironment, nullptr);
            return false;
        }
        TypedPassword typed;
        typed.text = prompt->askPassword(holder);
        if (!typed.text)
            throw;
        unlock(holder, *typed.text);
        return false;
    }
}

void DataFolder::encrypt(const std::string& user, const std::string& password)
{
    if (encrypted())
        return;
    std::string key = KeyRing(m_path, m_keyIterations).create(user, password);
    wipeSecret(m_key);
    m_key = std::move(key);
    // A store opened with the key encrypts the database and the attachments
    // in place (encryptDataFolder); a crash before it is done leaves the key
    // ring and a plain database, which the next unlock finishes.
    openStore();
}

void DataFolder::rememberPassword(const std::string& user, const std::string& password)
{
    if (!encrypted())
        return;
    if (!unlocked())
        throw Error(ErrorCode::Unauthorized, "keys: the data in " + m_path + " is locked; unlock it first");
    KeyRing(m_path, m_keyIterations).addUser(user, password, m_key);
}

std::vector<std::string> DataFolder::users() const
{
    if (!encrypted())
        return {};
    return KeyRing(m_path).users();
}

void DataFolder::removeUser(const std::string& user)
{
    if (!encrypted())
        throw Error(ErrorCode::InvalidData, "user: the data in " + m_path + " is not encrypted; no user holds a key");
    if (!unlocked())
        throw Error(ErrorCode::Unauthorized, "keys: the data in " + m_path + " is locked; unlock it first");
    KeyRing ring(m_path, m_keyIterations);
    const auto holders = ring.users();
    if (std::find(holders.begin(), holders.end(), user) == holders.end())
        throw Error(ErrorCode::NotFound, "user: \"" + user + "\" cannot unlock this laptop; nothing to remove");
    if (peekSetting("user") == user)
        throw Error(ErrorCode::InvalidData, "user: this laptop is enrolled for \"" + user +
                                                "\"; enroll it for another user before removing this one");
    if (holders.size() == 1)
        throw Error(ErrorCode::InvalidData, "user: \"" + user +
                                                "\" is the only user who can unlock this laptop; removing them "
                                                "would leave its data unreadable");
    ring.removeUser(user);
}

StoreOptions DataFolder::storeOptions() const
{
    if (locked())
        throw Error(ErrorCode::Unauthorized, "password: the data in " + m_path + " is encrypted and not unlocked");
    StoreOptions o;
    o.dataDir = m_path;
    o.dataKey = m_key;
    return o;
}

std::unique_ptr<CaseStore> DataFolder::openStore() const
{
    return std::make_unique<CaseStore>(storeOptions());
}

} // namespace berkas::model
