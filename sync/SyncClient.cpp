#include "sync/SyncClient.h"

#include "model/Conflict.h"
#include "model/Error.h"
#include "model/Migrations.h"
#include "model/RecordQuery.h"
#include "model/Schema.h"
#include "sync/Merge.h"
#include "model/RefusedChanges.h"
#include "sync/Passwords.h"
#include "sync/Protocol.h"

#include <Poco/JSON/Array.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/Random.h>
#include <Poco/Thread.h>
#include <Poco/URI.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <sstream>

namespace berkas::sync {

namespace {

std::string errorMessage(const Poco::JSON::Object::Ptr& body, int status)
{
    if (body && body->has("error"))
    {
        const auto e = body->getObject("error");
        if (e && e->has("message"))
            return e->getValue<std::string>("message");
    }
    return "the server answered HTTP " + std::to_string(status);
}

/// A TLS client context that verifies the server: its chain against
/// @p caFile when given (only that CA is trusted), else the system store;
/// its name against the host of the URL (Poco's extended verification, on
/// by default). TLS 1.2 or newer.
Poco::Net::Context::Ptr clientContext(const std::string& caFile)
{
    Poco::Net::Context::Params params;
    params.caLocation = caFile;
    params.loadDefaultCAs = caFile.empty();
    // STRICT, not RELAXED: with RELAXED, Poco skips the host name check when
    // the host is "localhost" or a loopback address.
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.cipherList = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                        "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    Poco::Net::Context::Ptr context;
    try
    {
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::InvalidData, "ca-file: cannot load \"" + caFile + "\": " + e.displayText());
    }
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    // A certificate that fails verification goes to the SSLManager's
    // invalid-certificate handler, whose default (from Poco's configuration)
    // may be the console handler that asks on the terminal. Install one that
    // always rejects, once per process, before the first handshake.
    static std::once_flag once;
    std::call_once(once, [&] {
        Poco::Net::SSLManager::instance().initializeClient(
            nullptr, new Poco::Net::RejectCertificateHandler(false), context);
    });
    return context;
}

bool isLoopback(const std::string& host)
{
    if (host == "localhost")
        return true;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

} // namespace

SyncClient::SyncClient(model::CaseStore& store, SyncClientOptions options)
    : m_store(store), m_options(std::move(options))
{
    if (m_options.caFile.empty())
        m_options.caFile = m_store.setting("ca_file");
}

SyncClient::~SyncClient() = default;

bool SyncClient::enrolled()
{
    return !m_store.setting("server_url").empty();
}

bool SyncClient::plainHttp()
{
    const std::string stored = m_store.setting("plain_http");
    if (!stored.empty())
        return stored == "1";
    return Poco::URI(m_store.setting("server_url")).getScheme() == "http"; // enrolled before it was stored
}

bool SyncClient::plainHttpOverNetwork()
{
    return plainHttp() && !isLoopback(Poco::URI(m_store.setting("server_url")).getHost());
}

std::string SyncClient::storedSetting(const std::string& key)
{
    if (m_detached && key == "server_url")
        return m_detached->url;
    if (m_detached && key == "token")
        return m_detached->token;
    return m_store.setting(key);
}

Poco::Net::HTTPClientSession& SyncClient::session()
{
    const std::string url = storedSetting("server_url");
    if (url.empty())
        throw Error(ErrorCode::InvalidData, "server: this laptop is not enrolled; run: berkas enroll --server=URL --user=NAME");
    if (!m_session || m_sessionUrl != url)
    {
        m_session = newSession(url);
        m_sessionUrl = url;
    }
    return *m_session;
}

std::unique_ptr<Poco::Net::HTTPClientSession> SyncClient::newSession(const std::string& url) const
{
    const Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> s;
    if (uri.getScheme() == "https")
        s = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), clientContext(m_options.caFile));
    else if (uri.getScheme() == "http")
        s = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    else
        throw Error(ErrorCode::InvalidData, "server: must start with http:// or https://, got \"" + url + "\"");
    s->setTimeout(Poco::Timespan(m_options.timeoutSeconds, 0));
    s->setKeepAlive(true);
    return s;
}

