#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

namespace berkas::bench {

/// Where `server-load` runs its servers, each a real berkas-server process
/// on 127.0.0.1.
enum class LoadTarget
{
    Sqlite,   ///< one process, its SQLite file
    Postgres, ///< one process on a PostgreSQL database of its own
    Balancer, ///< two processes on one PostgreSQL database behind nginx (HTTPS)
};

/// The settings of one `server-load` run.
struct ServerLoadOptions
{
    std::int64_t laptops = 200;  ///< each its own encrypted store, enrolled device and token
    std::int64_t managers = 10;  ///< of the laptops, managers (whole office); the rest clerks of a kecamatan
    double seconds = 60;         ///< the measured period
    /// Each laptop starts a sync cycle this often (first ones spread over
    /// one interval); a cycle that takes longer is followed at once. 0: back
    /// to back, the server's ceiling rather than a working office.
    double intervalSeconds = 30;
    int threads = 0;             ///< berkas-server's worker threads (0: its default, 16)
    int keptScopes = -1;         ///< berkas-server's limits.kept_scopes (-1: its default)
    std::string serverBinary;    ///< the berkas-server to start
    /// A PostgreSQL role that may create databases (BERKAS_TEST_POSTGRES):
    /// each PostgreSQL run makes a database of its own and drops it after.
    std::string postgresAdmin;
    std::string nginxBinary = "/usr/sbin/nginx";
    std::string nginxSite;       ///< installer/nginx/berkas.conf, as shipped
};

/// `server-load`: the laptops enroll, then for options.seconds each runs
/// sync cycles on its own thread: a new application (made and submitted),
/// an edit of the phone number of one it holds, then a sync (push, pull).
/// Afterwards every laptop syncs once more and a manager's laptop must hold
/// every application made, numbered gaplessly and never twice.
/// Prints cycles per second, p50/p99/max sync latency, errors (must be 0),
/// each server process's resident memory at start and end. Throws Error
/// when a server or nginx cannot be started.
Poco::JSON::Object::Ptr benchServerLoad(LoadTarget target, const ServerLoadOptions& options);

/// "sqlite", "postgresql", "balancer".
std::string loadTargetName(LoadTarget target);

} // namespace berkas::bench
