#pragma once

#include <string>

namespace berkas::model {

// Encryption at rest of a laptop's data folder, under the random data key
// the key ring (KeyRing) wraps for each enrolled user:
// - the database and its write-ahead log: AEGIS-256 pages through sqlite3mc,
//   keyed with the raw 32-byte data key, so no key derivation runs at open
//   (Database does the keying, Cipher says why AEGIS);
// - the attachment files: sealBytes() (AES-256-GCM), one file at a time.
// A folder made before encryption existed (plain database, plain files) is
// encrypted in place at its first unlock, and a database of release 0.1.0
// (SQLCipher 4 pages) re-encrypted with AEGIS-256: encryptDataFolder().

/// True when @p path is an SQLite database in plain: its first 16 bytes are
/// SQLite's header ("SQLite format 3"). False when missing or encrypted.
bool isPlainDatabase(const std::string& path);

/// True when @p path exists and is not a plain SQLite database.
bool isEncryptedDatabase(const std::string& path);

/// Encrypts the plain database @p path under @p key (AEGIS-256). A copy is written
/// beside it (VACUUM INTO, keyed), synced, and renamed over the plain file:
/// a crash at any moment leaves either the plain file or the finished
/// encrypted one, and the next call starts again. The plain file's log is
/// folded into it first. Throws Error(Storage) on failure, leaving @p path
/// as it was.
void encryptDatabase(const std::string& path, const std::string& key);

/// True when @p path is encrypted under @p key with SQLCipher 4's scheme
/// (release 0.1.0) rather than AEGIS-256. False for a plain, missing or
/// AEGIS file and for another key.
bool isOldCipherDatabase(const std::string& path, const std::string& key);

/// Re-encrypts @p path, under @p key with SQLCipher 4's scheme, with
/// AEGIS-256 under the same key, as encryptDatabase() does: the original
/// or the finished copy, never neither.
void reencryptDatabase(const std::string& path, const std::string& key);

/// Seals every attachment file of @p dataDir that is still plain (each
/// replaced durably on its own). Returns how many it sealed.
int sealAttachments(const std::string& dataDir, const std::string& key);

/// What a store opened with a key does first: when the folder's database is
/// plain, seals its attachments and then encrypts the database; when it is
/// encrypted with the old scheme, re-encrypts it. Returns true when it
/// encrypted something. Nothing happens for an AEGIS-256 or a new folder.
bool encryptDataFolder(const std::string& dataDir, const std::string& databasePath, const std::string& key);

} // namespace berkas::model