std::string SyncClient::callOnce(const std::string& method, const std::string& path, const std::string& body,
                                 bool authenticated, int& status)
{
    if (m_options.beforeRequest)
        m_options.beforeRequest(path);
    auto& s = session();
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept-Encoding", "gzip");
    request.setKeepAlive(true);
    if (authenticated)
        request.set("Authorization", "Bearer " + storedSetting("token"));
    std::string payload;
    if (!body.empty())
    {
        payload = gzip(body);
        request.setContentType("application/json");
        request.set("Content-Encoding", "gzip");
        request.setContentLength64(static_cast<Poco::Int64>(payload.size()));
    }
    else
        request.setContentLength64(0);
    s.sendRequest(request) << payload;
    Poco::Net::HTTPResponse response;
    std::istream& in = s.receiveResponse(response);
    std::string text = readAll(in, 512 * 1024 * 1024);
    if (response.get("Content-Encoding", "") == "gzip")
        text = gunzip(text, 1024 * 1024 * 1024);
    status = response.getStatus();
    if (m_options.afterAnswer)
        m_options.afterAnswer(path);
    noteServerTime(response);
    return text;
}

void SyncClient::waitBeforeRetry(int attempt, SyncObserver* observer) const
{
    // Exponential backoff with full jitter, so laptops coming back online
    // together do not retry in step. One generator per thread: the file
    // transfer's second connection retries on a thread of its own.
    static thread_local Poco::Random random = [] {
        Poco::Random r;
        r.seed();
        return r;
    }();
    const int cap = m_options.baseDelayMs << std::min(attempt - 1, 6);
    const int delay = cap / 2 + static_cast<int>(random.next(static_cast<Poco::UInt32>(cap / 2 + 1)));
    for (int waited = 0; waited < delay; waited += 50)
    {
        if (observer && observer->cancelled())
            throw Error(ErrorCode::Network, "sync cancelled");
        Poco::Thread::sleep(std::min(50, delay - waited));
    }
}

std::string SyncClient::callText(const std::string& method, const std::string& path, const std::string& text,
                                 bool authenticated, SyncObserver* observer)
{
    std::string lastProblem;
    for (int attempt = 0; attempt < m_options.maxAttempts; ++attempt)
    {
        if (attempt > 0)
            waitBeforeRetry(attempt, observer);
        int status = 0;
        try
        {
            std::string answer = callOnce(method, path, text, authenticated, status);
            if (status == 200)
                return answer;
            Poco::JSON::Object::Ptr parsed;
            try
            {
                parsed = parseObject(answer);
            }
            catch (const Error&)
            {
            }
            const std::string message = errorMessage(parsed, status);
            if (status == 429 || status >= 500)
            {
                lastProblem = message;
                m_session.reset();
                continue;
            }
            if (status == 401 || status == 403)
                throw Error(ErrorCode::Unauthorized, message);
            if (status == 404)
                throw Error(ErrorCode::NotFound, message);
            if (status == 409)
                throw Error(ErrorCode::Conflict, message); // epoch_changed: the central office was restored
            throw Error(ErrorCode::InvalidData, message);
        }
        catch (const Poco::Net::SSLException& e)
        {
            // Not retried: an unverified server stays unverified. Nothing
            // was sent, since verification ends the handshake.
            m_session.reset();
            throw Error(ErrorCode::Network, "the server at " + storedSetting("server_url") +
                                                " is not trusted: its certificate could not be verified (" +
                                                e.message() + "); check the address, or enroll with --ca-file=FILE");
        }
        catch (const Poco::Exception& e)
        {
            // Connection refused, reset, timed out: the request may or may
            // not have reached the server; pushes are idempotent, so retry.
            lastProblem = e.displayText();
            m_session.reset();
        }
    }
    throw Error(ErrorCode::Network, "cannot reach the central office (" + lastProblem + "); your work is kept on this laptop");
}

Poco::JSON::Object::Ptr SyncClient::call(const std::string& method, const std::string& path,
                                         const Poco::JSON::Object::Ptr& body, bool authenticated,
                                         SyncObserver* observer)
{
    const std::string answer = callText(method, path, body ? toJsonText(body) : std::string(), authenticated, observer);
    try
    {
        return parseObject(answer);
    }
    catch (const Error&)
    {
        throw Error(ErrorCode::Network, "the server's answer is not Berkas JSON");
    }
}

