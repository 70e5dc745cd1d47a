#include "model/Validation.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace berkas::model;

namespace {

struct Example
{
    const char* input;
    const char* normalized; // nullptr: must be rejected
};

struct Rejection
{
    const char* input;
    const char* message; // a part of the expected message
};

} // namespace

TEST_CASE("Validation: NIK accepts valid synthetic numbers", "[model][validation][nik]")
{
    const Regions& regions = Regions::standard();
    const std::string nik = GENERATE(as<std::string>{},
                                     "3275094107900001", // woman, 1 July 1990, Jatiasih
                                     "3275091507900002", // man, 15 July 1990
                                     "3275093112990003", // man, 31 December 1999
                                     "3275097107900004", // woman, 31 July
                                     "3275092902000005", // 29 February 2000: leap
                                     "3275092902040006", // 29 February 2004
                                     "3275096902960007", // woman, 29 February 1996
                                     "6474011507900001", // Kota Bontang
                                     "5102011507909999");
    CAPTURE(nik);
    const auto check = checkNik(nik, regions);
    CHECK(check.ok);
    CHECK(check.message().empty());
    CHECK(check.warnings.empty());
    CHECK(check.normalized == nik);
}

TEST_CASE("Validation: NIK rejections say what is wrong", "[model][validation][nik]")
{
    const Regions& regions = Regions::standard();
    const auto example = GENERATE(values<Rejection>({
        {"327509410790001", "must be 16 digits, got 15"},
        {"32750941079000011", "must be 16 digits, got 17"},
        {"", "must not be empty"},
        {"32750941079000A1", "must contain only digits"},
        {"3275 0941 0790 0001", "must contain only digits"},
        {"9975091507900002", "province code 99 does not exist"},
        {"3299091507900002", "regency code 32.99 does not exist"},
        {"3275090007900001", "birth day 00"},
        {"3275093207900001", "birth day 32"},
        {"3275094007900001", "birth day 40"},
        {"3275097207900001", "birth day 72"},
        {"3275099907900001", "birth day 99"},
        {"3275091500900001", "birth month 00"},
        {"3275091513900001", "birth month 13"},
        {"3275093104900001", "birth date 310490"},   // 31 April
        {"3275097104900001", "birth date 710490"},   // woman, 31 April
        {"3275092902010001", "birth date 290201"},   // 29 February 2001
        {"3275092902970001", "birth date 290297"},   // 29 February 1997
        {"3275096902970001", "birth date 690297"},   // woman, 29 February 1997
        {"3275093002000001", "birth date 300200"},   // 30 February
        {"3275091507900000", "serial number 0000"},
    }));
    CAPTURE(example.input);
    const auto check = checkNik(example.input, regions);
    CHECK_FALSE(check.ok);
    CHECK_THAT(check.message(), Catch::Contains(example.message));
}

TEST_CASE("Validation: NIK with an unknown district is only a warning", "[model][validation][nik]")
{
    const auto check = checkNik("3275131507900002", Regions::standard());
    CHECK(check.ok);
    CHECK(check.normalized == "3275131507900002");
    REQUIRE(check.warnings.size() == 1);
    CHECK_THAT(check.warnings[0].text(), Catch::Contains("32.75.13"));

    SECTION("and other errors are still reported")
    {
        const auto bad = checkNik("3275131507900000", Regions::standard());
        CHECK_FALSE(bad.ok);
        CHECK(bad.warnings.size() == 1);
    }
}

TEST_CASE("Validation: NIB must be 13 digits", "[model][validation]")
{
    CHECK(checkNib("1234567890123").ok);
    CHECK(checkNib(" 1234567890123 ").normalized == "1234567890123");
    CHECK(checkNib("123456789012").message() == "must be 13 digits, got 12");
    CHECK(checkNib("12345678901234").message() == "must be 13 digits, got 14");
    CHECK(checkNib("12345678901X3").message() == "must contain only digits");
    CHECK_FALSE(checkNib("").ok);
}

