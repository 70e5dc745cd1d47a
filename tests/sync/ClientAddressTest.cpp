#include "sync/server/ClientAddress.h"

#include "model/Error.h"

#include <catch2/catch.hpp>

using namespace berkas;
using sync::clientAddress;
using sync::parseTrustedProxies;

TEST_CASE("ClientAddress: X-Forwarded-For counts only from a trusted proxy", "[sync][server][proxy]")
{
    const std::vector<std::string> proxy = {"127.0.0.1"};
    SECTION("no proxy configured: the peer, whatever the header says")
    {
        CHECK(clientAddress("10.1.2.3", "", {}) == "10.1.2.3");
        CHECK(clientAddress("10.1.2.3", "192.0.2.7", {}) == "10.1.2.3");
    }
    SECTION("from the trusted proxy: the client it saw, the rightmost entry")
    {
        CHECK(clientAddress("127.0.0.1", "10.20.30.40", proxy) == "10.20.30.40");
        // A laptop that sends its own header: nginx appends the real address.
        CHECK(clientAddress("127.0.0.1", "192.0.2.99, 10.20.30.40", proxy) == "10.20.30.40");
        CHECK(clientAddress("127.0.0.1", "", proxy) == "127.0.0.1");
    }
    SECTION("a chain of trusted proxies is walked from the right")
    {
        const std::vector<std::string> two = {"127.0.0.1", "10.0.0.2"};
        CHECK(clientAddress("127.0.0.1", "10.20.30.40, 10.0.0.2", two) == "10.20.30.40");
        CHECK(clientAddress("127.0.0.1", "10.0.0.2", two) == "10.0.0.2");
    }
    SECTION("a hop that is not an address ends the walk at the last trusted one")
    {
        CHECK(clientAddress("127.0.0.1", "unknown", proxy) == "127.0.0.1");
        CHECK(clientAddress("127.0.0.1", "10.20.30.40, garbage", proxy) == "127.0.0.1");
    }
    SECTION("from another peer the header is ignored")
    {
        CHECK(clientAddress("10.9.9.9", "10.20.30.40", proxy) == "10.9.9.9");
    }
    SECTION("IPv6 in canonical spelling")
    {
        CHECK(clientAddress("::1", "2001:db8:0:0::1", {"::1"}) == "2001:db8::1");
    }
}

TEST_CASE("ClientAddress: --trusted-proxy takes IP addresses only", "[sync][server][proxy]")
{
    CHECK(parseTrustedProxies("").empty());
    CHECK(parseTrustedProxies("127.0.0.1, 10.0.0.2") == std::vector<std::string>{"127.0.0.1", "10.0.0.2"});
    CHECK_THROWS_WITH(parseTrustedProxies("127.0.0.1,balancer.local"),
                      "trusted-proxy: \"balancer.local\" is not an IP address");
}
