#pragma once

#include <string>

namespace berkas::model {

/// Replaces @p path with @p bytes so that a crash at any moment leaves the
/// old file or the new one, never part of one: a temporary file beside it,
/// fsync, rename, fsync of the folder. @p mode: permissions of a new file.
/// Throws Error(Storage) naming @p what and the path.
void writeFileDurably(const std::string& path, const std::string& bytes, const std::string& what,
                      unsigned mode = 0600);

/// fsync of a file, then of its folder: what rename() needs after it.
/// Throws Error(Storage) naming @p what when the file cannot be synced.
void syncFileAndFolder(const std::string& path, const std::string& what);

/// fsync of a folder (after a rename or an unlink in it); best effort.
void syncFolder(const std::string& folder);

} // namespace berkas::model
