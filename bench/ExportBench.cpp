#include "bench/ExportBench.h"
#include "bench/PeakMemory.h"

#include "bench/BenchStore.h"

#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Date.h"
#include "model/Error.h"
#include "model/ExcelExport.h"
#include "model/Uuid.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <xlsxwriter.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace berkas::bench {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

const char* const kServices[] = {"PBG", "KKPR", "SIPD", "SIPB", "SIPP", "IOS", "TDUP", "SKRK"};
const char* const kChannels[] = {"portal", "phone", "email", "whatsapp", "social_media", "counter", "oss"};
const char* const kOpenStatuses[] = {"submitted", "document_check", "field_verification", "recommendation"};

std::string time(model::Date d, int hour)
{
    char text[32];
    std::snprintf(text, sizeof text, "%sT%02d:00:00+07:00", d.toString().c_str(), hour);
    return text;
}

/// Raw inserts, as the store would leave the rows (a bench fixture, not a
/// replicated write: no outbox).
void fill(model::CaseStore& store, std::int64_t count)
{
    model::Database& db = store.database();
    model::Transaction tx(db);
    model::Statement app(db, "INSERT INTO application (id, created_at, updated_at, deleted, _hlc, _device, reg_no, "
                             "provisional_no, service_code, applicant_name, nik, kecamatan, channel, status, "
                             "submitted_at, due_date) VALUES (?, ?, ?, 0, 1, 'bench', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    model::Statement audit(db, "INSERT INTO audit (record_id, kind, at, user, device, hlc, source, changes) "
                               "VALUES (?, 'application', ?, 'bench', 'bench', 1, 'local', ?)");
    model::Statement move(db, "INSERT INTO status_move (audit_id, record_id, status, source, hlc, at) "
                              "VALUES (?, ?, ?, 'local', 1, ?)");
    std::mt19937 rng(7);
    const model::Date first(2025, 1, 1);
    for (std::int64_t i = 0; i < count; ++i)
    {
        const model::Date submitted = first.addDays(static_cast<int>(i * 365 / count));
        const model::Date due = store.calendar().addWorkingDays(submitted.addDays(1), 5 + static_cast<int>(rng() % 10));
        const bool decided = rng() % 10 < 6;
        const model::Date decidedOn = submitted.addDays(2 + static_cast<int>(rng() % 20));
        const std::string id = model::newUuidV7();
        char number[32];
        std::snprintf(number, sizeof number, "P-BENCH-%07lld", static_cast<long long>(i + 1));
        char kecamatan[16];
        std::snprintf(kecamatan, sizeof kecamatan, "32.75.%02d", 1 + static_cast<int>(rng() % 12));
        const std::string status = decided ? (rng() % 5 ? "approved" : "rejected") : kOpenStatuses[rng() % 4];
        app.bind(1, id).bind(2, time(submitted, 8)).bind(3, time(decided ? decidedOn : submitted, 10));
        app.bind(4, decided ? "503/" + std::to_string(i + 1) + "/DPMPTSP" : "").bind(5, number);
        app.bind(6, kServices[rng() % 8]).bind(7, "Pemohon Nomor " + std::to_string(i + 1));
        app.bind(8, "3275091204850001").bind(9, kecamatan).bind(10, kChannels[rng() % 7]).bind(11, status);
        app.bind(12, time(submitted, 9)).bind(13, due.toString()).run();
        if (decided)
        {
            audit.bind(1, id).bind(2, time(decidedOn, 14))
                .bind(3, "[[\"status\",\"recommendation\",\"" + status + "\"]]")
                .run();
            move.bind(1, db.lastInsertRowid()).bind(2, id).bind(3, status).bind(4, time(decidedOn, 14)).run();
        }
    }
    tx.commit();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct Row
{
    std::string regNo, provisionalNo, service, applicant, kecamatan, kecamatanName, channel, status, outcome, id;
    model::Date submitted, due;
};

/// libxlsxwriter alone: the detail cells of the export from memory.
double baseline(const std::string& path, std::int64_t count)
{
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i)
        rows.push_back({"503/" + std::to_string(i + 1) + "/DPMPTSP", "P-BENCH-" + std::to_string(i + 1),
                        kServices[i % 8], "Pemohon Nomor " + std::to_string(i + 1), "32.75.09", "Jatiasih",
                        kChannels[i % 7], "approved", "Tepat waktu", model::newUuidV7(),
                        model::Date(2025, 1, 1).addDays(static_cast<int>(i * 365 / count)), model::Date(2025, 2, 1)});

    const auto start = Clock::now();
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Detail Permohonan");
    for (lxw_col_t c = 0; c < 13; ++c)
        worksheet_write_string(ws, 0, c, "Heading", nullptr);
    lxw_row_t r = 0;
    for (const auto& row : rows)
    {
        ++r;
        worksheet_write_string(ws, r, 0, row.regNo.c_str(), nullptr);
        worksheet_write_string(ws, r, 1, row.provisionalNo.c_str(), nullptr);
        worksheet_write_string(ws, r, 2, row.service.c_str(), nullptr);
        worksheet_write_string(ws, r, 3, row.applicant.c_str(), nullptr);
        worksheet_write_string(ws, r, 4, row.kecamatan.c_str(), nullptr);
        worksheet_write_string(ws, r, 5, row.kecamatanName.c_str(), nullptr);
        worksheet_write_string(ws, r, 6, row.channel.c_str(), nullptr);
        worksheet_write_string(ws, r, 7, row.status.c_str(), nullptr);
        lxw_datetime s{row.submitted.year(), row.submitted.month(), row.submitted.day(), 0, 0, 0};
        worksheet_write_datetime(ws, r, 8, &s, date);
        lxw_datetime d{row.due.year(), row.due.month(), row.due.day(), 0, 0, 0};
        worksheet_write_datetime(ws, r, 9, &d, date);
        worksheet_write_datetime(ws, r, 10, &d, date);
        worksheet_write_string(ws, r, 11, row.outcome.c_str(), nullptr);
        worksheet_write_string(ws, r, 12, row.id.c_str(), nullptr);
    }
    if (workbook_close(wb) != LXW_NO_ERROR)
        throw Error(ErrorCode::Storage, "bench: cannot write " + path);
    return secondsSince(start);
}

} // namespace

