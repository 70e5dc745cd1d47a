#pragma once

#include "model/Database.h"
#include "model/Date.h"
#include "model/RecordQuery.h"

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace berkas::model {

class CaseStore;

/// What a list window shows: one kind, equality filters, a full-text search,
/// a date range on one field, and an order. Field names are checked against
/// the schema when the query is set.
struct PagerQuery
{
    std::string kind;
    std::vector<std::pair<std::string, std::string>> where; ///< field = value (empty value: IS NULL)
    std::string search;    ///< words, each a prefix ("sit nur" finds "Siti Nurhaliza")
    std::string dateField; ///< compared on its first 10 characters (YYYY-MM-DD)
    std::string dateFrom;  ///< inclusive, YYYY-MM-DD; empty: open
    std::string dateTo;    ///< inclusive, YYYY-MM-DD; empty: open
    std::string sortField; ///< empty: created_at
    bool ascending = false;
    /// Rows whose @c preferField equals @c preferValue come first ("my tasks").
    std::string preferField;
    std::string preferValue;
};

/// How a row stands with the central office.
enum class SyncState
{
    Waiting,   ///< has changes in the outbox
    Conflict,  ///< has an open conflict record
    Confirmed, ///< neither, and (for applications) a final reg_no
    Local      ///< neither, but no final reg_no yet
};

/// One row of a page: the requested columns in order, plus what every list
/// needs to mark a row.
struct PagerRow
{
    std::string id;
    std::vector<std::string> values;
    SyncState sync = SyncState::Local;
    bool overdue = false;
};

/// Rows of one kind, fetched a page at a time with LIMIT/OFFSET in a stable
/// order, so a list of 1,000,000 records costs one COUNT and the pages the
/// user actually looks at. Pages are cached (least recently used dropped);
/// call invalidate() after writes. Uses the caller's connection: one pager per
/// thread, like the store.
class RecordPager
{
public:
    /// Counters for tests and benchmarks.
    struct Stats
    {
        std::int64_t queries = 0;     ///< SQL statements run (count, pages, sync flags)
        std::int64_t rowsFetched = 0; ///< record rows read from SQLite
    };

    RecordPager(Database& db, std::vector<std::string> columns, std::size_t pageSize = 100,
                std::size_t maxPages = 32);
    /// The same on the store's connection: the window's lists.
    RecordPager(CaseStore& store, std::vector<std::string> columns, std::size_t pageSize = 100,
                std::size_t maxPages = 32);

    /// Replaces the query; throws Error(InvalidData) for an unknown kind or field.
    void setQuery(PagerQuery query);
    const PagerQuery& query() const { return m_query; }
    const std::vector<std::string>& columns() const { return m_columns; }
    /// The index of @p column in columns(), or -1.
    int columnIndex(const std::string& column) const;

    /// The day rows are overdue against (office-local); default: not set, so nothing is overdue.
    void setToday(Date today) { m_today = today.toString(); }

    /// The number of rows the query matches (one COUNT, cached). With a
    /// search text and a search count limit set, at most that limit: see
    /// countCapped().
    std::int64_t count();

    /// Counts at most @p limit rows while the query has a search text (0: no
    /// limit). One or two typed letters match most of a large table; counting
    /// them all on every keystroke is what makes search-as-you-type slow, and
    /// nobody scrolls through 10,000 hits: they type another letter. Such a
    /// broad search of words, in the default order, lists its matches newest
    /// stored first (creation order for records made here, arrival order for
    /// synced ones), as the full-text index finds them.
    void setSearchCountLimit(std::int64_t limit);
    /// True when the last count() stopped at the search count limit (there are
    /// more rows than count() says).
    bool countCapped();

    /// Row @p index (0-based) in the query's order. An index past the end
    /// returns an empty row (the list may be a step behind a deletion).
    const PagerRow& row(std::int64_t index);

    /// Drops cached pages and the count, e.g. after a write or a sync.
    void invalidate();

    const Stats& stats() const { return m_stats; }
    void resetStats() { m_stats = {}; }

private:
    void loadPage(std::int64_t page);
    /// Reads every match of a word search (at most the count limit + 1) and
    /// keeps their rowids in list order; returns the count.
    std::int64_t keepMatches();
    /// True when an index of @p table (not a partial one) starts with @p column.
    bool sortIndexed(const std::string& table, const std::string& column);
    /// The query's rows, conditions and order, as every list builds them.
    RecordQuery recordQuery() const;

    Database& m_db;
    std::vector<std::string> m_columns;
    std::size_t m_pageSize;
    std::size_t m_maxPages;
    PagerQuery m_query;
    std::string m_today;
    std::int64_t m_count = -1;
    std::int64_t m_searchCountLimit = 0;
    bool m_capped = false;
    /// A word search with no more matches than the count limit: its
    /// matches' rowids in list order, read once by count(), so that pages
    /// are read by rowid instead of running the search again.
    std::vector<std::int64_t> m_matches;
    bool m_matchesKept = false;
    /// A search of words alone: the rowids of its matches (at most the count
    /// limit + 1), ascending, as count() found them in the full-text index.
    std::vector<std::int64_t> m_wordMatches;
    std::map<std::string, bool> m_sortIndexed; ///< "table.column": whether an index starts with it
    std::map<std::int64_t, std::vector<PagerRow>> m_pages;
    std::list<std::int64_t> m_recent; ///< most recently used page first
    Stats m_stats;
    PagerRow m_empty;
};

/// The sync state of one record (see SyncState).
SyncState syncStateOf(Database& db, const std::string& kind, const std::string& id);
/// The same on the store's connection.
SyncState syncStateOf(CaseStore& store, const std::string& kind, const std::string& id);

/// Makes the index that sync-state lookups need (outbox by record). Cheap when
/// it exists; the first time on a large outbox it takes a moment.
void ensureOutboxIndex(Database& db);
/// The same on the store's connection.
void ensureOutboxIndex(CaseStore& store);

} // namespace berkas::model
