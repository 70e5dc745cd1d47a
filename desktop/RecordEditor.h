#pragma once

#include "model/CaseStore.h"

#include <wx/dialog.h>

#include <functional>
#include <string>
#include <vector>

class wxButton;
class wxCheckListBox;
class wxStaticText;

namespace berkas::desktop {

class AttachmentsPage;
class FieldVisitPage;
class HistoryPage;
class NotesPage;
class RecordForm;
class RequirementsPage;
class WorkflowButtons;

/// Opens, edits and creates one record of any kind. The form is built from
/// the schema; every keystroke is checked with CaseStore::check (the store's
/// own rules) and problems are shown under the field. Workflow buttons offer
/// only model::allowedMoves. Applications also get the requirement checklist
/// and the receipt; every record gets notes, attachments and its history.
/// Modeless; writes go through the UI thread's CaseStore.
///
/// The editor itself lays out its pieces, makes the record's writes (save, a
/// move) and reports them in its message line. The pieces: RecordForm (the
/// Details page), RequirementsPage, NotesPage, AttachmentsPage and
/// HistoryPage (the other tabs), WorkflowButtons, and the title and state
/// lines of RecordHeadline.h.
class RecordEditor : public wxDialog
{
public:
    /// @p id empty: a new record, with @p defaults filled in.
    RecordEditor(wxWindow* parent, model::CaseStore& store, std::string kind, std::string id,
                 model::FieldMap defaults = {});

    /// Called after every successful write (to refresh lists).
    std::function<void()> onSaved;
    /// Asks whether to save unsaved changes: returns wxYES, wxNO or wxCANCEL.
    /// Default: a message box. Tests replace it.
    std::function<int()> askSaveChanges;
    /// Asks a manager why an application may leave document_check with
    /// checklist items unticked (@p why: the rule it breaks); empty when
    /// they cancel. Default: a text entry dialog. Tests replace it.
    std::function<wxString(const wxString& why)> askOverrideReason;

    const std::string& kind() const { return m_kind; }
    const std::string& recordId() const { return m_id; }
    /// Whether the form differs from the stored record.
    bool dirty();

    /// Validates and writes the form. False (with the problems shown) when
    /// something is wrong.
    bool save();
    /// Runs a workflow move as its button does (saving first when dirty).
    bool move(const std::string& status);
    /// The statuses the workflow buttons offer now, in table order.
    std::vector<std::string> offeredMoves() const;
    /// The button for a move, or nullptr.
    wxButton* moveButton(const std::string& status) const;

    /// Types @p text into a field's control as a person would (fires its events).
    void typeInto(const std::string& field, const std::string& text);
    /// The problem shown under a field ("" when none).
    wxString fieldError(const std::string& field) const;
    /// The line at the bottom of the form (errors of the whole record, confirmations).
    wxString message() const;
    /// The line under the title (recordStateLine: status, sync state, due date, notices).
    wxString stateLine() const;

    /// The requirement checklist (applications; nullptr for other kinds).
    wxCheckListBox* checklist() const;
    /// Ticks or unticks checklist item @p index as a click does.
    void setRequirement(unsigned index, bool fulfilled);
    /// Adds a note as the notes tab does.
    bool addNote(const std::string& text);
    /// Adds an attachment from a file, as the Add button does after its file dialog.
    bool attachFile(const std::string& path);
    /// Writes the plain bytes of attachment @p index (decrypted when the
    /// laptop is encrypted) to a private temporary file named like the
    /// attachment, as Open does before handing it to the desktop; the path,
    /// or "" when it cannot be read. Removed when the editor closes.
    std::string attachmentCopy(long index);
    /// Lines in the history tab.
    int historyLines() const;

    wxButton* saveButton() const { return m_save; }
    /// The Visit tab of a task (findings checklist, signatures, report); null for other kinds.
    FieldVisitPage* visitPage() const { return m_visit; }

    /// Closes, asking about unsaved changes first; false when the person cancelled.
    bool closeEditor();

private:
    void load();
    /// After a tab wrote some of the record's fields: the record as stored
    /// now, with what is typed in the Details page and not saved kept, except
    /// in the fields the write changed (the write is the newer). The Visit
    /// tab keeps its own unsaved findings and signatures.
    void reloadKeepingEdits();
    void validate();
    void refreshHeader();
    void setMessage(const wxString& text, bool error);
    /// The receipt of an application, the confirmation of a booking.
    void printReceipt();
    void onClose(wxCloseEvent& event);

    model::CaseStore& m_store;
    std::string m_kind;
    std::string m_id;
    model::FieldMap m_defaults;
    model::Record m_record;
    bool m_showAll = false; ///< after a save was tried: every problem shows, not only touched fields'

    wxStaticText* m_title = nullptr;
    wxStaticText* m_state = nullptr;
    wxStaticText* m_message = nullptr;
    RecordForm* m_form = nullptr;
    RequirementsPage* m_requirements = nullptr;
    FieldVisitPage* m_visit = nullptr;
    NotesPage* m_notes = nullptr;
    AttachmentsPage* m_attachments = nullptr;
    HistoryPage* m_history = nullptr;
    WorkflowButtons* m_moves = nullptr;
    wxButton* m_save = nullptr;
    wxButton* m_receipt = nullptr;
};

} // namespace berkas::desktop
