#include "model/ExcelExport.h"

#include "model/Error.h"
#include "tests/model/ReportFixture.h"
#include "tests/model/XlsxReader.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <map>
#include <set>

using namespace berkas;
using berkas::model::Date;
using berkas::test::Cell;
using berkas::test::may;
using berkas::test::Workbook;

namespace {

/// Excel's serial number of a date (1900 system).
double serial(Date d)
{
    return static_cast<double>(d.toDays() - Date(1899, 12, 30).toDays());
}

double number(const std::map<std::string, Cell>& cells, const std::string& ref)
{
    INFO("cell " << ref);
    REQUIRE(cells.count(ref));
    REQUIRE(cells.at(ref).isNumber());
    return std::stod(cells.at(ref).value);
}

std::string text(const std::map<std::string, Cell>& cells, const std::string& ref)
{
    const auto it = cells.find(ref);
    return it == cells.end() ? std::string() : it->second.value;
}

/// The row (1-based) whose column A reads @p label, from @p start.
int findRow(const std::map<std::string, Cell>& cells, const std::string& label, int start = 1)
{
    for (int r = start; r < 10000; ++r)
        if (text(cells, "A" + std::to_string(r)) == label)
            return r;
    return -1;
}

/// The files in a folder, to prove an export left nothing behind.
std::set<std::string> listing(const std::string& folder)
{
    std::set<std::string> names;
    for (Poco::DirectoryIterator it(folder), end; it != end; ++it)
        names.insert(it.name());
    return names;
}

model::ExportOptions optionsFor(const std::string& path, Date from, Date to)
{
    model::ExportOptions o;
    o.path = path;
    o.period = {from, to};
    o.officeName = "DPMPTSP Kota Bekasi";
    o.exportedAt = "2021-06-01T08:30:00+07:00";
    return o;
}

const std::vector<std::string> kSheetsId = {"Ringkasan",  "Per Kecamatan",     "Tren",            "Pengaduan",
                                            "Verifikasi", "Detail Permohonan", "Detail Pengaduan"};

} // namespace

