#include "desktop/UiText.h"

#include "model/Schema.h"

#include <wx/intl.h>

#include <map>
#include <regex>

namespace berkas::desktop {

wxString fieldLabel(const std::string& kind, const std::string& field)
{
    // One table, so that msgids are literal strings xgettext can find.
    static const std::map<std::string, const char*> labels = {
        {model::field::kRegNo, wxTRANSLATE("Registration no.")},
        {model::field::kProvisionalNo, wxTRANSLATE("Provisional no.")},
        {model::field::kServiceCode, wxTRANSLATE("Service")},
        {model::field::kApplicantName, wxTRANSLATE("Applicant name")},
        {model::field::kNik, wxTRANSLATE("NIK")},
        {model::field::kNib, wxTRANSLATE("NIB")},
        {model::field::kPhone, wxTRANSLATE("Phone")},
        {model::field::kEmail, wxTRANSLATE("E-mail")},
        {model::field::kAddress, wxTRANSLATE("Address")},
        {model::field::kKecamatan, wxTRANSLATE("Kecamatan")},
        {model::field::kKelurahan, wxTRANSLATE("Kelurahan")},
        {model::field::kChannel, wxTRANSLATE("Channel")},
        {model::field::kStatus, wxTRANSLATE("Status")},
        {model::field::kSubmittedAt, wxTRANSLATE("Submitted")},
        {model::field::kDueDate, wxTRANSLATE("Due date")},
        {model::field::kAssignedTo, wxTRANSLATE("Assigned to")},
        {model::field::kChecklistOverride, wxTRANSLATE("Checklist override")},
        {model::field::kApplicationId, wxTRANSLATE("Application")},
        {model::field::kScheduledFor, wxTRANSLATE("Scheduled for")},
        {model::field::kResult, wxTRANSLATE("Result")},
        {model::field::kFindings, wxTRANSLATE("Findings")},
        {model::field::kLatitude, wxTRANSLATE("Latitude")},
        {model::field::kLongitude, wxTRANSLATE("Longitude")},
        {model::field::kVisitedAt, wxTRANSLATE("Visited")},
        {model::field::kKind, wxTRANSLATE("Type")},
        {model::field::kComplainantName, wxTRANSLATE("Complainant")},
        {model::field::kContact, wxTRANSLATE("Contact")},
        {model::field::kSubject, wxTRANSLATE("Subject")},
        {model::field::kBody, wxTRANSLATE("Message")},
        {model::field::kCategory, wxTRANSLATE("Category")},
        {model::field::kSlaClass, wxTRANSLATE("Deadline class")},
        {model::field::kReceivedAt, wxTRANSLATE("Received")},
        {model::field::kResponse, wxTRANSLATE("Response")},
        {model::field::kRespondedAt, wxTRANSLATE("Responded")},
        {model::field::kLocation, wxTRANSLATE("Location")},
        {model::field::kDate, wxTRANSLATE("Date")},
        {model::field::kSlot, wxTRANSLATE("Time")},
        {model::field::kCode, wxTRANSLATE("Code")},
        {model::field::kName, wxTRANSLATE("Name")},
        {model::field::kAgency, wxTRANSLATE("Agency")},
        {model::field::kSlaDays, wxTRANSLATE("Working days (SLA)")},
        {model::field::kNeedsFieldVerification, wxTRANSLATE("Field verification")},
        {model::field::kRequirements, wxTRANSLATE("Requirements")},
        {model::field::kSuspendedFrom, wxTRANSLATE("Suspended from")},
        {model::field::kSuspendedTo, wxTRANSLATE("Suspended to")},
        {model::field::kSuspensionBasis, wxTRANSLATE("Legal basis")},
        {model::field::kExemptFromSuspension, wxTRANSLATE("Exempt from suspension")},
        {model::field::kSlaStarted, wxTRANSLATE("SLA clock started")},
        {model::field::kInstrument, wxTRANSLATE("Legal instrument")},
        {model::field::kNumber, wxTRANSLATE("Number")},
        {model::field::kRegion, wxTRANSLATE("Region (kab/kota)")},
        {model::field::kDateFrom, wxTRANSLATE("From")},
        {model::field::kDateTo, wxTRANSLATE("To")},
        {model::field::kExtends, wxTRANSLATE("Extends")},
        {model::field::kScope, wxTRANSLATE("Scope")},
        {model::field::kLocations, wxTRANSLATE("Counters closed")},
        {model::field::kSteps, wxTRANSLATE("Steps suspended")},
        {model::field::kExemptServices, wxTRANSLATE("Exempt services")},
        {model::field::kChannels, wxTRANSLATE("Replacement channels")},
        {model::field::kSource, wxTRANSLATE("Source")},
        {model::field::kCreatedAt, wxTRANSLATE("Created")},
        {model::field::kUpdatedAt, wxTRANSLATE("Changed")},
        {model::field::kField, wxTRANSLATE("Field")},
        {model::field::kRecordKind, wxTRANSLATE("Record")},
    };
    if (kind == model::kind::kBooking && field == model::field::kCode)
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
        // suspension steps and calendar days
        {"counter_intake", wxTRANSLATE("Counter intake")},
        {"oss_assistance", wxTRANSLATE("OSS registration assistance")},
        {"national", wxTRANSLATE("National holiday")},
        {"cuti_bersama", wxTRANSLATE("Collective leave (cuti bersama)")},
        {"regional", wxTRANSLATE("Regional holiday")},
        {"working_day", wxTRANSLATE("Working day (revision)")},
        // conflict
        {"open", wxTRANSLATE("Open")},
        {"resolved", wxTRANSLATE("Resolved")},
    };
    if (field == model::field::kExemptFromSuspension || field == model::field::kFulfilled)
        return value == "1" ? _("Yes") : value == "0" ? _("No") : wxString();
    const auto it = values.find(value);
    return it == values.end() ? wxs(value) : wxGetTranslation(it->second);
}

