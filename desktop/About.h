#pragma once

#include <wx/aboutdlg.h>

class wxWindow;

namespace berkas::desktop {

/// What Help > About shows, in the interface language: the name, the
/// version (model::version(), the same as `berkas --version`), what Berkas
/// is for, and as its licence text the sources and licences of the data and
/// code built into or shipped with the binary (the region list under the
/// ODbL, the holiday calendar, SQLite3 Multiple Ciphers), with where the
/// full licence texts are.
wxAboutDialogInfo aboutInfo();

/// Shows aboutInfo() (GTK's own dialog on Linux), modal to @p parent.
void showAbout(wxWindow* parent);

} // namespace berkas::desktop
