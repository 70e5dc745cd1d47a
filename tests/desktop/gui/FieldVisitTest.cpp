// The Visit tab of a task: the service's findings checklist, the signature
// pads drawn with the pointer and stored as PNG attachments, the report.
#include "desktop/FieldVisitPage.h"
#include "desktop/MainFrame.h"
#include "desktop/RecordEditor.h"
#include "desktop/SignaturePad.h"
#include "desktop/TodayPanel.h"
#include "model/Assets.h"
#include "model/AttachmentFiles.h"
#include "tests/desktop/gui/GuiFixture.h"

#include <wx/bookctrl.h>
#include <wx/checklst.h>
#include <wx/listctrl.h>
#include <wx/dcclient.h>
#include <wx/dcmemory.h>
#include <wx/image.h>
#include <wx/mstream.h>
#include <wx/textctrl.h>
#include <wx/uiaction.h>
#include <wx/utils.h>

#include <Poco/File.h>
#include <Poco/Path.h>

#include <catch2/catch.hpp>

#include <fstream>

using namespace berkas;
using berkas::test::pumpEvents;

namespace {

/// Pixels of @p image that are not white: the ink of a signature.
int inked(const wxImage& image)
{
    int n = 0;
    const unsigned char* p = image.GetData();
    for (int i = 0; i < image.GetWidth() * image.GetHeight(); ++i)
        n += (p[i * 3] < 200 || p[i * 3 + 1] < 200 || p[i * 3 + 2] < 200) ? 1 : 0;
    return n;
}

/// The window as it shows on the screen, for a person to look at.
void screenshot(wxWindow* window, const std::string& name)
{
    window->Update();
    pumpEvents();
    wxWindowDC source(window);
    const wxSize size = window->GetSize();
    wxBitmap bitmap(size.x, size.y, 24);
    wxMemoryDC target(bitmap);
    target.Blit(0, 0, size.x, size.y, &source, 0, 0);
    target.SelectObject(wxNullBitmap);
    Poco::File(BERKAS_ARTIFACTS_DIR).createDirectories();
    bitmap.SaveFile(wxString(BERKAS_ARTIFACTS_DIR) + "/" + name, wxBITMAP_TYPE_PNG);
}

} // namespace

TEST_CASE("FieldVisit: findings checklist, signatures drawn with the pointer and stored as PNG, the report",
          "[gui][verification]")
{
    if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG))
        wxInitAllImageHandlers();
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Sari Wulandari"},
                                                         {"nik", test::kValidNik},
                                                         {"address", "Jl. Kenanga No. 5"},
                                                         {"kecamatan", "32.75.09"},
                                                         {"channel", "phone"}});
    const std::string task = store.create("task", {{"application_id", app}, {"assigned_to", "vera.sintetis"}});
    desktop::RecordEditor* editor = f.frame->openRecord("task", task);
    REQUIRE(editor);
    editor->SetSize(editor->FromDIP(wxSize(760, 820)));
    desktop::FieldVisitPage* page = editor->visitPage();
    REQUIRE(page);
    auto* notebook = dynamic_cast<wxBookCtrlBase*>(page->GetParent());
    REQUIRE(notebook);
    notebook->SetSelection(static_cast<size_t>(notebook->FindPage(page)));
    pumpEvents();

    // The checklist is the service's.
    const auto items = model::referenceFindingsChecklist("PBG");
    REQUIRE(page->checklist()->GetCount() == items.size());
    CHECK(page->checklist()->GetString(0).utf8_str().data() == items[0]);
    page->checklist()->Check(0, true);
    page->checklist()->Check(2, true);
    page->notes()->SetValue("Pagar depan melewati garis sempadan sekitar 30 cm.");
    REQUIRE(page->saveFindings());
    const model::Findings saved = model::parseFindings(store.get(task).value("findings"));
    REQUIRE(saved.items.size() == items.size());
    CHECK(saved.items[0].met);
    CHECK_FALSE(saved.items[1].met);
    CHECK(saved.items[2].met);
    CHECK(saved.notes == "Pagar depan melewati garis sempadan sekitar 30 cm.");
    // Loaded again, the ticks stand.
    page = editor->visitPage();
    CHECK(page->checklist()->IsChecked(2));
    CHECK_FALSE(page->checklist()->IsChecked(1));

    // Nothing drawn, nothing stored.
    CHECK_FALSE(page->saveSignatures());

    // The verifier signs with the pointer: real pointer events through the X server.
    desktop::SignaturePad* pad = page->verifierPad();
    editor->Raise();
    // The X server delivers the simulated pointer to where the window is
    // mapped: let the window manager settle first, and each event arrive.
    const auto settle = [] {
        for (int i = 0; i < 4; ++i)
        {
            pumpEvents();
            wxMilliSleep(15);
        }
    };
    settle();
    REQUIRE(pad->IsShownOnScreen());
    const wxPoint origin = pad->GetScreenPosition();
    wxUIActionSimulator sim;
    sim.MouseMove(origin + wxPoint(20, 60));
    settle();
    sim.MouseDown();
    settle();
    for (int x = 20; x <= 260; x += 20)
    {
        sim.MouseMove(origin + wxPoint(x, 60 + ((x / 20) % 2 ? 30 : -30)));
        settle();
    }
    sim.MouseUp();
    settle();
    CHECK(pad->strokes() == 1);
    // The applicant's, as a stroke handed to the pad.
    page->applicantPad()->addStroke({{30, 80}, {90, 30}, {150, 90}, {210, 40}, {280, 70}});
    screenshot(editor, "task-visit-form.png");

    REQUIRE(page->saveSignatures());
    model::ListQuery q;
    q.kind = "attachment";
    q.where = {{"parent_id", task}};
    const auto attachments = store.list(q);
    REQUIRE(attachments.size() == 2);
    for (const auto& a : attachments)
    {
        INFO(a.value("name"));
        CHECK((a.value("name") == "signature-verifier.png" || a.value("name") == "signature-applicant.png"));
        CHECK(a.value("mime") == "image/png");
        const std::string bytes = model::readAttachment(store, a.value("sha256"));
        CHECK(std::to_string(bytes.size()) == a.value("size"));
        wxMemoryInputStream in(bytes.data(), bytes.size());
        wxImage image(in, wxBITMAP_TYPE_PNG);
        REQUIRE(image.IsOk());
        const desktop::SignaturePad* drawn =
            a.value("name") == "signature-verifier.png" ? page->verifierPad() : page->applicantPad();
        CHECK(image.GetWidth() == drawn->GetClientSize().x);
        CHECK(inked(image) > 100);
    }

    // The report of the task, from the tab.
    const std::string pdf = Poco::Path(f.dir.path).append("bap.pdf").toString();
    REQUIRE(page->writeReport(pdf));
    std::ifstream in(pdf, std::ios::binary);
    std::string head(5, '\0');
    in.read(&head[0], 5);
    CHECK(head == "%PDF-");
    CHECK_THAT(editor->message().utf8_str().data(), Catch::Contains("BAP/"));
    editor->Destroy();
    pumpEvents();
}

