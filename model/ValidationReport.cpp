#include "model/ValidationReport.h"

#include <algorithm>
#include <iterator>

namespace berkas::model {

std::string Problem::text() const
{
    return problemText(code, args);
}

std::string problemText(ProblemCode code, const std::vector<std::string>& args)
{
    const auto arg = [&args](std::size_t i) -> std::string { return i < args.size() ? args[i] : std::string(); };
    // The arguments from @p first on, joined by ", ".
    const auto list = [&args](std::size_t first) {
        std::string text;
        for (std::size_t i = first; i < args.size(); ++i)
            text += (i > first ? ", " : "") + args[i];
        return text;
    };
    switch (code)
    {
    case ProblemCode::Empty: return "must not be empty";
    case ProblemCode::NotDigits: return "must contain only digits";
    case ProblemCode::DigitCount: return "must be " + arg(0) + " digits, got " + arg(1);
    case ProblemCode::ProvinceUnknown: return "province code " + arg(0) + " does not exist";
    case ProblemCode::RegencyUnknown: return "regency code " + arg(0) + " does not exist";
    case ProblemCode::DistrictUnknown:
        return "district code " + arg(0) + " is not in the reference list; check it if the NIK is recent";
    case ProblemCode::BirthDay: return "birth day " + arg(0) + " is not valid (01 to 31, or 41 to 71 for women)";
    case ProblemCode::BirthMonth: return "birth month " + arg(0) + " is not valid";
    case ProblemCode::BirthDate: return "birth date " + arg(0) + " (DDMMYY) is not a real date";
    case ProblemCode::SerialZero: return "serial number 0000 is not valid";
    case ProblemCode::PhoneCharacters:
        return "must contain only digits, spaces, dashes, dots, parentheses and a leading +";
    case ProblemCode::PhoneCountry: return "must be an Indonesian number (country code +62)";
    case ProblemCode::PhoneStart: return "must start with 0, 62 or +62";
    case ProblemCode::PhoneTooShort: return "is too short to be a phone number";
    case ProblemCode::MobileLength: return "mobile number must have 10 to 13 digits starting with 08, got " + arg(0);
    case ProblemCode::LandlineLength:
        return "landline number must have 9 to 12 digits with the area code starting with 0, got " + arg(0);
    case ProblemCode::PhoneKind: return "must be a mobile number (08...) or a landline with an area code (021...)";
    case ProblemCode::EmailTooLong: return "is too long for an e-mail address";
    case ProblemCode::EmailAt: return "must contain exactly one @";
    case ProblemCode::EmailNoName: return "must have a name before the @";
    case ProblemCode::EmailNameTooLong: return "has a name before the @ longer than 64 characters";
    case ProblemCode::EmailCharacter: return "contains a character not allowed in an e-mail address";
    case ProblemCode::EmailDots: return "must not start or end with a dot or have two dots in a row before the @";
    case ProblemCode::EmailNoDomainDot: return "must have a domain with a dot after the @, like kantor.go.id";
    case ProblemCode::EmailBadDomain: return "has a malformed domain after the @";
    case ProblemCode::CoordinateForm: return "must be a decimal number in degrees like " + arg(0);
    case ProblemCode::CoordinateRange:
        return "must be between " + arg(0) + " and " + arg(1) + " (inside Indonesia), got " + arg(2);
    case ProblemCode::DateForm: return "must be a date in the form YYYY-MM-DD";
    case ProblemCode::DateNotReal: return arg(0) + " is not a real date";
    case ProblemCode::TimestampForm:
        return "must be a date and time with a zone offset, like 2021-05-07T09:30:00+07:00";
    case ProblemCode::TimestampDate: return "has a date that does not exist";
    case ProblemCode::TimestampTime: return "has a time of day that does not exist";
    case ProblemCode::TimestampZone: return "must end with a zone offset such as +07:00 or Z";
    case ProblemCode::TimestampZoneRange: return "has a zone offset that does not exist";
    case ProblemCode::SlotForm: return "must be a time in the form HH:MM";
    case ProblemCode::SlotRange: return "must be a time from 00:00 to 23:59";
    case ProblemCode::NotAllowed: return "must be one of " + list(1) + ", got \"" + arg(0) + "\"";
    case ProblemCode::NotWholeNumber: return "must be a whole number";
    case ProblemCode::NumberRange: return "must be from " + arg(0) + " to " + arg(1) + ", got " + arg(2);
    case ProblemCode::NotYesNo: return "must be yes or no (1/0, true/false, ya/tidak)";
    case ProblemCode::TooLong: return "must be at most " + arg(0) + " characters, got " + arg(1);
    case ProblemCode::NotRecordId: return "must be a record id (UUID), got \"" + arg(0) + "\"";
    case ProblemCode::KecamatanUnknown:
        return "unknown kecamatan code \"" + arg(0) + "\" (expected PP.RR.DD, e.g. 32.75.09)";
    case ProblemCode::KelurahanUnknown: return "unknown kelurahan code \"" + arg(0) + "\" (expected PP.RR.DD.VVVV)";
    case ProblemCode::KelurahanOutside: return "kelurahan " + arg(0) + " is not in kecamatan " + arg(1);
    case ProblemCode::FirstStatus:
        return "a new " + arg(0) + " may start as " + list(2) + ", not " +
               (arg(1).empty() ? std::string("an empty status") : arg(1));
    case ProblemCode::UnknownStatus: return "unknown " + arg(0) + " status \"" + arg(1) + "\"; statuses: " + list(2);
    case ProblemCode::FinalStatus: return "cannot move from " + arg(0) + " to " + arg(1) + "; " + arg(0) + " is final";
    case ProblemCode::MoveNotAllowed:
        return "cannot move from " + arg(0) + " to " + arg(1) + "; allowed: " + list(2);
    case ProblemCode::ReviewConflict:
        return "this record has a conflict that needs review; resolve it first (see: berkas conflicts)";
    case ProblemCode::NoSuchRecord: return "no " + arg(0) + " with id " + arg(1);
    case ProblemCode::NoSuchService: return "no service with code \"" + arg(0) + "\"";
    case ProblemCode::SuspensionOrder: return "must not be before suspended_from (" + arg(0) + ")";
    case ProblemCode::DateOrder: return "must not be before " + arg(0) + " (" + arg(1) + "), got " + arg(2);
    case ProblemCode::AdminOnly:
        return "only an administrator changes suspensions and the office calendar, not " +
               (arg(0).empty() ? std::string("a user who has not logged in") : "a " + arg(0));
    case ProblemCode::RegionRequired: return "is required for a regional day (the kab/kota code, e.g. 51.02)";
    case ProblemCode::CounterSuspended:
        return "the counter " + arg(0) + " is closed by " + arg(1) + " from " + arg(2) +
               (arg(3).empty() ? std::string(" until further notice") : " to " + arg(3));
    case ProblemCode::ServiceSuspended:
        return "service " + arg(0) + " is suspended from " + arg(1) +
               (arg(2).empty() ? std::string(" until further notice") : " to " + arg(2)) + " (" + arg(3) + ")";
    case ProblemCode::ChecklistIncomplete:
        return "cannot move to " + arg(0) + ": checklist items not ticked: " + arg(1) + " (first: " + arg(2) +
               "); tick them, or a manager overrides with a reason (checklist_override)";
    case ProblemCode::ManagerOnly:
        return "only a manager may override the checklist" +
               (arg(0).empty() ? std::string(" (this laptop has no logged-in role)") : ", not a " + arg(0));
    case ProblemCode::NotWorkingDay:
        return arg(0) + " is not a working day of the office (a weekend or holiday)";
    case ProblemCode::InThePast: return "must not be in the past (now " + arg(1) + "), got " + arg(0);
    case ProblemCode::DecidedByServer:
        return arg(0) + " is decided by the central office against the counter's capacity; a booking is made "
                        "tentative and rescheduled as tentative";
    case ProblemCode::ResultRequired:
        return "is required before the task is done: compliant, non_compliant or needs_revision";
    case ProblemCode::Required: return "is required";
    case ProblemCode::SetByBerkas: return "is set by Berkas and cannot be given";
    case ProblemCode::NotOnCreate: return "cannot be set when creating a record";
    case ProblemCode::UnknownField: return "unknown field of " + arg(0) + " (see: berkas schema " + arg(0) + ")";
    case ProblemCode::ServerOnly: return "is assigned by the central office and cannot be set";
    case ProblemCode::Computed: return "is computed by Berkas and cannot be set";
    case ProblemCode::CreateOnly: return "cannot be changed after the record is created";
    case ProblemCode::AppendOnly: return arg(0) + " records cannot be changed once written";
    case ProblemCode::RecordDeleted: return "the record is deleted; restore it with deleted=0 first";
    }
    return {};
}

FieldProblem::FieldProblem(std::string field, Problem problem, Severity severity)
    : field(std::move(field)), code(problem.code), args(std::move(problem.args)), severity(severity)
{
}

ValidationError::ValidationError(FieldProblem problem)
    : Error(ErrorCode::InvalidData, problem.text()), m_problem(std::move(problem))
{
}

std::string problemsToText(const std::vector<FieldProblem>& problems)
{
    std::string text;
    for (const auto& problem : problems) {
        if (!text.empty())
            text += '\n';
        text += problem.text();
        if (problem.severity == Severity::Warning)
            text += " (warning)";
    }
    return text;
}

void ValidationReport::add(std::string field, Problem problem, Severity severity)
{
    m_problems.emplace_back(std::move(field), std::move(problem), severity);
}

void ValidationReport::add(const std::string& field, const FieldCheck& check)
{
    if (!check.ok)
        add(field, check.problem, Severity::Error);
    for (const auto& warning : check.warnings)
        add(field, warning, Severity::Warning);
}

bool ValidationReport::ok() const
{
    return std::none_of(m_problems.begin(), m_problems.end(),
                        [](const FieldProblem& p) { return p.severity == Severity::Error; });
}

std::vector<FieldProblem> ValidationReport::errors() const
{
    std::vector<FieldProblem> result;
    std::copy_if(m_problems.begin(), m_problems.end(), std::back_inserter(result),
                 [](const FieldProblem& p) { return p.severity == Severity::Error; });
    return result;
}

std::vector<FieldProblem> ValidationReport::warnings() const
{
    std::vector<FieldProblem> result;
    std::copy_if(m_problems.begin(), m_problems.end(), std::back_inserter(result),
                 [](const FieldProblem& p) { return p.severity == Severity::Warning; });
    return result;
}

std::string ValidationReport::firstError() const
{
    for (const auto& problem : m_problems) {
        if (problem.severity == Severity::Error)
            return problem.text();
    }
    return {};
}

void ValidationReport::throwFirstError() const
{
    for (const auto& problem : m_problems)
        if (problem.severity == Severity::Error)
            throw ValidationError(problem);
}

} // namespace berkas::model
