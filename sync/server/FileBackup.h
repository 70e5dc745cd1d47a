#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace berkas::sync {

/// Attachment files kept with a backup of the central office's database
/// (sync/server/README.md, "Backup and restore"). Complete files are named by
/// their SHA-256 and never change (FileVault.h), so a copy is only ever
/// added to: one folder can serve every night's backup, each night copying
/// only the files that arrived since.
struct FileCopy
{
    std::int64_t copied = 0;           ///< files written to the target folder
    std::int64_t alreadyThere = 0;     ///< files the target folder held, left as they were
    std::int64_t bytes = 0;            ///< bytes copied
    std::vector<std::string> damaged;  ///< source files whose bytes do not match their name; not copied
};

/// Copies each complete file of the file folder @p from (DIR/ab/abcdef...;
/// part files of unfinished uploads are left out) that @p to lacks, checking
/// its SHA-256 against its name as it streams: to a temporary file in @p to,
/// fsynced and renamed, so a file in @p to is whole and right or not there.
/// A missing @p from copies nothing. Throws Error(Storage) naming the path
/// when a file cannot be read or written.
FileCopy copyMissingFiles(const std::string& from, const std::string& to);

/// The folder kept beside the backup @p backupFile when no other is named:
/// @p backupFile + ".files".
std::string defaultBackupFileDir(const std::string& backupFile);

} // namespace berkas::sync