TEST_CASE("FieldVisit: the day's visits above the field verification list, missed ones first", "[gui][verification]")
{
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const auto app = [&](const std::string& name, const std::string& address) {
        return store.create("application", {{"service_code", "SIA"},
                                            {"applicant_name", name},
                                            {"nik", test::kValidNik},
                                            {"address", address},
                                            {"kecamatan", "32.75.09"},
                                            {"channel", "phone"}});
    };
    const model::Date today = store.today();
    const std::string missed = store.create("task", {{"application_id", app("Budi Sintetis", "Jl. Melati No. 9")},
                                                     {"assigned_to", "vera.sintetis"},
                                                     {"scheduled_for", today.addDays(-3).toString()}});
    const std::string now = store.create("task", {{"application_id", app("Ani Sintetis", "Jl. Kenanga No. 5")},
                                                  {"assigned_to", "vera.sintetis"},
                                                  {"scheduled_for", today.toString()}});
    store.create("task", {{"application_id", app("Citra Sintetis", "Jl. Mawar No. 1")},
                          {"assigned_to", "vera.sintetis"},
                          {"scheduled_for", today.addDays(5).toString()}});
    f.frame->reloadAll();
    f.frame->showSection(desktop::MainFrame::kTasks);
    pumpEvents();

    desktop::TodayPanel* panel = f.frame->todayPanel();
    REQUIRE(panel);
    REQUIRE(panel->list()->GetItemCount() == 2);
    CHECK(panel->visits()[0].taskId == missed);
    CHECK(panel->visits()[1].taskId == now);
    CHECK(panel->list()->GetItemText(0, 2) == "Budi Sintetis");
    CHECK(panel->list()->GetItemText(1, 3) == "Jl. Kenanga No. 5");
    CHECK(panel->list()->GetItemText(1, 4) == "SIA Surat Izin Apotek");
    screenshot(f.frame, "today-visits.png");

    // Opening a visit opens its task.
    desktop::RecordEditor* opened = nullptr;
    panel->onOpen = [&](const std::string& id) { opened = f.frame->openRecord("task", id); };
    wxListEvent activate(wxEVT_LIST_ITEM_ACTIVATED, panel->list()->GetId());
    activate.m_itemIndex = 1;
    panel->list()->GetEventHandler()->ProcessEvent(activate);
    REQUIRE(opened);
    CHECK(opened->recordId() == now);
    opened->Destroy();
    pumpEvents();
}

TEST_CASE("FieldVisit: saving findings keeps what is typed under Details and in the tab, unsaved",
          "[gui][verification]")
{
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Sari Wulandari"},
                                                         {"nik", test::kValidNik},
                                                         {"kecamatan", "32.75.09"},
                                                         {"channel", "phone"}});
    const std::string task = store.create("task", {{"application_id", app}, {"assigned_to", "vera.sintetis"}});
    desktop::RecordEditor* editor = f.frame->openRecord("task", task);
    REQUIRE(editor);
    desktop::FieldVisitPage* page = editor->visitPage();
    REQUIRE(page);

    editor->typeInto("scheduled_for", "2026-12-14");
    editor->typeInto("latitude", "-6.2871");
    REQUIRE(editor->dirty());
    page->verifierPad()->addStroke({{20, 60}, {80, 90}, {140, 30}});
    page->checklist()->Check(0, true);
    page->notes()->SetValue("Sesuai.");
    REQUIRE(page->saveFindings());

    CHECK(model::parseFindings(store.get(task).value("findings")).notes == "Sesuai.");
    CHECK(store.get(task).value("scheduled_for").empty());
    CHECK(editor->dirty());
    CHECK(page->verifierPad()->strokes() == 1);
    CHECK(page->checklist()->IsChecked(0));
    REQUIRE(editor->save());
    CHECK(store.get(task).value("scheduled_for") == "2026-12-14");
    CHECK(store.get(task).value("latitude") == "-6.2871");
    CHECK_FALSE(editor->dirty());
    // A saved signature leaves its pad, so a second click stores nothing twice.
    REQUIRE(page->saveSignatures());
    CHECK(page->verifierPad()->empty());
    CHECK_FALSE(page->saveSignatures());
    editor->Destroy();
    pumpEvents();
}
