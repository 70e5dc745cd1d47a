#pragma once

#include "model/Hlc.h"
#include "model/Uuid.h"
#include "sync/Protocol.h"
#include "tests/sync/SyncFixture.h"

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <string>

namespace berkas::test {

/// One HTTP answer: status, body text and the Retry-After header.
struct Answer
{
    int status = 0;
    std::string body;
    std::string retryAfter;

    Poco::JSON::Object::Ptr json() const { return sync::parseObject(body); }
    std::string errorCode() const
    {
        try
        {
            const auto o = json();
            return o->has("error") ? o->getObject("error")->getValue<std::string>("code") : "";
        }
        catch (...)
        {
            return "";
        }
    }
};

/// Raw HTTP against a TestServer, for cells a SyncClient would never send.
struct ApiClient
{
    TestServer& server;
    std::string deviceId = model::newUuidV7();
    std::string token;
    std::int64_t changeSeq = 0;

    explicit ApiClient(TestServer& s) : server(s) {}

    Answer request(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& bearer = "", const std::string& contentEncoding = "",
                   std::int64_t declaredLength = -1)
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port));
        session.setTimeout(Poco::Timespan(30, 0));
        Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!bearer.empty())
            req.set("Authorization", "Bearer " + bearer);
        if (!contentEncoding.empty())
            req.set("Content-Encoding", contentEncoding);
        req.setContentType("application/json");
        req.setContentLength64(declaredLength >= 0 ? declaredLength : static_cast<Poco::Int64>(body.size()));
        session.sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session.receiveResponse(res);
        Answer a;
        Poco::StreamCopier::copyToString(in, a.body);
        a.status = res.getStatus();
        a.retryAfter = res.get("Retry-After", "");
        return a;
    }

    static std::string loginBody(const std::string& user, const std::string& password, const std::string& device)
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("user", user);
        o->set("password", password);
        o->set("device_id", device);
        return sync::toJsonText(o);
    }

    /// Enrolls this device as @p user; the status of the answer.
    int enroll(const std::string& user, const std::string& password = kPassword)
    {
        const Answer a = request("POST", "/v1/enroll", loginBody(user, password, deviceId));
        if (a.status == 200)
            token = a.json()->getValue<std::string>("token");
        return a.status;
    }

    /// A push body of one change that replaces the server's current value
    /// (its base is the server's stamp, so it is not a concurrent edit).
    std::string pushBody(const std::string& kind, const std::string& id,
                         const std::vector<std::pair<std::string, std::optional<std::string>>>& fields)
    {
        sync::PushBatch batch;
        batch.schema = 1;
        batch.deviceId = deviceId;
        batch.cursor = server.store->lastSeq();
        std::int64_t hlc = model::HybridLogicalClock::fromPhysicalMs(server.store->nowMs());
        for (const auto& [field, value] : fields)
        {
            sync::WireChange c;
            c.seq = ++changeSeq;
            c.kind = kind;
            c.id = id;
            c.field = field;
            c.value = value;
            c.stamp = {++hlc, deviceId};
            c.base = server.store->stamp(id, field);
            batch.changes.push_back(c);
        }
        return sync::toJsonText(sync::encodePush(batch));
    }

    Answer push(const std::string& kind, const std::string& id,
                const std::vector<std::pair<std::string, std::optional<std::string>>>& fields)
    {
        return request("POST", "/v1/push", pushBody(kind, id, fields), token);
    }

    /// "refused" when every change was refused, "applied" when none was, else "mixed".
    static std::string outcome(const Answer& a)
    {
        if (a.status != 200)
            return "http " + std::to_string(a.status);
        const auto results = a.json()->getArray("results");
        std::size_t refused = 0;
        for (std::size_t i = 0; i < results->size(); ++i)
            if (results->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome") == "refused")
                ++refused;
        return refused == 0 ? "applied" : "refused";
    }

    /// Every record id a full pull from cursor 0 gives this device, and the gone ids.
    std::set<std::string> pullIds(std::int64_t ack = 0)
    {
        std::set<std::string> ids;
        std::int64_t cursor = 0;
        for (int guard = 0; guard < 1000; ++guard)
        {
            const Answer a = request("GET", "/v1/pull?cursor=" + std::to_string(cursor) + "&ack=" + std::to_string(ack), "", token);
            if (a.status != 200)
                throw std::runtime_error("pull answered " + std::to_string(a.status));
            const auto batch = sync::decodePullText(a.body);
            for (const auto& c : batch.changes)
                ids.insert(c.id);
            cursor = batch.cursor;
            ack = batch.ack;
            if (!batch.more)
                break;
        }
        return ids;
    }
};

} // namespace berkas::test
