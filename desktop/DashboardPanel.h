#pragma once

#include "model/CaseStore.h"

#include <wx/html/htmlwin.h>

#include <functional>
#include <string>

namespace berkas::desktop {

/// Beranda: the day at a glance (model::loadDashboard), with links to the sections.
class DashboardPanel : public wxHtmlWindow
{
public:
    DashboardPanel(wxWindow* parent, model::CaseStore& store);

    /// Called with a section name ("permohonan", "konflik", ...) when a link is clicked.
    std::function<void(const std::string& section)> onLink;

    /// Reads the figures and shows them. Not done by the constructor: they
    /// count every application, so the window reads them only while Beranda
    /// is shown.
    void reload();

private:
    model::CaseStore& m_store;
};

} // namespace berkas::desktop
