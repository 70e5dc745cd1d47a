#pragma once

#include "tests/support/TempPath.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <string>

namespace berkas::test {

/// A fresh folder under the system temp dir, removed with everything in it
/// when the test ends.
struct TempDir
{
    explicit TempDir(const std::string& tag = "test") : path(uniqueTempPath(tag))
    {
        Poco::File(path).createDirectories();
    }
    ~TempDir()
    {
        try
        {
            Poco::File(path).remove(true);
        }
        catch (...)
        {
        }
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return Poco::Path(path).append(name).toString(); }

    std::string path;
};

} // namespace berkas::test
