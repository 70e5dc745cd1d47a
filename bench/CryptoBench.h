#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>

namespace berkas::bench {

/// `crypto-at-rest`: the cost of encrypting the laptop's data.
///
/// Store: @p creates application creates, each one transaction writing the
/// row, one outbox row per field and one audit row (the shape of
/// CaseStore::create), then @p searches name-prefix searches and as many NIK
/// look-ups, run by the SQLCipher shell (Debian's `sqlcipher`) on a keyed
/// database (PRAGMA key, raw 256-bit key: no KDF at open) and on an unkeyed
/// one, and by Debian's `sqlite3` shell for reference. Each phase is one
/// process, so the times include one process start (a few ms). Ratios are
/// keyed / unkeyed on the same engine: the price of the encryption itself.
///
/// Keys: the time of one PBKDF2-HMAC-SHA256 unwrap at KeyRing::kIterations
/// (paid once per unlock: each headless command, each window login), and
/// AES-256-GCM sealing and opening throughput of a 5 MB photo.
Poco::JSON::Object::Ptr benchCryptoAtRest(std::int64_t creates = 20000, int searches = 200);

} // namespace berkas::bench
