#include "tests/sync/ApiClient.h"
#include "tests/sync/SyncFixture.h"

#include "model/Database.h"
#include "model/Error.h"

#include <Poco/Net/NetException.h>
#include <Poco/Path.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <random>
#include <set>

using namespace berkas;
using test::Answer;
using test::ApiClient;
using test::Laptop;
using test::TestServer;

namespace {

constexpr const char* kHome = "32.75.09"; // Jatiasih: the clerk's kecamatan
constexpr const char* kAway = "32.75.01"; // another kecamatan of Kota Bekasi

/// One office's records, each kind in and out of the test users' scopes:
/// "A" records belong to the clerk siti's kecamatan and to verifier vera's
/// task, "B" records to another kecamatan and verifier vino.
struct Office
{
    TestServer server;
    std::map<std::string, std::string> ids; ///< name -> record id

    Office()
    {
        server.addUser("admin1", "admin");
        server.addUser("budi", "manager");
        server.addUser("siti", "clerk", kHome);
        server.addUser("vera", "verifier");
        server.addUser("vino", "verifier");
        Laptop m1(server, "admin1");
        Laptop m2(server, "budi");
        auto& s = *m1.store;
        ids["appA"] = m1.newApplication("Ani Lestari");
        s.update(ids["appA"], {{"kecamatan", kHome}});
        ids["appB"] = m1.newApplication("Bambang Wijaya");
        s.update(ids["appB"], {{"kecamatan", kAway}});
        ids["taskA"] = s.create("task", {{"application_id", ids["appA"]}, {"assigned_to", "vera"}});
        ids["taskB"] = s.create("task", {{"application_id", ids["appB"]}, {"assigned_to", "vino"}});
        ids["complaintA"] = s.create("complaint", {{"kind", "complaint"}, {"channel", "whatsapp"},
                                                   {"complainant_name", "Citra"}, {"subject", "Antrian lama"},
                                                   {"kecamatan", kHome}});
        ids["complaintB"] = s.create("complaint", {{"kind", "complaint"}, {"channel", "email"},
                                                   {"complainant_name", "Dedi"}, {"subject", "Izin lambat"},
                                                   {"kecamatan", kAway}});
        ids["booking"] = s.create("booking", {{"service_code", "PBG"}, {"location", "MPP Bekasi"},
                                              {"date", "2030-03-04"}, {"slot", "09:00"}, {"applicant_name", "Eka"}});
        ids["noteA"] = s.create("note", {{"parent_id", ids["appA"]}, {"author", "admin1"}, {"body", "berkas lengkap"}});
        ids["noteB"] = s.create("note", {{"parent_id", ids["appB"]}, {"author", "admin1"}, {"body", "kurang KTP"}});
        ids["attachmentA"] = s.create("attachment", {{"parent_id", ids["taskA"]}, {"name", "foto.jpg"},
                                                     {"sha256", std::string(64, 'a')}});
        ids["attachmentB"] = s.create("attachment", {{"parent_id", ids["taskB"]}, {"name", "foto.jpg"},
                                                     {"sha256", std::string(64, 'b')}});
        model::ListQuery q;
        q.kind = "requirement";
        q.where = {{"application_id", ids["appA"]}};
        ids["requirementA"] = s.list(q).at(0).id;
        q.where = {{"application_id", ids["appB"]}};
        ids["requirementB"] = s.list(q).at(0).id;
        m1.sync();
        m2.sync();
        // Concurrent edits on two laptops: a conflict about each application.
        m1.store->update(ids["appA"], {{"phone", "081111111111"}});
        m2.store->update(ids["appA"], {{"phone", "082222222222"}});
        m1.store->update(ids["appB"], {{"phone", "081111111112"}});
        m2.store->update(ids["appB"], {{"phone", "082222222223"}});
        m1.sync();
        m2.sync();
        for (const auto& c : m2.openConflicts())
            ids[c.value("record_id") == ids["appA"] ? "conflictA" : "conflictB"] = c.id;
        REQUIRE(ids.count("conflictA"));
        REQUIRE(ids.count("conflictB"));
        // Services are seeded on every laptop; one the administrator edited is on the server too.
        q.kind = "service";
        q.where = {};
        ids["service"] = s.list(q).at(0).id;
        s.update(ids["service"], {{"agency", "DPMPTSP Kota Bekasi"}});
        m1.sync();
    }

