#pragma once

#include "model/Database.h"
#include "model/Record.h"
#include "model/Schema.h"
#include "model/Search.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace berkas::model {

/// What `list` asks for. Field names in @c where are checked against the schema.
struct ListQuery
{
    std::string kind;
    std::vector<std::pair<std::string, std::string>> where;
    std::string search;
    std::int64_t limit = -1;
    std::int64_t offset = 0;
    bool includeDeleted = false;
};

/// SQL text and its parameters, bound in order as text.
struct Sql
{
    std::string text;
    std::vector<std::string> params;

    /// Binds every parameter to @p s, prepared from text.
    void bind(Statement& s) const;
};

/// How a search meets the list's order.
enum class SearchPlan
{
    /// SQLite starts from the matches and sorts them ("+t.created_at" keeps
    /// it off the sort index): fast when the matches are few.
    FromMatches,
    /// SQLite walks the sort index and keeps the rows that match ("+t.rowid
    /// IN (...)", "+t.nik" keep it off the matches): fast when they are many.
    InOrder,
    /// A number that grows with time (SearchCondition::orderColumn) lists
    /// by that number, newest first, straight from its index.
    ByNumber,
};

/// How rows that are not deleted are told from tombstones.
enum class LiveRows
{
    /// "t.deleted = 0", read from each row.
    Column,
    /// "t.rowid NOT IN (tombstones())": from the partial index that holds
    /// only deleted rows (migration 13, empty on most laptops), so that a
    /// search counted in its own indexes reads no row for "deleted".
    Tombstones,
};

/// The one builder of the SQL that reads rows of one kind for a list: the
/// store's list and count (the command line) and the window's RecordPager.
/// It writes the conditions (equality filters, a date range, the search of
/// Search.h, the filter of deleted records), the order and the page; the
/// callers choose the plan. Field names are the caller's to check against
/// the schema; values always travel as parameters. The table is aliased t.
class RecordQuery
{
public:
    explicit RecordQuery(const KindDef& kind);

    const KindDef& kind() const { return *m_kind; }

    /// field = value; an empty value matches no value (IS NULL). A condition
    /// on deleted replaces the default filter of deleted records.
    RecordQuery& where(const std::string& field, const std::string& value);
    /// Deleted records too (default: only records not deleted).
    RecordQuery& includeDeleted(bool include = true);
    /// How records not deleted are found (default: Column).
    RecordQuery& liveRows(LiveRows how);
    /// @p field's first 10 characters (YYYY-MM-DD) from @p from to @p to,
    /// both inclusive; an empty bound is open.
    RecordQuery& between(const std::string& field, const std::string& from, const std::string& to);
    /// What a person typed into a search box (see searchCondition).
    RecordQuery& search(const std::string& text);
    /// Ordered by @p field (empty: created_at), ties by id the same way.
    RecordQuery& orderBy(const std::string& field, bool ascending);
    /// Rows whose @p field equals @p value first ("my tasks").
    RecordQuery& prefer(const std::string& field, const std::string& value);
    RecordQuery& plan(SearchPlan plan);
    /// Makes SQLite use @p index of the table (for a plan it will not find itself).
    RecordQuery& indexedBy(const std::string& index);
    /// At most @p limit rows (negative: all) after skipping @p offset.
    RecordQuery& page(std::int64_t limit, std::int64_t offset = 0);

    /// The search as planned (FromMatches), to ask whether there is one,
    /// whether it is a full-text match and by which number it may list.
    const SearchCondition& searchCondition() const { return m_search; }
    /// The column rows are ordered by.
    const std::string& sortField() const { return m_sort; }
    /// True when no equality filter and no date range select rows (the
    /// search and the deleted filter may).
    bool unfiltered() const;

    /// The conditions alone ("t.deleted = 0 AND ..."), with or without the search.
    Sql conditions(bool withSearch = true) const;
    /// SELECT @p columns FROM the table WHERE ... ORDER BY ... LIMIT ...
    Sql select(const std::string& columns) const;
    /// The same, starting from the full-text index: FTS5 hands its matches
    /// over in its rowid order (@p ordered: ORDER BY it, in the query's
    /// direction), joined to the table as "t". Only for a full-text search.
    Sql selectFullText(const std::string& columns, bool ordered) const;
    /// The number of matching rows; with @p cap > 0, at most @p cap.
    Sql count(std::int64_t cap = 0) const;
    /// SELECT @p columns of the rows with these rowids, in no order.
    Sql selectRowids(const std::string& columns, const std::vector<std::int64_t>& rowids) const;

    /// The rowids of the deleted rows, from their partial index.
    std::string tombstones() const;
    /// Every row of the table, counted from its smallest index; less
    /// countTombstones(), the number of live rows of a list with no
    /// condition, without reading a row.
    Sql countRows() const;
    Sql countTombstones() const;
    /// The rowids of the search's full-text matches that are not deleted,
    /// ascending, at most the page's limit: from the indexes alone. Only
    /// for a full-text search; the other conditions are not applied.
    Sql fullTextMatches() const;

private:
    std::string order() const;
    std::string limit() const;

    const KindDef* m_kind;
    std::vector<std::pair<std::string, std::string>> m_where;
    bool m_includeDeleted = false;
    LiveRows m_liveRows = LiveRows::Column;
    std::string m_dateField;
    std::string m_dateFrom;
    std::string m_dateTo;
    std::string m_searchText;
    SearchCondition m_search;
    std::string m_sort;
    bool m_ascending = false;
    std::string m_preferField;
    std::string m_preferValue;
    SearchPlan m_plan = SearchPlan::FromMatches;
    std::string m_index;
    std::int64_t m_limit = -1;
    std::int64_t m_offset = 0;
};

/// "t.id, t.created_at, t.updated_at, t.deleted, t.<field>...": the columns
/// of a Record of @p kind, in the order recordFromRow() reads them.
const std::string& recordColumns(const KindDef& kind);

/// The Record in columns 0.. of @p s, selected with recordColumns(@p kind).
Record recordFromRow(const KindDef& kind, const Statement& s);

/// The records a ListQuery asks for, newest first. Throws Error(InvalidData)
/// for an unknown kind or field ("where: unknown field ...").
std::vector<Record> listRecords(Database& db, const ListQuery& query);
/// How many records it matches (limit and offset ignored).
std::int64_t countRecords(Database& db, const ListQuery& query);

} // namespace berkas::model
