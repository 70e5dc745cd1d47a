#pragma once

#include "model/CaseStore.h"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxCheckListBox;

namespace berkas::desktop {

/// The Requirements tab of an application in the record editor: its
/// checklist, one line a requirement row, ticked when fulfilled and naming
/// who checked it. A tick is written to the store at once, by the user of the
/// UI thread's CaseStore.
class RequirementsPage : public wxPanel
{
public:
    RequirementsPage(wxWindow* parent, model::CaseStore& store);

    /// Called with the text to show when the store refuses a tick.
    std::function<void(const wxString&)> onError;
    /// Called after a tick was written or refused.
    std::function<void()> onWritten;

    /// Lists the requirement rows of @p applicationId ("" for one not stored yet: none).
    void load(const std::string& applicationId);
    /// Ticks or unticks item @p index as a click does; an index past the end does nothing.
    void setRequirement(unsigned index, bool fulfilled);

    wxCheckListBox* checklist() const { return m_checklist; }

private:
    model::CaseStore& m_store;
    std::string m_applicationId;
    std::vector<std::string> m_requirementIds;
    wxCheckListBox* m_checklist = nullptr;
};

} // namespace berkas::desktop
