#include "sync/server/ReplayApplier.h"

#include "model/Error.h"
#include "model/Regions.h"
#include "model/Schema.h"
#include "model/Uuid.h"
#include "sync/server/ChangeRules.h"
#include "sync/server/FieldTable.h"
#include "sync/server/RegNumbers.h"
#include "sync/server/ScopeRules.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/StoredLookup.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Logger.h>

#include <map>
#include <set>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

ReplayApplier::ReplayApplier(ServerDatabase& db, FieldTable& fields, RegNumbers& regNumbers,
                             model::HybridLogicalClock& clock)
    : m_db(db), m_fields(fields), m_regNumbers(regNumbers), m_clock(clock)
{
}

ReplayResult ReplayApplier::replay(const Principal& principal, const std::string& lastEpoch, const std::string& epoch,
                                   const std::vector<WireChange>& changes)
{
    if (lastEpoch.empty() || lastEpoch == epoch)
        throw Error(ErrorCode::InvalidData, "epoch: a replay is taken only from a laptop that last synced with the "
                                            "central office before it was restored (another epoch than " + epoch + ")");
    const std::int64_t nowMs = m_db.options().clockMs();
    for (const auto& c : changes)
    {
        const model::KindDef* kind = model::findKind(c.kind);
        if (!kind)
            throw Error(ErrorCode::InvalidData, "records: unknown kind \"" + c.kind + "\"");
        const bool common = c.field == model::field::kCreatedAt || c.field == model::field::kDeleted;
        if (!common && !kind->field(c.field))
            throw Error(ErrorCode::InvalidData, "records: unknown field \"" + c.field + "\" of " + c.kind);
        if (!model::isUuid(c.id))
            throw Error(ErrorCode::InvalidData, "records: id must be a UUID");
        if (c.value && (c.value->size() > kMaxValueBytes || !isValidUtf8(*c.value)))
            throw Error(ErrorCode::InvalidData, "records: value of " + c.field + " is over " +
                                                    std::to_string(kMaxValueBytes) + " bytes or not UTF-8");
        if (c.stamp.isZero() || c.stamp.device.empty())
            throw Error(ErrorCode::InvalidData, "records: a replayed value needs its stamp (" + c.field + ")");
        if (model::HybridLogicalClock::physicalMs(c.stamp.hlc) - nowMs > kMaxClockAheadMs)
            throw Error(ErrorCode::InvalidData, "records: a stamp of " + c.field + " is ahead of the central office's clock");
    }

    auto& s = m_db.session();
    Poco::Data::Transaction tx(s);
    if (m_db.postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    // Scope: a record the server holds is judged as it holds it, one it
    // lacks as the replay brings it.
    StoredLookup stored(m_db, m_fields);
    std::map<std::string, std::string> replayKinds;
    std::map<std::pair<std::string, std::string>, std::optional<std::string>> replayValues;
    for (const auto& c : changes)
    {
        replayKinds.emplace(c.id, c.kind);
        replayValues[{c.id, c.field}] = c.value;
    }
    RecordLookup after = stored.lookup;
    after.kindOf = [&](const std::string& id) -> std::optional<std::string> {
        if (auto k = stored.lookup.kindOf(id))
            return k;
        if (const auto it = replayKinds.find(id); it != replayKinds.end())
            return it->second;
        return std::nullopt;
    };
    after.value = [&](const std::string& id, const std::string& field) -> std::optional<std::string> {
        if (!stored.lookup.kindOf(id))
            if (const auto it = replayValues.find({id, field}); it != replayValues.end())
                return it->second;
        return stored.lookup.value(id, field);
    };
    std::map<std::string, bool> inScope;
    const model::Regions& regions = model::Regions::standard();

    ReplayResult result;
    std::int64_t seq = m_db.counter("seq");
    std::set<std::string> applications; // applications this replay touched
    std::set<std::string> recorded;
    for (const auto& c : changes)
    {
        const auto held = stored.lookup.kindOf(c.id);
        if (held && *held != c.kind)
        {
            ++result.refused;
            continue;
        }
        auto scope = inScope.find(c.id);
        if (scope == inScope.end())
            scope = inScope.emplace(c.id, readable(principal, c.kind, c.id, after)).first;
        if (!scope->second)
        {
            ++result.refused;
            continue;
        }
        if (!(m_fields.stamp(c.id, c.field) < c.stamp))
        {
            ++result.kept;
            continue;
        }
        const model::KindDef& kind = model::requireKind(c.kind);
        const model::FieldDef* fd = kind.field(c.field);
        if (c.field == model::field::kRegNo)
        {
            // Trusted only where the server has no number: it is one the
            // lost database issued, and the counter moves past it.
            if (const auto number = m_fields.value(c.id, c.field); number && !number->empty())
            {
                ++result.kept;
                continue;
            }
            if (c.value)
                m_regNumbers.movePast(*c.value);
        }
        else if (c.kind != "conflict" && !(fd && fd->access == model::FieldAccess::Server))
        {
            // The value rules of a new record: its form, not who may write it.
            // A booking's confirmed or overbooked stamped by the server is a
            // decision the lost database made and the applicant may have been
            // told: taken back as it was, like a lost reg_no.
            const bool lostDecision = c.kind == model::kind::kBooking && c.field == model::field::kStatus &&
                                      c.stamp.device == m_db.options().serverDevice;
            if (!lostDecision && checkPushedField(kind, c.field, c.value, true, regions))
            {
                ++result.refused;
                continue;
            }
        }
        if (!held && recorded.insert(c.id).second)
        {
            std::string k = c.kind;
            std::string i = c.id;
            s << m_db.q("INSERT INTO records (record_id, kind) VALUES (?, ?) ON CONFLICT (record_id) DO NOTHING"), use(i),
                use(k), now;
        }
        m_clock.observe(c.stamp.hlc);
        m_fields.writeField(c.kind, c.id, c.field, c.value, c.stamp, c.user.empty() ? principal.name : c.user, ++seq);
        ++result.taken;
        if (c.kind == "application")
            applications.insert(c.id);
    }
    // An application whose number was issued by the lost database and never
    // reached a laptop gets a new one.
    for (const auto& id : applications)
    {
        const auto service = m_fields.value(id, model::field::kServiceCode);
        const auto regNo = m_fields.value(id, model::field::kRegNo);
        if (!service || service->empty() || (regNo && !regNo->empty()))
            continue;
        const model::Stamp serverStamp{m_clock.now(), m_db.options().serverDevice};
        m_fields.writeField("application", id, model::field::kRegNo, m_regNumbers.assign(*service, nowMs), serverStamp,
                            "server", ++seq);
    }
    m_db.setCounter("seq", seq);
    m_db.setCounter("hlc", m_clock.last());
    tx.commit();
    Poco::Logger::get("berkas.server")
        .information("replay by %s: %Ld values taken back, %Ld already held, %Ld refused", principal.name,
                     static_cast<Poco::Int64>(result.taken), static_cast<Poco::Int64>(result.kept),
                     static_cast<Poco::Int64>(result.refused));
    return result;
}

} // namespace berkas::sync
