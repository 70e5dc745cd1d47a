#include "model/ExcelExport.h"

#include "model/CaseStore.h"
#include "model/Database.h"
#include "model/Error.h"
#include "model/Regions.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

namespace berkas::model {

namespace {

/// Every text the workbook shows, by key, in the two interface languages.
struct Heading
{
    const char* key;
    const char* id;
    const char* en;
};

const Heading kHeadings[] = {
    {"sheet.summary", "Ringkasan", "Summary"},
    {"sheet.kecamatan", "Per Kecamatan", "By District"},
    {"sheet.trend", "Tren", "Trend"},
    {"sheet.complaints", "Pengaduan", "Complaints"},
    {"sheet.verification", "Verifikasi", "Verification"},
    {"sheet.applications", "Detail Permohonan", "Application Details"},
    {"sheet.complaintDetail", "Detail Pengaduan", "Complaint Details"},
    {"title.summary", "Ringkasan Pelayanan Perizinan", "Licensing Service Summary"},
    {"title.kecamatan", "Permohonan per Kecamatan", "Applications by District"},
    {"title.trend", "Permohonan per Minggu", "Applications per Week"},
    {"title.byChannel", "Pengaduan per Kanal", "Complaints by Channel"},
    {"title.byCategory", "Pengaduan per Kategori", "Complaints by Category"},
    {"title.verification", "Verifikasi Lapangan", "Field Verification"},
    {"label.office", "Kantor", "Office"},
    {"label.period", "Periode", "Period"},
    {"label.until", "s.d.", "to"},
    {"label.exportedAt", "Diekspor", "Exported"},
    {"col.serviceCode", "Kode Layanan", "Service Code"},
    {"col.serviceName", "Nama Layanan", "Service Name"},
    {"col.received", "Diterima", "Received"},
    {"col.finished", "Selesai", "Finished"},
    {"col.onTime", "Tepat Waktu", "On Time"},
    {"col.late", "Terlambat", "Late"},
    {"col.open", "Masih Proses", "Still Open"},
    {"col.overdue", "Lewat Tenggat", "Overdue"},
    {"col.onTimeShare", "% Tepat Waktu", "% On Time"},
    {"col.kecamatanCode", "Kode Kecamatan", "District Code"},
    {"col.kecamatan", "Kecamatan", "District"},
    {"col.week", "Minggu", "Week"},
    {"col.weekStart", "Mulai (Senin)", "Starts (Monday)"},
    {"col.channel", "Kanal", "Channel"},
    {"col.category", "Kategori", "Category"},
    {"col.responded", "Ditanggapi", "Responded"},
    {"col.respondedWithinDue", "Ditanggapi Tepat Waktu", "Responded On Time"},
    {"col.withinDueShare", "% Tepat Waktu", "% On Time"},
    {"col.medianWorkingDays", "Median Hari Kerja Tanggapan", "Median Working Days to Respond"},
    {"col.verifier", "Verifikator", "Verifier"},
    {"col.result", "Hasil", "Result"},
    {"col.tasks", "Tugas", "Tasks"},
    {"col.visited", "Dikunjungi", "Visited"},
    {"col.avgDaysToVisit", "Rata-rata Hari sampai Kunjungan", "Average Days to Visit"},
    {"col.regNo", "No. Registrasi", "Registration No."},
    {"col.provisionalNo", "No. Sementara", "Provisional No."},
    {"col.applicant", "Pemohon", "Applicant"},
    {"col.status", "Status", "Status"},
    {"col.submitted", "Diajukan", "Submitted"},
    {"col.due", "Tenggat", "Due Date"},
    {"col.finishedOn", "Tanggal Selesai", "Finished On"},
    {"col.outcome", "Keterangan", "Outcome"},
    {"col.id", "ID", "ID"},
    {"col.kind", "Jenis", "Kind"},
    {"col.complainant", "Pengadu", "Complainant"},
    {"col.subject", "Perihal", "Subject"},
    {"col.receivedOn", "Tanggal Diterima", "Received On"},
    {"col.respondedOn", "Tanggal Ditanggapi", "Responded On"},
    {"col.workingDays", "Hari Kerja", "Working Days"},
    {"col.withinDue", "Tepat Waktu", "On Time"},
    {"row.total", "Jumlah", "Total"},
    {"value.yes", "Ya", "Yes"},
    {"value.no", "Tidak", "No"},
    {"value.none", "(tanpa)", "(none)"},
    {"outcome.on_time", "Tepat waktu", "On time"},
    {"outcome.late", "Terlambat", "Late"},
    {"outcome.open", "Masih proses", "Open"},
    {"outcome.overdue", "Lewat tenggat", "Overdue"},
    {"outcome.withdrawn", "Ditarik kembali", "Withdrawn"},
    {"outcome.other", "Lainnya", "Other"},
    {"note.title", "Definisi", "Definitions"},
    {"note.received", "Diterima: permohonan yang tanggal pengajuannya (submitted_at) dalam periode.",
     "Received: applications submitted (submitted_at) within the period."},
    {"note.finished",
     "Selesai: permohonan yang pertama kali disetujui, ditolak atau terbit dalam periode (menurut jejak audit).",
     "Finished: applications first approved, rejected or issued within the period (from the audit trail)."},
    {"note.onTime", "Tepat waktu: selesai paling lambat pada tenggat (due_date) atau tanpa tenggat; terlambat: sesudah tenggat.",
     "On time: finished on or before the due date, or without one; late: after it."},
    {"note.open",
     "Masih proses: diajukan, belum selesai dan belum ditarik pada akhir periode; lewat tenggat: tenggatnya sebelum akhir periode.",
     "Still open: submitted, neither finished nor withdrawn at the end of the period; overdue: due before the end of the period."},
    {"note.complaints",
     "Pengaduan yang diterima dalam periode. Ditanggapi: sampai akhir periode. Median dalam hari kerja dari diterima sampai "
     "ditanggapi (hari diterima tidak dihitung; akhir pekan dan hari libur dilewati).",
     "Complaints received within the period. Responded: by the end of the period. Median in working days from receipt to "
     "response (the day of receipt not counted; weekends and holidays skipped)."},
    {"note.verification",
     "Tugas yang ditugaskan dalam periode. Rata-rata hari kalender dari penugasan (created_at) sampai kunjungan (visited_at).",
     "Tasks assigned within the period. Average calendar days from assignment (created_at) to visit (visited_at)."},
};

constexpr lxw_row_t kMaxDataRows = LXW_ROW_MAX - 1; // below the header row

bool endsWithXlsx(const std::string& path)
{
    if (path.size() < 5)
        return false;
    std::string tail = path.substr(path.size() - 5);
    std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) { return std::tolower(c); });
    return tail == ".xlsx";
}

