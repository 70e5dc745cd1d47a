#pragma once

#include "model/Date.h"
#include "model/DeviceSettings.h"
#include "model/Hlc.h"

#include <cstdint>
#include <functional>
#include <string>

namespace berkas::model {

/// This device's sense of time: the wall clock, corrected by the central
/// office's clock once they differ by more than 30 s; the hybrid logical
/// clock that stamps every write, kept in the settings ("hlc") so that it
/// never goes backwards across restarts; and the time of day in the office's
/// zone. One per store, on the store's thread.
class DeviceClock
{
public:
    /// @p clockMs gives UNIX ms (UTC); @p utcOffsetMinutes is the office's
    /// zone (420 for WIB). Restores the offset and the HLC from @p settings.
    DeviceClock(DeviceSettings& settings, std::function<std::int64_t()> clockMs, int utcOffsetMinutes);

    /// The corrected wall clock, UNIX ms.
    std::int64_t wallMs();
    /// Replaces the wall clock (demo data, tests); nullptr restores the
    /// configured one. The HLC still never goes backwards.
    void setWallClock(std::function<std::int64_t()> clockMs);

    /// The central office's clock (UNIX ms) as seen in an answer: folded into
    /// the HLC (persisted), and a difference over 30 s is kept (persisted as
    /// "clock_offset_ms") and corrects every later reading.
    void observeServerTime(std::int64_t serverMs);

    /// A new HLC value, greater than every one issued or observed.
    std::int64_t now() { return m_hlc.now(); }
    std::int64_t last() const { return m_hlc.last(); }
    /// Folds a value seen elsewhere into the HLC; persist() keeps it.
    void observe(std::int64_t hlc) { m_hlc.observe(hlc); }
    /// Stores the HLC's last value, inside the caller's transaction if any.
    void persist();

    /// Current time as ISO 8601 in the office zone, "2026-11-23T19:05:00+07:00".
    std::string nowIso();
    /// Today's date in the office zone.
    Date today();

private:
    std::int64_t rawMs();

    DeviceSettings& m_settings;
    std::function<std::int64_t()> m_clockMs;
    std::function<std::int64_t()> m_wallClock;
    int m_utcOffsetMinutes;
    std::int64_t m_offsetMs = 0;
    HybridLogicalClock m_hlc;
    /// nowIso() of the second it was last asked in: its text holds seconds.
    std::int64_t m_isoSecond = -1;
    std::string m_iso;
};

} // namespace berkas::model
