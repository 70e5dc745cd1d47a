#include "desktop/RecordEditor.h"

#include "desktop/Receipt.h"
#include "desktop/UiText.h"
#include "model/AttachmentFiles.h"
#include "model/Error.h"
#include "model/Regions.h"
#include "model/RecordNumber.h"
#include "model/RecordPager.h"
#include "model/ServiceCatalog.h"
#include "model/Workflow.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/file.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/html/htmlwin.h>
#include <wx/listctrl.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/scrolwin.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>
#include <wx/wrapsizer.h>

#include <Poco/File.h>

#include <cstdlib>

namespace berkas::desktop {

namespace {

bool shownInForm(const model::FieldDef& f)
{
    return f.name != model::field::kStatus && f.name != "parent_id";
}

wxString escapeHtml(const wxString& s)
{
    wxString out;
    for (const wxUniChar c : s)
    {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '\n') out += "<br>";
        else out += c;
    }
    return out;
}

} // namespace

RecordEditor::RecordEditor(wxWindow* parent, model::CaseStore& store, std::string kind, std::string id,
                           model::FieldMap defaults)
    : wxDialog(parent, wxID_ANY, kindTitle(kind), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      m_store(store), m_kind(std::move(kind)), m_id(std::move(id)), m_defaults(std::move(defaults))
{
    askSaveChanges = [this] {
        return wxMessageBox(_("This record has unsaved changes. Save them?"), _("Unsaved changes"),
                            wxYES_NO | wxCANCEL | wxICON_QUESTION, this);
    };

    auto* top = new wxBoxSizer(wxVERTICAL);
    m_title = new wxStaticText(this, wxID_ANY, "");
    m_title->SetFont(m_title->GetFont().MakeLarger().MakeBold());
    top->Add(m_title, 0, wxLEFT | wxRIGHT | wxTOP, FromDIP(10));
    m_state = new wxStaticText(this, wxID_ANY, "");
    top->Add(m_state, 0, wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(10));

    m_book = new wxNotebook(this, wxID_ANY);
    auto* form = new wxScrolledWindow(m_book, wxID_ANY);
    buildForm(form);
    m_book->AddPage(form, _("Details"));
    if (m_kind == "application")
    {
        auto* page = new wxPanel(m_book);
        buildChecklist(page);
        m_book->AddPage(page, _("Requirements"));
    }
    auto* notes = new wxPanel(m_book);
    buildNotes(notes);
    m_book->AddPage(notes, _("Notes"));
    auto* files = new wxPanel(m_book);
    buildAttachments(files);
    m_book->AddPage(files, _("Attachments"));
    auto* history = new wxPanel(m_book);
    buildHistory(history);
    m_book->AddPage(history, _("History"));
    top->Add(m_book, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(10));

    m_message = new wxStaticText(this, wxID_ANY, "");
    top->Add(m_message, 0, wxEXPAND | wxALL, FromDIP(10));

    m_movePanel = new wxPanel(this);
    m_moveSizer = new wxWrapSizer(wxHORIZONTAL);
    m_movePanel->SetSizer(m_moveSizer);
    top->Add(m_movePanel, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(10));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    if (m_kind == "application")
    {
        m_receipt = new wxButton(this, wxID_ANY, _("&Print receipt"));
        m_receipt->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { printReceipt(); });
        buttons->Add(m_receipt, 0, wxRIGHT, FromDIP(6));
    }
    buttons->AddStretchSpacer();
    m_save = new wxButton(this, wxID_ANY, _("&Save"));
    m_save->SetDefault();
    auto* close = new wxButton(this, wxID_ANY, _("&Close"));
    buttons->Add(m_save, 0, wxRIGHT, FromDIP(6));
    buttons->Add(close, 0);
    top->Add(buttons, 0, wxEXPAND | wxALL, FromDIP(10));
    SetSizer(top);

    m_save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { save(); });
    close->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { closeEditor(); });
    Bind(wxEVT_CLOSE_WINDOW, &RecordEditor::onClose, this);
    Bind(wxEVT_CHAR_HOOK, [this](wxKeyEvent& e) {
        if (e.GetKeyCode() == WXK_ESCAPE)
            closeEditor();
        else
            e.Skip();
    });

    load();
    SetSize(FromDIP(wxSize(760, 700)));
    CentreOnParent();
}