TEST_CASE("Validation: phone numbers are normalized to +62", "[model][validation][phone]")
{
    const auto example = GENERATE(values<Example>({
        {"081234567890", "+6281234567890"},
        {"0812-3456-7890", "+6281234567890"},
        {"+62 812 3456 7890", "+6281234567890"},
        {"6281234567890", "+6281234567890"},
        {"+62812.3456.7890", "+6281234567890"},
        {"0812345678", "+62812345678"},
        {"0812345678901", "+62812345678901"},
        {"021-22102950", "+622122102950"},
        {"(021) 2210 2950", "+622122102950"},
        {"+62 (0)21 2210 2950", "+622122102950"},
        {"(0361) 811234", "+62361811234"},
        {"0548-41234", "+6254841234"},
        {"081234567", nullptr},       // too short
        {"08123456789012", nullptr},  // too long
        {"+1 415 555 1234", nullptr}, // not Indonesian
        {"+6", nullptr},
        {"0812abc4567", nullptr},
        {"812345678", nullptr},
        {"0112345678", nullptr},
        {"0", nullptr},
        {"", nullptr},
        {"++6281234567890", nullptr},
        {"021-123", nullptr},
        {"021-123456789012", nullptr},
    }));
    CAPTURE(example.input);
    const auto check = checkPhone(example.input);
    if (example.normalized != nullptr) {
        CHECK(check.ok);
        CHECK(check.normalized == example.normalized);
    } else {
        CHECK_FALSE(check.ok);
        CHECK_FALSE(check.message().empty());
    }
}

TEST_CASE("Validation: phone messages are specific", "[model][validation][phone]")
{
    CHECK_THAT(checkPhone("081234567").message(), Catch::Contains("got 9"));
    CHECK_THAT(checkPhone("+1 415 555 1234").message(), Catch::Contains("+62"));
    CHECK_THAT(checkPhone("0812abc").message(), Catch::Contains("only digits"));
}

TEST_CASE("Validation: e-mail addresses", "[model][validation][email]")
{
    const auto example = GENERATE(values<Example>({
        {"petugas@dpmptsp.bekasikota.go.id", "petugas@dpmptsp.bekasikota.go.id"},
        {"Nama.Petugas+izin@Kantor.GO.ID", "Nama.Petugas+izin@kantor.go.id"},
        {" a@b.co ", "a@b.co"},
        {"user_1@mail-server.example.com", "user_1@mail-server.example.com"},
        {"petugas", nullptr},
        {"a@@b.co", nullptr},
        {"a@b@c.co", nullptr},
        {"@b.co", nullptr},
        {"a@", nullptr},
        {"a@b", nullptr},
        {"a b@c.co", nullptr},
        {"a@b .co", nullptr},
        {"a@.b.co", nullptr},
        {"a@b..co", nullptr},
        {"a@b.co.", nullptr},
        {"a@-b.co", nullptr},
        {"a@b.c", nullptr},
        {"a@b.c0", nullptr},
        {".a@b.co", nullptr},
        {"a.@b.co", nullptr},
        {"a..b@c.co", nullptr},
        {"a(b)@c.co", nullptr},
        {"", nullptr},
    }));
    CAPTURE(example.input);
    const auto check = checkEmail(example.input);
    if (example.normalized != nullptr) {
        CHECK(check.ok);
        CHECK(check.normalized == example.normalized);
    } else {
        CHECK_FALSE(check.ok);
        CHECK_FALSE(check.message().empty());
    }
}

TEST_CASE("Validation: coordinates must lie inside Indonesia", "[model][validation][geo]")
{
    SECTION("latitude")
    {
        const auto example = GENERATE(values<Example>({
            {"-6.2", "-6.2"},         // Jakarta
            {"-6.2383", "-6.2383"},
            {"+1.35", "1.35"},        // Singapore lies inside the box
            {"0.1333", "0.1333"},     // Bontang
            {"6.5", "6.5"},
            {"-11.5", "-11.5"},
            {"0", "0"},
            {"-33.8", nullptr},       // Sydney
            {"6.51", nullptr},
            {"-11.51", nullptr},
            {"-6,2", nullptr},
            {"-6.2x", nullptr},
            {"1e1", nullptr},
            {".5", nullptr},
            {"5.", nullptr},
            {"-", nullptr},
            {"abc", nullptr},
            {"", nullptr},
        }));
        CAPTURE(example.input);
        const auto check = checkLatitude(example.input);
        if (example.normalized != nullptr) {
            CHECK(check.ok);
            CHECK(check.normalized == example.normalized);
        } else {
            CHECK_FALSE(check.ok);
        }
    }
    SECTION("longitude")
    {
        const auto example = GENERATE(values<Example>({
            {"106.8", "106.8"},       // Jakarta
            {"103.8", "103.8"},       // Singapore
            {"140.7", "140.7"},       // Jayapura
            {"94.5", "94.5"},
            {"141.5", "141.5"},
            {"151.2", nullptr},       // Sydney
            {"94.49", nullptr},
            {"141.51", nullptr},
            {"-106.8", nullptr},
            {"106.8E", nullptr},
            {"1000", nullptr},
        }));
        CAPTURE(example.input);
        const auto check = checkLongitude(example.input);
        if (example.normalized != nullptr) {
            CHECK(check.ok);
            CHECK(check.normalized == example.normalized);
        } else {
            CHECK_FALSE(check.ok);
        }
    }
    SECTION("the message gives the range and the value")
    {
        CHECK(checkLatitude("-33.8").message() ==
              "must be between -11.5 and 6.5 (inside Indonesia), got -33.8");
    }
}

