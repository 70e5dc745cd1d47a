// Escrow: counter slots granted to a device ahead of time, confirmed offline
// and never overbooked (sync/PROTOCOL.md, "Escrow"). Real server on
// 127.0.0.1, laptops with real SQLite files.
#include "model/Date.h"
#include "model/Error.h"
#include "sync/server/BookingDesk.h"
#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include <Poco/Net/NetException.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <random>

using namespace berkas;
using test::Laptop;
using test::TestServer;

namespace {

constexpr const char* kCounter = "MPP Kota Bekasi";

/// A working day at least @p daysAhead days after the laptop's today.
std::string counterDay(Laptop& laptop, int daysAhead)
{
    model::Date d = laptop.store->today().addDays(daysAhead);
    while (!laptop.store->calendar().isWorkingDay(d))
        d = d.addDays(1);
    return d.toString();
}

std::string book(Laptop& laptop, const std::string& day, const std::string& name)
{
    return laptop.store->create("booking", {{"service_code", "PBG"},
                                            {"location", kCounter},
                                            {"date", day},
                                            {"slot", "10:00"},
                                            {"applicant_name", name}});
}

sync::CapacityRequest dayRequest(const std::string& day, int slots)
{
    sync::CapacityRequest r;
    r.location = kCounter;
    r.serviceCode = "PBG";
    r.date = day;
    r.slots = std::to_string(slots);
    return r;
}

std::string deviceOf(Laptop& laptop)
{
    return laptop.store->deviceId();
}

/// Office midnight (UTC+7) starting @p day, in Unix ms.
std::int64_t midnight(const std::string& day)
{
    return (static_cast<std::int64_t>(model::Date::parse(day)->toDays()) * 86400 - 7 * 3600) * 1000;
}

/// Bookings of @p day holding a slot, as the server holds them.
int held(TestServer& server, const std::vector<std::string>& ids)
{
    int n = 0;
    for (const auto& id : ids)
    {
        const auto s = server.store->value(id, "status").value_or("");
        n += s == "confirmed" || s == "checked_in" || s == "no_show";
    }
    return n;
}

} // namespace

namespace {

void grantedSlotsScenario(TestServer& server)
{
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("rudi", "clerk", "32.75.01");
    Laptop a(server, "siti");
    Laptop b(server, "rudi");
    const std::string day = counterDay(a, 14);
    server.store->setCapacity(dayRequest(day, 3));
    REQUIRE(deviceOf(a).size() == 36);
    server.store->grantEscrow(deviceOf(a), dayRequest(day, 2));
    a.sync();
    REQUIRE(a.store->escrow().grants().size() == 1);

    // Offline: A's first two come from its grant, the third is tentative.
    const std::string a1 = book(a, day, "Ani Lestari");
    const std::string a2 = book(a, day, "Budi Santoso");
    const std::string a3 = book(a, day, "Citra Dewi");
    CHECK(a.store->get(a1).value("status") == "confirmed");
    CHECK(a.store->get(a2).value("status") == "confirmed");
    CHECK(a.store->get(a3).value("status") == "tentative");
    // B, without a grant, books two; it syncs first and takes the pool's one slot.
    const std::string b1 = book(b, day, "Dedi Kurniawan");
    const std::string b2 = book(b, day, "Eka Putri");
    b.sync();
    CHECK(b.store->get(b1).value("status") == "confirmed");
    CHECK(b.store->get(b2).value("status") == "overbooked");
    a.sync();
    b.sync();
    for (Laptop* l : {&a, &b})
    {
        CHECK(l->store->get(a1).value("status") == "confirmed");
        CHECK(l->store->get(a2).value("status") == "confirmed");
        CHECK(l->store->get(a3).value("status") == "overbooked");
        // A booking that started confirmed is no impossible move on any replica.
        CHECK(l->openConflicts().empty());
    }
    CHECK(held(server, {a1, a2, a3, b1, b2}) == 3);

    // The capacity cannot drop below what is booked and granted; a grant
    // cannot be lowered, nor exceed what is free.
    CHECK_THROWS_WITH(server.store->setCapacity(dayRequest(day, 2)),
                      "slots: must be at least the 1 bookings already confirmed and 2 slots granted to devices for " +
                          day + ", got 2");
    CHECK_THROWS_WITH(server.store->grantEscrow(deviceOf(a), dayRequest(day, 1)),
                      Catch::StartsWith("slots: a grant cannot be lowered"));
    CHECK_THROWS_WITH(server.store->grantEscrow(deviceOf(b), dayRequest(day, 1)),
                      "slots: at most 0 of the 3 slots of " + day +
                          " are free to grant (1 booked, 2 granted to other devices), got 1");
    CHECK_THROWS_WITH(server.store->grantEscrow("not-a-device", dayRequest(day, 1)), Catch::StartsWith("device: "));
    CHECK(server.store->capacities().front().slots == 3);
    CHECK(server.store->escrowGrants().size() == 1);
}

} // namespace

