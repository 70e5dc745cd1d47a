#include "sync/server/PostgresDump.h"

#include "model/DurableFile.h"
#include "model/Error.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

/// @p conninfo without its password, which goes to @p password: libpq's
/// key=value pairs, values bare or quoted with '' and backslash escapes.
std::string withoutPassword(const std::string& conninfo, std::string& password)
{
    std::string out;
    std::size_t i = 0;
    while (i < conninfo.size())
    {
        while (i < conninfo.size() && conninfo[i] == ' ')
            ++i;
        const std::size_t eq = conninfo.find('=', i);
        if (eq == std::string::npos)
            break;
        const std::string key = conninfo.substr(i, eq - i);
        std::string raw;
        std::string value;
        i = eq + 1;
        if (i < conninfo.size() && conninfo[i] == '\'')
        {
            raw += conninfo[i++];
            while (i < conninfo.size() && conninfo[i] != '\'')
            {
                if (conninfo[i] == '\\' && i + 1 < conninfo.size())
                    raw += conninfo[i++];
                value += conninfo[i];
                raw += conninfo[i++];
            }
            raw += '\'';
            ++i;
        }
        else
            while (i < conninfo.size() && conninfo[i] != ' ')
            {
                value += conninfo[i];
                raw += conninfo[i++];
            }
        if (key == "password")
            password = value;
        else
            out += (out.empty() ? "" : " ") + key + "=" + raw;
    }
    return out;
}

struct ToolResult
{
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs a PostgreSQL client tool with the password in PGPASSWORD; Error(Storage)
/// when it cannot be started (postgresql-client missing).
ToolResult runTool(const std::string& tool, const std::vector<std::string>& args, const std::string& password)
{
    Poco::Pipe out, err;
    Poco::Process::Env env;
    if (!password.empty())
        env["PGPASSWORD"] = password;
    std::unique_ptr<Poco::ProcessHandle> handle;
    try
    {
        handle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(tool, args, nullptr, &out, &err, env));
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, tool + ": cannot be started (" + e.displayText() +
                                            "); install Debian's postgresql-client");
    }
    ToolResult r;
    // Both pipes drained at once, so that neither fills and stops the tool.
    std::thread errors([&] {
        Poco::PipeInputStream in(err);
        Poco::StreamCopier::copyToString(in, r.err);
    });
    Poco::PipeInputStream in(out);
    Poco::StreamCopier::copyToString(in, r.out);
    errors.join();
    r.code = handle->wait();
    if (r.code == 127 || r.code == 72)
        throw Error(ErrorCode::Storage, tool + ": not found; install Debian's postgresql-client");
    return r;
}

std::string firstLine(const std::string& text)
{
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

void removeQuietly(const std::string& path)
{
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
}

} // namespace

std::string PostgresDump::notADump(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return "no readable file there";
    char magic[5] = {};
    in.read(magic, sizeof magic);
    if (in.gcount() != sizeof magic || std::string(magic, 5) != "PGDMP")
        return "it is not a pg_dump archive (pg_dump --format=custom)";
    std::string ignored;
    const ToolResult list = runTool("pg_restore", {"--list", path}, ignored);
    if (list.code != 0)
        return "pg_restore cannot read it (" + firstLine(list.err) + ")";
    for (const char* table : {"counters", "fields", "users", "devices", "secrets"})
        if (list.out.find(std::string("TABLE public ") + table + " ") == std::string::npos)
            return "it lacks the tables of a Berkas server (counters, fields, users, devices, secrets)";
    return {};
}

void PostgresDump::dump(const std::string& conninfo, const std::string& to)
{
    std::string password;
    const std::string target = withoutPassword(conninfo, password);
    const std::string tmp = to + ".partial";
    removeQuietly(tmp);
    const ToolResult r =
        runTool("pg_dump", {"--format=custom", "--no-owner", "--file=" + tmp, "--dbname=" + target}, password);
    if (r.code != 0)
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "pg_dump failed: " + firstLine(r.err));
    }
    if (const std::string why = notADump(tmp); !why.empty())
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "the dump at " + tmp + " is not usable: " + why);
    }
    model::syncFileAndFolder(tmp, "backup");
    if (std::rename(tmp.c_str(), to.c_str()) != 0)
    {
        removeQuietly(tmp);
        throw Error(ErrorCode::Storage, "backup: cannot write " + to);
    }
    model::syncFileAndFolder(to, "backup");
}

void PostgresDump::restore(const std::string& conninfo, const std::string& from)
{
    if (const std::string why = notADump(from); !why.empty())
        throw Error(ErrorCode::InvalidData, "from: " + from + " is not a backup of a Berkas server database: " + why);
    std::string password;
    const std::string target = withoutPassword(conninfo, password);
    Poco::Data::PostgreSQL::Connector::registerConnector();
    try
    {
        Poco::Data::Session s("PostgreSQL", conninfo);
        s << "SET client_min_messages TO WARNING", now;
        // Every berkas-server keeps a session open while it runs.
        std::vector<Poco::Int64> others;
        s << "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            into(others), now;
        if (!others.empty() && others.front() > 0)
            throw Error(ErrorCode::Conflict, "database: " + std::to_string(others.front()) +
                                                 " other sessions use the database; stop berkas-server before restoring");
        const std::string kept = kKeptSchema;
        {
            Poco::Data::Transaction tx(s);
            s << "DROP SCHEMA IF EXISTS " + kept + " CASCADE", now;
            s << "ALTER SCHEMA public RENAME TO " + kept, now;
            s << "CREATE SCHEMA public", now;
            tx.commit();
        }
        const ToolResult r = runTool("pg_restore", {"--no-owner", "--no-privileges", "--single-transaction",
                                                    "--exit-on-error", "--dbname=" + target, from},
                                     password);
        if (r.code != 0)
        {
            // Nothing of the archive stayed (one transaction): the old tables go back.
            Poco::Data::Transaction tx(s);
            s << "DROP SCHEMA public CASCADE", now;
            s << "ALTER SCHEMA " + kept + " RENAME TO public", now;
            tx.commit();
            throw Error(ErrorCode::Storage, "pg_restore failed, the database is as it was: " + firstLine(r.err));
        }
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "cannot restore into the PostgreSQL database: " + e.displayText());
    }
}

} // namespace berkas::sync