void SyncClient::enroll(const std::string& serverUrl, const std::string& user, const std::string& password)
{
    const Poco::URI uri(serverUrl);
    if (uri.getScheme() != "http" && uri.getScheme() != "https")
        throw Error(ErrorCode::InvalidData, "server: must start with http:// or https://, got \"" + serverUrl + "\"");
    if (user.empty())
        throw Error(ErrorCode::InvalidData, "user: is required");
    const std::string previous = m_store.setting("server_url");
    const std::string previousCa = m_store.setting("ca_file");
    const std::string previousPlain = m_store.setting("plain_http");
    m_store.setSetting("server_url", serverUrl);
    if (!m_options.caFile.empty())
        m_options.caFile = Poco::Path(m_options.caFile).absolute().toString(); // later commands run elsewhere
    m_store.setSetting("ca_file", m_options.caFile);
    m_store.setSetting("plain_http", uri.getScheme() == "http" ? "1" : "0");
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("user", user);
    body->set("password", password);
    body->set("device_id", m_store.deviceId());
    Poco::JSON::Object::Ptr response;
    try
    {
        response = call("POST", "/v1/enroll", body, false, nullptr);
    }
    catch (...)
    {
        m_store.setSetting("server_url", previous);
        m_store.setSetting("ca_file", previousCa);
        m_store.setSetting("plain_http", previousPlain);
        throw;
    }
    m_store.setSetting("token", response->getValue<std::string>("token"));
    adoptEpoch(response->optValue<std::string>("epoch", ""));
    const auto u = response->getObject("user");
    m_store.setSetting("role", u->getValue<std::string>("role"));
    m_store.setSetting("kecamatan", u->optValue<std::string>("kecamatan", ""));
    m_store.setSetting("unlock_hash:" + user, Passwords::hash(password, m_options.unlockIterations));
    m_store.setUser(user);
    takeDeviceMarks(response);
}

bool SyncClient::login(const std::string& user, const std::string& password)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("user", user);
    body->set("password", password);
    body->set("device_id", m_store.deviceId());
    try
    {
        const auto response = call("POST", "/v1/login", body, false, nullptr);
        m_store.setSetting("token", response->getValue<std::string>("token"));
        adoptEpoch(response->optValue<std::string>("epoch", ""));
        m_store.setSetting("unlock_hash:" + user, Passwords::hash(password, m_options.unlockIterations));
        m_store.setUser(user);
        takeDeviceMarks(response);
        return true;
    }
    catch (const Error& e)
    {
        if (e.code() != ErrorCode::Network)
            throw;
        const std::string stored = m_store.setting("unlock_hash:" + user);
        if (stored.empty() || !Passwords::verify(password, stored))
            throw Error(ErrorCode::Unauthorized, "the central office cannot be reached and the password does not match "
                                                 "the last one used on this laptop");
        m_store.setUser(user);
        return false;
    }
}

void SyncClient::noteServerTime(const Poco::Net::HTTPResponse& response)
{
    // Fold the server's clock into ours: a laptop whose clock is behind
    // still stamps its next edits after everything the server has seen.
    // Detached (the file transfer's connections, one on a thread of its
    // own), the highest time seen waits for foldServerTime().
    Poco::Int64 serverTime = 0;
    if (!Poco::NumberParser::tryParse64(response.get("X-Berkas-Server-Time", ""), serverTime) || serverTime <= 0)
        return;
    if (!m_detached)
    {
        m_store.observeServerTime(serverTime);
        return;
    }
    std::int64_t seen = m_serverTimeSeen.load();
    while (serverTime > seen && !m_serverTimeSeen.compare_exchange_weak(seen, serverTime))
    {
    }
}

void SyncClient::foldServerTime()
{
    if (const std::int64_t seen = m_serverTimeSeen.exchange(0); seen > 0)
        m_store.observeServerTime(seen);
}

PullBatch SyncClient::fetchPull(std::int64_t cursor, std::int64_t ack, std::int64_t applied, SyncObserver* observer)
{
    std::string path = "/v1/pull?cursor=" + std::to_string(cursor) + "&limit=" + std::to_string(m_options.pullBatch) +
                       "&ack=" + std::to_string(ack) + "&shared=" + std::to_string(static_cast<int>(m_pullForm));
    if (applied < cursor)
        path += "&applied=" + std::to_string(applied);
    if (m_detached && !m_detached->epoch.empty())
        path += "&epoch=" + m_detached->epoch;
    return decodePullText(callText("GET", path, "", true, observer));
}

