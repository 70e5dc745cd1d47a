#include "model/RecordQuery.h"

#include "model/Error.h"

#include <algorithm>

namespace berkas::model {

namespace {

bool isCommon(const std::string& name)
{
    const auto& common = commonFields();
    return std::find(common.begin(), common.end(), name) != common.end();
}

} // namespace

void Sql::bind(Statement& s) const
{
    for (std::size_t i = 0; i < params.size(); ++i)
        s.bind(static_cast<int>(i) + 1, params[i]);
}

RecordQuery::RecordQuery(const KindDef& kind) : m_kind(&kind), m_sort(field::kCreatedAt) {}

RecordQuery& RecordQuery::where(const std::string& field, const std::string& value)
{
    m_where.emplace_back(field, value);
    return *this;
}

RecordQuery& RecordQuery::includeDeleted(bool include)
{
    m_includeDeleted = include;
    return *this;
}

RecordQuery& RecordQuery::liveRows(LiveRows how)
{
    m_liveRows = how;
    return *this;
}

bool RecordQuery::unfiltered() const
{
    return m_where.empty() && (m_dateField.empty() || (m_dateFrom.empty() && m_dateTo.empty()));
}

RecordQuery& RecordQuery::between(const std::string& field, const std::string& from, const std::string& to)
{
    m_dateField = field;
    m_dateFrom = from;
    m_dateTo = to;
    return *this;
}

RecordQuery& RecordQuery::search(const std::string& text)
{
    m_searchText = text;
    m_search = model::searchCondition(*m_kind, text);
    return *this;
}

RecordQuery& RecordQuery::orderBy(const std::string& field, bool ascending)
{
    m_sort = field.empty() ? std::string(field::kCreatedAt) : field;
    m_ascending = ascending;
    return *this;
}

RecordQuery& RecordQuery::prefer(const std::string& field, const std::string& value)
{
    m_preferField = field;
    m_preferValue = value;
    return *this;
}

RecordQuery& RecordQuery::plan(SearchPlan plan)
{
    m_plan = plan;
    return *this;
}

RecordQuery& RecordQuery::indexedBy(const std::string& index)
{
    m_index = index;
    return *this;
}

RecordQuery& RecordQuery::page(std::int64_t limit, std::int64_t offset)
{
    m_limit = limit;
    m_offset = offset;
    return *this;
}

Sql RecordQuery::conditions(bool withSearch) const
{
    Sql out;
    // A condition on deleted replaces the default filter, wherever it is listed.
    const bool filtersDeleted =
        std::any_of(m_where.begin(), m_where.end(), [](const auto& w) { return w.first == field::kDeleted; });
    if (m_includeDeleted || filtersDeleted)
        out.text = "1";
    else if (m_liveRows == LiveRows::Tombstones)
        out.text = "t.rowid NOT IN (" + tombstones() + ")";
    else
        out.text = "t.deleted = 0";
    for (const auto& [name, value] : m_where)
    {
        out.text += " AND t." + name + (value.empty() ? " IS NULL" : " = ?");
        if (!value.empty())
            out.params.push_back(value);
    }
    if (!m_dateField.empty() && !m_dateFrom.empty())
    {
        out.text += " AND substr(t." + m_dateField + ", 1, 10) >= ?";
        out.params.push_back(m_dateFrom);
    }
    if (!m_dateField.empty() && !m_dateTo.empty())
    {
        out.text += " AND substr(t." + m_dateField + ", 1, 10) <= ?";
        out.params.push_back(m_dateTo);
    }
    if (withSearch)
    {
        const SearchCondition search = m_plan == SearchPlan::InOrder
                                           ? model::searchCondition(*m_kind, m_searchText, true)
                                           : m_search;
        out.text += search.sql;
        out.params.insert(out.params.end(), search.params.begin(), search.params.end());
    }
    return out;
}

std::string RecordQuery::order() const
{
    const char* dir = m_ascending ? " ASC" : " DESC";
    std::string text = " ORDER BY ";
    if (!m_preferField.empty())
        text += "(t." + m_preferField + " IS ?) DESC, ";
    if (m_plan == SearchPlan::ByNumber && !m_search.orderColumn.empty())
        return text + "t." + m_search.orderColumn + " DESC, t.id DESC";
    // A search planned from its matches sorts the few of them: "+" keeps
    // SQLite from walking the sort index instead, which is slow when the
    // matches are old (a provisional number typed out).
    const bool fromMatches = m_plan == SearchPlan::FromMatches && !m_search.sql.empty();
    return text + (fromMatches ? "+t." : "t.") + m_sort + dir + ", t.id" + dir;
}

std::string RecordQuery::limit() const
{
    if (m_limit < 0)
        return {};
    return " LIMIT " + std::to_string(m_limit) + (m_offset > 0 ? " OFFSET " + std::to_string(m_offset) : "");
}

Sql RecordQuery::select(const std::string& columns) const
{
    Sql out = conditions();
    out.text = "SELECT " + columns + " FROM " + m_kind->table + " t" +
               (m_index.empty() ? std::string() : " INDEXED BY " + m_index) + " WHERE " + out.text + order() +
               limit();
    if (!m_preferField.empty())
        out.params.push_back(m_preferValue);
    return out;
}

Sql RecordQuery::selectFullText(const std::string& columns, bool ordered) const
{
    if (!m_search.fullText)
        throw Error(ErrorCode::Internal, "selectFullText: the search is not a full-text match");
    Sql out;
    out.params.push_back(m_search.params.front());
    const Sql rest = conditions(false);
    out.params.insert(out.params.end(), rest.params.begin(), rest.params.end());
    const std::string& table = m_kind->table;
    out.text = "SELECT " + columns + " FROM " + table + "_fts f JOIN " + table + " t ON t.rowid = f.rowid WHERE f." +
               table + "_fts MATCH ? AND " + rest.text +
               (ordered ? std::string(" ORDER BY f.rowid") + (m_ascending ? " ASC" : " DESC") : std::string()) +
               limit();
    return out;
}

Sql RecordQuery::count(std::int64_t cap) const
{
    Sql out = conditions();
    if (cap > 0)
        out.text = "SELECT COUNT(*) FROM (SELECT 1 FROM " + m_kind->table + " t WHERE " + out.text + " LIMIT " +
                   std::to_string(cap) + ")";
    else
        out.text = "SELECT COUNT(*) FROM " + m_kind->table + " t WHERE " + out.text;
    return out;
}

Sql RecordQuery::selectRowids(const std::string& columns, const std::vector<std::int64_t>& rowids) const
{
    std::string in;
    for (const auto rowid : rowids)
        in += (in.empty() ? "" : ",") + std::to_string(rowid);
    return {"SELECT " + columns + " FROM " + m_kind->table + " t WHERE t.rowid IN (" + (in.empty() ? "NULL" : in) +
                ")",
            {}};
}

std::string RecordQuery::tombstones() const
{
    return "SELECT rowid FROM " + m_kind->table + " WHERE deleted <> 0";
}

Sql RecordQuery::countRows() const
{
    return {"SELECT COUNT(*) FROM " + m_kind->table, {}};
}

Sql RecordQuery::countTombstones() const
{
    return {"SELECT COUNT(*) FROM (" + tombstones() + ")", {}};
}

Sql RecordQuery::fullTextMatches() const
{
    if (!m_search.fullText)
        throw Error(ErrorCode::Internal, "fullTextMatches: the search is not a full-text match");
    const std::string& table = m_kind->table;
    return {"SELECT f.rowid FROM " + table + "_fts f WHERE f." + table + "_fts MATCH ? AND f.rowid NOT IN (" +
                tombstones() + ") ORDER BY f.rowid" + limit(),
            {m_search.params.front()}};
}

const std::string& recordColumns(const KindDef& kind)
{
    // Built once per kind (every KindDef is one of kinds()): a pull reads the
    // record it is about to write for each one it brings.
    static const std::vector<std::string> all = [] {
        std::vector<std::string> out;
        for (const auto& k : kinds())
        {
            std::string cols = "t.id, t.created_at, t.updated_at, t.deleted";
            for (const auto& f : k.fields)
                cols += ", t." + f.name;
            out.push_back(std::move(cols));
        }
        return out;
    }();
    return all.at(static_cast<std::size_t>(&kind - kinds().data()));
}

Record recordFromRow(const KindDef& kind, const Statement& s)
{
    Record r;
    r.kind = kind.name;
    r.id = s.text(0);
    r.values[field::kId] = r.id;
    r.values[field::kCreatedAt] = s.text(1);
    r.values[field::kUpdatedAt] = s.text(2);
    r.values[field::kDeleted] = s.integer(3) ? "1" : "0";
    for (std::size_t i = 0; i < kind.fields.size(); ++i)
        r.values[kind.fields[i].name] = s.text(static_cast<int>(i) + 4);
    return r;
}

namespace {

RecordQuery listQuery(const ListQuery& query)
{
    const KindDef& kind = requireKind(query.kind);
    RecordQuery q(kind);
    for (const auto& [name, value] : query.where)
    {
        if (!isCommon(name) && !kind.field(name))
            throw Error(ErrorCode::InvalidData, "where: unknown field \"" + name + "\" of " + kind.name +
                                                    " (see: berkas schema " + kind.name + ")");
        q.where(name, value);
    }
    q.includeDeleted(query.includeDeleted).search(query.search);
    return q;
}

} // namespace

std::vector<Record> listRecords(Database& db, const ListQuery& query)
{
    RecordQuery q = listQuery(query);
    const KindDef& kind = q.kind();
    q.page(query.limit, query.offset);
    if (!q.searchCondition().sql.empty() && kind.name == kind::kApplication && query.where.empty() &&
        query.limit >= 0)
    {
        // A broad search ("sit", a kecamatan's NIK digits) matches a good
        // share of a big table: sorting every match by created_at took 50 to
        // 160 ms over 1M applications. When there are many matches, walking
        // the created_at index newest first finds a page of them sooner.
        constexpr int kManyMatches = 2000;
        if (query.limit + query.offset < kManyMatches)
        {
            RecordQuery probe(kind);
            probe.includeDeleted().search(query.search);
            const Sql sql = probe.count(kManyMatches);
            Statement many(db, sql.text);
            sql.bind(many);
            if (many.step() && many.integer(0) >= kManyMatches)
                q.plan(SearchPlan::InOrder).indexedBy("application_created");
        }
    }
    const Sql sql = q.select(recordColumns(kind));
    Statement s(db, sql.text);
    sql.bind(s);
    std::vector<Record> rows;
    while (s.step())
        rows.push_back(recordFromRow(kind, s));
    return rows;
}

std::int64_t countRecords(Database& db, const ListQuery& query)
{
    const Sql sql = listQuery(query).count();
    Statement s(db, sql.text);
    sql.bind(s);
    return s.step() ? s.integer(0) : 0;
}

} // namespace berkas::model
