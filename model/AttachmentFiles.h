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
std::string addAttachment(CaseStore& store, const std::string& parentId, const std::string& filePath);

} // namespace berkas::model