std::string folderOf(const std::string& path)
{
    const Poco::Path p(path);
    std::string parent = p.parent().toString();
    if (parent.size() > 1 && parent.back() == '/')
        parent.pop_back();
    return parent.empty() ? std::string(".") : parent;
}

lxw_datetime toExcel(Date d)
{
    return lxw_datetime{d.year(), d.month(), d.day(), 0, 0, 0.0};
}

/// The wall time written at the start of an ISO 8601 timestamp, no zone conversion.
std::optional<lxw_datetime> parseLocalTime(const std::string& iso)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 ||
        !Date::isValid(y, mo, d))
        return std::nullopt;
    return lxw_datetime{y, mo, d, h, mi, static_cast<double>(s)};
}

/// Removes the temporary file unless it was renamed over the target, and
/// frees an unclosed workbook without writing it.
class PendingFile
{
public:
    explicit PendingFile(std::string path) : m_path(std::move(path)) {}
    ~PendingFile()
    {
        if (m_workbook)
            lxw_workbook_free(m_workbook);
        if (!m_done)
            std::remove(m_path.c_str());
    }
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;

    const std::string& path() const { return m_path; }
    void own(lxw_workbook* workbook) { m_workbook = workbook; }
    /// workbook_close() frees the workbook whatever it returns.
    void released() { m_workbook = nullptr; }
    void done() { m_done = true; }

private:
    std::string m_path;
    lxw_workbook* m_workbook = nullptr;
    bool m_done = false;
};

struct Cancelled
{
};

