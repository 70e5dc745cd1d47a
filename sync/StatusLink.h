#pragma once

#include <string>

namespace berkas::sync {

/// The address of the public status page for one number, as a printed
/// receipt's QR code carries it (sync/PROTOCOL.md, "Public status"):
/// @p serverUrl, the central office this laptop enrolled with, without a
/// trailing slash, then "/status?number=" and @p number (a registration
/// number, provisional number or booking code) with the characters that
/// would end or split the query percent-encoded. Never the NIK: the
/// applicant types its last four digits on the page. Empty when
/// @p serverUrl or @p number is empty (a laptop that never enrolled).
std::string statusPageUrl(const std::string& serverUrl, const std::string& number);

} // namespace berkas::sync
