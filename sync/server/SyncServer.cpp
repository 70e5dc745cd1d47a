#include "sync/server/SyncServer.h"

#include "model/Error.h"
#include "sync/server/AddressRateLimit.h"
#include "sync/server/ApiHandler.h"
#include "sync/server/ClientAddress.h"
#include "sync/server/RequestLimits.h"
#include "sync/server/StatusHandler.h"

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/TimerTaskAdapter.h>

namespace berkas::sync {

namespace {

using Poco::Net::HTTPServerRequest;

/// Answers a request from a trusted proxy (a load balancer in front of
/// several berkas-server processes) and closes the connection after it.
/// Poco's server gives each connection a worker thread until it closes, and
/// a proxy keeps its connections to the backends open and idle between
/// requests: an nginx with `keepalive` in its upstream holds every thread of
/// a backend on idle connections while the connections it opens next wait in
/// the queue until one times out (keepAliveSeconds). 200 laptops syncing at
/// once through nginx waited 23-31 s (median), some past their 30 s timeout.
/// Closed, each connection serves one request and the queue moves in turn;
/// to the proxy, on loopback or its own network, a new connection costs
/// little.
class OneRequestPerConnection : public Poco::Net::HTTPRequestHandler
{
public:
    explicit OneRequestPerConnection(Poco::Net::HTTPRequestHandler* inner) : m_inner(inner) {}

    void handleRequest(HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        response.setKeepAlive(false);
        m_inner->handleRequest(request, response);
    }

private:
    std::unique_ptr<Poco::Net::HTTPRequestHandler> m_inner;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    Factory(ServerStore& store, const SyncServerOptions& options)
        : m_store(store), m_options(options), m_secret(store.tokenSecret()), m_limits(options),
          m_statusLimit(options.statusPerMinute, 60)
    {
    }

    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override
    {
        Poco::Net::HTTPRequestHandler* handler = handlerFor(request);
        if (!m_options.trustedProxies.empty() &&
            isTrustedProxy(request.clientAddress().host().toString(), m_options.trustedProxies))
            return new OneRequestPerConnection(handler);
        return handler;
    }

private:
    Poco::Net::HTTPRequestHandler* handlerFor(const HTTPServerRequest& request)
    {
        // The public status page needs no account and answers in its own
        // form (sync/PROTOCOL.md, "Public status").
        const std::string& uri = request.getURI();
        const std::string path = uri.substr(0, uri.find_first_of("?#"));
        if (path == "/status" || path == "/v1/status")
            return new StatusHandler(m_store, m_options, m_statusLimit, path == "/v1/status");
        return newApiHandler(m_store, m_options, m_secret, m_limits);
    }

    ServerStore& m_store;
    const SyncServerOptions& m_options;
    std::string m_secret;
    RequestLimits m_limits;
    AddressRateLimit m_statusLimit;
};

} // namespace

std::string SyncServer::tlsProblem(const std::string& tlsCert, const std::string& tlsKey, bool plainHttp)
{
    if (plainHttp && (!tlsCert.empty() || !tlsKey.empty()))
        return "tls: --plain-http serves without TLS; give either --plain-http or --tls-cert and --tls-key, not both";
    if (tlsCert.empty() != tlsKey.empty())
        return "tls: give both --tls-cert and --tls-key, not one of them";
    if (!plainHttp && tlsCert.empty())
        return "tls: give --tls-cert and --tls-key, or --plain-http to serve without TLS";
    return "";
}

SyncServer::SyncServer(ServerStore& store, SyncServerOptions options) : m_store(store), m_options(std::move(options)) {}

SyncServer::~SyncServer()
{
    stop();
}

void SyncServer::start()
{
    // Names, NIKs and login tokens cross the wire: plain HTTP only when the
    // operator asked for it, never because a certificate was forgotten.
    if (const std::string problem = tlsProblem(m_options.tlsCert, m_options.tlsKey, m_options.plainHttp); !problem.empty())
        throw Error(ErrorCode::InvalidData, problem);
    try
    {
        Poco::Net::SocketAddress address(m_options.bind, static_cast<Poco::UInt16>(m_options.port));
        std::unique_ptr<Poco::Net::ServerSocket> socket;
        if (tls())
        {
            // TLS 1.2 and 1.3 only, forward-secret AEAD suites for 1.2 (Mozilla's
            // "intermediate" list; 1.3 suites are all AEAD and stay OpenSSL's
            // default). Laptops present no client certificate: they
            // authenticate with a token, so the server verifies no peer.
            Poco::Net::Context::Params params;
            params.privateKeyFile = m_options.tlsKey;
            params.certificateFile = m_options.tlsCert;
            params.verificationMode = Poco::Net::Context::VERIFY_NONE;
            params.cipherList = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
            Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
            context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
            context->preferServerCiphers();
            socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
        }
        else
            socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
        Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(m_options.threads);
        params->setMaxQueued(m_options.queue);
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(m_options.keepAliveRequests);
        params->setKeepAliveTimeout(Poco::Timespan(m_options.keepAliveSeconds, 0));
        params->setTimeout(Poco::Timespan(30, 0));
        m_server = std::make_unique<Poco::Net::HTTPServer>(new Factory(m_store, m_options), *socket, params);
        m_server->start();
        if (m_options.noShowSweepSeconds > 0)
        {
            const long ms = m_options.noShowSweepSeconds * 1000L;
            m_sweeper = std::make_unique<Poco::Util::Timer>();
            m_sweeper->scheduleAtFixedRate(new Poco::Util::TimerTaskAdapter<SyncServer>(*this, &SyncServer::sweep), ms, ms);
        }
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Network, "cannot listen on " + m_options.bind + ":" + std::to_string(m_options.port) +
                                            ": " + e.displayText());
    }
}

void SyncServer::sweep(Poco::Util::TimerTask&)
{
    try
    {
        if (const std::size_t n = m_store.sweepNoShows())
            Poco::Logger::get("berkas.server").information("%z confirmed bookings whose slot passed are no_show", n);
    }
    catch (const std::exception& e)
    {
        // The next round tries again (a database briefly unreachable).
        Poco::Logger::get("berkas.server").error("no_show sweep: %s", std::string(e.what()));
    }
}

void SyncServer::stop()
{
    if (m_sweeper)
    {
        m_sweeper->cancel(true);
        m_sweeper.reset();
    }
    if (m_server)
    {
        // Stops accepting, then waits for the requests in flight to finish.
        m_server->stopAll(false);
        for (int waited = 0; m_server->currentConnections() > 0 && waited < 15000; waited += 10)
            Poco::Thread::sleep(10);
        m_server.reset();
    }
}

int SyncServer::port() const
{
    return m_server ? m_server->port() : m_options.port;
}

} // namespace berkas::sync
