#pragma once

#include <iosfwd>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace berkas::desktop {

/// A parsed command line: the command, its positional arguments and options.
struct Invocation
{
    std::string command;
    std::vector<std::string> args;
    std::map<std::string, std::string> options;
    std::vector<std::string> where;
    std::string dataDir;
    std::string usage;
    std::ostream* out = nullptr;
    std::ostream* err = nullptr;
    std::istream* in = nullptr;
};

/// Wrong arguments for a command: exit code 2 with the command's usage.
class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// Runs one headless command. Throws UsageError, berkas::Error or other
/// std::exceptions, which CommandLine turns into one line and an exit code.
int runCommand(Invocation& inv);

/// export --xlsx (desktop/ExportCommand.cpp).
int runExportCommand(Invocation& inv);

/// attach and extract (desktop/AttachCommands.cpp); hands any other
/// command to runSyncCommand().
int runAttachCommand(Invocation& inv);

/// enroll, login, sync, conflicts, resolve and export (desktop/SyncCommands.cpp).
int runSyncCommand(Invocation& inv);

} // namespace berkas::desktop
