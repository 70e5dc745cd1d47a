#include "sync/server/ClientAddress.h"

#include "model/Error.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>

namespace berkas::sync {

namespace {

/// The canonical spelling of @p text as an IP address; "" when it is none.
std::string canonicalAddress(const std::string& text)
{
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(Poco::trim(text), address))
        return "";
    return address.toString();
}

bool trusted(const std::string& address, const std::vector<std::string>& proxies)
{
    return std::find(proxies.begin(), proxies.end(), address) != proxies.end();
}

} // namespace

std::string clientAddress(const std::string& peer, const std::string& forwardedFor,
                          const std::vector<std::string>& trustedProxies)
{
    std::string client = peer;
    if (forwardedFor.empty() || !trusted(canonicalAddress(peer), trustedProxies))
        return client;
    const Poco::StringTokenizer hops(forwardedFor, ",", Poco::StringTokenizer::TOK_TRIM);
    for (auto hop = hops.end(); hop != hops.begin();)
    {
        const std::string address = canonicalAddress(*--hop);
        if (address.empty())
            break;
        client = address;
        if (!trusted(address, trustedProxies))
            break;
    }
    return client;
}

bool isTrustedProxy(const std::string& peer, const std::vector<std::string>& trustedProxies)
{
    return trusted(canonicalAddress(peer), trustedProxies);
}

std::vector<std::string> parseTrustedProxies(const std::string& list)
{
    std::vector<std::string> out;
    const Poco::StringTokenizer items(list, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& item : items)
    {
        const std::string address = canonicalAddress(item);
        if (address.empty())
            throw Error(ErrorCode::InvalidData, "trusted-proxy: \"" + item + "\" is not an IP address");
        out.push_back(address);
    }
    return out;
}

} // namespace berkas::sync
