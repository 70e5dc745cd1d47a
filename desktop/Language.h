#pragma once

#include <string>

namespace berkas::desktop {

/// Selects the interface language for wx's gettext: "id" loads the berkas
/// catalog (berkas.mo) found next to the binary (bin/locale/id/LC_MESSAGES),
/// in the installed tree (PREFIX/share/locale for PREFIX/bin/berkas) or under
/// the assets folder; "en" uses the English msgids. Needs no system
/// locale. Returns false when the Indonesian catalog was not found (the
/// interface then shows English).
bool setInterfaceLanguage(const std::string& language, const std::string& executablePath);

} // namespace berkas::desktop
