#include "desktop/HistoryPage.h"

#include "desktop/UiText.h"
#include "model/Schema.h"

#include <wx/listctrl.h>
#include <wx/sizer.h>

#include <utility>

namespace berkas::desktop {

HistoryPage::HistoryPage(wxWindow* parent, model::CaseStore& store, std::string kind)
    : wxPanel(parent), m_store(store), m_kind(std::move(kind))
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_history = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_history->AppendColumn(_("When"), wxLIST_FORMAT_LEFT, FromDIP(130));
    m_history->AppendColumn(_("Who"), wxLIST_FORMAT_LEFT, FromDIP(90));
    m_history->AppendColumn(_("Device"), wxLIST_FORMAT_LEFT, FromDIP(110));
    m_history->AppendColumn(_("Source"), wxLIST_FORMAT_LEFT, FromDIP(70));
    m_history->AppendColumn(_("Field"), wxLIST_FORMAT_LEFT, FromDIP(120));
    m_history->AppendColumn(_("Before"), wxLIST_FORMAT_LEFT, FromDIP(130));
    m_history->AppendColumn(_("After"), wxLIST_FORMAT_LEFT, FromDIP(130));
    s->Add(m_history, 1, wxEXPAND | wxALL, FromDIP(8));
    SetSizer(s);
}

void HistoryPage::load(const std::string& recordId)
{
    m_history->DeleteAllItems();
    if (recordId.empty())
        return;
    for (const auto& line : m_store.history(recordId))
    {
        const long i = m_history->InsertItem(m_history->GetItemCount(), displayDate(line.at));
        m_history->SetItem(i, 1, wxs(line.user));
        // The device that made the change: this laptop, the central office
        // (values it assigns, such as registration numbers) or another laptop.
        m_history->SetItem(i, 2, line.device == m_store.deviceId() ? _("this laptop")
                                 : line.device == "server"         ? _("central office")
                                                                   : wxs(line.device));
        m_history->SetItem(i, 3, line.source == "sync" ? _("central office") : line.source == "import" ? _("import") : _("this laptop"));
        m_history->SetItem(i, 4, fieldLabel(m_kind, line.field));
        const bool coded = line.field == model::field::kStatus || line.field == model::field::kChannel;
        m_history->SetItem(i, 5, coded ? valueLabel(line.field, line.oldValue) : wxs(line.oldValue));
        m_history->SetItem(i, 6, coded ? valueLabel(line.field, line.newValue) : wxs(line.newValue));
    }
}

int HistoryPage::lines() const
{
    return m_history->GetItemCount();
}

} // namespace berkas::desktop
