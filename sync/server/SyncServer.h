#pragma once

#include "sync/server/ServerStore.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Util/Timer.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace berkas::sync {

/// Settings of the HTTP side of the central office server.
struct SyncServerOptions
{
    std::string bind = "127.0.0.1";
    int port = 8470;      ///< 0: any free port (tests)
    int threads = 16;     ///< worker threads; connections beyond wait in the queue
    /// Every this many seconds a timer marks confirmed bookings whose slot
    /// passed no_show (ServerStore::sweepNoShows), so an office where nobody
    /// pushes still gets them; 0: only at pushes.
    int noShowSweepSeconds = 60;
    int queue = 256;      ///< accepted connections waiting for a thread
    int keepAliveRequests = 100;
    int keepAliveSeconds = 10;
    std::size_t maxBodyBytes = 8 * 1024 * 1024;
    std::size_t maxBatch = 5000;      ///< changes per push
    std::size_t maxPull = 50000;       ///< changes per pull answer
    std::int64_t tokenSeconds = 12 * 3600;
    std::size_t maxJsonDepth = 32;    ///< nesting of arrays and objects (400 beyond)
    int loginFailures = 5;            ///< failed logins for one user name ...
    int loginWindowSeconds = 15 * 60; ///< ... within this window, then 429 for that name until it passes
    /// Failed logins from one client address within the window (any user
    /// names) beyond which each further failure from it locks its user name
    /// at once; logins with the right password for a name without recent
    /// failures still succeed (see RequestLimits in SyncServer.cpp).
    int loginAddressFailures = 100;
    double requestsPerSecond = 50;    ///< per device, token bucket (429 beyond) ...
    double requestBurst = 200;        ///< ... with this many requests in one burst
    /// Lookups on the public status page (GET /status, /v1/status with a
    /// number and nik4) per client address per minute; beyond, 429 with
    /// Retry-After (limits.status_per_minute).
    int statusPerMinute = 20;
    /// The newest pull answer form served (the `shared` values up to it):
    /// lower only to act as an older server towards a newer laptop (tests).
    PullForm newestPullForm = PullForm::Compact;
    std::string tlsCert;  ///< PEM files; both set → HTTPS
    std::string tlsKey;
    /// Serve HTTP in the clear. Must be asked for (berkas-server --plain-http)
    /// and only without tlsCert/tlsKey: start() refuses to serve plain HTTP
    /// by default.
    bool plainHttp = false;
    /// Reverse proxies (a load balancer) whose X-Forwarded-For names the
    /// client, in canonical spelling (parseTrustedProxies): login limits and
    /// the log then count the laptop's address, not the proxy's.
    std::vector<std::string> trustedProxies;
    /// Where attachment files are kept (FileVault.h): berkas-server
    /// --file-dir, else DATA/files. Empty: the server keeps no files (503).
    std::string fileDir;
    /// The office's limit for one attachment file in bytes (berkas-server
    /// --max-file-size); laptops learn it at sync and refuse larger files.
    std::int64_t maxFileSize = 256LL * 1000 * 1000;
    /// The largest chunk of a file in one request, up or down.
    std::size_t maxFileChunk = 8 * 1024 * 1024;
};

/// The /v1/ HTTP API of sync/PROTOCOL.md and the public status page
/// (StatusHandler.h) over a ServerStore: a
/// Poco::Net::HTTPServer with a bounded thread pool. start() returns at once;
/// stop() stops accepting and waits for requests in flight.
class SyncServer
{
public:
    SyncServer(ServerStore& store, SyncServerOptions options);
    ~SyncServer();

    /// Starts listening. Throws Error(InvalidData) when the options give
    /// neither TLS files nor plainHttp, or both; Error(Network) when the
    /// address cannot be bound.
    void start();
    void stop();
    /// The port actually bound (useful with port 0).
    int port() const;
    bool tls() const { return !m_options.tlsCert.empty(); }

    /// What is wrong with a choice of transport, as one sentence naming the
    /// berkas-server options ("tls: give --tls-cert and --tls-key, or
    /// --plain-http to serve without TLS"); empty when it is fine: both TLS
    /// files, or plain HTTP asked for without them.
    static std::string tlsProblem(const std::string& tlsCert, const std::string& tlsKey, bool plainHttp);

private:
    void sweep(Poco::Util::TimerTask& task);

    ServerStore& m_store;
    SyncServerOptions m_options;
    std::unique_ptr<Poco::Net::HTTPServer> m_server;
    std::unique_ptr<Poco::Util::Timer> m_sweeper;
};

} // namespace berkas::sync
