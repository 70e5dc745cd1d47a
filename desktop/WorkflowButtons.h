#pragma once

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxButton;
class wxSizer;

namespace berkas::desktop {

/// The row of workflow buttons in the record editor: one button a move that
/// model::allowedMoves offers from the record's status, in table order; none
/// for a kind without a workflow or a record not stored yet. The buttons only
/// ask for a move: the editor makes it.
class WorkflowButtons : public wxPanel
{
public:
    WorkflowButtons(wxWindow* parent, std::string kind);

    /// Called with the new status when a button is clicked, once the click
    /// has returned (the move rebuilds the buttons).
    std::function<void(const std::string&)> onMove;

    /// Rebuilds the buttons for a record in @p status; @p stored false: none.
    void offer(const std::string& status, bool stored);
    /// The statuses offered now, in table order.
    const std::vector<std::string>& moves() const { return m_moves; }
    /// The button for a move, or nullptr.
    wxButton* button(const std::string& status) const;

private:
    std::string m_kind;
    std::vector<std::string> m_moves;
    std::vector<wxButton*> m_buttons;
    wxSizer* m_sizer = nullptr;
};

} // namespace berkas::desktop
