#include "model/FullTextHold.h"

namespace berkas::model {

void FullTextHold::during(const std::function<void()>& work)
{
    hold();
    try
    {
        work();
    }
    catch (...)
    {
        try
        {
            release();
        }
        catch (...)
        {
        }
        throw;
    }
    release();
}

void FullTextHold::hold()
{
    if (!m_held.empty())
        return;
    // FTS5 writes out its pending terms at every statement of a transaction
    // once it has joined it, so indexing a pull one row at a time through the
    // insert trigger cost most of the pull.
    for (const auto& kind : kinds())
    {
        if (fullTextColumns(kind).empty())
            continue;
        Held held;
        held.kind = &kind;
        Statement& trigger = m_statements.get("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
        trigger.bind(1, kind.table + "_fts_ai");
        if (!trigger.step())
            continue;
        held.trigger = trigger.text(0);
        trigger.reset();
        // Rowids only grow while held (deletes release first), so the rows
        // to index are those after the largest one now.
        Statement last(m_db, "SELECT coalesce(max(rowid), 0) FROM " + kind.table);
        last.step();
        held.after = last.integer(0);
        m_held[kind.table] = held;
    }
    for (const auto& [table, held] : m_held)
        m_db.exec("DROP TRIGGER " + table + "_fts_ai");
}

void FullTextHold::releaseFor(const KindDef& kind, const std::string& id)
{
    const auto it = m_held.find(kind.table);
    if (it == m_held.end())
        return;
    Statement& row = m_statements.get("SELECT rowid FROM " + kind.table + " WHERE id = ?");
    row.bind(1, id);
    const bool added = row.step() && row.integer(0) > it->second.after;
    row.reset();
    if (added)
        release();
}

void FullTextHold::releaseBeforeDelete(const KindDef& kind)
{
    if (m_held.count(kind.table))
        release();
}

void FullTextHold::release()
{
    if (m_held.empty())
        return;
    const auto held = std::move(m_held);
    m_held.clear();
    for (const auto& [table, h] : held)
    {
        const std::string columns(fullTextColumns(*h.kind));
        Statement index(m_db, "INSERT INTO " + table + "_fts (rowid, " + columns + ") SELECT rowid, " + columns +
                                  " FROM " + table + " WHERE rowid > ?");
        index.bind(1, h.after).run();
        m_db.exec(h.trigger);
    }
}

} // namespace berkas::model
