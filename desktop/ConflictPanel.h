#pragma once

#include "model/CaseStore.h"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxButton;
class wxDataViewListCtrl;
class wxStaticText;
class wxTextCtrl;

namespace berkas::desktop {

/// The Konflik section: open conflicts, both values side by side with who,
/// when and which device, and the three ways out (keep mine, keep theirs,
/// type a new value), each through CaseStore::resolveConflict. Changes the
/// central office refused are listed too, with the reason, what was typed
/// and what the record shows; the same three ways out settle them
/// (model::RefusedChanges::settle).
class ConflictPanel : public wxPanel
{
public:
    ConflictPanel(wxWindow* parent, model::CaseStore& store);

    /// Called after a conflict is resolved.
    std::function<void()> onResolved;
    std::function<void(const std::string& kind, const std::string& id)> onOpen;

    void reload();
    int conflictCount() const { return static_cast<int>(m_ids.size()); }
    /// Selects row @p index and shows it.
    void select(int index);
    /// Resolves the shown conflict as the buttons do: "local", "remote" or "value".
    bool resolve(const std::string& keep, const std::string& value = "");
    wxString message() const;
    /// The heading and the two sides of the shown row, as a person reads them.
    wxString shownText() const;

private:
    void showSelected();

    model::CaseStore& m_store;
    wxDataViewListCtrl* m_list = nullptr;
    std::vector<std::string> m_ids;
    std::vector<bool> m_refused; ///< by row: a refused-change notice, not a conflict
    wxStaticText* m_heading = nullptr;
    wxStaticText* m_mine = nullptr;
    wxStaticText* m_theirs = nullptr;
    wxTextCtrl* m_value = nullptr;
    wxButton* m_keepMine = nullptr;
    wxButton* m_keepTheirs = nullptr;
    wxButton* m_useValue = nullptr;
    wxButton* m_openRecord = nullptr;
    wxStaticText* m_message = nullptr;
    std::string m_current;
    bool m_currentRefused = false;
};

} // namespace berkas::desktop
