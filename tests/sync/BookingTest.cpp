// Counter bookings decided by the central office against capacity: the real
// server on 127.0.0.1, laptops with real SQLite files (sync/PROTOCOL.md,
// "Bookings").
#include "model/Date.h"
#include "model/Error.h"
#include "sync/server/BookingDesk.h"
#include "tests/support/TempDir.h"
#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace berkas;
using test::Laptop;
using test::TestServer;

namespace {

constexpr const char* kCounter = "MPP Kota Bekasi";

/// A working day of the office a few weeks ahead of today (so the laptop
/// may book it), per the laptop's own calendar.
std::string counterDay(Laptop& laptop, int weeksAhead = 3)
{
    model::Date d = laptop.store->today().addDays(7 * weeksAhead);
    while (!laptop.store->calendar().isWorkingDay(d))
        d = d.addDays(1);
    return d.toString();
}

std::string book(Laptop& laptop, const std::string& day, const std::string& slot, const std::string& name)
{
    return laptop.store->create("booking", {{"service_code", "PBG"},
                                            {"location", kCounter},
                                            {"date", day},
                                            {"slot", slot},
                                            {"applicant_name", name},
                                            {"nik", "3275094107900001"}});
}

void setSlots(TestServer& server, const std::string& day, int slots, const std::string& open = "",
              const std::string& close = "")
{
    sync::CapacityRequest r;
    r.location = kCounter;
    r.serviceCode = "PBG";
    r.date = day;
    r.slots = std::to_string(slots);
    r.open = open;
    r.close = close;
    server.store->setCapacity(r);
}

/// The bodies of the notes on record @p id, as the laptop holds them.
std::vector<std::string> notesOf(Laptop& laptop, const std::string& id)
{
    model::ListQuery q;
    q.kind = "note";
    q.where = {{"parent_id", id}};
    std::vector<std::string> out;
    for (const auto& n : laptop.store->list(q))
        out.push_back(n.value("body"));
    return out;
}

/// Runs the berkas-server binary; its exit code, with what it printed.
int serverCli(const std::vector<std::string>& args, std::string* out = nullptr, std::string* err = nullptr)
{
    Poco::Pipe outPipe, errPipe;
    Poco::ProcessHandle ph = Poco::Process::launch(BERKAS_SERVER_BINARY, args, nullptr, &outPipe, &errPipe);
    Poco::PipeInputStream o(outPipe), e(errPipe);
    std::string outText, errText;
    Poco::StreamCopier::copyToString(o, outText);
    Poco::StreamCopier::copyToString(e, errText);
    if (out)
        *out = outText;
    if (err)
        *err = errText;
    return ph.wait();
}

/// Two laptops book the last slot of a day offline, then sync in turn.
void lastSlotScenario(TestServer& first, TestServer& second)
{
    first.addUser("siti", "clerk", "32.75.09");
    first.addUser("rudi", "clerk", "32.75.01");
    Laptop a(first, "siti");
    Laptop b(second, "rudi");
    const std::string day = counterDay(a);
    setSlots(first, day, 2);
    // One slot is already given.
    const std::string early = book(a, day, "08:00", "Ani Lestari");
    a.sync();
    REQUIRE(a.store->get(early).value("status") == "confirmed");

    // Both offline: each books what it believes is the last slot.
    const std::string mine = book(a, day, "09:00", "Budi Santoso");
    const std::string theirs = book(b, day, "09:00", "Citra Dewi");
    CHECK(a.store->get(mine).value("status") == "tentative");
    CHECK(b.store->get(theirs).value("status") == "tentative");
    a.sync();
    b.sync();
    a.sync();

    for (Laptop* l : {&a, &b})
    {
        CHECK(l->store->get(mine).value("status") == "confirmed");
        CHECK(l->store->get(theirs).value("status") == "overbooked");
        CHECK(l->store->get(early).value("status") == "confirmed");
        // The clerk sees why, on the booking.
        const auto notes = notesOf(*l, theirs);
        REQUIRE(notes.size() == 1);
        CHECK_THAT(notes.front(), Catch::Contains("Kuota penuh: 2 dari 2 slot layanan PBG di MPP Kota Bekasi pada " + day));
        CHECK(notesOf(*l, mine).empty());
        CHECK(l->openConflicts().empty());
    }
    CHECK(test::visibleFields(a.store->get(theirs)) == test::visibleFields(b.store->get(theirs)));
    CHECK(first.store->value(theirs, "status") == std::optional<std::string>("overbooked"));

    // The clerk reschedules to the next day: decided again, and confirmed.
    model::Date next = *model::Date::parse(day);
    do
        next = next.addDays(1);
    while (!b.store->calendar().isWorkingDay(next));
    b.store->update(theirs, {{"status", "tentative"}, {"date", next.toString()}, {"slot", "10:00"}});
    b.sync();
    a.sync();
    CHECK(b.store->get(theirs).value("status") == "confirmed");
    CHECK(a.store->get(theirs).value("status") == "confirmed");
    CHECK(a.store->get(theirs).value("date") == next.toString());
}

} // namespace

