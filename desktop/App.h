#pragma once

#include <string>
#include <vector>

namespace berkas::desktop {

/// Opens the window: `berkas [--data=DIR] [--lang=id|en]`, plus the hidden
/// `--screenshot=FILE.png --section=NAME [--open-first]` (save the window to a
/// PNG and exit) and `--exit-after-paint` (benchmarks: print the time to the
/// first painted list and exit). Initialises wx only here, so headless
/// commands never need a display. Returns the process exit code.
int runWindow(int argc, char** argv, const std::vector<std::string>& args);

} // namespace berkas::desktop
