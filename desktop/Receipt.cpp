#include "desktop/Receipt.h"

#include "desktop/UiText.h"
#include "model/RecordNumber.h"
#include "model/Regions.h"
#include "model/ServiceCatalog.h"

#include <wx/html/htmprint.h>
#include <wx/intl.h>

namespace berkas::desktop {

namespace {

wxString esc(const std::string& s)
{
    wxString out;
    for (const wxUniChar c : wxs(s))
        out += c == '<' ? wxString("&lt;") : c == '>' ? wxString("&gt;") : c == '&' ? wxString("&amp;") : wxString(c);
    return out;
}

wxString row(const wxString& label, const wxString& value)
{
    return "<tr><td width=\"35%\">" + label + "</td><td><b>" + value + "</b></td></tr>";
}

} // namespace

wxString receiptHtml(model::CaseStore& store, const model::Record& app)
{
    const std::string office = store.setting("office_name", "DPMPTSP Kota Bekasi");
    const model::RecordNumber known = model::recordNumber(app);
    wxString number = esc(known.number);
    if (known.provisional)
        number += " <i>" + _("(provisional; the registration number follows from the central office)") + "</i>";

    std::string serviceName = app.value("service_code");
    if (const std::string name = model::serviceName(store, serviceName); !name.empty())
        serviceName = name + " (" + serviceName + ")";
    const auto& regions = model::Regions::standard();

    wxString html = "<html><body>";
    html += "<center><font size=\"+1\"><b>" + esc(office) + "</b></font><br>" + _("Investment and One-Stop Integrated Services Office") +
            "<hr><font size=\"+2\"><b>" + _("RECEIPT") + "</b></font><br>" + _("of a permit application") + "</center><br>";
    html += "<table width=\"100%\" cellpadding=\"3\">";
    html += row(_("Registration no."), number);
    html += row(_("Date"), displayDate(app.value("submitted_at").empty() ? app.value("created_at") : app.value("submitted_at")));
    html += row(_("Applicant name"), esc(app.value("applicant_name")));
    html += row(_("NIK"), esc(app.value("nik")));
    if (!app.value("nib").empty())
        html += row(_("NIB"), esc(app.value("nib")));
    html += row(_("Address"), esc(app.value("address")));
    if (!app.value("kecamatan").empty())
        html += row(_("Kecamatan"), esc(regions.name(app.value("kecamatan"))));
    if (!app.value("kelurahan").empty())
        html += row(_("Kelurahan"), esc(regions.name(app.value("kelurahan"))));
    html += row(_("Service"), esc(serviceName));
    html += row(_("Channel"), valueLabel("channel", app.value("channel")));
    html += row(_("Status"), valueLabel("status", app.value("status")));
    html += row(_("Due date"), app.value("due_date").empty() ? _("counted from the day the file is complete and correct")
                                                            : displayDate(app.value("due_date")));
    html += "</table><br><b>" + _("Requirements") + "</b><table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">";
    html += "<tr><th>" + _("No.") + "</th><th>" + _("Requirement") + "</th><th>" + _("Handed in") + "</th></tr>";
    model::ListQuery q;
    q.kind = "requirement";
    q.where = {{"application_id", app.id}};
    auto reqs = store.list(q);
    std::sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    int n = 0;
    for (const auto& r : reqs)
        html += wxString::Format("<tr><td align=\"center\">%d</td><td>", ++n) + esc(r.value("requirement")) +
                "</td><td align=\"center\">" + (r.value("fulfilled") == "1" ? _("Yes") : _("Not yet")) + "</td></tr>";
    html += "</table><br><p>" + _("Keep this receipt. Quote the number above when you ask about your application.") +
            "</p><br><table width=\"100%\"><tr><td></td><td align=\"center\" width=\"40%\">" + _("Officer") +
            "<br><br><br><br>(" + esc(store.user()) + ")</td></tr></table></body></html>";
    return html;
}

void showReceiptPreview(wxWindow* parent, model::CaseStore& store, const model::Record& application)
{
    // Kept alive for the preview frame, which outlives this call.
    static wxHtmlEasyPrinting* printing = nullptr;
    if (!printing)
        printing = new wxHtmlEasyPrinting(_("Receipt"), nullptr);
    printing->SetParentWindow(parent);
    printing->SetFooter("<center><font size=\"-1\">" + _("Printed by Berkas") + wxs(" · @PAGENUM@/@PAGESCNT@</font></center>"));
    printing->PreviewText(receiptHtml(store, application));
}

} // namespace berkas::desktop
