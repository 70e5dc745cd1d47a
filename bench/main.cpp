// berkas-bench: measures the local store and prints the figures as JSON.
//
//   berkas-bench store-insert [--n=100000]   change capture cost versus raw SQLite inserts
//   berkas-bench search [--n=1000000]        prefix search latency over a large table
//
// Every run works in a temporary folder that is removed afterwards, unless
// --keep=DIR names a folder to work in and keep.

#include "bench/Applicants.h"
#include "bench/BenchStats.h"
#include "bench/AttachmentBench.h"
#include "bench/BenchStore.h"
#include "bench/BookingBench.h"
#include "bench/CryptoBench.h"
#include "bench/ExportBench.h"
#include "bench/ServerLoadBench.h"
#include "bench/SyncBench.h"
#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Date.h"
#include "model/Error.h"
#include "model/Migrations.h"
#include "model/Regions.h"
#include "model/Schema.h"
#include "model/Uuid.h"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Array.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Process.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace berkas;
using namespace berkas::model;
using berkas::bench::Applicants;
using berkas::bench::percentile;
using berkas::bench::kFirstNames;
using berkas::bench::kLastNames;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A folder under the system temp dir, removed with its contents; or, with
/// --keep=DIR, that folder, kept for a look at the data afterwards.
class ScratchDir
{
public:
    explicit ScratchDir(const std::string& keep)
        : m_path(keep.empty() ? (Poco::Path::temp() + "berkas-bench-" + berkas::model::newUuidV7()) : keep), m_keep(!keep.empty())
    {
        Poco::File(m_path).createDirectories();
    }
    ~ScratchDir()
    {
        try
        {
            if (!m_keep)
                Poco::File(m_path).remove(true);
        }
        catch (...)
        {
        }
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string sub(const std::string& name) const { return Poco::Path(m_path).append(name).toString(); }

private:
    std::string m_path;
    bool m_keep = false;
};

/// Inserts rows straight into the application table the way CaseStore lays
/// them out, without outbox, audit or field stamps: the baseline.
class RawInserter
{
public:
    explicit RawInserter(Database& db) : m_db(db), m_kind(requireKind("application"))
    {
        std::string cols = "id, created_at, updated_at, deleted, _hlc, _device";
        std::string params = "?, ?, ?, 0, ?, ?";
        for (const auto& f : m_kind.fields)
        {
            cols += ", " + f.name;
            params += ", ?";
        }
        m_insert = std::make_unique<Statement>(m_db, "INSERT INTO application (" + cols + ") VALUES (" + params + ")");
    }

    void insert(const FieldMap& fields, const std::string& createdAt, std::int64_t hlc)
    {
        Statement& s = *m_insert;
        s.bind(1, newUuidV7()).bind(2, createdAt).bind(3, createdAt).bind(4, hlc).bind(5, "bench-device");
        int i = 6;
        for (const auto& f : m_kind.fields)
        {
            const auto it = fields.find(f.name);
            s.bind(i++, it == fields.end() ? std::string() : it->second);
        }
        s.run();
    }

private:
    Database& m_db;
    const KindDef& m_kind;
    std::unique_ptr<Statement> m_insert;
};

void prepareRawDatabase(Database& db)
{
    // The same settings and schema (FTS triggers included) as CaseStore's file.
    db.exec(CaseStore::kPragmas);
    Migrations::migrate(db);
}

/// A service without checklist items, so that creating an application through
/// the store inserts the same rows as the raw baseline.
void addBenchService(CaseStore& store)
{
    store.create("service", {{"code", "BENCH"}, {"name", "Layanan uji kinerja"}, {"sla_days", "5"}});
}

Poco::JSON::Object::Ptr rate(std::size_t records, double seconds)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("records", static_cast<Poco::UInt64>(records));
    o->set("seconds", std::round(seconds * 1000) / 1000);
    o->set("records_per_second", std::round(static_cast<double>(records) / seconds));
    return o;
}