TEST_CASE("ExcelExport: May 2021 workbook has the sheets, headings and figures", "[model][excel]")
{
    test::ReportFixture f;
    f.fill();
    test::TempDir out;
    const std::string path = out.file("laporan-mei.xlsx");
    std::vector<std::pair<std::int64_t, std::int64_t>> progress;
    auto options = optionsFor(path, may(1), may(31));
    options.pollEveryRows = 3;
    options.progress = [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); };
    const auto result = model::exportExcel(f.store, options);
    REQUIRE_FALSE(result.cancelled);
    CHECK(result.path == path);
    CHECK(result.applicationRows == 10);
    CHECK(result.complaintRows == 4);
    CHECK(listing(out.path) == std::set<std::string>{"laporan-mei.xlsx"});
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back() == std::make_pair(std::int64_t(14), std::int64_t(14)));

    Workbook wb(path);
    CHECK(wb.sheetNames() == kSheetsId);

    SECTION("Ringkasan: office, period, export time, then one row per service and the total")
    {
        const auto c = wb.cells("Ringkasan");
        CHECK(text(c, "A1") == "Ringkasan Pelayanan Perizinan");
        CHECK(text(c, "B2") == "DPMPTSP Kota Bekasi");
        CHECK(number(c, "B3") == serial(may(1)));
        CHECK(wb.isDateStyle(c.at("B3").style));
        CHECK(number(c, "D3") == serial(may(31)));
        CHECK(number(c, "B4") == Approx(serial(Date(2021, 6, 1)) + 8.5 / 24));
        const int header = findRow(c, "Kode Layanan");
        REQUIRE(header > 0);
        const std::vector<std::string> headings = {"Kode Layanan", "Nama Layanan", "Diterima",      "Selesai",
                                                   "Tepat Waktu",  "Terlambat",    "Masih Proses",  "Lewat Tenggat",
                                                   "% Tepat Waktu"};
        for (std::size_t i = 0; i < headings.size(); ++i)
            CHECK(text(c, std::string(1, static_cast<char>('A' + i)) + std::to_string(header)) == headings[i]);
        for (const std::string code : {"KKPR", "SIPB"})
        {
            const int row = findRow(c, code, header);
            REQUIRE(row > 0);
            const std::string r = std::to_string(row);
            using test::sql::apps;
            CHECK(number(c, "C" + r) == f.count(apps(test::sql::kReceived, "service_code"), may(1), may(31), code));
            CHECK(number(c, "D" + r) == f.count(apps(test::sql::kFinished, "service_code"), may(1), may(31), code));
            CHECK(number(c, "E" + r) == f.count(apps(test::sql::kOnTime, "service_code"), may(1), may(31), code));
            CHECK(number(c, "F" + r) == f.count(apps(test::sql::kLate, "service_code"), may(1), may(31), code));
            CHECK(number(c, "G" + r) == f.count(apps(test::sql::kOpen, "service_code"), may(1), may(31), code));
            CHECK(number(c, "H" + r) == f.count(apps(test::sql::kOverdue, "service_code"), may(1), may(31), code));
        }
        const std::string t = std::to_string(findRow(c, "Jumlah", header));
        CHECK(number(c, "C" + t) == f.count(test::sql::apps(test::sql::kReceived), may(1), may(31)));
        CHECK(number(c, "C" + t) == 8);
        CHECK(number(c, "D" + t) == 5);
        CHECK(number(c, "E" + t) == 4);
        CHECK(number(c, "F" + t) == 1);
        CHECK(number(c, "G" + t) == 4);
        CHECK(number(c, "H" + t) == 2);
        CHECK(number(c, "I" + t) == Approx(0.8));
    }
    SECTION("Per Kecamatan: codes with names")
    {
        const auto c = wb.cells("Per Kecamatan");
        const int row = findRow(c, "32.75.09");
        REQUIRE(row > 0);
        const std::string r = std::to_string(row);
        CHECK(text(c, "B" + r) == "Jatiasih");
        CHECK(number(c, "C" + r) ==
              f.count(test::sql::apps(test::sql::kReceived, "kecamatan"), may(1), may(31), "32.75.09"));
        CHECK(number(c, "G" + r) ==
              f.count(test::sql::apps(test::sql::kOpen, "kecamatan"), may(1), may(31), "32.75.09"));
    }
    SECTION("Tren: a week per row with a line chart")
    {
        const auto c = wb.cells("Tren");
        CHECK(text(c, "A3") == "Minggu");
        CHECK(text(c, "A5") == "2021-W18");
        CHECK(number(c, "B5") == serial(may(3)));
        CHECK(wb.isDateStyle(c.at("B5").style));
        CHECK(number(c, "C5") == 5);
        CHECK(number(c, "D5") == 1);
        CHECK(wb.has("xl/charts/chart1.xml"));
        CHECK(wb.part("xl/charts/chart1.xml").find("<c:lineChart>") != std::string::npos);
    }
    SECTION("Pengaduan: by channel and category, with a column chart")
    {
        const auto c = wb.cells("Pengaduan");
        const int row = findRow(c, "whatsapp");
        REQUIRE(row > 0);
        const std::string r = std::to_string(row);
        CHECK(number(c, "B" + r) == 2);
        CHECK(number(c, "C" + r) == 2);
        CHECK(number(c, "D" + r) == 1);
        CHECK(number(c, "E" + r) == Approx(0.5));
        CHECK(number(c, "F" + r) == Approx(4.5));
        const std::string t = std::to_string(findRow(c, "Jumlah"));
        CHECK(number(c, "B" + t) == f.count(test::sql::kComplaintsReceived, may(1), may(31)));
        CHECK(number(c, "C" + t) == f.count(test::sql::kComplaintsResponded, may(1), may(31)));
        CHECK(number(c, "D" + t) == f.count(test::sql::kComplaintsWithinDue, may(1), may(31)));
        CHECK(findRow(c, "Pengaduan per Kategori") > 0);
        CHECK(wb.part("xl/charts/chart2.xml").find("<c:barChart>") != std::string::npos);
    }
    SECTION("Verifikasi: average days as a number")
    {
        const auto c = wb.cells("Verifikasi");
        const int row = findRow(c, "verif.andi");
        REQUIRE(row > 0);
        CHECK(number(c, "E" + std::to_string(row)) == Approx(2.25));
        const std::string t = std::to_string(findRow(c, "Jumlah"));
        CHECK(number(c, "C" + t) ==
              f.count("SELECT COUNT(*) FROM task WHERE deleted = 0 AND date(created_at) BETWEEN ?1 AND ?2", may(1),
                      may(31)));
    }
    SECTION("Detail Permohonan: frozen header, autofilter, real dates")
    {
        const auto c = wb.cells("Detail Permohonan");
        CHECK(text(c, "A1") == "No. Registrasi");
        CHECK(text(c, "I1") == "Diajukan");
        CHECK(text(c, "L1") == "Keterangan");
        CHECK(c.count("A12") == 0);
        CHECK(c.count("B11") == 1);
        const std::string xml = wb.sheetXml("Detail Permohonan");
        CHECK(xml.find("<autoFilter ref=\"A1:M11\"/>") != std::string::npos);
        CHECK(xml.find("state=\"frozen\"") != std::string::npos);
        CHECK(xml.find("<col ") != std::string::npos);
        // The first row is A8, submitted 20 April, overdue since 28 April.
        CHECK(c.at("B2").type == "inlineStr");
        CHECK(number(c, "I2") == serial(Date(2021, 4, 20)));
        CHECK(wb.isDateStyle(c.at("I2").style));
        CHECK(number(c, "J2") == serial(Date(2021, 4, 28)));
        CHECK(text(c, "L2") == "Lewat tenggat");
        CHECK(text(c, "M2") == f.a[8]);
    }
    SECTION("Detail Pengaduan: working days as numbers")
    {
        const auto c = wb.cells("Detail Pengaduan");
        CHECK(text(c, "K1") == "Hari Kerja");
        CHECK(number(c, "K2") == 3);
        CHECK(number(c, "H2") == serial(may(11)));
        CHECK(text(c, "L2") == "Ya");
        CHECK(text(c, "L3") == "Tidak");
        CHECK(c.count("A6") == 0);
    }
}

