// The Visit tab of a task: the service's findings checklist, the signature
// pads drawn with the pointer and stored as PNG attachments, the report.
#include "desktop/FieldVisitPage.h"
#include "desktop/Language.h"
#include "desktop/MainFrame.h"
#include "desktop/RecordEditor.h"
#include "desktop/SignaturePad.h"
#include "desktop/TodayPanel.h"
#include "model/Assets.h"
#include "model/AttachmentFiles.h"
#include "model/Database.h"
#include "tests/desktop/gui/GuiFixture.h"
#include "tests/support/TestPhotos.h"

#include <wx/bookctrl.h>
#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/stattext.h>
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
using berkas::test::screenshot;

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

/// Shows the Visit tab of a task's @p editor; returns it.
desktop::FieldVisitPage* showVisitTab(desktop::RecordEditor* editor)
{
    desktop::FieldVisitPage* page = editor->visitPage();
    REQUIRE(page);
    auto* notebook = dynamic_cast<wxBookCtrlBase*>(page->GetParent());
    REQUIRE(notebook);
    notebook->SetSelection(static_cast<size_t>(notebook->FindPage(page)));
    pumpEvents();
    return page;
}

} // namespace

TEST_CASE("FieldVisit: findings checklist, signatures drawn with the pointer and stored as PNG, the report",
          "[gui][verification]")
{
    if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG))
        wxInitAllImageHandlers();
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const std::string app = test::newFieldApplication(store);
    const std::string task = store.create("task", {{"application_id", app}, {"assigned_to", "vera.sintetis"}});
    desktop::RecordEditor* editor = f.frame->openRecord("task", task);
    REQUIRE(editor);
    editor->SetSize(editor->FromDIP(wxSize(760, 820)));
    desktop::FieldVisitPage* page = showVisitTab(editor);

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

