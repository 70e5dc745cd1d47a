#include "sync/server/FileVault.h"

#include "model/Error.h"
#include "model/Sha256.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

namespace berkas::sync {

namespace {

/// Appends to part files take turns: two laptops uploading the same photo
/// (attached on both) must not interleave, whether their requests reach one
/// server process or two sharing the folder behind a load balancer. In the
/// process a mutex; between processes flock(2) on DIR/parts/.lock, a file
/// never removed (a lock on a file that can be unlinked and made again
/// would let two holders in). Closing the descriptor releases the lock.
class AppendLock
{
public:
    explicit AppendLock(const std::string& partsDir) : m_guard(mutex())
    {
        Poco::File(partsDir).createDirectories();
        const std::string path = Poco::Path(partsDir).makeDirectory().setFileName(".lock").toString();
        m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (m_fd < 0)
            throw Error(ErrorCode::Storage, "files: cannot open " + path + ": " + std::strerror(errno));
        while (::flock(m_fd, LOCK_EX) != 0)
            if (errno != EINTR)
            {
                const int e = errno;
                ::close(m_fd);
                throw Error(ErrorCode::Storage, "files: cannot lock " + path + ": " + std::strerror(e));
            }
    }
    ~AppendLock() { ::close(m_fd); }
    AppendLock(const AppendLock&) = delete;
    AppendLock& operator=(const AppendLock&) = delete;

private:
    static std::mutex& mutex()
    {
        static std::mutex m;
        return m;
    }
    std::lock_guard<std::mutex> m_guard;
    int m_fd = -1;
};

/// The SHA-256 of each part file's bytes so far, kept while its upload goes
/// on (under AppendLock), so the last chunk needs no read-back of the file.
/// A part without one here (after a restart), or whose size is not what this
/// process last saw (another process appended), is hashed from disk once.
struct RunningHash
{
    std::int64_t bytes = 0;
    std::unique_ptr<model::Sha256> hash;
};
std::map<std::string, RunningHash>& runningHashes()
{
    static std::map<std::string, RunningHash> m;
    return m;
}

std::int64_t sizeOf(const std::string& path)
{
    try
    {
        Poco::File f(path);
        return f.exists() ? static_cast<std::int64_t>(f.getSize()) : -1;
    }
    catch (const Poco::Exception&)
    {
        return -1;
    }
}

void hashFile(const std::string& path, model::Sha256& hash)
{
    std::ifstream in(path, std::ios::binary);
    std::string buffer(1024 * 1024, '\0');
    while (in)
    {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
}

} // namespace

FileVault::FileVault(std::string dir) : m_dir(std::move(dir))
{
}

std::string FileVault::completePath(const std::string& sha256) const
{
    return Poco::Path(m_dir).makeDirectory().pushDirectory(sha256.substr(0, 2)).setFileName(sha256).toString();
}

std::string FileVault::partPath(const std::string& sha256) const
{
    return Poco::Path(m_dir).makeDirectory().pushDirectory("parts").setFileName(sha256 + ".part").toString();
}

FileVault::State FileVault::state(const std::string& sha256) const
{
    State s;
    if (const std::int64_t size = sizeOf(completePath(sha256)); size >= 0)
    {
        s.complete = true;
        s.received = size;
        return s;
    }
    s.received = std::max<std::int64_t>(0, sizeOf(partPath(sha256)));
    return s;
}

FileVault::Written FileVault::write(const std::string& sha256, std::int64_t size, std::int64_t offset,
                                    const std::string& bytes, const std::string& chunkSha256)
{
    const std::string chunkHash = sha256Of(bytes);
    if (chunkHash != chunkSha256)
        return Written::ChunkCorrupt;
    // A file in one chunk (a photo) is checked against its name by the
    // chunk's own hash: one pass over its bytes, not two.
    const bool oneChunk = offset == 0 && static_cast<std::int64_t>(bytes.size()) == size;
    const std::string part = partPath(sha256);
    const AppendLock lock(Poco::Path(part).parent().toString());
    const State now = state(sha256);
    if (now.complete)
        return Written::AlreadyThere;
    if (offset != now.received || offset + static_cast<std::int64_t>(bytes.size()) > size)
        return Written::OffsetMismatch;
    try
    {
        Poco::File(Poco::Path(part).parent()).createDirectories();
        std::ofstream out(part, std::ios::binary | std::ios::app);
        // In pieces of 1 MiB: one write of a whole 5 MB chunk into new
        // page-cache pages took two to three times as long here.
        constexpr std::size_t kPiece = 1024 * 1024;
        for (std::size_t at = 0; at < bytes.size(); at += kPiece)
            out.write(bytes.data() + at, static_cast<std::streamsize>(std::min(kPiece, bytes.size() - at)));
        out.close();
        if (!out)
            throw Error(ErrorCode::Storage, "files: cannot write " + part);
        RunningHash& running = runningHashes()[sha256];
        if (oneChunk)
            running.hash.reset(); // the chunk's hash is the file's
        else if (!running.hash || running.bytes != offset)
        {
            running.hash = std::make_unique<model::Sha256>();
            hashFile(part, *running.hash); // includes this chunk
        }
        else
            running.hash->update(bytes);
        running.bytes = offset + static_cast<std::int64_t>(bytes.size());
        if (running.bytes < size)
            return Written::Accepted;
        const std::string whole = oneChunk ? chunkHash : running.hash->hex();
        runningHashes().erase(sha256);
        if (whole != sha256)
        {
            Poco::File(part).remove();
            return Written::FileCorrupt;
        }
        const std::string target = completePath(sha256);
        Poco::File(Poco::Path(target).parent()).createDirectories();
        Poco::File(part).renameTo(target);
        return Written::Completed;
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "files: cannot write " + part + ": " + e.displayText());
    }
}

std::string FileVault::read(const std::string& sha256, std::int64_t offset, std::size_t length) const
{
    std::string out;
    read(sha256, offset, length, out);
    return out;
}

void FileVault::read(const std::string& sha256, std::int64_t offset, std::size_t length, std::string& out) const
{
    std::ifstream in(completePath(sha256), std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "files: " + sha256 + " has not reached the central office yet");
    in.seekg(offset);
    out.resize(length);
    in.read(out.data(), static_cast<std::streamsize>(length));
    out.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
}

std::string FileVault::sha256Of(const std::string& bytes)
{
    return model::Sha256::of(bytes);
}

bool FileVault::isSha256(const std::string& text)
{
    if (text.size() != 64)
        return false;
    for (char c : text)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

} // namespace berkas::sync
