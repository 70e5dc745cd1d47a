#include "desktop/ConflictPanel.h"

#include "desktop/UiText.h"
#include "model/Conflict.h"
#include "model/Error.h"
#include "model/RecordNumber.h"
#include "model/RefusedChanges.h"

#include <wx/button.h>
#include <wx/dataview.h>
#include <wx/sizer.h>
#include <wx/statbox.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

namespace berkas::desktop {

namespace {

/// The record @p kind @p id as a person knows it: its number (or booking
/// code) and who it is for, else a name, else its id.
std::string describe(model::CaseStore& store, const std::string& kind, const std::string& id)
{
    const auto target = store.find(kind, id);
    if (!target)
        return id;
    const model::RecordNumber n = model::recordNumber(*target);
    const std::string& number = n.empty() ? target->value(model::field::kCode) : n.number;
    if (!number.empty())
    {
        const std::string who = target->value(model::field::kApplicantName).empty()
                                    ? target->value(model::field::kComplainantName)
                                    : target->value(model::field::kApplicantName);
        return number + (who.empty() ? "" : " · " + who);
    }
    for (const char* f : {model::field::kApplicantName, model::field::kComplainantName, model::field::kName})
        if (!target->value(f).empty())
            return target->value(f);
    return id;
}

wxString showValue(const std::string& field, const std::string& value)
{
    if (value.empty())
        return _("(empty)");
    if (field == model::field::kStatus || field == model::field::kChannel || field == model::field::kResult)
        return valueLabel(field, value);
    if (field == model::field::kDeleted)
        return value == "1" ? _("deleted") : _("not deleted");
    return displayDate(value);
}

/// Why the central office refused a change, from its code, for a person.
wxString refusalReason(const std::string& code)
{
    if (code == "out_of_scope")
        return _("This record or field is outside what your role may change.");
    if (code == "invalid_value")
        return _("The value breaks a rule of its field.");
    if (code == "server_only")
        return _("Only the central office sets this field.");
    if (code == "fixed_field")
        return _("This field cannot be changed once the record is created.");
    if (code == "incomplete_record")
        return _("The new record lacked a required field or a valid first status.");
    if (code == "missing_reference" || code == "wrong_kind")
        return _("The record it refers to is not known to the central office.");
    return _("The central office refused the change.");
}

} // namespace

ConflictPanel::ConflictPanel(wxWindow* parent, model::CaseStore& store) : wxPanel(parent), m_store(store)
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* intro = new wxStaticText(this, wxID_ANY,
                                   _("The same field was changed in two places before they synced. Nothing was lost: "
                                     "choose which value stays."));
    top->Add(intro, 0, wxALL, FromDIP(8));
    m_list = new wxDataViewListCtrl(this, wxID_ANY, wxDefaultPosition, FromDIP(wxSize(-1, 200)),
                                    wxDV_ROW_LINES | wxDV_SINGLE);
    m_list->AppendTextColumn(_("Record"), wxDATAVIEW_CELL_INERT, FromDIP(260));
    m_list->AppendTextColumn(_("Field"), wxDATAVIEW_CELL_INERT, FromDIP(130));
    m_list->AppendTextColumn(_("Shown now"), wxDATAVIEW_CELL_INERT, FromDIP(200));
    m_list->AppendTextColumn(_("Other value"), wxDATAVIEW_CELL_INERT, FromDIP(200));
    m_list->AppendTextColumn(_("Needs review"), wxDATAVIEW_CELL_INERT, FromDIP(110));
    top->Add(m_list, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));

    m_heading = new wxStaticText(this, wxID_ANY, "");
    m_heading->SetFont(m_heading->GetFont().MakeBold());
    top->Add(m_heading, 0, wxALL, FromDIP(8));

    auto* sides = new wxBoxSizer(wxHORIZONTAL);
    auto* mineBox = new wxStaticBoxSizer(wxVERTICAL, this, _("Mine (this laptop)"));
    m_mine = new wxStaticText(mineBox->GetStaticBox(), wxID_ANY, "");
    mineBox->Add(m_mine, 1, wxEXPAND | wxALL, FromDIP(6));
    m_keepMine = new wxButton(mineBox->GetStaticBox(), wxID_ANY, _("Keep mine"));
    mineBox->Add(m_keepMine, 0, wxALL, FromDIP(6));
    auto* theirsBox = new wxStaticBoxSizer(wxVERTICAL, this, _("Theirs (the other device)"));
    m_theirs = new wxStaticText(theirsBox->GetStaticBox(), wxID_ANY, "");
    theirsBox->Add(m_theirs, 1, wxEXPAND | wxALL, FromDIP(6));
    m_keepTheirs = new wxButton(theirsBox->GetStaticBox(), wxID_ANY, _("Keep theirs"));
    theirsBox->Add(m_keepTheirs, 0, wxALL, FromDIP(6));
    sides->Add(mineBox, 1, wxEXPAND | wxRIGHT, FromDIP(8));
    sides->Add(theirsBox, 1, wxEXPAND);
    top->Add(sides, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));

    auto* own = new wxBoxSizer(wxHORIZONTAL);
    own->Add(new wxStaticText(this, wxID_ANY, _("Or type a new value:")), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT,
             FromDIP(6));
    m_value = new wxTextCtrl(this, wxID_ANY, "");
    own->Add(m_value, 1, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    m_useValue = new wxButton(this, wxID_ANY, _("Use this value"));
    own->Add(m_useValue, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, FromDIP(6));
    m_openRecord = new wxButton(this, wxID_ANY, _("Open record"));
    own->Add(m_openRecord, 0, wxALIGN_CENTER_VERTICAL);
    top->Add(own, 0, wxEXPAND | wxALL, FromDIP(8));
    m_message = new wxStaticText(this, wxID_ANY, "");
    top->Add(m_message, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    SetSizer(top);

    m_list->Bind(wxEVT_DATAVIEW_SELECTION_CHANGED, [this](wxDataViewEvent&) { showSelected(); });
    m_keepMine->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { resolve("local"); });
    m_keepTheirs->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { resolve("remote"); });
    m_useValue->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { resolve("value", utf8(m_value->GetValue())); });
    m_openRecord->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_current.empty() || !onOpen)
            return;
        if (m_currentRefused)
        {
            if (const auto n = model::RefusedChanges(m_store).find(m_current))
                onOpen(n->recordKind, n->recordId);
            return;
        }
        const model::Conflict c = model::Conflict::fromRecord(m_store.get(m_current));
        onOpen(c.recordKind, c.recordId);
    });
    reload();
}