/// Writes one workbook; throws Cancelled when the caller's keepGoing says so.
class WorkbookWriter
{
public:
    WorkbookWriter(lxw_workbook* wb, const ExportOptions& options) : m_wb(wb), m_options(options)
    {
        m_bold = workbook_add_format(wb);
        format_set_bold(m_bold);
        m_title = workbook_add_format(wb);
        format_set_bold(m_title);
        format_set_font_size(m_title, 14);
        m_header = workbook_add_format(wb);
        format_set_bold(m_header);
        format_set_bg_color(m_header, 0xDDEBF7);
        format_set_bottom(m_header, LXW_BORDER_THIN);
        format_set_text_wrap(m_header);
        format_set_align(m_header, LXW_ALIGN_VERTICAL_TOP);
        m_date = workbook_add_format(wb);
        format_set_num_format(m_date, "yyyy-mm-dd");
        m_dateTime = workbook_add_format(wb);
        format_set_num_format(m_dateTime, "yyyy-mm-dd hh:mm");
        m_percent = workbook_add_format(wb);
        format_set_num_format(m_percent, "0.0%");
        m_decimal = workbook_add_format(wb);
        format_set_num_format(m_decimal, "0.0");
        m_totalNumber = workbook_add_format(wb);
        format_set_bold(m_totalNumber);
        format_set_top(m_totalNumber, LXW_BORDER_THIN);
        m_totalPercent = workbook_add_format(wb);
        format_set_bold(m_totalPercent);
        format_set_top(m_totalPercent, LXW_BORDER_THIN);
        format_set_num_format(m_totalPercent, "0.0%");
        m_note = workbook_add_format(wb);
        format_set_italic(m_note);
        format_set_font_color(m_note, 0x595959);
    }

    std::string h(const std::string& key) const { return headingText(m_options.language, key); }

    void checkpoint()
    {
        if (m_options.keepGoing && !m_options.keepGoing())
            throw Cancelled{};
    }

    void summarySheet(const Report& r)
    {
        lxw_worksheet* ws = m_summarySheets.at("sheet.summary");
        worksheet_set_column(ws, 0, 0, 16, nullptr);
        worksheet_set_column(ws, 1, 1, 44, nullptr);
        worksheet_set_column(ws, 2, 8, 13, nullptr);
        text(ws, 0, 0, h("title.summary"), m_title);
        text(ws, 1, 0, h("label.office"), m_bold);
        text(ws, 1, 1, m_options.officeName);
        text(ws, 2, 0, h("label.period"), m_bold);
        date(ws, 2, 1, r.period.from);
        text(ws, 2, 2, h("label.until"));
        date(ws, 2, 3, r.period.to);
        if (const auto at = parseLocalTime(m_options.exportedAt))
        {
            text(ws, 3, 0, h("label.exportedAt"), m_bold);
            lxw_datetime t = *at;
            worksheet_write_datetime(ws, 3, 1, &t, m_dateTime);
            text(ws, 3, 2, m_options.exportedAt.substr(19));
        }
        lxw_row_t row = countsTable(ws, 5, "col.serviceCode", "col.serviceName", r.byService, r.total);
        row += 1;
        text(ws, row++, 0, h("note.title"), m_bold);
        for (const char* key : {"note.received", "note.finished", "note.onTime", "note.open"})
            text(ws, row++, 0, h(key), m_note);
    }

    void kecamatanSheet(const Report& r)
    {
        lxw_worksheet* ws = m_summarySheets.at("sheet.kecamatan");
        worksheet_set_column(ws, 0, 0, 16, nullptr);
        worksheet_set_column(ws, 1, 1, 26, nullptr);
        worksheet_set_column(ws, 2, 8, 13, nullptr);
        text(ws, 0, 0, h("title.kecamatan"), m_title);
        countsTable(ws, 2, "col.kecamatanCode", "col.kecamatan", r.byKecamatan, r.total);
        worksheet_freeze_panes(ws, 3, 0);
    }

