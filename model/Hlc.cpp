#include "model/Hlc.h"

#include "model/Error.h"

#include <chrono>

namespace berkas::model {

HybridLogicalClock::HybridLogicalClock(std::function<std::int64_t()> wallClockMs)
    : m_wallClockMs(std::move(wallClockMs))
{
}

std::int64_t HybridLogicalClock::now()
{
    const std::int64_t physical = fromPhysicalMs(m_wallClockMs());
    // When the wall clock is behind the last stamp (clock set back, or a remote
    // replica ahead of us), keep the physical part and bump the counter.
    m_last = physical > m_last ? physical : m_last + 1;
    return m_last;
}

void HybridLogicalClock::observe(std::int64_t remote)
{
    if (remote > m_last)
        m_last = remote;
}

std::int64_t HybridLogicalClock::systemMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string formatStamp(const Stamp& s)
{
    return std::to_string(s.hlc) + "@" + s.device;
}

Stamp parseStamp(const std::string& text)
{
    const auto at = text.find('@');
    if (at == std::string::npos)
        throw Error(ErrorCode::InvalidData, "stamp: must be HLC@DEVICE, got \"" + text + "\"");
    Stamp s;
    try
    {
        s.hlc = std::stoll(text.substr(0, at));
    }
    catch (const std::exception&)
    {
        throw Error(ErrorCode::InvalidData, "stamp: HLC must be a number, got \"" + text + "\"");
    }
    s.device = text.substr(at + 1);
    return s;
}

} // namespace berkas::model
