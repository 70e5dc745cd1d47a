#include "sync/server/ServerAudit.h"

#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include <algorithm>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

ServerAudit::ServerAudit(ServerDatabase& db) : m_db(db) {}

std::vector<ServerAuditEntry> ServerAudit::entries(const std::string& user, const std::string& since, std::size_t limit)
{
    std::string u = user;
    std::string from = since;
    std::int64_t lim = static_cast<std::int64_t>(limit);
    std::vector<std::int64_t> ids;
    std::vector<std::string> ats, users, devs, addresses, kinds, records, fieldNames, outcomes, reasons;
    std::vector<Poco::Nullable<std::string>> values;
    std::vector<std::int64_t> seqs;
    // Times are ISO 8601 in one zone, so text order is time order.
    m_db.session() << m_db.q("SELECT id, at, user_name, device, address, kind, record_id, field, value, change_seq, "
                             "outcome, reason FROM audit WHERE (? = '' OR user_name = ?) AND (? = '' OR at >= ?) "
                             "ORDER BY id LIMIT ?"),
        use(u), use(u), use(from), use(from), use(lim), into(ids), into(ats), into(users), into(devs), into(addresses),
        into(kinds), into(records), into(fieldNames), into(values), into(seqs), into(outcomes), into(reasons), now;
    std::vector<ServerAuditEntry> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        out[i] = {ids[i],   ats[i],        users[i],         devs[i], addresses[i], kinds[i],
                  records[i], fieldNames[i], fromNullable(values[i]), seqs[i], outcomes[i], reasons[i]};
    return out;
}

void ServerAudit::add(const std::string& at, const std::string& user, const std::string& device,
                      const std::string& address, const WireChange& c, const std::string& outcome,
                      const std::string& reason, RefusalCode code)
{
    Line line{at, user, device, address, c.kind, c.id, c.field, toNullable(c.value), c.seq, outcome, reason, c.stamp.hlc, {}};
    if (code != RefusalCode::None)
        line.code = refusalCodeName(code);
    m_pending.push_back(std::move(line));
}

void ServerAudit::flush()
{
    constexpr std::size_t kRows = 100;
    auto& s = m_db.session();
    for (std::size_t from = 0; from < m_pending.size(); from += kRows)
    {
        const std::size_t n = std::min(kRows, m_pending.size() - from);
        std::string sql = "INSERT INTO audit (at, user_name, device, address, kind, record_id, field, value, change_seq, "
                          "outcome, reason, hlc, code) VALUES ";
        for (std::size_t i = 0; i < n; ++i)
            sql += i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        Poco::Data::Statement st(s);
        st << m_db.q(sql);
        for (std::size_t i = from; i < from + n; ++i)
        {
            Line& l = m_pending[i];
            st, use(l.at), use(l.user), use(l.device), use(l.address), use(l.kind), use(l.recordId), use(l.field),
                use(l.value), use(l.changeSeq), use(l.outcome), use(l.reason), use(l.hlc), use(l.code);
        }
        st.execute();
    }
    m_pending.clear();
}

std::map<std::int64_t, ServerAudit::TakenChange> ServerAudit::taken(const std::string& device, std::int64_t from,
                                                                   std::int64_t to)
{
    std::map<std::int64_t, TakenChange> taken;
    std::vector<Poco::Tuple<std::int64_t, Poco::Nullable<std::int64_t>, std::string, std::string, std::string,
                            Poco::Nullable<std::string>, std::string>>
        rows;
    std::string dev = device;
    m_db.session() << m_db.q("SELECT change_seq, hlc, record_id, field, outcome, code, reason FROM audit WHERE "
                             "device = ? AND change_seq >= ? AND change_seq <= ?"),
        use(dev), use(from), use(to), into(rows), now;
    for (auto& r : rows)
        taken[r.get<0>()] = {r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(),
                             r.get<5>().isNull() ? std::string() : r.get<5>().value(), r.get<6>()};
    return taken;
}

} // namespace berkas::sync
