#pragma once

#include <cstdint>
#include <string>

namespace berkas::bench {

/// Figures of one export benchmark run.
struct ExportBenchResult
{
    std::int64_t applications = 0;   ///< rows in the "Detail Permohonan" sheet
    double setupSeconds = 0;         ///< building the database (not part of the figure)
    double exportSeconds = 0;        ///< model::exportExcel, SQL and summary included (best run)
    double baselineSeconds = 0;      ///< libxlsxwriter alone, same detail cells from memory (best run)
    double ratio = 0;                ///< exportSeconds / baselineSeconds (target: <= 1.5)
    long peakRssKbAfterExport = 0;   ///< process peak RSS measured right after the export (target < 100 MB)
    std::int64_t fileBytes = 0;      ///< size of the exported workbook
};

/// Builds a store in @p workDir (created; left in place) holding @p applications
/// submitted applications over one year, about 60% of them decided (with the
/// audit lines a real store has), exports the whole year with
/// model::exportExcel, then writes the same detail cells with libxlsxwriter
/// alone from a vector in memory (constant-memory mode) for comparison. The
/// export runs before the baseline builds its vector, so the RSS figure is the
/// export's. Each side runs @p repeats times and the fastest run counts (the
/// machine is shared). Throws berkas::Error on failure.
ExportBenchResult benchExport(const std::string& workDir, std::int64_t applications, int repeats = 2);

} // namespace berkas::bench
