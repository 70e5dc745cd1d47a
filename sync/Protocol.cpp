#include "sync/Protocol.h"

#include "model/Error.h"
#include "model/JsonText.h"

#include <Poco/DeflatingStream.h>
#include <Poco/InflatingStream.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <limits>
#include <charconv>
#include <string_view>
#include <map>
#include <tuple>

#include <sstream>

namespace berkas::sync {


namespace {

/// Interns strings (device ids, user names) into a table sent once per body.
class Table
{
public:
    int index(const std::string& s)
    {
        const auto it = m_index.find(s);
        if (it != m_index.end())
            return it->second;
        const int i = static_cast<int>(m_values.size());
        m_values.push_back(s);
        m_index.emplace(s, i);
        return i;
    }
    Poco::JSON::Array::Ptr toJson() const
    {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& v : m_values)
            a->add(v);
        return a;
    }

private:
    std::vector<std::string> m_values;
    std::map<std::string, int> m_index;
};

std::vector<std::string> readTable(const Poco::JSON::Object::Ptr& body, const std::string& name)
{
    std::vector<std::string> out;
    const auto a = body->getArray(name);
    if (!a)
        return out;
    for (std::size_t i = 0; i < a->size(); ++i)
    {
        const auto v = a->get(static_cast<unsigned>(i));
        if (!v.isString())
            throw Error(ErrorCode::InvalidData, name + ": must be an array of strings");
        out.push_back(v.extract<std::string>());
    }
    return out;
}

const std::string& tableEntry(const std::vector<std::string>& table, const Poco::Dynamic::Var& v, const std::string& what)
{
    if (!v.isInteger())
        throw Error(ErrorCode::InvalidData, what + ": must be an index into the table");
    const auto i = v.convert<std::int64_t>();
    if (i < 0 || static_cast<std::size_t>(i) >= table.size())
        throw Error(ErrorCode::InvalidData, what + ": index " + std::to_string(i) + " is outside the table");
    return table[static_cast<std::size_t>(i)];
}

/// A non-negative integer written in decimal digits, nothing else. HLC
/// values pass 2^53, so they travel as such strings.
std::optional<std::int64_t> decimalOf(std::string_view text)
{
    std::int64_t n = 0;
    const char* end = text.data() + text.size();
    if (text.empty() || text.front() == '-' || std::from_chars(text.data(), end, n).ptr != end)
        return std::nullopt;
    return n;
}

std::int64_t hlcOf(const Poco::Dynamic::Var& v, const std::string& what)
{
    const auto n = v.isString() ? decimalOf(v.extract<std::string>()) : std::nullopt;
    if (!n)
        throw Error(ErrorCode::InvalidData, what + ": must be a decimal string");
    return *n;
}

std::string stringOf(const Poco::Dynamic::Var& v, const std::string& what)
{
    if (!v.isString())
        throw Error(ErrorCode::InvalidData, what + ": must be a string");
    return v.extract<std::string>();
}

std::int64_t integerOf(const Poco::JSON::Object::Ptr& o, const std::string& name, bool required)
{
    if (!o->has(name))
    {
        if (required)
            throw Error(ErrorCode::InvalidData, name + ": is required");
        return 0;
    }
    const auto v = o->get(name);
    if (!v.isInteger())
        throw Error(ErrorCode::InvalidData, name + ": must be an integer");
    return v.convert<std::int64_t>();
}

Poco::JSON::Array::Ptr arrayOf(const Poco::Dynamic::Var& v, const std::string& what)
{
    if (v.type() != typeid(Poco::JSON::Array::Ptr))
        throw Error(ErrorCode::InvalidData, what + ": must be an array");
    return v.extract<Poco::JSON::Array::Ptr>();
}

Poco::JSON::Object::Ptr objectOf(const Poco::Dynamic::Var& v, const std::string& what)
{
    if (v.type() != typeid(Poco::JSON::Object::Ptr))
        throw Error(ErrorCode::InvalidData, what + ": must be an object");
    return v.extract<Poco::JSON::Object::Ptr>();
}

/// Groups consecutive changes of one record: {"k": kind, "i": id, "c": [...]}.
template <typename Row>
Poco::JSON::Array::Ptr groupRecords(const std::vector<WireChange>& changes, Row row)
{
    Poco::JSON::Array::Ptr records = new Poco::JSON::Array;
    Poco::JSON::Array::Ptr current;
    const WireChange* previous = nullptr;
    for (const auto& c : changes)
    {
        if (!previous || previous->id != c.id || previous->kind != c.kind)
        {
            Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
            r->set("k", c.kind);
            r->set("i", c.id);
            current = new Poco::JSON::Array;
            r->set("c", current);
            records->add(r);
        }
        current->add(row(c));
        previous = &c;
    }
    return records;
}

Poco::Dynamic::Var valueVar(const std::optional<std::string>& v)
{
    return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

std::optional<std::string> valueOf(const Poco::JSON::Array::Ptr& row, unsigned i, const std::string& what)
{
    if (row->isNull(i))
        return std::nullopt;
    return stringOf(row->get(i), what);
}

template <typename Fn> void forEachChange(const Poco::JSON::Object::Ptr& body, std::size_t width, Fn fn)
{
    if (!body->has("records"))
        throw Error(ErrorCode::InvalidData, "records: is required");
    const auto records = arrayOf(body->get("records"), "records");
    for (std::size_t r = 0; r < records->size(); ++r)
    {
        const auto record = objectOf(records->get(static_cast<unsigned>(r)), "records[" + std::to_string(r) + "]");
        if (!record->has("k") || !record->has("i") || !record->has("c"))
            throw Error(ErrorCode::InvalidData, "records[" + std::to_string(r) + "]: needs k, i and c");
        const std::string kind = stringOf(record->get("k"), "records[].k");
        const std::string id = stringOf(record->get("i"), "records[].i");
        const auto rows = arrayOf(record->get("c"), "records[].c");
        for (std::size_t i = 0; i < rows->size(); ++i)
        {
            const auto row = arrayOf(rows->get(static_cast<unsigned>(i)), "records[].c[]");
            if (row->size() != width)
                throw Error(ErrorCode::InvalidData, "records[].c[]: each change has " + std::to_string(width) + " members");
            WireChange c;
            c.kind = kind;
            c.id = id;
            if (!row->get(0).isInteger())
                throw Error(ErrorCode::InvalidData, "records[].c[0]: seq must be an integer");
            c.seq = row->get(0).convert<std::int64_t>();
            c.field = stringOf(row->get(1), "records[].c[1] (field)");
            c.value = valueOf(row, 2, "records[].c[2] (value)");
            fn(c, row);
        }
    }
}

} // namespace

Poco::JSON::Object::Ptr encodePush(const PushBatch& batch)
{
    Table devices;
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
    body->set("protocol", batch.protocol);
    body->set("schema", batch.schema);
    body->set("device_id", batch.deviceId);
    body->set("cursor", batch.cursor);
    if (!batch.epoch.empty())
        body->set("epoch", batch.epoch);
    // Each change: [seq, field, value, hlc, base_hlc, base_device_index or -1].
    body->set("records", groupRecords(batch.changes, [&](const WireChange& c) {
        Poco::JSON::Array::Ptr row = new Poco::JSON::Array;
        row->add(c.seq);
        row->add(c.field);
        row->add(valueVar(c.value));
        row->add(std::to_string(c.stamp.hlc));
        row->add(std::to_string(c.base.hlc));
        row->add(c.base.isZero() ? -1 : devices.index(c.base.device));
        return row;
    }));
    body->set("devices", devices.toJson());
    return body;
}

namespace {

PushBatch decodePushBody(const Poco::JSON::Object::Ptr& body)
{
    PushBatch batch;
    batch.protocol = static_cast<int>(integerOf(body, "protocol", true));
    batch.schema = static_cast<int>(integerOf(body, "schema", true));
    if (!body->has("device_id"))
        throw Error(ErrorCode::InvalidData, "device_id: is required");
    batch.deviceId = stringOf(body->get("device_id"), "device_id");
    batch.cursor = integerOf(body, "cursor", false);
    if (body->has("epoch") && !body->isNull("epoch"))
        batch.epoch = stringOf(body->get("epoch"), "epoch");
    const auto devices = readTable(body, "devices");
    forEachChange(body, 6, [&](WireChange& c, const Poco::JSON::Array::Ptr& row) {
        c.stamp = {hlcOf(row->get(3), "records[].c[3] (hlc)"), batch.deviceId};
        c.base.hlc = hlcOf(row->get(4), "records[].c[4] (base hlc)");
        const auto baseDevice = row->get(5);
        if (baseDevice.isInteger() && baseDevice.convert<std::int64_t>() == -1)
            c.base = {};
        else
            c.base.device = tableEntry(devices, baseDevice, "records[].c[5] (base device)");
        batch.changes.push_back(std::move(c));
    });
    return batch;
}

} // namespace

PushBatch decodePush(const Poco::JSON::Object::Ptr& body)
{
    try
    {
        return decodePushBody(body);
    }
    catch (const Poco::Exception& e)
    {
        // An integer past 2^63 (Poco reads it as unsigned and will not
        // convert it to int64) or a member Poco cannot convert.
        throw Error(ErrorCode::InvalidData, "body: a member has the wrong type or is out of range (" + e.message() + ")");
    }
}

namespace {

/// Collects a pull answer from the parser's events: records[].c[] rows,
/// the device and user tables, cursor, more and server_time.
class PullHandler : public Poco::JSON::Handler
{
public:
    void reserve(std::size_t changes)
    {
        m_batch.changes.reserve(changes);
        m_pending.reserve(changes);
        m_fieldRefs.reserve(changes);
    }
    void reset() override {}
    void startObject() override
    {
        ++m_depth;
        if (m_depth == 3 && (m_key == "records" || m_key == "gone"))
        {
            m_record = {};
            m_recordStamp = {};
        }
    }
    void endObject() override
    {
        if (m_depth == 3 && m_key == "gone")
        {
            if (m_record.kind.empty() || m_record.id.empty())
                fail("each gone entry must be {\"k\": kind, \"i\": id}");
            m_batch.gone.emplace_back(m_record.kind, m_record.id);
        }
        --m_depth;
    }
    void startArray() override
    {
        ++m_depth;
        if (m_depth == 4)
            m_inRecordArray = true;
        if (m_depth == 4 && m_recordKey == "s")
            m_recordStamp = {};
        if (m_depth == 4 && m_recordKey == "v")
        {
            if (m_record.kind.empty() || m_record.id.empty())
                fail("each record must have \"k\" and \"i\" before its changes");
            if (m_recordStamp.cells != 3)
                fail("a record's \"v\" needs its \"s\" before it");
            m_pairOpen = false;
        }
        if (m_depth == 5 && m_key == "records" && m_recordKey != "c")
            fail("only a record's \"c\" holds changes as arrays");
        if (m_depth == 5)
        {
            // A change of the record m_record: its cells are read straight
            // into it, a first pull has a million of them.
            if (m_record.kind.empty() || m_record.id.empty())
                fail("each record must have \"k\" and \"i\" before its changes");
            WireChange& c = m_batch.changes.emplace_back();
            c.kind = m_record.kind;
            c.id = m_record.id;
            m_column = 0;
            m_inChange = true;
        }
    }
    void endArray() override
    {
        if (m_depth == 4 && m_recordKey == "s" && m_recordStamp.cells != 3)
            fail("a record's \"s\" must be [hlc, device, user]");
        if (m_depth == 4 && m_recordKey == "v" && m_pairOpen)
            failPair();
        if (m_depth == 5 && m_column == 3)
        {
            // [seq, field, value]: the record's shared stamp and author.
            if (m_recordStamp.cells != 3)
                fail("a change without its stamp needs the record's \"s\" before it");
            m_batch.changes.back().stamp.hlc = m_recordStamp.hlc;
            m_pending.emplace_back(m_batch.changes.size() - 1, m_recordStamp.device, m_recordStamp.user);
        }
        else if (m_depth == 5 && m_column != 6)
            failRow();
        if (m_depth == 5)
            m_inChange = false;
        if (m_depth == 4)
            m_inRecordArray = false;
        --m_depth;
    }
    void key(const std::string& k) override
    {
        if (m_depth == 1)
            m_key = k;
        else if (m_depth == 3)
            m_recordKey = k;
    }
    void null() override { text(nullptr); }
    void value(int v) override { number(v); }
    void value(unsigned v) override { number(static_cast<std::int64_t>(v)); }
    void value(Poco::Int64 v) override { number(v); }
    void value(Poco::UInt64 v) override
    {
        // Past 2^63 a number would come back negative (server_time once did).
        if (v > static_cast<Poco::UInt64>(std::numeric_limits<std::int64_t>::max()))
            fail("numbers must be below 2^63");
        number(static_cast<std::int64_t>(v));
    }
    void value(const std::string& v) override { text(&v); }
    void value(double) override { fail("numbers must be integers"); }
    void value(bool b) override
    {
        if (m_depth == 1 && m_key == "more")
            m_batch.more = b;
        else if (m_depth == 5)
            failRow();
        else if (m_depth == 4 && m_recordKey == "v")
            failPair();
    }

