#include "sync/server/AddressRateLimit.h"

#include <algorithm>

namespace berkas::sync {

AddressRateLimit::AddressRateLimit(int limit, int windowSeconds, std::size_t maxAddresses)
    : m_limit(limit), m_windowMs(static_cast<std::int64_t>(std::max(windowSeconds, 1)) * 1000),
      m_maxAddresses(maxAddresses)
{
}

int AddressRateLimit::take(const std::string& address, std::int64_t nowMs)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_limit <= 0)
        return static_cast<int>(m_windowMs / 1000);
    if (m_times.size() >= m_maxAddresses && m_times.find(address) == m_times.end()) {
        for (auto it = m_times.begin(); it != m_times.end();)
            it = it->second.empty() || it->second.back() <= nowMs - m_windowMs ? m_times.erase(it)
                                                                               : std::next(it);
        if (m_times.size() >= m_maxAddresses)
            m_times.clear(); // a flood from made-up addresses: forget rather than grow
    }
    auto& times = m_times[address];
    while (!times.empty() && times.front() <= nowMs - m_windowMs)
        times.pop_front();
    if (static_cast<int>(times.size()) < m_limit) {
        times.push_back(nowMs);
        return 0;
    }
    // The oldest of the last m_limit requests leaves the window first.
    const std::int64_t waitMs = times.front() + m_windowMs - nowMs;
    return std::max(1, static_cast<int>((waitMs + 999) / 1000));
}

} // namespace berkas::sync