void ConflictPanel::reload()
{
    m_list->DeleteAllItems();
    m_ids.clear();
    m_refused.clear();
    for (const auto& c : model::openConflicts(m_store))
    {
        wxVector<wxVariant> row;
        row.push_back(kindTitle(c.recordKind) + ": " + wxs(describe(m_store, c.recordKind, c.recordId)));
        row.push_back(fieldLabel(c.recordKind, c.field));
        row.push_back(showValue(c.field, c.keptValue.value_or("")));
        row.push_back(showValue(c.field, c.otherValue.value_or("")));
        row.push_back(c.needsReview ? _("Yes") : _("No"));
        m_list->AppendItem(row);
        m_ids.push_back(c.id);
        m_refused.push_back(false);
    }
    for (const auto& n : model::RefusedChanges(m_store).open())
    {
        wxVector<wxVariant> row;
        row.push_back(kindTitle(n.recordKind) + ": " + wxs(describe(m_store, n.recordKind, n.recordId)));
        row.push_back(fieldLabel(n.recordKind, n.field));
        row.push_back(n.held ? showValue(n.field, n.serverValue) : _("(not kept)"));
        row.push_back(showValue(n.field, n.value));
        row.push_back(_("Refused"));
        m_list->AppendItem(row);
        m_ids.push_back(n.id);
        m_refused.push_back(true);
    }
    if (!m_ids.empty())
        select(0);
    else
    {
        m_current.clear();
        showSelected();
    }
}

void ConflictPanel::select(int index)
{
    if (index < 0 || index >= static_cast<int>(m_ids.size()))
        return;
    m_list->SelectRow(static_cast<unsigned>(index));
    showSelected();
}

