#pragma once

#include "desktop/MainFrame.h"
#include "tests/support/TempDir.h"
#include "model/CaseStore.h"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/bitmap.h>
#include <wx/dcclient.h>
#include <wx/dcmemory.h>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <catch2/catch.hpp>

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

/// Presses @p button as a click does, and lets the window react. Its test
/// fails when there is no button.
inline void click(wxButton* button)
{
    REQUIRE(button);
    wxCommandEvent e(wxEVT_BUTTON, button->GetId());
    e.SetEventObject(button);
    button->ProcessWindowEvent(e);
    pumpEvents();
}

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

/// A PBG application of Sari Wulandari (a building permit, verified in the
/// field) made in @p store; returns its id.
inline std::string newFieldApplication(model::CaseStore& store)
{
    return store.create("application", {{"service_code", "PBG"},
                                        {"applicant_name", "Sari Wulandari"},
                                        {"nik", kValidNik},
                                        {"address", "Jl. Kenanga No. 5"},
                                        {"kecamatan", "32.75.09"},
                                        {"channel", "phone"}});
}

} // namespace berkas::test
