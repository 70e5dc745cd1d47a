#include "model/RecordPager.h"

#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/RecordQuery.h"
#include "model/Schema.h"
#include "model/Workflow.h"

#include <sqlite3.h>

#include <algorithm>
#include <sstream>

namespace berkas::model {

namespace {

bool isCommon(const std::string& name)
{
    const auto& common = commonFields();
    return std::find(common.begin(), common.end(), name) != common.end();
}

void requireField(const KindDef& kind, const std::string& name, const char* what)
{
    if (!isCommon(name) && !kind.field(name))
        throw Error(ErrorCode::InvalidData,
                    std::string(what) + ": unknown field \"" + name + "\" of " + kind.name);
}

/// One match of a narrow word search, with what its place in a list
/// depends on, compared as SQLite's ORDER BY does: NULL first, then numbers
/// by value, then text by bytes; ties by id.
struct Match
{
    int type = 0; ///< 0 NULL, 1 number, 2 text
    double number = 0;
    std::string text;
    std::string id;
    std::int64_t rowid = 0;
};

/// Match (rowid, sort value, id) from columns 0, 1 and 2 of @p s.
Match readMatch(const Statement& s)
{
    Match m;
    m.rowid = s.integer(0);
    const int type = s.type(1);
    m.type = type == SQLITE_NULL ? 0 : (type == SQLITE_INTEGER || type == SQLITE_FLOAT) ? 1 : 2;
    if (m.type == 1)
        m.number = s.real(1);
    else if (m.type == 2)
        m.text = s.text(1);
    m.id = s.text(2);
    return m;
}

int compareMatches(const Match& a, const Match& b)
{
    if (a.type != b.type)
        return a.type < b.type ? -1 : 1;
    const int c = a.type == 1 ? (a.number < b.number ? -1 : a.number > b.number ? 1 : 0) : a.text.compare(b.text);
    return c != 0 ? c : a.id.compare(b.id);
}

} // namespace

RecordPager::RecordPager(Database& db, std::vector<std::string> columns, std::size_t pageSize, std::size_t maxPages)
    : m_db(db), m_columns(std::move(columns)), m_pageSize(std::max<std::size_t>(pageSize, 1)),
      m_maxPages(std::max<std::size_t>(maxPages, 2))
{
}

RecordPager::RecordPager(CaseStore& store, std::vector<std::string> columns, std::size_t pageSize,
                         std::size_t maxPages)
    : RecordPager(store.database(), std::move(columns), pageSize, maxPages)
{
}

int RecordPager::columnIndex(const std::string& column) const
{
    const auto it = std::find(m_columns.begin(), m_columns.end(), column);
    return it == m_columns.end() ? -1 : static_cast<int>(it - m_columns.begin());
}

void RecordPager::setQuery(PagerQuery query)
{
    const KindDef& kind = requireKind(query.kind);
    for (const auto& c : m_columns)
        requireField(kind, c, "column");
    for (const auto& [name, value] : query.where)
        requireField(kind, name, "where");
    if (!query.dateField.empty())
        requireField(kind, query.dateField, "date");
    if (!query.sortField.empty())
        requireField(kind, query.sortField, "sort");
    if (!query.preferField.empty())
        requireField(kind, query.preferField, "prefer");
    m_query = std::move(query);
    invalidate();
}

void RecordPager::setSearchCountLimit(std::int64_t limit)
{
    m_searchCountLimit = std::max<std::int64_t>(limit, 0);
    invalidate();
}

bool RecordPager::countCapped()
{
    count();
    return m_capped;
}

void RecordPager::invalidate()
{
    m_count = -1;
    m_capped = false;
    m_matches.clear();
    m_matchesKept = false;
    m_wordMatches.clear();
    m_pages.clear();
    m_recent.clear();
}

RecordQuery RecordPager::recordQuery() const
{
    RecordQuery q(requireKind(m_query.kind));
    for (const auto& [name, value] : m_query.where)
        q.where(name, value);
    q.between(m_query.dateField, m_query.dateFrom, m_query.dateTo)
        .search(m_query.search)
        .orderBy(m_query.sortField, m_query.ascending)
        .prefer(m_query.preferField, m_query.preferValue);
    return q;
}

std::int64_t RecordPager::count()
{
    if (m_count >= 0)
        return m_count;
    if (m_query.kind.empty())
        return m_count = 0;
    RecordQuery query = recordQuery();
    const SearchCondition& search = query.searchCondition();
    const bool limited = m_searchCountLimit > 0 && !search.sql.empty();
    const bool unfiltered = query.unfiltered();
    // Live rows are every row less the tombstones, when nothing else is
    // asked: SQLite counts a whole table from its smallest index, and the
    // tombstones from their partial index (migration 13). "deleted = 0"
    // read every row instead: over 1,000,000 applications the whole file,
    // before the window could paint its list.
    if (unfiltered && search.sql.empty())
    {
        m_stats.queries += 2;
        Statement all(m_db, query.countRows().text);
        Statement dead(m_db, query.countTombstones().text);
        const std::int64_t rows = all.step() ? all.integer(0) : 0;
        return m_count = rows - (dead.step() ? dead.integer(0) : 0);
    }
    if (limited && search.fullText && unfiltered)
    {
        // Words alone: their matches are found in the full-text index, less
        // the tombstones, without reading the table (a row read per match
        // was most of a keystroke's time). The pages find their rows as
        // loadPage() says.
        const Sql sql = query.page(m_searchCountLimit + 1).fullTextMatches();
        Statement s(m_db, sql.text);
        sql.bind(s);
        ++m_stats.queries;
        while (s.step())
            m_wordMatches.push_back(s.integer(0));
        m_count = static_cast<std::int64_t>(m_wordMatches.size());
        m_capped = m_count > m_searchCountLimit;
        if (m_capped)
        {
            m_count = m_searchCountLimit;
            m_wordMatches.clear(); // pages of a broad search follow the full-text index
        }
        return m_count;
    }
    if (limited && search.fullText)
        return keepMatches();
    // The search alone: identifiers are counted in their indexes, matched
    // words in the full-text index ("3275094101900", 10,000 NIKs: 2 ms
    // instead of 35 reading each row for "deleted"). Limited: count the
    // first limit + 1 matches only, so that "more than the limit" is known
    // without visiting every match.
    if (unfiltered)
        query.liveRows(LiveRows::Tombstones);
    const Sql sql = query.count(limited ? m_searchCountLimit + 1 : 0);
    Statement s(m_db, sql.text);
    sql.bind(s);
    ++m_stats.queries;
    m_count = s.step() ? s.integer(0) : 0;
    m_capped = limited && m_count > m_searchCountLimit;
    if (m_capped)
        m_count = m_searchCountLimit;
    return m_count;
}

std::int64_t RecordPager::keepMatches()
{
    // Limited and full-text: FTS5 hands over its matches one at a time,
    // so joining them to the table stops after limit + 1, where
    // "rowid IN (matches)" first collects every match (350,000 for one
    // letter over 1M applications: 40 ms instead of 2). When they are
    // fewer, they are kept in list order and pages read them by rowid
    // ("kartika si": 9,615 matches, the page query 21 ms -> 1 ms).
    RecordQuery query = recordQuery();
    const Sql sql = query.page(m_searchCountLimit + 1)
                        .selectFullText("t.rowid, t." + query.sortField() + ", t.id", false);
    Statement s(m_db, sql.text);
    sql.bind(s);
    ++m_stats.queries;
    std::vector<Match> matches;
    while (s.step())
        matches.push_back(readMatch(s));
    m_capped = static_cast<std::int64_t>(matches.size()) > m_searchCountLimit;
    if (m_capped)
        return m_count = m_searchCountLimit;
    if (m_query.preferField.empty())
    {
        const bool ascending = m_query.ascending;
        std::sort(matches.begin(), matches.end(), [ascending](const Match& a, const Match& b) {
            const int c = compareMatches(a, b);
            return ascending ? c < 0 : c > 0;
        });
        m_matches.clear();
        for (const auto& m : matches)
            m_matches.push_back(m.rowid);
        m_matchesKept = true;
    }
    return m_count = static_cast<std::int64_t>(matches.size());
}

bool RecordPager::sortIndexed(const std::string& table, const std::string& column)
{
    const auto known = m_sortIndexed.find(table + "." + column);
    if (known != m_sortIndexed.end())
        return known->second;
    Statement s(m_db, "SELECT 1 FROM sqlite_schema s JOIN pragma_index_info(s.name) i WHERE s.type = 'index' AND "
                      "s.tbl_name = ? AND s.sql NOT LIKE '% WHERE %' AND i.seqno = 0 AND i.name = ?");
    s.bind(1, table).bind(2, column);
    ++m_stats.queries;
    return m_sortIndexed[table + "." + column] = s.step();
}

const PagerRow& RecordPager::row(std::int64_t index)
{
    if (index < 0 || index >= count())
        return m_empty;
    const std::int64_t page = index / static_cast<std::int64_t>(m_pageSize);
    auto it = m_pages.find(page);
    if (it == m_pages.end())
    {
        loadPage(page);
        it = m_pages.find(page);
    }
    else if (m_recent.front() != page)
    {
        m_recent.remove(page);
        m_recent.push_front(page);
    }
    const auto offset = static_cast<std::size_t>(index - page * static_cast<std::int64_t>(m_pageSize));
    return offset < it->second.size() ? it->second[offset] : m_empty;
}

void RecordPager::loadPage(std::int64_t page)
{
    const KindDef& kind = requireKind(m_query.kind);
    const bool hasDue = kind.field(field::kDueDate) != nullptr;
    const bool hasStatus = kind.field(field::kStatus) != nullptr;
    const bool hasRegNo = kind.field(field::kRegNo) != nullptr;

    std::string columns = "t.id";
    for (const auto& c : m_columns)
        columns += ", t." + c;
    columns += hasDue ? ", t.due_date" : ", NULL";
    columns += hasStatus ? ", t.status" : ", NULL";
    columns += hasRegNo ? ", t.reg_no" : ", NULL";
    RecordQuery query = recordQuery();
    const SearchCondition& search = query.searchCondition();
    const std::string& sort = query.sortField();
    count();
    // A narrow word search (no more matches than the count limit) in the
    // created_at order. Reading every match's row to sort them (4,807 for
    // "siti nurhaliza" over 1,000,000 applications, 50-90 ms a keystroke)
    // is not needed for the first page when its matches are near the end
    // the list starts from: walking the created_at index from there, and
    // keeping the entries that match, meets them within a few thousand
    // entries (21,000 for "siti nurhaliza"), without reading other rows.
    // Where they are is told by their rowids, which follow the order the
    // rows were stored in and so, closely, created_at. Matches far from
    // that end ("siti 1": the newest of 6,945 lie 800,000 entries in), and
    // later pages, read and sort every match once and are then read by
    // rowid.
    const bool narrowWords = search.fullText && m_searchCountLimit > 0 && !m_capped && m_query.preferField.empty();
    bool walkSortIndex = false;
    if (narrowWords && !m_matchesKept)
    {
        if (page == 0 && !m_wordMatches.empty() && sort == field::kCreatedAt && sortIndexed(kind.table, sort))
        {
            constexpr std::int64_t kWalkEntries = 100000;
            const std::size_t k = std::min(m_wordMatches.size(), m_pageSize);
            std::int64_t span = m_wordMatches[k - 1]; // oldest first: from rowid 1 on
            if (!m_query.ascending)
            {
                Statement last(m_db, "SELECT max(rowid) FROM " + kind.table);
                ++m_stats.queries;
                span = (last.step() ? last.integer(0) : 0) - m_wordMatches[m_wordMatches.size() - k];
            }
            walkSortIndex = span <= kWalkEntries;
        }
        if (!walkSortIndex)
            keepMatches();
    }
    std::vector<std::int64_t> slice;
    if (m_matchesKept)
    {
        const auto from = static_cast<std::size_t>(page) * m_pageSize;
        for (std::size_t i = from; i < std::min(m_matches.size(), from + m_pageSize); ++i)
            slice.push_back(m_matches[i]);
    }
    // A broad search (one or two letters: more hits than the count limit)
    // in the default order. Left to itself SQLite starts from the hits and
    // sorts all of them (350,000 for "s" over 1,000,000 applications, 200 ms)
    // to show 100; walking the created_at index and keeping the hits still
    // collects them all first (35 ms).
    const bool broadDefault = m_capped && sort == field::kCreatedAt && m_query.preferField.empty();
    query.page(static_cast<std::int64_t>(m_pageSize), page * static_cast<std::int64_t>(m_pageSize));
    Sql sql;
    if (m_matchesKept)
        sql = query.selectRowids(columns + ", t.rowid", slice);
    else if (broadDefault && !search.orderColumn.empty())
        // A broad prefix of a number that grows with time ("P-000001-00")
        // lists by that number, newest first, straight from its index: its
        // matches are clustered in time, where walking created_at would
        // cross the table.
        sql = query.plan(SearchPlan::ByNumber).select(columns);
    else if (broadDefault && search.fullText)
        // Broad words list newest stored first, in the order FTS5 keeps its
        // matches (by rowid), so a page is read as it is found: for records
        // made here that is their creation order, for synced ones arrival.
        sql = query.selectFullText(columns, true);
    else
        // A narrow search starts from its matches and sorts the few of
        // them, unless its first page is near the start of the sort index.
        sql = query.plan(broadDefault || walkSortIndex ? SearchPlan::InOrder : SearchPlan::FromMatches)
                  .select(columns);

    Statement s(m_db, sql.text);
    sql.bind(s);
    ++m_stats.queries;

    std::vector<PagerRow> rows;
    std::vector<std::int64_t> rowids;
    rows.reserve(m_pageSize);
    std::map<std::string, std::size_t> byId;
    const int n = static_cast<int>(m_columns.size());
    while (s.step())
    {
        PagerRow r;
        r.id = s.text(0);
        r.values.reserve(m_columns.size());
        for (int c = 0; c < n; ++c)
            r.values.push_back(s.text(c + 1));
        const std::string due = s.text(n + 1);
        const std::string status = s.text(n + 2);
        r.overdue = !m_today.empty() && !due.empty() && due < m_today &&
                    !(hasStatus && isTerminal(kind.name, status));
        r.sync = !hasRegNo || !s.text(n + 3).empty() ? SyncState::Confirmed : SyncState::Local;
        if (m_matchesKept)
            rowids.push_back(s.integer(n + 4));
        rows.push_back(std::move(r));
    }
    if (m_matchesKept)
    {
        // Back into the list order the count worked out.
        std::map<std::int64_t, std::size_t> read;
        for (std::size_t i = 0; i < rowids.size(); ++i)
            read[rowids[i]] = i;
        std::vector<PagerRow> ordered;
        ordered.reserve(rows.size());
        for (const auto rowid : slice)
            if (const auto it = read.find(rowid); it != read.end())
                ordered.push_back(std::move(rows[it->second]));
        rows = std::move(ordered);
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        byId[rows[i].id] = i;
    m_stats.rowsFetched += static_cast<std::int64_t>(rows.size());

    if (!rows.empty())
    {
        // Sync flags for the whole page in two indexed lookups.
        std::string in;
        for (std::size_t i = 0; i < rows.size(); ++i)
            in += i ? ",?" : "?";
        const auto flag = [&](const std::string& query, SyncState state) {
            Statement f(m_db, query + " (" + in + ")");
            for (std::size_t i = 0; i < rows.size(); ++i)
                f.bind(static_cast<int>(i) + 1, rows[i].id);
            ++m_stats.queries;
            while (f.step())
                if (const auto it = byId.find(f.text(0)); it != byId.end())
                    rows[it->second].sync = state;
        };
        flag("SELECT DISTINCT record_id FROM outbox WHERE record_id IN", SyncState::Waiting);
        flag("SELECT DISTINCT record_id FROM conflict WHERE status = 'open' AND deleted = 0 AND record_id IN",
             SyncState::Conflict);
    }

    m_pages[page] = std::move(rows);
    m_recent.push_front(page);
    while (m_recent.size() > m_maxPages)
    {
        m_pages.erase(m_recent.back());
        m_recent.pop_back();
    }
}

SyncState syncStateOf(Database& db, const std::string& kind, const std::string& id)
{
    {
        Statement s(db, "SELECT 1 FROM conflict WHERE record_id = ? AND status = 'open' AND deleted = 0 LIMIT 1");
        s.bind(1, id);
        if (s.step())
            return SyncState::Conflict;
    }
    {
        Statement s(db, "SELECT 1 FROM outbox WHERE record_id = ? LIMIT 1");
        s.bind(1, id);
        if (s.step())
            return SyncState::Waiting;
    }
    const KindDef& k = requireKind(kind);
    if (!k.field(field::kRegNo))
        return SyncState::Confirmed;
    Statement s(db, "SELECT reg_no FROM " + k.table + " WHERE id = ?");
    s.bind(1, id);
    return s.step() && !s.text(0).empty() ? SyncState::Confirmed : SyncState::Local;
}

void ensureOutboxIndex(Database& db)
{
    db.exec("CREATE INDEX IF NOT EXISTS outbox_record ON outbox(record_id)");
}

SyncState syncStateOf(CaseStore& store, const std::string& kind, const std::string& id)
{
    return syncStateOf(store.database(), kind, id);
}

void ensureOutboxIndex(CaseStore& store)
{
    ensureOutboxIndex(store.database());
}

} // namespace berkas::model