    void trendSheet(const Report& r)
    {
        lxw_worksheet* ws = m_summarySheets.at("sheet.trend");
        worksheet_set_column(ws, 0, 0, 12, nullptr);
        worksheet_set_column(ws, 1, 3, 14, nullptr);
        text(ws, 0, 0, h("title.trend"), m_title);
        headerRow(ws, 2, {"col.week", "col.weekStart", "col.received", "col.finished"});
        lxw_row_t row = 3;
        for (const auto& w : r.trend)
        {
            text(ws, row, 0, w.week);
            date(ws, row, 1, w.monday);
            number(ws, row, 2, static_cast<double>(w.received));
            number(ws, row, 3, static_cast<double>(w.finished));
            ++row;
        }
        const std::string sheet = h("sheet.trend");
        lxw_chart* chart = workbook_add_chart(m_wb, LXW_CHART_LINE);
        const std::string title = h("title.trend");
        chart_title_set_name(chart, title.c_str());
        for (lxw_col_t col : {lxw_col_t(2), lxw_col_t(3)})
        {
            lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
            chart_series_set_categories(s, sheet.c_str(), 3, 0, row - 1, 0);
            chart_series_set_values(s, sheet.c_str(), 3, col, row - 1, col);
            chart_series_set_name_range(s, sheet.c_str(), 2, col);
            chart_series_set_marker_type(s, LXW_CHART_MARKER_CIRCLE);
        }
        chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
        worksheet_insert_chart(ws, 2, 5, chart);
    }

    void complaintsSheet(const Report& r)
    {
        lxw_worksheet* ws = m_summarySheets.at("sheet.complaints");
        worksheet_set_column(ws, 0, 0, 24, nullptr);
        worksheet_set_column(ws, 1, 5, 14, nullptr);
        text(ws, 0, 0, h("title.byChannel"), m_title);
        text(ws, 1, 0, h("note.complaints"), m_note);
        const lxw_row_t channelHeader = 3;
        lxw_row_t row = complaintTable(ws, channelHeader, "col.channel", r.complaintsByChannel, r.complaintTotal);
        const lxw_row_t lastChannel = row - 2; // before the total row
        row += 1;
        text(ws, row++, 0, h("title.byCategory"), m_title);
        complaintTable(ws, row, "col.category", r.complaintsByCategory, r.complaintTotal);

        const std::string sheet = h("sheet.complaints");
        lxw_chart* chart = workbook_add_chart(m_wb, LXW_CHART_COLUMN);
        const std::string title = h("title.byChannel");
        chart_title_set_name(chart, title.c_str());
        for (lxw_col_t col : {lxw_col_t(1), lxw_col_t(3)})
        {
            lxw_chart_series* s = chart_add_series(chart, nullptr, nullptr);
            chart_series_set_categories(s, sheet.c_str(), channelHeader + 1, 0, lastChannel, 0);
            chart_series_set_values(s, sheet.c_str(), channelHeader + 1, col, lastChannel, col);
            chart_series_set_name_range(s, sheet.c_str(), channelHeader, col);
        }
        chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
        worksheet_insert_chart(ws, channelHeader, 7, chart);
    }

    void verificationSheet(const Report& r)
    {
        lxw_worksheet* ws = m_summarySheets.at("sheet.verification");
        worksheet_set_column(ws, 0, 1, 20, nullptr);
        worksheet_set_column(ws, 2, 4, 14, nullptr);
        text(ws, 0, 0, h("title.verification"), m_title);
        text(ws, 1, 0, h("note.verification"), m_note);
        headerRow(ws, 3, {"col.verifier", "col.result", "col.tasks", "col.visited", "col.avgDaysToVisit"});
        lxw_row_t row = 4;
        std::int64_t tasks = 0, visited = 0;
        for (const auto& t : r.tasks)
        {
            text(ws, row, 0, t.verifier.empty() ? h("value.none") : t.verifier);
            text(ws, row, 1, t.result.empty() ? h("value.none") : t.result);
            number(ws, row, 2, static_cast<double>(t.tasks));
            number(ws, row, 3, static_cast<double>(t.visited));
            if (t.averageDaysToVisit)
                number(ws, row, 4, *t.averageDaysToVisit, m_decimal);
            tasks += t.tasks;
            visited += t.visited;
            ++row;
        }
        text(ws, row, 0, h("row.total"), m_totalNumber);
        number(ws, row, 2, static_cast<double>(tasks), m_totalNumber);
        number(ws, row, 3, static_cast<double>(visited), m_totalNumber);
    }

