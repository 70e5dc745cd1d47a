#pragma once

#include "model/Report.h"

#include <cstdint>
#include <functional>
#include <string>

namespace berkas::model {

class CaseStore;
class Database;
class WorkingDayCalendar;

/// What to export and how.
struct ExportOptions
{
    std::string path;           ///< the target, must end in .xlsx
    ReportPeriod period;
    std::string language = "id"; ///< "id" (default) or "en": sheet names and headings
    std::string officeName;     ///< shown at the top of the summary sheet
    std::string exportedAt;     ///< ISO 8601 with offset, shown at the top; empty: not shown
    /// Polled every @c pollEveryRows detail rows (and between sheets); return
    /// false to cancel. May be empty.
    std::function<bool()> keepGoing;
    /// Called every @c pollEveryRows detail rows and once at the end with the
    /// detail rows written and the total. May be empty.
    std::function<void(std::int64_t done, std::int64_t total)> progress;
    std::int64_t pollEveryRows = 10000;
};

/// What an export did. A cancel is an outcome, not an error.
struct ExportResult
{
    bool cancelled = false;
    std::string path; ///< the file written; empty when cancelled
    Report summary;   ///< the summary tables (detail vectors empty)
    std::int64_t applicationRows = 0;
    std::int64_t complaintRows = 0;
};

/// Writes the period report as one Excel workbook with the sheets Ringkasan,
/// Per Kecamatan, Tren (line chart), Pengaduan (column chart), Verifikasi,
/// Detail Permohonan and Detail Pengaduan (English names with language "en").
/// The whole workbook is written in libxlsxwriter's constant-memory mode, so
/// memory stays flat however many detail rows there are; dates are real Excel
/// dates and figures are numbers.
///
/// The file is written to a temporary name in the target's folder and renamed
/// over the target only when complete, so the target never holds a partial
/// workbook. Before anything is written the options are checked; each problem
/// throws Error(InvalidData) and writes nothing:
/// - "to: must not be before from (YYYY-MM-DD), got YYYY-MM-DD"
/// - "xlsx: the file name must end in .xlsx, got \"...\""
/// - "xlsx: folder ... does not exist" / "xlsx: cannot write in folder ...: reason"
/// - "lang: must be id or en, got \"...\""
/// A failure while writing throws Error(Storage); a cancel returns
/// cancelled = true. In both cases the temporary file is removed and nothing
/// is left at the target path (an existing target is left untouched).
///
/// Runs on the caller's connection (see ReportSource); call it from a worker
/// thread that owns its own CaseStore to keep a window responsive.
ExportResult exportExcel(Database& db, const WorkingDayCalendar& calendar, int utcOffsetMinutes,
                         const ExportOptions& options);

/// The same on a store's database, calendar and office zone.
ExportResult exportExcel(CaseStore& store, const ExportOptions& options);

/// Checks @p options as exportExcel() does, without writing anything.
void checkExportOptions(const ExportOptions& options);

/// A heading in @p language ("id" or "en") by its key in the heading table,
/// e.g. headingText("en", "sheet.summary") == "Summary". Throws
/// Error(Internal) for an unknown key.
std::string headingText(const std::string& language, const std::string& key);

} // namespace berkas::model
