#include "desktop/RecordEditor.h"

#include "desktop/AttachmentsPage.h"
#include "desktop/FieldVisitPage.h"
#include "desktop/HistoryPage.h"
#include "desktop/NotesPage.h"
#include "desktop/Receipt.h"
#include "desktop/RecordForm.h"
#include "desktop/RecordHeadline.h"
#include "desktop/RequirementsPage.h"
#include "desktop/UiText.h"
#include "desktop/WorkflowButtons.h"
#include "model/Error.h"
#include "model/Schema.h"

#include <wx/button.h>
#include <wx/msgdlg.h>
#include <wx/notebook.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textdlg.h>

#include <algorithm>
#include <set>

namespace berkas::desktop {

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
    askOverrideReason = [this](const wxString& why) {
        return wxGetTextFromUser(why + "\n\n" + _("As a manager you may let the file move on. Reason:"),
                                 _("Checklist not complete"), "", this)
            .Trim()
            .Trim(false);
    };
    const auto showError = [this](const wxString& text) { setMessage(text, true); };

    auto* top = new wxBoxSizer(wxVERTICAL);
    m_title = new wxStaticText(this, wxID_ANY, "");
    m_title->SetFont(m_title->GetFont().MakeLarger().MakeBold());
    top->Add(m_title, 0, wxLEFT | wxRIGHT | wxTOP, FromDIP(10));
    m_state = new wxStaticText(this, wxID_ANY, "");
    top->Add(m_state, 0, wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(10));

    auto* book = new wxNotebook(this, wxID_ANY);
    m_form = new RecordForm(book, m_store, m_kind, !m_id.empty());
    m_form->onEdited = [this] { validate(); };
    book->AddPage(m_form, _("Details"));
    if (m_kind == model::kind::kApplication)
    {
        m_requirements = new RequirementsPage(book, m_store);
        m_requirements->onError = showError;
        m_requirements->onWritten = [this] {
            m_history->load(m_id);
            if (onSaved)
                onSaved();
        };
        book->AddPage(m_requirements, _("Requirements"));
    }
    if (m_kind == model::kind::kTask)
    {
        m_visit = new FieldVisitPage(book, m_store);
        m_visit->onError = showError;
        m_visit->onDone = [this](const wxString& text) { setMessage(text, false); };
        m_visit->onWritten = [this] {
            reloadKeepingEdits();
            if (onSaved)
                onSaved();
        };
        book->AddPage(m_visit, _("Visit"));
    }
    m_notes = new NotesPage(book, m_store);
    m_notes->onError = showError;
    m_notes->onWritten = [this] { m_history->load(m_id); };
    book->AddPage(m_notes, _("Notes"));
    m_attachments = new AttachmentsPage(book, m_store);
    m_attachments->onError = showError;
    m_attachments->onWritten = [this] {
        m_history->load(m_id);
        if (m_visit)
            m_visit->loadPhotos(); // a photo just attached may say where the visit was
    };
    book->AddPage(m_attachments, _("Attachments"));
    m_history = new HistoryPage(book, m_store, m_kind);
    book->AddPage(m_history, _("History"));
    top->Add(book, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(10));

    m_message = new wxStaticText(this, wxID_ANY, "");
    top->Add(m_message, 0, wxEXPAND | wxALL, FromDIP(10));