    /// The manager budi moves the application @p name to @p kecamatan.
    void move(const std::string& name, const char* kecamatan)
    {
        Laptop manager(server, "budi");
        manager.sync();
        manager.store->update(ids.at(name), {{"kecamatan", kecamatan}});
        manager.sync();
    }
};

/// A change each kind of record accepts, keeping it in the same scope.
std::vector<std::pair<std::string, std::optional<std::string>>> editOf(const std::string& kind)
{
    if (kind == "service")
        return {{"name", "Persetujuan Bangunan Gedung (ubah)"}};
    if (kind == "application")
        return {{"applicant_name", "Nama Diubah"}};
    if (kind == "requirement")
        return {{"fulfilled", "1"}};
    if (kind == "task")
        return {{"findings", "bangunan sesuai"}};
    if (kind == "complaint")
        return {{"subject", "Subjek diubah"}};
    if (kind == "booking")
        return {{"phone", "+6281234500000"}};
    if (kind == "conflict")
        return {{"status", "resolved"}};
    return {};
}

std::string kindOf(const std::string& name)
{
    if (name.rfind("app", 0) == 0)
        return "application";
    for (const char* k : {"application", "requirement", "task", "complaint", "booking", "note", "attachment",
                          "conflict", "service"})
        if (name.rfind(k, 0) == 0)
            return k;
    return name;
}

} // namespace

TEST_CASE("Access: the authorization matrix of roles, endpoints and records in and out of scope", "[sync][access]")
{
    Office office;
    auto& server = office.server;
    const std::vector<std::string> records = {"service",    "appA",        "appB",        "requirementA",
                                              "requirementB", "taskA",     "taskB",       "complaintA",
                                              "complaintB", "booking",     "noteA",       "noteB",
                                              "attachmentA", "attachmentB", "conflictA",  "conflictB"};
    // Expected cells: R = pulled, W = a push is accepted ("-": refused / not pulled).
    const std::map<std::string, std::map<std::string, std::string>> matrix = {
        {"admin1", {{"service", "RW"}, {"appA", "RW"}, {"appB", "RW"}, {"requirementA", "RW"}, {"requirementB", "RW"},
                    {"taskA", "RW"}, {"taskB", "RW"}, {"complaintA", "RW"}, {"complaintB", "RW"}, {"booking", "RW"},
                    {"noteA", "RW"}, {"noteB", "RW"}, {"attachmentA", "RW"}, {"attachmentB", "RW"},
                    {"conflictA", "RW"}, {"conflictB", "RW"}}},
        {"budi", {{"service", "R-"}, {"appA", "RW"}, {"appB", "RW"}, {"requirementA", "RW"}, {"requirementB", "RW"},
                  {"taskA", "RW"}, {"taskB", "RW"}, {"complaintA", "RW"}, {"complaintB", "RW"}, {"booking", "RW"},
                  {"noteA", "RW"}, {"noteB", "RW"}, {"attachmentA", "RW"}, {"attachmentB", "RW"},
                  {"conflictA", "RW"}, {"conflictB", "RW"}}},
        {"siti", {{"service", "R-"}, {"appA", "RW"}, {"appB", "--"}, {"requirementA", "RW"}, {"requirementB", "--"},
                  {"taskA", "--"}, {"taskB", "--"}, {"complaintA", "RW"}, {"complaintB", "--"}, {"booking", "RW"},
                  {"noteA", "RW"}, {"noteB", "--"}, {"attachmentA", "--"}, {"attachmentB", "--"},
                  {"conflictA", "RW"}, {"conflictB", "--"}}},
        {"vera", {{"service", "R-"}, {"appA", "R-"}, {"appB", "--"}, {"requirementA", "R-"}, {"requirementB", "--"},
                  {"taskA", "RW"}, {"taskB", "--"}, {"complaintA", "--"}, {"complaintB", "--"}, {"booking", "--"},
                  {"noteA", "R-"}, {"noteB", "--"}, {"attachmentA", "RW"}, {"attachmentB", "--"},
                  {"conflictA", "R-"}, {"conflictB", "--"}}},
    };

    for (const auto& [user, row] : matrix)
    {
        ApiClient api(server);
        REQUIRE(api.enroll(user) == 200);

        SECTION("pull: " + user)
        {
            const auto seen = api.pullIds();
            for (const auto& name : records)
            {
                INFO(user << " pulls " << name);
                CHECK(seen.count(office.ids.at(name)) == (row.at(name)[0] == 'R' ? 1u : 0u));
            }
        }
        SECTION("push: " + user)
        {
            for (const auto& name : records)
            {
                INFO(user << " pushes to " << name);
                const std::string kind = kindOf(name);
                const std::string id = office.ids.at(name);
                Answer a;
                if (kind == "note" || kind == "attachment")
                {
                    // Append-only: the write is a new child of the same parent.
                    const auto parent = server.store->value(id, "parent_id");
                    std::vector<std::pair<std::string, std::optional<std::string>>> fields = {{"parent_id", parent}};
                    if (kind == "note")
                        fields.push_back({"body", std::string("catatan baru")});
                    else
                    {
                        fields.push_back({"name", std::string("denah.pdf")});
                        fields.push_back({"sha256", std::string(64, 'c')});
                    }
                    a = api.push(kind, model::newUuidV7(), fields);
                }
                else
                    a = api.push(kind, id, editOf(kind));
                INFO(a.body);
                CHECK(ApiClient::outcome(a) == (row.at(name)[1] == 'W' ? "applied" : "refused"));
            }
        }
        SECTION("health, time, login: " + user)
        {
            CHECK(api.request("GET", "/v1/health").status == 200);
            CHECK(api.request("GET", "/v1/time").status == 200);
            CHECK(api.request("POST", "/v1/login", ApiClient::loginBody(user, test::kPassword, api.deviceId)).status == 200);
            CHECK(api.request("GET", "/v1/pull?cursor=0", "", "").status == 401);
            CHECK(api.request("POST", "/v1/push", "{}", "").status == 401);
        }
    }
}

