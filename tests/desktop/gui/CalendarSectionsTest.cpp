// The central office's calendar in the window: an administrator records a
// suspension of counter service in the Suspensions section, the dashboard
// lists it for the day, a date order the rules refuse is shown and nothing
// is written; a clerk reads the section without a New button.
#include "tests/desktop/gui/GuiFixture.h"

#include "desktop/DashboardPanel.h"
#include "desktop/ListPanel.h"
#include "desktop/RecordEditor.h"
#include "desktop/Session.h"

#include <wx/button.h>
#include <wx/datetime.h>
#include <wx/utils.h>

#include <catch2/catch.hpp>

using namespace berkas;
using berkas::test::click;
using berkas::test::pumpEvents;
using berkas::test::screenshot;

namespace {

/// The main frame of a data folder whose user has @p role.
struct RoleFrame
{
    test::TempDir dir;
    desktop::MainFrame* frame = nullptr;

    explicit RoleFrame(const std::string& role)
    {
        desktop::Session(dir.path).openStore()->setSetting("role", role);
        desktop::WindowOptions o;
        o.dataDir = dir.path;
        o.language = "en";
        o.autoSync = false;
        frame = new desktop::MainFrame(o);
        frame->SetSize(1280, 800);
        frame->Show();
        pumpEvents();
    }
    ~RoleFrame()
    {
        frame->Destroy();
        pumpEvents();
    }
};

template <typename T>
T* findChild(wxWindow* window, const std::function<bool(T*)>& wanted = [](T*) { return true; })
{
    for (wxWindow* child : window->GetChildren())
    {
        if (auto* t = dynamic_cast<T*>(child); t && wanted(t))
            return t;
        if (T* found = findChild<T>(child, wanted))
            return found;
    }
    return nullptr;
}

wxButton* newButton(desktop::ListPanel* list)
{
    return findChild<wxButton>(list, [](wxButton* b) { return b->GetLabel() == "&New"; });
}

/// Events and a little time, so a section shown for the first time is laid
/// out and painted before a screenshot.
void settle()
{
    for (int i = 0; i < 10; ++i)
    {
        pumpEvents();
        wxMilliSleep(20);
    }
}

std::string day(int fromToday)
{
    return (wxDateTime::Today() + wxDateSpan::Days(fromToday)).Format("%d/%m/%Y").utf8_string();
}

} // namespace

TEST_CASE("Suspensions: an administrator records one in the window and the dashboard shows it for the day",
          "[gui][calendar]")
{
    RoleFrame f("admin");
    auto& store = f.frame->store();
    auto* list = f.frame->listPanel(desktop::MainFrame::kSuspensions);
    REQUIRE(list);
    REQUIRE(newButton(list));
    CHECK(newButton(f.frame->listPanel(desktop::MainFrame::kCalendar)));

    auto* editor = f.frame->openRecord("suspension", "");
    editor->typeInto("instrument", "Instruksi Wali Kota Bekasi");
    editor->typeInto("number", "12/2026");
    editor->typeInto("region", "32.75");
    editor->typeInto("date_from", day(0));
    editor->typeInto("date_to", day(-3));
    editor->typeInto("steps", "counter_intake");
    editor->typeInto("locations", "MPP Kota Bekasi");
    editor->typeInto("channels", "Portal OSS dan WhatsApp kantor");

    // The last day before the first: refused with the rule, nothing written.
    click(editor->saveButton());
    CHECK(editor->recordId().empty());
    INFO(editor->fieldError("date_to").utf8_string());
    CHECK(editor->fieldError("date_to").Contains("before"));
    CHECK(editor->message() == "Please correct the fields marked in red.");
    CHECK(list->pager().count() == 0);

    editor->typeInto("date_to", day(6));
    click(editor->saveButton());
    REQUIRE_FALSE(editor->recordId().empty());
    const model::Record r = store.get(editor->recordId());
    CHECK(r.value("instrument") == "Instruksi Wali Kota Bekasi");
    CHECK(r.value("steps") == "counter_intake");
    CHECK(r.value("date_to") == (wxDateTime::Today() + wxDateSpan::Days(6)).FormatISODate().utf8_string());
    editor->Destroy();
    pumpEvents();

    f.frame->showSection(desktop::MainFrame::kSuspensions);
    settle();
    CHECK(list->pager().count() == 1);
    wxVariant steps;
    list->listModel().GetValueByRow(steps, 0, 5);
    CHECK(steps.GetString() == "Counter intake"); // the step's name, not its code
    screenshot(f.frame, "suspensions-section.png");

    f.frame->showSection(desktop::MainFrame::kHome);
    pumpEvents();
    auto* home = findChild<desktop::DashboardPanel>(f.frame);
    REQUIRE(home);
    home->reload();
    pumpEvents();
    const wxString text = home->ToText();
    INFO(text.utf8_string());
    CHECK(text.Contains("Suspended today"));
    CHECK(text.Contains("Instruksi Wali Kota Bekasi"));
    CHECK(text.Contains("Portal OSS dan WhatsApp kantor"));
    screenshot(f.frame, "dashboard-suspended-today.png");
}

TEST_CASE("Suspensions: a clerk reads the section but cannot add to it", "[gui][calendar]")
{
    RoleFrame f("clerk");
    auto* list = f.frame->listPanel(desktop::MainFrame::kSuspensions);
    REQUIRE(list);
    CHECK_FALSE(newButton(list));
    CHECK_FALSE(newButton(f.frame->listPanel(desktop::MainFrame::kCalendar)));
    // The Applications section keeps its New button: the check finds one where there is one.
    CHECK(newButton(f.frame->listPanel(desktop::MainFrame::kApplications)));
}
