#include "model/Validation.h"

#include "model/Date.h"
#include "model/Uuid.h"
#include "model/Workflow.h"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace berkas::model {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char toLower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view text)
{
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), toLower);
    return result;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool allDigits(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), isDigit);
}

/// Two digits at @p pos as a number; -1 if either is not a digit.
int twoDigits(std::string_view text, std::size_t pos)
{
    if (pos + 2 > text.size() || !isDigit(text[pos]) || !isDigit(text[pos + 1]))
        return -1;
    return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
}

FieldCheck fail(ProblemCode code, std::vector<std::string> args = {})
{
    FieldCheck check;
    check.ok = false;
    check.problem = {code, std::move(args)};
    return check;
}

FieldCheck pass(std::string normalized)
{
    FieldCheck check;
    check.ok = true;
    check.normalized = std::move(normalized);
    return check;
}

FieldCheck checkDigits(std::string_view raw, std::size_t length)
{
    const std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);
    if (!allDigits(value))
        return fail(ProblemCode::NotDigits);
    if (value.size() != length)
        return fail(ProblemCode::DigitCount, {std::to_string(length), std::to_string(value.size())});
    return pass(std::string(value));
}

FieldCheck checkCoordinate(std::string_view raw, double min, double max, const char* minText,
                           const char* maxText, const char* what)
{
    const std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);
    std::string_view number = value;
    if (number.front() == '+' || number.front() == '-')
        number.remove_prefix(1);
    const std::size_t dot = number.find('.');
    const std::string_view whole = number.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
    const bool wellFormed = !whole.empty() && whole.size() <= 3 && allDigits(whole) &&
                            (dot == std::string_view::npos ||
                             (!fraction.empty() && fraction.size() <= 15 && allDigits(fraction)));
    if (!wellFormed)
        return fail(ProblemCode::CoordinateForm, {what});

    std::string normalized(value.front() == '+' ? value.substr(1) : value);
    // from_chars ignores the C locale, which a GUI may have set to use a comma.
    double degrees = 0;
    std::from_chars(normalized.data(), normalized.data() + normalized.size(), degrees);
    if (degrees < min || degrees > max)
        return fail(ProblemCode::CoordinateRange, {minText, maxText, std::string(value)});
    return pass(std::move(normalized));
}

bool isEmailLocalChar(char c)
{
    static const std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-.";
    return isDigit(c) || isAlpha(c) || kSpecials.find(c) != std::string_view::npos;
}

} // namespace

FieldCheck checkNik(std::string_view raw, const Regions& regions)
{
    FieldCheck check = checkDigits(raw, 16);
    if (!check.ok)
        return check;
    const std::string& nik = check.normalized;

    const std::string province = nik.substr(0, 2);
    const std::string regency = province + "." + nik.substr(2, 2);
    const std::string district = regency + "." + nik.substr(4, 2);
    if (!regions.hasProvince(province))
        return fail(ProblemCode::ProvinceUnknown, {province});
    if (!regions.hasRegency(regency))
        return fail(ProblemCode::RegencyUnknown, {regency});
    if (!regions.hasDistrict(district))
        check.warnings.push_back({ProblemCode::DistrictUnknown, {district}});

    // Women add 40 to the day of birth. The century is not written, so
    // 29 February is a real date when either 19YY or 20YY is a leap year,
    // which is exactly when YY is divisible by 4 (1900 is not leap, 2000 is).
    const int rawDay = twoDigits(nik, 6);
    const int month = twoDigits(nik, 8);
    const int year = twoDigits(nik, 10);
    // The warnings found so far stay with any error found now.
    const auto failKeepingWarnings = [&check](ProblemCode code, std::vector<std::string> args) {
        check.ok = false;
        check.problem = {code, std::move(args)};
        return check;
    };
    if (rawDay == 0 || (rawDay > 31 && rawDay < 41) || rawDay > 71)
        return failKeepingWarnings(ProblemCode::BirthDay, {nik.substr(6, 2)});
    const int day = rawDay > 40 ? rawDay - 40 : rawDay;
    if (month < 1 || month > 12)
        return failKeepingWarnings(ProblemCode::BirthMonth, {nik.substr(8, 2)});
    if (!Date::isValid(1900 + year, month, day) && !Date::isValid(2000 + year, month, day))
        return failKeepingWarnings(ProblemCode::BirthDate, {nik.substr(6, 6)});
    if (nik.compare(12, 4, "0000") == 0)
        return failKeepingWarnings(ProblemCode::SerialZero, {});
    return check;
}