int storeInsert(std::size_t n, const std::string& keep)
{
    ScratchDir dir(keep);
    std::vector<FieldMap> rows;
    rows.reserve(n);
    Applicants applicants(7);
    for (std::size_t i = 0; i < n; ++i)
        rows.push_back(applicants.next("BENCH", i));

    // 1. Through the store: validation, row, one outbox row per field, audit
    //    entry, HLC stamps, all in one transaction like a bulk intake.
    double captureSeconds = 0;
    {
        CaseStore store(berkas::bench::benchStoreOptions(dir.sub("capture")));
        addBenchService(store);
        const auto start = Clock::now();
        store.inBatch([&] {
            for (const auto& r : rows)
                store.create("application", r);
        });
        captureSeconds = secondsSince(start);
    }

    // 2. Raw inserts of the same rows into an identical, separate database.
    double rawSeconds = 0;
    {
        Poco::File(dir.sub("raw")).createDirectories();
        Database db(dir.sub("raw") + "/raw.db", berkas::bench::benchKey());
        prepareRawDatabase(db);
        RawInserter raw(db);
        const std::string now = "2021-05-07T09:00:00+07:00";
        const auto start = Clock::now();
        Transaction tx(db);
        std::int64_t hlc = 1;
        for (const auto& r : rows)
            raw.insert(r, now, hlc++);
        tx.commit();
        rawSeconds = secondsSince(start);
    }

    // 3. One transaction per record, as clerks create them one at a time.
    const std::size_t single = std::min<std::size_t>(n, 5000);
    double singleSeconds = 0;
    {
        CaseStore store(berkas::bench::benchStoreOptions(dir.sub("single")));
        addBenchService(store);
        const auto start = Clock::now();
        for (std::size_t i = 0; i < single; ++i)
            store.create("application", rows[i]);
        singleSeconds = secondsSince(start);
    }

    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("benchmark", "store-insert");
    out.set("records", static_cast<Poco::UInt64>(n));
    out.set("capture_one_transaction", rate(n, captureSeconds));
    out.set("raw_sqlite_one_transaction", rate(n, rawSeconds));
    out.set("ratio_capture_to_raw", std::round(captureSeconds / rawSeconds * 100) / 100);
    out.set("target_ratio", 3);
    out.set("capture_transaction_per_record", rate(single, singleSeconds));
    out.stringify(std::cout, 2);
    std::cout << "\n";
    return 0;
}

int search(std::size_t n, const std::string& keep)
{
    ScratchDir dir(keep);
    CaseStore store(berkas::bench::benchStoreOptions(dir.sub("search")));

    // The data set: raw inserts into the store's own (migrated) database,
    // FTS triggers included, with creation times spread over two years.
    Applicants applicants(11);
    std::vector<std::string> niks;
    const auto loadStart = Clock::now();
    {
        RawInserter raw(store.database());
        Transaction tx(store.database());
        const std::int64_t start = 1577836800; // 2020-01-01
        for (std::size_t i = 0; i < n; ++i)
        {
            FieldMap r = applicants.next(applicants.pick({"PBG", "KKPR", "SIPD", "REK", "TDUP"}), i);
            const std::int64_t t = start + static_cast<std::int64_t>(i) * 63072000 / static_cast<std::int64_t>(n);
            r["status"] = "submitted";
            if (i % 997 == 0)
                niks.push_back(r["nik"]);
            raw.insert(r, Date::fromDays(static_cast<long>(t / 86400)).toString() + "T09:00:00+07:00", t << 16);
        }
        tx.commit();
    }
    const double loadSeconds = secondsSince(loadStart);

    // 200 queries: first-name and last-name prefixes, two-word prefixes, and
    // NIK prefixes from the district (many matches) down to 12 digits (few).
    std::vector<std::string> queries;
    std::mt19937 rng(3);
    for (int i = 0; queries.size() < 200; ++i)
    {
        const std::string first = kFirstNames[rng() % kFirstNames.size()];
        const std::string last = kLastNames[rng() % kLastNames.size()];
        const std::string& nik = niks[rng() % niks.size()];
        switch (i % 5)
        {
        case 0: queries.push_back(first.substr(0, 3)); break;
        case 1: queries.push_back(last.substr(0, 4)); break;
        case 2: queries.push_back(first.substr(0, 3) + " " + last.substr(0, 3)); break;
        case 3: queries.push_back(nik.substr(0, 6)); break;
        default: queries.push_back(nik.substr(0, 8 + (rng() % 3) * 2)); break;
        }
    }

    std::vector<double> ms;
    std::size_t found = 0;
    for (const auto& q : queries)
    {
        ListQuery lq;
        lq.kind = "application";
        lq.search = q;
        lq.limit = 50;
        const auto start = Clock::now();
        found += store.list(lq).size();
        ms.push_back(secondsSince(start) * 1000);
    }

    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("benchmark", "search");
    out.set("records", static_cast<Poco::UInt64>(n));
    out.set("load_seconds", std::round(loadSeconds * 10) / 10);
    out.set("queries", static_cast<Poco::UInt64>(queries.size()));
    out.set("limit", 50);
    out.set("mean_results", static_cast<double>(found) / static_cast<double>(queries.size()));
    out.set("p50_ms", std::round(percentile(ms, 0.50) * 100) / 100);
    out.set("p95_ms", std::round(percentile(ms, 0.95) * 100) / 100);
    out.set("max_ms", std::round(percentile(ms, 1.0) * 100) / 100);
    out.set("target_p95_ms", 20);
    out.stringify(std::cout, 2);
    std::cout << "\n";
    return 0;
}