TEST_CASE("ExcelExport: English headings with lang en", "[model][excel]")
{
    test::ReportFixture f;
    f.fill();
    test::TempDir out;
    auto options = optionsFor(out.file("may.xlsx"), may(1), may(31));
    options.language = "en";
    model::exportExcel(f.store, options);
    Workbook wb(options.path);
    CHECK(wb.sheetNames() == std::vector<std::string>{"Summary", "By District", "Trend", "Complaints",
                                                      "Verification", "Application Details", "Complaint Details"});
    const auto c = wb.cells("Summary");
    CHECK(text(c, "A1") == "Licensing Service Summary");
    CHECK(findRow(c, "Service Code") > 0);
    CHECK(findRow(c, "Total") > 0);
    CHECK(text(wb.cells("Application Details"), "L1") == "Outcome");
}

TEST_CASE("ExcelExport: an empty period gives a valid workbook with zeros", "[model][excel]")
{
    test::ReportFixture f;
    f.fill();
    test::TempDir out;
    const auto options = optionsFor(out.file("kosong.xlsx"), Date(2020, 1, 6), Date(2020, 1, 12));
    const auto result = model::exportExcel(f.store, options);
    CHECK(result.applicationRows == 0);
    Workbook wb(options.path);
    CHECK(wb.sheetNames() == kSheetsId);
    const auto c = wb.cells("Ringkasan");
    const std::string t = std::to_string(findRow(c, "Jumlah"));
    for (const char* col : {"C", "D", "E", "F", "G", "H"})
        CHECK(number(c, col + t) == 0);
    const auto p = wb.cells("Pengaduan");
    CHECK(number(p, "B" + std::to_string(findRow(p, "Jumlah"))) == 0);
    const auto d = wb.cells("Detail Permohonan");
    CHECK(text(d, "A1") == "No. Registrasi");
    CHECK(d.count("A2") == 0);
}

