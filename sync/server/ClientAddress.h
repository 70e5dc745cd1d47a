#pragma once

#include <string>
#include <vector>

namespace berkas::sync {

/// The address a request came from, as the login limits and the log count
/// it. Behind a reverse proxy (a load balancer in front of several
/// berkas-server processes) every request arrives from the proxy; when
/// @p peer is one of @p trustedProxies, the client is read from the
/// X-Forwarded-For header @p forwardedFor: its entries from the right,
/// skipping trusted proxies, the first other address (what nginx's
/// $proxy_add_x_forwarded_for appends is the client it saw). An entry that is
/// not an IP address ends the walk at the last trusted hop. From any other
/// peer the header is ignored: a laptop cannot choose its own address.
std::string clientAddress(const std::string& peer, const std::string& forwardedFor,
                          const std::vector<std::string>& trustedProxies);

/// Whether @p peer, the address a connection comes from, is one of
/// @p trustedProxies.
bool isTrustedProxy(const std::string& peer, const std::vector<std::string>& trustedProxies);

/// The IP addresses of a comma-separated list (berkas-server
/// --trusted-proxy=ADDR[,ADDR...]), in their canonical spelling. Throws
/// Error(InvalidData) "trusted-proxy: ... is not an IP address".
std::vector<std::string> parseTrustedProxies(const std::string& list);

} // namespace berkas::sync
