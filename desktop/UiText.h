#pragma once

#include "model/RecordPager.h"

#include <wx/string.h>

#include <cstdint>
#include <string>

namespace berkas::desktop {

/// UTF-8 from the model to wx and back.
inline wxString wxs(const std::string& s) { return wxString::FromUTF8(s.c_str()); }
inline std::string utf8(const wxString& s) { return std::string(s.utf8_str()); }

/// The translated label of a field name ("applicant_name" -> "Nama pemohon").
wxString fieldLabel(const std::string& kind, const std::string& field);

/// The translated label of an allowed value ("document_check" -> "Verifikasi berkas").
wxString valueLabel(const std::string& field, const std::string& value);

/// The translated button label for a workflow move to @p status.
wxString moveLabel(const std::string& kind, const std::string& status);

/// "2024-05-03" -> "03/05/2024"; "2024-05-03T14:05:00+07:00" -> "03/05/2024 14:05";
/// anything else unchanged.
wxString displayDate(const std::string& isoDateOrTime);

/// "03/05/2024" (or already "2024-05-03") -> "2024-05-03"; other text unchanged,
/// so the model's validator reports it.
std::string parseDisplayDate(const std::string& text);

/// A model message ("must be 16 digits, got 15") in the interface language,
/// for the rules people meet while typing; unknown messages stay as they are.
wxString translateProblem(const std::string& message);

/// "Menunggu sinkronisasi", "Konflik", ...
wxString syncStateLabel(model::SyncState state);
/// The same, short enough for a list column ("Belum terkirim", "Konflik", ...).
wxString syncStateShortLabel(model::SyncState state);

/// 1.234.567 in Indonesian, 1,234,567 in English.
wxString formatNumber(std::int64_t n);

/// The section names, translated.
wxString kindTitle(const std::string& kind);

} // namespace berkas::desktop
