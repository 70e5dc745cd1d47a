#include "bench/ServerLoadBench.h"

#include "bench/Applicants.h"
#include "bench/BenchStats.h"
#include "bench/BenchStore.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "sync/Passwords.h"
#include "sync/SyncClient.h"
#include "sync/server/ServerStore.h"
#include "tests/sync/ScratchDatabase.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

namespace berkas::bench {

namespace {

using Clock = std::chrono::steady_clock;

const char* const kPassword = "bench-password-1";

double secondsBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

double round2(double v)
{
    return std::round(v * 100) / 100;
}

/// Resident memory of process @p pid in kB (VmRSS of /proc/PID/status), 0
/// when it cannot be read.
long residentKb(Poco::ProcessHandle::PID pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atol(line.c_str() + 6);
    return 0;
}

int freePort()
{
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    const int port = s.address().port();
    s.close();
    return port;
}

/// A child process whose output (stdout and stderr) is read on a thread of
/// its own into a log, so that it never blocks on a full pipe. Stopped with
/// SIGINT (berkas-server and nginx both stop cleanly on it) and waited for.
class ChildProcess
{
public:
    ChildProcess(const std::string& what, const std::string& binary, const std::vector<std::string>& args)
        : m_what(what)
    {
        Poco::Pipe out;
        m_handle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(binary, args, nullptr, &out, &out));
        m_reader = std::thread([this, out]() mutable {
            Poco::PipeInputStream in(out);
            std::string line;
            while (std::getline(in, line))
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_log += line + "\n";
                m_changed.notify_all();
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            m_ended = true;
            m_changed.notify_all();
        });
    }
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The first match of @p pattern's group 1 in the output; throws when
    /// the process ends or @p seconds pass first.
    std::string waitFor(const std::regex& pattern, int seconds)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        std::smatch m;
        const bool found = m_changed.wait_for(lock, std::chrono::seconds(seconds), [&] {
            return std::regex_search(m_log, m, pattern) || m_ended;
        });
        if (!found || !std::regex_search(m_log, m, pattern))
            throw Error(ErrorCode::Internal, m_what + " did not start: " + m_log.substr(m_log.size() > 600 ? m_log.size() - 600 : 0));
        return m[1].str();
    }

    Poco::ProcessHandle::PID pid() const { return m_handle->id(); }
    std::string log()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_log;
    }

    void stop()
    {
        if (m_stopped)
            return;
        m_stopped = true;
        try
        {
            if (Poco::Process::isRunning(*m_handle))
                Poco::Process::requestTermination(m_handle->id());
            m_handle->wait();
        }
        catch (...)
        {
        }
        if (m_reader.joinable())
            m_reader.join();
    }

private:
    std::string m_what;
    std::unique_ptr<Poco::ProcessHandle> m_handle;
    std::thread m_reader;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::string m_log;
    bool m_ended = false;
    bool m_stopped = false;
};

/// One berkas-server process on loopback, plain HTTP.
class ServerProcess
{
public:
    ServerProcess(const ServerLoadOptions& o, const std::string& dataDir, const std::string& database, bool behindProxy)
    {
        Poco::File(dataDir).createDirectories();
        std::vector<std::string> args = {"--data=" + dataDir, "--port=0", "--bind=127.0.0.1", "--plain-http"};
        if (!database.empty())
            args.push_back("--database=" + database);
        if (behindProxy)
            args.push_back("--trusted-proxy=127.0.0.1");
        if (o.threads > 0 || o.keptScopes >= 0)
        {
            // berkas-server takes these from its configuration file.
            const std::string config = dataDir + "/bench.properties";
            std::ofstream properties(config);
            if (o.threads > 0)
                properties << "threads = " << o.threads << "\n";
            if (o.keptScopes >= 0)
                properties << "limits.kept_scopes = " << o.keptScopes << "\n";
            args.push_back("--config=" + config);
        }
        m_process = std::make_unique<ChildProcess>("berkas-server", o.serverBinary, args);
        m_port = std::stoi(m_process->waitFor(std::regex(R"(listening on 127\.0\.0\.1:(\d+))"), 30));
        std::cerr << "berkas-bench: berkas-server (process " << m_process->pid() << ") on port " << m_port << "\n";
    }

    int port() const { return m_port; }
    long residentKb() const { return bench::residentKb(m_process->pid()); }
    void stop() { m_process->stop(); }
    std::string log() { return m_process->log(); }

private:
    std::unique_ptr<ChildProcess> m_process;
    int m_port = 0;
};

