#include "desktop/ListPanel.h"

#include "desktop/UiText.h"
#include "model/CaseStore.h"
#include "model/Regions.h"
#include "model/ServiceCatalog.h"
#include "model/Workflow.h"

#include <wx/button.h>
#include <wx/choice.h>
#include <wx/config.h>
#include <wx/dataview.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/wrapsizer.h>

namespace berkas::desktop {

namespace {

// Typing faster than this coalesces into one search; the first key of a
// pause searches at once, so a single keystroke is never delayed.
constexpr int kDebounceMs = 150;

// A search counts its hits up to here and then says "10.000+": counting
// every row that one typed letter matches is what made keystrokes slow.
constexpr std::int64_t kSearchCountLimit = 10000;

std::vector<std::string> columnFields(const ListSpec& spec)
{
    std::vector<std::string> fields;
    for (const auto& c : spec.columns)
        fields.push_back(c.field);
    return fields;
}

} // namespace

ListPanel::ListPanel(wxWindow* parent, model::CaseStore& store, ListSpec spec)
    : wxPanel(parent), m_store(store), m_spec(std::move(spec)), m_pager(store, columnFields(m_spec)),
      m_narrowPager(store, columnFields(m_spec)), m_debounce(this)
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* bar = new wxWrapSizer(wxHORIZONTAL, wxREMOVE_LEADING_SPACES);

    m_search = new wxSearchCtrl(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(220, -1)));
    m_search->SetDescriptiveText(_("Search name, NIK, number..."));
    m_search->ShowCancelButton(true);
    bar->Add(m_search, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT | wxBOTTOM, FromDIP(8));

    const auto addChoice = [&](const wxString& label, const wxString& all, int width) {
        bar->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(4));
        auto* c = new wxChoice(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(width, -1)));
        c->Append(all);
        c->SetSelection(0);
        bar->Add(c, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT | wxBOTTOM, FromDIP(8));
        c->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { applyFilters(); });
        return c;
    };
    if (model::findKind(m_spec.kind)->field(model::field::kStatus))
    {
        m_status = addChoice(_("Status:"), _("All"), 160);
        m_statusCodes.push_back("");
        for (const auto& s : model::statuses(m_spec.kind))
        {
            m_status->Append(valueLabel(model::field::kStatus, s));
            m_statusCodes.push_back(s);
        }
    }
    if (m_spec.kecamatanFilter)
    {
        m_kecamatan = addChoice(_("Kecamatan:"), _("All"), 150);
        m_kecamatanCodes.push_back("");
        for (const auto& [code, name] : model::Regions::standard().districtsOf(m_store.setting("regency", "32.75")))
        {
            m_kecamatan->Append(wxs(name));
            m_kecamatanCodes.push_back(code);
        }
    }
    if (m_spec.serviceFilter)
    {
        m_service = addChoice(_("Service:"), _("All"), 190);
        m_serviceCodes.push_back("");
        for (const auto& service : model::serviceNames(m_store))
        {
            m_service->Append(wxs(service.code + " " + service.name).Left(40));
            m_serviceCodes.push_back(service.code);
        }
    }
    if (!m_spec.dateField.empty())
    {
        // Label and both dates in one group, so the wrap sizer never leaves
        // the label at the end of one line and the dates on the next.
        auto* range = new wxBoxSizer(wxHORIZONTAL);
        range->Add(new wxStaticText(this, wxID_ANY, fieldLabel(m_spec.kind, m_spec.dateField) + ":"), 0,
                   wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(4));
        m_from = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(100, -1)));
        m_from->SetHint(_("dd/mm/yyyy"));
        m_to = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(100, -1)));
        m_to->SetHint(_("dd/mm/yyyy"));
        range->Add(m_from, 0, wxALIGN_CENTER_VERTICAL);
        range->Add(new wxStaticText(this, wxID_ANY, wxs("–")), 0, wxALIGN_CENTER_VERTICAL | wxLEFT | wxRIGHT, FromDIP(4));
        range->Add(m_to, 0, wxALIGN_CENTER_VERTICAL);
        bar->Add(range, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT | wxBOTTOM, FromDIP(8));
        for (auto* t : {m_from, m_to})
            t->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { onSearchText(); });
    }
    m_countLabel = new wxStaticText(this, wxID_ANY, "");
    bar->Add(m_countLabel, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT | wxBOTTOM, FromDIP(8));
    if (m_spec.kind != model::kind::kService && m_spec.canCreate)
    {
        auto* add = new wxButton(this, wxID_ANY, _("&New"));
        add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            if (onNew)
                onNew(m_spec.kind);
        });
        bar->Add(add, 0, wxALIGN_CENTER_VERTICAL);
    }
    top->Add(bar, 0, wxEXPAND | wxALL, FromDIP(6));

    model::PagerQuery q;
    q.kind = m_spec.kind;
    q.sortField = m_spec.sortField;
    q.ascending = m_spec.ascending;
    q.preferField = m_spec.preferField;
    q.preferValue = m_spec.preferValue;
    for (std::size_t i = 0; i < m_spec.columns.size(); ++i)
        if (m_spec.columns[i].field ==
            (m_spec.sortField.empty() ? std::string(model::field::kCreatedAt) : m_spec.sortField))
            m_sortColumn = static_cast<int>(i);
    for (auto* pager : {&m_pager, &m_narrowPager})
    {
        pager->setToday(m_store.today());
        pager->setSearchCountLimit(kSearchCountLimit);
    }
    m_pager.setQuery(q);
    m_model = new RecordListModel(m_pager, m_spec.columns);
    m_view = makeView(m_model.get());
    // The narrowed list starts with no query, hence no rows.
    m_narrowModel = new RecordListModel(m_narrowPager, m_spec.columns);
    m_narrowView = makeView(m_narrowModel.get());
    m_narrowView->Hide();
    top->Add(m_view, 1, wxEXPAND);
    top->Add(m_narrowView, 1, wxEXPAND);
    SetSizer(top);

    m_search->Bind(wxEVT_TEXT, [this](wxCommandEvent&) { onSearchText(); });
    m_search->Bind(wxEVT_SEARCHCTRL_CANCEL_BTN, [this](wxCommandEvent&) { m_search->Clear(); });
    m_debounce.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { applyFilters(); });
    updateCountLabel();
}

