#pragma once

#include "model/Error.h"

#include <string>
#include <vector>

namespace berkas::model {

/// An error stops a write; a warning is shown and the write goes ahead.
enum class Severity
{
    Error,
    Warning
};

/// What rule a value or a write breaks. Each code's English sentence is made
/// by problemText() alone, from the code and the arguments listed here; the
/// window translates by code, the command line and the server print the
/// English sentence. A list argument is given item by item at the end.
enum class ProblemCode
{
    // --- the form of one value (checkFieldValue and the checks it calls) ---
    Empty,              ///< "must not be empty"
    NotDigits,          ///< "must contain only digits"
    DigitCount,         ///< {length, got}: "must be 16 digits, got 15"
    ProvinceUnknown,    ///< {code}: "province code 99 does not exist"
    RegencyUnknown,     ///< {code}: "regency code 32.99 does not exist"
    DistrictUnknown,    ///< {code}: a warning, the district list may be older than the NIK
    BirthDay,           ///< {DD}: "birth day 32 is not valid (01 to 31, or 41 to 71 for women)"
    BirthMonth,         ///< {MM}: "birth month 13 is not valid"
    BirthDate,          ///< {DDMMYY}: "birth date 310490 (DDMMYY) is not a real date"
    SerialZero,         ///< "serial number 0000 is not valid"
    PhoneCharacters,    ///< a character other than digits, spaces, dashes, dots, parentheses, a leading +
    PhoneCountry,       ///< "must be an Indonesian number (country code +62)"
    PhoneStart,         ///< "must start with 0, 62 or +62"
    PhoneTooShort,      ///< "is too short to be a phone number"
    MobileLength,       ///< {digits}: "mobile number must have 10 to 13 digits starting with 08, got 9"
    LandlineLength,     ///< {digits}: the same for a landline with its area code
    PhoneKind,          ///< neither a mobile (08...) nor a landline (021...)
    EmailTooLong,       ///< over 254 characters
    EmailAt,            ///< "must contain exactly one @"
    EmailNoName,        ///< nothing before the @
    EmailNameTooLong,   ///< more than 64 characters before the @
    EmailCharacter,     ///< a character not allowed in an address
    EmailDots,          ///< a dot first, last or twice in a row before the @
    EmailNoDomainDot,   ///< "must have a domain with a dot after the @, like kantor.go.id"
    EmailBadDomain,     ///< "has a malformed domain after the @"
    CoordinateForm,     ///< {example}: "must be a decimal number in degrees like -6.2383"
    CoordinateRange,    ///< {min, max, got}: "must be between -11.5 and 6.5 (inside Indonesia), got -33.8"
    DateForm,           ///< "must be a date in the form YYYY-MM-DD"
    DateNotReal,        ///< {date}: "2021-02-29 is not a real date"
    TimestampForm,      ///< not a date and time with a zone offset
    TimestampDate,      ///< "has a date that does not exist"
    TimestampTime,      ///< "has a time of day that does not exist"
    TimestampZone,      ///< "must end with a zone offset such as +07:00 or Z"
    TimestampZoneRange, ///< "has a zone offset that does not exist"
    SlotForm,           ///< "must be a time in the form HH:MM"
    SlotRange,          ///< "must be a time from 00:00 to 23:59"
    NotAllowed,         ///< {got, allowed...}: "must be one of portal, phone, got "fax""
    NotWholeNumber,     ///< "must be a whole number"
    NumberRange,        ///< {min, max, got}: "must be from 1 to 365, got 400"
    NotYesNo,           ///< "must be yes or no (1/0, true/false, ya/tidak)"
    TooLong,            ///< {max, got}: "must be at most 1000 characters, got 1200"
    NotRecordId,        ///< {got}: not a UUID
    KecamatanUnknown,   ///< {got}: "unknown kecamatan code "32.99.01" (expected PP.RR.DD, e.g. 32.75.09)"
    KelurahanUnknown,   ///< {got}: "unknown kelurahan code "..." (expected PP.RR.DD.VVVV)"
    // --- rules that span fields, records or the workflow ---
    KelurahanOutside,   ///< {kelurahan, kecamatan}: "kelurahan ... is not in kecamatan ..."
    FirstStatus,        ///< {kind, status, allowed...}: "a new application may start as draft, ..., not approved"
    UnknownStatus,      ///< {kind, status, statuses...}: "unknown task status "finished"; statuses: ..."
    FinalStatus,        ///< {from, to}: "cannot move from issued to draft; issued is final"
    MoveNotAllowed,     ///< {from, to, allowed...}: "cannot move from draft to approved; allowed: submitted, withdrawn"
    ReviewConflict,     ///< a conflict that needs review holds the record's status
    NoSuchRecord,       ///< {kind or "record", id}: "no application with id ..."
    NoSuchService,      ///< {code}: "no service with code "XYZ""
    SuspensionOrder,    ///< {suspended_from}: "must not be before suspended_from (2021-07-03)"
    DateOrder,          ///< {other field, its date, got}: "must not be before date_from (2020-05-13), got 2020-05-01"
    RegionRequired,     ///< a regional calendar day without its kab/kota
    CounterSuspended,   ///< {location, title, from, to or ""}: a booking at a counter a suspension closes
    AdminOnly,          ///< {role}: "only an administrator changes suspensions and the office calendar, not a clerk"
    ServiceSuspended,   ///< {code, from, to or "", basis}: counter bookings while face-to-face service is suspended
    ChecklistIncomplete,///< {to, count, first item}: "cannot move to field_verification: 2 checklist items not ticked (KTP), ..."
    ManagerOnly,        ///< {role}: "only a manager may override the checklist, not a clerk"
    NotWorkingDay,      ///< {date}: "2026-12-25 is not a working day of the office (a weekend or holiday)"
    InThePast,          ///< {got, now}: "must not be in the past (now 2026-12-03 09:10), got 2026-12-01"
    DecidedByServer,    ///< {status}: a booking's confirmed, overbooked, no_show (model::decidedByServer)
    ResultRequired,     ///< a task moved to done without its result
    // --- what a write may set ---
    Required,           ///< "is required"
    SetByBerkas,        ///< id, created_at, updated_at
    NotOnCreate,        ///< deleted, when creating a record
    UnknownField,       ///< {kind}: "unknown field of application (see: berkas schema application)"
    ServerOnly,         ///< "is assigned by the central office and cannot be set"
    Computed,           ///< "is computed by Berkas and cannot be set"
    CreateOnly,         ///< "cannot be changed after the record is created"
    AppendOnly,         ///< {kind}: "note records cannot be changed once written"
    RecordDeleted,      ///< "the record is deleted; restore it with deleted=0 first"
};

/// One broken rule: its code and the arguments its sentence names.
struct Problem
{
    ProblemCode code = ProblemCode::Empty;
    std::vector<std::string> args;