TEST_CASE("FieldVisit: a photo's location becomes the visit's, checked by the store, nothing typed lost",
          "[gui][verification][attachments]")
{
    test::FrameFixture f;
    model::CaseStore& store = f.frame->store();
    const std::string app = test::newFieldApplication(store);
    const std::string task = store.create("task", {{"application_id", app}, {"assigned_to", "vera.sintetis"}});
    desktop::RecordEditor* editor = f.frame->openRecord("task", task);
    REQUIRE(editor);
    editor->SetSize(editor->FromDIP(wxSize(760, 790)));
    desktop::FieldVisitPage* page = showVisitTab(editor);

    // No photo with a location yet: nothing offered, and the line says so.
    CHECK(page->photoLocations().empty());
    CHECK(page->photoChoice()->GetCount() == 0);
    CHECK_FALSE(page->photoChoice()->IsShown());
    CHECK_FALSE(page->usePhotoButton()->IsShown());
    CHECK_THAT(page->locationNote()->GetLabel().utf8_str().data(),
               Catch::Contains("No photo of this task has a location") &&
                   Catch::Contains("The task has no coordinates yet."));
    screenshot(editor, "task-visit-no-photo-location.png");

    // What the verifier has entered and not saved: the schedule under
    // Details, the words and a signature in the Visit tab.
    editor->typeInto("scheduled_for", "2026-12-14");
    REQUIRE(editor->dirty());
    page->notes()->SetValue("Bangunan sesuai gambar.");
    page->applicantPad()->addStroke({{30, 80}, {90, 30}, {150, 90}});

    // Photos attached in the Attachments tab: one taken on site with the
    // camera's location, one without GPS tags (not offered).
    const std::string front = f.dir.file("tampak-depan.jpg");
    test::writeFile(front, test::photoJpeg({-6.3015, 106.9512, "2026:12:03 09:41:05", "+07:00"}));
    const std::string plain = f.dir.file("tanpa-gps.jpg");
    test::writeFile(plain, test::photoJpeg({std::nullopt, std::nullopt, "2026:12:03 09:45:00", "+07:00"}));
    REQUIRE(editor->attachFile(front));
    REQUIRE(editor->attachFile(plain));
    REQUIRE(page->photoLocations().size() == 1);
    const model::PhotoLocation photo = page->photoLocations()[0];
    REQUIRE(page->photoChoice()->GetCount() == 1);
    CHECK(page->photoChoice()->GetSelection() == 0);
    const std::string offered = page->photoChoice()->GetString(0).utf8_str().data();
    CHECK_THAT(offered, Catch::Contains("tampak-depan.jpg") && Catch::Contains("03/12/2026 09:41") &&
                            Catch::Contains(photo.latitude + ", " + photo.longitude));
    CHECK(page->photoChoice()->IsShown());
    CHECK(page->usePhotoButton()->IsEnabled());

    // "Use this photo's location", as a click on the button.
    wxCommandEvent click(wxEVT_BUTTON, page->usePhotoButton()->GetId());
    click.SetEventObject(page->usePhotoButton());
    page->usePhotoButton()->ProcessWindowEvent(click);
    model::Record stored = store.get(task);
    CHECK(stored.value("latitude") == photo.latitude);
    CHECK(stored.value("longitude") == photo.longitude);
    CHECK(stored.value("visited_at") == "2026-12-03T09:41:05+07:00");
    CHECK_THAT(editor->message().utf8_str().data(), Catch::Contains("location and time are now those of tampak-depan.jpg"));
    CHECK_THAT(page->locationNote()->GetLabel().utf8_str().data(),
               Catch::Contains("The task's coordinates now: " + photo.latitude + ", " + photo.longitude));
    // Nothing else entered is lost: the schedule is still an unsaved change,
    // the words and the signature are still there.
    CHECK(stored.value("scheduled_for").empty());
    CHECK(editor->dirty());
    CHECK(page->notes()->GetValue() == "Bangunan sesuai gambar.");
    CHECK(page->applicantPad()->strokes() == 1);
    CHECK(page->photoChoice()->IsEnabled());
    CHECK(page->usePhotoButton()->IsEnabled());
    // GTK redraws a control enabled again on its next frame.
    for (int i = 0; i < 6; ++i)
    {
        pumpEvents();
        wxMilliSleep(20);
    }
    screenshot(editor, "task-visit-photo-location.png");

    // A place outside Indonesia, from an attachment another laptop's older
    // version kept as the camera wrote it (as a pull writes it: no rules).
    {
        model::Transaction tx(store.database());
        const std::vector<std::pair<std::string, std::optional<std::string>>> fields = {
            {"parent_id", task},
            {"name", "menara.jpg"},
            {"mime", "image/jpeg"},
            {"size", "1234"},
            {"sha256", std::string(64, 'b')},
            {"taken_at", "2026-12-03T10:00:00+01:00"},
            {"latitude", "48.8584"},
            {"longitude", "2.2945"}};
        store.writeReplicated("attachment", "01900000-0000-7000-8000-0000000000bb", fields,
                              std::vector<model::Stamp>(fields.size(), {store.hlcNow(), "other-device"}), "siti");
        tx.commit();
    }
    page->loadPhotos();
    REQUIRE(page->photoLocations().size() == 2);
    REQUIRE(page->photoLocations()[1].name == "menara.jpg");
    const std::int64_t outboxBefore = store.outboxSize();
    CHECK_FALSE(page->usePhotoLocation(1));
    CHECK_THAT(editor->message().utf8_str().data(),
               Catch::Contains("menara.jpg") && Catch::Contains("-11.5") && Catch::Contains("48.8584"));
    stored = store.get(task);
    CHECK(stored.value("latitude") == photo.latitude);
    CHECK(stored.value("longitude") == photo.longitude);
    CHECK(store.outboxSize() == outboxBefore);
    CHECK(editor->dirty());
    CHECK(page->notes()->GetValue() == "Bangunan sesuai gambar.");
    CHECK(page->applicantPad()->strokes() == 1);

    // The schedule typed before is saved with the next save.
    REQUIRE(editor->save());
    CHECK(store.get(task).value("scheduled_for") == "2026-12-14");
    CHECK(store.get(task).value("latitude") == photo.latitude);
    editor->Destroy();
    pumpEvents();

    // In Indonesian, the interface's default language.
    REQUIRE(desktop::setInterfaceLanguage("id", wxTheApp->argv[0].ToStdString()));
    desktop::RecordEditor* id = f.frame->openRecord("task", task);
    REQUIRE(id);
    id->SetSize(id->FromDIP(wxSize(760, 790)));
    page = showVisitTab(id);
    CHECK(page->usePhotoButton()->GetLabel() == "Pakai &lokasi foto ini");
    CHECK_THAT(page->photoChoice()->GetString(0).utf8_str().data(), Catch::Contains("tampak-depan.jpg, diambil "));
    CHECK_THAT(page->locationNote()->GetLabel().utf8_str().data(), Catch::StartsWith("Koordinat tugas saat ini: "));
    for (int i = 0; i < 6; ++i)
    {
        pumpEvents();
        wxMilliSleep(20);
    }
    screenshot(id, "task-visit-photo-location-id.png");
    id->Destroy();
    pumpEvents();
    desktop::setInterfaceLanguage("en", wxTheApp->argv[0].ToStdString());
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
