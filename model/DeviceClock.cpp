#include "model/DeviceClock.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Timestamp.h>

#include <cstdlib>

namespace berkas::model {

namespace {

std::string isoTime(std::int64_t ms, int offsetMinutes)
{
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
    const Poco::LocalDateTime local(offsetMinutes * 60, Poco::DateTime(ts));
    return Poco::DateTimeFormatter::format(local, Poco::DateTimeFormat::ISO8601_FORMAT);
}

} // namespace

DeviceClock::DeviceClock(DeviceSettings& settings, std::function<std::int64_t()> clockMs, int utcOffsetMinutes)
    : m_settings(settings), m_clockMs(std::move(clockMs)), m_utcOffsetMinutes(utcOffsetMinutes),
      m_offsetMs(std::atoll(settings.get("clock_offset_ms", "0").c_str())), m_hlc([this] { return wallMs(); })
{
    m_hlc.restore(std::atoll(settings.get("hlc", "0").c_str()));
}

std::int64_t DeviceClock::rawMs()
{
    return m_wallClock ? m_wallClock() : m_clockMs();
}

std::int64_t DeviceClock::wallMs()
{
    return rawMs() + m_offsetMs;
}

void DeviceClock::setWallClock(std::function<std::int64_t()> clockMs)
{
    m_wallClock = std::move(clockMs);
}

void DeviceClock::observeServerTime(std::int64_t serverMs)
{
    // A laptop whose clock is hours off (a flat CMOS battery, a wrong time
    // zone) still stamps and dates its work by the central office's clock
    // once it has talked to it: the offset is kept and applied to every
    // reading. Small differences are left alone so that stamps do not jitter.
    const std::int64_t offset = serverMs - rawMs();
    const std::int64_t kTolerance = 30 * 1000;
    if (std::llabs(offset - m_offsetMs) > kTolerance)
    {
        m_offsetMs = std::llabs(offset) > kTolerance ? offset : 0;
        m_settings.set("clock_offset_ms", std::to_string(m_offsetMs));
    }
    m_hlc.observe(HybridLogicalClock::fromPhysicalMs(serverMs));
    persist();
}

void DeviceClock::persist()
{
    m_settings.set("hlc", std::to_string(m_hlc.last()));
}

std::string DeviceClock::nowIso()
{
    // Formatted once a second: a pull writes thousands of records in one.
    const std::int64_t ms = wallMs();
    const std::int64_t second = ms >= 0 ? ms / 1000 : -((999 - ms) / 1000);
    if (second != m_isoSecond)
    {
        m_iso = isoTime(second * 1000, m_utcOffsetMinutes);
        m_isoSecond = second;
    }
    return m_iso;
}

Date DeviceClock::today()
{
    return *dateOfTimestamp(nowIso());
}

} // namespace berkas::model
