#include "sync/Protocol.h"

#include "model/Error.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace berkas::sync {

namespace {

std::string stringMember(const Poco::JSON::Object::Ptr& o, const std::string& name, bool required = true)
{
    if (!o->has(name) || o->isNull(name))
    {
        if (required)
            throw Error(ErrorCode::InvalidData, name + ": is required");
        return {};
    }
    const auto v = o->get(name);
    if (!v.isString())
        throw Error(ErrorCode::InvalidData, name + ": must be a string");
    return v.extract<std::string>();
}

std::int64_t intMember(const Poco::JSON::Object::Ptr& o, const std::string& name)
{
    if (!o->has(name))
        throw Error(ErrorCode::InvalidData, name + ": is required");
    const auto v = o->get(name);
    if (!v.isInteger())
        throw Error(ErrorCode::InvalidData, name + ": must be an integer");
    return v.convert<std::int64_t>();
}

} // namespace

Poco::JSON::Object::Ptr changeToJson(const WireChange& c, bool withBase)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("seq", c.seq);
    o->set("kind", c.kind);
    o->set("id", c.id);
    o->set("field", c.field);
    o->set("value", c.value ? Poco::Dynamic::Var(*c.value) : Poco::Dynamic::Var());
    o->set("stamp", model::formatStamp(c.stamp));
    if (withBase)
        o->set("base", model::formatStamp(c.base));
    else
        o->set("user", c.user);
    return o;
}

WireChange changeFromJson(const Poco::JSON::Object::Ptr& o, bool withBase)
{
    if (!o)
        throw Error(ErrorCode::InvalidData, "changes: every change must be a JSON object");
    WireChange c;
    c.seq = intMember(o, "seq");
    c.kind = stringMember(o, "kind");
    c.id = stringMember(o, "id");
    c.field = stringMember(o, "field");
    if (o->has("value") && !o->isNull("value"))
        c.value = stringMember(o, "value");
    c.stamp = model::parseStamp(stringMember(o, "stamp"));
    if (withBase)
        c.base = model::parseStamp(stringMember(o, "base"));
    else
        c.user = stringMember(o, "user", false);
    return c;
}

Poco::JSON::Object::Ptr parseObject(const std::string& text)
{
    try
    {
        Poco::JSON::Parser parser;
        const auto v = parser.parse(text);
        if (v.type() != typeid(Poco::JSON::Object::Ptr))
            throw Error(ErrorCode::InvalidData, "body: must be a JSON object");
        return v.extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::InvalidData, "body: not valid JSON (" + e.message() + ")");
    }
}

std::string toJsonText(const Poco::JSON::Object::Ptr& o)
{
    std::ostringstream out;
    o->stringify(out);
    return out.str();
}

std::string gzip(const std::string& data)
{
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflater << data;
    deflater.close();
    return out.str();
}

std::string gunzip(const std::string& data, std::size_t maxBytes)
{
    try
    {
        std::istringstream in(data);
        Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
        return readAll(inflater, maxBytes);
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::InvalidData, "body: not valid gzip (" + e.message() + ")");
    }
}

std::string readAll(std::istream& in, std::size_t maxBytes)
{
    std::string out;
    char buf[16384];
    while (in)
    {
        in.read(buf, sizeof buf);
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > maxBytes)
            throw Error(ErrorCode::InvalidData, "body: larger than the limit of " + std::to_string(maxBytes) + " bytes");
    }
    return out;
}

} // namespace berkas::sync