/// One server-load option into @p load (and @p targets, the --on list);
/// false when @p arg is none of them or its value is not allowed.
bool parseLoadOption(const std::string& arg, berkas::bench::ServerLoadOptions& load, std::string& targets)
{
    const auto value = [&](const char* name) -> std::optional<std::string> {
        const std::string prefix = std::string("--") + name + "=";
        if (arg.rfind(prefix, 0) != 0 || arg.size() == prefix.size())
            return std::nullopt;
        return arg.substr(prefix.size());
    };
    double number = 0;
    unsigned whole = 0;
    if (const auto v = value("seconds"); v && Poco::NumberParser::tryParseFloat(*v, number) && number > 0)
        load.seconds = number;
    else if (const auto v = value("interval"); v && Poco::NumberParser::tryParseFloat(*v, number) && number >= 0)
        load.intervalSeconds = number;
    else if (const auto v = value("managers"); v && Poco::NumberParser::tryParseUnsigned(*v, whole))
        load.managers = whole;
    else if (const auto v = value("kept-scopes"); v && Poco::NumberParser::tryParseUnsigned(*v, whole))
        load.keptScopes = static_cast<int>(whole);
    else if (const auto v = value("postgres"))
        load.postgresAdmin = *v;
    else if (const auto v = value("nginx-site"))
        load.nginxSite = *v;
    else if (const auto v = value("on"))
        targets = *v;
    else
        return false;
    return true;
}

/// server-load on each target of @p targets (default: all three when a
/// PostgreSQL is known, else SQLite only); exit 1 when a run misses a
/// target: any error, p99 at or above 1 s, an application missing from a
/// manager's laptop, or registration numbers with a gap or twice.
int serverLoad(const berkas::bench::ServerLoadOptions& load, const std::string& targets)
{
    using berkas::bench::LoadTarget;
    std::vector<LoadTarget> chosen;
    if (targets.empty())
    {
        chosen.push_back(LoadTarget::Sqlite);
        if (!load.postgresAdmin.empty())
        {
            chosen.push_back(LoadTarget::Postgres);
            chosen.push_back(LoadTarget::Balancer);
        }
        else
            std::cerr << "berkas-bench: PostgreSQL and the balancer skipped: give --postgres=URL or set "
                         "BERKAS_TEST_POSTGRES (installer/test-postgres.sh)\n";
    }
    for (const auto& t : Poco::StringTokenizer(targets, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY))
    {
        if (t == "sqlite")
            chosen.push_back(LoadTarget::Sqlite);
        else if (t == "postgresql")
            chosen.push_back(LoadTarget::Postgres);
        else if (t == "balancer")
            chosen.push_back(LoadTarget::Balancer);
        else
        {
            std::cerr << "on: must be a list of sqlite, postgresql, balancer, got \"" << t << "\"\n";
            return 2;
        }
    }
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    out.set("benchmark", "server-load");
    Poco::JSON::Array::Ptr runs = new Poco::JSON::Array;
    bool met = true;
    for (const LoadTarget target : chosen)
    {
        std::cerr << "berkas-bench: server-load on " << berkas::bench::loadTargetName(target) << "\n";
        const auto r = berkas::bench::benchServerLoad(target, load);
        r->stringify(std::cerr, 2);
        std::cerr << "\n";
        runs->add(r);
        met = met && r->getValue<std::int64_t>("errors") == 0 && r->getValue<std::int64_t>("final_sync_errors") == 0 &&
              r->getValue<double>("sync_p99_ms") < r->getValue<double>("target_p99_ms") &&
              (load.managers == 0 || (r->getValue<std::int64_t>("applications_on_a_manager_laptop") ==
                                          r->getValue<std::int64_t>("applications_made") &&
                                      r->getValue<bool>("reg_no_gapless")));
    }
    out.set("runs", runs);
    out.set("targets_met", met);
    out.stringify(std::cout, 2);
    std::cout << "\n";
    return met ? 0 : 1;
}

