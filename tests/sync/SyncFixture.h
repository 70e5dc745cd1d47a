#pragma once

#include "model/CaseStore.h"
#include "model/Conflict.h"
#include "tests/support/TempDir.h"
#include "sync/Passwords.h"
#include "sync/server/ServerStore.h"
#include "sync/SyncClient.h"
#include "sync/server/SyncServer.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace berkas::test {

inline constexpr unsigned kTestIterations = 1000;
inline constexpr const char* kPassword = "kata-sandi-uji-1";

/// berkas-server in process on 127.0.0.1 with a real SQLite file; can be
/// stopped and started again on the same file (a restart).
struct TestServer
{
    TempDir dir;
    std::unique_ptr<sync::ServerStore> store;
    std::unique_ptr<sync::SyncServer> http;
    int port = 0;
    sync::SyncServerOptions options;

    std::string database; ///< a --database URL; empty: SQLite in dir
    std::size_t maxPullBytes = 0; ///< 0: the store's default
    std::optional<std::size_t> maxKeptScopes; ///< unset: the store's default
    std::function<std::int64_t()> clockMs;    ///< unset: the system clock

    TestServer() { start(); }
    /// On the database a --database URL names (PostgreSQL in its test).
    TestServer(std::string databaseUrl, int threads) : database(std::move(databaseUrl))
    {
        options.threads = threads;
        start();
    }
    /// With settings of the HTTP side (limits, throttling, token lifetime).
    explicit TestServer(sync::SyncServerOptions o) : options(std::move(o)) { start(); }
    ~TestServer() { stop(); }

    void start()
    {
        sync::ServerStoreOptions o = sync::ServerStore::optionsFor(database, dir.path);
        if (maxPullBytes > 0)
            o.maxPullBytes = maxPullBytes;
        if (maxKeptScopes)
            o.maxKeptScopes = *maxKeptScopes;
        if (clockMs)
            o.clockMs = clockMs;
        store = std::make_unique<sync::ServerStore>(o);
        options.port = port; // same port after a restart
        if (options.fileDir.empty())
            options.fileDir = dir.path + "/files";
        options.threads = 4;
        options.plainHttp = options.tlsCert.empty(); // plain HTTP on 127.0.0.1 unless a test gives a certificate
        http = std::make_unique<sync::SyncServer>(*store, options);
        http->start();
        port = http->port();
    }
    void stop()
    {
        http.reset();
        store.reset();
    }
    void restart()
    {
        stop();
        start();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    void addUser(const std::string& name, const std::string& role, const std::string& kecamatan = "")
    {
        store->addUser({name, role, kecamatan, sync::Passwords::hash(kPassword, kTestIterations), false, ""});
    }
};

/// Replaces the files of folder @p to with those of @p from, as a backup put
/// back or a disk image would.
inline void copyFolder(const std::string& from, const std::string& to)
{
    for (Poco::DirectoryIterator it(to), end; it != end; ++it)
        Poco::File(it->path()).remove(true);
    for (Poco::DirectoryIterator it(from), end; it != end; ++it)
        Poco::File(it->path()).copyTo(to);
}

/// Every user-visible field of a record, for comparing replicas (updated_at
/// is when the row changed on that laptop and is not replicated).
inline model::FieldMap visibleFields(const model::Record& r)
{
    model::FieldMap out;
    for (const auto& [k, v] : r.values)
        if (k != model::field::kUpdatedAt)
            out[k] = v;
    return out;
}

/// A laptop: its own data folder, store and sync client, enrolled as a user.
struct Laptop
{
    TempDir dir;
    std::unique_ptr<model::CaseStore> store;
    std::unique_ptr<sync::SyncClient> client;
    sync::SyncClientOptions options;

    explicit Laptop(TestServer& server, const std::string& user, bool enroll = true)
    {
        options.unlockIterations = kTestIterations;
        options.baseDelayMs = 5;
        open();
        if (enroll)
            client->enroll(server.url(), user, kPassword);
    }
    void open()
    {
        client.reset();
        store.reset();
        model::StoreOptions o;
        o.dataDir = dir.path;
        store = std::make_unique<model::CaseStore>(o);
        client = std::make_unique<sync::SyncClient>(*store, options);
    }
    sync::SyncSummary sync() { return client->sync(); }
    std::string newApplication(const std::string& name = "Ani Lestari")
    {
        return store->create("application", {{"service_code", "PBG"},
                                             {"applicant_name", name},
                                             {"nik", "3275094107900001"},
                                             {"phone", "081234567890"},
                                             {"channel", "phone"},
                                             {"kecamatan", "32.75.09"}});
    }
    /// @p count applications named "Ani Sintetis 0", "Ani Sintetis 1", ...: their ids.
    std::vector<std::string> newApplications(int count)
    {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i)
            ids.push_back(newApplication("Ani Sintetis " + std::to_string(i)));
        return ids;
    }
    std::vector<model::Record> openConflicts() { return store->list(model::openConflictsQuery()); }
};

} // namespace berkas::test
