#include "sync/server/BookingDesk.h"

#include "model/Date.h"
#include "model/Error.h"
#include "model/Schema.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>
#include <Poco/NumberParser.h>
#include <Poco/Tuple.h>

#include <algorithm>
#include <cctype>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

/// "HH:MM" from 00:00 to 23:59, or nothing.
bool isClock(const std::string& t)
{
    if (t.size() != 5 || t[2] != ':')
        return false;
    for (const std::size_t i : {0u, 1u, 3u, 4u})
        if (!std::isdigit(static_cast<unsigned char>(t[i])))
            return false;
    return std::stoi(t.substr(0, 2)) < 24 && std::stoi(t.substr(3, 2)) < 60;
}

// The slot-holding statuses as an SQL list; fixed words, no user text.
std::string holdingList()
{
    std::string out;
    for (const auto& s : BookingDesk::holdingStatuses())
        out += (out.empty() ? "'" : ", '") + s + "'";
    return out;
}

} // namespace

BookingDesk::BookingDesk(ServerDatabase& db) : m_db(db) {}

const std::vector<std::string>& BookingDesk::holdingStatuses()
{
    // A no_show held its slot until the slot passed; counting it keeps a
    // late push from being confirmed into a slot that was given away.
    static const std::vector<std::string> kHolding = {"confirmed", "checked_in", "no_show"};
    return kHolding;
}