wxString valueLabels(const std::string& field, const std::vector<std::string>& items)
{
    wxString out;
    for (const auto& item : items)
        out += (out.empty() ? wxString() : wxString(", ")) + valueLabel(field, item);
    return out;
}

wxString moveLabel(const std::string& kind, const std::string& status)
{
    if (kind == model::kind::kApplication)
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
    if (kind == model::kind::kTask)
    {
        if (status == "in_progress") return _("Start visit");
        if (status == "done") return _("Finish visit");
        if (status == "assigned") return _("Hand back");
        if (status == "cancelled") return _("Cancel visit");
    }
    if (kind == model::kind::kComplaint)
    {
        if (status == "in_progress") return _("Start handling");
        if (status == "responded") return _("Mark responded");
        if (status == "closed") return _("Close");
    }
    if (kind == model::kind::kBooking)
    {
        if (status == "confirmed") return _("Confirm");
        if (status == "checked_in") return _("Check in");
        if (status == "no_show") return _("No show");
        if (status == "tentative") return _("Reschedule");
        if (status == "cancelled") return _("Cancel booking");
    }
    return wxString::Format(_("Move to %s"), valueLabel(model::field::kStatus, status));
}

wxString escapeHtml(const wxString& s)
{
    wxString out;
    for (const wxUniChar c : s)
    {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '\n') out += "<br>";
        else out += c;
    }
    return out;
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

