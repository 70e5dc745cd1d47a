#include "desktop/TodayPanel.h"

#include "desktop/UiText.h"
#include "model/CaseStore.h"
#include "model/Schema.h"

#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace berkas::desktop {

TodayPanel::TodayPanel(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_heading = new wxStaticText(this, wxID_ANY, "");
    m_heading->SetFont(m_heading->GetFont().MakeBold());
    s->Add(m_heading, 0, wxLEFT | wxRIGHT | wxTOP, FromDIP(6));
    m_list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(-1, 150)),
                            wxLC_REPORT | wxLC_SINGLE_SEL);
    m_list->AppendColumn(_("Scheduled"), wxLIST_FORMAT_LEFT, FromDIP(95));
    m_list->AppendColumn(fieldLabel(model::kind::kTask, model::field::kStatus), wxLIST_FORMAT_LEFT, FromDIP(100));
    m_list->AppendColumn(fieldLabel(model::kind::kApplication, model::field::kApplicantName), wxLIST_FORMAT_LEFT, FromDIP(160));
    m_list->AppendColumn(fieldLabel(model::kind::kApplication, model::field::kAddress), wxLIST_FORMAT_LEFT, FromDIP(220));
    m_list->AppendColumn(_("Service"), wxLIST_FORMAT_LEFT, FromDIP(230));
    m_list->AppendColumn(fieldLabel(model::kind::kTask, model::field::kAssignedTo), wxLIST_FORMAT_LEFT, FromDIP(110));
    m_list->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& e) {
        const auto i = static_cast<std::size_t>(e.GetIndex());
        if (i < m_visits.size() && onOpen)
            onOpen(m_visits[i].taskId);
    });
    s->Add(m_list, 1, wxEXPAND | wxALL, FromDIP(6));
    SetSizer(s);
    reload();
}

void TodayPanel::reload()
{
    m_visits = model::visitsUntil(m_store, m_store.today());
    m_list->DeleteAllItems();
    const std::string today = m_store.today().toString();
    for (std::size_t i = 0; i < m_visits.size(); ++i)
    {
        const model::Visit& v = m_visits[i];
        const long row = m_list->InsertItem(static_cast<long>(i), v.scheduledFor.empty() ? _("not scheduled")
                                                                                            : wxs(v.scheduledFor));
        m_list->SetItem(row, 1, valueLabel(model::field::kStatus, v.status));
        m_list->SetItem(row, 2, wxs(v.applicantName));
        m_list->SetItem(row, 3, wxs(v.address));
        m_list->SetItem(row, 4, wxs(v.serviceCode + (v.serviceName.empty() ? "" : " " + v.serviceName)));
        m_list->SetItem(row, 5, wxs(v.assignedTo));
        if (!v.scheduledFor.empty() && v.scheduledFor < today)
            m_list->SetItemTextColour(row, wxColour(178, 34, 34)); // missed: still to visit
    }
    m_heading->SetLabel(wxString::Format(
        wxPLURAL("Visits until today: %d (overdue in red)", "Visits until today: %d (overdue in red)",
                 static_cast<int>(m_visits.size())),
        static_cast<int>(m_visits.size())));
}

} // namespace berkas::desktop
