#pragma once

#include "model/CaseStore.h"
#include "model/KeyRing.h"

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

} // namespace berkas::bench