    PullBatch finish(std::int64_t* serverTime)
    {
        if (!m_sawCursor)
            fail("cursor is missing");
        for (auto& [index, device, user] : m_pending)
        {
            if (device < 0 || static_cast<std::size_t>(device) >= m_devices.size() || user < 0 ||
                static_cast<std::size_t>(user) >= m_users.size())
                fail("a device or user index is outside its table");
            m_batch.changes[index].stamp.device = m_devices[static_cast<std::size_t>(device)];
            m_batch.changes[index].user = m_users[static_cast<std::size_t>(user)];
        }
        for (const auto& [index, field] : m_fieldRefs)
        {
            if (field < 0 || static_cast<std::size_t>(field) >= m_fields.size())
                fail("a field index is outside the fields table");
            m_batch.changes[index].field = m_fields[static_cast<std::size_t>(field)];
        }
        if (serverTime)
            *serverTime = m_serverTime;
        return std::move(m_batch);
    }

private:
    [[noreturn]] static void fail(const std::string& why)
    {
        throw Error(ErrorCode::InvalidData, "pull answer: " + why);
    }
    [[noreturn]] static void failRow()
    {
        fail("each change must be [seq, field, value, hlc, device, user] or [seq, field, value]");
    }
    [[noreturn]] static void failPair()
    {
        fail("a record's \"v\" must be pairs of a field index and a value (a string or null)");
    }
    static std::int64_t hlcOf(const std::string* v)
    {
        const auto hlc = v ? decimalOf(*v) : std::nullopt;
        if (!hlc)
            fail("hlc must be a decimal string");
        return *hlc;
    }