TEST_CASE("Access: a refused change is answered per change, the rest applies, the audit keeps it", "[sync][access]")
{
    Office office;
    auto& server = office.server;
    ApiClient api(server);
    REQUIRE(api.enroll("siti") == 200);
    const std::string body = [&] {
        // One batch: an edit inside the kecamatan, one outside.
        sync::PushBatch batch;
        batch.schema = 1;
        batch.deviceId = api.deviceId;
        std::int64_t hlc = model::HybridLogicalClock::fromPhysicalMs(server.store->nowMs());
        for (const auto& name : {"appB", "appA"})
        {
            sync::WireChange c;
            c.seq = ++api.changeSeq;
            c.kind = "application";
            c.id = office.ids[name];
            c.field = "applicant_name";
            c.value = std::string("Ganti ") + name;
            c.stamp = {++hlc, api.deviceId};
            c.base = server.store->stamp(c.id, c.field);
            batch.changes.push_back(c);
        }
        return sync::toJsonText(sync::encodePush(batch));
    }();
    const Answer a = api.request("POST", "/v1/push", body, api.token);
    REQUIRE(a.status == 200);
    const auto results = a.json()->getArray("results");
    REQUIRE(results->size() == 1);
    CHECK(results->getObject(0)->getValue<std::string>("outcome") == "refused");
    CHECK(results->getObject(0)->getValue<std::string>("reason").find("outside your scope") != std::string::npos);
    CHECK(a.json()->getValue<std::int64_t>("accepted_through") == 2);
    CHECK(server.store->value(office.ids["appA"], "applicant_name") == std::string("Ganti appA"));
    CHECK(server.store->value(office.ids["appB"], "applicant_name") == std::string("Bambang Wijaya"));
    const auto audit = server.store->audit("siti");
    REQUIRE(audit.size() == 2);
    CHECK(audit[0].outcome == "refused");
    CHECK(audit[0].value == std::string("Ganti appB"));
    CHECK(audit[0].address == "127.0.0.1");
    CHECK(audit[0].device == api.deviceId);
    CHECK(audit[1].outcome == "applied");

    SECTION("a clerk may not move an application out of the kecamatan, nor claim one from elsewhere")
    {
        CHECK(ApiClient::outcome(api.push("application", office.ids["appA"], {{"kecamatan", std::string(kAway)}})) == "refused");
        CHECK(ApiClient::outcome(api.push("application", office.ids["appB"], {{"kecamatan", std::string(kHome)}})) == "refused");
        CHECK(server.store->value(office.ids["appA"], "kecamatan") == std::string(kHome));
    }
    SECTION("a clerk's new application counts by the kecamatan it arrives with")
    {
        const std::vector<std::pair<std::string, std::optional<std::string>>> base = {
            {"created_at", std::string("2026-03-02T09:00:00+07:00")}, {"service_code", std::string("PBG")},
            {"applicant_name", std::string("Fajar")}, {"channel", std::string("phone")}, {"status", std::string("draft")}};
        auto home = base;
        home.push_back({"kecamatan", std::string(kHome)});
        auto away = base;
        away.push_back({"kecamatan", std::string(kAway)});
        CHECK(ApiClient::outcome(api.push("application", model::newUuidV7(), home)) == "applied");
        CHECK(ApiClient::outcome(api.push("application", model::newUuidV7(), away)) == "refused");
    }
    SECTION("a record cannot be written under another kind to slip past its scope")
    {
        ApiClient vera(server);
        REQUIRE(vera.enroll("vera") == 200);
        CHECK(ApiClient::outcome(vera.push("task", office.ids["appA"], {{"status", std::string("done")}})) == "refused");
        CHECK(server.store->value(office.ids["appA"], "status") != std::string("done"));
    }
    SECTION("a verifier may not reassign or delete a task assigned to them")
    {
        ApiClient vera(server);
        REQUIRE(vera.enroll("vera") == 200);
        CHECK(ApiClient::outcome(vera.push("task", office.ids["taskA"], {{"assigned_to", std::string("vino")}})) == "refused");
        CHECK(ApiClient::outcome(vera.push("task", office.ids["taskA"], {{"deleted", std::string("1")}})) == "refused");
        CHECK(ApiClient::outcome(vera.push("task", office.ids["taskA"], {{"status", std::string("in_progress")}})) == "applied");
    }
}

