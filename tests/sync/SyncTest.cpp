#include "tests/sync/SyncFixture.h"

#include "model/Error.h"

#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <catch2/catch.hpp>

using namespace berkas;
using test::Laptop;
using test::TestServer;

TEST_CASE("Sync: a record made on one laptop reaches another with its registration number", "[sync][client]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    Laptop b(server, "budi");

    const std::string id = a.newApplication();
    CHECK(a.store->get(id).value("reg_no").empty());
    const auto pushed = a.sync();
    CHECK(pushed.pushed > 0);
    CHECK(a.store->outboxSize() == 0);
    CHECK(a.store->get(id).value("reg_no").rfind("/PBG/000001") != std::string::npos);
    b.sync();
    REQUIRE(b.store->find(id));
    CHECK(test::visibleFields(b.store->get(id)) == test::visibleFields(a.store->get(id)));

    SECTION("registration numbers are gapless and never reused")
    {
        const std::string second = b.newApplication("Budi Santoso");
        b.sync();
        CHECK(b.store->get(second).value("reg_no").rfind("/PBG/000002") != std::string::npos);
    }
    SECTION("checklist rows travel with the application")
    {
        model::ListQuery q;
        q.kind = "requirement";
        q.where = {{"application_id", id}};
        CHECK(b.store->list(q).size() == a.store->list(q).size());
        CHECK_FALSE(b.store->list(q).empty());
    }
}

TEST_CASE("Sync: history names the device and the user that made each change, wherever it was made",
          "[sync][client][regression]")
{
    // A laptop labelled every pulled change with its own device id, and a
    // pulled write with several authors with one of their names.
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    server.addUser("rina", "manager");
    Laptop a(server, "siti");
    Laptop b(server, "budi");
    Laptop c(server, "rina");

    const std::string id = a.newApplication("Ani Lestari");
    a.sync();
    b.sync();
    c.sync();
    b.store->update(id, {{"phone", "081298765432"}});
    b.sync();
    // Edits of one record on two other laptops: laptop B pulls them as one write.
    a.store->update(id, {{"applicant_name", "Ani Lestari Putri"}});
    c.store->update(id, {{"address", "Jl. Melati No. 5, Jatiasih"}});
    a.sync();
    c.sync();
    b.sync();

    const auto lineOf = [](model::CaseStore& store, const std::string& record, const std::string& field,
                           const std::string& value) {
        for (const auto& l : store.history(record))
            if (l.field == field && l.newValue == value)
                return l;
        FAIL("no history line of " << field << " = " << value);
        return model::AuditLine{};
    };
    SECTION("laptop B: changes made on A and C name A and C, its own edit names B")
    {
        const auto created = lineOf(*b.store, id, "applicant_name", "Ani Lestari");
        CHECK(created.source == "sync");
        CHECK(created.device == a.store->deviceId());
        CHECK(created.user == "siti");
        const auto renamed = lineOf(*b.store, id, "applicant_name", "Ani Lestari Putri");
        CHECK(renamed.source == "sync");
        CHECK(renamed.device == a.store->deviceId());
        CHECK(renamed.user == "siti");
        const auto moved = lineOf(*b.store, id, "address", "Jl. Melati No. 5, Jatiasih");
        CHECK(moved.source == "sync");
        CHECK(moved.device == c.store->deviceId());
        CHECK(moved.user == "rina");
        const auto own = lineOf(*b.store, id, "phone", b.store->get(id).value("phone"));
        CHECK(own.source == "local");
        CHECK(own.device == b.store->deviceId());
        CHECK(own.user == "budi");
        const auto numbered = lineOf(*b.store, id, "reg_no", b.store->get(id).value("reg_no"));
        CHECK(numbered.device == "server");
    }
    SECTION("laptop A: its own edits name A, B's edit names B")
    {
        a.sync();
        const auto own = lineOf(*a.store, id, "applicant_name", "Ani Lestari Putri");
        CHECK(own.source == "local");
        CHECK(own.device == a.store->deviceId());
        CHECK(own.user == "siti");
        const auto pulled = lineOf(*a.store, id, "phone", a.store->get(id).value("phone"));
        CHECK(pulled.source == "sync");
        CHECK(pulled.device == b.store->deviceId());
        CHECK(pulled.user == "budi");
    }
}

