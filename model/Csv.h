#pragma once

#include <istream>
#include <string>
#include <vector>

namespace berkas::model {

/// One parsed CSV row and the file line it started on (1-based).
struct CsvRow
{
    int line = 0;
    std::vector<std::string> cells;
};

/// Reads RFC 4180 CSV: comma separated, fields optionally in double quotes,
/// "" inside quotes for a quote, newlines allowed inside quotes, CRLF or LF,
/// an optional UTF-8 byte-order mark. Blank lines are skipped. Throws
/// Error(InvalidData) "line N: unterminated quoted field" on a broken quote.
std::vector<CsvRow> readCsv(std::istream& in);

/// Reads a CSV file; Error(Storage) naming the path when it cannot be opened.
std::vector<CsvRow> readCsvFile(const std::string& path);

} // namespace berkas::model
