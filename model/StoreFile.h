#pragma once

#include "model/Database.h"

#include <memory>
#include <string>

namespace berkas::model {

/// The store's database file in a data folder ("berkas.db"): where it is,
/// the connection settings it is used with, and opening it at the latest
/// schema version.
class StoreFile
{
public:
    /// The database file inside @p dataDir.
    static std::string path(const std::string& dataDir);

    /// The connection settings of the store's file (WAL, cache), for tools
    /// that open a comparable database. A 16 MB page cache (SQLite's default
    /// is 2 MB): with a million records the hot index pages of a sync or a
    /// search stay in memory, while an export that scans everything stays
    /// well under its 100 MB. Temporary storage stays in files: in memory,
    /// the sorts of an export over 1M applications took its peak from 67 MB
    /// to 296 MB.
    static constexpr const char* kPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;";

    /// Opens the store of @p dataDir, creating the folder and the file when
    /// missing, with kPragmas, migrated to Migrations::latest(). @p key is
    /// the data key of an encrypted laptop (KeyRing), empty for a plain one;
    /// a folder from before encryption is encrypted at its first open with
    /// a key (AtRest). Throws Error(InvalidData) for an empty @p dataDir,
    /// Error(Storage) when the folder cannot be made, Error(Unauthorized)
    /// for an encrypted file opened without a key, and leaves a file from a
    /// newer Berkas exactly as it was (Migrations throws before anything
    /// writes to it).
    static std::unique_ptr<Database> open(const std::string& dataDir, const std::string& key);
};

} // namespace berkas::model
