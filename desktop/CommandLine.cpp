#include "desktop/CommandLine.h"

#include "desktop/Commands.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/Version.h"

#include <Poco/Path.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionProcessor.h>
#include <Poco/Util/OptionSet.h>

#include <cstdlib>
#include <iostream>
#include <map>

namespace berkas::desktop {

namespace {

using Poco::Util::Option;
using Poco::Util::OptionSet;

struct CommandInfo
{
    std::string usage;
    std::string summary;
    std::vector<std::string> options; ///< option names the command accepts
};

const std::vector<std::pair<std::string, CommandInfo>>& commands()
{
    static const std::vector<std::pair<std::string, CommandInfo>> all = {
        {"schema", {"schema [KIND]", "kinds, fields, types and allowed values", {"json"}}},
        {"new", {"new KIND field=value ...", "create a record, print its id", {}}},
        {"set", {"set ID field=value ...", "change fields of a record (status=NEW moves it in its workflow)", {}}},
        {"get", {"get ID [--json]", "one record", {"json"}}},
        {"list",
         {"list KIND [--where=field=value]... [--search=TEXT] [--limit=N] [--json]", "records of a kind",
          {"where", "search", "limit", "json"}}},
        {"history", {"history ID [--json]", "audit trail of a record", {"json"}}},
        {"report",
         {"report bap TASK_ID --to=FILE.pdf [--office-name=TEXT] [--office-address=TEXT] [--place=CITY]",
          "the inspection report (Berita Acara Pemeriksaan) of a site visit as PDF",
          {"to", "office-name", "office-address", "place"}}},
        {"today",
         {"today [--date=YYYY-MM-DD] [--user=NAME] [--json]",
          "open site visits scheduled until the day (default today), by schedule, with applicant, address and service",
          {"date", "user", "json"}}},
        {"enroll",
         {"enroll --server=URL --user=NAME [--ca-file=FILE]", "register this device (password on stdin)",
          {"server", "user", "ca-file"}}},
        {"login", {"login --user=NAME", "log in again (password on stdin); offline unlock when unreachable", {"user"}}},
        {"user",
         {"user list | user remove NAME", "who can unlock this laptop; take a user's key away", {}}},
        {"sync", {"sync [--json]", "push then pull; print pushed, pulled, conflicts", {"json"}}},
        {"attach", {"attach RECORD_ID FILE", "add a photo or document to a record; print the attachment's id", {}}},
        {"extract",
         {"extract ATTACHMENT_ID --to=FILE", "write an attachment's file (decrypted), once it has arrived", {"to"}}},
        {"conflicts", {"conflicts [--json]", "open conflicts", {"json"}}},
        {"resolve", {"resolve CONFLICT_ID --keep=local|remote|value=VALUE", "settle a conflict", {"keep"}}},
        {"export",
         {"export --xlsx=FILE [--from=YYYY-MM-DD] [--to=YYYY-MM-DD]", "Excel summary for a period", {"xlsx", "from", "to"}}},
        {"import", {"import KIND FILE.csv", "create records from a CSV file (all or nothing)", {}}},
        {"demo", {"demo [--applications=N]", "fill the data folder with a synthetic office (Kota Bekasi)", {"applications"}}},
    };
    return all;
}

/// What 'berkas COMMAND --help' adds after the usage line: the options
/// that need more than their usage; empty for most commands.
std::string commandDetails(const std::string& name)
{
    if (name == "attach")
        return "  Reads where and when a photo was taken from its EXIF data (taken_at, latitude, longitude).\n"
               "  A file named as an image (.jpg, .png, ...) must be one by its contents; a file over the\n"
               "  office's limit (berkas-server --max-file-size, learned at sync) is refused. The file\n"
               "  reaches the central office at the next berkas sync, after the records.\n";
    if (name == "enroll")
        return "  --ca-file=FILE  trust only this certificate authority (PEM), such as the office's own, instead of\n"
               "                  the system's; kept for later syncs. Needed for an https:// server whose\n"
               "                  certificate the office issued itself.\n";
    return "";
}

const CommandInfo* findCommand(const std::string& name)
{
    for (const auto& [n, info] : commands())
        if (n == name)
            return &info;
    return nullptr;
}

OptionSet optionSet()
{
    OptionSet set;
    const auto add = [&](const std::string& name, const std::string& arg, bool repeatable = false) {
        Option o(name, "", "");
        o.required(false).repeatable(repeatable);
        if (!arg.empty())
            o.argument(arg);
        set.addOption(o);
    };
    add("data", "DIR");
    add("lang", "LANG");
    add("help", "");
    add("version", "");
    add("json", "");
    add("where", "FIELD=VALUE", true);
    add("search", "TEXT");
    add("limit", "N");
    add("server", "URL");
    add("user", "NAME");
    add("ca-file", "FILE");
    add("keep", "WHICH");
    add("xlsx", "FILE");
    add("from", "DATE");
    add("to", "DATE");
    add("applications", "N");
    add("date", "DATE");
    add("office-name", "TEXT");
    add("office-address", "TEXT");
    add("place", "CITY");
    return set;
}

void printUsage(std::ostream& out)
{
    out << "Berkas: case files for licensing offices, offline first.\n\n"
           "Usage:\n"
           "  berkas [--data=DIR] [--lang=id|en]           open the window\n"
           "  berkas [--data=DIR] COMMAND ...              run headless; exit 0 ok, 1 error, 2 usage\n\n"
           "Commands:\n";
    for (const auto& [name, info] : commands())
    {
        std::string u = "  " + info.usage;
        if (u.size() < 48)
            u.append(48 - u.size(), ' ');
        else
            u += "\n" + std::string(48, ' ');
        out << u << info.summary << "\n";
    }
    out << "\nKIND: application, task, complaint, booking, service\n"
           "Data folder: --data=DIR, else $BERKAS_DATA, else $XDG_DATA_HOME/berkas (~/.local/share/berkas).\n"
           "Run 'berkas COMMAND --help' for one command.\n";
}

} // namespace

CommandLine::CommandLine(std::ostream& out, std::ostream& err, std::istream& in) : m_out(out), m_err(err), m_in(in)
{
}

std::string CommandLine::defaultDataDir()
{
    if (const char* env = std::getenv("BERKAS_DATA"); env && *env)
        return env;
    std::string base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = std::string(home) + "/.local/share";
    else
        base = ".";
    return base + "/berkas";
}

bool CommandLine::hasCommand(const std::vector<std::string>& args)
{
    for (const auto& a : args)
    {
        if (a.rfind("--", 0) == 0)
        {
            if (a == "--help" || a == "--version")
                return true;
            continue;
        }
        return true;
    }
    return false;
}

int CommandLine::run(const std::vector<std::string>& args)
{
    Invocation inv;
    inv.out = &m_out;
    inv.err = &m_err;
    inv.in = &m_in;
    bool help = false;
    bool version = false;
    std::map<std::string, int> seen;
    try
    {
        const OptionSet set = optionSet();
        Poco::Util::OptionProcessor processor(set);
        processor.setUnixStyle(true);
        for (const auto& arg : args)
        {
            std::string name;
            std::string value;
            if (arg.rfind("--", 0) == 0 && processor.process(arg, name, value))
            {
                ++seen[name];
                if (name == "help")
                    help = true;
                else if (name == "version")
                    version = true;
                else if (name == "where")
                    inv.where.push_back(value);
                else
                    inv.options[name] = value.empty() ? "1" : value;
                continue;
            }
            if (inv.command.empty())
                inv.command = arg;
            else
                inv.args.push_back(arg);
        }
    }
    catch (const Poco::Util::OptionException& e)
    {
        m_err << "berkas: " << e.displayText() << " (see: berkas --help)\n";
        return kExitUsage;
    }

    if (version)
    {
        m_out << "berkas " << model::version() << "\n";
        return kExitOk;
    }
    if (inv.command.empty())
    {
        printUsage(m_out);
        return help ? kExitOk : kExitUsage;
    }
    const CommandInfo* info = findCommand(inv.command);
    if (!info)
    {
        m_err << "berkas: unknown command \"" << inv.command << "\" (see: berkas --help)\n";
        return kExitUsage;
    }
    if (help)
    {
        m_out << "Usage: berkas [--data=DIR] " << info->usage << "\n" << info->summary << "\n";
        m_out << commandDetails(inv.command);
        return kExitOk;
    }
    for (const auto& [name, count] : seen)
    {
        if (name == "data" || name == "lang")
            continue;
        bool allowed = false;
        for (const auto& o : info->options)
            allowed = allowed || o == name;
        if (!allowed)
        {
            m_err << "berkas " << inv.command << ": option --" << name << " does not apply (usage: berkas "
                  << info->usage << ")\n";
            return kExitUsage;
        }
    }
    inv.dataDir = inv.options.count("data") ? inv.options["data"] : defaultDataDir();
    inv.usage = info->usage;

    try
    {
        return runCommand(inv);
    }
    catch (const UsageError& e)
    {
        m_err << "berkas " << inv.command << ": " << e.what() << " (usage: berkas " << info->usage << ")\n";
        return kExitUsage;
    }
    catch (const Error& e)
    {
        m_err << e.what() << "\n";
        return kExitError;
    }
    catch (const std::exception& e)
    {
        m_err << "berkas: " << e.what() << "\n";
        return kExitError;
    }
}

} // namespace berkas::desktop