void SyncClient::applyPulled(PullBatch& batch, std::int64_t cursor)
{
    // Records that left this user's scope (sync/PROTOCOL.md, "Scope"): the
    // outbox was pushed before this pull, so nothing of this laptop's is lost
    // by dropping them; the server keeps them. In the same transaction as
    // the values, the cursor and the scope acknowledgement; new records are
    // indexed for search once, at the end.
    m_store.inBulk([&] {
        for (const auto& [kind, id] : batch.gone)
            if (model::findKind(kind))
                m_store.purgeLocal(kind, id);
        m_store.setSetting("scope_ack", std::to_string(batch.ack));
        applyPulled(batch.changes, cursor);
    });
}

void SyncClient::applyPulled(std::vector<WireChange>& changes, std::int64_t cursor)
{
    // One transaction per batch: the values and the cursor move together.
    m_store.inBatch([&] {
        std::size_t i = 0;
        while (i < changes.size())
        {
            const WireChange& first = changes[i];
            std::size_t end = i;
            while (end < changes.size() && changes[end].id == first.id && changes[end].kind == first.kind)
                ++end;
            const model::KindDef* kind = model::findKind(first.kind);
            if (!kind)
            {
                i = end; // a kind from a newer server; nothing here can show it
                continue;
            }
            // One read of the record and its stamps, handed to the write below.
            const auto local = m_store.replicaState(first.kind, first.id);
            const auto localStamps = local ? local->fieldStamps() : std::map<std::string, model::Stamp>{};
            const auto pending = local ? m_store.pendingChanges(first.id) : std::map<std::string, model::OutboxEntry>{};
            // The record as this laptop knows it, for the rules of the merge
            // that span fields (the laptop's pending change meets the pulled
            // value at the server).
            MergeContext context;
            if (local && !pending.empty())
            {
                context.recordDeleted = local->record.deleted();
                for (std::size_t k = i; k < end; ++k)
                    if (changes[k].field == model::field::kDeleted)
                        context.recordDeleted = changes[k].value.value_or("0") == "1";
                context.reviewConflictOpen = m_store.hasReviewConflict(first.id);
            }
            std::vector<std::pair<std::string, std::optional<std::string>>> fields;
            std::vector<model::Stamp> stamps;
            fields.reserve(end - i);
            stamps.reserve(end - i);
            std::vector<std::string> users; // each change's own author
            users.reserve(end - i);
            for (; i < end; ++i)
            {
                WireChange& c = changes[i];
                const bool known = c.field == model::field::kCreatedAt || c.field == model::field::kDeleted ||
                                   kind->field(c.field);
                if (!known)
                    continue;
                if (local)
                {
                    const auto it = localStamps.find(c.field);
                    const model::Stamp mine = it == localStamps.end() ? model::Stamp{} : it->second;
                    if (mine == c.stamp)
                        continue; // our own change coming back
                    if (const auto p = pending.find(c.field); p != pending.end())
                    {
                        const FieldChange change{first.kind, first.id, c.field, p->second.value, p->second.stamp,
                                                 p->second.base};
                        if (!pulledValueWins(*kind, change, FieldState{c.value, c.stamp}, context))
                            continue; // our unpushed edit will win at the server too
                    }
                }
                fields.emplace_back(c.field, std::move(c.value)); // applied once; the batch goes next
                stamps.push_back(c.stamp);
                users.push_back(c.user);
            }
            if (!fields.empty())
                m_store.writeReplicated(first.kind, first.id, fields, stamps, users, &local);
        }
        m_store.setSetting("cursor", std::to_string(cursor));
    });
}

Poco::JSON::Object::Ptr pushBody(model::CaseStore& store, const std::vector<model::OutboxEntry>& entries)
{
    PushBatch batch;
    batch.schema = model::Migrations::recordSchema();
    batch.deviceId = store.deviceId();
    batch.cursor = std::atoll(store.setting("cursor", "0").c_str());
    batch.epoch = store.setting("server_epoch");
    for (const auto& e : entries)
    {
        WireChange c;
        c.seq = e.seq;
        c.kind = e.kind;
        c.id = e.recordId;
        c.field = e.field;
        c.value = e.value;
        c.stamp = e.stamp;
        c.base = e.base;
        batch.changes.push_back(std::move(c));
    }
    return encodePush(batch);
}

