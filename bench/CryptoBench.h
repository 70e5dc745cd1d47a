#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace berkas::bench {

/// `crypto-at-rest`: what encrypting the laptop's data costs. Runs
/// store-insert, search, sync-pull and export-xlsx of @p n applications as
/// child processes of @p self (berkas-bench), @p rounds times on encrypted
/// stores and as often on plain ones (--plain), alternating which goes first,
/// and reports the median figures and the median of the rounds' ratios
/// (encrypted / plain; target at most 1.3) with each round's ratio. Also: one
/// unlock of the key ring at KeyRing::kIterations, and the sealing and
/// opening throughput of a 5 MB attachment.
Poco::JSON::Object::Ptr benchCryptoAtRest(const std::string& self, std::int64_t n, int rounds);

} // namespace berkas::bench