    /// The English sentence, without the field name: problemText(code, args).
    std::string text() const;
};

/// The English sentence of @p code with @p args, without the field name
/// ("must be 16 digits, got 15"). The only place these sentences are made.
/// Missing arguments read as empty.
std::string problemText(ProblemCode code, const std::vector<std::string>& args);

/// One problem with one field; the message does not repeat the field name.
struct FieldProblem
{
    std::string field;
    ProblemCode code = ProblemCode::Empty;
    std::vector<std::string> args;
    Severity severity = Severity::Error;

    FieldProblem() = default;
    FieldProblem(std::string field, Problem problem, Severity severity = Severity::Error);

    /// problemText(code, args), e.g. "must be 16 digits, got 15".
    std::string message() const { return problemText(code, args); }
    /// "nik: must be 16 digits, got 15".
    std::string text() const { return field + ": " + message(); }
};

/// The error a write throws when its record breaks a rule: Error(InvalidData)
/// whose message is the first problem as "field: rule", and that problem
/// itself, typed, so that the window can say it in its own language.
class ValidationError : public Error
{
public:
    explicit ValidationError(FieldProblem problem);

    const FieldProblem& problem() const { return m_problem; }

private:
    FieldProblem m_problem;
};

/// The outcome of checking one field value. When ok, normalized holds the
/// canonical value to store; otherwise problem says what is wrong. Warnings
/// may be present either way and never make a value invalid.
struct FieldCheck
{
    bool ok = false;
    Problem problem; ///< meaningful only when !ok
    std::vector<Problem> warnings;
    std::string normalized;

    /// The problem's English sentence without the field name ("must be 16
    /// digits, got 15"); empty when ok.
    std::string message() const { return ok ? std::string() : problem.text(); }
};

/// "field: message" lines joined by '\n' (no trailing newline); warnings end
/// with " (warning)".
std::string problemsToText(const std::vector<FieldProblem>& problems);

/// Every problem found while checking a record, in the order found. A value:
/// expected problems are reported here, not thrown.
class ValidationReport
{
public:
    void add(std::string field, Problem problem, Severity severity = Severity::Error);

    /// Records the error (when not ok) and the warnings of @p check under @p field.
    void add(const std::string& field, const FieldCheck& check);

    /// True when there are no errors (warnings allowed).
    bool ok() const;

    const std::vector<FieldProblem>& problems() const { return m_problems; }
    std::vector<FieldProblem> errors() const;
    std::vector<FieldProblem> warnings() const;

    /// "nik: must be 16 digits, got 15"; empty when there is no error.
    std::string firstError() const;

    /// Throws ValidationError with the first error; returns when there is none.
    void throwFirstError() const;

private:
    std::vector<FieldProblem> m_problems;
};

} // namespace berkas::model
