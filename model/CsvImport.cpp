#include "model/CsvImport.h"

#include "model/Csv.h"
#include "model/Error.h"

namespace berkas::model {

namespace {

std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    const auto end = s.find_last_not_of(" \t\r\n");
    return s.substr(begin, end - begin + 1);
}

} // namespace

std::vector<FieldMap> CsvImport::read(const KindDef& kind, const std::string& path, const std::string& user)
{
    if (!kind.userKind)
        throw Error(ErrorCode::InvalidData, "kind: " + kind.name + " records cannot be imported");
    const auto rows = readCsvFile(path);
    if (rows.empty())
        throw Error(ErrorCode::InvalidData, path + ": the file is empty; expected a header row of field names");
    const auto& header = rows.front().cells;
    std::vector<std::string> problems;
    for (const auto& name : header)
        if (!kind.field(trim(name)))
            problems.push_back("line 1: " + trim(name) + ": unknown field of " + kind.name);
    if (!problems.empty())
        throw Error(ErrorCode::InvalidData,
                    problems.front() +
                        (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : ""));

    // Booking codes and provisional numbers are drawn later, in the one
    // transaction that writes every row.
    std::vector<FieldMap> prepared;
    for (std::size_t r = 1; r < rows.size(); ++r)
    {
        const auto& cells = rows[r].cells;
        if (cells.size() != header.size())
        {
            problems.push_back("line " + std::to_string(rows[r].line) + ": expected " + std::to_string(header.size()) +
                               " columns, got " + std::to_string(cells.size()));
            continue;
        }
        FieldMap fields;
        for (std::size_t c = 0; c < header.size(); ++c)
            if (!trim(cells[c]).empty())
                fields[trim(header[c])] = cells[c];
        PreparedWrite p = m_rules.prepare(kind, std::nullopt, fields, user);
        for (const auto& e : p.report.errors())
            problems.push_back("line " + std::to_string(rows[r].line) + ": " + e.text());
        prepared.push_back(std::move(p.changes));
    }
    if (!problems.empty())
    {
        std::string text = problems.front();
        for (std::size_t i = 1; i < problems.size(); ++i)
            text += "\n" + problems[i];
        throw Error(ErrorCode::InvalidData, text);
    }
    return prepared;
}

} // namespace berkas::model
