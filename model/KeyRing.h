#pragma once

#include <string>
#include <vector>

namespace berkas::model {

/// The laptop's encryption keys at rest: one random 256-bit data key that
/// encrypts the data (attachment files; the database once the store runs on
/// SQLCipher), kept only wrapped, once per enrolled user, in DATA/keys.json:
///
///     {"version":1,"kdf":"pbkdf2-hmac-sha256","cipher":"aes-256-gcm",
///      "users":{"siti":{"salt":B64,"iterations":600000,"nonce":B64,
///                       "wrapped_key":B64,"tag":B64}},
///      "last_user":"siti"}
///
/// Each wrap is AES-256-GCM under a key derived from that user's password
/// with PBKDF2-HMAC-SHA256 (kIterations, 16-byte random salt, OWASP 2023),
/// with the user name as associated data, so a wrap cannot be moved to
/// another user. Any enrolled user unlocks offline with their own password;
/// the file holds nothing that opens the data without one. Writes are atomic
/// (temporary file, fsync, rename). Not thread-safe; cheap to construct.
class KeyRing
{
public:
    static constexpr unsigned kIterations = 600000;
    static constexpr std::size_t kKeyBytes = 32;

    /// @p iterations: PBKDF2 work factor for new wraps (tests lower it).
    explicit KeyRing(std::string dataDir, unsigned iterations = kIterations);

    /// DATA/keys.json.
    static std::string path(const std::string& dataDir);
    bool exists() const;
    /// The users holding a wrap, sorted.
    std::vector<std::string> users() const;
    /// The user whose wrap was made last (create, addUser): whose password
    /// unlocks when nobody is named, while the database cannot be read. ""
    /// when unknown.
    std::string lastUser() const;
    /// Records @p user as the one who logged in last (a user holding a wrap).
    void setLastUser(const std::string& user);

    /// Makes a new random data key, wraps it for @p user and writes keys.json.
    /// Returns the data key (32 raw bytes). Throws Error(Conflict) when a key
    /// ring already exists (its data would become unreadable).
    std::string create(const std::string& user, const std::string& password);

    /// The data key, unwrapped with @p user's password. Throws
    /// Error(Unauthorized) naming no secret when the user has no wrap or the
    /// password is wrong, Error(Storage) when keys.json is unreadable.
    std::string unlock(const std::string& user, const std::string& password) const;

    /// Adds or replaces @p user's wrap of @p dataKey (after a login or a
    /// password change).
    void addUser(const std::string& user, const std::string& password, const std::string& dataKey);

    /// Removes @p user's wrap; the others still unlock.
    void removeUser(const std::string& user);

private:
    std::string m_dataDir;
    unsigned m_iterations;
};

/// @p n cryptographically random bytes (OpenSSL RAND_bytes).
std::string randomBytes(std::size_t n);

/// AES-256-GCM: "BKS1" + 12-byte random nonce + ciphertext + 16-byte tag,
/// with the magic as associated data. @p key is 32 raw bytes.
std::string sealBytes(const std::string& key, const std::string& plaintext);

/// The plaintext of sealBytes(); throws Error(Storage) when @p sealed is not
/// ours, truncated, tampered with or sealed under another key.
std::string openSealedBytes(const std::string& key, const std::string& sealed);

/// True when @p bytes start like sealBytes() output.
bool looksSealed(const std::string& bytes);

/// Overwrites @p secret's bytes (in a way the compiler cannot drop) and
/// empties it: for keys and passwords before their memory is freed.
void wipeSecret(std::string& secret);

} // namespace berkas::model