    void number(std::int64_t v)
    {
        if (m_depth == 1)
        {
            if (m_key == "cursor")
            {
                m_batch.cursor = v;
                m_sawCursor = true;
            }
            else if (m_key == "server_time")
                m_serverTime = v;
            else if (m_key == "ack")
                m_batch.ack = v;
            return;
        }
        // Cells of "s", "v" and of a change only count inside their arrays:
        // the same keys holding objects are not an answer ({"c": [{"x": 1}]}
        // once wrote to a change that did not exist).
        if ((m_depth == 4 && (m_recordKey == "s" || m_recordKey == "v") && !m_inRecordArray) ||
            (m_depth == 5 && !m_inChange))
            failRow();
        if (m_depth == 4 && m_recordKey == "s")
        {
            // [hlc, device, user]
            if (m_recordStamp.cells == 1)
                m_recordStamp.device = v;
            else if (m_recordStamp.cells == 2)
                m_recordStamp.user = v;
            else
                fail("a record's \"s\" must be [hlc, device, user]");
            ++m_recordStamp.cells;
            return;
        }
        if (m_depth == 4 && m_recordKey == "v")
        {
            // A field index opens a change with the record's shared stamp.
            if (m_pairOpen)
                failPair();
            WireChange& c = m_batch.changes.emplace_back();
            c.kind = m_record.kind;
            c.id = m_record.id;
            c.stamp.hlc = m_recordStamp.hlc;
            m_pending.emplace_back(m_batch.changes.size() - 1, m_recordStamp.device, m_recordStamp.user);
            m_fieldRefs.emplace_back(m_batch.changes.size() - 1, v);
            m_pairOpen = true;
            return;
        }
        if (m_depth != 5)
            return;
        // [seq, field, value, hlc, device, user], the field a name or an index
        switch (m_column++)
        {
        case 0: m_batch.changes.back().seq = v; return;
        case 1: m_fieldRefs.emplace_back(m_batch.changes.size() - 1, v); return;
        case 4: m_device = v; return;
        case 5: m_pending.emplace_back(m_batch.changes.size() - 1, m_device, v); return;
        default: failRow();
        }
    }
    /// A string, or null when @p v is null.
    void text(const std::string* v)
    {
        if ((m_depth == 4 && (m_recordKey == "s" || m_recordKey == "v") && !m_inRecordArray) ||
            (m_depth == 5 && !m_inChange))
            failRow();
        if (m_depth == 5)
        {
            WireChange& c = m_batch.changes.back();
            switch (m_column++)
            {
            case 1:
                if (!v)
                    failRow();
                c.field = *v;
                return;
            case 2:
                if (v)
                    c.value = *v;
                return;
            case 3: c.stamp.hlc = hlcOf(v); return;
            default: failRow();
            }
        }
        if (m_depth == 4 && m_recordKey == "v")
        {
            if (!m_pairOpen)
                failPair();
            if (v)
                m_batch.changes.back().value = *v;
            m_pairOpen = false;
            return;
        }
        if (m_depth == 4 && m_recordKey == "s")
        {
            if (m_recordStamp.cells != 0)
                fail("a record's \"s\" must be [hlc, device, user]");
            m_recordStamp.hlc = hlcOf(v);
            ++m_recordStamp.cells;
            return;
        }
        if (!v)
            return;
        if (m_depth == 1 && m_key == "epoch")
            m_batch.epoch = *v;
        else if (m_depth == 1 && m_key == "escrow")
            m_batch.escrow = *v == "held";
        else if (m_depth == 2 && m_key == "devices")
            m_devices.push_back(*v);
        else if (m_depth == 2 && m_key == "users")
            m_users.push_back(*v);
        else if (m_depth == 2 && m_key == "fields")
            m_fields.push_back(*v);
        else if (m_depth == 3 && (m_key == "records" || m_key == "gone"))
        {
            if (m_recordKey == "k")
                m_record.kind = *v;
            else if (m_recordKey == "i")
                m_record.id = *v;
        }
    }

