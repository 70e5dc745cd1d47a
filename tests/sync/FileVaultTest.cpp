// The central office's file folder shared by two server processes (behind a
// load balancer): uploads of the same file racing from two processes take
// turns, so the part file never gets a chunk twice and the file completes
// whole.

#include "model/Sha256.h"
#include "sync/server/FileVault.h"
#include "tests/support/TempDir.h"

#include <catch2/catch.hpp>

#include <random>

#include <sys/wait.h>
#include <unistd.h>

using namespace berkas;
using sync::FileVault;

namespace {

struct Tally
{
    int accepted = 0;
    int mismatches = 0;
    int corrupt = 0;
};

/// Sends @p file to the vault at @p dir as a laptop does: ask where the
/// upload stands, send the next chunk from there, again until complete.
Tally upload(const std::string& dir, const std::string& file, const std::string& sha, std::size_t chunk)
{
    Tally t;
    FileVault vault(dir);
    for (int round = 0; round < 100000; ++round)
    {
        const FileVault::State s = vault.state(sha);
        if (s.complete)
            break;
        const auto offset = static_cast<std::size_t>(s.received);
        const std::string bytes = file.substr(offset, chunk);
        switch (vault.write(sha, static_cast<std::int64_t>(file.size()), s.received, bytes, FileVault::sha256Of(bytes)))
        {
        case FileVault::Written::Accepted:
        case FileVault::Written::Completed:
            ++t.accepted;
            break;
        case FileVault::Written::OffsetMismatch:
            ++t.mismatches;
            break;
        case FileVault::Written::FileCorrupt:
            ++t.corrupt;
            break;
        default:
            break;
        }
    }
    return t;
}

} // namespace

TEST_CASE("FileVault: two server processes uploading the same file into one folder take turns",
          "[sync][files][regression]")
{
    test::TempDir dir("vault-shared");
    std::mt19937 rng(20261203);
    std::string file(3 * 1000 * 1000 + 123, '\0');
    for (auto& c : file)
        c = static_cast<char>(rng());
    const std::string sha = model::Sha256::of(file);
    const std::size_t chunk = 4096; // many small appends: a race would show

    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0)
    {
        // The other process: exits 0 when it never saw a corrupt file.
        const Tally t = upload(dir.path, file, sha, chunk);
        ::_exit(t.corrupt == 0 ? 0 : 3);
    }
    const Tally mine = upload(dir.path, file, sha, chunk);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);

    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(mine.corrupt == 0);
    CHECK(mine.accepted > 0);
    FileVault vault(dir.path);
    const FileVault::State done = vault.state(sha);
    CHECK(done.complete);
    CHECK(done.received == static_cast<std::int64_t>(file.size()));
    CHECK(vault.read(sha, 0, file.size() + 1) == file);
}
