#include "sync/server/SyncServer.h"
#include "sync/server/BookingDesk.h"

#include "sync/server/ClientAddress.h"

#include "model/Error.h"
#include "model/Migrations.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/Protocol.h"
#include "sync/server/ReplayApplier.h"
#include "sync/server/AddressRateLimit.h"
#include "sync/server/StatusHandler.h"

#include <Poco/JSON/Array.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Logger.h>
#include <Poco/Util/TimerTaskAdapter.h>
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

/// An answer other than 200, with the JSON error body of PROTOCOL.md.
struct HttpError
{
    HTTPResponse::HTTPStatus status;
    std::string code;
    std::string message;
    int retryAfterSeconds = 0; ///< for 429: the Retry-After header
};

/// Failed-login throttling and per-device request rates, shared by every
/// request handler of one server. Thread-safe.
///
/// Logins follow OWASP's Authentication and Credential Stuffing cheat
/// sheets: the lockout is per account, with a threshold and an observation
/// window, and the per-address limit is much higher and never locks out
/// a person who knows their password.
/// - Per user name: 5 failures within 15 minutes lock that name: every login
///   for it, right password or not, answers 429 with Retry-After until its
///   oldest failure is 15 minutes old. A successful login clears the count.
/// - Per client address: 100 failures within 15 minutes (whatever the names)
///   put the address over its limit. From then on each further failure from
///   it locks its user name at once, for 15 minutes, and answers 429 instead
///   of 401. The address itself is not blocked: a user whose password is
///   right and whose name has no recent failures still logs in.
/// Scenario: a kecamatan office of 30 clerks reaches the server through one
/// NAT address. Rina mistypes her password five times: "rina" is locked for
/// 15 minutes, her colleagues log in as usual (the old per-address lock shut
/// out the whole office). A machine in that network sprays one common
/// password over 300 names: the first 100 failures answer 401, every later
/// name it tries is locked after a single guess, so a second round of
/// passwords against the same names gets nowhere for 15 minutes, while the
/// clerks whose own names were not tried still log in.
class RequestLimits
{
public:
    explicit RequestLimits(const SyncServerOptions& options) : m_options(options) {}

    /// Seconds until a login for @p user may be tried again; 0: now.
    int loginWait(const std::string& user, std::int64_t nowMs)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        int seconds = wait(m_failures["u:" + user], nowMs, m_options.loginFailures);
        if (const auto it = m_lockedUntil.find(user); it != m_lockedUntil.end())
        {
            if (it->second > nowMs)
                seconds = std::max(seconds, static_cast<int>((it->second - nowMs + 999) / 1000));
            else
                m_lockedUntil.erase(it);
        }
        return seconds;
    }
    /// Counts a failed login. Returns the seconds @p user is now locked for
    /// because @p address was already over its limit; 0 when it was not.
    int loginFailed(const std::string& user, const std::string& address, std::int64_t nowMs)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_failures.size() > 100000 || m_lockedUntil.size() > 100000)
        {
            m_failures.clear(); // a flood of made-up names: forget rather than grow
            m_lockedUntil.clear();
        }
        auto& fromAddress = m_failures["a:" + address];
        const bool addressOver = wait(fromAddress, nowMs, m_options.loginAddressFailures) > 0;
        remember(fromAddress, nowMs, m_options.loginAddressFailures);
        remember(m_failures["u:" + user], nowMs, m_options.loginFailures);
        if (!addressOver)
            return 0;
        m_lockedUntil[user] = nowMs + windowMs();
        return m_options.loginWindowSeconds;
    }
    void loginSucceeded(const std::string& user)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_failures.erase("u:" + user);
        m_lockedUntil.erase(user);
    }
    /// Takes one request from the device's bucket; the seconds to wait when empty.
    int takeRequest(const std::string& device, std::int64_t nowMs)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto [it, fresh] = m_buckets.try_emplace(device, Bucket{m_options.requestBurst, nowMs});
        Bucket& b = it->second;
        if (!fresh)
        {
            b.tokens = std::min(m_options.requestBurst,
                                b.tokens + static_cast<double>(nowMs - b.lastMs) / 1000.0 * m_options.requestsPerSecond);
            b.lastMs = nowMs;
        }
        if (b.tokens >= 1)
        {
            b.tokens -= 1;
            return 0;
        }
        return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / m_options.requestsPerSecond)));
    }

