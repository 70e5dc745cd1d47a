#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include "model/Error.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>
#include <thread>

using namespace berkas;
using test::Laptop;
using test::ScratchDatabase;
using test::TestServer;

TEST_CASE("Sync on PostgreSQL: two server processes share one database", "[sync][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: the PostgreSQL backend was not tested here (.ci/run sets it)");
        return;
    }
    ScratchDatabase db(admin);
    // Two stateless server processes behind one load balancer, as an office
    // that outgrew one machine runs them.
    TestServer first(db.url, 4);
    TestServer second(db.url, 4);
    first.addUser("siti", "manager");
    first.addUser("budi", "manager");
    for (int i = 0; i < 4; ++i)
        first.addUser("clerk" + std::to_string(i), "manager");

    Laptop a(first, "siti");
    Laptop b(second, "budi");

    SECTION("concurrent edits through different servers become the same conflicts everywhere")
    {
        const std::string id = a.newApplication();
        a.store->update(id, {{"status", "submitted"}});
        a.sync();
        b.sync();
        REQUIRE(b.store->find(id));
        a.store->update(id, {{"phone", "081111111111"}, {"status", "document_check"}});
        b.store->update(id, {{"phone", "082222222222"}, {"status", "withdrawn"}});
        a.sync();
        b.sync();
        a.sync();
        CHECK(test::visibleFields(a.store->get(id)) == test::visibleFields(b.store->get(id)));
        CHECK(a.openConflicts().size() == 2);
        CHECK(b.openConflicts().size() == 2);
        CHECK(a.store->get(id).value("reg_no").rfind("/PBG/000001") != std::string::npos);
    }
    SECTION("pushes committed at once on both servers: no sequence skipped, numbers gapless")
    {
        std::vector<std::unique_ptr<Laptop>> clerks;
        for (int i = 0; i < 4; ++i)
            clerks.push_back(std::make_unique<Laptop>(i % 2 ? second : first, "clerk" + std::to_string(i)));
        for (auto& c : clerks)
            for (int n = 0; n < 25; ++n)
                c->newApplication("Pemohon " + std::to_string(n));
        std::vector<std::thread> threads;
        std::vector<std::string> errors(clerks.size());
        for (std::size_t i = 0; i < clerks.size(); ++i)
            threads.emplace_back([&, i] {
                try
                {
                    clerks[i]->sync();
                }
                catch (const std::exception& e)
                {
                    errors[i] = e.what();
                }
            });
        for (auto& t : threads)
            t.join();
        for (const auto& e : errors)
            CHECK(e.empty());

        // A laptop that pulls everything afterwards has every application:
        // no change was committed behind its cursor.
        Laptop fresh(second, "siti");
        const auto everything = fresh.sync();
        model::ListQuery q;
        q.kind = "application";
        const auto all = fresh.store->list(q);
        CHECK(all.size() == 100);
        std::set<std::string> numbers;
        for (const auto& r : all)
            numbers.insert(r.value("reg_no").substr(r.value("reg_no").rfind('/') + 1));
        CHECK(numbers.size() == 100);
        CHECK(*numbers.begin() == "000001");
        CHECK(*numbers.rbegin() == "000100");

        // A clerk's first pull, scoped to the kecamatan all of them were
        // made in, in several answers: each change once; and an application
        // moved away leaves the laptop.
        first.addUser("dewi", "clerk", "32.75.09");
        Laptop clerk(first, "dewi", false);
        clerk.options.pullBatch = 200;
        clerk.open();
        clerk.client->enroll(first.url(), "dewi", test::kPassword);
        CHECK(clerk.sync().pulled == everything.pulled);
        CHECK(clerk.store->list(q).size() == 100);
        fresh.store->update(all.front().id, {{"kecamatan", "32.75.01"}});
        fresh.sync();
        clerk.sync();
        CHECK_FALSE(clerk.store->find(all.front().id));
        CHECK(clerk.store->list(q).size() == 99);
        // Its requirements went with it, and come back with it; a note on
        // another application follows that one.
        model::ListQuery requirements;
        requirements.kind = "requirement";
        requirements.where = {{"application_id", all.front().id}};
        const auto itsRequirements = fresh.store->list(requirements).size();
        REQUIRE(itsRequirements > 0);
        CHECK(clerk.store->list(requirements).empty());
        fresh.store->update(all.front().id, {{"kecamatan", "32.75.09"}});
        const auto note = fresh.store->create("note", {{"parent_id", all.back().id}, {"author", "siti"},
                                                       {"body", "KTP sudah dicek"}});
        fresh.sync();
        clerk.sync();
        CHECK(clerk.store->find(all.front().id));
        CHECK(clerk.store->list(requirements).size() == itsRequirements);
        CHECK(clerk.store->find(note));
    }
    SECTION("a server process restarts on the shared database and carries on")
    {
        const std::string id = a.newApplication();
        a.sync();
        first.restart();
        a.store->update(id, {{"address", "Jl. Setelah Restart"}});
        a.sync();
        b.sync();
        CHECK(b.store->get(id).value("address") == "Jl. Setelah Restart");
    }
}