TEST_CASE("Access: records entering and leaving a scope reach or leave the laptop at the next pull", "[sync][access]")
{
    Office office;
    auto& server = office.server;
    auto& ids = office.ids;
    Laptop manager(server, "budi");
    Laptop vera(server, "vera");
    Laptop vino(server, "vino");
    Laptop siti(server, "siti");
    manager.sync();
    vera.sync();
    vino.sync();
    siti.sync();
    REQUIRE(vera.store->find(ids["taskA"]));
    REQUIRE(vera.store->find(ids["appA"]));
    REQUIRE_FALSE(vino.store->find(ids["taskA"]));
    REQUIRE_FALSE(siti.store->find(ids["appB"]));
    const auto serverSeq = server.store->lastSeq();

    SECTION("a reassigned task moves, whole, with its application, from one verifier's laptop to the other's")
    {
        // Vera records findings offline while the manager reassigns the task.
        vera.store->update(ids["taskA"], {{"findings", "pagar melewati batas"}});
        manager.store->update(ids["taskA"], {{"assigned_to", "vino"}});
        manager.sync();
        // Vino's cursor is past every change of appA: it still arrives whole.
        vino.sync();
        REQUIRE(vino.store->find(ids["taskA"]));
        REQUIRE(vino.store->find(ids["appA"]));
        CHECK(vino.store->get(ids["appA"]).value("applicant_name") == "Ani Lestari");
        CHECK_FALSE(vino.store->get(ids["appA"]).value("reg_no").empty());
        CHECK(vino.store->find(ids["requirementA"]));
        CHECK(vino.store->find(ids["attachmentA"]));
        CHECK(vino.store->find(ids["conflictA"]));

        vera.sync();
        CHECK_FALSE(vera.store->find(ids["taskA"]));
        CHECK_FALSE(vera.store->find(ids["appA"]));
        CHECK_FALSE(vera.store->find(ids["requirementA"]));
        CHECK_FALSE(vera.store->find(ids["attachmentA"]));
        CHECK(vera.store->outboxSize() == 0);
        // The purge is local: a line in the laptop's audit, nothing pushed, the server keeps all.
        model::Statement audit(vera.store->database(),
                               "SELECT changes FROM audit WHERE record_id = ? ORDER BY id DESC LIMIT 1");
        audit.bind(1, ids["taskA"]);
        REQUIRE(audit.step());
        // Her offline findings were refused first, which took the task off
        // her laptop already.
        CHECK((audit.text(0).find("refused by the central office") != std::string::npos ||
               audit.text(0).find("left scope") != std::string::npos));
        CHECK(server.store->value(ids["taskA"], "assigned_to") == std::string("vino"));
        CHECK(server.store->value(ids["appA"], "applicant_name") == std::string("Ani Lestari"));
        // Vera's offline findings were refused (not hers any more) but not lost.
        bool kept = false;
        for (const auto& line : server.store->audit("vera"))
            kept = kept || (line.outcome == "refused" && line.value == std::string("pagar melewati batas"));
        CHECK(kept);
        CHECK(server.store->value(ids["taskA"], "findings") != std::string("pagar melewati batas"));

        SECTION("and back again")
        {
            manager.store->update(ids["taskA"], {{"assigned_to", "vera"}});
            manager.sync();
            vera.sync();
            vino.sync();
            CHECK(vera.store->find(ids["taskA"]));
            CHECK(vera.store->find(ids["appA"]));
            CHECK_FALSE(vino.store->find(ids["taskA"]));
        }
    }
    SECTION("an application moved into a clerk's kecamatan arrives; one moved away leaves")
    {
        manager.store->update(ids["appB"], {{"kecamatan", kHome}});
        manager.store->update(ids["appA"], {{"kecamatan", kAway}});
        manager.sync();
        CHECK(server.store->lastSeq() > serverSeq);
        siti.sync();
        REQUIRE(siti.store->find(ids["appB"]));
        CHECK(siti.store->get(ids["appB"]).value("applicant_name") == "Bambang Wijaya");
        CHECK(siti.store->find(ids["requirementB"]));
        CHECK(siti.store->find(ids["noteB"]));
        CHECK_FALSE(siti.store->find(ids["appA"]));
        CHECK_FALSE(siti.store->find(ids["noteA"]));
        CHECK(siti.store->find(ids["complaintA"]));
    }
    SECTION("an answer lost on the way back is given again")
    {
        manager.store->update(ids["appB"], {{"kecamatan", kHome}});
        manager.sync();
        siti.options.afterAnswer = [](const std::string& path) {
            if (path.rfind("/v1/pull", 0) == 0)
                throw Poco::Net::NetException("answer lost");
        };
        siti.options.maxAttempts = 1;
        siti.open();
        CHECK_THROWS(siti.sync());
        siti.options.afterAnswer = nullptr;
        siti.open();
        siti.sync();
        CHECK(siti.store->find(ids["appB"]));
    }
}