RecordEditor::~RecordEditor()
{
    // Plain copies of attachments do not outlive the editor that opened them
    // (the program showing one may still have it open; it keeps its handle).
    if (!m_tempDir.empty())
        wxFileName::Rmdir(wxs(m_tempDir), wxPATH_RMDIR_RECURSIVE);
}

void RecordEditor::buildForm(wxScrolledWindow* page)
{
    const model::KindDef& kind = model::requireKind(m_kind);
    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(10, 4)));
    grid->AddGrowableCol(1, 1);
    for (const auto& def : kind.fields)
    {
        if (!shownInForm(def))
            continue;
        FieldControl fc;
        fc.def = &def;
        // Timestamps are stamped by the store (submitted, visited, responded).
        fc.readOnly = def.type == model::FieldType::Timestamp || def.access == model::FieldAccess::Computed ||
                      def.access == model::FieldAccess::Server ||
                      (def.access == model::FieldAccess::CreateOnly && !m_id.empty());
        wxString label = fieldLabel(m_kind, def.name);
        if (def.required && !fc.readOnly)
            label += " *";
        grid->Add(new wxStaticText(page, wxID_ANY, label), 0, wxALIGN_TOP | wxTOP, FromDIP(fc.readOnly ? 2 : 6));

        auto* cell = new wxBoxSizer(wxVERTICAL);
        const std::string name = def.name;
        if (fc.readOnly)
        {
            // Plain text, not a box: a box (even a read-only one) invites
            // typing, and these values come from the central office or the rules.
            fc.control = new wxStaticText(page, wxID_ANY, "");
        }
        else if (def.type == model::FieldType::Enum || def.type == model::FieldType::Kecamatan ||
                 def.type == model::FieldType::Kelurahan || def.name == model::field::kServiceCode)
        {
            auto* c = new wxChoice(page, wxID_ANY);
            c->Append("");
            fc.codes.push_back("");
            if (def.type == model::FieldType::Enum)
                for (const auto& v : def.allowed)
                {
                    c->Append(valueLabel(def.name, v));
                    fc.codes.push_back(v);
                }
            else if (def.type == model::FieldType::Kecamatan)
                for (const auto& [code, n] : model::Regions::standard().districtsOf(m_store.setting("regency", "32.75")))
                {
                    c->Append(wxs(n + " (" + code + ")"));
                    fc.codes.push_back(code);
                }
            else if (def.name == model::field::kServiceCode)
            {
                for (const auto& service : model::serviceNames(m_store))
                {
                    c->Append(wxs(service.code + " — " + service.name));
                    fc.codes.push_back(service.code);
                }
            }
            c->Bind(wxEVT_CHOICE, [this, name](wxCommandEvent&) { onEdited(name); });
            fc.control = c;
        }
        else if (def.type == model::FieldType::Bool)
        {
            auto* c = new wxCheckBox(page, wxID_ANY, "");
            c->Bind(wxEVT_CHECKBOX, [this, name](wxCommandEvent&) { onEdited(name); });
            fc.control = c;
        }
        else
        {
            const bool multi = def.type == model::FieldType::LongText;
            auto* t = new wxTextCtrl(page, wxID_ANY, "", wxDefaultPosition,
                                     multi ? FromDIP(wxSize(-1, 60)) : wxDefaultSize, multi ? wxTE_MULTILINE : 0);
            if (def.type == model::FieldType::Date)
                t->SetHint(_("dd/mm/yyyy"));
            else if (def.type == model::FieldType::Nik)
                t->SetHint(_("16 digits"));
            else if (def.type == model::FieldType::Phone)
                t->SetHint(wxs("08…"));
            else if (def.type == model::FieldType::Slot)
                t->SetHint("HH:MM");
            t->Bind(wxEVT_TEXT, [this, name](wxCommandEvent&) { onEdited(name); });
            fc.control = t;
        }
        fc.control->SetName(wxs(def.name));
        cell->Add(fc.control, 0, wxEXPAND | (fc.readOnly ? wxTOP | wxBOTTOM : 0), FromDIP(2));
        fc.error = new wxStaticText(page, wxID_ANY, "");
        fc.error->SetForegroundColour(wxColour(178, 34, 34));
        fc.error->Hide();
        cell->Add(fc.error, 0, wxEXPAND | wxTOP, FromDIP(2));
        grid->Add(cell, 1, wxEXPAND);
        m_fields.push_back(fc);
    }
    auto* outer = new wxBoxSizer(wxVERTICAL);
    outer->Add(grid, 1, wxEXPAND | wxALL, FromDIP(10));
    page->SetSizer(outer);
    page->SetScrollRate(0, FromDIP(10));
}