TEST_CASE("ExcelExport: bad input writes nothing", "[model][excel]")
{
    test::ReportFixture f;
    f.fill();
    test::TempDir out;
    const auto refused = [&](model::ExportOptions options, const std::string& start) {
        INFO(options.path);
        const auto before = listing(out.path);
        try
        {
            model::exportExcel(f.store, options);
            FAIL("no error");
        }
        catch (const Error& e)
        {
            CHECK(e.code() == ErrorCode::InvalidData);
            CHECK(std::string(e.what()).rfind(start, 0) == 0);
        }
        CHECK(listing(out.path) == before);
        CHECK_FALSE(Poco::File(options.path).exists());
    };

    SECTION("end before start")
    {
        refused(optionsFor(out.file("a.xlsx"), may(2), may(1)), "to: must not be before from (2021-05-02)");
    }
    SECTION("not .xlsx")
    {
        refused(optionsFor(out.file("a.xls"), may(1), may(2)), "xlsx: the file name must end in .xlsx");
        refused(optionsFor(out.file("a.csv"), may(1), may(2)), "xlsx: the file name must end in .xlsx");
    }
    SECTION("missing folder")
    {
        refused(optionsFor(out.file("missing/a.xlsx"), may(1), may(2)), "xlsx: folder");
    }
    SECTION("folder not writable")
    {
        if (geteuid() == 0)
        {
            // root writes through permission bits; /sys refuses even root.
            refused(optionsFor("/sys/berkas-test.xlsx", may(1), may(2)), "xlsx: cannot write in folder /sys");
        }
        else
        {
            Poco::File locked(out.file("locked"));
            locked.createDirectory();
            locked.setWriteable(false);
            refused(optionsFor(out.file("locked/a.xlsx"), may(1), may(2)), "xlsx: cannot write in folder");
            locked.setWriteable(true);
        }
    }
    SECTION("unknown language")
    {
        auto options = optionsFor(out.file("a.xlsx"), may(1), may(2));
        options.language = "fr";
        refused(options, "lang: must be id or en");
    }
}

TEST_CASE("ExcelExport: a cancel leaves nothing behind, not even the previous file", "[model][excel]")
{
    test::ReportFixture f;
    f.fill();
    test::TempDir out;
    const std::string path = out.file("laporan.xlsx");
    {
        std::ofstream old(path);
        old << "previous";
    }
    auto options = optionsFor(path, may(1), may(31));
    options.pollEveryRows = 2;
    int polls = 0;
    options.keepGoing = [&] { return ++polls < 8; };
    const auto result = model::exportExcel(f.store, options);
    CHECK(result.cancelled);
    CHECK(result.path.empty());
    CHECK(listing(out.path) == std::set<std::string>{"laporan.xlsx"});
    std::ifstream in(path);
    std::string content;
    in >> content;
    CHECK(content == "previous");

    SECTION("without a previous file the target stays absent")
    {
        options.path = out.file("baru.xlsx");
        polls = 0;
        CHECK(model::exportExcel(f.store, options).cancelled);
        CHECK(listing(out.path) == std::set<std::string>{"laporan.xlsx"});
    }
    SECTION("the store is usable afterwards and a second export succeeds")
    {
        f.at(Date(2021, 6, 3));
        f.store.update(f.a[5], {{"status", "withdrawn"}});
        options.keepGoing = nullptr;
        CHECK_FALSE(model::exportExcel(f.store, options).cancelled);
        Workbook wb(path);
        CHECK(wb.sheetNames().size() == 7);
    }
}
