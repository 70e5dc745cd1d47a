#include "tests/desktop/gui/GuiFixture.h"

#include "desktop/ListPanel.h"
#include "desktop/RecordListModel.h"
#include "model/RecordPager.h"
#include "tests/model/ApplicationRows.h"

#include <wx/dataview.h>
#include <wx/frame.h>
#include <wx/srchctrl.h>

#include <catch2/catch.hpp>

#include <chrono>

using namespace berkas;

TEST_CASE("RecordListModel: a list of 1,000,000 applications answers row requests without loading them all",
          "[gui][pager][large]")
{
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    auto store = std::make_unique<model::CaseStore>(o);
    const std::int64_t n = 1000000;
    test::fillApplications(*store, n);

    auto* frame = new wxFrame(nullptr, wxID_ANY, "list");
    desktop::ListSpec spec;
    spec.kind = "application";
    spec.columns = {{"provisional_no", 150, desktop::ListColumn::Show::Text},
                    {"applicant_name", 200, desktop::ListColumn::Show::Text},
                    {"status", 120, desktop::ListColumn::Show::Value}};
    auto* panel = new desktop::ListPanel(frame, *store, spec);
    frame->SetSize(1000, 700);
    frame->Show();
    test::pumpEvents();

    auto& pager = panel->pager();
    auto& listModel = panel->listModel();
    CHECK(listModel.GetCount() == n);
    // Painting asked for the visible rows only.
    CHECK(pager.stats().rowsFetched <= 400);

    pager.resetStats();
    wxVariant v;
    listModel.GetValueByRow(v, 0, 1);
    CHECK(v.GetString() == "Pemohon 1000000");
    listModel.GetValueByRow(v, 500000, 1);
    CHECK(v.GetString() == "Pemohon 500000");
    listModel.GetValueByRow(v, n - 1, 1);
    CHECK(v.GetString() == "Pemohon 1");
    CHECK(pager.stats().rowsFetched <= 300); // at most three pages of 100
    CHECK(pager.stats().queries <= 9);       // a page and its two sync lookups, each

    // Jumping to the end of the list in the view itself.
    const auto start = std::chrono::steady_clock::now();
    panel->view()->EnsureVisible(listModel.GetItem(static_cast<unsigned>(n - 1)));
    frame->Update();
    test::pumpEvents();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    INFO("jump to the last row took " << ms << " ms");
    CHECK(pager.stats().rowsFetched < 2000);

    // A search narrows the million to a few rows with one count and one
    // page, in a list of its own: the whole list is neither re-read nor
    // rebuilt, while typing or when the box is cleared again.
    pager.resetStats();
    panel->searchBox()->SetValue("Pemohon 999999");
    panel->applyFilters();
    CHECK(&panel->pager() != &pager);
    CHECK(panel->pager().count() == 1);
    CHECK(panel->pager().stats().rowsFetched <= 1);
    CHECK(panel->listModel().GetCount() == 1);
    CHECK(panel->view()->IsShown());
    panel->searchBox()->SetValue("");
    panel->applyFilters();
    CHECK(&panel->pager() == &pager);
    CHECK(panel->listModel().GetCount() == n);
    CHECK(panel->view()->IsShown());
    CHECK(pager.stats().queries == 0);

    frame->Destroy();
    test::pumpEvents();
}
