#include "desktop/UiText.h"

#include <wx/intl.h>

#include <map>
#include <regex>

namespace berkas::desktop {

wxString fieldLabel(const std::string& kind, const std::string& field)
{
    // One table, so that msgids are literal strings xgettext can find.
    static const std::map<std::string, const char*> labels = {
        {"reg_no", wxTRANSLATE("Registration no.")},
        {"provisional_no", wxTRANSLATE("Provisional no.")},
        {"service_code", wxTRANSLATE("Service")},
        {"applicant_name", wxTRANSLATE("Applicant name")},
        {"nik", wxTRANSLATE("NIK")},
        {"nib", wxTRANSLATE("NIB")},
        {"phone", wxTRANSLATE("Phone")},
        {"email", wxTRANSLATE("E-mail")},
        {"address", wxTRANSLATE("Address")},
        {"kecamatan", wxTRANSLATE("Kecamatan")},
        {"kelurahan", wxTRANSLATE("Kelurahan")},
        {"channel", wxTRANSLATE("Channel")},
        {"status", wxTRANSLATE("Status")},
        {"submitted_at", wxTRANSLATE("Submitted")},
        {"due_date", wxTRANSLATE("Due date")},
        {"assigned_to", wxTRANSLATE("Assigned to")},
        {"application_id", wxTRANSLATE("Application")},
        {"scheduled_for", wxTRANSLATE("Scheduled for")},
        {"result", wxTRANSLATE("Result")},
        {"findings", wxTRANSLATE("Findings")},
        {"latitude", wxTRANSLATE("Latitude")},
        {"longitude", wxTRANSLATE("Longitude")},
        {"visited_at", wxTRANSLATE("Visited")},
        {"kind", wxTRANSLATE("Type")},
        {"complainant_name", wxTRANSLATE("Complainant")},
        {"contact", wxTRANSLATE("Contact")},
        {"subject", wxTRANSLATE("Subject")},
        {"body", wxTRANSLATE("Message")},
        {"category", wxTRANSLATE("Category")},
        {"sla_class", wxTRANSLATE("Deadline class")},
        {"received_at", wxTRANSLATE("Received")},
        {"response", wxTRANSLATE("Response")},
        {"responded_at", wxTRANSLATE("Responded")},
        {"location", wxTRANSLATE("Location")},
        {"date", wxTRANSLATE("Date")},
        {"slot", wxTRANSLATE("Time")},
        {"code", wxTRANSLATE("Code")},
        {"name", wxTRANSLATE("Name")},
        {"agency", wxTRANSLATE("Agency")},
        {"sla_days", wxTRANSLATE("Working days (SLA)")},
        {"needs_field_verification", wxTRANSLATE("Field verification")},
        {"requirements", wxTRANSLATE("Requirements")},
        {"suspended_from", wxTRANSLATE("Suspended from")},
        {"suspended_to", wxTRANSLATE("Suspended to")},
        {"suspension_basis", wxTRANSLATE("Legal basis")},
        {"exempt_from_suspension", wxTRANSLATE("Exempt from suspension")},
        {"created_at", wxTRANSLATE("Created")},
        {"updated_at", wxTRANSLATE("Changed")},
        {"field", wxTRANSLATE("Field")},
        {"record_kind", wxTRANSLATE("Record")},
    };
    if (kind == "booking" && field == "code")
        return _("Booking code");
    const auto it = labels.find(field);
    return it == labels.end() ? wxs(field) : wxGetTranslation(it->second);
}

wxString valueLabel(const std::string& field, const std::string& value)
{
    static const std::map<std::string, const char*> values = {
        // application status
        {"draft", wxTRANSLATE("Draft")},
        {"submitted", wxTRANSLATE("Submitted")},
        {"document_check", wxTRANSLATE("Document check")},
        {"field_verification", wxTRANSLATE("Field verification")},
        {"recommendation", wxTRANSLATE("Technical recommendation")},
        {"approved", wxTRANSLATE("Approved")},
        {"rejected", wxTRANSLATE("Rejected")},
        {"issued", wxTRANSLATE("Issued")},
        {"withdrawn", wxTRANSLATE("Withdrawn")},
        // task
        {"assigned", wxTRANSLATE("Assigned")},
        {"in_progress", wxTRANSLATE("In progress")},
        {"done", wxTRANSLATE("Done")},
        {"cancelled", wxTRANSLATE("Cancelled")},
        {"compliant", wxTRANSLATE("Compliant")},
        {"non_compliant", wxTRANSLATE("Not compliant")},
        {"needs_revision", wxTRANSLATE("Needs revision")},
        // complaint
        {"received", wxTRANSLATE("Received")},
        {"responded", wxTRANSLATE("Responded")},
        {"closed", wxTRANSLATE("Closed")},
        {"complaint", wxTRANSLATE("Complaint")},
        {"consultation", wxTRANSLATE("Consultation")},
        {"minor", wxTRANSLATE("Minor")},
        {"normative", wxTRANSLATE("Normative")},
        {"non_supervisory", wxTRANSLATE("Non-supervisory")},
        {"investigation", wxTRANSLATE("Investigation")},
        {"referral", wxTRANSLATE("Referral (SP4N-LAPOR!)")},
        // booking
        {"tentative", wxTRANSLATE("Tentative")},
        {"confirmed", wxTRANSLATE("Confirmed")},
        {"overbooked", wxTRANSLATE("Overbooked")},
        {"checked_in", wxTRANSLATE("Checked in")},
        {"no_show", wxTRANSLATE("No show")},
        // channels
        {"portal", wxTRANSLATE("Online portal")},
        {"phone", wxTRANSLATE("Phone")},
        {"email", wxTRANSLATE("E-mail")},
        {"whatsapp", wxTRANSLATE("WhatsApp")},
        {"social_media", wxTRANSLATE("Social media")},
        {"counter", wxTRANSLATE("Counter")},
        {"oss", wxTRANSLATE("OSS")},
        {"call_center", wxTRANSLATE("Call center")},
        {"sp4n_lapor", wxTRANSLATE("SP4N-LAPOR!")},
        {"walk_in", wxTRANSLATE("Walk-in")},
        // service
        {"yes", wxTRANSLATE("Yes")},
        {"no", wxTRANSLATE("No")},
        {"optional", wxTRANSLATE("Optional")},
        // conflict
        {"open", wxTRANSLATE("Open")},
        {"resolved", wxTRANSLATE("Resolved")},
    };
    if (field == "exempt_from_suspension" || field == "fulfilled")
        return value == "1" ? _("Yes") : value == "0" ? _("No") : wxString();
    const auto it = values.find(value);
    return it == values.end() ? wxs(value) : wxGetTranslation(it->second);
}

wxString moveLabel(const std::string& kind, const std::string& status)
{
    if (kind == "application")
    {
        if (status == "submitted") return _("Submit");
        if (status == "document_check") return _("Start document check");
        if (status == "field_verification") return _("Send to field verification");
        if (status == "recommendation") return _("Ask for technical recommendation");
        if (status == "approved") return _("Approve");
        if (status == "rejected") return _("Reject");
        if (status == "issued") return _("Issue permit");
        if (status == "withdrawn") return _("Withdraw");
    }
    if (kind == "task")
    {
        if (status == "in_progress") return _("Start visit");
        if (status == "done") return _("Finish visit");
        if (status == "assigned") return _("Hand back");
    }
    if (kind == "complaint")
    {
        if (status == "in_progress") return _("Start handling");
        if (status == "responded") return _("Mark responded");
        if (status == "closed") return _("Close");
    }
    if (kind == "booking")
    {
        if (status == "confirmed") return _("Confirm");
        if (status == "checked_in") return _("Check in");
        if (status == "no_show") return _("No show");
        if (status == "tentative") return _("Reschedule");
    }
    if (status == "cancelled")
        return _("Cancel booking");
    return wxString::Format(_("Move to %s"), valueLabel("status", status));
}

wxString displayDate(const std::string& s)
{
    static const std::regex date(R"(^(\d{4})-(\d{2})-(\d{2})$)");
    static const std::regex time(R"(^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}).*$)");
    std::smatch m;
    if (std::regex_match(s, m, date))
        return wxs(m[3].str() + "/" + m[2].str() + "/" + m[1].str());
    if (std::regex_match(s, m, time))
        return wxs(m[3].str() + "/" + m[2].str() + "/" + m[1].str() + " " + m[4].str() + ":" + m[5].str());
    return wxs(s);
}

std::string parseDisplayDate(const std::string& text)
{
    static const std::regex dmy(R"(^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, dmy))
        return text;
    const auto pad = [](const std::string& v) { return v.size() == 1 ? "0" + v : v; };
    return m[3].str() + "-" + pad(m[2].str()) + "-" + pad(m[1].str());
}

wxString translateProblem(const std::string& message)
{
    struct Rule
    {
        std::regex pattern;
        const char* text; // printf format taking the captured groups as strings
    };
    static const std::vector<Rule> rules = {
        {std::regex(R"(^is required$)"), wxTRANSLATE("is required")},
        {std::regex(R"(^must be 16 digits, got (\d+)$)"), wxTRANSLATE("must be 16 digits, got %s")},
        {std::regex(R"(^must be 13 digits, got (\d+)$)"), wxTRANSLATE("must be 13 digits, got %s")},
        {std::regex(R"(^must contain only digits.*$)"), wxTRANSLATE("must contain only digits")},
        {std::regex(R"(^must be a date in the form YYYY-MM-DD$)"), wxTRANSLATE("must be a date dd/mm/yyyy")},
        {std::regex(R"(^must contain exactly one @$)"), wxTRANSLATE("must contain exactly one @")},
        {std::regex(R"(^must have a domain with a dot after the @.*$)"),
         wxTRANSLATE("must have a domain with a dot after the @, like kantor.go.id")},
        {std::regex(R"(^must start with 0, 62 or \+62$)"), wxTRANSLATE("must start with 0, 62 or +62")},
        {std::regex(R"(^mobile number must have 10 to 13 digits starting with 08, got (\d+).*$)"),
         wxTRANSLATE("mobile number must have 10 to 13 digits starting with 08, got %s")},
        {std::regex(R"(^province code (\d+) does not exist$)"), wxTRANSLATE("province code %s does not exist")},
        {std::regex(R"(^regency code ([\d.]+) does not exist$)"), wxTRANSLATE("regency code %s does not exist")},
        {std::regex(R"(^birth day (\d+) is not valid.*$)"),
         wxTRANSLATE("birth day %s is not valid (01 to 31, or 41 to 71 for women)")},
        {std::regex(R"(^birth month (\d+) is not valid$)"), wxTRANSLATE("birth month %s is not valid")},
        {std::regex(R"(^must be a time from 00:00 to 23:59$)"), wxTRANSLATE("must be a time from 00:00 to 23:59")},
    };
    for (const auto& rule : rules)
    {
        std::smatch m;
        if (std::regex_match(message, m, rule.pattern))
        {
            wxString out = wxGetTranslation(rule.text);
            if (m.size() > 1)
                out.Replace("%s", wxs(m[1].str()));
            return out;
        }
    }
    return wxs(message);
}

wxString syncStateLabel(model::SyncState state)
{
    switch (state)
    {
    case model::SyncState::Waiting: return _("Waiting to sync");
    case model::SyncState::Conflict: return _("In conflict");
    case model::SyncState::Confirmed: return _("Confirmed by central office");
    case model::SyncState::Local: return _("Not yet numbered");
    }
    return {};
}

wxString syncStateShortLabel(model::SyncState state)
{
    switch (state)
    {
    case model::SyncState::Waiting: return _("Not yet sent");
    case model::SyncState::Conflict: return _("In conflict");
    case model::SyncState::Confirmed: return _("Confirmed");
    case model::SyncState::Local: return _("Not yet numbered");
    }
    return {};
}

wxString formatNumber(std::int64_t n)
{
    const wxString sep = _(",");
    const wxString digits = wxString::Format("%lld", static_cast<long long>(n < 0 ? -n : n));
    wxString out;
    for (std::size_t i = 0; i < digits.length(); ++i)
    {
        if (i && (digits.length() - i) % 3 == 0)
            out += sep;
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

wxString kindTitle(const std::string& kind)
{
    if (kind == "application") return _("Applications");
    if (kind == "task") return _("Field verification");
    if (kind == "complaint") return _("Complaints");
    if (kind == "booking") return _("Bookings");
    if (kind == "service") return _("Services");
    if (kind == "conflict") return _("Conflicts");
    return wxs(kind);
}

} // namespace berkas::desktop
