#pragma once

#include "model/CaseStore.h"

#include <wx/dialog.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

class wxButton;
class wxCheckListBox;
class wxHtmlWindow;
class wxListCtrl;
class wxNotebook;
class wxPanel;
class wxScrolledWindow;
class wxSizer;
class wxStaticText;
class wxTextCtrl;

namespace berkas::desktop {

/// Opens, edits and creates one record of any kind. The form is built from
/// the schema; every keystroke is checked with CaseStore::check (the store's
/// own rules) and problems are shown under the field. Workflow buttons offer
/// only model::allowedMoves. Applications also get the requirement checklist
/// and the receipt; every record gets notes, attachments and its history.
/// Modeless; writes go through the UI thread's CaseStore.
class RecordEditor : public wxDialog
{
public:
    /// @p id empty: a new record, with @p defaults filled in.
    RecordEditor(wxWindow* parent, model::CaseStore& store, std::string kind, std::string id,
                 model::FieldMap defaults = {});
    ~RecordEditor() override;

    /// Called after every successful write (to refresh lists).
    std::function<void()> onSaved;
    /// Asks whether to save unsaved changes: returns wxYES, wxNO or wxCANCEL.
    /// Default: a message box. Tests replace it.
    std::function<int()> askSaveChanges;

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
    std::vector<std::string> offeredMoves() const { return m_moves; }
    /// The button for a move, or nullptr.
    wxButton* moveButton(const std::string& status) const;

    /// Types @p text into a field's control as a person would (fires its events).
    void typeInto(const std::string& field, const std::string& text);
    /// The problem shown under a field ("" when none).
    wxString fieldError(const std::string& field) const;
    /// The line at the bottom of the form (errors of the whole record, confirmations).
    wxString message() const;

    /// The requirement checklist (applications).
    wxCheckListBox* checklist() const { return m_checklist; }
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

    /// Closes, asking about unsaved changes first; false when the person cancelled.
    bool closeEditor();

private:
    struct FieldControl
    {
        const model::FieldDef* def = nullptr;
        wxWindow* control = nullptr;
        wxStaticText* error = nullptr;
        std::vector<std::string> codes; ///< for choices: the value of each item
        bool readOnly = false;
    };

    void buildForm(wxScrolledWindow* page);
    void buildChecklist(wxPanel* page);
    void buildNotes(wxPanel* page);
    void buildAttachments(wxPanel* page);
    void buildHistory(wxPanel* page);
    void load();
    void fillControl(FieldControl& fc, const std::string& value);
    std::string controlValue(const FieldControl& fc) const;
    void fillKelurahan(const std::string& kecamatan, const std::string& selected);
    model::FieldMap changes();
    void validate();
    void onEdited(const std::string& field);
    void refreshHeader();
    void refreshMoves();
    void refreshChecklist();
    void refreshNotes();
    void refreshAttachments();
    void refreshHistory();
    void setMessage(const wxString& text, bool error);
    void openAttachment();
    void printReceipt();
    void onClose(wxCloseEvent& event);

    model::CaseStore& m_store;
    std::string m_kind;
    std::string m_id;
    model::FieldMap m_defaults;
    model::Record m_record;
    std::vector<FieldControl> m_fields;
    std::set<std::string> m_touched;
    bool m_showAll = false;
    bool m_loading = false;
    std::vector<std::string> m_moves;
    std::vector<std::string> m_requirementIds;
    std::vector<std::string> m_attachmentIds;
    std::string m_tempDir; ///< private folder of opened attachments' plain copies

    wxStaticText* m_title = nullptr;
    wxStaticText* m_state = nullptr;
    wxStaticText* m_message = nullptr;
    wxSizer* m_moveSizer = nullptr;
    wxPanel* m_movePanel = nullptr;
    wxNotebook* m_book = nullptr;
    wxCheckListBox* m_checklist = nullptr;
    wxHtmlWindow* m_notes = nullptr;
    wxTextCtrl* m_noteInput = nullptr;
    wxListCtrl* m_attachments = nullptr;
    wxListCtrl* m_history = nullptr;
    wxButton* m_save = nullptr;
    wxButton* m_receipt = nullptr;
    std::vector<wxButton*> m_moveButtons;
};

} // namespace berkas::desktop
