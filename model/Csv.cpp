#include "model/Csv.h"

#include "model/Error.h"

#include <fstream>
#include <iterator>

namespace berkas::model {

std::vector<CsvRow> readCsv(std::istream& in)
{
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<CsvRow> rows;
    std::size_t i = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        i = 3;
    int line = 1;
    CsvRow row;
    row.line = line;
    std::string cell;
    bool rowHasContent = false;
    while (i < text.size())
    {
        const char c = text[i];
        if (c == '"' && cell.empty())
        {
            const int startLine = line;
            ++i;
            bool closed = false;
            while (i < text.size())
            {
                if (text[i] == '"')
                {
                    if (i + 1 < text.size() && text[i + 1] == '"')
                    {
                        cell += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (text[i] == '\n')
                    ++line;
                cell += text[i++];
            }
            if (!closed)
                throw Error(ErrorCode::InvalidData, "line " + std::to_string(startLine) + ": unterminated quoted field");
            rowHasContent = true;
            continue;
        }
        if (c == ',')
        {
            row.cells.push_back(std::move(cell));
            cell.clear();
            rowHasContent = true;
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n')
        {
            if (rowHasContent || !cell.empty())
            {
                row.cells.push_back(std::move(cell));
                rows.push_back(std::move(row));
            }
            cell.clear();
            row = CsvRow();
            rowHasContent = false;
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            ++i;
            ++line;
            row.line = line;
            continue;
        }
        cell += c;
        ++i;
    }
    if (rowHasContent || !cell.empty())
    {
        row.cells.push_back(std::move(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<CsvRow> readCsvFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Storage, "cannot read " + path);
    return readCsv(in);
}

} // namespace berkas::model
