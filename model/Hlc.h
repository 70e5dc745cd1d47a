#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace berkas::model {

/// A version stamp: hybrid logical clock value plus the device that made it.
/// Stamps are totally ordered by (hlc, device), the same on every replica; a
/// zero stamp means "never written".
struct Stamp
{
    std::int64_t hlc = 0;
    std::string device;

    bool isZero() const { return hlc == 0 && device.empty(); }
    bool operator==(const Stamp& o) const { return hlc == o.hlc && device == o.device; }
    bool operator!=(const Stamp& o) const { return !(*this == o); }
    bool operator<(const Stamp& o) const { return hlc < o.hlc || (hlc == o.hlc && device < o.device); }
    bool operator>(const Stamp& o) const { return o < *this; }
};

/// Hybrid logical clock (Kulkarni et al.): 48 bits of wall-clock milliseconds
/// and 16 bits of logical counter in one int64, so stamps sort as integers,
/// never go backwards even when the wall clock does, and move past every stamp
/// seen from other replicas. Not thread-safe; the store guards it.
class HybridLogicalClock
{
public:
    /// @p wallClockMs returns UNIX milliseconds (UTC); tests pass a fake one.
    explicit HybridLogicalClock(std::function<std::int64_t()> wallClockMs);

    /// A new stamp value, strictly greater than every value issued or observed.
    std::int64_t now();

    /// Folds a value seen elsewhere (a remote change, the server's clock) in.
    void observe(std::int64_t remote);

    std::int64_t last() const { return m_last; }
    void restore(std::int64_t last) { m_last = last; }

    /// Milliseconds of wall-clock time encoded in a stamp value.
    static std::int64_t physicalMs(std::int64_t hlc) { return hlc >> 16; }
    static std::int64_t fromPhysicalMs(std::int64_t ms) { return ms << 16; }

    /// The system clock in UNIX milliseconds.
    static std::int64_t systemMs();

private:
    std::function<std::int64_t()> m_wallClockMs;
    std::int64_t m_last = 0;
};

/// "0186a9f3c2b40001@device" — a stamp as text, for the wire and for debugging.
std::string formatStamp(const Stamp& s);
Stamp parseStamp(const std::string& text);

} // namespace berkas::model