wxDataViewCtrl* ListPanel::makeView(RecordListModel* model)
{
    auto* view = new wxDataViewCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize,
                                    wxDV_ROW_LINES | wxDV_SINGLE | wxDV_VERT_RULES);
    view->AssociateModel(model);
    for (std::size_t i = 0; i < m_spec.columns.size(); ++i)
    {
        const auto& c = m_spec.columns[i];
        view->AppendTextColumn(fieldLabel(m_spec.kind, c.field), static_cast<unsigned>(i), wxDATAVIEW_CELL_INERT,
                               FromDIP(c.width), wxALIGN_NOT, wxDATAVIEW_COL_RESIZABLE);
    }
    if (m_spec.syncColumn)
        view->AppendTextColumn(_("Sync"), static_cast<unsigned>(m_spec.columns.size()), wxDATAVIEW_CELL_INERT,
                               FromDIP(kSyncColumnWidth), wxALIGN_NOT, wxDATAVIEW_COL_RESIZABLE);
    view->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent&) { openSelected(); });
    view->Bind(wxEVT_DATAVIEW_COLUMN_HEADER_CLICK, [this](wxDataViewEvent& e) { onHeaderClick(e.GetColumn()); });
    return view;
}

ListPanel::~ListPanel()
{
    m_debounce.Stop();
    m_view->AssociateModel(nullptr);
    m_narrowView->AssociateModel(nullptr);
}

void ListPanel::showNarrowed(bool narrowed)
{
    if (!narrowed && m_wholeStale)
    {
        m_wholeStale = false;
        m_model->refresh();
    }
    if (narrowed == m_narrowed)
        return;
    m_narrowed = narrowed;
    m_view->Show(!narrowed);
    m_narrowView->Show(narrowed);
    Layout();
}

void ListPanel::onSearchText()
{
    const auto now = std::chrono::steady_clock::now();
    if (!m_debounce.IsRunning() &&
        now - m_lastRun > std::chrono::milliseconds(kDebounceMs))
    {
        applyFilters();
        return;
    }
    m_debounce.StartOnce(kDebounceMs);
}