    int m_depth = 0;
    std::string m_key;
    std::string m_recordKey;
    WireChange m_record;
    /// The stamp a record's changes share ("s"), once all three cells are read.
    struct SharedStamp
    {
        int cells = 0;
        std::int64_t hlc = 0;
        std::int64_t device = 0;
        std::int64_t user = 0;
    };
    SharedStamp m_recordStamp;
    int m_column = 0;          ///< the next cell of the change being read
    std::int64_t m_device = 0; ///< its device index, until its user index comes
    bool m_pairOpen = false;   ///< in "v": a field index read, its value not yet
    bool m_inRecordArray = false; ///< in an array member of a record ("s", "v", "c")
    bool m_inChange = false;      ///< in a change's array, m_batch.changes.back()
    std::vector<std::string> m_devices;
    std::vector<std::string> m_users;
    std::vector<std::string> m_fields;
    std::vector<std::tuple<std::size_t, std::int64_t, std::int64_t>> m_pending;
    /// Changes whose field is an index into m_fields: (change, index).
    std::vector<std::pair<std::size_t, std::int64_t>> m_fieldRefs;
    PullBatch m_batch;
    bool m_sawCursor = false;
    std::int64_t m_serverTime = 0;
};

} // namespace

std::string encodePullText(const std::vector<WireChange>& changes, std::int64_t cursor, bool more,
                           std::int64_t serverTime)
{
    return encodePullText(changes, cursor, more, serverTime, {}, 0);
}

std::string encodePullText(const std::vector<WireChange>& changes, std::int64_t cursor, bool more,
                           std::int64_t serverTime, const std::vector<std::pair<std::string, std::string>>& gone,
                           std::int64_t ack, PullForm form)
{
    Table devices;
    Table users;
    Table fields; // PullForm::Compact only
    std::string out;
    out.reserve(changes.size() * (form == PullForm::Compact ? 48 : 80) + 256);
    out += "{\"records\":[";
    const auto appendStamp = [&](const WireChange& c) {
        out += '"';
        out += std::to_string(c.stamp.hlc);
        out += "\",";
        out += std::to_string(devices.index(c.stamp.device));
        out += ',';
        out += std::to_string(users.index(c.user));
    };
    const auto appendField = [&](const WireChange& c) {
        if (form == PullForm::Compact)
            out += std::to_string(fields.index(c.field));
        else
            model::appendJsonString(out, c.field);
    };
    const auto appendValue = [&](const WireChange& c) {
        if (c.value)
            model::appendJsonString(out, *c.value);
        else
            out += "null";
    };
    const auto sameStamp = [](const WireChange& a, const WireChange& b) {
        return a.stamp == b.stamp && a.user == b.user;
    };
    std::size_t i = 0;
    while (i < changes.size())
    {
        // One record: the run of changes with its kind and id.
        const WireChange& first = changes[i];
        std::size_t end = i + 1;
        while (end < changes.size() && changes[end].id == first.id && changes[end].kind == first.kind)
            ++end;
        out += i ? ",{\"k\":" : "{\"k\":";
        model::appendJsonString(out, first.kind);
        out += ",\"i\":";
        model::appendJsonString(out, first.id);
        // The first change's stamp, given once when another change shares it.
        const bool shared = form != PullForm::Full && end - i > 1 && sameStamp(first, changes[i + 1]);
        bool others = !shared; // changes written in full, in "c"
        if (shared)
        {
            out += ",\"s\":[";
            appendStamp(first);
            out += ']';
        }
        if (shared && form == PullForm::Compact)
        {
            // Those sharing it as [field, value, field, value, ...].
            out += ",\"v\":[";
            bool firstPair = true;
            for (std::size_t n = i; n < end; ++n)
            {
                const WireChange& c = changes[n];
                if (!sameStamp(first, c))
                {
                    others = true;
                    continue;
                }
                if (!firstPair)
                    out += ',';
                firstPair = false;
                appendField(c);
                out += ',';
                appendValue(c);
            }
            out += ']';
        }
        if (others || form != PullForm::Compact)
        {
            out += ",\"c\":[";
            bool firstRow = true;
            for (std::size_t n = i; n < end; ++n)
            {
                const WireChange& c = changes[n];
                const bool stampShared = shared && sameStamp(first, c);
                if (stampShared && form == PullForm::Compact)
                    continue; // in "v"
                out += firstRow ? "[" : ",[";
                firstRow = false;
                out += std::to_string(c.seq);
                out += ',';
                appendField(c);
                out += ',';
                appendValue(c);
                if (!stampShared)
                {
                    out += ',';
                    appendStamp(c);
                }
                out += ']';
            }
            out += ']';
        }
        out += '}';
        i = end;
    }
    out += "],\"devices\":";
    std::ostringstream tables;
    devices.toJson()->stringify(tables);
    tables << ",\"users\":";
    users.toJson()->stringify(tables);
    if (form == PullForm::Compact)
    {
        tables << ",\"fields\":";
        fields.toJson()->stringify(tables);
    }
    out += tables.str();
    if (!gone.empty())
    {
        out += ",\"gone\":[";
        for (std::size_t i = 0; i < gone.size(); ++i)
        {
            out += i ? ",{\"k\":" : "{\"k\":";
            model::appendJsonString(out, gone[i].first);
            out += ",\"i\":";
            model::appendJsonString(out, gone[i].second);
            out += '}';
        }
        out += ']';
    }
    if (ack)
        out += ",\"ack\":" + std::to_string(ack);
    out += ",\"cursor\":" + std::to_string(cursor) + ",\"more\":" + (more ? "true" : "false") +
           ",\"server_time\":" + std::to_string(serverTime) + "}";
    return out;
}

PullBatch decodePullText(const std::string& text, std::int64_t* serverTime)
{
    Poco::SharedPtr<PullHandler> handler = new PullHandler;
    // A change of a first pull takes 26-30 bytes of a compact answer (45-50
    // in the other forms), one with its own stamp more: room for them all,
    // instead of growing (and moving) the vector a dozen times. Smaller
    // changes just grow it once more.
    handler->reserve(text.size() / 24);
    try
    {
        Poco::JSON::Parser parser(handler);
        parser.parse(text);
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::InvalidData, "pull answer: not valid JSON (" + e.message() + ")");
    }
    return handler->finish(serverTime);
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

std::string gzip(const std::string& data, int level)
{
    std::ostringstream out;
    Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP, level);
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

const char* outcomeName(PushOutcome outcome)
{
    switch (outcome)
    {
    case PushOutcome::Applied: return "applied";
    case PushOutcome::Duplicate: return "duplicate";
    case PushOutcome::Conflict: return "conflict";
    case PushOutcome::Refused: return "refused";
    case PushOutcome::Reused: return "reused";
    }
    return "applied";
}

std::optional<PushOutcome> pushOutcomeOf(const std::string& name)
{
    for (const PushOutcome o : {PushOutcome::Applied, PushOutcome::Duplicate, PushOutcome::Conflict,
                                PushOutcome::Refused, PushOutcome::Reused})
        if (name == outcomeName(o))
            return o;
    return std::nullopt;
}

} // namespace berkas::sync