private:
    struct Bucket
    {
        double tokens;
        std::int64_t lastMs;
    };

    std::int64_t windowMs() const { return static_cast<std::int64_t>(m_options.loginWindowSeconds) * 1000; }

    /// Adds a failure at @p nowMs, keeping only the newest @p limit: all that
    /// wait() needs, so a flood from one address takes no more memory.
    static void remember(std::deque<std::int64_t>& times, std::int64_t nowMs, int limit)
    {
        times.push_back(nowMs);
        while (static_cast<int>(times.size()) > std::max(limit, 1))
            times.pop_front();
    }

    /// Forgets failures older than the window; the seconds until fewer than
    /// @p limit remain in it (0: fewer already).
    int wait(std::deque<std::int64_t>& times, std::int64_t nowMs, int limit) const
    {
        const std::int64_t window = windowMs();
        while (!times.empty() && times.front() <= nowMs - window)
            times.pop_front();
        if (static_cast<int>(times.size()) < limit)
            return 0;
        return static_cast<int>((times[times.size() - static_cast<std::size_t>(limit)] + window - nowMs + 999) / 1000);
    }

    const SyncServerOptions& m_options;
    std::mutex m_mutex;
    std::map<std::string, std::deque<std::int64_t>> m_failures; ///< "u:NAME" and "a:ADDRESS": failure times
    std::map<std::string, std::int64_t> m_lockedUntil;          ///< user name → end of a lock set by its address
    std::map<std::string, Bucket> m_buckets;
};

/// Rejects what Poco's parser would accept but Berkas does not: nesting
/// deeper than @p maxDepth (a stack-exhaustion attack) and a key given twice
/// in one object (which value counts would be ambiguous). Strings are
/// skipped with their escapes; the parser judges everything else.
void prescanJson(const std::string& text, std::size_t maxDepth)
{
    struct Level
    {
        bool object;
        std::set<std::string> keys;
    };
    std::vector<Level> stack;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '{' || c == '[')
        {
            if (stack.size() >= maxDepth)
                throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                                "body: nested deeper than " + std::to_string(maxDepth) + " levels"};
            stack.push_back({c == '{', {}});
        }
        else if ((c == '}' || c == ']') && !stack.empty())
            stack.pop_back();
        else if (c == '"')
        {
            const std::size_t start = ++i;
            while (i < text.size() && text[i] != '"')
            {
                if (text[i] == '\\' && i + 5 < text.size() && text[i + 1] == 'u')
                {
                    // A UTF-16 surrogate escape must come as a high-low pair.
                    const unsigned unit = static_cast<unsigned>(std::strtoul(text.substr(i + 2, 4).c_str(), nullptr, 16));
                    if (unit >= 0xD800 && unit <= 0xDFFF)
                    {
                        const bool pairs = unit <= 0xDBFF && i + 11 < text.size() && text[i + 6] == '\\' &&
                                           text[i + 7] == 'u';
                        const unsigned low =
                            pairs ? static_cast<unsigned>(std::strtoul(text.substr(i + 8, 4).c_str(), nullptr, 16)) : 0;
                        if (!pairs || low < 0xDC00 || low > 0xDFFF)
                            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data",
                                            "body: strings must be valid UTF-8 (a lone UTF-16 surrogate escape)"};
                        i += 12;
                        continue;
                    }
                    i += 6;
                    continue;
                }
                i += text[i] == '\\' ? 2 : 1;
            }
            if (i >= text.size())
                return; // unterminated: the parser says so
            std::size_t j = i + 1;
            while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])))
                ++j;
            if (j < text.size() && text[j] == ':' && !stack.empty() && stack.back().object &&
                !stack.back().keys.insert(text.substr(start, i - start)).second)
                throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                                "body: the key \"" + text.substr(start, std::min<std::size_t>(i - start, 40)) +
                                    "\" appears twice in one object"};
        }
    }
}

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
    ApiHandler(ServerStore& store, const SyncServerOptions& options, std::string secret, RequestLimits& limits)
        : m_store(store), m_options(options), m_secret(std::move(secret)), m_limits(limits)
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
        // The public status page needs no account and answers in its own
        // form (sync/PROTOCOL.md, "Public status").
        const std::string& uri = request.getURI();
        const std::string path = uri.substr(0, uri.find_first_of("?#"));
        if (path == "/status" || path == "/v1/status")
            return new StatusHandler(m_store, m_options, m_statusLimit, path == "/v1/status");
        return new ApiHandler(m_store, m_options, m_secret, m_limits);
    }

private:
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