TEST_CASE("Validation: dates, timestamps and slots", "[model][validation][time]")
{
    SECTION("dates")
    {
        CHECK(checkDate("2021-05-07").normalized == "2021-05-07");
        CHECK(checkDate("2020-02-29").ok);
        CHECK(checkDate("2021-02-29").message() == "2021-02-29 is not a real date");
        CHECK(checkDate("2021-1-5").message() == "must be a date in the form YYYY-MM-DD");
        CHECK_FALSE(checkDate("07/05/2021").ok);
    }
    SECTION("timestamps")
    {
        const auto example = GENERATE(values<Example>({
            {"2021-05-07T09:30:00+07:00", "2021-05-07T09:30:00+07:00"},
            {"2021-05-07T09:30+07:00", "2021-05-07T09:30+07:00"},
            {"2021-05-07T09:30:00.123Z", "2021-05-07T09:30:00.123Z"},
            {"2021-05-07T09:30:00.123456789-03:30", "2021-05-07T09:30:00.123456789-03:30"},
            {"2021-05-07T23:59:59+14:00", "2021-05-07T23:59:59+14:00"},
            {"2020-02-29T00:00Z", "2020-02-29T00:00Z"},
            {"2021-05-07T09:30:00", nullptr},
            {"2021-05-07 09:30:00+07:00", nullptr},
            {"2021-05-07T24:00:00Z", nullptr},
            {"2021-05-07T09:60Z", nullptr},
            {"2021-05-07T09:30:60Z", nullptr},
            {"2021-02-29T09:30Z", nullptr},
            {"2021-05-07T09:30:00.Z", nullptr},
            {"2021-05-07T09:30.5Z", nullptr},
            {"2021-05-07T09:30:00+0700", nullptr},
            {"2021-05-07T09:30:00+07", nullptr},
            {"2021-05-07T9:30Z", nullptr},
            {"2021-05-07T09:30:00+15:00", nullptr},
            {"2021-05-07T09:30:00z", nullptr},
            {"2021-05-07", nullptr},
            {"", nullptr},
        }));
        CAPTURE(example.input);
        const auto check = checkTimestamp(example.input);
        if (example.normalized != nullptr) {
            CHECK(check.ok);
            CHECK(check.normalized == example.normalized);
        } else {
            CHECK_FALSE(check.ok);
            CHECK_FALSE(check.message().empty());
        }
    }
    SECTION("slots")
    {
        for (const char* good : {"00:00", "08:30", "23:59"})
            CHECK(checkSlot(good).normalized == good);
        for (const char* bad : {"24:00", "8:30", "08:60", "0830", "08:30:00", "", "ab:cd"}) {
            CAPTURE(bad);
            CHECK_FALSE(checkSlot(bad).ok);
        }
    }
}

