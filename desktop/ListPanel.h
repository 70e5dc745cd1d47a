#pragma once

#include "desktop/RecordListModel.h"
#include "model/RecordPager.h"

#include <wx/panel.h>
#include <wx/timer.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class wxChoice;
class wxConfigBase;
class wxDataViewCtrl;
class wxSearchCtrl;
class wxStaticText;
class wxTextCtrl;

namespace berkas::model {
class CaseStore;
}

namespace berkas::desktop {

/// What one list section shows.
struct ListSpec
{
    std::string kind;
    std::vector<ListColumn> columns;
    std::string dateField;      ///< the field the date range filters; empty: no date filter
    bool kecamatanFilter = false;
    bool serviceFilter = false;
    std::string sortField;      ///< initial order; empty: newest first
    bool ascending = false;
    std::string preferField;    ///< rows with this field == preferValue first ("my tasks")
    std::string preferValue;
    bool syncColumn = true;     ///< false: no sync column (the catalog comes from the central office)
    bool canCreate = true;      ///< false: no New button (the central office's records, for others than its administrator)
};

/// The width of the sync column, in DIPs.
constexpr int kSyncColumnWidth = 140;

/// A section listing one kind: filters, a search box that searches as you
/// type, and a virtual list over a RecordPager. Double-click or Enter calls
/// onOpen with the record id.
class ListPanel : public wxPanel
{
public:
    ListPanel(wxWindow* parent, model::CaseStore& store, ListSpec spec);
    ~ListPanel() override;

    std::function<void(const std::string& kind, const std::string& id)> onOpen;
    std::function<void(const std::string& kind)> onNew;
    /// Called after the list shows a new result (for the status bar and benchmarks).
    std::function<void()> onUpdated;

    const ListSpec& spec() const { return m_spec; }
    /// The list shown now: the whole list, or the one for a search or filter.
    model::RecordPager& pager() { return m_narrowed ? m_narrowPager : m_pager; }
    RecordListModel& listModel() { return m_narrowed ? *m_narrowModel : *m_model; }
    wxDataViewCtrl* view() { return m_narrowed ? m_narrowView : m_view; }
    wxSearchCtrl* searchBox() { return m_search; }

    /// Re-reads the rows (after a save or a sync), keeping the filters.
    void reload();
    /// Runs the search now, as the debounce timer would.
    void applyFilters();
    /// Opens the selected record; false when nothing is selected.
    bool openSelected();

    void saveState(wxConfigBase& config) const;
    void loadState(wxConfigBase& config);

private:
    wxDataViewCtrl* makeView(RecordListModel* model);
    /// Shows the narrowed list or the whole one.
    void showNarrowed(bool narrowed);
    void onSearchText();
    void onHeaderClick(int column);
    void updateCountLabel();

    model::CaseStore& m_store;
    ListSpec m_spec;
    // Two lists, so that typing never tears down the whole one: GTK rebuilds
    // a data view's tree of every row when its model is reset, and dropping
    // 1,000,000 rows for a search's 10,000 took most of the first keystroke
    // (and as long again to bring them back when the box was cleared).
    model::RecordPager m_pager; ///< every record (no search, no filter)
    wxObjectDataPtr<RecordListModel> m_model;
    wxDataViewCtrl* m_view = nullptr;
    model::RecordPager m_narrowPager; ///< the current search or filter
    wxObjectDataPtr<RecordListModel> m_narrowModel;
    wxDataViewCtrl* m_narrowView = nullptr;
    bool m_narrowed = false;
    bool m_wholeStale = false; ///< the whole list changed while hidden
    wxSearchCtrl* m_search = nullptr;
    wxChoice* m_status = nullptr;
    wxChoice* m_kecamatan = nullptr;
    wxChoice* m_service = nullptr;
    wxTextCtrl* m_from = nullptr;
    wxTextCtrl* m_to = nullptr;
    wxStaticText* m_countLabel = nullptr;
    std::vector<std::string> m_statusCodes;
    std::vector<std::string> m_kecamatanCodes;
    std::vector<std::string> m_serviceCodes;
    wxTimer m_debounce;
    std::chrono::steady_clock::time_point m_lastRun;
    int m_sortColumn = -1;
};

} // namespace berkas::desktop
