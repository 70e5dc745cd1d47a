#include "sync/SyncServer.h"

#include "model/Error.h"
#include "model/Migrations.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/Protocol.h"

#include <Poco/JSON/Array.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

namespace berkas::sync {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

/// An answer other than 200, with the JSON error body of PROTOCOL.md.
struct HttpError
{
    HTTPResponse::HTTPStatus status;
    std::string code;
    std::string message;
};

HttpError fromError(const Error& e)
{
    switch (e.code())
    {
    case ErrorCode::NotFound: return {HTTPResponse::HTTP_NOT_FOUND, "not_found", e.what()};
    case ErrorCode::Unauthorized: return {HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", e.what()};
    case ErrorCode::Conflict: return {HTTPResponse::HTTP_CONFLICT, "conflict", e.what()};
    case ErrorCode::InvalidData: return {HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", e.what()};
    default: return {HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal", "the server could not complete the request"};
    }
}

class ApiHandler : public Poco::Net::HTTPRequestHandler
{
public:
    ApiHandler(ServerStore& store, const SyncServerOptions& options, std::string secret)
        : m_store(store), m_options(options), m_secret(std::move(secret))
    {
    }

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override
    {
        auto& log = Poco::Logger::get("berkas.server");
        try
        {
            Poco::JSON::Object::Ptr body = route(request);
            if (body)
            {
                body->set("server_time", m_store.nowMs());
                send(request, response, HTTPResponse::HTTP_OK, toJsonText(body));
            }
            else
                send(request, response, HTTPResponse::HTTP_OK, m_text);
        }
        catch (const HttpError& e)
        {
            sendError(request, response, e);
        }
        catch (const Error& e)
        {
            const HttpError h = fromError(e);
            if (h.status == HTTPResponse::HTTP_INTERNAL_SERVER_ERROR)
                log.error("%s %s: %s", request.getMethod(), request.getURI(), std::string(e.what()));
            sendError(request, response, h);
        }
        catch (const Poco::Exception& e)
        {
            log.error("%s %s: %s", request.getMethod(), request.getURI(), e.displayText());
            sendError(request, response, {HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal", "the server could not complete the request"});
        }
        catch (const std::exception& e)
        {
            log.error("%s %s: %s", request.getMethod(), request.getURI(), std::string(e.what()));
            sendError(request, response, {HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal", "the server could not complete the request"});
        }
    }

private:
    Poco::JSON::Object::Ptr route(HTTPServerRequest& request)
    {
        const Poco::URI uri(request.getURI());
        const std::string& path = uri.getPath();
        const std::string& method = request.getMethod();
        if (path == "/v1/health" && method == "GET")
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
            o->set("status", "ok");
            o->set("protocol", kProtocolVersion);
            return o;
        }
        if (path == "/v1/time" && method == "GET")
            return new Poco::JSON::Object;
        if (path == "/v1/enroll" && method == "POST")
            return login(readBody(request), true, request);
        if (path == "/v1/login" && method == "POST")
            return login(readBody(request), false, request);
        if (path == "/v1/push" && method == "POST")
            return push(request);
        if (path == "/v1/pull" && method == "GET")
            return pull(request, uri);
        if (path.rfind("/v1/", 0) == 0 &&
            (path == "/v1/health" || path == "/v1/time" || path == "/v1/enroll" || path == "/v1/login" ||
             path == "/v1/push" || path == "/v1/pull"))
            throw HttpError{HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", method + " is not allowed on " + path};
        throw HttpError{HTTPResponse::HTTP_NOT_FOUND, "not_found", "no such endpoint: " + path};
    }

    Poco::JSON::Object::Ptr readBody(HTTPServerRequest& request)
    {
        if (request.hasContentLength() && static_cast<std::size_t>(request.getContentLength64()) > m_options.maxBodyBytes)
            throw HttpError{HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large",
                            "body: larger than the limit of " + std::to_string(m_options.maxBodyBytes) + " bytes"};
        std::string raw;
        try
        {
            raw = readAll(request.stream(), m_options.maxBodyBytes);
            if (request.get("Content-Encoding", "") == "gzip")
                raw = gunzip(raw, m_options.maxBodyBytes);
        }
        catch (const Error& e)
        {
            const std::string what = e.what();
            if (what.find("larger than the limit") != std::string::npos)
                throw HttpError{HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large", what};
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request", what};
        }
        try
        {
            return parseObject(raw);
        }
        catch (const Error& e)
        {
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request", e.what()};
        }
    }

    static std::string stringMember(const Poco::JSON::Object::Ptr& o, const std::string& name)
    {
        if (!o->has(name) || !o->get(name).isString())
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", name + ": is required and must be a string"};
        return o->getValue<std::string>(name);
    }

    std::string issueToken(const UserAccount& user, const std::string& deviceId)
    {
        Poco::JWT::Token token;
        token.setType("JWT");
        token.setSubject(user.name);
        token.payload().set("dev", deviceId);
        token.payload().set("role", user.role);
        token.setIssuedAt(Poco::Timestamp());
        token.setExpiration(Poco::Timestamp() + m_options.tokenSeconds * Poco::Timestamp::resolution());
        Poco::JWT::Signer signer(m_secret);
        return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
    }

    Poco::JSON::Object::Ptr login(const Poco::JSON::Object::Ptr& body, bool enroll, HTTPServerRequest& request)
    {
        const std::string userName = stringMember(body, "user");
        const std::string password = stringMember(body, "password");
        const std::string deviceId = stringMember(body, "device_id");
        if (!model::isUuid(deviceId))
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "device_id: must be a UUID"};
        const auto user = m_store.user(userName);
        // The same answer for an unknown user and a wrong password.
        if (!user || !Passwords::verify(password, user->passwordHash))
        {
            Poco::Logger::get("berkas.server").warning("failed login for user %s from %s", userName,
                                                       request.clientAddress().host().toString());
            throw HttpError{HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "wrong user name or password"};
        }
        if (user->disabled)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "user " + userName + " is disabled"};
        if (enroll)
            m_store.enrollDevice(deviceId, userName);
        const auto device = m_store.device(deviceId);
        if (!device || device->user != userName)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "this device is not enrolled for " + userName};
        if (device->revoked)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "this device has been revoked"};
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("token", issueToken(*user, deviceId));
        o->set("expires_in", m_options.tokenSeconds);
        Poco::JSON::Object::Ptr u = new Poco::JSON::Object;
        u->set("name", user->name);
        u->set("role", user->role);
        u->set("kecamatan", user->kecamatan);
        o->set("user", u);
        return o;
    }

    /// The user and device a bearer token speaks for, checked against the
    /// store on every request so that disabling or revoking acts at once.
    std::pair<UserAccount, DeviceInfo> authenticate(HTTPServerRequest& request)
    {
        const std::string header = request.get("Authorization", "");
        if (header.rfind("Bearer ", 0) != 0)
            throw HttpError{HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "missing bearer token; log in first"};
        Poco::JWT::Token token;
        try
        {
            Poco::JWT::Signer signer(m_secret);
            signer.addAlgorithm(Poco::JWT::Signer::ALGO_HS256);
            token = signer.verify(header.substr(7));
        }
        catch (const Poco::Exception&)
        {
            throw HttpError{HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "the token is not valid; log in again"};
        }
        if (token.getExpiration() < Poco::Timestamp())
            throw HttpError{HTTPResponse::HTTP_UNAUTHORIZED, "token_expired", "the token has expired; log in again"};
        const std::string deviceId = token.payload().optValue<std::string>("dev", "");
        const auto user = m_store.user(token.getSubject());
        const auto device = m_store.device(deviceId);
        if (!user || !device || device->user != user->name)
            throw HttpError{HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "the token is not valid; log in again"};
        if (user->disabled)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "user " + user->name + " is disabled"};
        if (device->revoked)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "this device has been revoked"};
        return {*user, *device};
    }

    Poco::JSON::Object::Ptr push(HTTPServerRequest& request)
    {
        const auto [user, device] = authenticate(request);
        const auto body = readBody(request);
        PushBatch batch = decodePush(body);
        if (batch.protocol != kProtocolVersion)
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "unsupported_protocol",
                            "protocol: this server speaks protocol " + std::to_string(kProtocolVersion)};
        if (batch.schema > model::Migrations::latest())
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "unsupported_schema",
                            "schema: the laptop's Berkas is newer than the server (schema " +
                                std::to_string(model::Migrations::latest()) + "); update berkas-server"};
        if (batch.deviceId != device.id)
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data",
                            "device_id: does not match the device of the token"};
        if (batch.changes.size() > m_options.maxBatch)
            throw HttpError{HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large",
                            "changes: at most " + std::to_string(m_options.maxBatch) + " per push"};
        std::int64_t last = 0;
        for (const auto& c : batch.changes)
        {
            if (c.seq <= last)
                throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data",
                                "records: change seq must increase within a push"};
            last = c.seq;
        }
        const auto results = m_store.push(device.id, user.name, batch.cursor, batch.changes);
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
        std::size_t conflicts = 0;
        for (const auto& r : results)
        {
            if (r.outcome == "applied" || r.outcome == "duplicate")
                continue;
            ++conflicts;
            Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
            x->set("seq", r.seq);
            x->set("outcome", r.outcome);
            x->set("reason", r.reason);
            out->add(x);
        }
        o->set("accepted_through", last);
        o->set("conflicts", conflicts);
        o->set("results", out);
        return o;
    }

    Poco::JSON::Object::Ptr pull(HTTPServerRequest& request, const Poco::URI& uri)
    {
        const auto [user, device] = authenticate(request);
        std::int64_t cursor = 0;
        std::size_t limit = m_options.maxPull;
        for (const auto& [key, value] : uri.getQueryParameters())
        {
            if (key == "cursor" && !Poco::NumberParser::tryParse64(value, cursor))
                throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "cursor: must be an integer"};
            unsigned l = 0;
            if (key == "limit")
            {
                if (!Poco::NumberParser::tryParseUnsigned(value, l) || l == 0)
                    throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "limit: must be a positive integer"};
                limit = std::min<std::size_t>(l, m_options.maxPull);
            }
        }
        auto changes = m_store.pull(device.id, cursor, limit + 1);
        const bool more = changes.size() > limit;
        if (more)
            changes.resize(limit);
        m_text = encodePullText(changes, changes.empty() ? cursor : changes.back().seq, more, m_store.nowMs());
        return nullptr;
    }

    void send(HTTPServerRequest& request, HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              std::string text)
    {
        response.setStatus(status);
        response.setContentType("application/json");
        response.set("X-Berkas-Server-Time", std::to_string(m_store.nowMs()));
        if (request.get("Accept-Encoding", "").find("gzip") != std::string::npos)
        {
            // Large answers (a first pull) favour speed over the last bytes.
            text = gzip(text, text.size() > 256 * 1024 ? 1 : -1);
            response.set("Content-Encoding", "gzip");
        }
        response.setContentLength64(static_cast<Poco::Int64>(text.size()));
        response.send() << text;
    }

    void sendError(HTTPServerRequest& request, HTTPServerResponse& response, const HttpError& e)
    {
        Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
        error->set("code", e.code);
        error->set("message", e.message);
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
        body->set("error", error);
        body->set("server_time", m_store.nowMs());
        if (e.status == HTTPResponse::HTTP_UNAUTHORIZED)
            response.set("WWW-Authenticate", "Bearer");
        if (!response.sent())
            send(request, response, e.status, toJsonText(body));
    }

    ServerStore& m_store;
    const SyncServerOptions& m_options;
    std::string m_secret;
    std::string m_text; ///< an answer written as text (pull)
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    Factory(ServerStore& store, const SyncServerOptions& options) : m_store(store), m_options(options), m_secret(store.tokenSecret()) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override
    {
        return new ApiHandler(m_store, m_options, m_secret);
    }

private:
    ServerStore& m_store;
    const SyncServerOptions& m_options;
    std::string m_secret;
};

} // namespace

SyncServer::SyncServer(ServerStore& store, SyncServerOptions options) : m_store(store), m_options(std::move(options)) {}

SyncServer::~SyncServer()
{
    stop();
}

void SyncServer::start()
{
    try
    {
        Poco::Net::SocketAddress address(m_options.bind, static_cast<Poco::UInt16>(m_options.port));
        std::unique_ptr<Poco::Net::ServerSocket> socket;
        if (tls())
        {
            Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, m_options.tlsKey,
                                                                     m_options.tlsCert, "", Poco::Net::Context::VERIFY_NONE);
            context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
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
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Network, "cannot listen on " + m_options.bind + ":" + std::to_string(m_options.port) +
                                            ": " + e.displayText());
    }
}

void SyncServer::stop()
{
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
