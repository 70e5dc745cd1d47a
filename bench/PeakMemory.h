#pragma once

#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace berkas::bench {

/// A "VmXXX:" figure of /proc/self/status in kB, 0 when absent.
inline long statusKb(const char* key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(key, 0) == 0)
            return std::atol(line.c_str() + std::string(key).size());
    return 0;
}

/// The kernel's high-water mark of this process's RSS (VmHWM), in kB.
inline long peakRssKb()
{
    if (const long hwm = statusKb("VmHWM:"))
        return hwm;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

/// Resets VmHWM to the current RSS (Linux 4.0+); false where that is refused.
inline bool resetPeakRss()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

} // namespace berkas::bench