TEST_CASE("Sync: the conflict table over a real server", "[sync][client]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    Laptop b(server, "budi");
    const std::string id = a.newApplication();
    a.store->update(id, {{"status", "submitted"}});
    a.sync();
    b.sync();

    const auto settle = [&] {
        a.sync();
        b.sync();
        a.sync();
    };

    SECTION("same field: the higher stamp wins everywhere and the loser is kept")
    {
        a.store->update(id, {{"phone", "081111111111"}});
        b.store->update(id, {{"phone", "082222222222"}});
        settle();
        CHECK(a.store->get(id).value("phone") == b.store->get(id).value("phone"));
        const auto conflicts = a.openConflicts();
        REQUIRE(conflicts.size() == 1);
        CHECK(b.openConflicts().size() == 1);
        const auto& c = conflicts.front();
        CHECK(c.value("field") == "phone");
        const std::set<std::string> both = {c.value("kept_value"), c.value("other_value")};
        CHECK(both == std::set<std::string>{"+6281111111111", "+6282222222222"});
        CHECK(c.value("needs_review") == "0");
        // b edited last, so b's value wins.
        CHECK(a.store->get(id).value("phone") == "+6282222222222");
    }
    SECTION("the same value written on two laptops is one write, kept once against a third")
    {
        server.addUser("rina", "manager");
        Laptop c(server, "rina");
        c.sync();
        // Neither laptop has seen the others' edits.
        a.store->update(id, {{"kelurahan", "32.75.09.1001"}});
        const auto first = a.store->fieldStamp(a.store->get(id), "kelurahan");
        b.store->update(id, {{"kelurahan", "32.75.09.1001"}});
        const auto second = b.store->fieldStamp(b.store->get(id), "kelurahan");
        c.store->update(id, {{"kelurahan", "32.75.09.1002"}});
        const auto third = c.store->fieldStamp(c.store->get(id), "kelurahan");
        REQUIRE(first < second);
        REQUIRE(second < third);
        a.sync();
        b.sync();
        c.sync();
        settle();
        c.sync();
        CHECK(a.store->get(id).value("kelurahan") == "32.75.09.1002");
        CHECK(b.store->get(id).value("kelurahan") == "32.75.09.1002");
        CHECK(c.store->get(id).value("kelurahan") == "32.75.09.1002");
        // One conflict, not two: the value 1001 is set aside once, with the
        // later of its two stamps.
        const auto conflicts = c.openConflicts();
        REQUIRE(conflicts.size() == 1);
        CHECK(a.openConflicts().size() == 1);
        CHECK(conflicts.front().value("other_value") == "32.75.09.1001");
        CHECK(conflicts.front().value("other_stamp") == model::formatStamp(second));
        CHECK(conflicts.front().value("kept_stamp") == model::formatStamp(third));
    }
    SECTION("different fields of one record merge without conflict")
    {
        a.store->update(id, {{"phone", "081111111111"}});
        b.store->update(id, {{"address", "Jl. Kenanga No. 3"}});
        settle();
        CHECK(a.openConflicts().empty());
        CHECK(a.store->get(id).value("address") == "Jl. Kenanga No. 3");
        CHECK(b.store->get(id).value("phone") == "+6281111111111");
    }
    SECTION("edit against delete is a visible conflict")
    {
        a.store->remove(id);
        b.store->update(id, {{"address", "Jl. Melati"}});
        settle();
        CHECK(a.store->get(id).deleted());
        CHECK(b.store->get(id).deleted());
        CHECK(test::visibleFields(a.store->get(id)) == test::visibleFields(b.store->get(id)));
        const auto conflicts = b.openConflicts();
        REQUIRE(conflicts.size() == 1);
        CHECK(conflicts.front().value("other_value") == "Jl. Melati");
        CHECK(conflicts.front().value("needs_review") == "1");
    }
    SECTION("two status moves: review needed, further moves wait, resolving closes it everywhere")
    {
        a.store->update(id, {{"status", "document_check"}});
        b.store->update(id, {{"status", "withdrawn"}});
        settle();
        CHECK(a.store->get(id).value("status") == "document_check");
        CHECK(b.store->get(id).value("status") == "document_check");
        auto conflicts = b.openConflicts();
        REQUIRE(conflicts.size() == 1);
        CHECK(conflicts.front().value("needs_review") == "1");
        // Until someone resolves it, workflow moves of the record wait.
        CHECK_THROWS_WITH(a.store->update(id, {{"status", "approved"}}), Catch::Contains("needs review"));

        b.store->resolveConflict(conflicts.front().id, "local"); // b keeps its own: withdrawn
        settle();
        CHECK(a.openConflicts().empty());
        CHECK(b.openConflicts().empty());
        CHECK(a.store->get(id).value("status") == "withdrawn");
        CHECK(b.store->get(id).value("status") == "withdrawn");
    }
    SECTION("resolving with a new value syncs as an ordinary change")
    {
        a.store->update(id, {{"address", "Jl. A"}});
        b.store->update(id, {{"address", "Jl. B"}});
        settle();
        const auto conflicts = a.openConflicts();
        REQUIRE(conflicts.size() == 1);
        a.store->resolveConflict(conflicts.front().id, "value", "Jl. A/B No. 7");
        settle();
        CHECK(b.store->get(id).value("address") == "Jl. A/B No. 7");
        CHECK(b.openConflicts().empty());
    }
}