    /// Adds the summary sheets first, so they come first in the workbook;
    /// they are filled after the detail pass that computes their figures.
    void addSummarySheets()
    {
        for (const char* key :
             {"sheet.summary", "sheet.kecamatan", "sheet.trend", "sheet.complaints", "sheet.verification"})
            m_summarySheets[key] = addSheet(key);
    }

    /// Adds the two detail sheets with their headings.
    void beginDetails(std::int64_t total)
    {
        m_total = total;
        m_applications.emplace(*this, "sheet.applications",
                               std::vector<std::pair<const char*, double>>{
                                   {"col.regNo", 20}, {"col.provisionalNo", 22}, {"col.serviceCode", 12},
                                   {"col.applicant", 28}, {"col.kecamatanCode", 12}, {"col.kecamatan", 18},
                                   {"col.channel", 12}, {"col.status", 16}, {"col.submitted", 12}, {"col.due", 12},
                                   {"col.finishedOn", 12}, {"col.outcome", 15}, {"col.id", 38}});
        m_complaints.emplace(*this, "sheet.complaintDetail",
                             std::vector<std::pair<const char*, double>>{
                                 {"col.kind", 13}, {"col.channel", 13}, {"col.category", 18},
                                 {"col.complainant", 26}, {"col.subject", 36}, {"col.kecamatanCode", 12},
                                 {"col.status", 12}, {"col.receivedOn", 12}, {"col.due", 12},
                                 {"col.respondedOn", 12}, {"col.workingDays", 10}, {"col.withinDue", 10},
                                 {"col.id", 38}});
        for (int i = 0; i < 6; ++i)
            m_outcomeLabels[i] = h(std::string("outcome.") + outcomeName(static_cast<Outcome>(i)));
        m_yes = h("value.yes");
        m_no = h("value.no");
    }

    /// One row of "Detail Permohonan"; throws Cancelled when asked to stop.
    void applicationRow(const ApplicationDetail& d)
    {
        lxw_worksheet* ws = m_applications->ws;
        const lxw_row_t row = m_applications->nextRow();
        text(ws, row, 0, d.regNo);
        text(ws, row, 1, d.provisionalNo);
        text(ws, row, 2, d.serviceCode);
        text(ws, row, 3, d.applicantName);
        text(ws, row, 4, d.kecamatan);
        if (!d.kecamatan.empty())
        {
            auto it = m_kecamatanNames.find(d.kecamatan);
            if (it == m_kecamatanNames.end())
                it = m_kecamatanNames.emplace(d.kecamatan, Regions::standard().name(d.kecamatan)).first;
            text(ws, row, 5, it->second);
        }
        text(ws, row, 6, d.channel);
        text(ws, row, 7, d.status);
        optionalDate(ws, row, 8, d.submitted);
        optionalDate(ws, row, 9, d.due);
        optionalDate(ws, row, 10, d.finished);
        text(ws, row, 11, m_outcomeLabels[static_cast<int>(d.outcome)]);
        text(ws, row, 12, d.id);
        ++m_applicationRows;
        tick();
    }

    /// One row of "Detail Pengaduan"; throws Cancelled when asked to stop.
    void complaintRow(const ComplaintDetail& c)
    {
        lxw_worksheet* ws = m_complaints->ws;
        const lxw_row_t row = m_complaints->nextRow();
        text(ws, row, 0, c.kind);
        text(ws, row, 1, c.channel);
        text(ws, row, 2, c.category);
        text(ws, row, 3, c.complainantName);
        text(ws, row, 4, c.subject);
        text(ws, row, 5, c.kecamatan);
        text(ws, row, 6, c.status);
        optionalDate(ws, row, 7, c.received);
        optionalDate(ws, row, 8, c.due);
        optionalDate(ws, row, 9, c.responded);
        if (c.workingDaysToRespond)
            number(ws, row, 10, *c.workingDaysToRespond);
        text(ws, row, 11, c.withinDue ? m_yes : m_no);
        text(ws, row, 12, c.id);
        ++m_complaintRows;
        tick();
    }

