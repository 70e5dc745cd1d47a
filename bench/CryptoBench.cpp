#include "bench/CryptoBench.h"

#include "bench/BenchStore.h"
#include "model/Error.h"
#include "model/KeyRing.h"

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/Stopwatch.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <string>
#include <vector>

namespace berkas::bench {

namespace {

/// Runs `self ARGS` and parses the JSON it prints.
Poco::JSON::Object::Ptr runChild(const std::string& self, const std::vector<std::string>& args)
{
    Poco::Pipe out;
    Poco::ProcessHandle h = Poco::Process::launch(self, args, nullptr, &out, nullptr);
    Poco::PipeInputStream in(out);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    const int rc = h.wait();
    if (rc != 0)
        throw Error(ErrorCode::Internal, "crypto-at-rest: berkas-bench " + args.front() + " exited with " +
                                             std::to_string(rc));
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// One figure of a benchmark (a time: lower is better), as "a.b" for a
/// field of an object in its JSON.
struct Figure
{
    const char* benchmark;
    const char* field;
};

double figureOf(Poco::JSON::Object::Ptr o, const std::string& path)
{
    std::string rest = path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.'))
    {
        o = o->getObject(rest.substr(0, dot));
        rest = rest.substr(dot + 1);
    }
    return o->getValue<double>(rest);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2.0;
}

} // namespace

Poco::JSON::Object::Ptr benchCryptoAtRest(const std::string& self, std::int64_t n, int rounds)
{
    const std::vector<Figure> figures = {
        {"store-insert", "capture_one_transaction.seconds"},
        {"search", "p95_ms"},
        {"sync-pull", "seconds"},
        {"export-xlsx", "export_seconds"},
    };
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    result->set("benchmark", "crypto-at-rest");
    result->set("applications", n);
    result->set("rounds", rounds);
    result->set("cipher", "AEGIS-256 through sqlite3mc; attachments AES-256-GCM");
    const std::string count = "--n=" + std::to_string(n);
    for (const auto& f : figures)
    {
        // Rounds alternate which side runs first, so neither always meets
        // the warmer cache; the figures are medians over the rounds.
        std::vector<double> encrypted;
        std::vector<double> plain;
        std::vector<double> ratios;
        for (int r = 0; r < rounds; ++r)
        {
            double e = 0;
            double p = 0;
            if (r % 2 == 0)
            {
                e = figureOf(runChild(self, {f.benchmark, count}), f.field);
                p = figureOf(runChild(self, {f.benchmark, count, "--plain"}), f.field);
            }
            else
            {
                p = figureOf(runChild(self, {f.benchmark, count, "--plain"}), f.field);
                e = figureOf(runChild(self, {f.benchmark, count}), f.field);
            }
            encrypted.push_back(e);
            plain.push_back(p);
            ratios.push_back(e / p);
        }
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("figure", f.field);
        o->set("encrypted", median(encrypted));
        o->set("plain", median(plain));
        // Each round's pair ran side by side; the median of their ratios
        // holds up better on a shared machine than a ratio of medians taken
        // from different rounds.
        o->set("ratio", median(ratios));
        Poco::JSON::Array::Ptr each = new Poco::JSON::Array;
        for (const double r : ratios)
            each->add(r);
        o->set("ratio_each_round", each);
        o->set("target_ratio", 1.3);
        result->set(f.benchmark, o);
    }

    // One unlock: PBKDF2 at the production work factor plus the unwrap.
    {
        Poco::TemporaryFile folder;
        Poco::File(folder.path()).createDirectories();
        model::KeyRing ring(folder.path());
        ring.create("siti", "kata-sandi-bench-1");
        Poco::Stopwatch watch;
        watch.start();
        ring.unlock("siti", "kata-sandi-bench-1");
        watch.stop();
        result->set("unlock_ms", static_cast<double>(watch.elapsed()) / 1000.0);
        result->set("unlock_iterations", model::KeyRing::kIterations);
    }
    {
        const std::string key = model::randomBytes(32);
        const std::string photo(5 * 1024 * 1024, 'x');
        Poco::Stopwatch watch;
        watch.start();
        const std::string sealed = model::sealBytes(key, photo);
        watch.stop();
        const double sealS = static_cast<double>(watch.elapsed()) / 1e6;
        watch.restart();
        const std::string opened = model::openSealedBytes(key, sealed);
        watch.stop();
        const double openS = static_cast<double>(watch.elapsed()) / 1e6;
        result->set("attachment_seal_mb_per_s", 5.0 / sealS);
        result->set("attachment_open_mb_per_s", 5.0 / openS);
    }
    return result;
}

} // namespace berkas::bench
