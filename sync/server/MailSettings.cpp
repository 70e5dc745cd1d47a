#include "sync/server/MailSettings.h"

#include "model/Error.h"
#include "model/Validation.h"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>

namespace berkas::sync {

MailSettings MailSettings::fromUrl(const std::string& url)
{
    const auto wrong = [&url](const std::string& why) {
        return Error(ErrorCode::InvalidData,
                     "smtp: must be smtp://[USER@]HOST:PORT (" + why + "), got \"" + url + "\"");
    };
    // Poco::URI takes "smtp:host:25" and "host:25" too: the scheme and the
    // authority are checked on the text first.
    if (url.rfind("smtp://", 0) != 0)
        throw wrong("the scheme is smtp://");
    const std::string authority = url.substr(7, url.find_first_of("/?#", 7) - 7);
    if (const auto at = authority.rfind('@'); at != std::string::npos && authority.find(':') < at)
        throw wrong("the password goes in the environment variable BERKAS_SMTP_PASSWORD, not in the URL");
    const auto lastColon = authority.rfind(':');
    if (lastColon == std::string::npos || lastColon + 1 == authority.size() ||
        authority.find_first_not_of("0123456789", lastColon + 1) != std::string::npos ||
        authority.back() == ']')
        throw wrong("no port");
    if (authority.size() - lastColon - 1 > 5 || std::stoi(authority.substr(lastColon + 1)) < 1 ||
        std::stoi(authority.substr(lastColon + 1)) > 65535)
        throw wrong("the port is a number from 1 to 65535");
    Poco::URI uri;
    try
    {
        uri = Poco::URI(url);
    }
    catch (const Poco::Exception&)
    {
        throw wrong("not a URL");
    }
    MailSettings settings;
    settings.host = uri.getHost();
    if (settings.host.empty())
        throw wrong("no host");
    settings.port = uri.getPort();
    const std::string userInfo = uri.getUserInfo();
    if (authority.find('@') != std::string::npos && userInfo.empty())
        throw wrong("an empty user name");
    settings.user = userInfo;
    if (!(uri.getPath().empty() || uri.getPath() == "/") || !uri.getRawQuery().empty() || !uri.getFragment().empty())
        throw wrong("nothing after the port");
    return settings;
}

std::string MailSettings::check() const
{
    if (from.empty())
        return "mail-from: is required with --smtp (the sender's address, property mail.from)";
    if (const model::FieldCheck c = model::checkEmail(from); !c.ok)
        return "mail-from: " + c.message() + ", got \"" + from + "\"";
    if (officeName.find_first_not_of(" \t") == std::string::npos)
        return "office-name: is required with --smtp (the office named in every message, property office.name)";
    if (officeName.find_first_of("\r\n") != std::string::npos)
        return "office-name: must be one line";
    if (retryFirstSeconds < 1)
        return "mail.retry_first: must be at least 1 second, got " + std::to_string(retryFirstSeconds);
    if (retryMaxSeconds < retryFirstSeconds)
        return "mail.retry_max: must be at least mail.retry_first (" + std::to_string(retryFirstSeconds) +
               " seconds), got " + std::to_string(retryMaxSeconds);
    if (!user.empty() && password.empty())
        return "smtp: the user " + user + " needs the password in the environment variable BERKAS_SMTP_PASSWORD";
    Poco::Net::IPAddress address;
    const bool loopback = host == "localhost" || (Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback());
    if (!user.empty() && !startTls && !loopback)
        return "smtp-starttls: logging in to " + host +
               " needs --smtp-starttls, so that the password does not cross the network in clear";
    return "";
}

std::string MailSettings::describe() const
{
    return "smtp://" + (user.empty() ? std::string() : user + "@") + host + ":" + std::to_string(port) +
           (startTls ? " (STARTTLS)" : "");
}

} // namespace berkas::sync
