// The inspection report printed from a task's Visit tab: through wxPrinter,
// the system print dialog and GtkPrint's own "Print to File" printer, read
// back from the PDF GTK writes.
#include "desktop/BapReport.h"
#include "desktop/FieldVisitPage.h"
#include "desktop/MainFrame.h"
#include "desktop/RecordEditor.h"
#include "desktop/SignaturePad.h"
#include "model/Assets.h"
#include "model/AttachmentFiles.h"
#include "tests/desktop/gui/GuiFixture.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/PdfImages.h"
#include "tests/support/TestPhotos.h"

#include <wx/gtk/print.h>
#include <wx/timer.h>
#include <wx/utils.h>

#include <Poco/File.h>
#include <Poco/Path.h>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <regex>

using namespace berkas;
using berkas::test::pumpEvents;

namespace {

/// The GTK functions the test needs, taken from the GTK this process already
/// runs (wxGTK's), so the tests build without GTK's headers.
struct Gtk
{
    struct List // GLib's GList
    {
        void* data;
        List* next;
        List* prev;
    };
    template <class F>
    static F function(const char* name)
    {
        const auto f = reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
        REQUIRE(f);
        return f;
    }
    void (*objectSet)(void*, const char*, ...) = function<void (*)(void*, const char*, ...)>("g_object_set");
    void* (*settings)() = function<void* (*)()>("gtk_settings_get_default");
    void (*printSettingsSet)(GtkPrintSettings*, const char*, const char*) =
        function<void (*)(GtkPrintSettings*, const char*, const char*)>("gtk_print_settings_set");
    List* (*toplevels)() = function<List* (*)()>("gtk_window_list_toplevels");
    void (*listFree)(List*) = function<void (*)(List*)>("g_list_free");
    const char* (*typeName)(void*) = function<const char* (*)(void*)>("g_type_name_from_instance");
    void* (*selectedPrinter)(void*) = function<void* (*)(void*)>("gtk_print_unix_dialog_get_selected_printer");
    const char* (*printerName)(void*) = function<const char* (*)(void*)>("gtk_printer_get_name");
    void (*respond)(void*, int) = function<void (*)(void*, int)>("gtk_dialog_response");
};

/// Points @p data at GtkPrint's "Print to File" printer writing a PDF to
/// @p pdfPath, as a person would choose in the print dialog. wx keeps no
/// file name for GtkPrint, so the output URI goes into GTK's own settings.
void printToPdfFile(const Gtk& gtk, wxPrintData& data, const std::string& pdfPath)
{
    // Only GTK's file backend: its CUPS backend would keep looking for a CUPS
    // server this machine does not run, as on a desktop without CUPS.
    gtk.objectSet(gtk.settings(), "gtk-print-backends", "file", nullptr);
    data.SetPrinterName("Print to File");
    auto* native = dynamic_cast<wxGtkPrintNativeData*>(data.GetNativeData());
    REQUIRE(native);
    gtk.printSettingsSet(native->GetPrintConfig(), "output-uri", ("file://" + pdfPath).c_str());
    gtk.printSettingsSet(native->GetPrintConfig(), "output-file-format", "pdf");
}

/// Answers the system print dialog as a person would: once it shows with
/// "Print to File" chosen, presses Print. GTK's print without the dialog
/// skips virtual printers such as "Print to File", so the test goes through
/// the dialog the Print button opens.
class PrintDialogAnswer
{
public:
    explicit PrintDialogAnswer(const Gtk& gtk) : m_gtk(gtk)
    {
        m_timer.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { look(); });
        m_timer.Start(100);
    }
    bool answered() const { return m_answered; }

private:
    void look()
    {
        Gtk::List* windows = m_gtk.toplevels();
        for (Gtk::List* n = windows; n && !m_answered; n = n->next)
        {
            if (std::string(m_gtk.typeName(n->data)) != "GtkPrintUnixDialog")
                continue;
            void* printer = m_gtk.selectedPrinter(n->data);
            if (printer && std::string(m_gtk.printerName(printer)) == "Print to File")
            {
                m_answered = true;
                m_timer.Stop();
                m_gtk.respond(n->data, -5); // GTK_RESPONSE_OK: the Print button
            }
        }
        m_gtk.listFree(windows);
    }

    const Gtk& m_gtk;
    wxTimer m_timer;
    bool m_answered = false;
};

