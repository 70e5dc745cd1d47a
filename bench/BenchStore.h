#pragma once

#include "model/CaseStore.h"
#include "model/KeyRing.h"
#include "model/Uuid.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdlib>
#include <string>

namespace berkas::bench {

/// The environment variable that makes every benchmark run on plain stores
/// (berkas-bench --plain sets it for itself and berkas-ui-bench).
inline constexpr const char* kPlainVariable = "BERKAS_BENCH_PLAIN";

/// The data key of the benchmarks' stores: encrypted, as on an enrolled
/// laptop, unless BERKAS_BENCH_PLAIN is set; one random key per process.
inline const std::string& benchKey()
{
    static const std::string key = std::getenv(kPlainVariable) ? std::string() : model::randomBytes(32);
    return key;
}

/// Store settings for a benchmark's data folder @p dir.
inline model::StoreOptions benchStoreOptions(const std::string& dir, const std::string& user = "bench")
{
    model::StoreOptions o;
    o.dataDir = dir;
    o.user = user;
    o.dataKey = benchKey();
    return o;
}

/// A folder of its own under the system temp dir, removed with its contents
/// at the end.
struct BenchFolder
{
    std::string path = Poco::Path::temp() + "berkas-bench-" + model::newUuidV7();
    BenchFolder() { Poco::File(path).createDirectories(); }
    ~BenchFolder()
    {
        try
        {
            Poco::File(path).remove(true);
        }
        catch (...)
        {
        }
    }
    BenchFolder(const BenchFolder&) = delete;
    BenchFolder& operator=(const BenchFolder&) = delete;
};

} // namespace berkas::bench