void RecordEditor::buildChecklist(wxPanel* page)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(page, wxID_ANY, _("Tick each requirement the applicant has handed in.")), 0, wxALL,
           FromDIP(8));
    m_checklist = new wxCheckListBox(page, wxID_ANY);
    m_checklist->Bind(wxEVT_CHECKLISTBOX, [this](wxCommandEvent& e) {
        const auto index = static_cast<unsigned>(e.GetInt());
        setRequirement(index, m_checklist->IsChecked(index));
    });
    s->Add(m_checklist, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    page->SetSizer(s);
}

void RecordEditor::buildNotes(wxPanel* page)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_notes = new wxHtmlWindow(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxHW_SCROLLBAR_AUTO);
    s->Add(m_notes, 1, wxEXPAND | wxALL, FromDIP(8));
    m_noteInput = new wxTextCtrl(page, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(-1, 60)), wxTE_MULTILINE);
    m_noteInput->SetHint(_("Write a note (who called, what was agreed)..."));
    s->Add(m_noteInput, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));
    auto* add = new wxButton(page, wxID_ANY, _("Add note"));
    add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { addNote(utf8(m_noteInput->GetValue())); });
    s->Add(add, 0, wxALIGN_RIGHT | wxALL, FromDIP(8));
    page->SetSizer(s);
}

void RecordEditor::buildAttachments(wxPanel* page)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_attachments = new wxListCtrl(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_attachments->AppendColumn(_("File"), wxLIST_FORMAT_LEFT, FromDIP(300));
    m_attachments->AppendColumn(_("Size"), wxLIST_FORMAT_RIGHT, FromDIP(90));
    m_attachments->AppendColumn(_("Added"), wxLIST_FORMAT_LEFT, FromDIP(140));
    m_attachments->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent&) { openAttachment(); });
    s->Add(m_attachments, 1, wxEXPAND | wxALL, FromDIP(8));
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    auto* add = new wxButton(page, wxID_ANY, _("Add file..."));
    add->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        wxFileDialog dlg(this, _("Attach a file"), "", "", _("All files (*)|*"), wxFD_OPEN | wxFD_FILE_MUST_EXIST);
        if (dlg.ShowModal() == wxID_OK)
            attachFile(utf8(dlg.GetPath()));
    });
    auto* open = new wxButton(page, wxID_ANY, _("Open"));
    open->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openAttachment(); });
    row->Add(add, 0, wxRIGHT, FromDIP(6));
    row->Add(open, 0);
    s->Add(row, 0, wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(8));
    page->SetSizer(s);
}

void RecordEditor::buildHistory(wxPanel* page)
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    m_history = new wxListCtrl(page, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_history->AppendColumn(_("When"), wxLIST_FORMAT_LEFT, FromDIP(130));
    m_history->AppendColumn(_("Who"), wxLIST_FORMAT_LEFT, FromDIP(90));
    m_history->AppendColumn(_("Device"), wxLIST_FORMAT_LEFT, FromDIP(110));
    m_history->AppendColumn(_("Source"), wxLIST_FORMAT_LEFT, FromDIP(70));
    m_history->AppendColumn(_("Field"), wxLIST_FORMAT_LEFT, FromDIP(120));
    m_history->AppendColumn(_("Before"), wxLIST_FORMAT_LEFT, FromDIP(130));
    m_history->AppendColumn(_("After"), wxLIST_FORMAT_LEFT, FromDIP(130));
    s->Add(m_history, 1, wxEXPAND | wxALL, FromDIP(8));
    page->SetSizer(s);
}

