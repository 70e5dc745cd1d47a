#include "sync/server/MailQueue.h"

#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Nullable.h>
#include <Poco/Tuple.h>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

constexpr const char* kColumns = "id, event_key, event, record_kind, record_id, recipient, mail_values, created_at, "
                                 "status, attempts, next_attempt, sent_at, last_error";

using Row = Poco::Tuple<std::int64_t, std::string, std::string, std::string, std::string, std::string, std::string,
                        std::string, std::string, std::int64_t, std::int64_t, Poco::Nullable<std::string>,
                        Poco::Nullable<std::string>>;

QueuedMail fromRow(const Row& r)
{
    QueuedMail m;
    m.id = r.get<0>();
    m.eventKey = r.get<1>();
    m.event = r.get<2>();
    m.recordKind = r.get<3>();
    m.recordId = r.get<4>();
    m.recipient = r.get<5>();
    m.values = r.get<6>();
    m.createdAt = r.get<7>();
    m.status = r.get<8>();
    m.attempts = static_cast<int>(r.get<9>());
    m.nextAttemptMs = r.get<10>();
    m.sentAt = fromNullable(r.get<11>()).value_or("");
    m.lastError = fromNullable(r.get<12>()).value_or("");
    return m;
}

} // namespace

MailQueue::MailQueue(ServerDatabase& db) : m_db(db) {}

bool MailQueue::enqueue(const QueuedMail& mail, std::int64_t nowMs)
{
    auto& s = m_db.session();
    std::vector<std::int64_t> held;
    std::string key = mail.eventKey;
    s << m_db.q("SELECT id FROM mail_queue WHERE event_key = ?"), use(key), into(held), now;
    if (!held.empty())
        return false;
    QueuedMail m = mail;
    std::string status = kQueued;
    std::int64_t due = nowMs;
    // The unique event key is the last word: ON CONFLICT keeps a second
    // insert of one event out whatever reached this point.
    s << m_db.q("INSERT INTO mail_queue (event_key, event, record_kind, record_id, recipient, mail_values, created_at, "
                "status, attempts, next_attempt, lease_owner, lease_until) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', 0) ON CONFLICT (event_key) DO NOTHING"),
        use(m.eventKey), use(m.event), use(m.recordKind), use(m.recordId), use(m.recipient), use(m.values),
        use(m.createdAt), use(status), use(due), now;
    return true;
}

std::optional<QueuedMail> MailQueue::claim(const std::string& owner, std::int64_t nowMs, std::int64_t leaseMs)
{
    auto& s = m_db.session();
    Poco::Data::Transaction tx(s);
    std::string status = kQueued;
    std::int64_t due = nowMs;
    std::int64_t free = nowMs;
    std::vector<std::int64_t> ids;
    // PostgreSQL: a row another process is claiming right now is skipped,
    // not waited for. SQLite has one writer at a time; the UPDATE below
    // checks the lease again either way.
    s << m_db.q(std::string("SELECT id FROM mail_queue WHERE status = ? AND next_attempt <= ? AND lease_until <= ? "
                            "ORDER BY id LIMIT 1") +
                (m_db.postgres() ? " FOR UPDATE SKIP LOCKED" : "")),
        use(status), use(due), use(free), into(ids), now;
    if (ids.empty())
    {
        tx.commit();
        return std::nullopt;
    }
    std::int64_t id = ids.front();
    std::string o = owner;
    std::int64_t until = nowMs + leaseMs;
    s << m_db.q("UPDATE mail_queue SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = ? AND lease_until <= ?"),
        use(o), use(until), use(id), use(status), use(free), now;
    std::vector<Row> rows;
    s << m_db.q(std::string("SELECT ") + kColumns + " FROM mail_queue WHERE id = ? AND lease_owner = ? AND lease_until = ?"),
        use(id), use(o), use(until), into(rows), now;
    tx.commit();
    if (rows.empty())
        return std::nullopt;
    return fromRow(rows.front());
}

bool MailQueue::markSent(std::int64_t id, const std::string& owner, const std::string& at)
{
    auto& s = m_db.session();
    Poco::Data::Transaction tx(s);
    std::string o = owner;
    std::vector<std::int64_t> mine;
    s << m_db.q("SELECT id FROM mail_queue WHERE id = ? AND lease_owner = ?"), use(id), use(o), into(mine), now;
    if (mine.empty())
    {
        tx.commit();
        return false;
    }
    std::string status = kSent;
    std::string sentAt = at;
    s << m_db.q("UPDATE mail_queue SET status = ?, sent_at = ?, lease_owner = '', lease_until = 0 WHERE id = ?"),
        use(status), use(sentAt), use(id), now;
    tx.commit();
    return true;
}

void MailQueue::retryLater(std::int64_t id, const std::string& owner, std::int64_t nextAttemptMs,
                           const std::string& error)
{
    auto& s = m_db.session();
    std::string o = owner;
    std::string e = error;
    s << m_db.q("UPDATE mail_queue SET attempts = attempts + 1, next_attempt = ?, last_error = ?, lease_owner = '', "
                "lease_until = 0 WHERE id = ? AND lease_owner = ?"),
        use(nextAttemptMs), use(e), use(id), use(o), now;
}

void MailQueue::markFailed(std::int64_t id, const std::string& owner, const std::string& error)
{
    auto& s = m_db.session();
    std::string o = owner;
    std::string e = error;
    std::string status = kFailed;
    s << m_db.q("UPDATE mail_queue SET status = ?, attempts = attempts + 1, last_error = ?, lease_owner = '', "
                "lease_until = 0 WHERE id = ? AND lease_owner = ?"),
        use(status), use(e), use(id), use(o), now;
}

std::vector<QueuedMail> MailQueue::list(std::size_t limit)
{
    auto& s = m_db.session();
    std::vector<Row> rows;
    std::int64_t n = static_cast<std::int64_t>(limit);
    s << m_db.q(std::string("SELECT ") + kColumns + " FROM mail_queue ORDER BY id DESC LIMIT ?"), use(n), into(rows),
        now;
    std::vector<QueuedMail> out;
    out.reserve(rows.size());
    for (const Row& r : rows)
        out.push_back(fromRow(r));
    return out;
}

} // namespace berkas::sync