FieldCheck checkNib(std::string_view value)
{
    return checkDigits(value, 13);
}

FieldCheck checkPhone(std::string_view raw)
{
    const std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);

    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (isDigit(c)) {
            digits += c;
        } else if (c == '+' && i == 0) {
            plus = true;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return fail(ProblemCode::PhoneCharacters);
        }
    }

    std::string national;
    if (plus || digits.compare(0, 2, "62") == 0) {
        if (digits.compare(0, 2, "62") != 0)
            return fail(ProblemCode::PhoneCountry);
        national = digits.substr(2);
        // "+62 (0)21 ..." is a common way of writing it.
        if (!national.empty() && national[0] == '0')
            national.erase(0, 1);
    } else if (!digits.empty() && digits[0] == '0') {
        national = digits.substr(1);
    } else {
        return fail(ProblemCode::PhoneStart);
    }

    if (national.empty())
        return fail(ProblemCode::PhoneTooShort);
    if (national[0] == '8') {
        if (national.size() < 9 || national.size() > 12)
            return fail(ProblemCode::MobileLength, {std::to_string(national.size() + 1)});
    } else if (national[0] >= '2' && national[0] <= '9') {
        if (national.size() < 8 || national.size() > 11)
            return fail(ProblemCode::LandlineLength, {std::to_string(national.size() + 1)});
    } else {
        return fail(ProblemCode::PhoneKind);
    }
    return pass("+62" + national);
}

FieldCheck checkEmail(std::string_view raw)
{
    const std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);
    if (value.size() > 254)
        return fail(ProblemCode::EmailTooLong);
    const std::size_t at = value.find('@');
    if (at == std::string_view::npos || value.find('@', at + 1) != std::string_view::npos)
        return fail(ProblemCode::EmailAt);
    const std::string_view local = value.substr(0, at);
    const std::string_view domain = value.substr(at + 1);

    if (local.empty())
        return fail(ProblemCode::EmailNoName);
    if (local.size() > 64)
        return fail(ProblemCode::EmailNameTooLong);
    if (!std::all_of(local.begin(), local.end(), isEmailLocalChar))
        return fail(ProblemCode::EmailCharacter);
    if (local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return fail(ProblemCode::EmailDots);

    if (domain.find('.') == std::string_view::npos)
        return fail(ProblemCode::EmailNoDomainDot);
    std::size_t start = 0;
    std::string_view lastLabel;
    while (start <= domain.size()) {
        std::size_t end = domain.find('.', start);
        if (end == std::string_view::npos)
            end = domain.size();
        const std::string_view label = domain.substr(start, end - start);
        const bool labelOk =
            !label.empty() && label.size() <= 63 && label.front() != '-' &&
            label.back() != '-' &&
            std::all_of(label.begin(), label.end(),
                        [](char c) { return isDigit(c) || isAlpha(c) || c == '-'; });
        if (!labelOk)
            return fail(ProblemCode::EmailBadDomain);
        lastLabel = label;
        start = end + 1;
    }
    if (lastLabel.size() < 2 || !std::all_of(lastLabel.begin(), lastLabel.end(), isAlpha))
        return fail(ProblemCode::EmailBadDomain);
    return pass(std::string(local) + "@" + lower(domain));
}

FieldCheck checkLatitude(std::string_view value)
{
    return checkCoordinate(value, -11.5, 6.5, "-11.5", "6.5", "-6.2383");
}

FieldCheck checkLongitude(std::string_view value)
{
    return checkCoordinate(value, 94.5, 141.5, "94.5", "141.5", "106.8456");
}

FieldCheck checkDate(std::string_view raw)
{
    const std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);
    if (const auto date = Date::parse(value))
        return pass(date->toString());
    const bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-' &&
                        allDigits(value.substr(0, 4)) && allDigits(value.substr(5, 2)) &&
                        allDigits(value.substr(8, 2));
    if (shaped)
        return fail(ProblemCode::DateNotReal, {std::string(value)});
    return fail(ProblemCode::DateForm);
}

