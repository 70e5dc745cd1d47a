#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace berkas::bench {

/// Figures of one export benchmark run.
struct ExportBenchResult
{
    std::int64_t applications = 0;   ///< rows in the "Detail Permohonan" sheet
    double setupSeconds = 0;         ///< building the database (not part of the figure)
    double exportSeconds = 0;        ///< model::exportExcel, SQL and summary included (median of the runs)
    double baselineSeconds = 0;      ///< libxlsxwriter alone, same detail cells from memory (median of the runs)
    double ratio = 0;                ///< exportSeconds / baselineSeconds (target: <= 1.5)
    /// Peak RSS of the process during the first export (target < 100 MB). The
    /// kernel's high-water mark is reset just before it (Linux clear_refs), so
    /// the figure is the export's, not the setup's; where that is refused it is
    /// the process peak so far (setup included), and peakRssIsExportOnly is false.
    long peakRssKbAfterExport = 0;
    bool peakRssIsExportOnly = false;
    long rssKbBeforeExport = 0;      ///< RSS when the first export starts (the store and setup's leftovers)
    std::int64_t fileBytes = 0;      ///< size of the exported workbook
    std::vector<double> exportRuns;   ///< every export run, in order (seconds)
    std::vector<double> baselineRuns; ///< every baseline run, in order (seconds)
};

/// Builds a store in @p workDir (created; left in place) holding @p applications
/// submitted applications over one year, about 60% of them decided (with the
/// audit lines a real store has), exports the whole year with
/// model::exportExcel, then writes the same detail cells with libxlsxwriter
/// alone from a vector in memory (constant-memory mode) for comparison. Each
/// side runs @p repeats times, alternating (export, baseline, export, ...), so
/// that load from elsewhere on a shared machine hits both alike; the medians
/// count. The first export runs before any baseline has built its vector, and
/// its peak RSS is the memory figure. Throws berkas::Error on failure.
ExportBenchResult benchExport(const std::string& workDir, std::int64_t applications, int repeats = 3);

} // namespace berkas::bench