TEST_CASE("Bookings: two laptops book the last slot offline and after syncing one is confirmed and one overbooked on both",
          "[sync][booking]")
{
    TestServer server;
    lastSlotScenario(server, server);
}

TEST_CASE("Bookings on PostgreSQL: the last slot through two server processes", "[sync][booking][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: bookings on PostgreSQL were not tested here");
        return;
    }
    test::ScratchDatabase db(admin);
    TestServer first(db.url, 4);
    TestServer second(db.url, 4);
    lastSlotScenario(first, second);
}

TEST_CASE("Bookings on PostgreSQL: concurrent pushes to two server processes never confirm beyond capacity",
          "[sync][booking][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: bookings on PostgreSQL were not tested here");
        return;
    }
    test::ScratchDatabase db(admin);
    TestServer first(db.url, 4);
    TestServer second(db.url, 4);
    std::vector<std::unique_ptr<Laptop>> clerks;
    for (int i = 0; i < 6; ++i)
    {
        first.addUser("clerk" + std::to_string(i), "manager");
        clerks.push_back(std::make_unique<Laptop>(i % 2 ? second : first, "clerk" + std::to_string(i)));
    }
    const std::string day = counterDay(*clerks.front());
    setSlots(first, day, 5);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < clerks.size(); ++i)
        for (int k = 0; k < 3; ++k)
            ids.push_back(book(*clerks[i], day, "1" + std::to_string(k) + ":00", "Pemohon " + std::to_string(i * 3 + k)));
    std::vector<std::thread> threads;
    for (auto& c : clerks)
        threads.emplace_back([&c] { c->sync(); });
    for (auto& t : threads)
        t.join();
    int confirmed = 0, overbooked = 0;
    for (const auto& id : ids)
    {
        const auto status = first.store->value(id, "status").value_or("");
        confirmed += status == "confirmed";
        overbooked += status == "overbooked";
    }
    CHECK(confirmed == 5);
    CHECK(overbooked == static_cast<int>(ids.size()) - 5);
}

TEST_CASE("Bookings: a day without capacity confirms while a slot outside opening hours or already passed is overbooked with why",
          "[sync][booking]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    const std::string day = counterDay(a);
    const std::string free = book(a, day, "09:00", "Ani Lestari");
    a.sync();
    CHECK(a.store->get(free).value("status") == "confirmed");

    const std::string other = counterDay(a, 4);
    setSlots(server, other, 10, "08:00", "15:00");
    const std::string late = book(a, other, "15:00", "Budi Santoso");
    const std::string first = book(a, other, "08:00", "Citra Dewi");
    a.sync();
    CHECK(a.store->get(late).value("status") == "overbooked");
    CHECK(a.store->get(first).value("status") == "confirmed");
    const auto notes = notesOf(a, late);
    REQUIRE(notes.size() == 1);
    CHECK_THAT(notes.front(), Catch::Contains("di luar jam layanan") && Catch::Contains("08:00-15:00"));

    // A booking that reaches the server only after its slot (the laptop was
    // offline that long): overbooked, to be rescheduled.
    const std::string stale = book(a, day, "10:00", "Dedi Kurniawan");
    const model::Date d = *model::Date::parse(day);
    const std::int64_t evening = (static_cast<std::int64_t>(d.toDays()) * 86400 + 18 * 3600 - 7 * 3600) * 1000;
    server.stop();
    server.clockMs = [evening] { return evening; };
    server.start();
    a.sync();
    CHECK(a.store->get(stale).value("status") == "overbooked");
    REQUIRE(notesOf(a, stale).size() == 1);
    CHECK_THAT(notesOf(a, stale).front(), Catch::Contains("Slot " + day + " 10:00 sudah lewat"));
}