void ConflictPanel::showSelected()
{
    const int row = m_list->GetSelectedRow();
    m_current = row >= 0 && row < static_cast<int>(m_ids.size()) ? m_ids[static_cast<std::size_t>(row)] : "";
    m_currentRefused = !m_current.empty() && m_refused[static_cast<std::size_t>(row)];
    const bool any = !m_current.empty();
    for (wxWindow* w : std::initializer_list<wxWindow*>{m_keepMine, m_keepTheirs, m_useValue, m_openRecord, m_value})
        w->Enable(any);
    if (!any)
    {
        m_heading->SetLabel(_("No open conflicts. Everything this laptop knows agrees with the central office."));
        m_mine->SetLabel("");
        m_theirs->SetLabel("");
        Layout();
        return;
    }
    if (m_currentRefused)
    {
        const auto n = model::RefusedChanges(m_store).find(m_current);
        if (!n)
            return;
        m_heading->SetLabel(wxString::Format(_("%s: the central office refused your change of \"%s\""),
                                             wxs(describe(m_store, n->recordKind, n->recordId)),
                                             fieldLabel(n->recordKind, n->field)));
        // The server's sentence is English and carries no problem code, so
        // it is shown only in English; the refusal code's sentence always is.
        // (No catalog answering for "Refused": English.)
        const bool english = _("Refused") == wxString("Refused");
        m_mine->SetLabel(showValue(n->field, n->value) + "\n\n" + refusalReason(n->code) + "\n" +
                         (english ? wxs(n->reason) + "\n" : wxString()) + _("When:") + " " + displayDate(n->at));
        m_mine->GetParent()->SetLabel(_("What you typed"));
        m_theirs->GetParent()->SetLabel(_("The central office"));
        m_theirs->SetLabel(n->held ? showValue(n->field, n->serverValue) + "\n\n" +
                                         _("The record shows the central office's value again.")
                                   : wxString(_("The central office did not take this record, so it was removed "
                                                "from this laptop. What you typed is kept here.")));
        m_value->ChangeValue(wxs(n->value));
        m_openRecord->Enable(n->held);
        Layout();
        return;
    }
    m_mine->GetParent()->SetLabel(_("Mine (this laptop)"));
    m_theirs->GetParent()->SetLabel(_("Theirs (the other device)"));
    const model::Conflict c = model::Conflict::fromRecord(m_store.get(m_current));
    m_heading->SetLabel(wxString::Format(_("%s: field \"%s\""), wxs(describe(m_store, c.recordKind, c.recordId)),
                                         fieldLabel(c.recordKind, c.field)));
    // "Keep mine" keeps what the Mine box shows: the sides are the ones
    // CaseStore::resolveConflict settles with.
    const auto target = m_store.find(c.recordKind, c.recordId);
    const model::ConflictSides two =
        c.sides(m_store.deviceId(), target ? target->value(c.field) : c.keptValue.value_or(""));
    const auto side = [&](model::ConflictSide which, const std::string& value) {
        if (which == model::ConflictSide::Shown)
            return showValue(c.field, value) + "\n\n" + _("Shown now");
        const bool kept = which == model::ConflictSide::Kept;
        const std::string& device = (kept ? c.keptStamp : c.otherStamp).device;
        return showValue(c.field, value) + "\n\n" + _("By:") + " " + wxs(kept ? c.keptUser : c.otherUser) + "\n" +
               _("When:") + " " + displayDate((kept ? c.keptAt : c.otherAt).value_or("")) + "\n" + _("Device:") +
               " " + wxs(device.substr(0, 13)) +
               (device == m_store.deviceId() ? " (" + _("this laptop") + ")" : wxString());
    };
    m_mine->SetLabel(side(two.localSide, two.local));
    m_theirs->SetLabel(side(two.remoteSide, two.remote));
    m_value->ChangeValue(wxs(two.local));
    Layout();
}

bool ConflictPanel::resolve(const std::string& keep, const std::string& value)
{
    if (m_current.empty())
        return false;
    try
    {
        if (m_currentRefused)
            model::RefusedChanges(m_store).settle(m_current, keep, value);
        else
            m_store.resolveConflict(m_current, keep, value);
    }
    catch (const Error& e)
    {
        m_message->SetForegroundColour(wxColour(178, 34, 34));
        m_message->SetLabel(errorText(e));
        return false;
    }
    m_message->SetForegroundColour(wxColour(0, 110, 60));
    m_message->SetLabel(_("Resolved. The choice is sent to the central office at the next sync."));
    reload();
    if (onResolved)
        onResolved();
    return true;
}

wxString ConflictPanel::shownText() const
{
    return m_heading->GetLabel() + "\n" + m_mine->GetLabel() + "\n" + m_theirs->GetLabel();
}

wxString ConflictPanel::message() const
{
    return m_message->GetLabel();
}

} // namespace berkas::desktop