namespace {

/// The days and slots of a capacity or escrow request, checked.
std::pair<std::vector<std::string>, int> daysOf(const CapacityRequest& r)
{
    const auto from = model::Date::parse(r.date);
    if (!from)
        throw Error(ErrorCode::InvalidData, "date: must be a date YYYY-MM-DD, got \"" + r.date + "\"");
    model::Date to = *from;
    if (!r.to.empty())
    {
        const auto parsed = model::Date::parse(r.to);
        if (!parsed)
            throw Error(ErrorCode::InvalidData, "to: must be a date YYYY-MM-DD, got \"" + r.to + "\"");
        if (*parsed < *from)
            throw Error(ErrorCode::InvalidData, "to: must not be before date (" + from->toString() + "), got " + r.to);
        if (parsed->toDays() - from->toDays() > 366)
            throw Error(ErrorCode::InvalidData, "to: may be at most 366 days after date, got " + r.to);
        to = *parsed;
    }
    unsigned slots = 0;
    if (r.slots.empty() || !std::all_of(r.slots.begin(), r.slots.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
        !Poco::NumberParser::tryParseUnsigned(r.slots, slots) || slots > 100000)
        throw Error(ErrorCode::InvalidData, "slots: must be a whole number from 0 to 100000, got \"" + r.slots + "\"");
    std::vector<std::string> days;
    for (model::Date d = *from; d <= to; d = d.addDays(1))
        days.push_back(d.toString());
    return {days, static_cast<int>(slots)};
}

} // namespace

std::vector<Capacity> BookingDesk::setCapacity(const CapacityRequest& r,
                                               const std::function<bool(const std::string&)>& serviceKnown)
{
    if (r.location.empty())
        throw Error(ErrorCode::InvalidData, "location: is required (e.g. --location=MPP)");
    if (r.serviceCode.empty())
        throw Error(ErrorCode::InvalidData, "service: is required (e.g. --service=PBG)");
    if (!serviceKnown(r.serviceCode))
        throw Error(ErrorCode::InvalidData, "service: no service with code \"" + r.serviceCode + "\"");
    const auto [dayList, slots] = daysOf(r);
    if (r.open.empty() != r.close.empty())
        throw Error(ErrorCode::InvalidData, r.open.empty() ? "open: is required with --close"
                                                           : "close: is required with --open");
    if (!r.open.empty() && !isClock(r.open))
        throw Error(ErrorCode::InvalidData, "open: must be a time HH:MM, got \"" + r.open + "\"");
    if (!r.close.empty() && !isClock(r.close))
        throw Error(ErrorCode::InvalidData, "close: must be a time HH:MM, got \"" + r.close + "\"");
    if (!r.open.empty() && r.close <= r.open)
        throw Error(ErrorCode::InvalidData, "close: must be after open (" + r.open + "), got " + r.close);

    std::vector<Capacity> days;
    for (const std::string& day : dayList)
    {
        const int held = taken(r.location, r.serviceCode, day);
        const int granted = reserved(r.location, r.serviceCode, day);
        if (slots < held + granted)
            throw Error(ErrorCode::InvalidData,
                        "slots: must be at least the " + std::to_string(held) + " bookings already confirmed" +
                            (granted ? " and " + std::to_string(granted) + " slots granted to devices" : std::string()) +
                            " for " + day + ", got " + std::to_string(slots));
        days.push_back({r.location, r.serviceCode, day, slots, r.open, r.close});
    }
    auto& s = m_db.session();
    for (auto& c : days)
        s << m_db.q("INSERT INTO capacity (location, service_code, day, slots, open_at, close_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (location, service_code, day) DO UPDATE SET slots = excluded.slots, "
                    "open_at = excluded.open_at, close_at = excluded.close_at"),
            use(c.location), use(c.serviceCode), use(c.date), use(c.slots), use(c.open), use(c.close), now;
    return days;
}

std::optional<Capacity> BookingDesk::capacity(const std::string& location, const std::string& serviceCode,
                                              const std::string& date)
{
    std::vector<Poco::Tuple<int, std::string, std::string>> rows;
    std::string l = location, sv = serviceCode, d = date;
    m_db.session() << m_db.q("SELECT slots, open_at, close_at FROM capacity WHERE location = ? AND service_code = ? AND day = ?"),
        use(l), use(sv), use(d), into(rows), now;
    if (rows.empty())
        return std::nullopt;
    return Capacity{location, serviceCode, date, rows.front().get<0>(), rows.front().get<1>(), rows.front().get<2>()};
}

std::vector<Capacity> BookingDesk::capacities(const std::string& from)
{
    std::vector<Poco::Tuple<std::string, std::string, std::string, int, std::string, std::string>> rows;
    std::string f = from;
    m_db.session() << m_db.q("SELECT location, service_code, day, slots, open_at, close_at FROM capacity WHERE day >= ? "
                             "ORDER BY location, service_code, day"),
        use(f), into(rows), now;
    std::vector<Capacity> out;
    for (const auto& r : rows)
        out.push_back({r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>()});
    return out;
}

int BookingDesk::taken(const std::string& location, const std::string& serviceCode, const std::string& date,
                       const std::string& except)
{
    // Field rows, one per field: the booking's status joined with its
    // location, service and day, tombstones left out.
    std::vector<std::int64_t> counts;
    std::string l = location, sv = serviceCode, d = date, x = except;
    m_db.session() << m_db.q("SELECT COUNT(*) FROM fields st "
                             "JOIN fields d ON d.record_id = st.record_id AND d.field = 'date' "
                             "JOIN fields l ON l.record_id = st.record_id AND l.field = 'location' "
                             "JOIN fields sv ON sv.record_id = st.record_id AND sv.field = 'service_code' "
                             "LEFT JOIN fields del ON del.record_id = st.record_id AND del.field = 'deleted' "
                             "WHERE st.kind = 'booking' AND st.field = 'status' AND st.value IN (" +
                             holdingList() +
                             ") AND d.value = ? AND l.value = ? AND sv.value = ? AND st.record_id <> ? "
                             "AND COALESCE(del.value, '0') <> '1' "
                             "AND NOT EXISTS (SELECT 1 FROM escrow_used e WHERE e.booking_id = st.record_id)"),
        use(d), use(l), use(sv), use(x), into(counts), now;
    return counts.empty() ? 0 : static_cast<int>(counts.front());
}

BookingFacts BookingDesk::facts(const std::string& id)
{
    std::vector<Poco::Tuple<std::string, Poco::Nullable<std::string>>> rows;
    std::string i = id;
    m_db.session() << m_db.q("SELECT field, value FROM fields WHERE record_id = ? AND field IN "
                             "('location', 'service_code', 'date', 'slot')"),
        use(i), into(rows), now;
    BookingFacts f;
    f.id = id;
    for (const auto& r : rows)
    {
        const std::string v = fromNullable(r.get<1>()).value_or("");
        if (r.get<0>() == model::field::kLocation)
            f.location = v;
        else if (r.get<0>() == model::field::kServiceCode)
            f.serviceCode = v;
        else if (r.get<0>() == model::field::kDate)
            f.date = v;
        else if (r.get<0>() == model::field::kSlot)
            f.slot = v;
    }
    return f;
}

BookingDecision BookingDesk::decide(const BookingFacts& b, const std::string& nowLocal,
                                   const model::Suspension* closedBy)
{
    BookingDecision out;
    out.capacity = capacity(b.location, b.serviceCode, b.date);
    const auto overbooked = [&](BookingVerdict v, std::string reason) {
        out.verdict = v;
        out.status = "overbooked";
        out.reason = std::move(reason);
        return out;
    };
    // The clerk reads these on the booking (a note), in the office's language.
    if (b.date + "T" + b.slot < nowLocal)
        return overbooked(BookingVerdict::SlotPassed,
                          "Slot " + b.date + " " + b.slot + " sudah lewat ketika pemesanan ini diterima kantor pusat; "
                          "jadwalkan ulang.");
    if (closedBy)
        return overbooked(BookingVerdict::Suspended,
                          "Loket " + b.location + " ditutup pada " + b.date + " oleh " + closedBy->title() +
                              " (mulai " + closedBy->from +
                              (closedBy->to.empty() ? std::string(" sampai ada pemberitahuan lebih lanjut")
                                                    : " sampai " + closedBy->to) +
                              "); jadwalkan ulang atau gunakan layanan daring.");
    if (out.capacity && !out.capacity->open.empty() &&
        (b.slot < out.capacity->open || b.slot >= out.capacity->close))
        return overbooked(BookingVerdict::OutsideHours,
                          "Slot " + b.slot + " di luar jam layanan " + b.location + " pada " + b.date + " (" +
                              out.capacity->open + "-" + out.capacity->close + "); jadwalkan ulang.");
    out.taken = out.capacity ? taken(b.location, b.serviceCode, b.date, b.id) +
                                   reserved(b.location, b.serviceCode, b.date)
                             : 0;
    if (out.capacity && out.taken >= out.capacity->slots)
        return overbooked(BookingVerdict::Full,
                          "Kuota penuh: " + std::to_string(out.taken) + " dari " + std::to_string(out.capacity->slots) +
                              " slot layanan " + b.serviceCode + " di " + b.location + " pada " + b.date +
                              " sudah terkonfirmasi; jadwalkan ulang.");
    out.verdict = BookingVerdict::Confirmed;
    out.status = "confirmed";
    return out;
}

std::vector<std::string> BookingDesk::missed(const std::string& thresholdLocal)
{
    std::vector<Poco::Tuple<std::string, std::string, std::string>> rows;
    std::string day = thresholdLocal.substr(0, 10);
    m_db.session() << m_db.q("SELECT st.record_id, d.value, sl.value FROM fields st "
                             "JOIN fields d ON d.record_id = st.record_id AND d.field = 'date' "
                             "JOIN fields sl ON sl.record_id = st.record_id AND sl.field = 'slot' "
                             "LEFT JOIN fields del ON del.record_id = st.record_id AND del.field = 'deleted' "
                             "WHERE st.kind = 'booking' AND st.field = 'status' AND st.value = 'confirmed' "
                             "AND d.value <= ? AND COALESCE(del.value, '0') <> '1' ORDER BY st.record_id"),
        use(day), into(rows), now;
    std::vector<std::string> out;
    for (const auto& r : rows)
        if (r.get<1>() + "T" + r.get<2>() <= thresholdLocal)
            out.push_back(r.get<0>());
    return out;
}

std::vector<EscrowGrant> BookingDesk::grant(const std::string& deviceId, const CapacityRequest& r)
{
    if (r.location.empty())
        throw Error(ErrorCode::InvalidData, "location: is required (e.g. --location=MPP)");
    if (r.serviceCode.empty())
        throw Error(ErrorCode::InvalidData, "service: is required (e.g. --service=PBG)");
    const auto [dayList, slots] = daysOf(r);
    std::vector<EscrowGrant> out;
    for (const std::string& day : dayList)
    {
        const auto cap = capacity(r.location, r.serviceCode, day);
        if (!cap)
            throw Error(ErrorCode::InvalidData, "date: no capacity is set for " + r.serviceCode + " at " + r.location +
                                                    " on " + day + "; set it first (berkas-server capacity)");
        EscrowGrant held{deviceId, r.location, r.serviceCode, day, 0, 0, false};
        for (const auto& g : grantsFor(r.location, r.serviceCode, day))
            if (g.deviceId == deviceId)
                held = g;
        if (held.released)
            throw Error(ErrorCode::InvalidData, "date: device " + deviceId + " already gave back its slots of " + day);
        if (slots < held.slots)
            throw Error(ErrorCode::InvalidData,
                        "slots: a grant cannot be lowered (the device may have promised its slots offline): at least " +
                            std::to_string(held.slots) + " for " + day + ", got " + std::to_string(slots));
        const int others = reserved(r.location, r.serviceCode, day) - held.slots;
        const int pool = taken(r.location, r.serviceCode, day);
        if (pool + others + slots > cap->slots)
            throw Error(ErrorCode::InvalidData,
                        "slots: at most " + std::to_string(std::max(0, cap->slots - pool - others)) + " of the " +
                            std::to_string(cap->slots) + " slots of " + day + " are free to grant (" +
                            std::to_string(pool) + " booked, " + std::to_string(others) +
                            " granted to other devices), got " + std::to_string(slots));
        held.slots = slots;
        out.push_back(held);
    }
    auto& s = m_db.session();
    for (auto& g : out)
        s << m_db.q("INSERT INTO escrow (device_id, location, service_code, day, slots) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (device_id, location, service_code, day) DO UPDATE SET slots = excluded.slots"),
            use(g.deviceId), use(g.location), use(g.serviceCode), use(g.date), use(g.slots), now;
    return out;
}

namespace {

using GrantRow = Poco::Tuple<std::string, std::string, std::string, std::string, int, int, std::int64_t>;

const char* const kGrantSelect =
    "SELECT g.device_id, g.location, g.service_code, g.day, g.slots, g.released, "
    "(SELECT COUNT(*) FROM escrow_used u WHERE u.device_id = g.device_id AND u.location = g.location "
    "AND u.service_code = g.service_code AND u.day = g.day) FROM escrow g ";

EscrowGrant grantOf(const GrantRow& r)
{
    return {r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), static_cast<int>(r.get<6>()), r.get<5>() != 0};
}

} // namespace