TEST_CASE("Sync: a push retried after a lost answer applies nothing twice", "[sync][client][fault]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    int drops = 1;
    a.options.afterAnswer = [&](const std::string& path) {
        if (path == "/v1/push" && drops-- > 0)
            throw Poco::Net::ConnectionResetException("answer lost (test)");
    };
    a.open();
    const std::string id = a.newApplication();
    const std::int64_t before = server.store->lastSeq();
    const auto summary = a.sync();
    CHECK(drops < 0); // the answer was dropped once and the push retried
    CHECK(a.store->outboxSize() == 0);
    // One reg_no, not two: the retried batch was recognised as a duplicate.
    CHECK(a.store->get(id).value("reg_no").rfind("/000001") != std::string::npos);
    const std::int64_t after = server.store->lastSeq();
    CHECK(after - before == summary.pushed + 1); // every field once, plus reg_no
}

TEST_CASE("Sync: an unreachable server leaves the laptop usable and nothing lost", "[sync][client][fault]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    a.options.maxAttempts = 2;
    a.open();
    server.stop();
    const std::string id = a.newApplication();
    CHECK_THROWS_WITH(a.sync(), Catch::Contains("cannot reach the central office"));
    CHECK(a.store->outboxSize() > 0);
    a.store->update(id, {{"address", "Jl. Luring"}});
    SECTION("offline unlock with the last good password")
    {
        CHECK_FALSE(a.client->login("siti", test::kPassword));
        CHECK_THROWS_AS(a.client->login("siti", "wrong-password-1"), Error);
    }
    SECTION("the next sync carries on")
    {
        server.start();
        a.sync();
        CHECK(a.store->outboxSize() == 0);
        CHECK(server.store->value(id, "address") == std::optional<std::string>("Jl. Luring"));
    }
}

TEST_CASE("Sync: a laptop clock far in the future is refused with a clear error", "[sync][client][clock]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    // The clock jumps three hours ahead after the last contact with the
    // server: the edits made then carry stamps from the future.
    a.store->setWallClock([] { return model::HybridLogicalClock::systemMs() + 3LL * 3600 * 1000; });
    a.newApplication();
    CHECK_THROWS_WITH(a.sync(), Catch::Contains("clock") && Catch::Contains("ahead of the central office"));
    CHECK(a.store->outboxSize() > 0);
}

TEST_CASE("Sync: a laptop whose clock is wrong at enrollment works by the server's clock", "[sync][client][clock]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti", false);
    a.store->setWallClock([] { return model::HybridLogicalClock::systemMs() + 3LL * 3600 * 1000; });
    a.client->enroll(server.url(), "siti", test::kPassword);
    const std::string id = a.newApplication();
    // Dated and stamped by the corrected clock, so the push is accepted.
    CHECK_NOTHROW(a.sync());
    CHECK(a.store->outboxSize() == 0);
    const auto created = a.store->get(id).value("created_at");
    const std::string today = a.store->today().toString();
    CHECK(created.substr(0, 10) == today);
}

TEST_CASE("Sync: the server's clock is folded into the laptop's", "[sync][client][clock]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti", false);
    // The laptop's clock is a day behind; after a sync its stamps still
    // come after everything the server has seen.
    a.store->setWallClock([] { return model::HybridLogicalClock::systemMs() - 24LL * 3600 * 1000; });
    a.client->enroll(server.url(), "siti", test::kPassword);
    const std::int64_t serverNow = model::HybridLogicalClock::fromPhysicalMs(model::HybridLogicalClock::systemMs());
    CHECK(a.store->hlcNow() >= serverNow - model::HybridLogicalClock::fromPhysicalMs(5000));
}

