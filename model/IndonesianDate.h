#pragma once

#include <string>

namespace berkas::model {

/// A date in Indonesian words for texts citizens read (the public status
/// page, the inspection report): "14 Desember 2026", with @p weekday
/// "Senin, 14 Desember 2026". A text that is not a YYYY-MM-DD date comes
/// back as it is.
std::string indonesianDate(const std::string& isoDate, bool weekday = false);

} // namespace berkas::model