TEST_CASE("Bookings: a laptop may not confirm or overbook or mark no_show itself and the server refuses it too",
          "[sync][booking]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    const std::string id = book(a, counterDay(a), "09:00", "Ani Lestari");
    for (const char* status : {"confirmed", "overbooked"})
    {
        INFO(status);
        CHECK_THROWS_WITH(a.store->update(id, {{"status", status}}),
                          Catch::StartsWith(std::string("status: ") + status + " is decided by the central office"));
    }
    // A change made around the laptop's rules (an older Berkas, a script):
    // the server refuses it and keeps its own decision.
    a.sync();
    REQUIRE(a.store->get(id).value("status") == "confirmed");
    std::vector<sync::WireChange> forged(1);
    forged[0].kind = "booking";
    forged[0].id = id;
    forged[0].field = "status";
    forged[0].value = "no_show";
    const auto device = server.store->devices().front().id;
    forged[0].seq = server.store->deviceMarks(device).changeSeq + 1;
    forged[0].stamp = {model::HybridLogicalClock::fromPhysicalMs(server.store->nowMs()), device};
    forged[0].base = server.store->stamp(id, "status");
    const auto results = server.store->push(sync::Principal{"siti", "clerk", "32.75.09"}, device, server.store->lastSeq(),
                                            forged, "127.0.0.1");
    REQUIRE(results.size() == 1);
    CHECK(results[0].outcome == sync::PushOutcome::Refused);
    CHECK(results[0].reason == "status: no_show is decided by the central office against the counter's capacity");
    CHECK(server.store->value(id, "status") == std::optional<std::string>("confirmed"));
}

TEST_CASE("Bookings: a confirmed booking whose slot passed without check-in becomes no_show on every replica",
          "[sync][booking]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("budi", "manager");
    Laptop a(server, "siti");
    Laptop m(server, "budi");
    const std::string day = counterDay(a);
    const std::string missed = book(a, day, "09:00", "Ani Lestari");
    const std::string came = book(a, day, "09:30", "Budi Santoso");
    const std::string later = book(a, day, "13:00", "Citra Dewi");
    a.sync();
    REQUIRE(a.store->get(missed).value("status") == "confirmed");
    a.store->update(came, {{"status", "checked_in"}});
    a.sync();
    m.sync();

    // The server's clock reaches 10:31 office time that day (UTC+7): 09:00
    // plus the 60 minute grace has passed; 13:00 has not.
    const model::Date d = *model::Date::parse(day);
    const std::int64_t at = (static_cast<std::int64_t>(d.toDays()) * 86400 + (10 * 3600 + 31 * 60) - 7 * 3600) * 1000;
    server.stop();
    server.clockMs = [at] { return at; };
    server.start();
    CHECK(server.store->sweepNoShows() == 1);
    CHECK(server.store->sweepNoShows() == 0);
    a.sync();
    m.sync();
    for (Laptop* l : {&a, &m})
    {
        CHECK(l->store->get(missed).value("status") == "no_show");
        CHECK(l->store->get(came).value("status") == "checked_in");
        CHECK(l->store->get(later).value("status") == "confirmed");
    }
    // A push sweeps as well: at 14:01 the 13:00 booking is missed too.
    server.stop();
    server.clockMs = [at] { return at + (3 * 60 + 30) * 60000LL; };
    server.start();
    a.store->update(came, {{"phone", "081234567890"}});
    a.sync();
    m.sync();
    CHECK(m.store->get(later).value("status") == "no_show");
    CHECK(a.store->get(later).value("status") == "no_show");
}

