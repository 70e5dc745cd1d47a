#include "model/EscrowLedger.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace berkas::model {

namespace {

// Settings keys.
constexpr const char* kGrants = "escrow.grants";
constexpr const char* kUsed = "escrow.used";
constexpr const char* kReleased = "escrow.released";

Poco::JSON::Object::Ptr objectOf(const std::string& text)
{
    if (text.empty())
        return new Poco::JSON::Object;
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr arrayOf(const std::string& text)
{
    if (text.empty())
        return new Poco::JSON::Array;
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
}

std::string textOf(const Poco::Dynamic::Var& json)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(json, out);
    return out.str();
}

} // namespace

std::string EscrowLedger::key(const std::string& location, const std::string& serviceCode, const std::string& date)
{
    // Dates and service codes hold no space; the location is the rest.
    return date + " " + serviceCode + " " + location;
}

std::vector<EscrowLedger::Grant> EscrowLedger::grants()
{
    std::vector<Grant> out;
    const auto array = arrayOf(m_settings.get(kGrants));
    for (std::size_t i = 0; i < array->size(); ++i)
    {
        const auto o = array->getObject(static_cast<unsigned>(i));
        out.push_back({o->getValue<std::string>("location"), o->getValue<std::string>("service_code"),
                       o->getValue<std::string>("date"), o->getValue<int>("slots"), o->optValue<int>("used", 0)});
    }
    return out;
}

void EscrowLedger::replace(const std::vector<Grant>& grants)
{
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& g : grants)
    {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("location", g.location);
        o->set("service_code", g.serviceCode);
        o->set("date", g.date);
        o->set("slots", g.slots);
        o->set("used", g.used);
        array->add(o);
    }
    m_settings.set(kGrants, textOf(array));
    // A released grant the server no longer lists is settled.
    auto released = objectOf(m_settings.get(kReleased));
    std::vector<std::string> settled;
    for (const auto& name : released->getNames())
        if (std::none_of(grants.begin(), grants.end(),
                         [&](const Grant& g) { return key(g.location, g.serviceCode, g.date) == name; }))
            settled.push_back(name);
    for (const auto& name : settled)
        released->remove(name);
    m_settings.set(kReleased, textOf(released));
}

bool EscrowLedger::available(const std::string& location, const std::string& serviceCode, const std::string& date,
                             Date today)
{
    const auto day = Date::parse(date);
    if (!day || day->toDays() - today.toDays() < 2)
        return false;
    const std::string k = key(location, serviceCode, date);
    if (objectOf(m_settings.get(kReleased))->has(k))
        return false;
    const int usedHere = objectOf(m_settings.get(kUsed))->optValue<int>(k, 0);
    for (const auto& g : grants())
        if (key(g.location, g.serviceCode, g.date) == k)
            return std::max(usedHere, g.used) < g.slots;
    return false;
}

void EscrowLedger::use(const std::string& location, const std::string& serviceCode, const std::string& date)
{
    auto used = objectOf(m_settings.get(kUsed));
    const std::string k = key(location, serviceCode, date);
    int n = used->optValue<int>(k, 0);
    for (const auto& g : grants())
        if (key(g.location, g.serviceCode, g.date) == k)
            n = std::max(n, g.used); // a folder put back from an older copy counts what the server saw
    used->set(k, n + 1);
    m_settings.set(kUsed, textOf(used));
}

void EscrowLedger::releaseDue(Date today)
{
    auto released = objectOf(m_settings.get(kReleased));
    bool changed = false;
    for (const auto& g : grants())
    {
        const auto day = Date::parse(g.date);
        const std::string k = key(g.location, g.serviceCode, g.date);
        if (day && day->toDays() - today.toDays() < 2 && !released->has(k))
        {
            Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            o->set("location", g.location);
            o->set("service_code", g.serviceCode);
            o->set("date", g.date);
            released->set(k, o);
            changed = true;
        }
    }
    if (changed)
        m_settings.set(kReleased, textOf(released));
}

std::vector<EscrowLedger::Grant> EscrowLedger::released()
{
    std::vector<Grant> out;
    const auto released = objectOf(m_settings.get(kReleased));
    for (const auto& name : released->getNames())
    {
        const auto o = released->getObject(name);
        out.push_back({o->getValue<std::string>("location"), o->getValue<std::string>("service_code"),
                       o->getValue<std::string>("date"), 0, 0});
    }
    return out;
}

} // namespace berkas::model
