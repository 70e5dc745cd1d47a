#pragma once

#include <string>

namespace berkas::model {

class CaseStore;

/// The lowercase hex SHA-256 of a file's bytes. Throws Error(Storage) when it
/// cannot be read.
std::string sha256OfFile(const std::string& path);

/// Where the bytes of an attachment live: DATA/attachments/ab/abcdef... (by
/// SHA-256, so the same file attached twice is stored once).
std::string attachmentPath(const std::string& dataDir, const std::string& sha256);

/// The data folder of a store (the folder of its database file).
std::string dataDirOf(CaseStore& store);

/// Copies @p filePath into the data folder by its SHA-256 and creates an
/// attachment record under @p parentId (name, mime guessed from the extension,
/// size, sha256). Returns the attachment's id. Throws Error(Storage) when the
/// file cannot be read or copied, the store's errors otherwise.
///
/// When the store was opened with a data key (StoreOptions::dataKey), the
/// stored copy is encrypted with it (AES-256-GCM, a random nonce per file,
/// see sealBytes()); the name stays the SHA-256 of the plaintext.
std::string addAttachment(CaseStore& store, const std::string& parentId, const std::string& filePath);

/// The plaintext bytes of the stored attachment @p sha256, decrypted with the
/// store's data key when the file is encrypted. Throws Error(NotFound) when
/// missing, Error(Storage) when encrypted and the store has no key or the
/// file does not authenticate.
std::string readAttachment(CaseStore& store, const std::string& sha256);

} // namespace berkas::model