TEST_CASE("Access: a laptop's first pull brings each change of its scope once", "[sync][access]")
{
    Office office;
    auto& server = office.server;
    // More records in the clerk's kecamatan, over several answers.
    {
        Laptop intake(server, "siti");
        for (const auto& id : intake.newApplications(30))
            intake.store->update(id, {{"kecamatan", kHome}});
        intake.sync();
    }
    const auto scope = server.store->scope({"siti", "clerk", kHome});
    std::int64_t rowsInScope = 0;
    {
        model::Database db(Poco::Path(server.dir.path).append("server.db").toString());
        model::Statement rows(db, "SELECT record_id FROM fields");
        while (rows.step())
            rowsInScope += scope.count(rows.text(0)) ? 1 : 0;
    }
    for (const std::size_t batch : {std::size_t{50000}, std::size_t{40}})
    {
        Laptop siti(server, "siti", false);
        siti.options.pullBatch = batch;
        siti.open();
        siti.client->enroll(server.url(), "siti", test::kPassword);
        const auto summary = siti.sync();
        CHECK(summary.pulled == rowsInScope); // not twice: whole, then again after the cursor
        for (const auto& id : scope)
            CHECK(siti.store->find(id));
        CHECK_FALSE(siti.store->find(office.ids["appB"]));
        // Held on the server: a record moved away later leaves this laptop.
        office.move("appA", kAway);
        siti.sync();
        CHECK_FALSE(siti.store->find(office.ids["appA"]));
        office.move("appA", kHome);
    }
}

