#include "bench/SyncBench.h"

#include "bench/BenchStore.h"

#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Hlc.h"
#include "model/Migrations.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/Protocol.h"
#include "sync/server/ServerStore.h"
#include "sync/SyncClient.h"
#include "sync/server/SyncServer.h"

#include <Poco/JSON/Array.h>
#include <Poco/Path.h>
#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/TemporaryFile.h>

#include <sys/resource.h>

#include <chrono>
#include <memory>
#include <algorithm>
#include <random>
#include <sstream>

namespace berkas::bench {

namespace {

using Clock = std::chrono::steady_clock;

/// CPU seconds the calling thread has used so far.
double threadCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

using Folder = BenchFolder;

const char* const kPassword = "bench-password-1";
const std::vector<std::string> kFields = {"provisional_no", "service_code", "applicant_name", "nik", "phone", "email",
                                          "address", "kecamatan", "kelurahan", "channel", "status", "submitted_at"};

/// The values of synthetic application @p i, field by field (kFields order).
std::vector<std::string> applicationValues(std::int64_t i)
{
    const std::string n = std::to_string(i);
    return {"P-BENCH1-" + n,
            "PBG",
            "Pemohon Sintetis " + n,
            "3275094107" + std::string("90") + std::to_string(1000 + i % 9000),
            "+628123" + std::to_string(1000000 + i % 8999999),
            "pemohon" + n + "@contoh.id",
            "Jl. Sintetis No. " + n,
            "32.75.09",
            "32.75.09.1001",
            "portal",
            "submitted",
            "2026-11-02T09:00:00+07:00"};
}

/// A server holding @p count applications, loaded straight into its SQLite
/// file (the shape of rows a push would leave), plus a user and a device.
struct LoadedServer
{
    Folder folder;
    std::unique_ptr<sync::ServerStore> store;
    std::unique_ptr<sync::SyncServer> http;
    std::string device = model::newUuidV7();
    std::vector<std::string> ids;

    explicit LoadedServer(std::int64_t count)
    {
        const std::string path = folder.path + "/server.db";
        {
            sync::ServerStoreOptions o;
            o.connection = path;
            sync::ServerStore init(o);
            init.addUser({"bench", "manager", "", sync::Passwords::hash(kPassword, 1000), false, ""});
            // A clerk of the kecamatan every application is in: the same
            // records through the scoped pull.
            init.addUser({"bench.clerk", "clerk", "32.75.09", sync::Passwords::hash(kPassword, 1000), false, ""});
        }
        {
            model::Database db(path);
            db.exec("BEGIN");
            model::Statement insert(db, "INSERT INTO fields (record_id, field, kind, value, hlc, device, user_name, seq) "
                                        "VALUES (?, ?, 'application', ?, ?, ?, 'bench', ?)");
            model::Statement record(db, "INSERT INTO records (record_id, kind) VALUES (?, 'application')");
            std::int64_t seq = 0;
            const std::int64_t hlc = model::HybridLogicalClock::fromPhysicalMs(model::HybridLogicalClock::systemMs() - 3600000);
            ids.reserve(static_cast<std::size_t>(count));
            for (std::int64_t i = 0; i < count; ++i)
            {
                const std::string id = model::newUuidV7();
                ids.push_back(id);
                const auto values = applicationValues(i);
                record.bind(1, id).run();
                insert.bind(1, id).bind(2, "created_at").bind(3, "2026-11-02T09:00:00+07:00").bind(4, hlc + i).bind(5, device).bind(6, ++seq).run();
                for (std::size_t f = 0; f < kFields.size(); ++f)
                    insert.bind(1, id).bind(2, kFields[f]).bind(3, values[f]).bind(4, hlc + i).bind(5, device).bind(6, ++seq).run();
            }
            db.exec("INSERT INTO counters (name, value) VALUES ('seq', " + std::to_string(seq) +
                    ") ON CONFLICT (name) DO UPDATE SET value = excluded.value");
            db.exec("COMMIT");
        }
        sync::ServerStoreOptions o;
        o.connection = path;
        store = std::make_unique<sync::ServerStore>(o);
        sync::SyncServerOptions so;
        so.port = 0;
        so.plainHttp = true; // 127.0.0.1
        http = std::make_unique<sync::SyncServer>(*store, so);
        http->start();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(http->port()); }
};

struct BenchLaptop
{
    Folder folder;
    std::unique_ptr<model::CaseStore> store;
    std::unique_ptr<sync::SyncClient> client;

