#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace berkas::sync {

/// At most a number of requests per client address within a sliding window
/// (the public status page: limits.status_per_minute lookups a minute).
/// Thread-safe. Memory stays bounded: an address keeps at most the newest
/// limit times, addresses idle for a whole window are forgotten when many
/// are held, and a flood of distinct addresses beyond @p maxAddresses
/// forgets them all rather than grow.
///
/// Scenario: the limit is 20 a minute. A phone looks up its file at 10:00:00
/// and 19 more times by 10:00:30; its 21st lookup at 10:00:40 waits 20
/// seconds (until the first is a minute old), and the phones of other
/// addresses are not held back.
class AddressRateLimit
{
public:
    /// @p limit requests per @p windowSeconds; a limit of 0 or less refuses every request.
    AddressRateLimit(int limit, int windowSeconds, std::size_t maxAddresses = 100000);

    /// Counts a request from @p address at @p nowMs (Unix milliseconds) when
    /// it is within the limit and returns 0; otherwise counts nothing and
    /// returns the seconds until one more would be allowed (at least 1).
    int take(const std::string& address, std::int64_t nowMs);

private:
    const int m_limit;
    const std::int64_t m_windowMs;
    const std::size_t m_maxAddresses;
    std::mutex m_mutex;
    std::map<std::string, std::deque<std::int64_t>>
        m_times; ///< per address, its recent request times, oldest first
};

} // namespace berkas::sync
