#include "desktop/About.h"

#include "desktop/UiText.h"
#include "model/Assets.h"
#include "model/Version.h"

#include <wx/intl.h>

namespace berkas::desktop {

wxAboutDialogInfo aboutInfo()
{
    wxAboutDialogInfo info;
    info.SetName("Berkas");
    info.SetVersion(wxs(model::version()));
    info.SetDescription(_("Case files for licensing offices, offline first."));

    // The attributions the licences ask for, each with its licence; the
    // complete texts are in the package's copyright file and, for the ODbL,
    // beside the data.
    const wxString odblFile = wxs(model::assetsDir()) + "/reference/regions/LICENSE-ODbL.md";
    wxString licence;
    licence << _("Data and code shipped with Berkas:") << "\n\n"
            << _("Indonesian administrative regions (provinces, regencies, kecamatan and kelurahan with "
                 "Kemendagri codes) from the idn-area-data package 4.0.1, made available under the Open "
                 "Database License (ODbL) 1.0:")
            << "\n" << wxString::Format(_("the full licence is in %s"), odblFile) << "\n\n"
            << _("National public holidays 2020-2030 computed with the date-holidays package 3.x "
                 "(commenthol and contributors); its holiday data is licensed under Creative Commons "
                 "Attribution-ShareAlike 3.0 (CC BY-SA 3.0), its code under the ISC licence.")
            << "\n\n"
            << _("SQLite3 Multiple Ciphers 2.4.0 (Ulrich Telle and Frank Denis, MIT licence) on SQLite "
                 "3.53.4 (public domain), with SHA-2 code by Olivier Gay (BSD licence), built into the "
                 "program.")
            << "\n\n"
            << _("In the Debian package, the complete licence texts are in /usr/share/doc/berkas/copyright.");
    info.SetLicence(licence);
    return info;
}

void showAbout(wxWindow* parent)
{
    wxAboutBox(aboutInfo(), parent);
}

} // namespace berkas::desktop
