#pragma once

#include "model/Schema.h"

#include <string>
#include <vector>

namespace berkas::model {

/// The SQL condition for what a person typed in a search box, over a table
/// aliased "t": " AND (...)" and its parameters, empty when there is nothing
/// to search.
struct SearchCondition
{
    std::string sql;
    std::vector<std::string> params;
    /// True when the condition is an FTS5 match (broad prefixes can match a
    /// large share of the table); false for identifier lookups and LIKE.
    bool fullText = false;
    /// For a number that grows with time (provisional, registration): its
    /// column, whose index lists a broad prefix's matches newest last. Such
    /// matches are clustered in time, so walking the created_at index to
    /// find them can cross most of the table first.
    std::string orderColumn;
};

/// Applications and complaints are searched through FTS5 with every word a
/// prefix ("sit nur" finds "Siti Nurhaliza"). What looks like an identifier
/// is looked up by index range instead, which stays fast at any length: digits
/// are a NIK or NIB prefix, "P-…" a provisional number and
/// "2026/…" a registration number. Other kinds match text fields with LIKE.
/// @p scanInOrder keeps SQLite from starting from the matches (the FTS rows,
/// an identifier's index), for callers that walk the created_at index
/// instead because the matches are many.
SearchCondition searchCondition(const KindDef& kind, const std::string& text, bool scanInOrder = false);

/// The FTS5 expression for @p text: every word a quoted prefix; "" for none.
std::string ftsMatchExpression(const std::string& text);

} // namespace berkas::model
