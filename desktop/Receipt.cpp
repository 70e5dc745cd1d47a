#include "desktop/Receipt.h"

#include "desktop/QrCode.h"
#include "desktop/UiText.h"
#include "model/Error.h"
#include "model/RecordNumber.h"
#include "model/Regions.h"
#include "model/ServiceCatalog.h"
#include "sync/StatusLink.h"

#include <wx/filesys.h>
#include <wx/fs_mem.h>
#include <wx/html/htmprint.h>
#include <wx/image.h>
#include <wx/intl.h>
#include <wx/log.h>
#include <wx/mstream.h>

#include <functional>
#include <set>

namespace berkas::desktop {

namespace {

wxString esc(const std::string& s)
{
    return escapeHtml(wxs(s));
}

wxString row(const wxString& label, const wxString& value)
{
    return "<tr><td width=\"35%\">" + label + "</td><td><b>" + value + "</b></td></tr>";
}

/// The QR code of @p url as a PNG in wxHtml's memory file system; its
/// "memory:" address. Made at the size it is shown (wxHtml misplaces an
/// image it has to stretch): 3 pixels a module, about 3 cm on paper.
wxString qrImage(const std::string& url)
{
    if (!wxFileSystem::HasHandlerForPath("memory:berkas-status-qr.png"))
        wxFileSystem::AddHandler(new wxMemoryFSHandler);
    if (!wxImage::FindHandler(wxBITMAP_TYPE_PNM))
        wxImage::AddHandler(new wxPNMHandler);
    if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG))
        wxImage::AddHandler(new wxPNGHandler);
    static std::set<std::string> made;
    const wxString name = wxString::Format("berkas-status-qr-%zx.png", std::hash<std::string>{}(url));
    if (made.insert(utf8(name)).second)
    {
        const std::string pgm = QrCode::encode(url).toPgm(3);
        wxMemoryInputStream in(pgm.data(), pgm.size());
        wxImage image;
        if (!image.LoadFile(in, wxBITMAP_TYPE_PNM))
            throw Error(ErrorCode::Internal, "qr: the image of the QR code could not be made");
        wxMemoryFSHandler::AddFile(name, image, wxBITMAP_TYPE_PNG);
    }
    return "memory:" + name;
}

/// The status page's QR code for @p number with a line on how to use it;
/// empty when this laptop has no server to point to.
wxString statusQrBlock(model::CaseStore& store, const std::string& number, const wxString& caption)
{
    const std::string url = printedStatusUrl(store, number);
    if (url.empty())
        return "";
    wxString image;
    try
    {
        image = qrImage(url);
    }
    catch (const Error& e)
    {
        wxLogWarning("%s", wxs(e.what())); // the printout goes out without its QR code
        return "";
    }
    return "<table cellpadding=\"3\"><tr><td valign=\"middle\"><img src=\"" + image +
           "\"></td><td valign=\"middle\">" + caption + "<br><font size=\"-1\">" + esc(url) +
           "</font></td></tr></table>";
}

} // namespace

std::string printedStatusUrl(model::CaseStore& store, const std::string& number)
{
    return sync::statusPageUrl(store.setting("server_url"), number);
}

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
            "</p>";
    html += statusQrBlock(store, known.number,
                          _("Scan this QR code to see the status of the application; the page asks for the last 4 "
                            "digits of the applicant's NIK."));
    html += "<br><table width=\"100%\"><tr><td></td><td align=\"center\" width=\"40%\">" + _("Officer") +
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

wxString bookingConfirmationHtml(model::CaseStore& store, const model::Record& booking)
{
    const std::string office = store.setting("office_name", "DPMPTSP Kota Bekasi");
    const std::string code = booking.value(model::field::kCode);
    std::string serviceName = booking.value(model::field::kServiceCode);
    if (const std::string name = model::serviceName(store, serviceName); !name.empty())
        serviceName = name + " (" + serviceName + ")";
    const std::string status = booking.value(model::field::kStatus);

    wxString html = "<html><body>";
    html += "<center><font size=\"+1\"><b>" + esc(office) + "</b></font><br>" +
            _("Investment and One-Stop Integrated Services Office") + "<hr><font size=\"+2\"><b>" +
            _("BOOKING CONFIRMATION") + "</b></font><br>" + _("of a counter visit") + "</center><br>";
    html += "<table width=\"100%\" cellpadding=\"3\">";
    html += row(_("Booking code"), "<font size=\"+2\">" + esc(code) + "</font>");
    html += row(_("Applicant name"), esc(booking.value(model::field::kApplicantName)));
    html += row(_("Service"), esc(serviceName));
    html += row(_("Location"), esc(booking.value(model::field::kLocation)));
    html += row(_("Date"), displayDate(booking.value(model::field::kDate)));
    html += row(_("Time"), esc(booking.value(model::field::kSlot)));
    html += row(_("Status"), valueLabel(model::field::kStatus, status));
    html += "</table><br><p>";
    if (status == "confirmed")
        html += _("Come to the counter at the time above with your original KTP and this booking code.");
    else if (status == "tentative" || status.empty())
        html += _("This booking is tentative until the central office confirms it. Check its status with the QR "
                  "code below before you come.");
    else
        html += _("Check the status of this booking with the QR code below, or ask the office.");
    html += "</p>";
    html += statusQrBlock(store, code,
                          _("Scan this QR code to see the status of the booking; the page asks for the last 4 "
                            "digits of the applicant's NIK."));
    html += "<br><table width=\"100%\"><tr><td></td><td align=\"center\" width=\"40%\">" + _("Officer") +
            "<br><br><br><br>(" + esc(store.user()) + ")</td></tr></table></body></html>";
    return html;
}

void showBookingConfirmationPreview(wxWindow* parent, model::CaseStore& store, const model::Record& booking)
{
    // Kept alive for the preview frame, which outlives this call.
    static wxHtmlEasyPrinting* printing = nullptr;
    if (!printing)
        printing = new wxHtmlEasyPrinting(_("Booking confirmation"), nullptr);
    printing->SetParentWindow(parent);
    printing->SetFooter("<center><font size=\"-1\">" + _("Printed by Berkas") + wxs(" · @PAGENUM@/@PAGESCNT@</font></center>"));
    printing->PreviewText(bookingConfirmationHtml(store, booking));
}

} // namespace berkas::desktop
