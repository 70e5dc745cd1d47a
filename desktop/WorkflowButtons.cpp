#include "desktop/WorkflowButtons.h"

#include "desktop/UiText.h"
#include "model/Workflow.h"

#include <wx/button.h>
#include <wx/wrapsizer.h>

#include <algorithm>

namespace berkas::desktop {

WorkflowButtons::WorkflowButtons(wxWindow* parent, std::string kind) : wxPanel(parent), m_kind(std::move(kind))
{
    m_sizer = new wxWrapSizer(wxHORIZONTAL);
    SetSizer(m_sizer);
}

void WorkflowButtons::offer(const std::string& status, bool stored)
{
    m_sizer->Clear(true);
    m_buttons.clear();
    m_moves.clear();
    const bool workflow = std::find(model::workflowKinds().begin(), model::workflowKinds().end(), m_kind) !=
                          model::workflowKinds().end();
    if (workflow && stored)
        m_moves = model::allowedMoves(m_kind, status);
    for (const auto& to : m_moves)
    {
        auto* b = new wxButton(this, wxID_ANY, moveLabel(m_kind, to));
        b->Bind(wxEVT_BUTTON, [this, to](wxCommandEvent&) {
            // Run after the click returns: the move rebuilds these buttons.
            CallAfter([this, to] {
                if (onMove)
                    onMove(to);
            });
        });
        m_sizer->Add(b, 0, wxRIGHT | wxBOTTOM, FromDIP(6));
        m_buttons.push_back(b);
    }
    Layout();
}

wxButton* WorkflowButtons::button(const std::string& status) const
{
    for (std::size_t i = 0; i < m_moves.size() && i < m_buttons.size(); ++i)
        if (m_moves[i] == status)
            return m_buttons[i];
    return nullptr;
}

} // namespace berkas::desktop