TEST_CASE("berkas-server capacity: sets days and refuses bad input with one sentence and nothing changed",
          "[sync][booking][cli]")
{
    test::TempDir dir;
    const auto run = [&](std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
        args.insert(args.begin(), "--data=" + dir.path);
        return serverCli(args, out, err);
    };
    const std::string loc = std::string("--location=") + kCounter;
    std::string out, err;
    REQUIRE(run({"capacity", loc, "--service=PBG", "--date=2030-12-16", "--to=2030-12-18", "--slots=2"}, &out) == 0);
    CHECK(out == "set 2 slots of PBG at MPP Kota Bekasi for 3 days (2030-12-16 to 2030-12-18)\n");
    std::string listed;
    REQUIRE(run({"capacity", "list"}, &listed) == 0);

    // Two bookings confirmed on 17 December.
    {
        TestServer server;
        server.stop();
        server.database = "sqlite:" + dir.path + "/server.db";
        server.start();
        server.addUser("siti", "clerk", "32.75.09");
        Laptop a(server, "siti");
        book(a, "2030-12-17", "09:00", "Ani Lestari");
        book(a, "2030-12-17", "09:30", "Budi Santoso");
        a.sync();
        REQUIRE(server.store->capacities().size() == 3);
    }
    REQUIRE(run({"capacity", "list"}, &listed) == 0);

    const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
        {{"capacity", loc, "--service=PBG", "--date=2030-12-16", "--to=2030-12-18", "--slots=1"},
         "slots: must be at least the 2 bookings already confirmed for 2030-12-17, got 1\n"},
        {{"capacity", loc, "--service=XYZ", "--date=2030-12-16", "--slots=4"}, "service: no service with code \"XYZ\"\n"},
        {{"capacity", loc, "--service=PBG", "--date=2030-12-16", "--to=2030-12-15", "--slots=4"},
         "to: must not be before date (2030-12-16), got 2030-12-15\n"},
        {{"capacity", loc, "--service=PBG", "--date=16-12-2030", "--slots=4"},
         "date: must be a date YYYY-MM-DD, got \"16-12-2030\"\n"},
        {{"capacity", loc, "--service=PBG", "--date=2030-12-16", "--slots=many"},
         "slots: must be a whole number from 0 to 100000, got \"many\"\n"},
        {{"capacity", loc, "--service=PBG", "--date=2030-12-16", "--slots=4", "--open=09:00", "--close=08:00"},
         "close: must be after open (09:00), got 08:00\n"},
    };
    for (const auto& [args, message] : bad)
    {
        INFO(message);
        CHECK(run(args, nullptr, &err) == 1);
        CHECK(err == message);
        std::string after;
        REQUIRE(run({"capacity", "list"}, &after) == 0);
        CHECK(after == listed);
    }
    // Exactly the confirmed bookings is allowed.
    CHECK(run({"capacity", loc, "--service=PBG", "--date=2030-12-17", "--slots=2"}) == 0);

    // Escrow from the command line: the device is named and must exist.
    CHECK(run({"escrow", loc, "--service=PBG", "--date=2030-12-16", "--slots=1"}, nullptr, &err) == 1);
    CHECK(err == "device: is required (e.g. --device=ID, see: berkas-server device list)\n");
    CHECK(run({"escrow", "--device=0193af00-0000-7000-8000-000000000000", loc, "--service=PBG", "--date=2030-12-16",
               "--slots=1"},
              nullptr, &err) == 1);
    CHECK_THAT(err, Catch::StartsWith("device: no enrolled device with id"));
    std::string grants;
    REQUIRE(run({"escrow", "list"}, &grants) == 0);
    CHECK(grants == "device\tlocation\tservice\tdate\tslots\tused\tstate\n");
}

TEST_CASE("Bookings: after the server is restored from a backup the laptops bring back the decisions it lost",
          "[sync][booking][restore]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    const std::string day = counterDay(a);
    setSlots(server, day, 1);
    test::TempDir out("booking-backup");
    const std::string file = out.path + "/server-backup.db";
    REQUIRE(serverCli({"--data=" + server.dir.path, "backup", "--to=" + file}) == 0);

    const std::string mine = book(a, day, "09:00", "Ani Lestari");
    a.sync();
    REQUIRE(server.store->value(mine, "status") == std::optional<std::string>("confirmed"));

    server.stop();
    std::string err;
    REQUIRE(serverCli({"--data=" + server.dir.path, "restore", "--from=" + file}, nullptr, &err) == 0);
    server.start();
    CHECK_FALSE(server.store->value(mine, "status"));
    a.sync();
    CHECK(server.store->value(mine, "status") == std::optional<std::string>("confirmed"));
    CHECK(a.store->get(mine).value("status") == "confirmed");
    // The day's one slot is held again: a new booking is overbooked.
    const std::string late = book(a, day, "10:00", "Budi Santoso");
    a.sync();
    CHECK(a.store->get(late).value("status") == "overbooked");
}

TEST_CASE("Bookings: the server's timer marks a missed slot no_show while nobody pushes", "[sync][booking]")
{
    sync::SyncServerOptions o;
    o.noShowSweepSeconds = 1;
    TestServer server(o);
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    const std::string day = counterDay(a);
    const std::string missed = book(a, day, "09:00", "Ani Lestari");
    a.sync();
    REQUIRE(server.store->value(missed, "status") == std::optional<std::string>("confirmed"));
    const model::Date d = *model::Date::parse(day);
    const std::int64_t at = (static_cast<std::int64_t>(d.toDays()) * 86400 + 11 * 3600 - 7 * 3600) * 1000;
    server.stop();
    server.clockMs = [at] { return at; };
    server.start();
    std::optional<std::string> status;
    for (int waited = 0; waited < 5000 && status != std::optional<std::string>("no_show"); waited += 50)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        status = server.store->value(missed, "status");
    }
    CHECK(status == std::optional<std::string>("no_show"));
    a.sync();
    CHECK(a.store->get(missed).value("status") == "no_show");
}
