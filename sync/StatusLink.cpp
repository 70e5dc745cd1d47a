#include "sync/StatusLink.h"

#include <Poco/URI.h>

namespace berkas::sync {

std::string statusPageUrl(const std::string& serverUrl, const std::string& number)
{
    if (serverUrl.empty() || number.empty())
        return "";
    std::string base = serverUrl;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    // "/" stays as it is (it may stand in a query): 2026/PBG/000001 reads
    // the same in the address as on the receipt, and the QR code stays small.
    std::string encoded;
    Poco::URI::encode(number, "?#&=+ ", encoded);
    return base + "/status?number=" + encoded;
}

} // namespace berkas::sync