std::vector<EscrowGrant> BookingDesk::grantsOf(const std::string& deviceId, const std::string& today)
{
    std::vector<GrantRow> rows;
    std::string d = deviceId, t = today;
    m_db.session() << m_db.q(std::string(kGrantSelect) +
                             "WHERE g.device_id = ? AND g.day > ? AND g.released = 0 ORDER BY g.day, g.location, g.service_code"),
        use(d), use(t), into(rows), now;
    std::vector<EscrowGrant> out;
    for (const auto& r : rows)
        out.push_back(grantOf(r));
    return out;
}

std::vector<EscrowGrant> BookingDesk::grantsFor(const std::string& location, const std::string& serviceCode,
                                                const std::string& date)
{
    std::vector<GrantRow> rows;
    std::string l = location, sv = serviceCode, d = date;
    m_db.session() << m_db.q(std::string(kGrantSelect) +
                             "WHERE g.location = ? AND g.service_code = ? AND g.day = ? ORDER BY g.device_id"),
        use(l), use(sv), use(d), into(rows), now;
    std::vector<EscrowGrant> out;
    for (const auto& r : rows)
        out.push_back(grantOf(r));
    return out;
}

int BookingDesk::reserved(const std::string& location, const std::string& serviceCode, const std::string& date)
{
    int sum = 0;
    for (const auto& g : grantsFor(location, serviceCode, date))
        sum += g.released ? g.used : std::max(g.slots, g.used);
    return sum;
}