TEST_CASE("Validation: enums, integers and booleans", "[model][validation]")
{
    SECTION("enum values match ignoring case and take the allowed spelling")
    {
        const std::vector<std::string> channels{"counter", "oss", "sp4n_lapor"};
        CHECK(checkEnum("oss", channels).normalized == "oss");
        CHECK(checkEnum("OSS", channels).normalized == "oss");
        CHECK(checkEnum("fax", channels).message() ==
              "must be one of counter, oss, sp4n_lapor, got \"fax\"");
        CHECK_FALSE(checkEnum("", channels).ok);
    }
    SECTION("integers")
    {
        const auto example = GENERATE(values<Example>({
            {"5", "5"},
            {"+007", "7"},
            {"365", "365"},
            {"1", "1"},
            {"0", nullptr},
            {"366", nullptr},
            {"-1", nullptr},
            {"1.5", nullptr},
            {"abc", nullptr},
            {"", nullptr},
            {"-", nullptr},
            {"99999999999999999999999", nullptr},
        }));
        CAPTURE(example.input);
        const auto check = checkInteger(example.input, 1, 365);
        if (example.normalized != nullptr) {
            CHECK(check.ok);
            CHECK(check.normalized == example.normalized);
        } else {
            CHECK_FALSE(check.ok);
        }
    }
    SECTION("integer messages give the range")
    {
        CHECK(checkInteger("400", 1, 365).message() == "must be from 1 to 365, got 400");
        CHECK(checkInteger("-10", -10, 10).normalized == "-10");
        CHECK(checkInteger("-0", -10, 10).normalized == "0");
    }
    SECTION("booleans")
    {
        for (const char* yes : {"1", "true", "TRUE", "yes", "Ya", "ya"})
            CHECK(checkBool(yes).normalized == "1");
        for (const char* no : {"0", "false", "no", "No", "tidak", "TIDAK"})
            CHECK(checkBool(no).normalized == "0");
        for (const char* bad : {"", "2", "y", "n", "benar"}) {
            CAPTURE(bad);
            CHECK_FALSE(checkBool(bad).ok);
        }
    }
}

TEST_CASE("ValidationReport: collects errors and warnings per field", "[model][validation]")
{
    ValidationReport report;
    CHECK(report.ok());
    CHECK(report.firstError().empty());

    report.add("nik", checkNik("3275131507900002", Regions::standard()));
    CHECK(report.ok());
    CHECK(report.warnings().size() == 1);

    report.add("nik", checkNik("327509410790001", Regions::standard()));
    report.add("phone", checkPhone("0812"));
    report.add("note", Problem{ProblemCode::TooLong, {"1000", "1200"}}, Severity::Warning);
    CHECK_FALSE(report.ok());
    CHECK(report.problems().size() == 4);
    CHECK(report.errors().size() == 2);
    CHECK(report.warnings().size() == 2);
    CHECK(report.firstError() == "nik: must be 16 digits, got 15");

    const std::string text = problemsToText(report.errors());
    CHECK_THAT(text, Catch::StartsWith("nik: must be 16 digits, got 15\nphone: "));
    CHECK(problemsToText({{"note", {ProblemCode::TooLong, {"1000", "1200"}}, Severity::Warning}}) ==
          "note: must be at most 1000 characters, got 1200 (warning)");
    CHECK(problemsToText({}).empty());
}

