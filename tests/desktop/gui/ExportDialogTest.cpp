#include "desktop/ExportDialog.h"

#include "tests/desktop/gui/GuiFixture.h"
#include "tests/model/XlsxReader.h"

#include <Poco/DirectoryIterator.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <set>
#include <thread>

using namespace berkas;
using berkas::test::FrameFixture;
using berkas::test::pumpEvents;
using berkas::test::TempDir;
using Dialog = berkas::desktop::ExportDialog;

namespace {

/// The main frame with one submitted application (submitted today) and the
/// export dialog over it, with Indonesian headings, and an empty output folder.
struct ExportFixture : FrameFixture
{
    TempDir out;
    Dialog* dialog = nullptr;

    ExportFixture()
    {
        model::CaseStore& store = frame->store();
        const std::string id = store.create("application", {{"service_code", "SIPD"},
                                                            {"applicant_name", "Siti Aminah"},
                                                            {"nik", test::kValidNik},
                                                            {"phone", "081234567890"},
                                                            {"kecamatan", "32.75.09"},
                                                            {"channel", "portal"}});
        store.update(id, {{"status", "submitted"}});
        dialog = new Dialog(frame, frame->session(), "id", store.today());
        dialog->confirmOverwrite = [](const wxString&) { return true; };
        dialog->Show();
        pumpEvents();
    }
    ~ExportFixture()
    {
        dialog->Destroy();
        pumpEvents();
    }

    std::string file(const std::string& name) const { return Poco::Path(out.path).append(name).toString(); }

    /// Pumps events until the worker has reported (at most a minute).
    void waitForWorker()
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (dialog->state() == Dialog::State::Running && std::chrono::steady_clock::now() < deadline)
        {
            pumpEvents();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(dialog->state() != Dialog::State::Running);
    }

    std::set<std::string> listing() const
    {
        std::set<std::string> names;
        for (Poco::DirectoryIterator it(out.path), end; it != end; ++it)
            names.insert(it.name());
        return names;
    }
};

} // namespace

TEST_CASE("ExportDialog: the period defaults to this month and the quick choices set it", "[gui][export]")
{
    ExportFixture f;
    const model::Date today = f.frame->store().today();
    CHECK(f.dialog->from() == model::Date(today.year(), today.month(), 1));
    CHECK(f.dialog->to() == today);

    f.dialog->choosePreset(Dialog::kLastMonth);
    const model::Date lastDay = model::Date(today.year(), today.month(), 1).addDays(-1);
    CHECK(f.dialog->from() == model::Date(lastDay.year(), lastDay.month(), 1));
    CHECK(f.dialog->to() == lastDay);

    f.dialog->choosePreset(Dialog::kThisYear);
    CHECK(f.dialog->from() == model::Date(today.year(), 1, 1));
    CHECK(f.dialog->to() == today);
}

TEST_CASE("ExportDialog: a valid period writes a workbook with the report's sheets", "[gui][export]")
{
    ExportFixture f;
    f.dialog->choosePreset(Dialog::kThisMonth);
    const std::string path = f.file("laporan.xlsx");
    f.dialog->setPath(wxString::FromUTF8(path));

    REQUIRE(f.dialog->startExport());
    CHECK(f.dialog->state() == Dialog::State::Running);
    f.waitForWorker();

    INFO(f.dialog->message().utf8_str().data());
    REQUIRE(f.dialog->state() == Dialog::State::Done);
    CHECK(f.dialog->writtenPath() == wxString::FromUTF8(path));
    CHECK(f.dialog->message().Contains("laporan.xlsx"));
    // Only the workbook: no temporary file is left next to it.
    CHECK(f.listing() == std::set<std::string>{"laporan.xlsx"});

    test::Workbook wb(path);
    CHECK(wb.sheetNames() == std::vector<std::string>{"Ringkasan", "Per Kecamatan", "Tren", "Pengaduan", "Verifikasi",
                                                      "Detail Permohonan", "Detail Pengaduan"});
    auto detail = wb.cells("Detail Permohonan");
    CHECK(detail["A1"].value == "No. Registrasi");
    CHECK(detail["D2"].value == "Siti Aminah");
}

TEST_CASE("ExportDialog: bad input shows the problem and writes nothing", "[gui][export]")
{
    ExportFixture f;
    const model::Date today = f.frame->store().today();

    SECTION("an end before the start")
    {
        f.dialog->setPeriod(today, today.addDays(-1));
        f.dialog->setPath(wxString::FromUTF8(f.file("laporan.xlsx")));
        CHECK_FALSE(f.dialog->startExport());
        CHECK(f.dialog->message().Contains("before it starts"));
    }
    SECTION("a file name without .xlsx")
    {
        f.dialog->setPath(wxString::FromUTF8(f.file("laporan.xls")));
        CHECK_FALSE(f.dialog->startExport());
        CHECK(f.dialog->message().Contains(".xlsx"));
    }
    SECTION("a folder that does not exist")
    {
        f.dialog->setPath(wxString::FromUTF8(f.file("tidak-ada/laporan.xlsx")));
        CHECK_FALSE(f.dialog->startExport());
        CHECK(f.dialog->message().Contains("does not exist"));
    }
    pumpEvents();
    CHECK(f.dialog->state() == Dialog::State::Idle);
    CHECK(f.dialog->writtenPath().empty());
    CHECK(f.listing().empty());
}

TEST_CASE("ExportDialog: Stop cancels the export and leaves nothing", "[gui][export]")
{
    ExportFixture f;
    const std::string path = f.file("laporan.xlsx");
    f.dialog->setPath(wxString::FromUTF8(path));
    // The worker waits until Stop has been pressed, so the cancel always
    // lands while the export is under way.
    std::promise<void> stopped;
    std::shared_future<void> released = stopped.get_future().share();
    f.dialog->beforeWorkerExport = [released] { released.wait(); };

    REQUIRE(f.dialog->startExport());
    f.dialog->cancelExport();
    stopped.set_value();
    f.waitForWorker();

    INFO(f.dialog->message().utf8_str().data());
    CHECK(f.dialog->state() == Dialog::State::Cancelled);
    CHECK(f.dialog->writtenPath().empty());
    CHECK(f.listing().empty());
    CHECK_FALSE(Poco::File(path).exists());
}