wxString translateProblem(const model::FieldProblem& problem)
{
    using model::ProblemCode;
    const auto& args = problem.args;
    const auto arg = [&args](std::size_t i) { return i < args.size() ? wxs(args[i]) : wxString(); };
    // The arguments from @p first on, joined by ", ".
    const auto list = [&args](std::size_t first) {
        wxString text;
        for (std::size_t i = first; i < args.size(); ++i)
            text += (i > first ? ", " : "") + wxs(args[i]);
        return text;
    };
    switch (problem.code)
    {
    case ProblemCode::Empty: return _("must not be empty");
    // Letters in a phone number too, as the window has always said it.
    case ProblemCode::NotDigits:
    case ProblemCode::PhoneCharacters: return _("must contain only digits");
    case ProblemCode::DigitCount:
        if (arg(0) == "16")
            return wxString::Format(_("must be 16 digits, got %s"), arg(1));
        if (arg(0) == "13")
            return wxString::Format(_("must be 13 digits, got %s"), arg(1));
        return wxString::Format(_("must be %s digits, got %s"), arg(0), arg(1));
    case ProblemCode::ProvinceUnknown: return wxString::Format(_("province code %s does not exist"), arg(0));
    case ProblemCode::RegencyUnknown: return wxString::Format(_("regency code %s does not exist"), arg(0));
    case ProblemCode::DistrictUnknown:
        return wxString::Format(_("district code %s is not in the reference list; check it if the NIK is recent"),
                                arg(0));
    case ProblemCode::BirthDay:
        return wxString::Format(_("birth day %s is not valid (01 to 31, or 41 to 71 for women)"), arg(0));
    case ProblemCode::BirthMonth: return wxString::Format(_("birth month %s is not valid"), arg(0));
    case ProblemCode::BirthDate: return wxString::Format(_("birth date %s (DDMMYY) is not a real date"), arg(0));
    case ProblemCode::SerialZero: return _("serial number 0000 is not valid");
    case ProblemCode::PhoneCountry: return _("must be an Indonesian number (country code +62)");
    case ProblemCode::PhoneStart: return _("must start with 0, 62 or +62");
    case ProblemCode::PhoneTooShort: return _("is too short to be a phone number");
    case ProblemCode::MobileLength:
        return wxString::Format(_("mobile number must have 10 to 13 digits starting with 08, got %s"), arg(0));
    case ProblemCode::LandlineLength:
        return wxString::Format(
            _("landline number must have 9 to 12 digits with the area code starting with 0, got %s"), arg(0));
    case ProblemCode::PhoneKind: return _("must be a mobile number (08...) or a landline with an area code (021...)");
    case ProblemCode::EmailTooLong: return _("is too long for an e-mail address");
    case ProblemCode::EmailAt: return _("must contain exactly one @");
    case ProblemCode::EmailNoName: return _("must have a name before the @");
    case ProblemCode::EmailNameTooLong: return _("has a name before the @ longer than 64 characters");
    case ProblemCode::EmailCharacter: return _("contains a character not allowed in an e-mail address");
    case ProblemCode::EmailDots: return _("must not start or end with a dot or have two dots in a row before the @");
    case ProblemCode::EmailNoDomainDot: return _("must have a domain with a dot after the @, like kantor.go.id");
    case ProblemCode::EmailBadDomain: return _("has a malformed domain after the @");
    case ProblemCode::CoordinateForm: return wxString::Format(_("must be a decimal number in degrees like %s"), arg(0));
    case ProblemCode::CoordinateRange:
        return wxString::Format(_("must be between %s and %s (inside Indonesia), got %s"), arg(0), arg(1), arg(2));
    // The window shows and takes dates as dd/mm/yyyy.
    case ProblemCode::DateForm: return _("must be a date dd/mm/yyyy");
    case ProblemCode::DateNotReal: return wxString::Format(_("%s is not a real date"), arg(0));
    case ProblemCode::TimestampForm:
        return _("must be a date and time with a zone offset, like 2021-05-07T09:30:00+07:00");
    case ProblemCode::TimestampDate: return _("has a date that does not exist");
    case ProblemCode::TimestampTime: return _("has a time of day that does not exist");
    case ProblemCode::TimestampZone: return _("must end with a zone offset such as +07:00 or Z");
    case ProblemCode::TimestampZoneRange: return _("has a zone offset that does not exist");
    case ProblemCode::SlotForm: return _("must be a time in the form HH:MM");
    case ProblemCode::SlotRange: return _("must be a time from 00:00 to 23:59");
    case ProblemCode::NotAllowed: return wxString::Format(_("must be one of %s, got \"%s\""), list(1), arg(0));
    case ProblemCode::NotWholeNumber: return _("must be a whole number");
    case ProblemCode::NumberRange: return wxString::Format(_("must be from %s to %s, got %s"), arg(0), arg(1), arg(2));
    case ProblemCode::NotYesNo: return _("must be yes or no (1/0, true/false, ya/tidak)");
    case ProblemCode::TooLong: return wxString::Format(_("must be at most %s characters, got %s"), arg(0), arg(1));
    case ProblemCode::NotRecordId: return wxString::Format(_("must be a record id (UUID), got \"%s\""), arg(0));
    case ProblemCode::KecamatanUnknown:
        return wxString::Format(_("unknown kecamatan code \"%s\" (expected PP.RR.DD, e.g. 32.75.09)"), arg(0));
    case ProblemCode::KelurahanUnknown:
        return wxString::Format(_("unknown kelurahan code \"%s\" (expected PP.RR.DD.VVVV)"), arg(0));
    case ProblemCode::KelurahanOutside:
        return wxString::Format(_("kelurahan %s is not in kecamatan %s"), arg(0), arg(1));
    case ProblemCode::FirstStatus:
        if (arg(1).empty())
            return wxString::Format(_("a new %s may start as %s, not an empty status"), arg(0), list(2));
        return wxString::Format(_("a new %s may start as %s, not %s"), arg(0), list(2), arg(1));
    case ProblemCode::UnknownStatus:
        return wxString::Format(_("unknown %s status \"%s\"; statuses: %s"), arg(0), arg(1), list(2));
    case ProblemCode::FinalStatus:
        return wxString::Format(_("cannot move from %s to %s; %s is final"), arg(0), arg(1), arg(0));
    case ProblemCode::MoveNotAllowed:
        return wxString::Format(_("cannot move from %s to %s; allowed: %s"), arg(0), arg(1), list(2));
    case ProblemCode::ReviewConflict:
        return _("this record has a conflict that needs review; resolve it first (see: berkas conflicts)");
    case ProblemCode::NoSuchRecord: return wxString::Format(_("no %s with id %s"), arg(0), arg(1));
    case ProblemCode::NoSuchService: return wxString::Format(_("no service with code \"%s\""), arg(0));
    case ProblemCode::SuspensionOrder: return wxString::Format(_("must not be before suspended_from (%s)"), arg(0));
    case ProblemCode::DateOrder: return wxString::Format(_("must not be before %s (%s), got %s"), arg(0), arg(1), arg(2));
    case ProblemCode::AdminOnly:
        if (arg(0).empty())
            return _("only an administrator changes suspensions and the office calendar, not a user who has not logged in");
        return wxString::Format(_("only an administrator changes suspensions and the office calendar, not a %s"), arg(0));
    case ProblemCode::RegionRequired: return _("is required for a regional day (the kab/kota code, e.g. 51.02)");
    case ProblemCode::CounterSuspended:
        if (arg(3).empty())
            return wxString::Format(_("the counter %s is closed by %s from %s until further notice"), arg(0), arg(1),
                                    arg(2));
        return wxString::Format(_("the counter %s is closed by %s from %s to %s"), arg(0), arg(1), arg(2), arg(3));
    case ProblemCode::ServiceSuspended:
        if (arg(2).empty())
            return wxString::Format(_("service %s is suspended from %s until further notice (%s)"), arg(0), arg(1),
                                    arg(3));
        return wxString::Format(_("service %s is suspended from %s to %s (%s)"), arg(0), arg(1), arg(2), arg(3));
    case ProblemCode::ChecklistIncomplete:
        return wxString::Format(_("cannot move to %s: checklist items not ticked: %s (first: %s); tick them, or "
                                  "a manager overrides with a reason (checklist_override)"),
                                arg(0), arg(1), arg(2));
    case ProblemCode::ManagerOnly:
        if (arg(0).empty())
            return _("only a manager may override the checklist (this laptop has no logged-in role)");
        return wxString::Format(_("only a manager may override the checklist, not a %s"), arg(0));
    case ProblemCode::NotWorkingDay:
        return wxString::Format(_("%s is not a working day of the office (a weekend or holiday)"), arg(0));
    case ProblemCode::InThePast: return wxString::Format(_("must not be in the past (now %s), got %s"), arg(1), arg(0));
    case ProblemCode::ResultRequired:
        return _("is required before the task is done: compliant, non_compliant or needs_revision");
    case ProblemCode::DecidedByServer:
        return wxString::Format(_("%s is decided by the central office against the counter's capacity; a booking is "
                                  "made tentative and rescheduled as tentative"),
                                arg(0));
    case ProblemCode::Required: return _("is required");
    case ProblemCode::SetByBerkas: return _("is set by Berkas and cannot be given");
    case ProblemCode::NotOnCreate: return _("cannot be set when creating a record");
    case ProblemCode::UnknownField:
        return wxString::Format(_("unknown field of %s (see: berkas schema %s)"), arg(0), arg(0));
    case ProblemCode::ServerOnly: return _("is assigned by the central office and cannot be set");
    case ProblemCode::Computed: return _("is computed by Berkas and cannot be set");
    case ProblemCode::CreateOnly: return _("cannot be changed after the record is created");
    case ProblemCode::AppendOnly: return wxString::Format(_("%s records cannot be changed once written"), arg(0));
    case ProblemCode::RecordDeleted: return _("the record is deleted; restore it with deleted=0 first");
    }
    return wxs(problem.message());
}

wxString errorText(const std::exception& error)
{
    if (const auto* refused = dynamic_cast<const model::ValidationError*>(&error))
        return wxs(refused->problem().field) + ": " + translateProblem(refused->problem());
    return wxs(error.what());
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
    if (kind == model::kind::kApplication) return _("Applications");
    if (kind == model::kind::kTask) return _("Field verification");
    if (kind == model::kind::kComplaint) return _("Complaints");
    if (kind == model::kind::kBooking) return _("Bookings");
    if (kind == model::kind::kService) return _("Services");
    if (kind == model::kind::kConflict) return _("Conflicts");
    if (kind == model::kind::kSuspension) return _("Suspensions");
    if (kind == model::kind::kCalendarDay) return _("Calendar");
    return wxs(kind);
}

} // namespace berkas::desktop
