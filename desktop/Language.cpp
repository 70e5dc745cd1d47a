#include "desktop/Language.h"

#include "desktop/UiText.h"
#include "model/Assets.h"

#include <wx/filename.h>
#include <wx/translation.h>

namespace berkas::desktop {

bool setInterfaceLanguage(const std::string& language, const std::string& executablePath)
{
    auto* translations = new wxTranslations;
    wxTranslations::Set(translations); // owns it; replaces any earlier one
    if (language == "en")
    {
        translations->SetLanguage(wxLANGUAGE_ENGLISH);
        return true;
    }
    const wxFileName exe(wxs(executablePath));
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(exe.GetPath() + "/locale");
    // Installed as PREFIX/bin/berkas: PREFIX/share/locale, wherever PREFIX is.
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(exe.GetPath() + "/../share/locale");
    wxFileTranslationsLoader::AddCatalogLookupPathPrefix(wxs(model::assetsDir()) + "/locale");
    translations->SetLanguage("id");
    return translations->AddCatalog("berkas");
}

} // namespace berkas::desktop
