// The central office's calendar as data (model/OfficeCalendar.h,
// sync/server/CatalogImport.h): imported on the real server, pulled by every
// laptop, due dates computed again the same on every replica, and a booking
// made offline for a counter the suspension closes overbooked naming it.
#include "model/Date.h"
#include "model/ServiceCatalog.h"
#include "sync/server/CatalogImport.h"
#include "tests/model/StoreTestSupport.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"
#include "tests/sync/SyncFixture.h"


#include <catch2/catch.hpp>

#include <fstream>

using namespace berkas;
using test::Laptop;
using test::TestServer;

namespace {

constexpr const char* kMpp = "MPP Kota Bekasi";

/// The next working day at least @p days after today, per the laptop's calendar.
model::Date workingDayAfter(Laptop& laptop, int days)
{
    model::Date d = laptop.store->today().addDays(days);
    while (!laptop.store->calendar().isWorkingDay(d))
        d = d.addDays(1);
    return d;
}

void writeFile(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

/// Runs the berkas-server binary (test::runProcess); its exit code, with what it printed.
int serverCli(const std::vector<std::string>& args, std::string& out, std::string& err)
{
    const test::ProcessResult r = test::runProcess(BERKAS_SERVER_BINARY, args);
    out += r.out;
    err += r.err;
    return r.code;
}

} // namespace

TEST_CASE("Catalog: a suspension imported at the central office reaches every laptop, moves due dates alike and "
          "overbooks a booking made offline for the closed counter",
          "[sync][catalog][suspension]")
{
    TestServer server;
    server.addUser("mira", "manager");
    server.addUser("siti", "clerk", "32.75.09");
    Laptop manager(server, "mira");
    Laptop clerk(server, "siti");

    // The manager starts an application's SLA clock today.
    const std::string app = manager.newApplication("Rina Kartikasari");
    manager.store->update(app, {{"status", "submitted"}});
    manager.store->update(app, {{"status", "document_check"}});
    test::tickChecklist(*manager.store, app);
    manager.store->update(app, {{"status", "recommendation"}});
    const std::string dueBefore = manager.store->get(app).value("due_date");
    REQUIRE_FALSE(dueBefore.empty());
    manager.sync();
    clerk.sync();
    REQUIRE(clerk.store->get(app).value("due_date") == dueBefore);

    // Offline, the clerk books a counter visit in what will be the suspension.
    const model::Date from = workingDayAfter(clerk, 7);
    const model::Date to = workingDayAfter(clerk, 14);
    const model::Date inside = workingDayAfter(clerk, 10);
    const std::string booking = clerk.store->create("booking", {{"service_code", "PBG"},
                                                                {"location", kMpp},
                                                                {"date", inside.toString()},
                                                                {"slot", "09:00"},
                                                                {"applicant_name", "Dewi Anggraini"},
                                                                {"nik", "3275094107900001"}});

    // The administrator imports the instruction (the shared file's shape).
    test::TempDir files;
    const std::string csv = files.path + "/suspensions.csv";
    writeFile(csv, "region,instrument,number,date_from,date_to,scope,steps_suspended,exempt,replacement_channels,source\n"
                   "32.75,Instruksi Wali Kota Contoh,07/SUSP/2026," + from.toString() + "," + to.toString() +
                       ",\"MPP, kecamatan offices\",counter intake;face-to-face consultation,health services,"
                       "portal and call center,synthetic test data\n"
                   "51.02,Kebijakan Kabupaten Lain,,2026-01-01,,elsewhere,counter intake,,,synthetic\n");
    const auto records = sync::readCatalogFile(csv, "32.75"); // only this office's rows
    REQUIRE(records.size() == 1);
    const auto [changed, moved] = server.store->importCatalog(records);
    CHECK(changed == 1);
    CHECK(moved == 1);
    CHECK(server.store->importCatalog(records) == std::make_pair(std::size_t(0), std::size_t(0))); // idempotent

    clerk.sync();
    manager.sync();
    // Every replica holds the same later due date, the one the laptop's own
    // calendar gives, and says why.
    const std::string dueAfter = manager.store->get(app).value("due_date");
    CHECK(dueAfter > dueBefore);
    CHECK(clerk.store->get(app).value("due_date") == dueAfter);
    const auto terms = model::serviceTerms(*manager.store, "PBG");
    CHECK(manager.store->officeCalendar()
              .applicationDue(*model::Date::parse(manager.store->get(app).value("sla_started")), terms, "32.75.09")
              .toString() == dueAfter);
    const auto why = model::slaPauses(*clerk.store, clerk.store->get(app));
    REQUIRE(why.size() == 1);
    CHECK(why[0].title() == "Instruksi Wali Kota Contoh 07/SUSP/2026");
    CHECK(why[0].exempt == std::vector<std::string>{"health"});

    // The booking the clerk made offline is overbooked, and the note names the instrument.
    CHECK(clerk.store->get(booking).value("status") == "overbooked");
    model::ListQuery q;
    q.kind = "note";
    q.where = {{"parent_id", booking}};
    const auto notes = clerk.store->list(q);
    REQUIRE(notes.size() == 1);
    CHECK_THAT(notes[0].value("body"), Catch::Contains("Instruksi Wali Kota Contoh 07/SUSP/2026"));
    // Now the laptop knows: a new booking that day is refused at once.
    CHECK(test::errorOf([&] {
              clerk.store->create("booking", {{"service_code", "PBG"},
                                              {"location", kMpp},
                                              {"date", inside.toString()},
                                              {"slot", "10:00"},
                                              {"applicant_name", "Eka Saputra"}});
          }) == "date: the counter MPP Kota Bekasi is closed by Instruksi Wali Kota Contoh 07/SUSP/2026 from " +
                    from.toString() + " to " + to.toString());
    // A clerk's laptop cannot write the calendar.
    CHECK_THAT(test::errorOf([&] {
                   clerk.store->create("calendar_day", {{"date", to.toString()}, {"kind", "cuti_bersama"}});
               }),
               Catch::Contains("only an administrator changes suspensions and the office calendar"));

    // Lifting it (the row again, ended at its first day) moves the dates back alike.
    writeFile(csv, "region,instrument,number,date_from,date_to,steps_suspended\n"
                   "32.75,Instruksi Wali Kota Contoh,07/SUSP/2026," + from.toString() + "," + from.toString() +
                       ",counter intake\n");
    server.store->importCatalog(sync::readCatalogFile(csv, ""));
    manager.sync();
    clerk.sync();
    CHECK(manager.store->get(app).value("due_date") == clerk.store->get(app).value("due_date"));
    CHECK(manager.store->get(app).value("due_date") < dueAfter);
    CHECK(manager.openConflicts().empty());
    CHECK(clerk.openConflicts().empty());
}

TEST_CASE("Catalog import from the command line: the shared reference files load, a bad row is refused naming its "
          "line and field, and nothing is written",
          "[sync][catalog]")
{
    test::TempDir data;
    const std::string ref = std::string(BERKAS_SOURCE_DIR) + "/assets/reference/";
    std::string out, err;
    REQUIRE(serverCli({"--data=" + data.path, "catalog", "import", ref + "suspensions.csv"}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("imported 3 suspension records"));
    REQUIRE(serverCli({"--data=" + data.path, "catalog", "import", ref + "holidays-id.csv"}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("calendar_day records"));
    out.clear();
    REQUIRE(serverCli({"--data=" + data.path, "catalog", "list"}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("Instruksi Wali Kota Bekasi 067/613/DPMPTSP\t32.75\t2020-05-13\t2020-05-26\t"
                                    "counter_intake;consultation\t-\thealth;revenue"));
    const std::string listed = out;

    const auto refused = [&](const std::string& text, const std::string& message) {
        const std::string bad = data.path + "/bad.csv";
        writeFile(bad, text);
        out.clear();
        err.clear();
        CHECK(serverCli({"--data=" + data.path, "catalog", "import", bad}, out, err) == 1);
        CHECK(err == bad + " " + message + "\n");
        out.clear();
        REQUIRE(serverCli({"--data=" + data.path, "catalog", "list"}, out, err) == 0);
        CHECK(out == listed);
    };
    const std::string head = "region,instrument,number,date_from,date_to,steps_suspended\n";
    refused(head + "32.75,Instruksi A,1,2026-12-10,2026-12-11,counter intake\n"
                   "32.75,Instruksi B,2,2026-12-20,2026-12-01,counter intake\n",
            "line 3: date_to: must not be before date_from (2026-12-20), got 2026-12-01");
    refused(head + "32.75,Instruksi C,3,2026-12-10,,coffee break\n",
            "line 2: steps: unknown step \"coffee break\" (counter_intake, field_verification, consultation, "
            "oss_assistance)");
    refused(head + "32.75,Instruksi D,4,10/12/2026,,counter intake\n",
            "line 2: date_from: must be a date in the form YYYY-MM-DD");
    refused("date,name_id,type,region\n2026-12-24,Hari daerah,regional,\n",
            "line 2: region: is required for a regional day (the kab/kota code, e.g. 51.02)");
    // A checklist file changes the requirement lists of services the office has.
    const std::string lists = data.path + "/checklists.csv";
    writeFile(lists, "code,requirements\nSKRK,Fotokopi KTP;Surat pengantar RT/RW (contoh)\n");
    out.clear();
    REQUIRE(serverCli({"--data=" + data.path, "catalog", "import", lists}, out, err) == 0);
    CHECK_THAT(out, Catch::Contains("1 new or changed"));
    writeFile(lists, "code,requirements\nZZZ,Fotokopi KTP\n");
    err.clear();
    CHECK(serverCli({"--data=" + data.path, "catalog", "import", lists}, out, err) == 1);
    CHECK(err == "code: no service with code \"ZZZ\" (import its row with sla_days first)\n");
    refused("code,name,sla_days\nPBG,Persetujuan Bangunan Gedung,-3\n", "line 2: sla_days: must be from 0 to 1000000000, got -3");
}