TEST_CASE("Escrow: a device's granted slots are confirmed offline at once and never overbooked", "[sync][escrow]")
{
    TestServer server;
    grantedSlotsScenario(server);
}

TEST_CASE("Escrow on PostgreSQL: granted slots confirmed offline and never overbooked", "[sync][escrow][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: escrow on PostgreSQL was not tested here");
        return;
    }
    test::ScratchDatabase db(admin);
    TestServer server(db.url, 4);
    grantedSlotsScenario(server);
}

TEST_CASE("Escrow: unused granted slots return to the pool once the device syncs on the day before", "[sync][escrow]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    server.addUser("rudi", "clerk", "32.75.01");
    Laptop a(server, "siti");
    Laptop b(server, "rudi");
    const std::string day = counterDay(a, 14);
    server.store->setCapacity(dayRequest(day, 3));
    server.store->grantEscrow(deviceOf(a), dayRequest(day, 3));
    a.sync();
    const std::string a1 = book(a, day, "Ani Lestari");
    REQUIRE(a.store->get(a1).value("status") == "confirmed");
    // B's booking finds every slot granted.
    const std::string b1 = book(b, day, "Budi Santoso");
    b.sync();
    CHECK(b.store->get(b1).value("status") == "overbooked");

    // The day before: A's next sync pushes its booking, then gives back the
    // two slots it did not use.
    server.stop();
    const std::int64_t dayBefore = midnight(day) - 86400000 + 9 * 3600000;
    server.clockMs = [dayBefore] { return dayBefore; };
    server.start();
    a.sync(); // learns the server's time
    a.sync(); // its today is now the day before: released
    const auto grants = server.store->escrowGrants();
    REQUIRE(grants.size() == 1);
    CHECK(grants.front().released);
    CHECK(grants.front().used == 1);
    CHECK(a.store->escrow().grants().empty());
    // Now A books in the pool like anyone else, and B's rescheduled booking fits.
    b.store->update(b1, {{"status", "tentative"}, {"slot", "11:00"}});
    b.sync();
    CHECK(b.store->get(b1).value("status") == "confirmed");
    const std::string a2 = book(a, day, "Citra Dewi");
    CHECK(a.store->get(a2).value("status") == "tentative");
    a.sync();
    CHECK(a.store->get(a2).value("status") == "confirmed");
    const std::string a3 = book(a, day, "Dedi Kurniawan");
    a.sync();
    CHECK(a.store->get(a3).value("status") == "overbooked");
}

