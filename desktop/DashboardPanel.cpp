#include "desktop/DashboardPanel.h"

#include "desktop/UiText.h"
#include "model/Dashboard.h"

#include <wx/fs_mem.h>
#include <wx/image.h>
#include <wx/utils.h>

#include <set>

namespace berkas::desktop {

namespace {

wxString number(std::int64_t n)
{
    return formatNumber(n);
}

// Who to greet: the user this laptop works as, else the person logged in to
// the computer (their full name), else nobody in particular.
wxString greetingName(model::CaseStore& store)
{
    const std::string user = store.setting("user");
    if (!user.empty())
        return wxs(user);
    return wxGetUserName();
}

wxString tile(const wxString& figure, const wxString& label, const wxString& link, bool alert)
{
    return "<td width=\"25%\" bgcolor=\"" + wxString(alert ? "#fdecea" : "#eef3f8") + "\" valign=\"top\"><a href=\"" +
           link + "\"><font size=\"+3\" color=\"" + (alert ? "#b22222" : "#1f4e79") + "\"><b>" + figure +
           "</b></font></a><br>" + label + "</td>";
}

// A bar of @p width pixels as an image in wxHtml's memory file system.
// Made at its real size: wxHtml misplaces an image it has to stretch.
wxString barImage(int width)
{
    static bool handler = false;
    static std::set<int> made;
    if (!handler)
    {
        wxFileSystem::AddHandler(new wxMemoryFSHandler);
        handler = true;
    }
    const wxString name = wxString::Format("berkas-bar-%d.bmp", width);
    if (made.insert(width).second)
    {
        wxImage bar(width, 12);
        bar.SetRGB(wxRect(0, 0, width, 12), 0x4a, 0x7a, 0xb0);
        wxMemoryFSHandler::AddFile(name, bar, wxBITMAP_TYPE_BMP);
    }
    return "memory:" + name;
}

} // namespace

DashboardPanel::DashboardPanel(wxWindow* parent, model::CaseStore& store)
    : wxHtmlWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxHW_SCROLLBAR_AUTO), m_store(store)
{
    Bind(wxEVT_HTML_LINK_CLICKED, [this](wxHtmlLinkEvent& e) {
        if (onLink)
            onLink(utf8(e.GetLinkInfo().GetHref()));
    });
}

void DashboardPanel::reload()
{
    const model::DashboardFigures f = model::loadDashboard(m_store);
    const wxString name = greetingName(m_store);
    wxString html = "<html><body><font size=\"+2\"><b>" +
                    (name.empty() ? _("Good day") : wxString::Format(_("Good day, %s"), name)) + "</b></font><br><font color=\"#555555\">" + _("Today is") + " " + displayDate(m_store.today().toString()) +
                    "</font><br><br>";
    if (!f.suspendedToday.empty())
    {
        // What the central office has suspended today, and what replaces it.
        html += "<table width=\"100%\" cellpadding=\"8\"><tr><td bgcolor=\"#fdecea\"><b>" +
                _("Suspended today") + "</b><br>";
        for (const auto& s : f.suspendedToday)
        {
            html += escapeHtml(wxs(s.title())) + ": " + escapeHtml(valueLabels(model::field::kSteps, s.steps)) + " (" +
                    (s.to.empty() ? wxString::Format(_("from %s until further notice"), displayDate(s.from))
                                  : wxString::Format(_("%s to %s"), displayDate(s.from), displayDate(s.to))) +
                    ")" + (s.channels.empty() ? wxString() : "<br>&nbsp;&nbsp;" + _("Instead:") + " " +
                                                                 escapeHtml(wxs(s.channels))) +
                    "<br>";
        }
        html += "</td></tr></table>";
    }
    html += "<table width=\"100%\" cellspacing=\"8\" cellpadding=\"10\"><tr>";
    html += tile(number(f.applicationsOverdue), _("applications overdue"), "permohonan", f.applicationsOverdue > 0);
    html += tile(number(f.applicationsDueThisWeek), _("applications due this week"), "permohonan", false);
    html += tile(number(f.complaintsOverdue), _("complaints past their deadline"), "pengaduan", f.complaintsOverdue > 0);
    html += tile(number(f.complaintsOpen), _("open complaints and consultations"), "pengaduan", false);
    html += "</tr><tr>";
    html += tile(number(f.myTasksOpen) + " / " + number(f.tasksOpen), _("field visits open (mine / all)"), "verifikasi", false);
    html += tile(number(f.bookingsToday), _("counter bookings today"), "antrean", false);
    html += tile(number(f.waitingChanges), _("changes waiting to sync"), "outbox", false);
    html += tile(number(f.openConflicts), _("open conflicts"), "konflik", f.openConflicts > 0);
    html += "</tr></table><br><b>" + _("Applications by status") + "</b><br>";
    html += "<table cellspacing=\"0\" cellpadding=\"4\" border=\"0\">";
    std::int64_t total = 0;
    for (const auto& [status, count] : f.applicationsByStatus)
        total += count;
    for (const auto& [status, count] : f.applicationsByStatus)
    {
        // wxHtml paints no background for an empty cell: the bar is an image.
        const int width = total ? static_cast<int>(300 * count / total) : 0;
        html += "<tr><td width=\"220\" nowrap>" + valueLabel(model::field::kStatus, status) +
                "</td><td width=\"60\" align=\"right\">" + number(count) + "</td><td width=\"310\">" +
                (count > 0 ? "<img src=\"" + barImage(std::max(width, 2)) + "\">" : wxString()) +
                "</td></tr>";
    }
    html += "</table></body></html>";
    SetPage(html);
}

} // namespace berkas::desktop