/// installer/nginx/berkas.conf as shipped in front of @p backends, with only
/// its ports and paths changed, as tests/ops/test_balancer.py runs it: nginx
/// holds a self-signed certificate for 127.0.0.1 and listens on @p port.
/// Returns the path of the main configuration file.
std::string writeNginxConfig(const std::string& dir, const std::string& site, int port, const std::vector<int>& backends,
                             const std::string& cert, const std::string& key)
{
    std::ifstream in(site);
    if (!in)
        throw Error(ErrorCode::NotFound, "nginx-site: no file " + site);
    std::stringstream text;
    text << in.rdbuf();
    std::string conf = text.str();
    const auto replace = [&](const std::string& from, const std::string& to) {
        const auto at = conf.find(from);
        if (at == std::string::npos)
            throw Error(ErrorCode::InvalidData, site + ": expected \"" + from + "\"");
        conf.replace(at, from.size(), to);
    };
    replace("server 127.0.0.1:8471", "server 127.0.0.1:" + std::to_string(backends.at(0)));
    replace("server 127.0.0.1:8472", "server 127.0.0.1:" + std::to_string(backends.at(1)));
    replace("listen 443 ssl;", "listen 127.0.0.1:" + std::to_string(port) + " ssl;");
    replace("/etc/berkas/tls/berkas.crt", cert);
    replace("/etc/berkas/tls/berkas.key", key);
    std::ofstream(dir + "/berkas.conf") << conf;

    std::ostringstream main;
    if (geteuid() == 0)
        main << "user root;\n";
    // As Debian's /etc/nginx/nginx.conf has it: one worker per core of this
    // machine (worker_processes auto) and 768 connections each, two of them
    // for each laptop syncing (its own and nginx's to a backend).
    main << "daemon off;\nworker_processes auto;\npid " << dir << "/nginx.pid;\nerror_log " << dir
         << "/nginx-error.log warn;\nevents { worker_connections 768; }\nhttp {\n    access_log off;\n";
    for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        main << "    " << temp << "_temp_path " << dir << "/" << temp << ";\n";
    main << "    include " << dir << "/berkas.conf;\n}\n";
    const std::string path = dir + "/nginx.conf";
    std::ofstream(path) << main.str();
    return path;
}