/// Waits up to @p seconds for @p path to hold a whole PDF (pdfinfo reads it).
bool pdfWritten(const std::string& path, int seconds)
{
    for (int i = 0; i < seconds * 10; ++i)
    {
        pumpEvents();
        if (Poco::File(path).exists() && test::runProcess("/usr/bin/pdfinfo", {path}).code == 0)
            return true;
        wxMilliSleep(100);
    }
    return false;
}

} // namespace

TEST_CASE("BapPrintout: the inspection report printed from the Visit tab is the saved report's drawing",
          "[gui][verification][report]")
{
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const std::string app = test::newFieldApplication(store);
    const auto items = model::referenceFindingsChecklist("PBG");
    REQUIRE(items.size() >= 2);
    const std::string task = store.create(
        "task", {{"application_id", app},
                 {"assigned_to", "vera.sintetis"},
                 {"latitude", "-6.2871"},
                 {"longitude", "106.9703"},
                 {"findings", model::formatFindings({{{items[0], true}, {items[1], false}},
                                                     "Pagar depan melewati garis sempadan sekitar 30 cm."})}});
    const std::string photo = Poco::Path(f.dir.path).append("depan.jpg").toString();
    test::writeFile(photo, test::photoJpeg({-6.2871, 106.9703, "2026:12:03 09:41:05", "+07:00"}));
    model::addAttachment(store, task, photo);

    desktop::RecordEditor* editor = f.frame->openRecord("task", task);
    REQUIRE(editor);
    desktop::FieldVisitPage* page = editor->visitPage();
    REQUIRE(page);
    page->applicantPad()->addStroke({{30, 80}, {90, 30}, {150, 90}, {210, 40}, {280, 70}});
    page->verifierPad()->addStroke({{20, 60}, {80, 90}, {140, 30}, {200, 80}});
    REQUIRE(page->saveSignatures());

    // The same report saved as PDF, to compare with what the printer gets.
    const std::string saved = Poco::Path(f.dir.path).append("disimpan.pdf").toString();
    REQUIRE(page->writeReport(saved));
    desktop::Letterhead head;
    head.officeName = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu";
    const desktop::BapReport report(store, task, head);
    REQUIRE(report.pageCount() == 2);
    const std::string number = report.summary().number;

    const std::string printed = Poco::Path(f.dir.path).append("dicetak.pdf").toString();
    const Gtk gtk;
    printToPdfFile(gtk, page->printData(), printed);
    bool sent = false;
    {
        const PrintDialogAnswer person(gtk);
        sent = page->printReport(true);
        CHECK(person.answered());
    }
    INFO(editor->message().utf8_str().data());
    REQUIRE(sent);
    REQUIRE(pdfWritten(printed, 30));
    CHECK_THAT(editor->message().utf8_str().data(),
               Catch::Contains("Inspection report " + number + " sent to the printer: 2 pages."));
    Poco::File(BERKAS_ARTIFACTS_DIR).createDirectories();
    Poco::File(printed).copyTo(std::string(BERKAS_ARTIFACTS_DIR) + "/bap-printed.pdf");

    // Two A4 pages, as the saved report has.
    const test::ProcessResult info = test::runProcess("/usr/bin/pdfinfo", {printed});
    REQUIRE(info.code == 0);
    INFO(info.out);
    CHECK(std::regex_search(info.out, std::regex("Pages: +2\n")));
    CHECK(std::regex_search(info.out, std::regex("Page size: +595\\.[0-9]+ x 841\\.[0-9]+ pts")));

    // The text of every page is the saved report's, line for line.
    const test::ProcessResult text = test::runProcess("/usr/bin/pdftotext", {"-layout", printed, "-"});
    REQUIRE(text.code == 0);
    for (const std::string& expected :
         {std::string("BERITA ACARA PEMERIKSAAN LAPANGAN"), "Nomor: " + number, std::string("Sari Wulandari"),
          std::string("vera.sintetis"), items[0], std::string("Tidak sesuai"), std::string("-6.2871, 106.9703"),
          "LAMPIRAN FOTO - " + number, std::string("Foto 1: depan.jpg")})
    {
        INFO(expected);
        CHECK(text.out.find(expected) != std::string::npos);
    }
    const test::ProcessResult savedText = test::runProcess("/usr/bin/pdftotext", {"-layout", saved, "-"});
    REQUIRE(savedText.code == 0);
    CHECK(text.out == savedText.out);

    // The photo goes to the printer as the JPEG it was, the signatures as images.
    const test::PdfImageCount images = test::pdfImages(printed);
    CHECK(images.jpegs == 1);
    CHECK(images.others >= 2);

    editor->Destroy();
    pumpEvents();
}