TEST_CASE("Validation: each problem code makes its sentence from its arguments", "[model][validation]")
{
    struct Text
    {
        ProblemCode code;
        std::vector<std::string> args;
        const char* text;
    };
    const auto example = GENERATE(values<Text>({
        {ProblemCode::Empty, {}, "must not be empty"},
        {ProblemCode::NotDigits, {}, "must contain only digits"},
        {ProblemCode::DigitCount, {"16", "15"}, "must be 16 digits, got 15"},
        {ProblemCode::ProvinceUnknown, {"99"}, "province code 99 does not exist"},
        {ProblemCode::RegencyUnknown, {"32.99"}, "regency code 32.99 does not exist"},
        {ProblemCode::DistrictUnknown, {"32.75.13"},
         "district code 32.75.13 is not in the reference list; check it if the NIK is recent"},
        {ProblemCode::BirthDay, {"32"}, "birth day 32 is not valid (01 to 31, or 41 to 71 for women)"},
        {ProblemCode::BirthMonth, {"13"}, "birth month 13 is not valid"},
        {ProblemCode::BirthDate, {"310490"}, "birth date 310490 (DDMMYY) is not a real date"},
        {ProblemCode::SerialZero, {}, "serial number 0000 is not valid"},
        {ProblemCode::PhoneCharacters, {},
         "must contain only digits, spaces, dashes, dots, parentheses and a leading +"},
        {ProblemCode::PhoneCountry, {}, "must be an Indonesian number (country code +62)"},
        {ProblemCode::PhoneStart, {}, "must start with 0, 62 or +62"},
        {ProblemCode::PhoneTooShort, {}, "is too short to be a phone number"},
        {ProblemCode::MobileLength, {"9"}, "mobile number must have 10 to 13 digits starting with 08, got 9"},
        {ProblemCode::LandlineLength, {"7"},
         "landline number must have 9 to 12 digits with the area code starting with 0, got 7"},
        {ProblemCode::PhoneKind, {}, "must be a mobile number (08...) or a landline with an area code (021...)"},
        {ProblemCode::EmailTooLong, {}, "is too long for an e-mail address"},
        {ProblemCode::EmailAt, {}, "must contain exactly one @"},
        {ProblemCode::EmailNoName, {}, "must have a name before the @"},
        {ProblemCode::EmailNameTooLong, {}, "has a name before the @ longer than 64 characters"},
        {ProblemCode::EmailCharacter, {}, "contains a character not allowed in an e-mail address"},
        {ProblemCode::EmailDots, {}, "must not start or end with a dot or have two dots in a row before the @"},
        {ProblemCode::EmailNoDomainDot, {}, "must have a domain with a dot after the @, like kantor.go.id"},
        {ProblemCode::EmailBadDomain, {}, "has a malformed domain after the @"},
        {ProblemCode::CoordinateForm, {"-6.2383"}, "must be a decimal number in degrees like -6.2383"},
        {ProblemCode::CoordinateRange, {"-11.5", "6.5", "-33.8"},
         "must be between -11.5 and 6.5 (inside Indonesia), got -33.8"},
        {ProblemCode::DateForm, {}, "must be a date in the form YYYY-MM-DD"},
        {ProblemCode::DateNotReal, {"2021-02-29"}, "2021-02-29 is not a real date"},
        {ProblemCode::TimestampForm, {}, "must be a date and time with a zone offset, like 2021-05-07T09:30:00+07:00"},
        {ProblemCode::TimestampDate, {}, "has a date that does not exist"},
        {ProblemCode::TimestampTime, {}, "has a time of day that does not exist"},
        {ProblemCode::TimestampZone, {}, "must end with a zone offset such as +07:00 or Z"},
        {ProblemCode::TimestampZoneRange, {}, "has a zone offset that does not exist"},
        {ProblemCode::SlotForm, {}, "must be a time in the form HH:MM"},
        {ProblemCode::SlotRange, {}, "must be a time from 00:00 to 23:59"},
        {ProblemCode::NotAllowed, {"fax", "portal", "phone"}, "must be one of portal, phone, got \"fax\""},
        {ProblemCode::NotWholeNumber, {}, "must be a whole number"},
        {ProblemCode::NumberRange, {"1", "365", "400"}, "must be from 1 to 365, got 400"},
        {ProblemCode::NotYesNo, {}, "must be yes or no (1/0, true/false, ya/tidak)"},
        {ProblemCode::TooLong, {"1000", "1200"}, "must be at most 1000 characters, got 1200"},
        {ProblemCode::NotRecordId, {"abc"}, "must be a record id (UUID), got \"abc\""},
        {ProblemCode::KecamatanUnknown, {"32.99.01"},
         "unknown kecamatan code \"32.99.01\" (expected PP.RR.DD, e.g. 32.75.09)"},
        {ProblemCode::KelurahanUnknown, {"32.75.09.9999"},
         "unknown kelurahan code \"32.75.09.9999\" (expected PP.RR.DD.VVVV)"},
        {ProblemCode::KelurahanOutside, {"32.75.01.1001", "32.75.09"},
         "kelurahan 32.75.01.1001 is not in kecamatan 32.75.09"},
        {ProblemCode::FirstStatus, {"application", "approved", "draft", "submitted", "withdrawn"},
         "a new application may start as draft, submitted, withdrawn, not approved"},
        {ProblemCode::FirstStatus, {"task", "", "assigned"}, "a new task may start as assigned, not an empty status"},
        {ProblemCode::UnknownStatus, {"task", "finished", "assigned", "done"},
         "unknown task status \"finished\"; statuses: assigned, done"},
        {ProblemCode::FinalStatus, {"issued", "draft"}, "cannot move from issued to draft; issued is final"},
        {ProblemCode::MoveNotAllowed, {"draft", "approved", "submitted", "withdrawn"},
         "cannot move from draft to approved; allowed: submitted, withdrawn"},
        {ProblemCode::ReviewConflict, {},
         "this record has a conflict that needs review; resolve it first (see: berkas conflicts)"},
        {ProblemCode::NoSuchRecord, {"application", "0190"}, "no application with id 0190"},
        {ProblemCode::NoSuchService, {"XYZ"}, "no service with code \"XYZ\""},
        {ProblemCode::SuspensionOrder, {"2021-07-03"}, "must not be before suspended_from (2021-07-03)"},
        {ProblemCode::ServiceSuspended, {"SIPB", "2021-07-03", "2021-07-20", "Inmendagri 15/2021"},
         "service SIPB is suspended from 2021-07-03 to 2021-07-20 (Inmendagri 15/2021)"},
        {ProblemCode::ServiceSuspended, {"SIPB", "2021-07-03", "", "Inmendagri 15/2021"},
         "service SIPB is suspended from 2021-07-03 until further notice (Inmendagri 15/2021)"},
        {ProblemCode::Required, {}, "is required"},
        {ProblemCode::SetByBerkas, {}, "is set by Berkas and cannot be given"},
        {ProblemCode::NotOnCreate, {}, "cannot be set when creating a record"},
        {ProblemCode::UnknownField, {"application"}, "unknown field of application (see: berkas schema application)"},
        {ProblemCode::ServerOnly, {}, "is assigned by the central office and cannot be set"},
        {ProblemCode::Computed, {}, "is computed by Berkas and cannot be set"},
        {ProblemCode::CreateOnly, {}, "cannot be changed after the record is created"},
        {ProblemCode::AppendOnly, {"note"}, "note records cannot be changed once written"},
        {ProblemCode::RecordDeleted, {}, "the record is deleted; restore it with deleted=0 first"},
    }));
    CAPTURE(static_cast<int>(example.code));
    CHECK(problemText(example.code, example.args) == example.text);
    const FieldProblem problem("status", {example.code, example.args});
    CHECK(problem.message() == example.text);
    CHECK(problem.text() == std::string("status: ") + example.text);
}