    explicit BenchLaptop(const std::string& url, const std::string& user = "bench")
    {
        store = std::make_unique<model::CaseStore>(benchStoreOptions(folder.path, user));
        sync::SyncClientOptions co;
        co.unlockIterations = 1000;
        client = std::make_unique<sync::SyncClient>(*store, co);
        client->enroll(url, user, kPassword);
    }
};

/// The fastest load SQLite does of the same application rows (every field,
/// with the creation stamp and the per-field stamps a pull stores) into the
/// same migrated schema: one transaction, the table's indexes and search
/// triggers dropped first, the indexes and the search index built once
/// after. The floor a pull is measured against.
double fastestLoadSeconds(std::int64_t count)
{
    Folder folder;
    model::Database db(folder.path + "/reference.db", benchKey());
    db.exec(model::CaseStore::kPragmas);
    model::Migrations::migrate(db);
    std::vector<std::string> recreate;
    {
        model::Statement s(db, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'application' AND "
                               "type IN ('index', 'trigger') AND sql IS NOT NULL");
        std::vector<std::string> drops;
        while (s.step())
        {
            drops.push_back("DROP " + s.text(0) + " " + s.text(1));
            recreate.push_back(s.text(2));
        }
        s.reset();
        for (const auto& d : drops)
            db.exec(d);
    }
    const std::string device = model::newUuidV7();
    const std::int64_t hlc = model::HybridLogicalClock::fromPhysicalMs(model::HybridLogicalClock::systemMs());
    const auto start = Clock::now();
    db.exec("BEGIN");
    std::string sql = "INSERT INTO application (id, created_at, updated_at, _hlc, _device, _stamps";
    std::string marks = "?, ?, ?, ?, ?, ?";
    for (const auto& f : kFields)
    {
        sql += ", " + f;
        marks += ", ?";
    }
    model::Statement insert(db, sql + ") VALUES (" + marks + ")");
    for (std::int64_t i = 0; i < count; ++i)
    {
        const auto values = applicationValues(i);
        Poco::JSON::Object stamps;
        for (const auto& f : kFields)
            stamps.set(f, model::formatStamp({hlc + i, device}));
        std::ostringstream stampsJson;
        stamps.stringify(stampsJson);
        insert.bind(1, model::newUuidV7())
            .bind(2, "2026-11-02T09:00:00+07:00")
            .bind(3, "2026-11-02T09:00:00+07:00")
            .bind(4, hlc + i)
            .bind(5, device)
            .bind(6, stampsJson.str());
        for (std::size_t f = 0; f < values.size(); ++f)
            insert.bind(static_cast<int>(f) + 7, values[f]);
        insert.run();
    }
    for (const auto& r : recreate)
        db.exec(r);
    db.exec("INSERT INTO application_fts(application_fts) VALUES ('rebuild')");
    db.exec("COMMIT");
    return secondsSince(start);
}

/// Changes @p count records on the server, one field each, as another device would.
void changeOnServer(LoadedServer& server, std::int64_t count, const std::string& device)
{
    std::vector<sync::WireChange> changes;
    const std::int64_t hlc = model::HybridLogicalClock::fromPhysicalMs(model::HybridLogicalClock::systemMs());
    static std::int64_t seq = 0;
    for (std::int64_t i = 0; i < count; ++i)
    {
        sync::WireChange c;
        c.seq = ++seq;
        c.kind = "application";
        c.id = server.ids[static_cast<std::size_t>(i * 7919 % static_cast<std::int64_t>(server.ids.size()))];
        c.field = "phone";
        // Random digits: real phone numbers do not compress like a counter.
        static std::mt19937 rng(7);
        c.value = "+62812" + std::to_string(1000000 + rng() % 8999999);
        c.stamp = {hlc + seq, device};
        c.base = server.store->stamp(c.id, c.field);
        changes.push_back(c);
    }
    server.store->push(device, "bench", 0, changes);
}

} // namespace

Poco::JSON::Object::Ptr benchSyncPull(std::int64_t records, bool asClerk)
{
    LoadedServer server(records);
    // Three fresh laptops pull in turn; the median is the figure (one pull
    // is two seconds of a shared machine whose speed drifts).
    struct Pull
    {
        double seconds;
        double applyCpu;
        std::int64_t pulled;
    };
    std::vector<Pull> pulls;
    Poco::JSON::Array::Ptr each = new Poco::JSON::Array;
    for (int round = 0; round < 3; ++round)
    {
        BenchLaptop laptop(server.url(), asClerk ? "bench.clerk" : "bench");
        const auto start = Clock::now();
        const double cpuBefore = threadCpuSeconds();
        const auto summary = laptop.client->sync();
        pulls.push_back({secondsSince(start), threadCpuSeconds() - cpuBefore, summary.pulled});
        each->add(pulls.back().seconds);
    }
    std::sort(pulls.begin(), pulls.end(), [](const Pull& a, const Pull& b) { return a.seconds < b.seconds; });
    const double pull = pulls[1].seconds;
    const double applyCpu = pulls[1].applyCpu;
    const double reference = fastestLoadSeconds(records);
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("benchmark", "sync-pull");
    o->set("as", asClerk ? "clerk" : "manager");
    o->set("records", records);
    o->set("field_changes_pulled", pulls[1].pulled);
    o->set("seconds", pull);
    o->set("seconds_each", each);
    o->set("records_per_second", static_cast<double>(records) / pull);
    // The laptop's applying thread (the critical path); the server and the
    // thread fetching ahead share the two cores with it.
    o->set("applying_thread_cpu_seconds", applyCpu);
    // The floor: the fastest load of the same rows into the same schema.
    o->set("fastest_load_seconds", reference);
    o->set("ratio_to_fastest_load", pull / reference);
    o->set("target_seconds_for_100000", 3.0);
    return o;
}

Poco::JSON::Object::Ptr benchSyncIncremental(std::int64_t small, std::int64_t large, bool asClerk)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("benchmark", "sync-incremental");
    o->set("as", asClerk ? "clerk" : "manager");
    // Both laptops are synced up first, then their rounds alternate: a noisy
    // spell of this shared machine then falls on both sizes alike instead
    // of on whichever was being measured at the time.
    const std::int64_t sizes[2] = {small, large};
    std::unique_ptr<LoadedServer> servers[2];
    std::unique_ptr<BenchLaptop> laptops[2];
    for (int k = 0; k < 2; ++k)
    {
        servers[k] = std::make_unique<LoadedServer>(sizes[k]);
        servers[k]->store->enrollDevice(servers[k]->device, "bench");
        laptops[k] = std::make_unique<BenchLaptop>(servers[k]->url(), asClerk ? "bench.clerk" : "bench");
        laptops[k]->client->sync(); // the laptop holds everything
    }
    // Median of 21 rounds of 10 changed records: one round is a couple of
    // milliseconds, which this shared machine's noise can double.
    std::vector<double> rounds[2];
    for (int r = 0; r < 21; ++r)
        for (int k = 0; k < 2; ++k)
        {
            changeOnServer(*servers[k], 10, servers[k]->device);
            const auto start = Clock::now();
            laptops[k]->client->sync();
            rounds[k].push_back(secondsSince(start));
        }
    double times[2] = {0, 0};
    for (int k = 0; k < 2; ++k)
    {
        std::sort(rounds[k].begin(), rounds[k].end());
        times[k] = rounds[k][rounds[k].size() / 2];
    }
    // Median of five rounds of 1,000 changed records, for the same reason.
    std::vector<double> thousands;
    for (int r = 0; r < 5; ++r)
    {
        changeOnServer(*servers[0], 1000, servers[0]->device);
        const auto start = Clock::now();
        laptops[0]->client->sync();
        thousands.push_back(secondsSince(start));
    }
    std::sort(thousands.begin(), thousands.end());
    const double thousand = thousands[thousands.size() / 2];
    o->set("records_small", small);
    o->set("records_large", large);
    o->set("seconds_10_changed_small", times[0]);
    o->set("seconds_10_changed_large", times[1]);
    o->set("ratio_large_to_small", times[1] / times[0]);
    o->set("seconds_1000_changed", thousand);
    o->set("target_ratio", 1.5);
    o->set("target_seconds_1000_changed", 0.1);
    return o;
}

