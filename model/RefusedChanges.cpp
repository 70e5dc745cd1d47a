#include "model/RefusedChanges.h"

#include "model/Error.h"
#include "model/Uuid.h"

namespace berkas::model {

namespace {

RefusalNotice rowToNotice(Statement& s)
{
    RefusalNotice n;
    n.id = s.text(0);
    n.at = s.text(1);
    n.recordKind = s.text(2);
    n.recordId = s.text(3);
    n.field = s.text(4);
    n.value = s.text(5);
    n.code = s.text(6);
    n.reason = s.text(7);
    n.serverValue = s.text(8);
    n.held = s.integer(9) != 0;
    n.status = s.text(10);
    n.resolution = s.text(11);
    return n;
}

constexpr const char* kColumns =
    "id, at, record_kind, record_id, field, value, code, reason, server_value, held, status, resolution";

} // namespace

RefusedChanges::RefusedChanges(CaseStore& store) : m_store(store)
{
}

void RefusedChanges::keepNotice(const OutboxEntry& entry, const RefusedChange& refused)
{
    Statement s(m_store.database(),
                "INSERT INTO refusal (id, at, record_kind, record_id, field, value, change_seq, code, reason, "
                "server_value, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id, change_seq) "
                "DO NOTHING");
    s.bind(1, newUuidV7())
        .bind(2, m_store.nowIso())
        .bind(3, entry.kind)
        .bind(4, entry.recordId)
        .bind(5, entry.field)
        .bindOptional(6, entry.value)
        .bind(7, entry.seq)
        .bind(8, refused.code)
        .bind(9, refused.reason)
        .bindOptional(10, refused.held ? refused.serverValue : std::nullopt)
        .bind(11, static_cast<std::int64_t>(refused.held ? 1 : 0))
        .run();
}

void RefusedChanges::apply(const RefusedChange& refused)
{
    const OutboxEntry& e = refused.entry;
    keepNotice(e, refused);
    if (refused.held)
    {
        // A clerk of 32.75.09 moves an application to 32.75.01; the server
        // refuses the move. The laptop shows 32.75.09 again, with the
        // server's stamp, so that the next edit of the field is based on
        // what every replica holds; an edit made meanwhile and not pushed
        // yet stays, now based on that stamp.
        const auto local = m_store.replicaState(e.kind, e.recordId);
        if (local && local->stampOf(e.field) == e.stamp)
            m_store.writeReplicated(e.kind, e.recordId, {{e.field, refused.serverValue}}, {refused.serverStamp},
                                    refused.serverUser, &local);
        Statement rebase(m_store.database(),
                         "UPDATE outbox SET base_hlc = ?, base_device = ? WHERE record_id = ? AND field = ? AND "
                         "seq > ? AND base_hlc = ? AND base_device = ?");
        rebase.bind(1, refused.serverStamp.hlc)
            .bind(2, refused.serverStamp.device)
            .bind(3, e.recordId)
            .bind(4, e.field)
            .bind(5, e.seq)
            .bind(6, e.stamp.hlc)
            .bind(7, e.stamp.device)
            .run();
        return;
    }
    // The server refused the record whole (a new application of another
    // kecamatan, one without its required fields) or the user may not read
    // it: it leaves this laptop, and whatever was typed into it since and
    // not pushed is kept in a notice too, not sent.
    {
        Statement later(m_store.database(),
                        "SELECT seq, kind, record_id, field, value FROM outbox WHERE record_id = ? AND seq > ? "
                        "ORDER BY seq");
        later.bind(1, e.recordId).bind(2, e.seq);
        std::vector<OutboxEntry> pending;
        while (later.step())
        {
            OutboxEntry p;
            p.seq = later.integer(0);
            p.kind = later.text(1);
            p.recordId = later.text(2);
            p.field = later.text(3);
            if (!later.isNull(4))
                p.value = later.text(4);
            pending.push_back(std::move(p));
        }
        for (const auto& p : pending)
            keepNotice(p, refused);
    }
    Statement drop(m_store.database(), "DELETE FROM outbox WHERE record_id = ? AND seq > ?");
    drop.bind(1, e.recordId).bind(2, e.seq).run();
    m_store.purgeLocal(e.kind, e.recordId, "refused by the central office");
}

std::vector<RefusalNotice> RefusedChanges::open()
{
    Statement s(m_store.database(),
                std::string("SELECT ") + kColumns + " FROM refusal WHERE status = 'open' ORDER BY at, change_seq");
    std::vector<RefusalNotice> out;
    while (s.step())
        out.push_back(rowToNotice(s));
    return out;
}

std::optional<RefusalNotice> RefusedChanges::find(const std::string& id)
{
    Statement s(m_store.database(), std::string("SELECT ") + kColumns + " FROM refusal WHERE id = ?");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    return rowToNotice(s);
}

void RefusedChanges::settle(const std::string& id, const std::string& keep, const std::string& value)
{
    const auto notice = find(id);
    if (!notice)
        throw Error(ErrorCode::NotFound, "id: no refused change with id " + id);
    if (notice->status != "open")
        throw Error(ErrorCode::InvalidData, "id: this refused change is already settled (" + notice->resolution + ")");
    if (keep != "remote" && keep != "local" && keep != "value")
        throw Error(ErrorCode::InvalidData, "keep: must be local, remote or value=VALUE, got \"" + keep + "\"");
    m_store.inBatch([&] {
        std::string resolution = "kept the central office's value";
        if (keep != "remote")
        {
            if (!m_store.find(notice->recordKind, notice->recordId))
                throw Error(ErrorCode::InvalidData,
                            "keep: the central office refused this " + notice->recordKind +
                                " whole and it is no longer on this laptop; create it again, or dismiss the notice "
                                "with --keep=remote");
            const std::string chosen = keep == "local" ? notice->value : value;
            m_store.update(notice->recordId, {{notice->field, chosen}});
            resolution = "sent again: " + chosen;
        }
        Statement s(m_store.database(),
                    "UPDATE refusal SET status = ?, resolution = ? WHERE id = ?");
        s.bind(1, keep == "remote" ? "dismissed" : "settled").bind(2, resolution).bind(3, id).run();
    });
}

} // namespace berkas::model
