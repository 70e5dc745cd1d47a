#include "model/DeviceSettings.h"

#include "model/Uuid.h"

#include <cstdlib>

namespace berkas::model {

std::string DeviceSettings::get(const std::string& key, const std::string& fallback)
{
    Statement& s = m_statements.get("SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    std::string value = s.step() ? s.text(0) : fallback;
    s.reset();
    return value;
}

void DeviceSettings::set(const std::string& key, const std::string& value)
{
    Statement& s = m_statements.get("INSERT INTO meta(key, value) VALUES (?, ?) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value).run();
}

std::string DeviceSettings::deviceId(const std::string& wanted)
{
    std::string id = get("device_id");
    if (id.empty())
    {
        id = wanted.empty() ? newUuidV7() : wanted;
        set("device_id", id);
    }
    return id;
}

std::string DeviceSettings::user(const std::string& given)
{
    std::string user = !given.empty() ? given : get("user");
    if (user.empty())
    {
        const char* env = std::getenv("USER");
        user = env && *env ? env : "local";
    }
    return user;
}

} // namespace berkas::model