void usage(std::ostream& out)
{
    out << "Usage:\n"
           "  berkas-bench store-insert [--n=100000]   change capture versus raw SQLite inserts\n"
           "  berkas-bench search [--n=1000000]        prefix search latency (p50, p95)\n"
           "  berkas-bench sync-pull [--n=100000] [--as=manager|clerk]\n"
           "                                           three fresh laptops pull N applications from a server on 127.0.0.1\n"
           "                                           (median); a clerk's pull is scoped to the kecamatan they are all in\n"
           "  berkas-bench sync-incremental [--n=100000] [--large=1000000] [--as=manager|clerk]\n"
           "                                           10 changed records pulled by laptops holding N and LARGE\n"
           "  berkas-bench sync-push [--n=10000]       N offline edits pushed\n"
           "  berkas-bench attachment-sync [--n=200]  MB of photos up and down vs. plain HTTP\n"
           "  berkas-bench booking-storm [--n=50] [--per-device=4] [--capacity=100] [--threads=N]\n"
           "                                           N devices push tentative bookings for one day at once\n"
           "  berkas-bench server-load [--n=200] [--seconds=60] [--interval=30] [--managers=10] [--threads=N]\n"
           "                           [--kept-scopes=N] [--on=sqlite,postgresql,balancer] [--postgres=URL]\n"
           "                           [--nginx-site=FILE]\n"
           "                                           N laptops run sync cycles against berkas-server processes on\n"
           "                                           127.0.0.1: SQLite, PostgreSQL, two behind nginx; cycles/s,\n"
           "                                           p50/p99 sync latency, errors (must be 0), server memory\n"
           "  berkas-bench wire-bytes                  bytes on the wire per single-field change (batch of 100)\n"
           "  berkas-bench export-xlsx [--n=1000000]   Excel export of N applications next to libxlsxwriter alone\n"
           "  berkas-bench crypto-at-rest [--n=100000] [--rounds=3]\n"
           "                                           store-insert, search, sync-pull and export-xlsx on encrypted\n"
           "                                           stores against plain ones (medians of the rounds, ratios),\n"
           "                                           unlock and attachment sealing\n"
           "  berkas-bench ui-open | ui-search [--n=1000000]\n"
           "                                           the window with N applications (runs berkas-ui-bench); ui-open\n"
           "                                           includes unlocking the data with the user's password\n"
           "Options: --keep=DIR works in DIR and keeps it (default: a temporary folder, removed).\n"
           "         --plain runs on plain stores; by default every store is encrypted, as on an enrolled laptop.\n";
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help")
    {
        usage(args.empty() ? std::cerr : std::cout);
        return args.empty() ? 2 : 0;
    }
    const std::string& command = args[0];
    const bool aMillion = command == "search" || command == "export-xlsx" || command == "ui-open" ||
                          command == "ui-search";
    std::size_t n = aMillion                       ? 1000000
                    : command == "sync-push"       ? 10000
                    : command == "booking-storm"   ? 50
                    : command == "server-load"     ? 200
                    : command == "attachment-sync" ? 200
                                                   : 100000;
    berkas::bench::ServerLoadOptions load;
    if (const char* pg = std::getenv("BERKAS_TEST_POSTGRES"))
        load.postgresAdmin = pg;
    load.nginxSite = BERKAS_NGINX_SITE;
    std::string loadTargets;
    std::int64_t perDevice = 4;
    std::int64_t capacity = 100;
    int serverThreads = 0;
    std::size_t large = 1000000;
    std::string keep;
    bool asClerk = false;
    int rounds = 3;
    for (std::size_t i = 1; i < args.size(); ++i)
    {
        unsigned value = 0;
        if (args[i].rfind("--n=", 0) == 0 && Poco::NumberParser::tryParseUnsigned(args[i].substr(4), value) &&
            value > 0)
            n = value;
        else if (args[i].rfind("--large=", 0) == 0 &&
                 Poco::NumberParser::tryParseUnsigned(args[i].substr(8), value) && value > 0)
            large = value;
        else if (args[i].rfind("--keep=", 0) == 0 && args[i].size() > 7)
            keep = args[i].substr(7);
        else if (command == "crypto-at-rest" && args[i].rfind("--rounds=", 0) == 0 &&
                 Poco::NumberParser::tryParseUnsigned(args[i].substr(9), value) && value > 0 && value <= 99)
            rounds = static_cast<int>(value);
        else if (command == "booking-storm" && args[i].rfind("--per-device=", 0) == 0 &&
                 Poco::NumberParser::tryParseUnsigned(args[i].substr(13), value) && value > 0)
            perDevice = value;
        else if (command == "booking-storm" && args[i].rfind("--capacity=", 0) == 0 &&
                 Poco::NumberParser::tryParseUnsigned(args[i].substr(11), value))
            capacity = value;
        else if (command == "server-load" && parseLoadOption(args[i], load, loadTargets))
            ;
        else if ((command == "booking-storm" || command == "server-load") && args[i].rfind("--threads=", 0) == 0 &&
                 Poco::NumberParser::tryParseUnsigned(args[i].substr(10), value) && value > 0 && value <= 1024)
            serverThreads = load.threads = static_cast<int>(value);
        else if (args[i] == "--plain")
            setenv(berkas::bench::kPlainVariable, "1", 1); // for this process and berkas-ui-bench
        else if ((command == "sync-pull" || command == "sync-incremental") &&
                 (args[i] == "--as=clerk" || args[i] == "--as=manager"))
            asClerk = args[i] == "--as=clerk";
        else
        {
            std::cerr << "berkas-bench: unknown argument \"" << args[i] << "\"\n";
            usage(std::cerr);
            return 2;
        }
    }
    try
    {
        if (command == "store-insert")
            return storeInsert(n, keep);
        if (command == "search")
            return search(n, keep);
        const auto print = [](const Poco::JSON::Object::Ptr& o) {
            o->stringify(std::cout, 2);
            std::cout << "\n";
            return 0;
        };
        const auto count = static_cast<std::int64_t>(n);
        if (command == "sync-pull")
            return print(berkas::bench::benchSyncPull(count, asClerk));
        if (command == "sync-incremental")
            return print(berkas::bench::benchSyncIncremental(count, static_cast<std::int64_t>(large), asClerk));
        if (command == "sync-push")
            return print(berkas::bench::benchSyncPush(count));
        if (command == "attachment-sync")
            return print(berkas::bench::benchAttachmentSync(count));
        if (command == "booking-storm")
        {
            const auto o = berkas::bench::benchBookingStorm(count, perDevice, capacity, serverThreads);
            print(o);
            // Never beyond capacity, every booking decided, every device agreeing.
            return o->getValue<std::int64_t>("confirmed_beyond_capacity") == 0 &&
                           o->getValue<std::int64_t>("undecided") == 0 &&
                           o->getValue<std::int64_t>("devices_disagreeing") == 0
                       ? 0
                       : 1;
        }
        if (command == "server-load")
        {
            load.laptops = count;
            const std::string self = argv[0];
            load.serverBinary = self.substr(0, self.rfind('/') + 1) + "berkas-server";
            return serverLoad(load, loadTargets);
        }
        if (command == "wire-bytes")
            return print(berkas::bench::benchWireBytes());
        if (command == "crypto-at-rest")
            return print(berkas::bench::benchCryptoAtRest(argv[0], count, rounds));
        if (command == "export-xlsx")
        {
            ScratchDir dir(keep);
            const auto r = berkas::bench::benchExport(dir.sub("export"), count);
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("benchmark", "export-xlsx");
            o->set("applications", r.applications);
            o->set("setup_seconds", r.setupSeconds);
            o->set("export_seconds", r.exportSeconds);
            o->set("libxlsxwriter_alone_seconds", r.baselineSeconds);
            o->set("ratio", r.ratio);
            o->set("target_ratio", 1.5);
            o->set("peak_rss_mb", static_cast<double>(r.peakRssKbAfterExport) / 1024.0);
            o->set("target_peak_mb", 100);
            o->set("file_bytes", r.fileBytes);
            return print(o);
        }
        if (command == "ui-open" || command == "ui-search")
        {
            // The window's figures come from a separate binary that links
            // wxWidgets; berkas-bench itself stays headless.
            const std::string self = argv[0];
            const std::string dir = self.substr(0, self.rfind('/') + 1);
            Poco::ProcessHandle h =
                Poco::Process::launch(dir + "berkas-ui-bench", {command, "--n=" + std::to_string(n)});
            return h.wait();
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << "berkas-bench: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "berkas-bench: unknown command \"" << command << "\"\n";
    usage(std::cerr);
    return 2;
}
