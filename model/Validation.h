#pragma once

#include "model/Regions.h"
#include "model/Schema.h"
#include "model/ValidationReport.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berkas::model {

// Every check ignores leading and trailing spaces and tabs.

/// 16 digits: province, regency (errors when unknown) and district (a warning
/// when unknown: districts may be newer than the list), birth date DDMMYY
/// with 40 added to the day for women, serial not 0000.
FieldCheck checkNik(std::string_view value, const Regions& regions);

/// 13 digits.
FieldCheck checkNib(std::string_view value);

/// An Indonesian mobile (08..., 628..., +628...) or landline (021-...,
/// 0361 ...) number; spaces, dashes, dots and parentheses are ignored.
/// Normalized to "+62" and the national significant number ("+6281234567890").
FieldCheck checkPhone(std::string_view value);

/// One @, a non-empty local part, a dotted domain; normalized with the domain
/// in lower case.
FieldCheck checkEmail(std::string_view value);

/// A decimal number inside Indonesia's bounding box: latitude -11.5..6.5,
/// longitude 94.5..141.5. Normalized without a leading '+'.
FieldCheck checkLatitude(std::string_view value);
FieldCheck checkLongitude(std::string_view value);

/// "YYYY-MM-DD", a real date.
FieldCheck checkDate(std::string_view value);

/// ISO 8601 with an offset: YYYY-MM-DDTHH:MM[:SS][.fff](Z|+hh:mm|-hh:mm).
/// Normalized keeps the value as given (the offset records the office zone).
FieldCheck checkTimestamp(std::string_view value);

/// "HH:MM" from 00:00 to 23:59.
FieldCheck checkSlot(std::string_view value);

/// One of @p allowed, ignoring case; normalized to the allowed spelling.
FieldCheck checkEnum(std::string_view value, const std::vector<std::string>& allowed);

/// A decimal integer from @p min to @p max; normalized without '+' or leading zeros.
FieldCheck checkInteger(std::string_view value, long min, long max);

/// 1/0, true/false, yes/no, ya/tidak (any case); normalized "1" or "0".
FieldCheck checkBool(std::string_view value);

/// The longest values of text fields, in bytes.
inline constexpr std::size_t kMaxTextLength = 1000;
inline constexpr std::size_t kMaxLongTextLength = 20000;

/// One value of field @p field by its type: the form every replica requires
/// before it stores the value, whoever wrote it (the laptop before a write,
/// the central office for each pushed change). An empty value is not checked
/// here (whether it may be empty is the caller's rule: FieldDef::required).
/// A Reference is checked for its form (a UUID) only; whether the record
/// exists is the caller's question. When ok, normalized is the canonical
/// spelling that replicas store.
FieldCheck checkFieldValue(const FieldDef& field, std::string_view value, const Regions& regions);

/// Empty when kelurahan @p kelurahan lies in kecamatan @p kecamatan (or
/// either is empty); otherwise "kelurahan 32.75.01.1001 is not in kecamatan 32.75.09".
std::string kelurahanOutsideKecamatan(const std::string& kelurahan, const std::string& kecamatan);
/// The same as a problem (KelurahanOutside), or nothing.
std::optional<Problem> kelurahanProblem(const std::string& kelurahan, const std::string& kecamatan);

/// Empty when a new record of @p kind may start in @p status (its first
/// state, or one move from it, as a record created and moved at once);
/// otherwise "a new application may start as draft, submitted, withdrawn, not approved".
std::string initialStatusError(const std::string& kind, const std::string& status);
/// The same as a problem (FirstStatus), or nothing.
std::optional<Problem> initialStatusProblem(const std::string& kind, const std::string& status);

/// Why a record of @p kind may not move from @p from to @p to (UnknownStatus,
/// FinalStatus or MoveNotAllowed), or nothing when it may. Throws
/// Error(InvalidData) for a kind without a workflow.
std::optional<Problem> moveProblem(std::string_view kind, std::string_view from, std::string_view to);

} // namespace berkas::model
