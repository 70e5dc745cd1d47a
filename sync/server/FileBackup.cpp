#include "sync/server/FileBackup.h"

#include "model/DurableFile.h"
#include "model/Error.h"
#include "model/Sha256.h"
#include "sync/server/FileVault.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdio>
#include <fstream>

namespace berkas::sync {

namespace {

/// Streams @p source to @p partial with a running SHA-256; true when the
/// bytes match @p sha256 (the file's name).
bool copyChecked(const std::string& source, const std::string& partial, const std::string& sha256,
                 std::int64_t& bytes)
{
    std::ifstream in(source, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "files: cannot read " + source);
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error(ErrorCode::Storage, "files: cannot write " + partial);
    model::Sha256 hash;
    std::string buffer(1 << 20, '\0');
    while (in)
    {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        hash.update(buffer.data(), n);
        out.write(buffer.data(), static_cast<std::streamsize>(n));
        bytes += static_cast<std::int64_t>(n);
    }
    if (in.bad())
        throw Error(ErrorCode::Storage, "files: cannot read " + source);
    out.close();
    if (!out)
        throw Error(ErrorCode::Storage, "files: cannot write " + partial);
    return hash.hex() == sha256;
}

} // namespace

FileCopy copyMissingFiles(const std::string& from, const std::string& to)
{
    FileCopy result;
    const FileVault source(from);
    const FileVault target(to);
    try
    {
        if (!Poco::File(from).exists())
            return result;
        for (Poco::DirectoryIterator shelf(from), end; shelf != end; ++shelf)
        {
            // DIR/ab/ holds the complete files whose SHA-256 starts with ab;
            // DIR/parts/ the unfinished uploads, which a backup leaves out.
            if (!shelf->isDirectory() || shelf.name().size() != 2)
                continue;
            for (Poco::DirectoryIterator it(shelf.path()); it != end; ++it)
            {
                const std::string sha = it.name();
                if (!FileVault::isSha256(sha) || sha.compare(0, 2, shelf.name()) != 0 || !it->isFile())
                    continue;
                const std::string dest = target.completePath(sha);
                if (Poco::File(dest).exists())
                {
                    ++result.alreadyThere;
                    continue;
                }
                Poco::File(Poco::Path(dest).parent()).createDirectories();
                const std::string partial = dest + ".partial";
                std::int64_t bytes = 0;
                if (!copyChecked(source.completePath(sha), partial, sha, bytes))
                {
                    std::remove(partial.c_str());
                    result.damaged.push_back(sha);
                    continue;
                }
                model::syncFileAndFolder(partial, "files");
                Poco::File(partial).renameTo(dest);
                model::syncFolder(Poco::Path(dest).parent().toString());
                ++result.copied;
                result.bytes += bytes;
            }
        }
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "files: cannot copy " + from + " to " + to + ": " + e.displayText());
    }
    return result;
}

std::string defaultBackupFileDir(const std::string& backupFile)
{
    return backupFile + ".files";
}

} // namespace berkas::sync