void RecordEditor::load()
{
    m_loading = true;
    if (!m_id.empty())
        m_record = m_store.get(m_id);
    else
    {
        m_record = {};
        m_record.kind = m_kind;
    }
    for (auto& fc : m_fields)
    {
        if (!m_id.empty())
            fc.readOnly = fc.readOnly || fc.def->access == model::FieldAccess::CreateOnly;
        const auto d = m_defaults.find(fc.def->name);
        const std::string value = m_id.empty() && d != m_defaults.end() ? d->second : m_record.value(fc.def->name);
        if (fc.def->type == model::FieldType::Kelurahan)
            continue;
        fillControl(fc, value);
    }
    for (auto& fc : m_fields)
        if (fc.def->type == model::FieldType::Kelurahan)
        {
            std::string kec;
            for (const auto& other : m_fields)
                if (other.def->type == model::FieldType::Kecamatan)
                    kec = controlValue(other);
            const auto d = m_defaults.find(fc.def->name);
            fillKelurahan(kec, m_id.empty() && d != m_defaults.end() ? d->second : m_record.value(fc.def->name));
        }
    m_touched.clear();
    m_showAll = false;
    m_loading = false;
    refreshHeader();
    refreshMoves();
    refreshChecklist();
    refreshNotes();
    refreshAttachments();
    refreshHistory();
    validate();
}

void RecordEditor::fillControl(FieldControl& fc, const std::string& value)
{
    if (auto* label = dynamic_cast<wxStaticText*>(fc.control))
    {
        const bool isDate = fc.def->type == model::FieldType::Date || fc.def->type == model::FieldType::Timestamp;
        wxString text = isDate ? displayDate(value) : wxs(value);
        label->SetForegroundColour(text.empty() ? wxColour(110, 110, 110) : wxNullColour);
        if (text.empty())
            text = fc.def->access == model::FieldAccess::Server     ? _("(given by the central office)")
                   : fc.def->access == model::FieldAccess::Computed ? _("(filled in automatically)")
                                                                    : wxString(wxs("—"));
        label->SetLabel(text);
        return;
    }
    if (auto* t = dynamic_cast<wxTextCtrl*>(fc.control))
    {
        const bool isDate = fc.def->type == model::FieldType::Date || fc.def->type == model::FieldType::Timestamp;
        t->ChangeValue(isDate && (fc.readOnly || fc.def->type == model::FieldType::Date) ? displayDate(value)
                                                                                         : wxs(value));
        t->SetEditable(!fc.readOnly);
    }
    else if (auto* c = dynamic_cast<wxChoice*>(fc.control))
    {
        auto it = std::find(fc.codes.begin(), fc.codes.end(), value);
        if (it == fc.codes.end())
        {
            // A value from elsewhere (another regency, a retired service) stays selectable.
            c->Append(wxs(value));
            fc.codes.push_back(value);
            it = fc.codes.end() - 1;
        }
        c->SetSelection(static_cast<int>(it - fc.codes.begin()));
    }
    else if (auto* b = dynamic_cast<wxCheckBox*>(fc.control))
        b->SetValue(value == "1");
    fc.control->Enable(!fc.readOnly || dynamic_cast<wxTextCtrl*>(fc.control));
}

std::string RecordEditor::controlValue(const FieldControl& fc) const
{
    if (auto* t = dynamic_cast<wxTextCtrl*>(fc.control))
    {
        const std::string text = utf8(t->GetValue());
        return fc.def->type == model::FieldType::Date ? parseDisplayDate(text) : text;
    }
    if (auto* c = dynamic_cast<wxChoice*>(fc.control))
    {
        const int sel = c->GetSelection();
        return sel > 0 ? fc.codes[static_cast<std::size_t>(sel)] : std::string();
    }
    if (auto* b = dynamic_cast<wxCheckBox*>(fc.control))
        return b->GetValue() ? "1" : "0";
    return {};
}

