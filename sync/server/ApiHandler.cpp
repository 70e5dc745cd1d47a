#include "sync/server/ApiHandler.h"

#include "model/Error.h"
#include "model/Migrations.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/Protocol.h"
#include "sync/server/ApiErrors.h"
#include "sync/server/BookingDesk.h"
#include "sync/server/ClientAddress.h"
#include "sync/server/FileEndpoints.h"
#include "sync/server/ReplayApplier.h"
#include "sync/server/RequestLimits.h"

#include <Poco/JSON/Array.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include <cmath>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <set>

namespace berkas::sync {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

/// A device's marks as an answer carries them (sync/PROTOCOL.md, "Restored
/// laptops"); the HLC as a decimal string, being past 2^53.
Poco::JSON::Object::Ptr marksObject(const DeviceMarks& marks)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("seq", marks.changeSeq);
    o->set("hlc", std::to_string(marks.hlc));
    o->set("provisional", marks.provisional);
    return o;
}
using Poco::Net::HTTPServerResponse;

class ApiHandler : public Poco::Net::HTTPRequestHandler
{
public:
    ApiHandler(ServerStore& store, const SyncServerOptions& options, std::string secret, RequestLimits& limits)
        : m_store(store), m_options(options), m_secret(std::move(secret)), m_limits(limits)
    {
    }

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override
    {
        auto& log = Poco::Logger::get("berkas.server");
        try
        {
            Poco::JSON::Object::Ptr body = route(request, response);
            if (response.sent())
                return; // a chunk of a file, written by answerFileRequest
            if (body)
            {
                if (!body->has("status"))
                    body->set("epoch", m_store.epoch());
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
    Poco::JSON::Object::Ptr route(HTTPServerRequest& request, HTTPServerResponse& response)
    {
        const Poco::URI uri(request.getURI());
        const std::string& path = uri.getPath();
        const std::string& method = request.getMethod();
        if (path == "/v1/files" || path.rfind("/v1/files/", 0) == 0)
        {
            const auto [user, device] = authenticate(request);
            return answerFileRequest(m_store, m_options, Principal{user.name, user.role, user.kecamatan}, request,
                                     response);
        }
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
        if (path == "/v1/replay" && method == "POST")
            return replay(request, uri);
        if (path == "/v1/escrow" && method == "POST")
            return escrow(request);
        if (path.rfind("/v1/", 0) == 0 &&
            (path == "/v1/health" || path == "/v1/time" || path == "/v1/enroll" || path == "/v1/login" ||
             path == "/v1/push" || path == "/v1/pull" || path == "/v1/replay" || path == "/v1/escrow"))
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
        // Bytes that are not UTF-8 can only sit inside strings of otherwise
        // well-formed JSON: the content is wrong, not the syntax.
        if (!isValidUtf8(raw))
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "body: strings must be valid UTF-8"};
        prescanJson(raw, m_options.maxJsonDepth);
        Poco::JSON::Object::Ptr body;
        try
        {
            body = parseObject(raw);
        }
        catch (const Error& e)
        {
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request", e.what()};
        }
        return body;
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
        if (userName.empty() || userName.size() > 64)
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "user: must be 1 to 64 characters"};
        if (password.size() > 256)
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "password: must be at most 256 characters"};
        if (!model::isUuid(deviceId))
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "device_id: must be a UUID"};
        const std::string address = clientAddress(request.clientAddress().host().toString(),
                                                  request.get("X-Forwarded-For", ""), m_options.trustedProxies);
        // Guessing passwords: after a few failures for one user name, every
        // attempt for it waits out the window, right or wrong, so the answer
        // tells a guesser nothing. Other names from the same address are not
        // held back (RequestLimits: one shared office address).
        if (const int wait = m_limits.loginWait(userName, m_store.nowMs()); wait > 0)
            throw HttpError{HTTPResponse::HTTP_TOO_MANY_REQUESTS, "throttled",
                            "too many failed logins for " + userName + "; try again in " + std::to_string(wait) +
                                " seconds",
                            wait};
        const auto user = m_store.user(userName);
        // The same answer for an unknown user and a wrong password.
        if (!user || !Passwords::verify(password, user->passwordHash))
        {
            const int locked = m_limits.loginFailed(userName, address, m_store.nowMs());
            auto& log = Poco::Logger::get("berkas.server");
            log.warning("failed login for user %s from %s", userName, address);
            if (locked > 0)
            {
                log.warning("too many failed logins from %s; user %s is locked for %d seconds", address, userName,
                            locked);
                throw HttpError{HTTPResponse::HTTP_TOO_MANY_REQUESTS, "throttled",
                                "too many failed logins from this address; " + userName + " may try again in " +
                                    std::to_string(locked) + " seconds",
                                locked};
            }
            throw HttpError{HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "wrong user name or password"};
        }
        m_limits.loginSucceeded(userName);
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
        o->set("device", marksObject(m_store.deviceMarks(deviceId)));
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
        if (user->disabled || device->revoked)
            m_store.forgetScope(device->id); // set by the administration, another process
        if (user->disabled)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "user " + user->name + " is disabled"};
        if (device->revoked)
            throw HttpError{HTTPResponse::HTTP_FORBIDDEN, "forbidden", "this device has been revoked"};
        if (const int wait = m_limits.takeRequest(device->id, m_store.nowMs()); wait > 0)
            throw HttpError{HTTPResponse::HTTP_TOO_MANY_REQUESTS, "throttled",
                            "too many requests from this device; try again in " + std::to_string(wait) + " seconds",
                            wait};
        return {*user, *device};
    }

    Poco::JSON::Object::Ptr push(HTTPServerRequest& request)
    {
        const auto [user, device] = authenticate(request);
        const auto body = readBody(request);
        PushBatch batch;
        try
        {
            batch = decodePush(body);
        }
        catch (const Error&)
        {
            throw;
        }
        catch (const std::exception&)
        {
            // Poco::Exception included: a member of the wrong JSON type.
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "body: members have the wrong types"};
        }
        if (batch.protocol != kProtocolVersion)
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "unsupported_protocol",
                            "protocol: this server speaks protocol " + std::to_string(kProtocolVersion)};
        if (batch.schema > model::Migrations::recordSchema())
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "unsupported_schema",
                            "schema: the laptop's Berkas is newer than the server (schema " +
                                std::to_string(model::Migrations::recordSchema()) + "); update berkas-server"};
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
        checkEpoch(batch.epoch);
        const Principal principal{user.name, user.role, user.kecamatan};
        const auto results = m_store.push(principal, device.id, batch.cursor, batch.changes,
                                          request.clientAddress().host().toString());
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
        std::size_t conflicts = 0;
        std::size_t refused = 0;
        std::int64_t through = 0; // the last change the device may drop: none after a reused id
        for (const auto& r : results)
        {
            if (r.outcome == PushOutcome::Reused)
                break;
            through = r.seq;
        }
        for (const auto& r : results)
        {
            if (r.outcome == PushOutcome::Applied || r.outcome == PushOutcome::Duplicate)
                continue;
            if (r.outcome == PushOutcome::Conflict)
                ++conflicts;
            if (r.outcome == PushOutcome::Refused)
                ++refused;
            Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
            x->set("seq", r.seq);
            x->set("outcome", std::string(outcomeName(r.outcome)));
            x->set("reason", r.reason);
            if (r.outcome == PushOutcome::Refused)
            {
                x->set("code", refusalCodeName(r.code));
                x->set("held", r.held);
                if (r.held)
                {
                    x->set("value", r.current.value ? Poco::Dynamic::Var(*r.current.value) : Poco::Dynamic::Var());
                    x->set("stamp", model::formatStamp(r.current.stamp));
                    x->set("user", r.currentUser);
                }
            }
            out->add(x);
        }
        o->set("accepted_through", through);
        o->set("conflicts", conflicts);
        o->set("refused", refused);
        o->set("device", marksObject(m_store.deviceMarks(device.id)));
        o->set("results", out);
        return o;
    }

    Poco::JSON::Object::Ptr pull(HTTPServerRequest& request, const Poco::URI& uri)
    {
        const auto [user, device] = authenticate(request);
        std::int64_t cursor = 0;
        std::int64_t ack = 0;
        std::optional<std::int64_t> applied;
        std::size_t limit = m_options.maxPull;
        PullForm form = PullForm::Full;
        for (const auto& [key, value] : uri.getQueryParameters())
        {
            if (key == "shared")
            {
                const int newest = static_cast<int>(m_options.newestPullForm);
                if (value.size() != 1 || value[0] < '0' || value[0] > '0' + newest)
                {
                    std::string allowed;
                    for (int f = 0; f <= newest; ++f)
                        allowed += (f == 0 ? "" : f == newest ? " or " : ", ") + std::to_string(f);
                    throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "shared: must be " + allowed};
                }
                form = static_cast<PullForm>(value[0] - '0');
            }
            if (key == "epoch")
                checkEpoch(value);
            if (key == "cursor" && !Poco::NumberParser::tryParse64(value, cursor))
                throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "cursor: must be an integer"};
            if (key == "ack" && !Poco::NumberParser::tryParse64(value, ack))
                throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "ack: must be an integer"};
            if (key == "applied")
            {
                std::int64_t a = 0;
                if (!Poco::NumberParser::tryParse64(value, a) || a < 0)
                    throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data",
                                    "applied: must be a non-negative integer"};
                applied = a;
            }
            unsigned l = 0;
            if (key == "limit")
            {
                if (!Poco::NumberParser::tryParseUnsigned(value, l) || l == 0)
                    throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "limit: must be a positive integer"};
                limit = std::min<std::size_t>(l, m_options.maxPull);
            }
        }
        if (cursor < 0 || ack < 0)
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", "cursor, ack: must not be negative"};
        const Principal principal{user.name, user.role, user.kecamatan};
        const PullAnswer answer = m_store.pull(principal, device.id, cursor, ack, limit, applied);
        m_text = encodePullText(answer.changes, answer.cursor, answer.more, m_store.nowMs(), answer.gone, answer.ack,
                                form);
        // The epoch, first among the answer's members; then whether the
        // device holds granted slots (only then does it ask POST /v1/escrow).
        if (m_store.holdsEscrow(device.id))
            m_text.insert(1, "\"escrow\":\"held\",");
        m_text.insert(1, "\"epoch\":\"" + m_store.epoch() + "\",");
        return nullptr;
    }

    /// A push or pull from a laptop that last synced with another epoch of
    /// this database: it replays what it holds first (409 epoch_changed).
    void checkEpoch(const std::string& lastEpoch)
    {
        if (!lastEpoch.empty() && lastEpoch != m_store.epoch())
            throw HttpError{HTTPResponse::HTTP_CONFLICT, "epoch_changed",
                            "epoch: the central office was restored from a backup; send what this laptop holds "
                            "(POST /v1/replay), then pull from 0"};
    }

    /// POST /v1/replay?epoch=E: what a laptop holds, written as a pull
    /// answer, taken back after a restore (sync/PROTOCOL.md, "Restored servers").
    Poco::JSON::Object::Ptr replay(HTTPServerRequest& request, const Poco::URI& uri)
    {
        const auto [user, device] = authenticate(request);
        std::string lastEpoch;
        for (const auto& [key, value] : uri.getQueryParameters())
            if (key == "epoch")
                lastEpoch = value;
        if (request.hasContentLength() && static_cast<std::size_t>(request.getContentLength64()) > m_options.maxBodyBytes)
            throw HttpError{HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large",
                            "body: larger than the limit of " + std::to_string(m_options.maxBodyBytes) + " bytes"};
        std::string raw = readAll(request.stream(), m_options.maxBodyBytes);
        if (request.get("Content-Encoding", "") == "gzip")
            raw = gunzip(raw, m_options.maxBodyBytes);
        PullBatch batch = decodePullText(raw);
        if (batch.changes.size() > m_options.maxBatch)
            throw HttpError{HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large",
                            "records: at most " + std::to_string(m_options.maxBatch) + " values per replay"};
        const Principal principal{user.name, user.role, user.kecamatan};
        const ReplayResult result = m_store.replay(principal, lastEpoch, batch.changes);
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("taken", result.taken);
        o->set("kept", result.kept);
        o->set("refused", result.refused);
        return o;
    }

    /// POST /v1/escrow (sync/PROTOCOL.md, "Escrow").
    Poco::JSON::Object::Ptr escrow(HTTPServerRequest& request)
    {
        const auto [user, device] = authenticate(request);
        const Poco::JSON::Object::Ptr body = readBody(request);
        std::vector<EscrowGrant> released;
        if (const auto list = body->getArray("release"))
        {
            if (list->size() > 10000)
                throw HttpError{HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "too_large", "release: at most 10000 grants"};
            for (std::size_t i = 0; i < list->size(); ++i)
            {
                const auto o = list->getObject(static_cast<unsigned>(i));
                const auto text = [&](const char* name) {
                    if (!o || !o->has(name) || !o->get(name).isString())
                        throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "invalid",
                                        "release: each grant needs location, service_code and date as text"};
                    return o->getValue<std::string>(name);
                };
                EscrowGrant g;
                g.location = text("location");
                g.serviceCode = text("service_code");
                g.date = text("date");
                released.push_back(std::move(g));
            }
        }
        Poco::JSON::Array::Ptr grants = new Poco::JSON::Array;
        for (const auto& g : m_store.exchangeEscrow(device.id, released))
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("location", g.location);
            o->set("service_code", g.serviceCode);
            o->set("date", g.date);
            o->set("slots", g.slots);
            o->set("used", g.used);
            grants->add(o);
        }
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("escrow", grants);
        return o;
    }

    void send(HTTPServerRequest& request, HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              std::string text)
    {
        // setStatus() alone keeps the reason phrase the response was made
        // with ("OK"): an error would go out as "404 OK".
        response.setStatusAndReason(status);
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
        if (e.retryAfterSeconds > 0)
            response.set("Retry-After", std::to_string(e.retryAfterSeconds));
        if (!response.sent())
            send(request, response, e.status, toJsonText(body));
    }

    ServerStore& m_store;
    const SyncServerOptions& m_options;
    std::string m_secret;
    RequestLimits& m_limits;
    std::string m_text; ///< an answer written as text (pull)
};

} // namespace

Poco::Net::HTTPRequestHandler* newApiHandler(ServerStore& store, const SyncServerOptions& options,
                                             const std::string& secret, RequestLimits& limits)
{
    return new ApiHandler(store, options, secret, limits);
}

} // namespace berkas::sync