void SyncClient::takeDeviceMarks(const Poco::JSON::Object::Ptr& answer)
{
    if (!answer || !answer->has("device"))
        return; // a server from before restored laptops were recognised
    const auto marks = answer->getObject("device");
    if (!marks)
        return;
    Poco::Int64 hlc = 0;
    Poco::NumberParser::tryParse64(marks->optValue<std::string>("hlc", "0"), hlc);
    m_store.moveCountersPast(marks->optValue<Poco::Int64>("seq", 0), hlc, marks->optValue<Poco::Int64>("provisional", 0));
}

std::int64_t SyncClient::takePushAnswer(const Poco::JSON::Object::Ptr& answer,
                                        const std::vector<model::OutboxEntry>& entries, SyncSummary& summary)
{
    const std::int64_t through = answer->getValue<std::int64_t>("accepted_through");
    std::int64_t after = through;
    m_store.inBatch([&] {
        model::RefusedChanges refusals(m_store);
        std::int64_t firstReused = 0;
        const auto results = answer->getArray("results");
        for (std::size_t i = 0; results && i < results->size(); ++i)
        {
            const auto r = results->getObject(static_cast<unsigned>(i));
            if (!r)
                continue;
            const auto outcome = pushOutcomeOf(r->optValue<std::string>("outcome", ""));
            const std::int64_t seq = r->optValue<Poco::Int64>("seq", 0);
            if (outcome == PushOutcome::Reused)
            {
                if (firstReused == 0 || seq < firstReused)
                    firstReused = seq;
                continue;
            }
            if (outcome != PushOutcome::Refused)
                continue;
            const auto entry = std::find_if(entries.begin(), entries.end(),
                                            [&](const model::OutboxEntry& e) { return e.seq == seq; });
            if (entry == entries.end())
                continue;
            model::RefusedChange refused;
            refused.entry = *entry;
            refused.code = r->optValue<std::string>("code", "out_of_scope");
            refused.reason = r->optValue<std::string>("reason", "");
            refused.held = r->optValue<bool>("held", false);
            if (refused.held)
            {
                if (!r->isNull("value") && r->has("value"))
                    refused.serverValue = r->getValue<std::string>("value");
                refused.serverStamp = model::parseStamp(r->optValue<std::string>("stamp", "0@"));
                refused.serverUser = r->optValue<std::string>("user", "");
            }
            refusals.apply(refused);
            ++summary.refused;
        }
        m_store.acknowledge(through);
        takeDeviceMarks(answer);
        adoptEpoch(answer->optValue<std::string>("epoch", ""));
        if (firstReused > 0)
        {
            // This laptop's folder was put back from an older copy: the
            // server took these ids from it before, for other changes.
            const auto marks = answer->getObject("device");
            const std::int64_t serverSeq = marks ? marks->optValue<Poco::Int64>("seq", 0) : 0;
            const std::int64_t provisional = marks ? marks->optValue<Poco::Int64>("provisional", 0) : 0;
            summary.renumbered += m_store.renumberUnsent(firstReused, serverSeq, provisional);
            after = 0; // the renumbered entries are the outbox's newest; read them again
        }
    });
    return after;
}

void SyncClient::adoptEpoch(const std::string& epoch)
{
    // A laptop that never saw an epoch (its data is older than epochs, or
    // it is new) takes the server's as it is: nothing to send back.
    if (!epoch.empty() && m_store.setting("server_epoch").empty())
        m_store.setSetting("server_epoch", epoch);
}

std::int64_t SyncClient::replayHeld(SyncObserver* observer)
{
    const std::string lastEpoch = m_store.setting("server_epoch");
    std::string epoch;
    std::int64_t replayed = 0;
    std::vector<WireChange> changes;
    const auto send = [&] {
        if (changes.empty())
            return;
        const std::string body = encodePullText(changes, 0, false, 0, {}, 0, PullForm::Full);
        const auto answer = parseObject(callText("POST", "/v1/replay?epoch=" + lastEpoch, body, true, observer));
        epoch = answer->optValue<std::string>("epoch", epoch);
        replayed += static_cast<std::int64_t>(changes.size());
        changes.clear();
        if (observer)
            observer->progress({"replay", replayed, -1});
    };
    // Every value this laptop holds with its stamp, a record whole in one
    // request; fields with an unpushed change go with the outbox instead.
    for (const auto& kind : model::kinds())
    {
        model::ListQuery query;
        query.kind = kind.name;
        query.includeDeleted = true;
        for (const auto& record : m_store.list(query))
        {
            const auto state = m_store.replicaState(kind.name, record.id);
            if (!state)
                continue;
            const auto pending = m_store.pendingChanges(record.id);
            for (const auto& [field, stamp] : state->fieldStamps())
            {
                if (stamp.isZero() || pending.count(field))
                    continue;
                WireChange c;
                c.kind = kind.name;
                c.id = record.id;
                c.field = field;
                const std::string& value = state->record.value(field);
                if (!value.empty())
                    c.value = value;
                c.stamp = stamp;
                changes.push_back(std::move(c));
            }
            if (changes.size() >= 4000)
                send();
        }
    }
    send();
    if (epoch.empty())
        epoch = parseObject(callText("GET", "/v1/time", "", false, observer))->optValue<std::string>("epoch", "");
    // Pull everything again from the restored server, under its epoch. The
    // files it had are known no more: its file folder may be older too, so
    // the next transfer asks about each file again and sends what it lacks.
    m_store.inBatch([&] {
        m_store.setSetting("server_epoch", epoch);
        m_store.setSetting("cursor", "0");
        m_store.setSetting("scope_ack", "0");
        m_store.database().exec("DELETE FROM file_uploaded");
    });
    return replayed;
}

