#include "tests/sync/SyncFixture.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Net/NetException.h>

#include <catch2/catch.hpp>

using namespace berkas;
using namespace berkas::test;

namespace {

/// A laptop whose folder can be copied aside and put back, as a backup or a
/// disk image would.
struct RestorableLaptop : Laptop
{
    TempDir backup{"backup"};
    using Laptop::Laptop;

    void close()
    {
        client.reset();
        store.reset();
    }
    void copyAside()
    {
        close();
        copyFolder(dir.path, backup.path);
        open();
    }
    void putBack()
    {
        close();
        copyFolder(backup.path, dir.path);
        open();
    }
};

} // namespace

TEST_CASE("Restore: a laptop put back from an older copy of its folder loses none of its new edits",
          "[sync][restore][regression]")
{
    TestServer server;
    server.addUser("budi", "manager");
    RestorableLaptop laptop(server, "budi");
    const std::string id = laptop.newApplication();
    laptop.sync();
    laptop.copyAside();

    // After the copy: edits that reach the server, then the disk is restored.
    laptop.store->update(id, {{"address", "Jl. Sintetis 1"}});
    laptop.store->update(id, {{"phone", "081111111111"}});
    laptop.store->update(id, {{"email", "ani@contoh.id"}});
    laptop.sync();
    laptop.putBack();

    SECTION("fewer new edits than the ids it had used")
    {
        laptop.store->update(id, {{"applicant_name", "Ani Dipulihkan"}});
        const auto summary = laptop.sync();
        CHECK(summary.renumbered == 1);
        CHECK(server.store->value(id, "applicant_name") == std::string("Ani Dipulihkan"));
    }
    SECTION("more new edits than the ids it had used")
    {
        for (int i = 0; i < 6; ++i)
            laptop.store->update(id, {{"applicant_name", "Ani Dipulihkan " + std::to_string(i)}});
        laptop.store->update(id, {{"kelurahan", "32.75.09.1001"}});
        laptop.sync();
        CHECK(server.store->value(id, "applicant_name") == std::string("Ani Dipulihkan 5"));
        CHECK(server.store->value(id, "kelurahan") == std::string("32.75.09.1001"));
    }
    // The edits made before the restore come back with the pull; both sides agree.
    CHECK(laptop.store->get(id).value("address") == "Jl. Sintetis 1");
    CHECK(laptop.store->get(id).value("email") == "ani@contoh.id");
    CHECK(laptop.store->outboxSize() == 0);
    Laptop other(server, "budi");
    other.sync();
    CHECK(visibleFields(other.store->get(id)) == visibleFields(laptop.store->get(id)));

    // And it numbers past what the server took: a further edit is no reuse.
    laptop.store->update(id, {{"address", "Jl. Sintetis 2"}});
    CHECK(laptop.sync().renumbered == 0);
    CHECK(server.store->value(id, "address") == std::string("Jl. Sintetis 2"));
}

TEST_CASE("Restore: no provisional number repeats after a restore", "[sync][restore][regression]")
{
    TestServer server;
    server.addUser("budi", "manager");
    RestorableLaptop laptop(server, "budi");
    laptop.newApplication("Ani Sintetis");
    laptop.sync();
    laptop.copyAside();
    const std::string second = laptop.newApplication("Budi Sintetis");
    const std::string secondNo = laptop.store->get(second).value("provisional_no");
    laptop.sync();
    laptop.putBack();

    SECTION("restored and edited offline before any sync")
    {
        const std::string third = laptop.newApplication("Citra Sintetis");
        laptop.sync();
        const auto thirdNo = server.store->value(third, "provisional_no");
        REQUIRE(thirdNo);
        CHECK(*thirdNo != secondNo);
        CHECK(laptop.store->get(third).value("provisional_no") == *thirdNo);
    }
    SECTION("restored, then logged in before working")
    {
        laptop.client->login("budi", kPassword);
        const std::string third = laptop.newApplication("Citra Sintetis");
        CHECK(laptop.store->get(third).value("provisional_no") != secondNo);
        CHECK(laptop.sync().renumbered == 0);
        CHECK(server.store->value(third, "applicant_name") == std::string("Citra Sintetis"));
    }
    // The second application, pushed before the restore, is back on the laptop.
    CHECK(laptop.store->get(second).value("provisional_no") == secondNo);
}

TEST_CASE("Restore: a retried push is still recognised as a retry", "[sync][restore]")
{
    TestServer server;
    server.addUser("budi", "manager");
    Laptop laptop(server, "budi");
    int lost = 0;
    laptop.options.afterAnswer = [&](const std::string& path) {
        if (path == "/v1/push" && lost++ == 0)
            throw Poco::Net::NetException("connection reset");
    };
    laptop.open();
    const std::string id = laptop.newApplication();
    const auto summary = laptop.sync();
    CHECK(summary.renumbered == 0);
    CHECK(summary.refused == 0);
    CHECK(lost == 2);
    CHECK(laptop.store->outboxSize() == 0);
    CHECK(server.store->value(id, "applicant_name") == std::string("Ani Lestari"));
    // Every change went in once.
    std::size_t applied = 0;
    for (const auto& line : server.store->audit("budi"))
        applied += line.recordId == id && line.field == "applicant_name" ? 1 : 0;
    CHECK(applied == 1);
}