void RecordEditor::fillKelurahan(const std::string& kecamatan, const std::string& selected)
{
    for (auto& fc : m_fields)
    {
        if (fc.def->type != model::FieldType::Kelurahan)
            continue;
        auto* c = dynamic_cast<wxChoice*>(fc.control);
        if (!c)
        {
            fillControl(fc, selected);
            continue;
        }
        c->Clear();
        fc.codes.assign(1, "");
        c->Append("");
        if (!kecamatan.empty())
            for (const auto& [code, n] : model::Regions::standard().villagesOf(kecamatan))
            {
                c->Append(wxs(n));
                fc.codes.push_back(code);
            }
        fillControl(fc, selected);
    }
}

model::FieldMap RecordEditor::changes()
{
    model::FieldMap out;
    for (const auto& fc : m_fields)
    {
        if (fc.readOnly)
            continue;
        const std::string value = controlValue(fc);
        const std::string& original = m_record.value(fc.def->name);
        if (fc.def->type == model::FieldType::Bool && value == "0" && original.empty())
            continue;
        if (value != original)
            out[fc.def->name] = value;
    }
    return out;
}

bool RecordEditor::dirty()
{
    return !changes().empty();
}

void RecordEditor::onEdited(const std::string& field)
{
    if (m_loading)
        return;
    m_touched.insert(field);
    for (const auto& fc : m_fields)
        if (fc.def->name == field && fc.def->type == model::FieldType::Kecamatan)
            fillKelurahan(controlValue(fc), "");
    validate();
}

void RecordEditor::validate()
{
    const model::FieldMap c = changes();
    model::ValidationReport report;
    try
    {
        report = m_store.check(m_kind, m_id, c);
    }
    catch (const Error& e)
    {
        setMessage(wxs(e.what()), true);
        return;
    }
    std::set<std::string> withProblem;
    for (auto& fc : m_fields)
    {
        wxString text;
        for (const auto& p : report.problems())
            if (p.field == fc.def->name && (m_showAll || m_touched.count(p.field)))
            {
                text = translateProblem(p);
                if (p.severity == model::Severity::Warning)
                    text = wxString::Format(_("Check: %s"), text);
                withProblem.insert(p.field);
                break;
            }
        if (fc.error->GetLabel() != text)
        {
            fc.error->SetLabel(text);
            fc.error->Show(!text.empty());
        }
    }
    wxString other;
    for (const auto& p : report.errors())
        if (!withProblem.count(p.field) && (m_showAll || p.field == model::field::kStatus))
            other = wxs(p.field) + ": " + translateProblem(p);
    if (!other.empty())
        setMessage(other, true);
    else if (m_showAll && !report.ok())
        setMessage(_("Please correct the fields marked in red."), true);
    else if (m_message->GetForegroundColour() == wxColour(178, 34, 34))
        setMessage("", false);
    m_save->Enable(!c.empty() || m_id.empty());
    if (auto* form = m_book->GetPage(0))
        form->Layout();
}

wxString RecordEditor::fieldError(const std::string& field) const
{
    for (const auto& fc : m_fields)
        if (fc.def->name == field)
            return fc.error->IsShown() ? fc.error->GetLabel() : wxString();
    return {};
}

wxString RecordEditor::message() const
{
    return m_message->GetLabel();
}

void RecordEditor::setMessage(const wxString& text, bool error)
{
    m_message->SetForegroundColour(error ? wxColour(178, 34, 34) : wxColour(0, 110, 60));
    m_message->SetLabel(text);
    Layout();
}

