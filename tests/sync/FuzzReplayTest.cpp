#include "tests/fuzz/FuzzTargets.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

namespace {

using berkas::fuzz::FuzzOutcome;

/// The input files of a folder (none when it does not exist; not its
/// README.md), sorted.
std::vector<std::string> filesIn(const std::string& dir)
{
    std::vector<std::string> out;
    if (!Poco::File(dir).exists())
        return out;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        if (it->isFile() && Poco::Path(it->path()).getExtension() != "md")
            out.push_back(it->path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Target
{
    std::string name;
    FuzzOutcome (*run)(const std::uint8_t*, std::size_t);
};

const std::vector<Target> kTargets = {
    {"push", &berkas::fuzz::fuzzPushBody},
    {"pull", &berkas::fuzz::fuzzPullBody},
    {"merge", &berkas::fuzz::fuzzMerge},
};

/// Runs one input; anything but a normal return (PropertyViolation, a
/// Poco::Exception, any std::exception: berkas::Error is caught inside)
/// fails, except a KnownViolation, which is listed as a warning.
FuzzOutcome replay(const Target& t, const std::string& path)
{
    const std::string bytes = readFile(path);
    INFO("input " << path << " (" << bytes.size() << " bytes)");
    FuzzOutcome outcome = FuzzOutcome::Rejected;
    try
    {
        outcome = t.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    catch (const berkas::fuzz::KnownViolation& e)
    {
        // Reported, not fixed yet (tests/fuzz/crashes/TARGET/README.md).
        WARN("known open problem, input " << path << ": " << e.what());
    }
    catch (const std::exception& e)
    {
        FAIL(typeid(e).name() << ": " << e.what());
    }
    return outcome;
}

} // namespace

TEST_CASE("Fuzz replay: every seed input runs through its fuzz target, and the real bodies go all the way",
          "[sync][fuzz]")
{
    for (const auto& t : kTargets)
    {
        const auto files = filesIn(std::string(BERKAS_FUZZ_DIR) + "/corpus/" + t.name);
        INFO("target " << t.name);
        REQUIRE(files.size() >= 5);
        std::size_t accepted = 0;
        for (const auto& f : files)
            accepted += replay(t, f) == FuzzOutcome::Accepted;
        // The seeds of push and pull are bodies a real sync wrote: a target
        // that turned them away would fuzz nothing but its first checks.
        if (t.name != "merge")
            CHECK(accepted == files.size());
    }
}

TEST_CASE("Fuzz replay: the inputs that once crashed a fuzz target run cleanly", "[sync][fuzz][regression]")
{
    std::size_t replayed = 0;
    for (const auto& t : kTargets)
        for (const auto& f : filesIn(std::string(BERKAS_FUZZ_DIR) + "/crashes/" + t.name))
        {
            INFO("target " << t.name);
            replay(t, f);
            ++replayed;
        }
    SUCCEED("replayed " << replayed << " crash inputs");
}