SyncSummary SyncClient::sync(SyncObserver* observer)
{
    // The connection is closed when the sync ends, however it ends: left
    // open and idle it would hold one of the server's worker threads until
    // its keep-alive timeout, and an office syncs more laptops at once than
    // the server has threads (berkas-bench booking-storm).
    struct CloseAtEnd
    {
        std::unique_ptr<Poco::Net::HTTPClientSession>& session;
        ~CloseAtEnd()
        {
            if (session)
                session->reset();
        }
    } closeAtEnd{m_session};
    SyncSummary summary;
    try
    {
        summary = syncOnce(observer);
    }
    catch (const Error& e)
    {
        if (e.code() != ErrorCode::Conflict)
            throw;
        // The central office was restored from a backup since this laptop
        // last synced (sync/PROTOCOL.md, "Restored servers"): send back what
        // it holds, then push and pull from the start.
        const std::int64_t replayed = replayHeld(observer);
        summary = syncOnce(observer);
        summary.replayed = replayed;
    }
    // Files after the records: a task is usable before its photos arrive.
    if (!summary.cancelled)
        transferFiles(summary, observer);
    return summary;
}

void SyncClient::exchangeEscrow(SyncObserver* observer)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    Poco::JSON::Array::Ptr release = new Poco::JSON::Array;
    for (const auto& g : m_store.escrow().released())
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("location", g.location);
        o->set("service_code", g.serviceCode);
        o->set("date", g.date);
        release->add(o);
    }
    body->set("release", release);
    Poco::JSON::Object::Ptr answer;
    try
    {
        answer = call("POST", "/v1/escrow", body, true, observer);
    }
    catch (const Error& e)
    {
        if (e.code() == ErrorCode::NotFound) // a server from before escrow
            return;
        throw;
    }
    std::vector<model::EscrowLedger::Grant> grants;
    if (const auto list = answer->getArray("escrow"))
        for (std::size_t i = 0; i < list->size(); ++i)
        {
            const auto o = list->getObject(static_cast<unsigned>(i));
            if (!o)
                continue;
            grants.push_back({o->optValue<std::string>("location", ""), o->optValue<std::string>("service_code", ""),
                              o->optValue<std::string>("date", ""), o->optValue<int>("slots", 0),
                              o->optValue<int>("used", 0)});
        }
    m_store.escrow().replace(grants);
}