/// nginx and its certificate, in front of the backends, until destroyed.
class Balancer
{
public:
    Balancer(const ServerLoadOptions& o, const std::string& dir, const std::vector<int>& backends)
    {
        Poco::File(dir).createDirectories();
        m_cert = dir + "/berkas.crt";
        const std::string key = dir + "/berkas.key";
        {
            Poco::Pipe out;
            Poco::ProcessHandle openssl = Poco::Process::launch(
                "openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", m_cert, "-days", "2",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
                nullptr, &out, &out);
            Poco::PipeInputStream text(out);
            std::string said;
            Poco::StreamCopier::copyToString(text, said);
            if (openssl.wait() != 0)
                throw Error(ErrorCode::Internal, "openssl could not make a certificate: " + said);
        }
        m_port = freePort();
        const std::string conf = writeNginxConfig(dir, o.nginxSite, m_port, backends, m_cert, key);
        m_nginx = std::make_unique<ChildProcess>(
            "nginx", o.nginxBinary, std::vector<std::string>{"-p", dir, "-c", conf, "-e", dir + "/nginx-error.log"});
        // Ready when it accepts a connection.
        const auto until = Clock::now() + std::chrono::seconds(20);
        for (;;)
        {
            try
            {
                Poco::Net::StreamSocket s;
                s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(m_port)));
                break;
            }
            catch (const Poco::Exception&)
            {
                if (Clock::now() > until)
                {
                    std::ifstream err(dir + "/nginx-error.log");
                    std::stringstream text;
                    text << err.rdbuf();
                    throw Error(ErrorCode::Internal, "nginx did not start: " + m_nginx->log() + text.str());
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
    }

    std::string url() const { return "https://127.0.0.1:" + std::to_string(m_port); }
    const std::string& cert() const { return m_cert; }

private:
    std::string m_cert;
    int m_port = 0;
    std::unique_ptr<ChildProcess> m_nginx;
};

/// One simulated laptop: its own encrypted store, enrolled device and token.
struct Laptop
{
    BenchFolder folder;
    std::string user;
    std::string kecamatan; ///< a clerk's; empty for a manager
    std::unique_ptr<model::CaseStore> store;
    std::unique_ptr<sync::SyncClient> client;
    std::vector<std::string> made;       ///< applications it created
    std::vector<double> syncMs;          ///< each measured sync
    std::int64_t cycles = 0;
    std::int64_t errors = 0;
    std::string firstError;
    std::int64_t pushed = 0, pulled = 0, refused = 0, conflicts = 0;
};

/// The laptop's work of one cycle: a new application taken by phone and
/// submitted, and a new phone number on one it holds (every third cycle one
/// of the latest in its scope, often another laptop's, so that edits meet).
/// Then a sync, timed. Errors are counted, never thrown.
void runCycle(Laptop& laptop, Applicants& applicants, std::mt19937& rng)
{
    ++laptop.cycles;
    try
    {
        model::FieldMap fields = applicants.next("PBG", static_cast<std::size_t>(laptop.cycles));
        if (!laptop.kecamatan.empty())
            fields["kecamatan"] = laptop.kecamatan;
        fields["channel"] = "phone";
        const std::string id = laptop.store->create("application", fields);
        laptop.store->update(id, {{"status", "submitted"}});
        laptop.made.push_back(id);

        std::string target = laptop.made[rng() % laptop.made.size()];
        if (laptop.cycles % 3 == 0)
        {
            model::ListQuery q;
            q.kind = "application";
            q.limit = 20;
            const auto latest = laptop.store->list(q);
            if (!latest.empty())
                target = latest[rng() % latest.size()].id;
        }
        char phone[16];
        std::snprintf(phone, sizeof phone, "+6281%09u", static_cast<unsigned>(rng() % 1000000000));
        laptop.store->update(target, {{"phone", phone}});

        const auto start = Clock::now();
        const sync::SyncSummary s = laptop.client->sync();
        laptop.syncMs.push_back(secondsBetween(start, Clock::now()) * 1000);
        laptop.pushed += s.pushed;
        laptop.pulled += s.pulled;
        laptop.refused += s.refused;
        laptop.conflicts = s.conflicts;
    }
    catch (const std::exception& e)
    {
        if (laptop.errors++ == 0)
            laptop.firstError = e.what();
    }
}

/// Runs @p work(i) for every laptop on a thread of its own and waits.
template <typename Work>
void eachLaptop(std::size_t n, Work work)
{
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        threads.emplace_back([&work, i] { work(i); });
    for (auto& t : threads)
        t.join();
}

Poco::JSON::Array::Ptr kbToMb(const std::vector<long>& kb)
{
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (long v : kb)
        a->add(round2(static_cast<double>(v) / 1024.0));
    return a;
}

} // namespace

std::string loadTargetName(LoadTarget target)
{
    switch (target)
    {
    case LoadTarget::Sqlite: return "sqlite";
    case LoadTarget::Postgres: return "postgresql";
    case LoadTarget::Balancer: return "balancer";
    }
    return "";
}

