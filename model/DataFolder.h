#pragma once

#include "model/CaseStore.h"
#include "model/KeyRing.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace berkas::model {

/// Asks a person for a password. model/ calls it when it needs one; desktop/
/// implements it (the terminal, without echo).
class PasswordPrompt
{
public:
    virtual ~PasswordPrompt() = default;
    /// The password typed for @p user, or nothing when nobody can be asked
    /// (standard input is not a terminal).
    virtual std::optional<std::string> askPassword(const std::string& user) = 0;
};

/// A laptop's data folder, opened for work: where it is and, when its data
/// is encrypted (DATA/keys.json exists, see KeyRing), the data key unwrapped
/// with one user's password. Every CaseStore on the folder is made from
/// storeOptions(), so each one gets the key.
///
/// A folder without a key ring needs nothing: storeOptions() works at once
/// and nothing asks for a password. That is a laptop until its first
/// enrolment or login (encrypt()), and one that only works locally.
///
/// The data key lives only in memory and is overwritten when the DataFolder
/// goes (each CaseStore overwrites its own copy). Unlocking is not
/// thread-safe; once unlocked, the const members may be used from any thread.
class DataFolder
{
public:
    /// The environment variable a command without a window takes the password from.
    static constexpr const char* kPasswordVariable = "BERKAS_PASSWORD";

    /// @p keyIterations: PBKDF2 work factor of the wraps rememberPassword()
    /// writes (tests lower it).
    explicit DataFolder(std::string path, unsigned keyIterations = KeyRing::kIterations);
    ~DataFolder();
    DataFolder(const DataFolder&) = delete;
    DataFolder& operator=(const DataFolder&) = delete;

    const std::string& path() const { return m_path; }
    /// True when DATA/keys.json exists: the store needs the data key.
    bool encrypted() const;
    /// True once the data key is known (never for a folder that is not encrypted).
    bool unlocked() const { return !m_key.empty(); }
    /// Encrypted and not unlocked yet: storeOptions() refuses.
    bool locked() const { return !unlocked() && encrypted(); }

    /// One stored setting of the folder (CaseStore::setting), read without
    /// opening the store: nothing is created, migrated or written. For what
    /// must be known before unlocking (whose password, which server). ""
    /// when the folder has no database yet or it cannot be read.
    std::string peekSetting(const std::string& key) const;

    /// Whose password unlocks when nobody is named: the folder's stored user
    /// (the last one to enroll or log in), else the key ring's only user; ""
    /// when neither tells.
    std::string defaultUser() const;

    /// Unwraps the data key with @p user's password. Throws
    /// Error(Unauthorized) "password: does not unlock the data on this laptop
    /// for user ..." when the password is wrong or @p user has no wrap, and
    /// Error(Storage) when keys.json is unreadable. Writes nothing. Does
    /// nothing on a folder that is not encrypted.
    void unlock(const std::string& user, const std::string& password);

    /// The rule of a command without a window (DESIGN.md): the password of
    /// @p user (empty: defaultUser()) is @p fromEnvironment (BERKAS_PASSWORD)
    /// when set, else what @p prompt asks for. Throws Error(Unauthorized) in
    /// one sentence naming BERKAS_PASSWORD when neither gives one or the
    /// environment's password is wrong, as unlock() when the typed one is.
    /// Asks nothing and does nothing on a folder that is not encrypted.
    void unlockHeadless(std::string user, const std::optional<std::string>& fromEnvironment, PasswordPrompt* prompt);

    /// For login and enroll, which read @p user's @p password themselves: it
    /// unlocks when it can. When it cannot (a user new to this laptop, or a
    /// password changed at the central office), the folder is unlocked as
    /// unlockHeadless() does for defaultUser(), the one who holds the key
    /// now, so that rememberPassword() can add the new password once the
    /// central office accepts it. Without such a second password, throws the
    /// refusal of @p password. Returns true when @p password itself unlocked
    /// (its wrap is current). Nothing on a folder that is not encrypted
    /// (returns true).
    bool unlockForLogin(const std::string& user, const std::string& password,
                        const std::optional<std::string>& fromEnvironment, PasswordPrompt* prompt);

    /// After @p password was accepted for @p user (by the central office, or
    /// offline by the laptop's last good password): adds @p user's wrap of
    /// the data key, or replaces it, so that this password unlocks the folder
    /// from now on. Nothing on a folder that is not encrypted; throws
    /// Error(Unauthorized) while it is locked.
    void rememberPassword(const std::string& user, const std::string& password);

    /// The users whose password unlocks this folder (their wraps of the data
    /// key), sorted; empty when it is not encrypted.
    std::vector<std::string> users() const;

    /// Takes @p user's wrap of the data key away, so that their password no
    /// longer unlocks this folder; the data is not re-encrypted and the others
    /// still unlock. Needs the folder unlocked (by an enrolled user's
    /// password). Refuses, changing nothing: a user holding no wrap
    /// (NotFound), the user this laptop is enrolled for, and the last user
    /// (the data would become unreadable) (InvalidData), each naming "user".
    void removeUser(const std::string& user);

    /// After @p password was accepted for @p user at enrolment or login, on a
    /// folder that is not encrypted yet (a new laptop, or one from before
    /// encryption): makes the random data key, wraps it for @p user
    /// (KeyRing::create) and encrypts the database and the attachment files
    /// in place. No store may be open on the folder. Nothing when the folder
    /// is encrypted already.
    void encrypt(const std::string& user, const std::string& password);

    /// Store settings for the folder, with the data key when encrypted.
    /// Throws Error(Unauthorized) while locked, so that nothing is written
    /// in plain into an encrypted folder.
    StoreOptions storeOptions() const;
    /// A new store on the folder; one per thread, as CaseStore requires.
    std::unique_ptr<CaseStore> openStore() const;

private:
    std::string m_path;
    unsigned m_keyIterations;
    std::string m_key;
};

} // namespace berkas::model