SyncSummary SyncClient::syncOnce(SyncObserver* observer)
{
    SyncSummary summary;
    // Grants for tomorrow or earlier are given up before the push: every
    // booking made from them is in the outbox, so once this push is taken
    // the server may return what they left unused (exchangeEscrow).
    m_store.escrow().releaseDue(m_store.today());
    const std::int64_t total = m_store.outboxSize();
    std::int64_t after = 0;
    int renumberings = 0;
    for (;;)
    {
        if (observer && observer->cancelled())
        {
            summary.cancelled = true;
            return summary;
        }
        auto entries = m_store.outbox(m_options.pushBatch, after);
        if (entries.empty())
            break;
        if (entries.size() == m_options.pushBatch)
        {
            // A record's changes written together go together: the server
            // judges a new record by everything it arrives with.
            std::size_t cut = entries.size();
            while (cut > 0 && entries[cut - 1].recordId == entries.back().recordId)
                --cut;
            if (cut > 0)
                entries.resize(cut);
        }
        const auto body = pushBody(m_store, entries);
        const auto response = call("POST", "/v1/push", body, true, observer);
        const std::int64_t renumberedBefore = summary.renumbered;
        after = takePushAnswer(response, entries, summary);
        summary.pushed += static_cast<std::int64_t>(entries.size());
        if (summary.renumbered > renumberedBefore && ++renumberings > 3)
            throw Error(ErrorCode::InvalidData, "the central office keeps refusing this laptop's change ids; "
                                                "nothing was lost, but call the administrator");
        if (observer)
            observer->progress({"push", summary.pushed, total});
    }

    // Pull. While one batch is applied the next is already being fetched
    // and decoded on a second thread, unless the scope acknowledgement
    // moves with this batch (the next request must then carry the new one).
    // That thread touches only the network: it sends the cursor committed so
    // far as `applied`, and its answer is used only once this one is in.
    if (observer && observer->cancelled())
    {
        summary.cancelled = true;
        return summary;
    }
    std::int64_t cursor = std::atoll(m_store.setting("cursor", "0").c_str());
    std::int64_t ack = std::atoll(m_store.setting("scope_ack", "0").c_str());
    m_detached = Detached{m_store.setting("server_url"), m_store.setting("token"), m_store.setting("server_epoch")};
    std::string epochSeen;
    bool escrowHeld = false;
    m_serverTimeSeen = 0;
    {
        // Attached again on every way out, once the request running ahead
        // has ended: the future of std::async waits for it, and it goes
        // first, being declared last.
        struct Reattach
        {
            SyncClient& client;
            ~Reattach() { client.m_detached.reset(); }
        } reattach{*this};
        // A pull of more than one batch leaves the copying of the store's
        // log into its file to a thread of its own (model::BackgroundCheckpoint).
        std::optional<model::BackgroundCheckpoint> checkpoint;
        std::future<PullBatch> ahead;
        // The changes applied last, until the next request running ahead
        // frees them (50,000 changes take milliseconds to free).
        std::vector<WireChange> spent;
        PullBatch batch;
        try
        {
            batch = fetchPull(cursor, ack, cursor, observer);
        }
        catch (const Error& e)
        {
            // A server older than this laptop writes answers in the forms
            // shared=0 and 1 only, and says so.
            if (e.code() != ErrorCode::InvalidData || m_pullForm != PullForm::Compact ||
                std::string(e.what()).rfind("shared:", 0) != 0)
                throw;
            m_pullForm = PullForm::SharedStamps;
            batch = fetchPull(cursor, ack, cursor, observer);
        }
        for (;;)
        {
            const bool runAhead = batch.more && batch.gone.empty() && batch.ack == ack;
            if (batch.more && !checkpoint)
                checkpoint.emplace(m_store.database());
            if (runAhead)
                ahead = std::async(std::launch::async, [this, from = batch.cursor, ack, applied = cursor, observer,
                                                        spent = std::move(spent)]() mutable {
                    std::vector<WireChange>().swap(spent); // freed here, not on the applying thread
                    return fetchPull(from, ack, applied, observer);
                });
            foldServerTime();
            // Also an answer with nothing in a scoped laptop's scope moves its cursor.
            if (!batch.changes.empty() || !batch.gone.empty() || batch.ack != ack || batch.cursor != cursor)
                applyPulled(batch, batch.cursor);
            ack = batch.ack;
            if (!batch.epoch.empty())
                epochSeen = batch.epoch;
            escrowHeld = escrowHeld || batch.escrow;
            summary.pulled += static_cast<std::int64_t>(batch.changes.size());
            cursor = batch.cursor;
            if (observer)
                observer->progress({"pull", summary.pulled, -1});
            if (!batch.more)
                break;
            if (observer && observer->cancelled())
            {
                summary.cancelled = true;
                break;
            }
            spent = std::move(batch.changes);
            batch = runAhead ? ahead.get() : fetchPull(cursor, ack, cursor, observer);
        }
    }
    foldServerTime();
    adoptEpoch(epochSeen);
    // Only a device with granted slots, held or to give back, asks.
    if (!summary.cancelled &&
        (escrowHeld || !m_store.escrow().grants().empty() || !m_store.escrow().released().empty()))
        exchangeEscrow(observer);
    summary.cursor = cursor;
    summary.conflicts = model::countOpenConflicts(m_store);
    return summary;
}

} // namespace berkas::sync