TEST_CASE("Sync: a pull that runs ahead never reports more than the laptop has committed", "[sync][client][crash]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    a.newApplications(6);
    a.sync();

    Laptop b(server, "budi");
    b.options.pullBatch = 10; // several batches, each fetched while the one before is applied
    const std::string device = b.store->deviceId();
    const auto pulledSeq = [&] {
        for (const auto& d : server.store->devices())
            if (d.id == device)
                return d.pulledSeq;
        return std::int64_t{-1};
    };
    // What the server recorded as applied, as each pull was answered; and
    // what the request said was committed (applied=, or else the cursor).
    std::vector<std::pair<std::int64_t, std::int64_t>> recorded;
    int pulls = 0;
    b.options.afterAnswer = [&](const std::string& path) {
        if (path.rfind("/v1/pull", 0) != 0)
            return;
        const Poco::URI uri(path);
        std::int64_t committed = -1;
        for (const auto& [key, value] : uri.getQueryParameters())
            if (key == "applied" || (key == "cursor" && committed < 0))
                committed = std::atoll(value.c_str());
        recorded.emplace_back(pulledSeq(), committed);
        if (++pulls == 4)
            throw Poco::Net::ConnectionResetException("answer lost");
    };
    b.options.maxAttempts = 1;
    b.open();
    CHECK_THROWS(b.sync());
    REQUIRE(recorded.size() == 4);
    const std::int64_t committed = std::atoll(b.store->setting("cursor", "0").c_str());
    CHECK(committed > 0);
    for (const auto& [seq, claimed] : recorded)
    {
        CHECK(seq == claimed);
        CHECK(seq <= committed);
    }
    CHECK(recorded[1].second == 0); // fetched while the first batch was being applied

    // The next sync carries on from the committed cursor and gets everything.
    b.options.afterAnswer = nullptr;
    b.open();
    b.sync();
    model::ListQuery all;
    all.kind = "application";
    CHECK(b.store->count(all) == 6);
}

TEST_CASE("Sync: a laptop newer than its server pulls in a form the server knows", "[sync][client]")
{
    sync::SyncServerOptions older;
    older.newestPullForm = sync::PullForm::SharedStamps; // as the server before the compact form
    TestServer server(older);
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    const auto ids = a.newApplications(5);
    a.sync();

    Laptop b(server, "budi");
    std::vector<std::string> forms;
    b.options.pullBatch = 20; // several answers
    b.options.beforeRequest = [&](const std::string& path) {
        const auto at = path.find("shared=");
        if (path.rfind("/v1/pull", 0) == 0 && at != std::string::npos)
            forms.push_back(path.substr(at + 7, 1));
    };
    b.open();
    b.sync();
    REQUIRE(forms.size() >= 3);
    CHECK(forms[0] == "2");
    for (std::size_t i = 1; i < forms.size(); ++i)
        CHECK(forms[i] == "1"); // asked once, then the form the server knows
    for (const auto& id : ids)
        CHECK(test::visibleFields(b.store->get(id)) == test::visibleFields(a.store->get(id)));

    // A server that knows the compact form answers in it.
    TestServer current;
    current.addUser("budi", "manager");
    Laptop c(current, "budi");
    forms.clear();
    c.options.beforeRequest = b.options.beforeRequest;
    c.open();
    c.sync();
    REQUIRE(forms.size() == 1);
    CHECK(forms[0] == "2");
}

TEST_CASE("Sync: a pull answer stops at its byte budget and the next one carries on", "[sync][server]")
{
    TestServer server;
    server.maxPullBytes = 30000;
    server.restart();
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    const auto ids = a.newApplications(4);
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        // Long addresses: about 12 KB each, so two fit in one answer at most.
        a.store->update(ids[i], {{"address", "Jl. Panjang " + std::string(12000, 'x') + std::to_string(i)}});
    }
    a.sync();

    for (const bool scoped : {false, true})
    {
        Laptop b(server, scoped ? "siti" : "budi");
        int pulls = 0;
        b.options.beforeRequest = [&](const std::string& path) {
            if (path.rfind("/v1/pull", 0) == 0)
                ++pulls;
        };
        b.open();
        b.sync();
        // Two addresses at most per answer: the manager's pull needs three
        // answers, the last saying nothing is left; the clerk's first pull
        // marks its records as held in the first and ends in the second.
        CHECK(pulls >= (scoped ? 2 : 3));
        for (int i = 0; i < 4; ++i)
            CHECK(b.store->get(ids[static_cast<std::size_t>(i)]).value("address").size() > 12000);
    }
}

TEST_CASE("Sync: a tombstone is kept until every device has pulled past it", "[sync][server]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    Laptop b(server, "budi");
    const std::string id = a.newApplication();
    a.sync();
    b.sync();
    a.store->remove(id);
    a.sync();
    CHECK(server.store->purgeTombstones() == 0); // b has not pulled the delete yet
    b.sync();
    CHECK(b.store->get(id).deleted());
    // A device reports the cursor it has applied when it next pulls.
    a.sync();
    b.sync();
    CHECK(server.store->purgeTombstones() == 1);
    CHECK(server.store->value(id, "deleted") == std::optional<std::string>("1"));
    CHECK_FALSE(server.store->value(id, "applicant_name").has_value());
}