    void finishDetails()
    {
        m_applications->finish();
        m_complaints->finish();
    }

    std::int64_t applicationRows() const { return m_applicationRows; }
    std::int64_t complaintRows() const { return m_complaintRows; }

    void finalProgress(std::int64_t done, std::int64_t total)
    {
        if (m_options.progress)
            m_options.progress(done, total);
    }

private:
    /// A detail sheet with a frozen, filtered header row; continues on
    /// "NAME 2", "NAME 3", ... when Excel's 1,048,576 rows are not enough.
    struct DetailSheet
    {
        DetailSheet(WorkbookWriter& w, const char* nameKey, std::vector<std::pair<const char*, double>> columns)
            : writer(w), key(nameKey), cols(std::move(columns))
        {
            open();
        }

        void open()
        {
            ++part;
            ws = writer.addSheet(key, part > 1 ? " " + std::to_string(part) : "");
            for (std::size_t c = 0; c < cols.size(); ++c)
                worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), cols[c].second,
                                     nullptr);
            std::vector<const char*> keys;
            for (const auto& c : cols)
                keys.push_back(c.first);
            writer.headerRow(ws, 0, keys);
            worksheet_freeze_panes(ws, 1, 0);
            rows = 0;
        }

        lxw_row_t nextRow()
        {
            if (rows == kMaxDataRows)
            {
                finish();
                open();
            }
            return ++rows;
        }

        void finish()
        {
            worksheet_autofilter(ws, 0, 0, rows, static_cast<lxw_col_t>(cols.size() - 1));
        }

        WorkbookWriter& writer;
        const char* key;
        std::vector<std::pair<const char*, double>> cols;
        lxw_worksheet* ws = nullptr;
        lxw_row_t rows = 0;
        int part = 0;
    };

    lxw_worksheet* addSheet(const char* key, const std::string& suffix = "")
    {
        checkpoint();
        const std::string name = h(key) + suffix;
        lxw_worksheet* ws = workbook_add_worksheet(m_wb, name.c_str());
        if (!ws)
            throw Error(ErrorCode::Internal, "cannot add worksheet " + name);
        return ws;
    }

    void tick()
    {
        const std::int64_t done = m_applicationRows + m_complaintRows;
        if (done % m_options.pollEveryRows != 0)
            return;
        if (m_options.progress)
            m_options.progress(done, m_total);
        checkpoint();
    }

    void headerRow(lxw_worksheet* ws, lxw_row_t row, const std::vector<const char*>& keys)
    {
        for (std::size_t c = 0; c < keys.size(); ++c)
            text(ws, row, static_cast<lxw_col_t>(c), h(keys[c]), m_header);
    }

    /// A table of application counts with a total row; returns the row after it.
    lxw_row_t countsTable(lxw_worksheet* ws, lxw_row_t row, const char* codeKey, const char* nameKey,
                          const std::vector<GroupRow>& rows, const ApplicationCounts& total)
    {
        headerRow(ws, row++, {codeKey, nameKey, "col.received", "col.finished", "col.onTime", "col.late",
                              "col.open", "col.overdue", "col.onTimeShare"});
        for (const auto& g : rows)
        {
            text(ws, row, 0, g.code.empty() ? h("value.none") : g.code);
            text(ws, row, 1, g.name);
            counts(ws, row++, g.counts, nullptr, m_percent);
        }
        text(ws, row, 0, h("row.total"), m_totalNumber);
        text(ws, row, 1, "", m_totalNumber);
        counts(ws, row++, total, m_totalNumber, m_totalPercent);
        return row;
    }

    void counts(lxw_worksheet* ws, lxw_row_t row, const ApplicationCounts& c, lxw_format* f, lxw_format* pct)
    {
        const std::int64_t values[] = {c.received, c.finished, c.onTime, c.late, c.open, c.overdue};
        for (lxw_col_t i = 0; i < 6; ++i)
            number(ws, row, static_cast<lxw_col_t>(2 + i), static_cast<double>(values[i]), f);
        if (c.finished)
            number(ws, row, 8, static_cast<double>(c.onTime) / static_cast<double>(c.finished), pct);
        else if (f)
            worksheet_write_blank(ws, row, 8, f);
    }

    /// A table of complaint figures with a total row; returns the row after it.
    lxw_row_t complaintTable(lxw_worksheet* ws, lxw_row_t row, const char* keyHeading,
                             const std::vector<ComplaintGroupRow>& rows, const ComplaintGroupRow& total)
    {
        headerRow(ws, row++, {keyHeading, "col.received", "col.responded", "col.respondedWithinDue",
                              "col.withinDueShare", "col.medianWorkingDays"});
        const auto line = [&](const ComplaintGroupRow& c, const std::string& label, lxw_format* f, lxw_format* pct) {
            text(ws, row, 0, label, f);
            number(ws, row, 1, static_cast<double>(c.received), f);
            number(ws, row, 2, static_cast<double>(c.responded), f);
            number(ws, row, 3, static_cast<double>(c.respondedWithinDue), f);
            number(ws, row, 4, c.shareWithinDue(), pct);
            if (c.medianWorkingDays)
                number(ws, row, 5, *c.medianWorkingDays, f ? f : m_decimal);
            ++row;
        };
        for (const auto& c : rows)
            line(c, c.key.empty() ? h("value.none") : c.key, nullptr, m_percent);
        line(total, h("row.total"), m_totalNumber, m_totalPercent);
        return row;
    }

    void text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& value, lxw_format* f = nullptr)
    {
        if (value.empty())
        {
            if (f)
                worksheet_write_blank(ws, row, col, f);
            return;
        }
        // Excel's limit is 32,767 characters per cell; a longer value would be
        // refused and the cell left empty.
        if (value.size() > 32000)
            worksheet_write_string(ws, row, col, value.substr(0, 32000).c_str(), f);
        else
            worksheet_write_string(ws, row, col, value.c_str(), f);
    }

    void number(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, double value, lxw_format* f = nullptr)
    {
        worksheet_write_number(ws, row, col, value, f);
    }

    void date(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, Date d)
    {
        lxw_datetime t = toExcel(d);
        worksheet_write_datetime(ws, row, col, &t, m_date);
    }

    void optionalDate(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::optional<Date>& d)
    {
        if (d)
            date(ws, row, col, *d);
    }

    lxw_workbook* m_wb;
    const ExportOptions& m_options;
    std::map<std::string, lxw_worksheet*> m_summarySheets;
    std::optional<DetailSheet> m_applications;
    std::optional<DetailSheet> m_complaints;
    std::unordered_map<std::string, std::string> m_kecamatanNames;
    std::string m_outcomeLabels[6];
    std::string m_yes;
    std::string m_no;
    std::int64_t m_total = 0;
    std::int64_t m_applicationRows = 0;
    std::int64_t m_complaintRows = 0;
    lxw_format* m_bold = nullptr;
    lxw_format* m_title = nullptr;
    lxw_format* m_header = nullptr;
    lxw_format* m_date = nullptr;
    lxw_format* m_dateTime = nullptr;
    lxw_format* m_percent = nullptr;
    lxw_format* m_decimal = nullptr;
    lxw_format* m_totalNumber = nullptr;
    lxw_format* m_totalPercent = nullptr;
    lxw_format* m_note = nullptr;
};

