#include "model/Migrations.h"

#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Error.h"
#include "model/RecordPager.h"
#include "tests/model/StoreTestSupport.h"

#include <Poco/File.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace berkas;
using namespace berkas::model;
using berkas::test::checkInvariants;
using berkas::test::countRows;
using berkas::test::StoreFixture;
using berkas::test::TempDir;

namespace {

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// The schema as SQLite stores it, to compare two databases.
std::string schemaOf(Database& db)
{
    Statement s(db, "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name");
    std::string text;
    while (s.step())
        text += s.text(0) + "\n";
    return text;
}

const std::string kOldId = "01790000-0000-7000-8000-000000000001";

} // namespace

TEST_CASE("Migrations: a database from every earlier version is upgraded by CaseStore and keeps its data",
          "[model][migrations]")
{
    REQUIRE(Migrations::latest() >= 2);
    for (int version = 1; version < Migrations::latest(); ++version)
    {
        DYNAMIC_SECTION("version " << version)
        {
            StoreFixture f;
            f.close();
            const std::string path = CaseStore::databasePath(f.dir.path);
            Poco::File(path).remove();
            {
                Database db(path);
                Migrations::migrate(db, version);
                REQUIRE(db.userVersion() == version);
                db.exec("INSERT INTO meta(key, value) VALUES ('device_id', 'old-device-0000abcdef'), "
                        "('provisional_counter', '41')");
                db.exec("INSERT INTO application(id, created_at, updated_at, _hlc, _device, provisional_no, "
                        "service_code, applicant_name, nik, channel, status) VALUES ('" +
                        kOldId +
                        "', '2021-04-01T08:00:00+07:00', '2021-04-01T08:00:00+07:00', 100, "
                        "'old-device-0000abcdef', 'P-ABCDEF-000041', 'PBG', 'Wahyu Nugroho', '3275090101900001', "
                        "'counter', 'submitted')");
            }

            f.open("");
            CaseStore& store = *f.store;
            CHECK(store.database().userVersion() == Migrations::latest());
            CHECK(store.deviceId() == "old-device-0000abcdef");
            const Record r = store.get(kOldId);
            CHECK(r.value("applicant_name") == "Wahyu Nugroho");
            CHECK(r.value("status") == "submitted");
            CHECK(r.value("provisional_no") == "P-ABCDEF-000041");

            ListQuery q;
            q.kind = "application";
            q.search = "wahyu";
            REQUIRE(store.list(q).size() == 1);
            CHECK(countRows(store.database(), "service") == 10);

            store.update(kOldId, {{"status", "document_check"}});
            const std::string fresh = store.create("application", {{"service_code", "SIPD"},
                                                                   {"applicant_name", "Teguh Permana"},
                                                                   {"channel", "portal"}});
            CHECK(store.get(fresh).value("provisional_no") == "P-ABCDEF-000042");
            checkInvariants(store);
        }
    }
}

TEST_CASE("Migrations: stepwise upgrades give the same schema as a fresh database", "[model][migrations]")
{
    TempDir dir;
    Database fresh(dir.file("fresh.db"));
    Migrations::migrate(fresh);
    Database stepwise(dir.file("stepwise.db"));
    for (int v = 1; v <= Migrations::latest(); ++v)
    {
        Migrations::migrate(stepwise, v);
        CHECK(stepwise.userVersion() == v);
    }
    CHECK(schemaOf(stepwise) == schemaOf(fresh));

    SECTION("migrating an up-to-date database changes nothing")
    {
        const std::string before = schemaOf(fresh);
        Migrations::migrate(fresh);
        Migrations::migrate(fresh, 1);
        CHECK(fresh.userVersion() == Migrations::latest());
        CHECK(schemaOf(fresh) == before);
    }
}

