#include "desktop/NotesPage.h"

#include "desktop/UiText.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <wx/button.h>
#include <wx/html/htmlwin.h>
#include <wx/sizer.h>
#include <wx/textctrl.h>

#include <algorithm>

namespace berkas::desktop {

NotesPage::NotesPage(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_notes = new wxHtmlWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxHW_SCROLLBAR_AUTO);
    s->Add(m_notes, 1, wxEXPAND | wxALL, FromDIP(8));
    m_input = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(-1, 60)), wxTE_MULTILINE);
    m_input->SetHint(_("Write a note (who called, what was agreed)..."));
    s->Add(m_input, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));
    auto* add = new wxButton(this, wxID_ANY, _("Add note"));
    add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { addNote(utf8(m_input->GetValue())); });
    s->Add(add, 0, wxALIGN_RIGHT | wxALL, FromDIP(8));
    SetSizer(s);
}

void NotesPage::load(const std::string& recordId)
{
    m_recordId = recordId;
    wxString html = "<html><body>";
    if (!m_recordId.empty())
    {
        model::ListQuery q;
        q.kind = model::kind::kNote;
        q.where = {{model::field::kParentId, m_recordId}};
        auto rows = m_store.list(q);
        std::reverse(rows.begin(), rows.end());
        for (const auto& r : rows)
            html += "<p><font color=\"#555555\" size=\"-1\"><b>" + escapeHtml(wxs(r.value(model::field::kAuthor))) + wxs("</b> · ") +
                    displayDate(r.value(model::field::kCreatedAt)) + "</font><br>" + escapeHtml(wxs(r.value(model::field::kBody))) + "</p><hr>";
        if (rows.empty())
            html += "<p><i>" + _("No notes yet.") + "</i></p>";
    }
    else
        html += "<p><i>" + _("Save the record first to add notes and files.") + "</i></p>";
    m_notes->SetPage(html + "</body></html>");
}

bool NotesPage::addNote(const std::string& text)
{
    if (m_recordId.empty() || text.find_first_not_of(" \t\n") == std::string::npos)
        return false;
    try
    {
        m_store.create(model::kind::kNote, {{model::field::kParentId, m_recordId}, {model::field::kAuthor, m_store.user()}, {model::field::kBody, text}});
    }
    catch (const Error& e)
    {
        if (onError)
            onError(errorText(e));
        return false;
    }
    m_input->Clear();
    load(m_recordId);
    if (onWritten)
        onWritten();
    return true;
}

} // namespace berkas::desktop
