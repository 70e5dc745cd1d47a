#pragma once

#include "sync/server/SyncServer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace berkas::sync {

/// Failed-login throttling and per-device request rates, shared by every
/// request handler of one server. Thread-safe.
///
/// Logins follow OWASP's Authentication and Credential Stuffing cheat
/// sheets: the lockout is per account, with a threshold and an observation
/// window, and the per-address limit is much higher and never locks out
/// a person who knows their password.
/// - Per user name: 5 failures within 15 minutes lock that name: every login
///   for it, right password or not, answers 429 with Retry-After until its
///   oldest failure is 15 minutes old. A successful login clears the count.
/// - Per client address: 100 failures within 15 minutes (whatever the names)
///   put the address over its limit. From then on each further failure from
///   it locks its user name at once, for 15 minutes, and answers 429 instead
///   of 401. The address itself is not blocked: a user whose password is
///   right and whose name has no recent failures still logs in.
/// Scenario: a kecamatan office of 30 clerks reaches the server through one
/// NAT address. Rina mistypes her password five times: "rina" is locked for
/// 15 minutes, her colleagues log in as usual (the old per-address lock shut
/// out the whole office). A machine in that network sprays one common
/// password over 300 names: the first 100 failures answer 401, every later
/// name it tries is locked after a single guess, so a second round of
/// passwords against the same names gets nowhere for 15 minutes, while the
/// clerks whose own names were not tried still log in.
class RequestLimits
{
public:
    explicit RequestLimits(const SyncServerOptions& options) : m_options(options) {}

    /// Seconds until a login for @p user may be tried again; 0: now.
    int loginWait(const std::string& user, std::int64_t nowMs)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        int seconds = wait(m_failures["u:" + user], nowMs, m_options.loginFailures);
        if (const auto it = m_lockedUntil.find(user); it != m_lockedUntil.end())
        {
            if (it->second > nowMs)
                seconds = std::max(seconds, static_cast<int>((it->second - nowMs + 999) / 1000));
            else
                m_lockedUntil.erase(it);
        }
        return seconds;
    }
    /// Counts a failed login. Returns the seconds @p user is now locked for
    /// because @p address was already over its limit; 0 when it was not.
    int loginFailed(const std::string& user, const std::string& address, std::int64_t nowMs)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_failures.size() > 100000 || m_lockedUntil.size() > 100000)
        {
            m_failures.clear(); // a flood of made-up names: forget rather than grow
            m_lockedUntil.clear();
        }
        auto& fromAddress = m_failures["a:" + address];
        const bool addressOver = wait(fromAddress, nowMs, m_options.loginAddressFailures) > 0;
        remember(fromAddress, nowMs, m_options.loginAddressFailures);
        remember(m_failures["u:" + user], nowMs, m_options.loginFailures);
        if (!addressOver)
            return 0;
        m_lockedUntil[user] = nowMs + windowMs();
        return m_options.loginWindowSeconds;
    }
    void loginSucceeded(const std::string& user)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_failures.erase("u:" + user);
        m_lockedUntil.erase(user);
    }
    /// Takes one request from the device's bucket; the seconds to wait when empty.
    int takeRequest(const std::string& device, std::int64_t nowMs)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto [it, fresh] = m_buckets.try_emplace(device, Bucket{m_options.requestBurst, nowMs});
        Bucket& b = it->second;
        if (!fresh)
        {
            b.tokens = std::min(m_options.requestBurst,
                                b.tokens + static_cast<double>(nowMs - b.lastMs) / 1000.0 * m_options.requestsPerSecond);
            b.lastMs = nowMs;
        }
        if (b.tokens >= 1)
        {
            b.tokens -= 1;
            return 0;
        }
        return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / m_options.requestsPerSecond)));
    }

private:
    struct Bucket
    {
        double tokens;
        std::int64_t lastMs;
    };

    std::int64_t windowMs() const { return static_cast<std::int64_t>(m_options.loginWindowSeconds) * 1000; }

    /// Adds a failure at @p nowMs, keeping only the newest @p limit: all that
    /// wait() needs, so a flood from one address takes no more memory.
    static void remember(std::deque<std::int64_t>& times, std::int64_t nowMs, int limit)
    {
        times.push_back(nowMs);
        while (static_cast<int>(times.size()) > std::max(limit, 1))
            times.pop_front();
    }

    /// Forgets failures older than the window; the seconds until fewer than
    /// @p limit remain in it (0: fewer already).
    int wait(std::deque<std::int64_t>& times, std::int64_t nowMs, int limit) const
    {
        const std::int64_t window = windowMs();
        while (!times.empty() && times.front() <= nowMs - window)
            times.pop_front();
        if (static_cast<int>(times.size()) < limit)
            return 0;
        return static_cast<int>((times[times.size() - static_cast<std::size_t>(limit)] + window - nowMs + 999) / 1000);
    }

    const SyncServerOptions& m_options;
    std::mutex m_mutex;
    std::map<std::string, std::deque<std::int64_t>> m_failures; ///< "u:NAME" and "a:ADDRESS": failure times
    std::map<std::string, std::int64_t> m_lockedUntil;          ///< user name → end of a lock set by its address
    std::map<std::string, Bucket> m_buckets;
};

} // namespace berkas::sync