void RecordEditor::typeInto(const std::string& field, const std::string& text)
{
    for (auto& fc : m_fields)
    {
        if (fc.def->name != field)
            continue;
        if (auto* t = dynamic_cast<wxTextCtrl*>(fc.control))
        {
            // As typed: each character is a change event, like a person's keystrokes.
            t->ChangeValue("");
            onEdited(field);
            for (const wxUniChar ch : wxs(text))
            {
                t->AppendText(wxString(ch));
                wxCommandEvent e(wxEVT_TEXT, t->GetId());
                e.SetEventObject(t);
                e.SetString(t->GetValue());
                t->ProcessWindowEvent(e);
            }
            if (text.empty())
            {
                wxCommandEvent e(wxEVT_TEXT, t->GetId());
                e.SetEventObject(t);
                t->ProcessWindowEvent(e);
            }
        }
        else if (auto* c = dynamic_cast<wxChoice*>(fc.control))
        {
            auto it = std::find(fc.codes.begin(), fc.codes.end(), text);
            c->SetSelection(it == fc.codes.end() ? 0 : static_cast<int>(it - fc.codes.begin()));
            wxCommandEvent e(wxEVT_CHOICE, c->GetId());
            e.SetEventObject(c);
            e.SetInt(c->GetSelection());
            c->ProcessWindowEvent(e);
        }
        else if (auto* b = dynamic_cast<wxCheckBox*>(fc.control))
        {
            b->SetValue(text == "1");
            wxCommandEvent e(wxEVT_CHECKBOX, b->GetId());
            e.SetEventObject(b);
            e.SetInt(b->GetValue());
            b->ProcessWindowEvent(e);
        }
        return;
    }
}

bool RecordEditor::save()
{
    model::FieldMap c = changes();
    m_showAll = true;
    try
    {
        const model::ValidationReport report = m_store.check(m_kind, m_id, c);
        if (!report.ok())
        {
            validate();
            return false;
        }
        if (m_id.empty())
            m_id = m_store.create(m_kind, c);
        else if (!c.empty())
            m_store.update(m_id, c);
    }
    catch (const Error& e)
    {
        setMessage(errorText(e), true);
        return false;
    }
    load();
    setMessage(_("Saved. The change waits to be sent to the central office."), false);
    if (onSaved)
        onSaved();
    return true;
}

bool RecordEditor::move(const std::string& status)
{
    if ((m_id.empty() || dirty()) && !save())
        return false;
    try
    {
        // What a move brings with it (the verifier's task of a file sent to
        // the field) is the store's write rule.
        m_store.update(m_id, {{model::field::kStatus, status}});
    }
    catch (const Error& e)
    {
        setMessage(errorText(e), true);
        return false;
    }
    load();
    setMessage(wxString::Format(_("Status is now: %s"), valueLabel("status", status)), false);
    if (onSaved)
        onSaved();
    return true;
}

wxButton* RecordEditor::moveButton(const std::string& status) const
{
    for (std::size_t i = 0; i < m_moves.size() && i < m_moveButtons.size(); ++i)
        if (m_moves[i] == status)
            return m_moveButtons[i];
    return nullptr;
}

void RecordEditor::refreshHeader()
{
    wxString title = kindTitle(m_kind);
    if (m_id.empty())
        title = wxString::Format(_("New: %s"), title);
    else if (const model::RecordNumber n = model::recordNumber(m_record); !n.empty())
        title += " " + wxs(n.number) + (n.provisional ? " " + _("(provisional)") : wxString());
    else if (!m_record.value("code").empty())
        title += " " + wxs(m_record.value("code"));
    m_title->SetLabel(title);
    SetTitle(title);

    wxString state;
    if (!m_record.value(model::field::kStatus).empty())
        state = _("Status:") + " " + valueLabel("status", m_record.value(model::field::kStatus));
    if (!m_id.empty())
    {
        state += (state.empty() ? wxString() : wxs("   ·   ")) + syncStateLabel(model::syncStateOf(m_store, m_kind, m_id));
        const std::string& due = m_record.value(model::field::kDueDate);
        if (!due.empty())
        {
            state += wxs("   ·   ") + _("Due date") + " " + displayDate(due);
            const std::string& st = m_record.value(model::field::kStatus);
            if (due < m_store.today().toString() && !model::isTerminal(m_kind, st))
                state += " (" + _("Overdue") + ")";
        }
    }
    m_state->SetLabel(state);
    if (m_receipt)
        m_receipt->Enable(!m_id.empty());
}