TEST_CASE("Validation: every problem code has a sentence", "[model][validation]")
{
    for (int code = static_cast<int>(ProblemCode::Empty); code <= static_cast<int>(ProblemCode::RecordDeleted); ++code)
    {
        CAPTURE(code);
        CHECK_FALSE(problemText(static_cast<ProblemCode>(code), {"a", "b", "c", "d"}).empty());
    }
}

TEST_CASE("Validation: a check's problem is typed, and its sentence is the one of its code", "[model][validation]")
{
    const auto nik = checkNik("327509410790001", Regions::standard());
    CHECK(nik.problem.code == ProblemCode::DigitCount);
    CHECK(nik.problem.args == std::vector<std::string>{"16", "15"});
    const auto channel = checkEnum("fax", {"portal", "phone"});
    CHECK(channel.problem.code == ProblemCode::NotAllowed);
    CHECK(channel.message() == problemText(ProblemCode::NotAllowed, {"fax", "portal", "phone"}));
    const auto move = moveProblem("application", "draft", "approved");
    REQUIRE(move);
    CHECK(move->code == ProblemCode::MoveNotAllowed);
    CHECK(move->text() == "cannot move from draft to approved; allowed: submitted, withdrawn");
    CHECK_FALSE(moveProblem("application", "draft", "submitted"));
    const auto first = initialStatusProblem("application", "approved");
    REQUIRE(first);
    CHECK(first->text() == initialStatusError("application", "approved"));

    SECTION("a report's first error is thrown with its problem")
    {
        ValidationReport report;
        report.add("phone", checkPhone("0812"));
        report.add("nik", checkNik("327509410790001", Regions::standard()));
        try
        {
            report.throwFirstError();
            FAIL("no error thrown");
        }
        catch (const ValidationError& e)
        {
            CHECK(e.code() == berkas::ErrorCode::InvalidData);
            CHECK(e.problem().field == "phone");
            CHECK(e.problem().code == ProblemCode::MobileLength);
            CHECK(std::string(e.what()) == "phone: " + e.problem().message());
        }
        CHECK_NOTHROW(ValidationReport().throwFirstError());
    }
}