ExportBenchResult benchExport(const std::string& workDir, std::int64_t applications, int repeats)
{
    ExportBenchResult result;
    result.applications = applications;
    Poco::File(workDir).createDirectories();
    const std::string dataDir = Poco::Path(workDir).append("data").toString();
    if (Poco::File(dataDir).exists())
        Poco::File(dataDir).remove(true);

    auto start = Clock::now();
    model::StoreOptions storeOptions = benchStoreOptions(dataDir);
    storeOptions.deviceId = "bench";
    model::CaseStore store(storeOptions);
    fill(store, applications);
    // A store that grew over a year has its rows in the database file, its WAL
    // checkpointed a thousand pages at a time; one 1M-row transaction leaves
    // them all in the WAL, which every read would then go through.
    store.database().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    result.setupSeconds = secondsSince(start);

    model::ExportOptions options;
    options.path = Poco::Path(workDir).append("export.xlsx").toString();
    options.period = {model::Date(2025, 1, 1), model::Date(2025, 12, 31)};
    options.officeName = "Bench";
    options.exportedAt = store.nowIso();
    const std::string baselinePath = Poco::Path(workDir).append("baseline.xlsx").toString();
    model::ExportResult exported;
    for (int run = 0; run < std::max(1, repeats); ++run)
    {
        if (run == 0)
        {
            result.peakRssIsExportOnly = resetPeakRss();
            result.rssKbBeforeExport = statusKb("VmRSS:");
        }
        start = Clock::now();
        exported = model::exportExcel(store, options);
        result.exportRuns.push_back(secondsSince(start));
        if (run == 0)
        {
            result.peakRssKbAfterExport = peakRssKb();
            result.fileBytes = static_cast<std::int64_t>(Poco::File(options.path).getSize());
        }
        if (exported.applicationRows != applications)
            throw Error(ErrorCode::Internal, "bench: exported " + std::to_string(exported.applicationRows) +
                                                 " rows, expected " + std::to_string(applications));
        result.baselineRuns.push_back(baseline(baselinePath, applications));
    }
    result.exportSeconds = median(result.exportRuns);
    result.baselineSeconds = median(result.baselineRuns);
    result.ratio = result.exportSeconds / result.baselineSeconds;
    return result;
}

} // namespace berkas::bench