void RecordEditor::refreshMoves()
{
    m_moveSizer->Clear(true);
    m_moveButtons.clear();
    m_moves.clear();
    const std::string& status = m_record.value(model::field::kStatus);
    const bool workflow = std::find(model::workflowKinds().begin(), model::workflowKinds().end(), m_kind) !=
                          model::workflowKinds().end();
    if (workflow && !m_id.empty())
        m_moves = model::allowedMoves(m_kind, status);
    for (const auto& to : m_moves)
    {
        auto* b = new wxButton(m_movePanel, wxID_ANY, moveLabel(m_kind, to));
        b->Bind(wxEVT_BUTTON, [this, to](wxCommandEvent&) {
            // Run after the click returns: the move rebuilds these buttons.
            CallAfter([this, to] { move(to); });
        });
        m_moveSizer->Add(b, 0, wxRIGHT | wxBOTTOM, FromDIP(6));
        m_moveButtons.push_back(b);
    }
    m_movePanel->Layout();
    Layout();
}

void RecordEditor::refreshChecklist()
{
    if (!m_checklist)
        return;
    m_checklist->Clear();
    m_requirementIds.clear();
    if (m_id.empty())
        return;
    model::ListQuery q;
    q.kind = "requirement";
    q.where = {{model::field::kApplicationId, m_id}};
    auto rows = m_store.list(q);
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const auto& r : rows)
    {
        wxString label = wxs(r.value("requirement"));
        if (!r.value("checked_by").empty() && r.value("fulfilled") == "1")
            label += "  (" + wxs(r.value("checked_by")) + ")";
        const int i = m_checklist->Append(label);
        m_checklist->Check(static_cast<unsigned>(i), r.value("fulfilled") == "1");
        m_requirementIds.push_back(r.id);
    }
}

void RecordEditor::setRequirement(unsigned index, bool fulfilled)
{
    if (index >= m_requirementIds.size())
        return;
    try
    {
        m_store.update(m_requirementIds[index],
                       {{"fulfilled", fulfilled ? "1" : "0"}, {"checked_by", fulfilled ? m_store.user() : ""}});
    }
    catch (const Error& e)
    {
        setMessage(errorText(e), true);
    }
    refreshChecklist();
    refreshHistory();
    if (onSaved)
        onSaved();
}

void RecordEditor::refreshNotes()
{
    wxString html = "<html><body>";
    if (!m_id.empty())
    {
        model::ListQuery q;
        q.kind = "note";
        q.where = {{"parent_id", m_id}};
        auto rows = m_store.list(q);
        std::reverse(rows.begin(), rows.end());
        for (const auto& r : rows)
            html += "<p><font color=\"#555555\" size=\"-1\"><b>" + escapeHtml(wxs(r.value("author"))) + wxs("</b> · ") +
                    displayDate(r.value("created_at")) + "</font><br>" + escapeHtml(wxs(r.value("body"))) + "</p><hr>";
        if (rows.empty())
            html += "<p><i>" + _("No notes yet.") + "</i></p>";
    }
    else
        html += "<p><i>" + _("Save the record first to add notes and files.") + "</i></p>";
    m_notes->SetPage(html + "</body></html>");
}

bool RecordEditor::addNote(const std::string& text)
{
    if (m_id.empty() || text.find_first_not_of(" \t\n") == std::string::npos)
        return false;
    try
    {
        m_store.create("note", {{"parent_id", m_id}, {"author", m_store.user()}, {"body", text}});
    }
    catch (const Error& e)
    {
        setMessage(errorText(e), true);
        return false;
    }
    m_noteInput->Clear();
    refreshNotes();
    refreshHistory();
    return true;
}

