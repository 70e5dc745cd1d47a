#include "model/DurableFile.h"

#include "model/Error.h"

#include <Poco/Path.h>

#include <fcntl.h>
#include <unistd.h>

namespace berkas::model {

void syncFolder(const std::string& folder)
{
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0)
    {
        ::fsync(dir);
        ::close(dir);
    }
}

void syncFileAndFolder(const std::string& path, const std::string& what)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const bool ok = fd >= 0 && ::fsync(fd) == 0;
    if (fd >= 0)
        ::close(fd);
    if (!ok)
        throw Error(ErrorCode::Storage, what + ": cannot write " + path);
    syncFolder(Poco::Path(path).parent().toString());
}

void writeFileDurably(const std::string& path, const std::string& bytes, const std::string& what, unsigned mode)
{
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    bool ok = fd >= 0;
    for (std::size_t done = 0; ok && done < bytes.size();)
    {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        ok = n > 0;
        done += ok ? static_cast<std::size_t>(n) : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    if (fd >= 0)
        ok = ::close(fd) == 0 && ok;
    ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
    if (!ok)
    {
        ::unlink(tmp.c_str());
        throw Error(ErrorCode::Storage, what + ": cannot write " + path);
    }
    syncFolder(Poco::Path(path).parent().toString());
}

} // namespace berkas::model
