#include "desktop/RequirementsPage.h"

#include "desktop/UiText.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <wx/checklst.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include <algorithm>

namespace berkas::desktop {

RequirementsPage::RequirementsPage(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY, _("Tick each requirement the applicant has handed in.")), 0, wxALL,
           FromDIP(8));
    m_checklist = new wxCheckListBox(this, wxID_ANY);
    m_checklist->Bind(wxEVT_CHECKLISTBOX, [this](wxCommandEvent& e) {
        const auto index = static_cast<unsigned>(e.GetInt());
        setRequirement(index, m_checklist->IsChecked(index));
    });
    s->Add(m_checklist, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    SetSizer(s);
}

void RequirementsPage::load(const std::string& applicationId)
{
    m_applicationId = applicationId;
    m_checklist->Clear();
    m_requirementIds.clear();
    if (m_applicationId.empty())
        return;
    model::ListQuery q;
    q.kind = model::kind::kRequirement;
    q.where = {{model::field::kApplicationId, m_applicationId}};
    auto rows = m_store.list(q);
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const auto& r : rows)
    {
        wxString label = wxs(r.value(model::field::kRequirement));
        if (!r.value(model::field::kCheckedBy).empty() && r.value(model::field::kFulfilled) == "1")
            label += "  (" + wxs(r.value(model::field::kCheckedBy)) + ")";
        const int i = m_checklist->Append(label);
        m_checklist->Check(static_cast<unsigned>(i), r.value(model::field::kFulfilled) == "1");
        m_requirementIds.push_back(r.id);
    }
}

void RequirementsPage::setRequirement(unsigned index, bool fulfilled)
{
    if (index >= m_requirementIds.size())
        return;
    try
    {
        m_store.update(m_requirementIds[index],
                       {{model::field::kFulfilled, fulfilled ? "1" : "0"}, {model::field::kCheckedBy, fulfilled ? m_store.user() : ""}});
    }
    catch (const Error& e)
    {
        if (onError)
            onError(errorText(e));
    }
    load(m_applicationId);
    if (onWritten)
        onWritten();
}

} // namespace berkas::desktop
