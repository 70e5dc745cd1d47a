#pragma once

#include "desktop/MainFrame.h"
#include "tests/support/TempDir.h"
#include "model/CaseStore.h"

#include <wx/app.h>
#include <wx/bitmap.h>
#include <wx/dcclient.h>
#include <wx/dcmemory.h>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <string>

namespace berkas::test {

/// Lets queued events (CallAfter, pending events) run, as the main loop would.
inline void pumpEvents()
{
    for (int i = 0; i < 5; ++i)
    {
        wxTheApp->ProcessPendingEvents();
        wxTheApp->Yield(true);
    }
}

/// A real main frame on a fresh data folder, in English unless told.
struct FrameFixture
{
    TempDir dir;
    desktop::MainFrame* frame = nullptr;

    FrameFixture()
    {
        desktop::WindowOptions o;
        o.dataDir = dir.path;
        o.language = "en";
        o.autoSync = false;
        frame = new desktop::MainFrame(o);
        frame->Show();
        pumpEvents();
    }
    ~FrameFixture()
    {
        frame->Destroy();
        pumpEvents();
    }
};

/// Saves @p window as it shows on the screen to the test artifacts folder
/// (build/test-artifacts/@p name), for a person to look at.
inline void screenshot(wxWindow* window, const std::string& name)
{
    window->Update();
    pumpEvents();
    wxWindowDC source(window);
    const wxSize size = window->GetSize();
    wxBitmap bitmap(size.x, size.y, 24);
    wxMemoryDC target(bitmap);
    target.Blit(0, 0, size.x, size.y, &source, 0, 0);
    target.SelectObject(wxNullBitmap);
    Poco::File(BERKAS_ARTIFACTS_DIR).createDirectories();
    bitmap.SaveFile(wxString(BERKAS_ARTIFACTS_DIR) + "/" + name, wxBITMAP_TYPE_PNG);
}

/// A synthetic NIK that passes the rules: Jatiasih (32.75.09), a woman born
/// 01-01-1990, serial 0001.
inline const char* kValidNik = "3275094101900001";

} // namespace berkas::test