    m_moves = new WorkflowButtons(this, m_kind);
    m_moves->onMove = [this](const std::string& to) { move(to); };
    top->Add(m_moves, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(10));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    if (m_kind == model::kind::kApplication)
    {
        m_receipt = new wxButton(this, wxID_ANY, _("&Print receipt"));
        m_receipt->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { printReceipt(); });
        buttons->Add(m_receipt, 0, wxRIGHT, FromDIP(6));
    }
    else if (m_kind == model::kind::kBooking)
    {
        m_receipt = new wxButton(this, wxID_ANY, _("&Print confirmation"));
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

void RecordEditor::load()
{
    if (m_id.empty())
    {
        m_record = {};
        m_record.kind = m_kind;
        m_form->showNew(m_defaults);
    }
    else
    {
        m_record = m_store.get(m_id);
        m_form->show(m_record);
    }
    m_showAll = false;
    refreshHeader();
    m_moves->offer(m_record.value(model::field::kStatus), !m_id.empty());
    Layout();
    if (m_requirements)
        m_requirements->load(m_id);
    if (m_visit)
        m_visit->load(m_id);
    m_notes->load(m_id);
    m_attachments->load(m_id);
    m_history->load(m_id);
    validate();
}

void RecordEditor::reloadKeepingEdits()
{
    const model::FieldMap typed = m_form->changes(m_record);
    const model::Record before = m_record;
    m_record = m_store.get(m_id);
    model::FieldMap kept;
    for (const auto& [field, value] : typed)
        if (m_record.value(field) == before.value(field))
            kept[field] = value;
    m_form->showKeeping(m_record, kept);
    refreshHeader();
    m_moves->offer(m_record.value(model::field::kStatus), true);
    m_attachments->load(m_id);
    m_history->load(m_id);
    validate();
}

void RecordEditor::refreshHeader()
{
    const wxString title = recordTitle(m_kind, m_id, m_record);
    m_title->SetLabel(title);
    SetTitle(title);
    m_state->SetLabel(recordStateLine(m_store, m_kind, m_id, m_record));
    if (m_receipt)
        m_receipt->Enable(!m_id.empty());
}

void RecordEditor::validate()
{
    const model::FieldMap c = m_form->changes(m_record);
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
    const std::set<std::string> shown = m_form->showProblems(report, m_showAll);
    wxString other;
    for (const auto& p : report.errors())
        if (!shown.count(p.field) && (m_showAll || p.field == model::field::kStatus))
            other = wxs(p.field) + ": " + translateProblem(p);
    if (!other.empty())
        setMessage(other, true);
    else if (m_showAll && !report.ok())
        setMessage(_("Please correct the fields marked in red."), true);
    else if (m_message->GetForegroundColour() == wxColour(178, 34, 34))
        setMessage("", false);
    m_save->Enable(!c.empty() || m_id.empty());
    m_form->Layout();
}

bool RecordEditor::dirty()
{
    return !m_form->changes(m_record).empty();
}

bool RecordEditor::save()
{
    model::FieldMap c = m_form->changes(m_record);
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
    model::FieldMap changes = {{model::field::kStatus, status}};
    // The checklist gates a file leaving document_check (a store rule). A
    // manager may let it pass with a reason; anyone else is told why not.
    const std::vector<model::FieldProblem> problems = m_store.check(m_kind, m_id, changes).errors();
    const auto gate = std::find_if(problems.begin(), problems.end(), [](const model::FieldProblem& p) {
        return p.code == model::ProblemCode::ChecklistIncomplete;
    });
    const std::string role = m_store.setting("role");
    if (gate != problems.end() && (role == "manager" || role == "admin"))
    {
        const wxString reason = askOverrideReason(translateProblem(*gate));
        if (reason.empty())
            return false;
        changes[model::field::kChecklistOverride] = reason.utf8_string();
    }
    try
    {
        // What a move brings with it (the verifier's task of a file sent to
        // the field) is the store's write rule.
        m_store.update(m_id, changes);
    }
    catch (const Error& e)
    {
        setMessage(errorText(e), true);
        return false;
    }
    load();
    setMessage(wxString::Format(_("Status is now: %s"), valueLabel(model::field::kStatus, status)), false);
    if (onSaved)
        onSaved();
    return true;
}

void RecordEditor::printReceipt()
{
    if (m_id.empty())
        return;
    if (dirty() && !save())
        return;
    if (m_kind == model::kind::kBooking)
        showBookingConfirmationPreview(this, m_store, m_store.get(m_id));
    else
        showReceiptPreview(this, m_store, m_store.get(m_id));
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

// The rest of the editor's public face is handed to the piece that does it.

std::vector<std::string> RecordEditor::offeredMoves() const
{
    return m_moves->moves();
}

wxButton* RecordEditor::moveButton(const std::string& status) const
{
    return m_moves->button(status);
}

void RecordEditor::typeInto(const std::string& field, const std::string& text)
{
    m_form->typeInto(field, text);
}

wxString RecordEditor::fieldError(const std::string& field) const
{
    return m_form->fieldError(field);
}

wxCheckListBox* RecordEditor::checklist() const
{
    return m_requirements ? m_requirements->checklist() : nullptr;
}

void RecordEditor::setRequirement(unsigned index, bool fulfilled)
{
    if (m_requirements)
        m_requirements->setRequirement(index, fulfilled);
}

bool RecordEditor::addNote(const std::string& text)
{
    return m_notes->addNote(text);
}

bool RecordEditor::attachFile(const std::string& path)
{
    return m_attachments->attachFile(path);
}

std::string RecordEditor::attachmentCopy(long index)
{
    return m_attachments->attachmentCopy(index);
}

wxString RecordEditor::stateLine() const
{
    return m_state->GetLabel();
}

int RecordEditor::historyLines() const
{
    return m_history->lines();
}

} // namespace berkas::desktop