void RecordEditor::refreshAttachments()
{
    m_attachments->DeleteAllItems();
    m_attachmentIds.clear();
    if (m_id.empty())
        return;
    model::ListQuery q;
    q.kind = "attachment";
    q.where = {{"parent_id", m_id}};
    for (const auto& r : m_store.list(q))
    {
        const long i = m_attachments->InsertItem(m_attachments->GetItemCount(), wxs(r.value("name")));
        m_attachments->SetItem(i, 1, wxFileName::GetHumanReadableSize(wxULongLong(std::stoull("0" + r.value("size")))));
        m_attachments->SetItem(i, 2, displayDate(r.value("created_at")));
        m_attachmentIds.push_back(r.id);
    }
}

bool RecordEditor::attachFile(const std::string& path)
{
    if (m_id.empty())
        return false;
    try
    {
        model::addAttachment(m_store, m_id, path);
    }
    catch (const Error& e)
    {
        setMessage(wxs(e.what()), true);
        return false;
    }
    refreshAttachments();
    refreshHistory();
    return true;
}

void RecordEditor::openAttachment()
{
    const long sel = m_attachments->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (sel < 0 || static_cast<std::size_t>(sel) >= m_attachmentIds.size())
        return;
    const model::Record r = m_store.get(m_attachmentIds[static_cast<std::size_t>(sel)]);
    const std::string copy = attachmentCopy(sel);
    if (copy.empty() || !wxLaunchDefaultApplication(wxs(copy)))
        setMessage(wxString::Format(_("Cannot open %s."), wxs(r.value("name"))), true);
}

std::string RecordEditor::attachmentCopy(long index)
{
    if (index < 0 || static_cast<std::size_t>(index) >= m_attachmentIds.size())
        return {};
    try
    {
        const model::Record r = m_store.get(m_attachmentIds[static_cast<std::size_t>(index)]);
        // The stored file is named by its hash and, on an encrypted laptop,
        // sealed with the data key: write the plain bytes to a private
        // temporary folder under the file's own name, so the desktop picks
        // the right program.
        const std::string bytes = model::readAttachment(m_store, r.value("sha256"));
        if (m_tempDir.empty())
        {
            std::string pattern = utf8(wxFileName::GetTempDir()) + "/berkas-XXXXXX";
            if (!mkdtemp(pattern.data())) // mode 0700: only this user reads the plain copies
                return {};
            m_tempDir = pattern;
        }
        const wxString name = wxFileName(wxs(r.value("name"))).GetFullName();
        const wxString path = wxFileName(wxs(m_tempDir), name.empty() ? wxString("lampiran") : name).GetFullPath();
        wxFile out;
        if (!out.Create(path, true, wxS_IRUSR | wxS_IWUSR) || !out.Write(bytes.data(), bytes.size()))
            return {};
        return utf8(path);
    }
    catch (const Error&)
    {
        return {};
    }
}

void RecordEditor::refreshHistory()
{
    m_history->DeleteAllItems();
    if (m_id.empty())
        return;
    for (const auto& line : m_store.history(m_id))
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
        const bool coded = line.field == model::field::kStatus || line.field == "channel";
        m_history->SetItem(i, 5, coded ? valueLabel(line.field, line.oldValue) : wxs(line.oldValue));
        m_history->SetItem(i, 6, coded ? valueLabel(line.field, line.newValue) : wxs(line.newValue));
    }
}

int RecordEditor::historyLines() const
{
    return m_history->GetItemCount();
}

void RecordEditor::printReceipt()
{
    if (m_id.empty())
        return;
    if (dirty() && !save())
        return;
    showReceiptPreview(this, m_store, m_store.get(m_id));
}

bool RecordEditor::closeEditor()
{
    if (dirty())
    {
        const int answer = askSaveChanges();
        if (answer == wxCANCEL)
            return false;
        if (answer == wxYES && !save())
            return false;
    }
    Unbind(wxEVT_CLOSE_WINDOW, &RecordEditor::onClose, this);
    Destroy();
    return true;
}

void RecordEditor::onClose(wxCloseEvent& event)
{
    if (event.CanVeto() && !closeEditor())
    {
        event.Veto();
        return;
    }
    if (!event.CanVeto())
        Destroy();
}

} // namespace berkas::desktop