TEST_CASE("Access: a pull with nothing in scope still moves the laptop's cursor", "[sync][access]")
{
    Office office;
    auto& server = office.server;
    Laptop siti(server, "siti");
    siti.sync();
    const auto cursorBefore = std::atoll(siti.store->setting("cursor", "0").c_str());
    REQUIRE(cursorBefore > 0);
    {
        // Work in another kecamatan: none of it is the clerk's.
        Laptop manager(server, "budi");
        for (const auto& id : manager.newApplications(20))
            manager.store->update(id, {{"kecamatan", kAway}});
        manager.sync();
    }
    const auto summary = siti.sync();
    CHECK(summary.pulled == 0);
    CHECK(summary.cursor > cursorBefore);
    // Kept, so the next pull does not look at those changes again.
    CHECK(std::atoll(siti.store->setting("cursor", "0").c_str()) == summary.cursor);
}

TEST_CASE("Access: the server keeps the scopes of the laptops that pulled last, the others still get theirs",
          "[sync][access]")
{
    Office office;
    auto& server = office.server;
    server.maxKeptScopes = 1;
    server.restart();
    server.addUser("sari", "clerk", kHome);
    Laptop siti(server, "siti");
    Laptop sari(server, "sari");
    siti.sync();
    sari.sync();
    CHECK(server.store->keptScopes() == 1); // sari's: she pulled last
    // siti's scope is computed anew at her next pull, and is right.
    office.move("appA", kAway);
    siti.sync();
    CHECK_FALSE(siti.store->find(office.ids["appA"]));
    sari.sync();
    CHECK_FALSE(sari.store->find(office.ids["appA"]));
    CHECK(server.store->keptScopes() == 1);
    // A laptop revoked by the administration (another process on the same
    // database) loses its kept scope at its next request.
    {
        sync::ServerStore admin(sync::ServerStore::optionsFor("", server.dir.path));
        admin.revokeDevice(sari.store->deviceId());
    }
    CHECK(server.store->keptScopes() == 1);
    CHECK_THROWS_WITH(sari.sync(), Catch::Contains("revoked"));
    CHECK(server.store->keptScopes() == 0);
}

TEST_CASE("Access: a server database of schema 2 gains its table of records at start", "[sync][access]")
{
    Office office;
    auto& server = office.server;
    const sync::Principal siti{"siti", "clerk", kHome};
    const sync::Principal vera{"vera", "verifier", ""};
    const auto clerkScope = server.store->scope(siti);
    const auto verifierScope = server.store->scope(vera);
    REQUIRE(clerkScope.count(office.ids["appA"]));
    server.stop();
    {
        // The database as berkas-server of schema 2 left it.
        model::Database db(Poco::Path(server.dir.path).append("server.db").toString());
        db.exec("DROP TABLE records");
        db.exec("DROP INDEX audit_device");
        db.exec("ALTER TABLE audit DROP COLUMN hlc");
        db.exec("ALTER TABLE audit DROP COLUMN code");
        db.exec("ALTER TABLE devices DROP COLUMN pushed_hlc");
        db.exec("ALTER TABLE devices DROP COLUMN provisional_seq");
        db.exec("UPDATE counters SET value = 2 WHERE name = 'schema_version'");
    }
    server.start();
    CHECK(server.store->scope(siti) == clerkScope);
    CHECK(server.store->scope(vera) == verifierScope);
    Laptop laptop(server, "siti");
    laptop.sync();
    CHECK(laptop.store->find(office.ids["appA"]));
    CHECK_FALSE(laptop.store->find(office.ids["appB"]));
}

