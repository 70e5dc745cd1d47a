#pragma once

#include "model/Uuid.h"

#include <Poco/Path.h>

#include <string>

namespace berkas::test {

/// A path in the temporary folder that no other test process uses: ctest
/// runs test cases in parallel processes, and a process id (which
/// Poco::TemporaryFile::tempName() is built from) is reused over a long run.
inline std::string uniqueTempPath(const std::string& tag = "test")
{
    return Poco::Path::temp() + "berkas-" + tag + "-" + model::newUuidV7();
}

} // namespace berkas::test