Poco::JSON::Object::Ptr benchSyncPush(std::int64_t edits)
{
    LoadedServer server(edits);
    BenchLaptop laptop(server.url());
    laptop.client->sync();
    // Offline edits: one field each, on as many records.
    laptop.store->inBatch([&] {
        for (std::int64_t i = 0; i < edits; ++i)
            laptop.store->update(server.ids[static_cast<std::size_t>(i)], {{"address", "Jl. Luring No. " + std::to_string(i)}});
    });
    const auto start = Clock::now();
    const auto summary = laptop.client->sync();
    const double seconds = secondsSince(start);
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("benchmark", "sync-push");
    o->set("edits", edits);
    o->set("pushed", summary.pushed);
    o->set("seconds", seconds);
    o->set("changes_per_second", static_cast<double>(summary.pushed) / seconds);
    return o;
}

Poco::JSON::Object::Ptr benchWireBytes()
{
    // Bytes of the gzip bodies the protocol actually sends, measured by
    // asking the server directly with the client's encoding.
    LoadedServer server(1000);
    server.store->enrollDevice(server.device, "bench");
    BenchLaptop laptop(server.url());
    laptop.client->sync();
    const std::string cursor = laptop.store->setting("cursor");
    changeOnServer(server, 100, server.device);

    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.http->port()));
    // In the form the client asks for (sync/PROTOCOL.md, "shared").
    Poco::Net::HTTPRequest request("GET", "/v1/pull?shared=2&cursor=" + cursor, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept-Encoding", "gzip");
    request.set("Authorization", "Bearer " + laptop.store->setting("token"));
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    const std::string pullBody = sync::readAll(session.receiveResponse(response), 1 << 30);

    // The push side: 100 single-field edits, encoded as the client sends them.
    laptop.store->inBatch([&] {
        for (int i = 0; i < 100; ++i)
            laptop.store->update(server.ids[static_cast<std::size_t>(i)], {{"address", "Jl. Wire No. " + std::to_string(i)}});
    });
    std::int64_t pushBytes = 0;
    const auto before = laptop.store->outbox(1000);
    {
        Poco::JSON::Object::Ptr body = sync::pushBody(*laptop.store, before);
        pushBytes = static_cast<std::int64_t>(sync::gzip(sync::toJsonText(body)).size());
    }
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("benchmark", "wire-bytes");
    o->set("changes", 100);
    o->set("pull_body_bytes", static_cast<std::int64_t>(pullBody.size()));
    o->set("pull_bytes_per_change", static_cast<double>(pullBody.size()) / 100.0);
    o->set("push_body_bytes", pushBytes);
    o->set("push_bytes_per_change", static_cast<double>(pushBytes) / 100.0);
    o->set("target_bytes_per_change", 100);
    return o;
}

} // namespace berkas::bench
