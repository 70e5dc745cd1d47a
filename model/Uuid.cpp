#include "model/Uuid.h"

#include "model/Hlc.h"

#include <Poco/Random.h>
#include <Poco/SHA1Engine.h>
#include <Poco/UUID.h>
#include <Poco/UUIDGenerator.h>

#include <cctype>
#include <mutex>

namespace berkas::model {

std::string newUuidV7()
{
    static std::mutex mutex;
    static Poco::Random random = [] {
        Poco::Random r;
        r.seed();
        return r;
    }();
    static std::int64_t lastMs = 0;
    static std::uint16_t sequence = 0;

    unsigned char bytes[16];
    std::int64_t ms = HybridLogicalClock::systemMs();
    {
        std::lock_guard<std::mutex> lock(mutex);
        // Within one millisecond, a counter in the rand_a bits keeps ids from
        // this process strictly increasing (RFC 9562, method 1).
        if (ms <= lastMs)
        {
            ms = lastMs;
            ++sequence;
            if (sequence > 0x0fff)
            {
                ++ms;
                sequence = 0;
            }
        }
        else
        {
            sequence = static_cast<std::uint16_t>(random.next(0x0800));
        }
        lastMs = ms;
        for (int i = 0; i < 6; ++i)
            bytes[i] = static_cast<unsigned char>((ms >> (8 * (5 - i))) & 0xff);
        bytes[6] = static_cast<unsigned char>(0x70 | ((sequence >> 8) & 0x0f));
        bytes[7] = static_cast<unsigned char>(sequence & 0xff);
        for (int i = 8; i < 16; ++i)
            bytes[i] = static_cast<unsigned char>(random.next(256));
    }
    bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3f));
    Poco::UUID uuid;
    uuid.copyFrom(reinterpret_cast<const char*>(bytes));
    return uuid.toString();
}

std::string nameUuid(const std::string& name)
{
    static const Poco::UUID kNamespace("5b0e6e5a-3c1d-4f0a-9a57-62657266b0a5");
    Poco::SHA1Engine sha1;
    return Poco::UUIDGenerator::defaultGenerator()
        .createFromName(kNamespace, name, sha1, Poco::UUID::UUID_NAME_BASED_SHA1)
        .toString();
}

bool isUuid(const std::string& text)
{
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23)
        {
            if (c != '-')
                return false;
        }
        else if (!std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

} // namespace berkas::model
