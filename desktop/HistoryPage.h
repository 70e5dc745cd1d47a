#pragma once

#include "model/CaseStore.h"

#include <wx/panel.h>

#include <string>

class wxListCtrl;

namespace berkas::desktop {

/// The History tab of the record editor: the record's audit trail, one line a
/// changed field: when, who, on which device (this laptop, the central office
/// or another laptop), from where (typed here, a sync, an import), before and
/// after.
class HistoryPage : public wxPanel
{
public:
    HistoryPage(wxWindow* parent, model::CaseStore& store, std::string kind);

    /// Lists the history of @p recordId ("" for one not stored yet: none).
    void load(const std::string& recordId);
    /// The lines shown.
    int lines() const;

private:
    model::CaseStore& m_store;
    std::string m_kind;
    wxListCtrl* m_history = nullptr;
};

} // namespace berkas::desktop