/// A name next to the target, hidden and unique, so that the rename is atomic
/// (same folder, same file system) and two exports never share it.
std::string temporaryNameFor(const std::string& target)
{
    Poco::Path p(target);
    std::random_device rd;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", rd());
    p.setFileName("." + p.getFileName() + "." + suffix + ".part");
    return p.toString();
}

} // namespace

std::string headingText(const std::string& language, const std::string& key)
{
    for (const auto& h : kHeadings)
        if (key == h.key)
            return language == "en" ? h.en : h.id;
    throw Error(ErrorCode::Internal, "no heading " + key);
}

void checkExportOptions(const ExportOptions& options)
{
    checkPeriod(options.period);
    if (options.language != "id" && options.language != "en")
        throw Error(ErrorCode::InvalidData, "lang: must be id or en, got \"" + options.language + "\"");
    if (options.path.empty())
        throw Error(ErrorCode::InvalidData, "xlsx: no file name given");
    if (!endsWithXlsx(options.path))
        throw Error(ErrorCode::InvalidData,
                    "xlsx: the file name must end in .xlsx, got \"" + Poco::Path(options.path).getFileName() + "\"");
    const std::string folder = folderOf(options.path);
    try
    {
        const Poco::File dir(folder);
        if (!dir.exists() || !dir.isDirectory())
            throw Error(ErrorCode::InvalidData, "xlsx: folder " + folder + " does not exist");
        const Poco::File target(options.path);
        if (target.exists() && target.isDirectory())
            throw Error(ErrorCode::InvalidData, "xlsx: " + options.path + " is a folder");
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::InvalidData, "xlsx: cannot use folder " + folder + ": " + e.displayText());
    }
}