TEST_CASE("Access: the scope of each role as the store computes it", "[sync][access]")
{
    Office office;
    auto& ids = office.ids;
    const auto clerk = office.server.store->scope({"siti", "clerk", kHome});
    CHECK(clerk.count(ids["appA"]));
    CHECK_FALSE(clerk.count(ids["appB"]));
    CHECK(clerk.count(ids["booking"]));
    CHECK_FALSE(clerk.count(ids["taskA"]));
    const auto verifier = office.server.store->scope({"vera", "verifier", ""});
    CHECK(verifier.count(ids["taskA"]));
    CHECK(verifier.count(ids["appA"]));
    CHECK_FALSE(verifier.count(ids["booking"]));
    CHECK(office.server.store->scope({"budi", "manager", ""}).count(ids["appB"]));
}

TEST_CASE("Access: a scoped laptop holds exactly its scope after every sync over random moves", "[sync][access][property]")
{
    for (const unsigned seed : {1u, 2u, 3u})
    {
        INFO("seed " << seed);
        Office office;
        auto& server = office.server;
        Laptop manager(server, "budi");
        Laptop siti(server, "siti");
        Laptop vera(server, "vera");
        manager.sync();
        std::mt19937 random(seed);
        const auto pick = [&](const std::vector<std::string>& from) {
            return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
        };
        const std::vector<std::string> places = {kHome, kAway, ""};
        const std::vector<std::string> verifiers = {"vera", "vino"};
        std::vector<std::string> applications = {office.ids["appA"], office.ids["appB"]};
        std::vector<std::string> tasks = {office.ids["taskA"], office.ids["taskB"]};
        std::vector<std::string> all;
        for (const auto& [name, id] : office.ids)
            all.push_back(id);
        // The clerk's answers are small, so records entering the scope take
        // several, and the office moves applications between them.
        int movesDuringPull = 0;
        siti.options.pullBatch = 8;
        siti.options.beforeRequest = [&](const std::string& path) {
            if (path.rfind("/v1/pull", 0) != 0 || std::uniform_int_distribution<int>(0, 3)(random) != 0)
                return;
            manager.store->update(pick(applications), {{"kecamatan", pick(places)}});
            manager.sync();
            ++movesDuringPull;
        };
        siti.open();
        for (int step = 0; step < 60; ++step)
        {
            auto& m = *manager.store;
            switch (std::uniform_int_distribution<int>(0, 5)(random))
            {
            case 0:
                applications.push_back(manager.newApplication("Pemohon Acak " + std::to_string(step)));
                m.update(applications.back(), {{"kecamatan", pick(places)}});
                all.push_back(applications.back());
                break;
            case 1: m.update(pick(applications), {{"kecamatan", pick(places)}}); break;
            case 2:
                all.push_back(m.create("note", {{"parent_id", pick(applications)}, {"author", "budi"}, {"body", "catatan"}}));
                break;
            case 3:
                tasks.push_back(m.create("task", {{"application_id", pick(applications)}, {"assigned_to", pick(verifiers)}}));
                all.push_back(tasks.back());
                break;
            case 4: m.update(pick(tasks), {{"assigned_to", pick(verifiers)}}); break;
            default: break; // a step with no change
            }
            manager.sync();
            for (Laptop* laptop : {&siti, &vera})
            {
                if (std::uniform_int_distribution<int>(0, 2)(random) != 0)
                    continue;
                if (std::uniform_int_distribution<int>(0, 4)(random) == 0)
                {
                    // The answer is lost: the server must tell it again.
                    laptop->options.afterAnswer = [](const std::string& path) {
                        if (path.rfind("/v1/pull", 0) == 0)
                            throw Poco::Net::NetException("answer lost");
                    };
                    laptop->options.maxAttempts = 1;
                    laptop->open();
                    CHECK_THROWS(laptop->sync());
                    laptop->options.afterAnswer = nullptr;
                    laptop->options.maxAttempts = 5;
                    laptop->open();
                }
                laptop->sync();
                const std::string user = laptop == &siti ? "siti" : "vera";
                const auto scope = server.store->scope({user, laptop == &siti ? "clerk" : "verifier",
                                                        laptop == &siti ? kHome : ""});
                for (const auto& id : all)
                {
                    INFO("step " << step << ", " << user << ", record " << id);
                    CHECK(laptop->store->find(id).has_value() == (scope.count(id) > 0));
                }
            }
        }
        CHECK(movesDuringPull > 0);
    }
}