void ListPanel::applyFilters()
{
    m_debounce.Stop();
    m_lastRun = std::chrono::steady_clock::now();
    model::PagerQuery q = m_pager.query();
    q.search = utf8(m_search->GetValue());
    q.where.clear();
    const auto pick = [&](wxChoice* c, const std::vector<std::string>& codes, const char* field) {
        if (c && c->GetSelection() > 0)
            q.where.emplace_back(field, codes[static_cast<std::size_t>(c->GetSelection())]);
    };
    pick(m_status, m_statusCodes, model::field::kStatus);
    pick(m_kecamatan, m_kecamatanCodes, model::field::kKecamatan);
    pick(m_service, m_serviceCodes, model::field::kServiceCode);
    if (m_from)
    {
        q.dateField = m_spec.dateField;
        const auto date = [](wxTextCtrl* t) {
            const std::string iso = parseDisplayDate(utf8(t->GetValue()));
            const bool ok = iso.empty() || model::Date::parse(iso).has_value();
            t->SetForegroundColour(ok ? wxNullColour : *wxRED);
            return ok ? iso : std::string();
        };
        q.dateFrom = date(m_from);
        q.dateTo = date(m_to);
    }
    const bool narrowed = q.search.find_first_not_of(" \t\r\n") != std::string::npos || !q.where.empty() ||
                          !q.dateFrom.empty() || !q.dateTo.empty();
    if (narrowed)
    {
        m_narrowPager.setQuery(q);
        m_narrowModel->refresh();
    }
    showNarrowed(narrowed);
    updateCountLabel();
    if (onUpdated)
        onUpdated();
}

void ListPanel::reload()
{
    for (auto* pager : {&m_pager, &m_narrowPager})
        pager->setToday(m_store.today());
    if (m_narrowed)
    {
        m_narrowModel->refresh();
        m_wholeStale = true;
    }
    else
        m_model->refresh();
    updateCountLabel();
}

bool ListPanel::openSelected()
{
    const wxDataViewItem item = view()->GetSelection();
    if (!item.IsOk())
        return false;
    const std::string id = listModel().idAt(listModel().GetRow(item));
    if (id.empty() || !onOpen)
        return false;
    onOpen(m_spec.kind, id);
    return true;
}

void ListPanel::onHeaderClick(int column)
{
    if (column < 0 || column >= static_cast<int>(m_spec.columns.size()))
        return;
    model::PagerQuery q = m_pager.query();
    const std::string& field = m_spec.columns[static_cast<std::size_t>(column)].field;
    if (m_sortColumn == column)
        q.ascending = !q.ascending;
    else
        q.ascending = true;
    q.sortField = field;
    for (auto* v : {m_view, m_narrowView})
    {
        if (m_sortColumn >= 0)
            v->GetColumn(static_cast<unsigned>(m_sortColumn))->UnsetAsSortKey();
        v->GetColumn(static_cast<unsigned>(column))->SetSortOrder(q.ascending);
    }
    m_sortColumn = column;
    // Both lists keep the order; the hidden one is re-read when shown.
    m_pager.setQuery(q);
    if (m_narrowed)
    {
        model::PagerQuery narrow = m_narrowPager.query();
        narrow.sortField = q.sortField;
        narrow.ascending = q.ascending;
        m_narrowPager.setQuery(narrow);
        m_narrowModel->refresh();
        m_wholeStale = true;
    }
    else
        m_model->refresh();
}

void ListPanel::updateCountLabel()
{
    const std::int64_t n = pager().count();
    const bool capped = pager().countCapped();
    const wxString label = capped ? wxString::Format(_("%s+ records"), formatNumber(n))
                                  : wxString::Format(wxPLURAL("%s record", "%s records", static_cast<unsigned>(n % 1000000)),
                                                     formatNumber(n));
    if (label == m_countLabel->GetLabel())
        return;
    const wxSize before = m_countLabel->GetBestSize();
    m_countLabel->SetLabel(label);
    m_countLabel->SetToolTip(capped ? _("More than this match; type more of the name or number to narrow the search.")
                                    : wxString());
    // Re-laying out the filter bar costs a few milliseconds: only when the
    // label's width changed. (Its own size follows the text at once, so
    // comparing with that never asked for a layout, and a longer count ran
    // under the button next to it.)
    if (m_countLabel->GetBestSize() != before)
        Layout();
}

void ListPanel::saveState(wxConfigBase& config) const
{
    for (unsigned i = 0; i < m_view->GetColumnCount(); ++i)
        config.Write(wxString::Format("/columns/%s/%u", wxs(m_spec.kind), i), m_view->GetColumn(i)->GetWidth());
}

void ListPanel::loadState(wxConfigBase& config)
{
    for (unsigned i = 0; i < m_view->GetColumnCount(); ++i)
    {
        long width = 0;
        if (config.Read(wxString::Format("/columns/%s/%u", wxs(m_spec.kind), i), &width) && width > 20)
            for (auto* v : {m_view, m_narrowView})
                v->GetColumn(i)->SetWidth(static_cast<int>(width));
    }
}

} // namespace berkas::desktop
