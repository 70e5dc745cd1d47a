#pragma once

#include "sync/server/ServerTypes.h"

#include <map>
#include <string>
#include <vector>

namespace berkas::sync {

/// The public status page's words and pages (GET /status and /v1/status,
/// sync/PROTOCOL.md "Public status"): pure functions, in Indonesian, for
/// citizens. Every value that goes into a page passes through htmlEscape();
/// the status code itself is never shown, only the words of a known one.
namespace statuspage {

/// The parameters of a lookup as the query gave them (number trimmed of
/// surrounding spaces), and the first problem with them: one sentence
/// naming the parameter and the rule ("nik4: harus tepat 4 angka ..."),
/// empty when there is none.
struct Query
{
    std::string number;
    std::string nik4;
    bool hasNumber = false;
    bool hasNik4 = false;
    std::string problem;
    std::string invalid; ///< the parameter the problem is about: number, nik4 or empty
};

/// Reads number and nik4 from decoded query parameters. A missing
/// parameter is only a problem when @p bothRequired (the JSON endpoint);
/// the page shows its form instead. Given parameters must be well formed:
/// number 1 to 64 letters, digits or / - . _; nik4 exactly four digits;
/// neither given twice.
Query parseQuery(const std::vector<std::pair<std::string, std::string>>& parameters, bool bothRequired);

/// The status in words ("Pemeriksaan kelengkapan berkas"); "Sedang
/// diproses" for a status this server does not know.
std::string statusWords(const PublicStatus& status);
/// What the applicant does or waits for next, one or two sentences.
std::string nextStep(const PublicStatus& status);
/// "2026-12-14" as "14 Desember 2026", with the weekday first ("Senin,
/// 14 Desember 2026") when @p weekday; text that is no date comes back as
/// it was (escape it like any value).
std::string indonesianDate(const std::string& isoDate, bool weekday = false);

/// & < > " ' as character references.
std::string htmlEscape(const std::string& text);

/// {"status": words, "due_date": "YYYY-MM-DD" or null, "next_step": sentence}
/// and nothing else; a booking's due_date is the day of its visit.
std::string answerJson(const PublicStatus& status);
/// {"error": {"code": ..., "message": ...}}
std::string errorJson(const std::string& code, const std::string& message);

/// The page answering a lookup of @p number.
std::string answerPage(const std::string& number, const PublicStatus& status);
/// The form, with @p number filled in (from a QR code) and @p problem (an
/// error sentence) above it when not empty.
std::string formPage(const std::string& number = "", const std::string& problem = "");
/// The answer for a wrong number and for a wrong NIK alike: it repeats
/// neither, so the two are the same bytes.
std::string notFoundPage();
/// Too many lookups from one address: wait @p seconds.
std::string throttledPage(int seconds);
/// The sentences of the answers without a record, for the page and the JSON.
std::string notFoundSentence();
std::string throttledSentence(int seconds);

} // namespace statuspage
} // namespace berkas::sync
