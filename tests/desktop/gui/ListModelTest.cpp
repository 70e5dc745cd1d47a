#include "tests/desktop/gui/GuiFixture.h"

#include "desktop/ListPanel.h"
#include "desktop/RecordListModel.h"
#include "model/RecordPager.h"

#include <wx/dataview.h>
#include <wx/frame.h>
#include <wx/srchctrl.h>

#include <catch2/catch.hpp>

#include <chrono>

using namespace berkas;

namespace {

// Fills the application table with @p n rows in one statement (the store's
// validation is not the subject here, the paging is).
void fillApplications(model::CaseStore& store, std::int64_t n)
{
    store.database().exec(
        "WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < " + std::to_string(n) +
        ") INSERT INTO application (id, created_at, updated_at, provisional_no, service_code, applicant_name, "
        "kecamatan, channel, status, due_date) SELECT printf('01900000-%04x-7%03x-8000-%012x', i / 65536, i % 4096, i), "
        "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1700000000 + i * 30, 'unixepoch'), "
        "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1700000000 + i * 30, 'unixepoch'), printf('P-000001-%06d', i), "
        "'SIPD', 'Pemohon ' || i, '32.75.09', 'counter', "
        "CASE i % 3 WHEN 0 THEN 'submitted' WHEN 1 THEN 'document_check' ELSE 'draft' END, "
        "CASE WHEN i % 7 = 0 THEN '2020-01-01' ELSE NULL END FROM x");
}

} // namespace

TEST_CASE("RecordPager: pages are fetched on demand and cached", "[gui][pager]")
{
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    model::CaseStore store(o);
    fillApplications(store, 1000);
    model::RecordPager pager(store.database(), {"applicant_name", "status"}, 100, 4);
    model::PagerQuery q;
    q.kind = "application";
    pager.setQuery(q);
    pager.setToday(model::Date(2026, 1, 1));

    CHECK(pager.count() == 1000);
    CHECK(pager.row(0).values[0] == "Pemohon 1000"); // newest first
    CHECK(pager.row(999).values[0] == "Pemohon 1");
    CHECK(pager.stats().rowsFetched == 200);
    const auto queries = pager.stats().queries;
    CHECK(pager.row(5).values[0] == "Pemohon 995");
    CHECK(pager.stats().queries == queries); // cached
    CHECK(pager.row(1000).id.empty());       // past the end
    CHECK(pager.row(993).overdue);           // row 7 (2020 due date, not terminal)

    SECTION("filters and search")
    {
        q.where = {{"status", "draft"}};
        q.search = "pemohon 99";
        pager.setQuery(q);
        CHECK(pager.count() > 0);
        for (std::int64_t i = 0; i < pager.count(); ++i)
            CHECK(pager.row(i).values[1] == "draft");
    }
    SECTION("sorting")
    {
        q.sortField = "applicant_name";
        q.ascending = true;
        pager.setQuery(q);
        CHECK(pager.row(0).values[0] == "Pemohon 1");
        CHECK(pager.row(1).values[0] == "Pemohon 10");
    }
    SECTION("unknown fields are refused")
    {
        q.sortField = "nope";
        CHECK_THROWS(pager.setQuery(q));
    }
}

TEST_CASE("RecordListModel: a list of 1,000,000 applications answers row requests without loading them all",
          "[gui][pager][large]")
{
    test::TempDir dir;
    model::StoreOptions o;
    o.dataDir = dir.path;
    auto store = std::make_unique<model::CaseStore>(o);
    const std::int64_t n = 1000000;
    fillApplications(*store, n);

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
