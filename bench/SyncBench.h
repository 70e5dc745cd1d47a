#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace berkas::bench {

/// Figures of the sync engine over a real server on 127.0.0.1 (in process,
/// SQLite files in a temporary folder). Each returns a JSON object.

/// `sync-pull`: a fresh laptop pulls @p records applications; records/s and
/// the ratio to raw SQLite inserts of the same rows in the same run.
Poco::JSON::Object::Ptr benchSyncPull(std::int64_t records, bool asClerk = false);

/// `sync-incremental`: 10 changed records pulled by a laptop already holding
/// @p small and then @p large records; both times and their ratio, plus the
/// time to pull 1,000 changed records.
Poco::JSON::Object::Ptr benchSyncIncremental(std::int64_t small, std::int64_t large, bool asClerk = false);

/// `sync-push`: @p edits offline edits pushed; changes/s.
Poco::JSON::Object::Ptr benchSyncPush(std::int64_t edits);

/// `wire-bytes`: bytes on the wire (gzip bodies) per single-field change in
/// a batch of 100, for the push and for the pull.
Poco::JSON::Object::Ptr benchWireBytes();

} // namespace berkas::bench