TEST_CASE("Escrow: random devices and grants and bookings with dropped answers and restarts never exceed capacity",
          "[sync][escrow][property]")
{
    const char* env = std::getenv("BERKAS_PROPERTY_SEEDS");
    const int seeds = env ? std::atoi(env) : 6;
    int promisedTotal = 0, overbookedTotal = 0, restarts = 0;
    for (int seed = 1; seed <= seeds; ++seed)
    {
        CAPTURE(seed);
        INFO("reproduce with seed " << seed);
        std::mt19937 rng(static_cast<std::uint32_t>(seed));
        const auto roll = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
        bool faulty = true;
        TestServer server;
        const int devices = 2 + static_cast<int>(rng() % 3);
        std::vector<std::unique_ptr<Laptop>> laptops;
        for (int i = 0; i < devices; ++i)
        {
            server.addUser("u" + std::to_string(i), "manager");
            laptops.push_back(std::make_unique<Laptop>(server, "u" + std::to_string(i)));
            auto& l = *laptops.back();
            l.options.maxAttempts = 2;
            l.options.beforeRequest = [&](const std::string&) {
                if (faulty && roll(0.08))
                    throw Poco::Net::ConnectionRefusedException("request dropped (test)");
            };
            l.options.afterAnswer = [&](const std::string&) {
                if (faulty && roll(0.08))
                    throw Poco::Net::ConnectionResetException("answer dropped (test)");
            };
            l.open();
        }
        // Two counter days, each with a capacity and random grants within it.
        std::vector<std::string> days = {counterDay(*laptops[0], 10), counterDay(*laptops[0], 20)};
        if (days[0] == days[1])
            days.pop_back();
        std::map<std::string, int> capacity;
        for (const auto& day : days)
        {
            capacity[day] = 2 + static_cast<int>(rng() % 6);
            server.store->setCapacity(dayRequest(day, capacity[day]));
            int left = capacity[day];
            for (int i = 0; i < devices && left > 0; ++i)
            {
                const int g = static_cast<int>(rng() % static_cast<unsigned>(left + 1));
                if (g > 0)
                {
                    server.store->grantEscrow(deviceOf(*laptops[static_cast<std::size_t>(i)]), dayRequest(day, g));
                    left -= g;
                }
            }
        }
        std::vector<std::string> ids;
        std::map<std::string, std::string> dayOf;
        std::set<std::string> promised; // confirmed offline from a grant
        const auto check = [&] {
            for (const auto& day : days)
            {
                std::vector<std::string> ofDay;
                for (const auto& id : ids)
                    if (dayOf[id] == day)
                        ofDay.push_back(id);
                INFO(day);
                REQUIRE(held(server, ofDay) <= capacity[day]);
            }
        };
        for (int step = 0; step < 60; ++step)
        {
            auto& l = *laptops[rng() % laptops.size()];
            const int action = static_cast<int>(rng() % 10);
            if (action < 5)
            {
                const std::string& day = days[rng() % days.size()];
                const std::string id = book(l, day, "Pemohon " + std::to_string(step));
                ids.push_back(id);
                dayOf[id] = day;
                if (l.store->get(id).value("status") == "confirmed")
                    promised.insert(id);
            }
            else if (action < 9)
            {
                try
                {
                    l.sync();
                }
                catch (const std::exception&)
                {
                    // A dropped request or answer: the next sync carries on.
                }
            }
            else
            {
                server.restart();
                ++restarts;
            }
            check();
        }
        faulty = false;
        for (int round = 0; round < 2; ++round)
            for (auto& l : laptops)
                l->sync();
        check();
        // What a device promised offline stands everywhere.
        for (const auto& id : promised)
        {
            INFO(id);
            CHECK(server.store->value(id, "status") == std::optional<std::string>("confirmed"));
            for (auto& l : laptops)
                CHECK(l->store->get(id).value("status") == "confirmed");
        }
        // Every booking is decided, and every laptop agrees with the server.
        promisedTotal += static_cast<int>(promised.size());
        for (const auto& id : ids)
        {
            const auto status = server.store->value(id, "status").value_or("");
            overbookedTotal += status == "overbooked";
            CHECK((status == "confirmed" || status == "overbooked"));
            for (auto& l : laptops)
                CHECK(l->store->get(id).value("status") == status);
        }
    }
    // The runs did what they are for: bookings confirmed offline from
    // grants, days filled past their pool, and restarts.
    CHECK(promisedTotal > 0);
    CHECK(overbookedTotal > 0);
    CHECK(restarts > 0);
}

TEST_CASE("Escrow: a laptop confirming beyond its grant (a folder put back from an older copy) is decided by the pool",
          "[sync][escrow]")
{
    TestServer server;
    server.addUser("siti", "clerk", "32.75.09");
    Laptop a(server, "siti");
    const std::string day = counterDay(a, 14);
    server.store->setCapacity(dayRequest(day, 1));
    server.store->grantEscrow(deviceOf(a), dayRequest(day, 1));
    a.sync();
    const std::string first = book(a, day, "Ani Lestari");
    REQUIRE(a.store->get(first).value("status") == "confirmed");
    // The ledger as an older copy of the folder had it: the slot looks unused.
    a.store->setSetting("escrow.used", "{}");
    const std::string second = book(a, day, "Budi Santoso");
    REQUIRE(a.store->get(second).value("status") == "confirmed");
    a.sync();
    CHECK(a.store->get(first).value("status") == "confirmed");
    CHECK(a.store->get(second).value("status") == "overbooked");
    CHECK(server.store->escrowGrants().front().used == 1);
}