TEST_CASE("Migrations: a database from a newer Berkas is refused and left byte for byte unchanged",
          "[model][migrations]")
{
    StoreFixture f;
    f.store->create("application", {{"service_code", "PBG"}, {"applicant_name", "Yudi Halim"}, {"channel", "phone"}});
    f.close();
    const std::string path = CaseStore::databasePath(f.dir.path);
    const int newer = Migrations::latest() + 1;
    {
        Database db(path);
        db.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    REQUIRE_FALSE(Poco::File(path + "-wal").exists());
    const std::string before = readBytes(path);
    REQUIRE(!before.empty());

    try
    {
        f.open();
        FAIL("the newer database was opened");
    }
    catch (const Error& e)
    {
        CHECK(e.code() == ErrorCode::InvalidData);
        const std::string message = e.what();
        CHECK_THAT(message, Catch::Contains("schema version " + std::to_string(newer)));
        CHECK_THAT(message, Catch::Contains("newer than this Berkas understands (" +
                                            std::to_string(Migrations::latest()) + ")"));
        CHECK_THAT(message, Catch::Contains(path));
    }
    CHECK(readBytes(path) == before);

    SECTION("Migrations::migrate refuses it too")
    {
        Database db(path);
        CHECK_THROWS_AS(Migrations::migrate(db), Error);
        CHECK(db.userVersion() == newer);
    }
}

TEST_CASE("Migrations: version 6 fills status_move from the audit log and keeps it as audit lines arrive",
          "[model][migrations][report]")
{
    StoreFixture f;
    f.close();
    const std::string path = CaseStore::databasePath(f.dir.path);
    Poco::File(path).remove();
    {
        Database db(path);
        Migrations::migrate(db, 5);
        // Audit lines as a version-5 store left them: a decision written here,
        // a withdrawal that came by sync, and lines without a status move.
        db.exec(R"sql(
INSERT INTO audit(record_id, kind, at, user, device, hlc, source, changes) VALUES
 ('app-1', 'application', '2021-05-03T10:00:00+07:00', 'u', 'd', 1, 'local',
  '[{"field":"applicant_name","old":"","new":"Wahyu"}]'),
 ('app-1', 'application', '2021-05-04T10:00:00+07:00', 'u', 'd', 2, 'local',
  '[{"field":"status","old":"submitted","new":"document_check"}]'),
 ('app-1', 'application', '2021-05-11T10:00:00+07:00', 'u', 'd', 3, 'local',
  '[{"field":"note","old":"","new":"status ok"},{"field":"status","old":"recommendation","new":"approved"}]'),
 ('app-2', 'application', '2021-05-12T10:00:00+07:00', 'u', 'd', 4, 'sync',
  '[{"field":"status","old":"submitted","new":"withdrawn"}]'),
 ('cmp-1', 'complaint', '2021-05-12T10:00:00+07:00', 'u', 'd', 5, 'local',
  '[{"field":"status","old":"received","new":"closed"}]');
)sql");
        Migrations::migrate(db, 6);
        Statement s(db, "SELECT record_id, status, source, at FROM status_move ORDER BY audit_id");
        REQUIRE(s.step());
        CHECK(s.text(0) == "app-1");
        CHECK(s.text(1) == "approved");
        CHECK(s.text(2) == "local");
        CHECK(s.text(3) == "2021-05-11T10:00:00+07:00");
        REQUIRE(s.step());
        CHECK(s.text(0) == "app-2");
        CHECK(s.text(1) == "withdrawn");
        CHECK(s.text(2) == "sync");
        CHECK_FALSE(s.step());
    }

    f.open();
    CaseStore& store = *f.store;
    REQUIRE(store.database().userVersion() >= 6);
    const std::string id = store.create("application", {{"service_code", "SIPD"},
                                                       {"applicant_name", "Siti Aminah"},
                                                       {"nik", "3275094101900001"},
                                                       {"phone", "081234567890"},
                                                       {"kecamatan", "32.75.09"},
                                                       {"channel", "portal"}});
    store.update(id, {{"status", "submitted"}});
    CHECK(countRows(store.database(), "status_move", "record_id = '" + id + "'") == 0);
    store.update(id, {{"status", "withdrawn"}});
    CHECK(countRows(store.database(), "status_move", "record_id = '" + id + "' AND status = 'withdrawn'") == 1);
    // The lines from before the upgrade are untouched and not repeated.
    CHECK(countRows(store.database(), "status_move") == 3);
}

TEST_CASE("Migrations: status moves are recorded with their audit line, written here or applied by sync",
          "[model][migrations][report]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const auto replicate = [&](const std::string& kind, const std::string& id,
                               std::vector<std::pair<std::string, std::optional<std::string>>> fields, std::int64_t hlc) {
        store.writeReplicated(kind, id, fields, std::vector<Stamp>(fields.size(), Stamp{hlc, "other-device"}),
                              "clerk.other");
    };
    // A pulled application arrives submitted; a note mentioning "approved"
    // in quotes and a complaint closed are not moves of an application.
    replicate("application", "app-sync",
              {{"service_code", std::string("PBG")},
               {"applicant_name", std::string("Rahmat \"approved\" Hidayat")},
               {"status", std::string("submitted")}},
              100);
    replicate("complaint", "cmp-sync", {{"subject", std::string("Antrean")}, {"status", std::string("closed")}}, 101);
    CHECK(countRows(store.database(), "status_move") == 0);

    replicate("application", "app-sync", {{"status", std::string("approved")}}, 102);
    Statement s(store.database(), "SELECT m.status, m.source, m.at = a.at, m.hlc FROM status_move m "
                                  "JOIN audit a ON a.id = m.audit_id WHERE m.record_id = 'app-sync'");
    REQUIRE(s.step());
    CHECK(s.text(0) == "approved");
    CHECK(s.text(1) == "sync");
    CHECK(s.integer(2) == 1);
    CHECK(s.integer(3) == 102);
    CHECK_FALSE(s.step());

    // Written here: a withdrawal is a move, a step of the review is not.
    const std::string id = store.create("application", {{"service_code", "SIPD"},
                                                       {"applicant_name", "Dewi Lestari"},
                                                       {"nik", "3275094101900002"},
                                                       {"phone", "081234567891"},
                                                       {"kecamatan", "32.75.09"},
                                                       {"channel", "portal"}});
    store.update(id, {{"status", "submitted"}});
    store.update(id, {{"status", "withdrawn"}});
    CHECK(countRows(store.database(), "status_move", "record_id = '" + id + "' AND source = 'local'") == 1);
    CHECK(countRows(store.database(), "status_move") == 2);
}

