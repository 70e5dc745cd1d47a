#include "model/Outbox.h"

namespace berkas::model {

namespace {

/// One outbox row as SELECT seq, kind, record_id, field, value, hlc,
/// base_hlc, base_device, user gives it; the stamp is this device's.
OutboxEntry outboxEntry(Statement& s, const std::string& deviceId)
{
    OutboxEntry e;
    e.seq = s.integer(0);
    e.kind = s.text(1);
    e.recordId = s.text(2);
    e.field = s.text(3);
    if (!s.isNull(4))
        e.value = s.text(4);
    e.stamp = {s.integer(5), deviceId};
    e.base = {s.integer(6), s.text(7)};
    e.user = s.text(8);
    return e;
}

/// The INSERT of @p rows outbox rows at once, 8 parameters per row: kind,
/// record_id, field, value, hlc, base_hlc, base_device, user. One statement per
/// write instead of one per field: each statement on outbox (AUTOINCREMENT)
/// opens a statement savepoint, and with FTS tables in the transaction that
/// savepoint is the expensive part of a bulk intake.
std::string insertSql(std::size_t rows)
{
    std::string text = "INSERT INTO outbox(kind, record_id, field, value, hlc, base_hlc, base_device, user) VALUES ";
    for (std::size_t i = 0; i < rows; ++i)
        text += i ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)";
    return text;
}

const char* const kColumns = "SELECT seq, kind, record_id, field, value, hlc, base_hlc, base_device, user FROM outbox ";

} // namespace

void Outbox::append(const std::string& kind, const std::string& id, std::int64_t hlc, const std::string& user,
                    const std::vector<Change>& changes)
{
    if (changes.empty())
        return;
    Statement& insert = m_statements.get(insertSql(changes.size()));
    int p = 1;
    for (const auto& c : changes)
    {
        insert.bind(p, kind).bind(p + 1, id).bind(p + 2, c.field).bind(p + 3, c.value).bind(p + 4, hlc)
            .bind(p + 5, c.base.hlc).bind(p + 6, c.base.device).bind(p + 7, user);
        p += 8;
    }
    insert.run();
}

std::vector<OutboxEntry> Outbox::entries(std::size_t limit, std::int64_t afterSeq)
{
    Statement& s = m_statements.get(std::string(kColumns) + "WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, afterSeq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxEntry> entries;
    while (s.step())
        entries.push_back(outboxEntry(s, m_deviceId));
    s.reset();
    return entries;
}

std::int64_t Outbox::size()
{
    Statement& s = m_statements.get("SELECT count(*) FROM outbox");
    s.step();
    const auto n = s.integer(0);
    s.reset();
    return n;
}

void Outbox::acknowledge(std::int64_t seq)
{
    Statement& s = m_statements.get("DELETE FROM outbox WHERE seq <= ?");
    s.bind(1, seq).run();
}

std::map<std::string, OutboxEntry> Outbox::pending(const std::string& recordId)
{
    Statement& s = m_statements.get(std::string(kColumns) + "WHERE record_id = ? ORDER BY seq");
    s.bind(1, recordId);
    std::map<std::string, OutboxEntry> out;
    while (s.step())
    {
        OutboxEntry e = outboxEntry(s, m_deviceId);
        out[e.field] = std::move(e); // the newest of a field stays
    }
    s.reset();
    return out;
}

bool Outbox::hasPending(const std::string& recordId, const std::string& field)
{
    Statement& s = m_statements.get("SELECT 1 FROM outbox WHERE record_id = ? AND field = ? LIMIT 1");
    s.bind(1, recordId).bind(2, field);
    const bool pending = s.step();
    s.reset();
    return pending;
}

} // namespace berkas::model
