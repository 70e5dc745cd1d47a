#pragma once

#include "model/CaseStore.h"

#include <wx/panel.h>

#include <functional>
#include <string>

class wxHtmlWindow;
class wxTextCtrl;

namespace berkas::desktop {

/// The Notes tab of the record editor: the record's notes, newest first, each
/// with its author and time, and a box to add one. Notes are append-only
/// records of their own, written at once through the UI thread's CaseStore.
class NotesPage : public wxPanel
{
public:
    NotesPage(wxWindow* parent, model::CaseStore& store);

    /// Called with the text to show when the store refuses a note.
    std::function<void(const wxString&)> onError;
    /// Called after a note was written.
    std::function<void()> onWritten;

    /// Shows the notes of @p recordId ("" for one not stored yet: a hint to save first).
    void load(const std::string& recordId);
    /// Adds a note as the Add note button does; false (nothing written) for a
    /// blank text, a record not stored yet or a refused write.
    bool addNote(const std::string& text);

private:
    model::CaseStore& m_store;
    std::string m_recordId;
    wxHtmlWindow* m_notes = nullptr;
    wxTextCtrl* m_input = nullptr;
};

} // namespace berkas::desktop