Poco::JSON::Object::Ptr benchServerLoad(LoadTarget target, const ServerLoadOptions& o)
{
    BenchFolder work;
    std::optional<test::ScratchDatabase> database;
    if (target != LoadTarget::Sqlite)
    {
        if (o.postgresAdmin.empty())
            throw Error(ErrorCode::InvalidData,
                        "postgres: " + loadTargetName(target) +
                            " needs --postgres=URL or BERKAS_TEST_POSTGRES (a role that may create databases)");
        database.emplace(o.postgresAdmin);
    }
    const std::string databaseUrl = database ? database->url : std::string();

    // The accounts, written before any server starts: one user per laptop,
    // with a cheap password hash, since logins are not what is measured.
    const auto kecamatans = Applicants(1).districts();
    std::vector<std::unique_ptr<Laptop>> laptops;
    {
        Poco::File(work.path + "/s1").createDirectories();
        sync::ServerStore accounts(sync::ServerStore::optionsFor(databaseUrl, work.path + "/s1"));
        const std::string hash = sync::Passwords::hash(kPassword, 1000);
        for (std::int64_t i = 0; i < o.laptops; ++i)
        {
            auto laptop = std::make_unique<Laptop>();
            const bool manager = i < o.managers;
            char name[32];
            std::snprintf(name, sizeof name, manager ? "manajer%03lld" : "petugas%03lld", static_cast<long long>(i));
            laptop->user = name;
            if (!manager)
                laptop->kecamatan = kecamatans[static_cast<std::size_t>(i) % kecamatans.size()];
            accounts.addUser({laptop->user, manager ? "manager" : "clerk", laptop->kecamatan, hash, false, ""});
            laptops.push_back(std::move(laptop));
        }
    }

    std::vector<std::unique_ptr<ServerProcess>> servers;
    std::unique_ptr<Balancer> balancer;
    servers.push_back(std::make_unique<ServerProcess>(o, work.path + "/s1", databaseUrl, target == LoadTarget::Balancer));
    std::string url = "http://127.0.0.1:" + std::to_string(servers[0]->port());
    if (target == LoadTarget::Balancer)
    {
        servers.push_back(std::make_unique<ServerProcess>(o, work.path + "/s2", databaseUrl, true));
        balancer = std::make_unique<Balancer>(o, work.path + "/nginx",
                                              std::vector<int>{servers[0]->port(), servers[1]->port()});
        url = balancer->url();
    }
    std::vector<long> rssStart;
    for (const auto& s : servers)
        rssStart.push_back(s->residentKb());

    // Enrollment: each laptop its own device and token.
    for (auto& laptop : laptops)
    {
        laptop->store = std::make_unique<model::CaseStore>(benchStoreOptions(laptop->folder.path, laptop->user));
        sync::SyncClientOptions co;
        co.unlockIterations = 1000;
        // No retries: a failed request is an error of the run, not hidden.
        co.maxAttempts = 1;
        if (balancer)
            co.caFile = balancer->cert();
        laptop->client = std::make_unique<sync::SyncClient>(*laptop->store, co);
        laptop->client->enroll(url, laptop->user, kPassword);
    }

    // The measured period: each laptop starts a cycle every interval, the
    // first ones spread over one interval so that they do not all knock at once.
    std::cerr << "berkas-bench: " << laptops.size() << " laptops enrolled at " << url << "; measuring for " << o.seconds
              << " s\n";
    const auto begin = Clock::now() + std::chrono::milliseconds(500);
    const auto deadline = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
    const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.intervalSeconds));
    std::atomic<std::int64_t> lastEndNs{0};
    eachLaptop(laptops.size(), [&](std::size_t i) {
        Laptop& laptop = *laptops[i];
        Applicants applicants(static_cast<std::uint32_t>(1000 + i));
        std::mt19937 rng(static_cast<std::uint32_t>(7000 + i));
        auto next = begin + interval * static_cast<std::int64_t>(i) / static_cast<std::int64_t>(laptops.size());
        while (next < deadline)
        {
            std::this_thread::sleep_until(next);
            runCycle(laptop, applicants, rng);
            const auto end = Clock::now();
            const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(end - begin).count();
            std::int64_t seen = lastEndNs.load();
            while (ns > seen && !lastEndNs.compare_exchange_weak(seen, ns))
            {
            }
            next = std::max(next + interval, end);
        }
    });
    const double elapsed = static_cast<double>(lastEndNs.load()) / 1e9;
    std::vector<long> rssEnd;
    for (const auto& s : servers)
        rssEnd.push_back(s->residentKb());

    // Afterwards: everyone syncs once more (pushing what a failed cycle
    // left), then a manager's laptop must hold every application made.
    // All at the same moment: the burst of an office where everyone presses
    // Sync after a meeting, timed like the cycles' syncs.
    std::atomic<std::int64_t> finalErrors{0};
    std::string finalError;
    std::mutex finalMutex;
    std::vector<double> finalMs(laptops.size(), -1);
    eachLaptop(laptops.size(), [&](std::size_t i) {
        const auto start = Clock::now();
        try
        {
            laptops[i]->client->sync();
            finalMs[i] = secondsBetween(start, Clock::now()) * 1000;
        }
        catch (const std::exception& e)
        {
            ++finalErrors;
            std::lock_guard<std::mutex> lock(finalMutex);
            finalError = e.what();
        }
    });
    finalMs.erase(std::remove(finalMs.begin(), finalMs.end(), -1.0), finalMs.end());
    std::set<std::string> made;
    for (const auto& laptop : laptops)
        made.insert(laptop->made.begin(), laptop->made.end());
    std::int64_t held = -1;
    bool gapless = false;
    if (o.managers > 0)
    {
        Laptop& manager = *laptops[0];
        manager.client->sync();
        model::ListQuery q;
        q.kind = "application";
        std::set<std::string> ids;
        std::vector<std::int64_t> numbers;
        for (const auto& r : manager.store->list(q))
        {
            ids.insert(r.id);
            const std::string& reg = r.value("reg_no");
            if (!reg.empty())
                numbers.push_back(std::stoll(reg.substr(reg.rfind('/') + 1)));
        }
        std::sort(numbers.begin(), numbers.end());
        held = static_cast<std::int64_t>(std::count_if(made.begin(), made.end(), [&](const std::string& id) { return ids.count(id) > 0; }));
        gapless = numbers.size() == ids.size();
        for (std::size_t k = 0; gapless && k < numbers.size(); ++k)
            gapless = numbers[k] == static_cast<std::int64_t>(k + 1);
    }

    std::vector<double> ms, managerMs;
    std::int64_t cycles = 0, errors = 0, pushed = 0, pulled = 0, refused = 0, conflicts = 0;
    std::string firstError;
    for (const auto& laptop : laptops)
    {
        ms.insert(ms.end(), laptop->syncMs.begin(), laptop->syncMs.end());
        if (laptop->kecamatan.empty())
            managerMs.insert(managerMs.end(), laptop->syncMs.begin(), laptop->syncMs.end());
        cycles += laptop->cycles;
        errors += laptop->errors;
        pushed += laptop->pushed;
        pulled += laptop->pulled;
        refused += laptop->refused;
        conflicts += laptop->conflicts;
        if (firstError.empty())
            firstError = laptop->firstError;
    }
    const bool throughBalancer = balancer != nullptr;
    for (auto& s : servers)
        s->stop();
    balancer.reset();

    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("benchmark", "server-load");
    out->set("target", loadTargetName(target));
    out->set("server_processes", static_cast<int>(servers.size()));
    out->set("server_threads_each", o.threads > 0 ? o.threads : 16);
    out->set("kept_scopes_each", o.keptScopes >= 0 ? static_cast<Poco::UInt64>(o.keptScopes)
                                                   : static_cast<Poco::UInt64>(sync::ServerStoreOptions{}.maxKeptScopes));
    out->set("transport", throughBalancer ? "https through nginx" : "plain http");
    out->set("laptops", o.laptops);
    out->set("managers", std::min(o.managers, o.laptops));
    out->set("interval_seconds", o.intervalSeconds);
    out->set("seconds", round2(elapsed));
    out->set("cycles", cycles);
    out->set("cycles_per_second", round2(static_cast<double>(cycles) / elapsed));
    out->set("sync_p50_ms", ms.empty() ? 0.0 : round2(percentile(ms, 0.50)));
    out->set("sync_p99_ms", ms.empty() ? 0.0 : round2(percentile(ms, 0.99)));
    out->set("sync_max_ms", ms.empty() ? 0.0 : round2(percentile(ms, 1.0)));
    // Managers pull every change of the office, clerks their kecamatan's.
    out->set("manager_sync_p50_ms", managerMs.empty() ? 0.0 : round2(percentile(managerMs, 0.50)));
    out->set("manager_sync_max_ms", managerMs.empty() ? 0.0 : round2(percentile(managerMs, 1.0)));
    out->set("target_p99_ms", 1000);
    out->set("errors", errors);
    if (!firstError.empty())
        out->set("first_error", firstError);
    out->set("changes_pushed", pushed);
    out->set("changes_pulled", pulled);
    out->set("refused", refused);
    out->set("open_conflicts_at_end", conflicts);
    out->set("server_rss_mb_start", kbToMb(rssStart));
    out->set("server_rss_mb_end", kbToMb(rssEnd));
    out->set("applications_made", static_cast<Poco::Int64>(made.size()));
    out->set("applications_on_a_manager_laptop", held);
    out->set("reg_no_gapless", gapless);
    out->set("final_sync_errors", finalErrors.load());
    out->set("final_sync_p50_ms", finalMs.empty() ? 0.0 : round2(percentile(finalMs, 0.50)));
    out->set("final_sync_p99_ms", finalMs.empty() ? 0.0 : round2(percentile(finalMs, 0.99)));
    out->set("final_sync_max_ms", finalMs.empty() ? 0.0 : round2(percentile(finalMs, 1.0)));
    if (!finalError.empty())
        out->set("final_sync_error", finalError);
    return out;
}

} // namespace berkas::bench
