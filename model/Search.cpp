#include "model/Search.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace berkas::model {

namespace {

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

/// The first string after every string that starts with @p prefix.
std::string prefixEnd(std::string prefix)
{
    while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff)
        prefix.pop_back();
    if (!prefix.empty())
        prefix.back() = static_cast<char>(prefix.back() + 1);
    return prefix;
}

void addRange(SearchCondition& c, std::string& any, const std::string& column, const std::string& prefix,
              bool scanInOrder)
{
    // "+t.nik" keeps the identifier's index out of a plan that walks the
    // created_at index instead.
    const std::string col = (scanInOrder ? "+t." : "t.") + column;
    any += (any.empty() ? "" : " OR ") + ("(" + col + " >= ? AND " + col + " < ?)");
    c.params.push_back(prefix);
    c.params.push_back(prefixEnd(prefix));
}

} // namespace

std::string ftsMatchExpression(const std::string& text)
{
    std::string match;
    std::istringstream words(text);
    std::string word;
    while (words >> word)
    {
        std::string quoted;
        for (char c : word)
            quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        match += (match.empty() ? "" : " ") + ("\"" + quoted + "\"*");
    }
    return match;
}

SearchCondition searchCondition(const KindDef& kind, const std::string& text, bool scanInOrder)
{
    SearchCondition c;
    const std::string typed = trim(text);
    if (typed.empty())
        return c;
    if (kind.name == kind::kApplication && typed.find(' ') == std::string::npos)
    {
        std::string upper = typed;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
        const bool digits = std::all_of(typed.begin(), typed.end(), [](unsigned char ch) { return std::isdigit(ch); });
        std::string any;
        // Every application has a provisional number "P-…", so a lone "p"
        // matches them all however it is looked up; the index does it fast.
        // A clerk types the digits of a NIK (16) or NIB (13) from an identity
        // card; FTS5 would expand every distinct number under the prefix,
        // the index range finds them at any length.
        if (digits)
        {
            addRange(c, any, field::kNik, typed, scanInOrder);
            addRange(c, any, field::kNib, typed, scanInOrder);
        }
        else if (upper.rfind("P-", 0) == 0 || upper == "P")
        {
            addRange(c, any, field::kProvisionalNo, upper, scanInOrder);
            c.orderColumn = field::kProvisionalNo;
        }
        else if (typed.size() >= 5 && std::all_of(typed.begin(), typed.begin() + 4, [](unsigned char ch) { return std::isdigit(ch); }) &&
                 typed[4] == '/')
        {
            addRange(c, any, field::kRegNo, upper, scanInOrder);
            c.orderColumn = field::kRegNo;
        }
        if (!any.empty())
        {
            c.sql = " AND (" + any + ")";
            return c;
        }
    }
    if (!fullTextColumns(kind).empty())
    {
        c.sql = std::string(scanInOrder ? " AND +t.rowid" : " AND t.rowid") + " IN (SELECT rowid FROM " + kind.table +
                "_fts WHERE " + kind.table + "_fts MATCH ?)";
        c.params.push_back(ftsMatchExpression(typed));
        c.fullText = true;
        return c;
    }
    std::string any;
    for (const auto& fd : kind.fields)
        if (fd.type == FieldType::Text || fd.type == FieldType::LongText)
        {
            any += (any.empty() ? "" : " OR ") + ("t." + fd.name + " LIKE ?");
            c.params.push_back("%" + typed + "%");
        }
    if (!any.empty())
        c.sql = " AND (" + any + ")";
    return c;
}

} // namespace berkas::model
