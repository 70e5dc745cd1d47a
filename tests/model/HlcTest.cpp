#include "model/Hlc.h"

#include "model/Error.h"

#include <catch2/catch.hpp>

using namespace berkas;
using namespace berkas::model;

TEST_CASE("Hlc: stamps follow the wall clock while it moves forward", "[model][hlc]")
{
    std::int64_t wall = 1620352800000; // 2021-05-07T09:00:00+07:00
    HybridLogicalClock clock([&] { return wall; });
    const auto a = clock.now();
    CHECK(HybridLogicalClock::physicalMs(a) == wall);
    CHECK((a & 0xffff) == 0);
    wall += 5;
    const auto b = clock.now();
    CHECK(HybridLogicalClock::physicalMs(b) == wall);
    CHECK(b > a);
}

TEST_CASE("Hlc: stamps strictly increase when the wall clock stands still or goes back", "[model][hlc]")
{
    // A laptop whose clock is set back an hour after an NTP correction keeps
    // issuing stamps above everything it issued before.
    std::int64_t wall = 1620352800000;
    HybridLogicalClock clock([&] { return wall; });
    std::int64_t last = clock.now();
    for (int i = 0; i < 100; ++i)
    {
        if (i == 50)
            wall -= 3600 * 1000;
        const auto next = clock.now();
        CHECK(next > last);
        last = next;
    }
    CHECK(HybridLogicalClock::physicalMs(last) == 1620352800000);
    CHECK((last & 0xffff) == 100);

    SECTION("once the wall clock passes the stamps again, the counter restarts")
    {
        wall = 1620352800000 + 1000;
        const auto next = clock.now();
        CHECK(next == HybridLogicalClock::fromPhysicalMs(wall));
    }
}

TEST_CASE("Hlc: observing a remote stamp moves the clock past it", "[model][hlc]")
{
    std::int64_t wall = 1620352800000;
    HybridLogicalClock clock([&] { return wall; });
    clock.now();
    // The server's clock is three hours ahead.
    const std::int64_t remote = HybridLogicalClock::fromPhysicalMs(wall + 3 * 3600 * 1000) + 7;
    clock.observe(remote);
    CHECK(clock.last() == remote);
    CHECK(clock.now() == remote + 1);

    SECTION("an older remote stamp changes nothing")
    {
        const auto before = clock.last();
        clock.observe(HybridLogicalClock::fromPhysicalMs(wall - 1000));
        CHECK(clock.last() == before);
    }
    SECTION("restore() resumes from a persisted value")
    {
        HybridLogicalClock reopened([&] { return wall; });
        reopened.restore(clock.last());
        CHECK(reopened.now() > clock.last());
    }
}

TEST_CASE("Hlc: stamps order by clock then device and round-trip as text", "[model][hlc]")
{
    const Stamp a{100, "device-a"};
    const Stamp b{100, "device-b"};
    const Stamp c{101, "device-a"};
    CHECK(a < b);
    CHECK(b < c);
    CHECK(c > a);
    CHECK(a != b);
    CHECK(Stamp{}.isZero());
    CHECK_FALSE(a.isZero());

    CHECK(formatStamp(a) == "100@device-a");
    CHECK(parseStamp("100@device-a") == a);
    CHECK(parseStamp(formatStamp(Stamp{0x0186a9f3c2b40001, "0f0e0d0c-0b0a-4999-8888-7766554433aa"})) ==
          Stamp{0x0186a9f3c2b40001, "0f0e0d0c-0b0a-4999-8888-7766554433aa"});
    CHECK(parseStamp("0@") == Stamp{0, ""});

    SECTION("malformed stamps are refused with the text")
    {
        CHECK_THROWS_WITH(parseStamp("100"), "stamp: must be HLC@DEVICE, got \"100\"");
        CHECK_THROWS_WITH(parseStamp("abc@dev"), "stamp: HLC must be a number, got \"abc@dev\"");
    }
}
