#include "desktop/DashboardPanel.h"

#include "desktop/UiText.h"
#include "model/Dashboard.h"

namespace berkas::desktop {

namespace {

wxString number(std::int64_t n)
{
    // 1.234.567 in Indonesian, 1,234,567 in English.
    const wxString sep = _(",");
    wxString digits = wxString::Format("%lld", static_cast<long long>(n < 0 ? -n : n));
    wxString out;
    for (std::size_t i = 0; i < digits.length(); ++i)
    {
        if (i && (digits.length() - i) % 3 == 0)
            out += sep;
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

wxString tile(const wxString& figure, const wxString& label, const wxString& link, bool alert)
{
    return "<td width=\"25%\" bgcolor=\"" + wxString(alert ? "#fdecea" : "#eef3f8") + "\" valign=\"top\"><a href=\"" +
           link + "\"><font size=\"+3\" color=\"" + (alert ? "#b22222" : "#1f4e79") + "\"><b>" + figure +
           "</b></font></a><br>" + label + "</td>";
}

} // namespace

DashboardPanel::DashboardPanel(wxWindow* parent, model::CaseStore& store)
    : wxHtmlWindow(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxHW_SCROLLBAR_AUTO), m_store(store)
{
    Bind(wxEVT_HTML_LINK_CLICKED, [this](wxHtmlLinkEvent& e) {
        if (onLink)
            onLink(utf8(e.GetLinkInfo().GetHref()));
    });
    reload();
}

void DashboardPanel::reload()
{
    const model::DashboardFigures f = model::loadDashboard(m_store.database(), m_store.today(), m_store.user());
    wxString html = "<html><body><font size=\"+2\"><b>" + _("Good day") + ", " + wxs(m_store.user()) +
                    "</b></font><br><font color=\"#555555\">" + _("Today is") + " " + displayDate(m_store.today().toString()) +
                    "</font><br><br>";
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
    html += "<table cellspacing=\"0\" cellpadding=\"4\" border=\"0\" width=\"60%\">";
    std::int64_t total = 0;
    for (const auto& [status, count] : f.applicationsByStatus)
        total += count;
    for (const auto& [status, count] : f.applicationsByStatus)
    {
        const int width = total ? static_cast<int>(300 * count / total) : 0;
        html += "<tr><td width=\"40%\">" + valueLabel("status", status) + "</td><td align=\"right\" width=\"15%\">" +
                number(count) + "</td><td><table cellspacing=\"0\" cellpadding=\"0\"><tr><td bgcolor=\"#4a7ab0\" width=\"" +
                wxString::Format("%d", std::max(width, 1)) + "\" height=\"10\"></td></tr></table></td></tr>";
    }
    html += "</table></body></html>";
    SetPage(html);
}

} // namespace berkas::desktop