ExportResult exportExcel(Database& db, const WorkingDayCalendar& calendar, int utcOffsetMinutes,
                         const ExportOptions& options)
{
    checkExportOptions(options);
    ExportResult result;

    // Claim the temporary file first: it proves the folder is writable before
    // any work, and libxlsxwriter overwrites it when the workbook is closed.
    PendingFile pending(temporaryNameFor(options.path));
    const std::string folder = folderOf(options.path);
    try
    {
        if (!Poco::File(pending.path()).createFile())
            throw Error(ErrorCode::Storage, "xlsx: temporary file " + pending.path() + " already exists");
    }
    catch (const Poco::Exception& e)
    {
        pending.done(); // nothing was created, nothing to remove
        std::string reason = e.name();
        if (!reason.empty())
            reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
        throw Error(ErrorCode::InvalidData, "xlsx: cannot write in folder " + folder + ": " + reason);
    }

    ReportSource source(db, calendar, utcOffsetMinutes, options.period);

    // Constant-memory mode keeps one row per sheet in memory; its row data goes
    // to temporary files in the target's folder rather than /tmp, which may be
    // memory-backed.
    lxw_workbook_options lxwOptions{};
    lxwOptions.constant_memory = LXW_TRUE;
    std::vector<char> tmpdir(folder.begin(), folder.end());
    tmpdir.push_back('\0');
    lxwOptions.tmpdir = tmpdir.data();
    lxw_workbook* wb = workbook_new_opt(pending.path().c_str(), &lxwOptions);
    if (!wb)
        throw Error(ErrorCode::Storage, "xlsx: cannot start a workbook (out of memory?)");
    pending.own(wb);

    try
    {
        WorkbookWriter writer(wb, options);
        writer.addSummarySheets();
        writer.beginDetails(source.applicationDetailCount() + source.complaintDetailCount());
        // One pass: each detail row is written as it is read and folded into
        // the summary, which then fills the sheets added first. In
        // constant-memory mode every sheet streams to its own temporary file,
        // so filling the first sheets last is fine.
        bool stopped = false;
        result.summary = source.run(
            [&](const ApplicationDetail& d) {
                writer.applicationRow(d);
                return true;
            },
            [&](const ComplaintDetail& c) {
                writer.complaintRow(c);
                return true;
            },
            stopped);
        writer.finishDetails();
        writer.summarySheet(result.summary);
        writer.kecamatanSheet(result.summary);
        writer.trendSheet(result.summary);
        writer.complaintsSheet(result.summary);
        writer.verificationSheet(result.summary);
        writer.checkpoint();
        result.applicationRows = writer.applicationRows();
        result.complaintRows = writer.complaintRows();
        writer.finalProgress(result.applicationRows + result.complaintRows,
                             result.applicationRows + result.complaintRows);
    }
    catch (const Cancelled&)
    {
        result.cancelled = true;
        return result;
    }

    pending.released();
    const lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR)
        throw Error(ErrorCode::Storage, "xlsx: cannot write " + options.path + ": " + lxw_strerror(rc));
    try
    {
        Poco::File(pending.path()).renameTo(options.path);
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "xlsx: cannot write " + options.path + ": " + e.message());
    }
    pending.done();
    result.path = options.path;
    return result;
}

ExportResult exportExcel(CaseStore& store, const ExportOptions& options)
{
    return exportExcel(store.database(), store.calendar(), store.utcOffsetMinutes(), options);
}

} // namespace berkas::model
