#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace berkas::sync {

class AddressRateLimit;
class ServerStore;
struct SyncServerOptions;

/// Answers GET /status (the page, HTML) and GET /v1/status (JSON) of
/// sync/PROTOCOL.md, "Public status": no account; each lookup counts
/// against the client address's limit (ClientAddress.h, so a trusted
/// proxy's X-Forwarded-For is honoured); the form and a malformed query
/// count nothing. Answers are never cached and carry no cookie.
class StatusHandler : public Poco::Net::HTTPRequestHandler
{
public:
    /// @p json: the /v1/status endpoint; otherwise the page.
    StatusHandler(ServerStore& store, const SyncServerOptions& options, AddressRateLimit& limit, bool json);

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    void answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    ServerStore& m_store;
    const SyncServerOptions& m_options;
    AddressRateLimit& m_limit;
    bool m_json;
};

} // namespace berkas::sync
