#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace berkas::desktop {

/// Exit codes of the headless command line.
enum ExitCode
{
    kExitOk = 0,
    kExitError = 1,
    kExitUsage = 2
};

/// The headless command line of `berkas` (DESIGN.md, "Interfaces"). Parses
/// global options (--data, --lang), runs one command against the data folder
/// and prints to @p out / @p err. Never throws: every failure becomes one
/// sentence on @p err and exit code 1 (error) or 2 (usage).
class CommandLine
{
public:
    CommandLine(std::ostream& out, std::ostream& err, std::istream& in);

    /// @p args excludes the program name. Returns the exit code.
    int run(const std::vector<std::string>& args);

    /// True when @p args name a command (so the window should not open).
    static bool hasCommand(const std::vector<std::string>& args);

    /// The data folder: --data, else BERKAS_DATA, else $XDG_DATA_HOME/berkas
    /// (default ~/.local/share/berkas).
    static std::string defaultDataDir();

private:
    std::ostream& m_out;
    std::ostream& m_err;
    std::istream& m_in;
};

} // namespace berkas::desktop