TEST_CASE("Migrations: version 11 writes audit lines as arrays, and history reads the lines written before",
          "[model][migrations]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    REQUIRE(store.database().userVersion() >= 11);
    const std::string id = store.create("application", {{"service_code", "SIPD"},
                                                       {"applicant_name", "Wahyu Pratama"},
                                                       {"nik", "3275094101900002"},
                                                       {"phone", "081234567891"},
                                                       {"kecamatan", "32.75.09"},
                                                       {"channel", "portal"}});
    // The creation line as a version-10 store wrote it.
    store.database().exec("UPDATE audit SET changes = '[{\"field\":\"applicant_name\",\"old\":\"\",\"new\":\"Wahyu\"},"
                          "{\"field\":\"channel\",\"old\":\"\",\"new\":\"portal\"}]' WHERE record_id = '" + id + "'");
    store.update(id, {{"applicant_name", "Wahyu \"Pratama\""}, {"email", "wahyu@contoh.id"}});

    Statement written(store.database(), "SELECT changes FROM audit WHERE record_id = ? ORDER BY id DESC LIMIT 1");
    written.bind(1, id);
    REQUIRE(written.step());
    CHECK(written.text(0) == R"([["applicant_name","Wahyu Pratama","Wahyu \"Pratama\""],["email","wahyu@contoh.id"]])");

    const auto lines = store.history(id);
    REQUIRE(lines.size() == 4);
    CHECK((lines[0].field == "applicant_name" && lines[0].oldValue.empty() && lines[0].newValue == "Wahyu"));
    CHECK((lines[1].field == "channel" && lines[1].oldValue.empty() && lines[1].newValue == "portal"));
    CHECK((lines[2].field == "applicant_name" && lines[2].oldValue == "Wahyu Pratama" &&
           lines[2].newValue == "Wahyu \"Pratama\""));
    CHECK((lines[3].field == "email" && lines[3].oldValue.empty() && lines[3].newValue == "wahyu@contoh.id"));
    CHECK(lines[3].source == "local");
    CHECK(lines[3].user == "clerk.test");
}

TEST_CASE("Migrations: version 13 lists tombstones, and the list's order, in indexes", "[model][migrations][pager]")
{
    StoreFixture f;
    f.close();
    const std::string path = CaseStore::databasePath(f.dir.path);
    Poco::File(path).remove();
    {
        // A version-12 store with 300 applications, every tenth deleted, and
        // runs of equal created_at that the id orders.
        Database db(path);
        Migrations::migrate(db, 12);
        db.exec("WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < 300) "
                "INSERT INTO application (id, created_at, updated_at, deleted, applicant_name, status) "
                "SELECT printf('01900000-0000-7000-8000-%012x', (i * 7919) % 1000), "
                "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1700000000 + (i / 3) * 60, 'unixepoch'), '', "
                "i % 10 = 0, 'Pemohon ' || i, 'draft' FROM x");
        Migrations::migrate(db, 13);
        Statement tombstones(db, "SELECT COUNT(*) FROM application INDEXED BY application_tombstone WHERE deleted <> 0");
        REQUIRE(tombstones.step());
        CHECK(tombstones.integer(0) == 30);
        // A page far down the list is found in the created_at index: no
        // sorting of the rows above it.
        Statement plan(db, "EXPLAIN QUERY PLAN SELECT t.id FROM application t WHERE t.deleted = 0 "
                           "ORDER BY t.created_at DESC, t.id DESC LIMIT 10 OFFSET 200");
        std::string steps;
        while (plan.step())
            steps += plan.text(3) + "\n";
        CHECK(steps.find("application_created") != std::string::npos);
        CHECK(steps.find("TEMP B-TREE") == std::string::npos);
    }

    f.open();
    CaseStore& store = *f.store;
    CHECK(store.database().userVersion() == Migrations::latest());
    RecordPager pager(store.database(), {"applicant_name"}, 25);
    PagerQuery q;
    q.kind = "application";
    pager.setQuery(q);
    CHECK(pager.count() == 270);
    Statement live(store.database(), "SELECT id FROM application WHERE deleted = 0 ORDER BY created_at DESC, id DESC");
    for (std::int64_t i = 0; live.step(); ++i)
        CHECK(pager.row(i).id == live.text(0));
    CHECK(pager.row(270).id.empty());
}