FieldCheck checkTimestamp(std::string_view raw)
{
    const std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);
    const ProblemCode kShape = ProblemCode::TimestampForm;

    if (value.size() < 16 || value[10] != 'T')
        return fail(kShape);
    const std::string_view datePart = value.substr(0, 10);
    if (!Date::parse(datePart)) {
        const bool shaped = checkDate(datePart).problem.code != ProblemCode::DateForm;
        return fail(shaped ? ProblemCode::TimestampDate : kShape);
    }
    const int hour = twoDigits(value, 11);
    const int minute = twoDigits(value, 14);
    if (hour < 0 || minute < 0 || value[13] != ':')
        return fail(kShape);
    std::size_t pos = 16;
    int second = 0;
    if (pos < value.size() && value[pos] == ':') {
        second = twoDigits(value, pos + 1);
        if (second < 0)
            return fail(kShape);
        pos += 3;
        if (pos < value.size() && value[pos] == '.') {
            std::size_t digits = 0;
            ++pos;
            while (pos < value.size() && isDigit(value[pos])) {
                ++pos;
                ++digits;
            }
            if (digits == 0 || digits > 9)
                return fail(kShape);
        }
    }
    if (hour > 23 || minute > 59 || second > 59)
        return fail(ProblemCode::TimestampTime);

    const std::string_view zone = value.substr(std::min(pos, value.size()));
    if (zone.empty())
        return fail(ProblemCode::TimestampZone);
    if (zone != "Z") {
        const int offsetHours = twoDigits(zone, 1);
        const int offsetMinutes = twoDigits(zone, 4);
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
            offsetHours < 0 || offsetMinutes < 0)
            return fail(ProblemCode::TimestampZone);
        if (offsetHours > 14 || offsetMinutes > 59)
            return fail(ProblemCode::TimestampZoneRange);
    }
    return pass(std::string(value));
}

FieldCheck checkSlot(std::string_view raw)
{
    const std::string_view value = trim(raw);
    const int hour = twoDigits(value, 0);
    const int minute = twoDigits(value, 3);
    if (value.size() != 5 || value[2] != ':' || hour < 0 || minute < 0)
        return fail(ProblemCode::SlotForm);
    if (hour > 23 || minute > 59)
        return fail(ProblemCode::SlotRange);
    return pass(std::string(value));
}

FieldCheck checkEnum(std::string_view raw, const std::vector<std::string>& allowed)
{
    const std::string_view value = trim(raw);
    const std::string wanted = lower(value);
    for (const auto& option : allowed) {
        if (lower(option) == wanted)
            return pass(option);
    }
    std::vector<std::string> args{std::string(value)};
    args.insert(args.end(), allowed.begin(), allowed.end());
    return fail(ProblemCode::NotAllowed, std::move(args));
}

FieldCheck checkInteger(std::string_view raw, long min, long max)
{
    std::string_view value = trim(raw);
    if (value.empty())
        return fail(ProblemCode::Empty);
    const bool negative = value.front() == '-';
    if (value.front() == '+' || value.front() == '-')
        value.remove_prefix(1);
    if (value.empty() || !allDigits(value))
        return fail(ProblemCode::NotWholeNumber);
    long number = 0;
    const std::string text = (negative ? "-" : "") + std::string(value);
    const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
    if (result.ec != std::errc() || number < min || number > max)
        return fail(ProblemCode::NumberRange,
                    {std::to_string(min), std::to_string(max), std::string(trim(raw))});
    return pass(std::to_string(number));
}

FieldCheck checkBool(std::string_view raw)
{
    const std::string value = lower(trim(raw));
    if (value == "1" || value == "true" || value == "yes" || value == "ya")
        return pass("1");
    if (value == "0" || value == "false" || value == "no" || value == "tidak")
        return pass("0");
    return fail(ProblemCode::NotYesNo);
}

