// The window's one way to run work off the UI thread (desktop/Background.h)
// and its Session: the start flow unlocks an encrypted folder, and the frame
// and its workers open their stores from it.
#include "tests/desktop/gui/GuiFixture.h"

#include "desktop/Background.h"
#include "desktop/Session.h"
#include "desktop/StartFlow.h"
#include "model/AttachmentFiles.h"
#include "model/Error.h"
#include "model/KeyRing.h"

#include <wx/frame.h>
#include <wx/weakref.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iterator>
#include <thread>

using namespace berkas;
using berkas::test::pumpEvents;
using berkas::test::TempDir;

namespace {

/// Pumps events until @p done, at most ten seconds.
template <typename F>
bool waitUntil(F done)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until)
    {
        pumpEvents();
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

} // namespace

TEST_CASE("runInBackground: the result reaches its window on the UI thread, and only while it exists",
          "[gui][background]")
{
    const std::thread::id ui = std::this_thread::get_id();
    auto* window = new wxFrame(nullptr, wxID_ANY, "owner");
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::thread::id workedOn;
    int delivered = 0;
    std::thread::id deliveredOn;
    std::string failure;

    SECTION("a live window gets the result")
    {
        desktop::BackgroundJob job = desktop::runInBackground<int>(
            window,
            [&workedOn, released] {
                workedOn = std::this_thread::get_id();
                released.wait();
                return 42;
            },
            [&](int value) {
                delivered = value;
                deliveredOn = std::this_thread::get_id();
            },
            [&](const std::string& error) { failure = error; });
        // The UI thread is free while the work waits.
        pumpEvents();
        CHECK(delivered == 0);
        release.set_value();
        REQUIRE(waitUntil([&] { return delivered != 0; }));
        CHECK(delivered == 42);
        CHECK(deliveredOn == ui);
        CHECK(workedOn != ui);
        CHECK(failure.empty());
        window->Destroy();
        pumpEvents();
    }
    SECTION("an exception that escapes the work is handed over as its message")
    {
        desktop::BackgroundJob job = desktop::runInBackground<int>(
            window, []() -> int { throw Error(ErrorCode::Network, "the central office cannot be reached"); },
            [&](int value) { delivered = value; }, [&](const std::string& error) { failure = error; });
        REQUIRE(waitUntil([&] { return !failure.empty(); }));
        CHECK(failure == "the central office cannot be reached");
        CHECK(delivered == 0);
        window->Destroy();
        pumpEvents();
    }
    SECTION("a window closed before the work ends never hears of it")
    {
        {
            desktop::BackgroundJob job = desktop::runInBackground<int>(
                window,
                [released] {
                    released.wait();
                    return 42;
                },
                [&](int value) { delivered = value; }, [&](const std::string& error) { failure = error; });
            wxWeakRef<wxWindow> gone(window);
            window->Destroy();
            pumpEvents();
            REQUIRE_FALSE(gone);
            release.set_value();
        } // the job waits for its thread, which has posted the result by then
        pumpEvents();
        pumpEvents();
        CHECK(delivered == 0);
        CHECK(failure.empty());
    }
}

TEST_CASE("Start flow: an encrypted folder is unlocked with BERKAS_PASSWORD, and the window's stores get the key",
          "[gui][session][keys]")
{
    TempDir dir;
    {
        model::StoreOptions o;
        o.dataDir = dir.path;
        model::CaseStore store(o);
        store.setUser("siti");
        store.setSetting("start_mode", "local");
    }
    const std::string key = model::KeyRing(dir.path, 1000).create("siti", "sandi-siti-1");

    // Until it is unlocked, no store opens on it.
    CHECK_THROWS_WITH(desktop::Session(dir.path).openStore(), Catch::Contains("is encrypted and not unlocked"));

    ::setenv("BERKAS_PASSWORD", "sandi-siti-1", 1);
    const desktop::StartResult start = desktop::runStartFlow(dir.path);
    ::unsetenv("BERKAS_PASSWORD");
    REQUIRE(start.proceed);
    REQUIRE(start.session);
    CHECK(start.user == "siti");
    CHECK(start.session->folder().unlocked());

    desktop::WindowOptions o;
    o.session = start.session;
    o.language = "en";
    o.autoSync = false;
    auto* frame = new desktop::MainFrame(o);
    frame->Show();
    pumpEvents();
    CHECK(frame->store().dataKey() == key);
    CHECK(frame->session()->openStore()->dataKey() == key);

    // What the window attaches is sealed on disk.
    const std::string photo = dir.file("denah.jpg");
    std::ofstream(photo, std::ios::binary) << "JFIF... denah lokasi Jl. Kenanga No. 3";
    const std::string parent = frame->store().create("complaint", {{"kind", "complaint"},
                                                                   {"channel", "whatsapp"},
                                                                   {"complainant_name", "Budi Hartono"},
                                                                   {"contact", "081299990000"},
                                                                   {"subject", "Izin belum terbit"},
                                                                   {"body", "Sudah tiga minggu."}});
    const std::string id = model::addAttachment(frame->store(), parent, photo);
    std::ifstream stored(model::attachmentPath(dir.path, frame->store().get(id).value("sha256")), std::ios::binary);
    CHECK(model::looksSealed(std::string((std::istreambuf_iterator<char>(stored)), std::istreambuf_iterator<char>())));
    frame->Destroy();
    pumpEvents();
}
