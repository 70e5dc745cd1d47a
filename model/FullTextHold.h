#pragma once

#include "model/Schema.h"
#include "model/StatementCache.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace berkas::model {

/// Holds back the full-text indexing of new rows during a bulk write (a
/// pull, CaseStore::inBulk) and indexes them in one statement at the end,
/// which FTS5 makes several times faster than a row at a time. Only inside a
/// transaction: the insert triggers are dropped in it and put back before it
/// ends, so a crash rolls both back and no other connection sees them
/// missing. Searches while held do not see the rows added since.
class FullTextHold
{
public:
    FullTextHold(Database& db, StatementCache& statements) : m_db(db), m_statements(statements) {}

    /// Runs @p work with the indexing held, and indexes what it added at
    /// the end, also when it throws: should a caller catch that and commit
    /// the rest, nothing is left on hold.
    void during(const std::function<void()>& work);

    /// Starts holding (nothing when already held).
    void hold();
    /// Indexes every row added since hold() and puts the triggers back.
    void release();
    /// Releases the hold when record @p id of @p kind was added while it
    /// lasted: an update or delete trigger must not take out terms that were
    /// never put in. Rows from before the hold may change freely.
    void releaseFor(const KindDef& kind, const std::string& id);
    /// Releases the hold before a row of @p kind is deleted: once the largest
    /// rowid is gone SQLite hands it out again, which would hide the next new
    /// row from the hold.
    void releaseBeforeDelete(const KindDef& kind);

private:
    struct Held
    {
        const KindDef* kind = nullptr;
        std::int64_t after = 0; ///< the largest rowid before the hold
        std::string trigger;    ///< the insert trigger's text, set aside
    };

    Database& m_db;
    StatementCache& m_statements;
    std::map<std::string, Held> m_held; ///< by table
};

} // namespace berkas::model
