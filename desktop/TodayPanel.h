#pragma once

#include "model/FieldDay.h"

#include <wx/panel.h>

#include <functional>
#include <string>
#include <vector>

class wxListCtrl;
class wxStaticText;

namespace berkas::model {
class CaseStore;
}

namespace berkas::desktop {

/// The verifier's day above the Field verification list: the open visits
/// scheduled until today (model::visitsUntil), by schedule, with the
/// applicant, the address and the service. Double-click or Enter calls
/// onOpen with the task's id. UI thread only.
class TodayPanel : public wxPanel
{
public:
    TodayPanel(wxWindow* parent, model::CaseStore& store);

    std::function<void(const std::string& taskId)> onOpen;

    /// Reads the visits again (after a write or a sync).
    void reload();

    const std::vector<model::Visit>& visits() const { return m_visits; }
    wxListCtrl* list() const { return m_list; }

private:
    model::CaseStore& m_store;
    std::vector<model::Visit> m_visits;
    wxStaticText* m_heading = nullptr;
    wxListCtrl* m_list = nullptr;
};

} // namespace berkas::desktop