FieldCheck checkFieldValue(const FieldDef& field, std::string_view raw, const Regions& regions)
{
    const std::string_view value = trim(raw);
    const auto tooLong = [&](std::size_t max) {
        return fail(ProblemCode::TooLong, {std::to_string(max), std::to_string(value.size())});
    };
    switch (field.type)
    {
    case FieldType::List:
        if (!field.allowed.empty())
        {
            // Each item one of the allowed values (a suspension's steps).
            std::string normalized;
            for (const auto& item : listItems(std::string(value)))
            {
                FieldCheck c = checkEnum(item, field.allowed);
                if (!c.ok)
                    return c;
                normalized += (normalized.empty() ? "" : ";") + c.normalized;
            }
            return pass(normalized);
        }
        [[fallthrough]];
    case FieldType::Text:
        return value.size() > kMaxTextLength ? tooLong(kMaxTextLength) : pass(std::string(value));
    case FieldType::LongText:
        return value.size() > kMaxLongTextLength ? tooLong(kMaxLongTextLength) : pass(std::string(value));
    case FieldType::Integer: return checkInteger(value, 0, 1000000000);
    case FieldType::Real: return checkLatitude(value);
    case FieldType::Bool: return checkBool(value);
    case FieldType::Date: return checkDate(value);
    case FieldType::Timestamp: return checkTimestamp(value);
    case FieldType::Enum: return checkEnum(value, field.allowed);
    case FieldType::Nik: return checkNik(value, regions);
    case FieldType::Nib: return checkNib(value);
    case FieldType::Phone: return checkPhone(value);
    case FieldType::Email: return checkEmail(value);
    case FieldType::Latitude: return checkLatitude(value);
    case FieldType::Longitude: return checkLongitude(value);
    case FieldType::Slot: return checkSlot(value);
    case FieldType::Reference:
        if (!isUuid(std::string(value)))
            return fail(ProblemCode::NotRecordId, {std::string(value)});
        return pass(std::string(value));
    case FieldType::Kecamatan:
        if (!regions.hasDistrict(std::string(value)))
            return fail(ProblemCode::KecamatanUnknown, {std::string(value)});
        return pass(std::string(value));
    case FieldType::Kelurahan:
        if (!regions.hasVillage(std::string(value)))
            return fail(ProblemCode::KelurahanUnknown, {std::string(value)});
        return pass(std::string(value));
    }
    return pass(std::string(value));
}

std::string kelurahanOutsideKecamatan(const std::string& kelurahan, const std::string& kecamatan)
{
    const auto problem = kelurahanProblem(kelurahan, kecamatan);
    return problem ? problem->text() : std::string();
}

std::optional<Problem> kelurahanProblem(const std::string& kelurahan, const std::string& kecamatan)
{
    if (kelurahan.empty() || kecamatan.empty() || kelurahan.compare(0, kecamatan.size() + 1, kecamatan + ".") == 0)
        return std::nullopt;
    return Problem{ProblemCode::KelurahanOutside, {kelurahan, kecamatan}};
}

std::string initialStatusError(const std::string& kind, const std::string& status)
{
    const auto problem = initialStatusProblem(kind, status);
    return problem ? problem->text() : std::string();
}

std::optional<Problem> initialStatusProblem(const std::string& kind, const std::string& status)
{
    const std::string initial = initialStatus(kind);
    if (status == initial || isAllowedMove(kind, initial, status))
        return std::nullopt;
    Problem problem{ProblemCode::FirstStatus, {kind, status, initial}};
    for (const auto& m : allowedMoves(kind, initial))
        problem.args.push_back(m);
    return problem;
}

std::optional<Problem> moveProblem(std::string_view kind, std::string_view from, std::string_view to)
{
    const auto& all = statuses(kind);
    for (const auto status : {from, to})
        if (std::find(all.begin(), all.end(), status) == all.end())
        {
            Problem problem{ProblemCode::UnknownStatus, {std::string(kind), std::string(status)}};
            problem.args.insert(problem.args.end(), all.begin(), all.end());
            return problem;
        }
    if (isAllowedMove(kind, from, to))
        return std::nullopt;
    const auto moves = allowedMoves(kind, from);
    if (moves.empty())
        return Problem{ProblemCode::FinalStatus, {std::string(from), std::string(to)}};
    Problem problem{ProblemCode::MoveNotAllowed, {std::string(from), std::string(to)}};
    problem.args.insert(problem.args.end(), moves.begin(), moves.end());
    return problem;
}

} // namespace berkas::model