bool BookingDesk::escrowAvailable(const std::string& deviceId, const std::string& location,
                                  const std::string& serviceCode, const std::string& date, int pendingInBatch)
{
    for (const auto& g : grantsFor(location, serviceCode, date))
        if (g.deviceId == deviceId)
            return !g.released && g.used + pendingInBatch < g.slots;
    return false;
}

void BookingDesk::useEscrow(const std::string& bookingId, const std::string& deviceId, const std::string& location,
                            const std::string& serviceCode, const std::string& date)
{
    std::string b = bookingId, d = deviceId, l = location, sv = serviceCode, day = date;
    m_db.session() << m_db.q("INSERT INTO escrow_used (booking_id, device_id, location, service_code, day) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (booking_id) DO NOTHING"),
        use(b), use(d), use(l), use(sv), use(day), now;
}

void BookingDesk::release(const std::string& deviceId, const std::string& location, const std::string& serviceCode,
                          const std::string& date)
{
    std::string d = deviceId, l = location, sv = serviceCode, day = date;
    m_db.session() << m_db.q("UPDATE escrow SET released = 1 WHERE device_id = ? AND location = ? AND service_code = ? "
                             "AND day = ?"),
        use(d), use(l), use(sv), use(day), now;
}

} // namespace berkas::sync
