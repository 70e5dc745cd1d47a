#pragma once

#include "model/RecordPager.h"
#include "model/Validation.h"

#include <wx/string.h>

#include <cstdint>
#include <exception>
#include <string>

namespace berkas::desktop {

/// UTF-8 from the model to wx and back.
inline wxString wxs(const std::string& s) { return wxString::FromUTF8(s.c_str()); }
inline std::string utf8(const wxString& s) { return std::string(s.utf8_str()); }

/// The translated label of a field name ("applicant_name" -> "Nama pemohon").
wxString fieldLabel(const std::string& kind, const std::string& field);

/// The translated label of an allowed value ("document_check" -> "Verifikasi berkas").
wxString valueLabel(const std::string& field, const std::string& value);
/// Items of a List field of allowed values (model::listItems), each as
/// valueLabel() gives it, joined by ", ".
wxString valueLabels(const std::string& field, const std::vector<std::string>& items);

/// The translated button label for a workflow move to @p status.
wxString moveLabel(const std::string& kind, const std::string& status);

/// "2024-05-03" -> "03/05/2024"; "2024-05-03T14:05:00+07:00" -> "03/05/2024 14:05";
/// anything else unchanged.
/// @p s for wxHtml: <, > and & as entities, a line break as <br>.
wxString escapeHtml(const wxString& s);

wxString displayDate(const std::string& isoDateOrTime);

/// "03/05/2024" (or already "2024-05-03") -> "2024-05-03"; other text unchanged,
/// so the model's validator reports it.
std::string parseDisplayDate(const std::string& text);

/// A problem of a field ("must be 16 digits, got 15"), without the field
/// name, in the interface language, made from its code and arguments. In
/// English it reads as model::problemText() does, except where the window
/// says it its own way (dates as dd/mm/yyyy).
wxString translateProblem(const model::FieldProblem& problem);

/// What to show for an error: the typed problem of a refused write as
/// "field: rule" in the interface language (see translateProblem); any other
/// error's sentence as it is.
wxString errorText(const std::exception& error);

/// "Menunggu sinkronisasi", "Konflik", ...
wxString syncStateLabel(model::SyncState state);
/// The same, short enough for a list column ("Belum terkirim", "Konflik", ...).
wxString syncStateShortLabel(model::SyncState state);

/// 1.234.567 in Indonesian, 1,234,567 in English.
wxString formatNumber(std::int64_t n);

/// The section names, translated.
wxString kindTitle(const std::string& kind);

} // namespace berkas::desktop
