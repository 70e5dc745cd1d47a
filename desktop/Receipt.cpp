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

    std::string serviceName = app.value(model::field::kServiceCode);
    if (const std::string name = model::serviceName(store, serviceName); !name.empty())
        serviceName = name + " (" + serviceName + ")";
    const auto& regions = model::Regions::standard();

    wxString html = "<html><body>";
    html += "<center><font size=\"+1\"><b>" + esc(office) + "</b></font><br>" + _("Investment and One-Stop Integrated Services Office") +
            "<hr><font size=\"+2\"><b>" + _("RECEIPT") + "</b></font><br>" + _("of a permit application") + "</center><br>";
    html += "<table width=\"100%\" cellpadding=\"3\">";
    html += row(_("Registration no."), number);
    html += row(_("Date"), displayDate(app.value(model::field::kSubmittedAt).empty()
                                           ? app.value(model::field::kCreatedAt)
                                           : app.value(model::field::kSubmittedAt)));
    html += row(_("Applicant name"), esc(app.value(model::field::kApplicantName)));
    html += row(_("NIK"), esc(app.value(model::field::kNik)));
    if (!app.value(model::field::kNib).empty())
        html += row(_("NIB"), esc(app.value(model::field::kNib)));
    html += row(_("Address"), esc(app.value(model::field::kAddress)));
    if (!app.value(model::field::kKecamatan).empty())
        html += row(_("Kecamatan"), esc(regions.name(app.value(model::field::kKecamatan))));
    if (!app.value(model::field::kKelurahan).empty())
        html += row(_("Kelurahan"), esc(regions.name(app.value(model::field::kKelurahan))));
    html += row(_("Service"), esc(serviceName));
    html += row(_("Channel"), valueLabel(model::field::kChannel, app.value(model::field::kChannel)));
    html += row(_("Status"), valueLabel(model::field::kStatus, app.value(model::field::kStatus)));
    html += row(_("Due date"), app.value(model::field::kDueDate).empty()
                                   ? _("counted from the day the file is complete and correct")
                                   : displayDate(app.value(model::field::kDueDate)));
    html += "</table><br><b>" + _("Requirements") + "</b><table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"3\">";
    html += "<tr><th>" + _("No.") + "</th><th>" + _("Requirement") + "</th><th>" + _("Handed in") + "</th></tr>";
    model::ListQuery q;
    q.kind = model::kind::kRequirement;
    q.where = {{model::field::kApplicationId, app.id}};
    auto reqs = store.list(q);
    std::sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    int n = 0;
    for (const auto& r : reqs)
        html += wxString::Format("<tr><td align=\"center\">%d</td><td>", ++n) +
                esc(r.value(model::field::kRequirement)) + "</td><td align=\"center\">" +
                (r.value(model::field::kFulfilled) == "1" ? _("Yes") : _("Not yet")) + "</td></tr>";
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
