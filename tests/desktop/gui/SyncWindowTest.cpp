// The window against a real berkas-server process: the first-run "connect to
// the central office" flow, syncs through the window's worker, the status bar,
// and a record created in the window reaching a second laptop.
#include "tests/desktop/gui/GuiFixture.h"
#include "tests/support/ChildProcess.h"

#include "desktop/ListPanel.h"
#include "desktop/RecordEditor.h"
#include "desktop/Session.h"
#include "desktop/StartFlow.h"
#include "model/RecordPager.h"

#include <wx/button.h>
#include <wx/radiobut.h>
#include <wx/textctrl.h>

#include <Poco/Environment.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

using namespace berkas;
using berkas::test::pumpEvents;
using berkas::test::TempDir;

namespace {

constexpr const char* kPassword = "kata-sandi-uji-1";

// Status bar fields of MainFrame.
enum
{
    kMessage,
    kConnection,
    kLastSync,
    kWaiting,
    kConflictCount
};

using Run = test::ProcessResult;

/// Runs a binary to completion with @p input on its standard input.
Run run(const std::string& binary, const std::vector<std::string>& args, const std::string& input = "")
{
    Poco::Process::Env env;
    env["BERKAS_PASSWORD"] = kPassword; // for an encrypted laptop's headless commands
    return test::runProcess(binary, args, input, env);
}

Run berkasCli(const std::string& data, std::vector<std::string> args, const std::string& input = "")
{
    args.insert(args.begin(), "--data=" + data);
    return run(BERKAS_BINARY, args, input);
}

/// A real berkas-server process on a free port of 127.0.0.1.
struct ServerProcess
{
    std::string data;
    std::unique_ptr<Poco::ProcessHandle> handle;
    std::unique_ptr<Poco::Pipe> out;
    int port = 0;

    explicit ServerProcess(std::string dir) : data(std::move(dir))
    {
        Poco::File(data).createDirectories();
        std::ofstream(data + "/test.properties") << "auth.pbkdf2_iterations=1000\n";
    }
    ~ServerProcess()
    {
        if (handle)
        {
            Poco::Process::kill(*handle);
            handle->wait();
        }
    }
    void addUser(const std::string& name)
    {
        const Run r = run(BERKAS_SERVER_BINARY,
                          {"--data=" + data, "--config=" + data + "/test.properties", "user", "add", name, "--role=manager"},
                          std::string(kPassword) + "\n");
        INFO(r.err);
        REQUIRE(r.code == 0);
    }
    void start()
    {
        out = std::make_unique<Poco::Pipe>();
        handle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
            BERKAS_SERVER_BINARY, {"--data=" + data, "--port=0", "--plain-http"}, nullptr, out.get(), nullptr));
        Poco::PipeInputStream stream(*out);
        std::string line;
        std::getline(stream, line); // "listening on 127.0.0.1:PORT"
        REQUIRE(line.rfind("listening on ", 0) == 0);
        port = std::stoi(line.substr(line.rfind(':') + 1));
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

void click(wxWindow* window, int id)
{
    wxCommandEvent e(wxEVT_BUTTON, id);
    e.SetEventObject(window);
    window->ProcessWindowEvent(e);
    pumpEvents();
}

void typeText(wxTextCtrl* box, const std::string& text)
{
    box->SetValue(wxString::FromUTF8(text.c_str())); // fires wxEVT_TEXT as typing does
}

/// Pumps events until @p done, at most @p seconds.
template <typename F>
bool waitUntil(F done, int seconds = 60)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until)
    {
        pumpEvents();
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

/// Presses "Sync now" and waits until the worker's result reached the status bar.
void syncThroughWindow(desktop::MainFrame& frame)
{
    frame.SetStatusText("", kMessage);
    frame.syncNow();
    const bool done = waitUntil([&] {
        const wxString m = frame.statusText(kMessage);
        return m.StartsWith("Synced:") || m.StartsWith("Sync failed") || m.StartsWith("The central office cannot") ||
               m.StartsWith("Log in again");
    });
    INFO("status: " << frame.statusText(kMessage));
    REQUIRE(done);
    REQUIRE(frame.statusText(kMessage).StartsWith("Synced:"));
}

std::unique_ptr<desktop::MainFrame, void (*)(desktop::MainFrame*)> openWindow(
    const std::string& dataDir, std::shared_ptr<desktop::Session> session = nullptr)
{
    desktop::WindowOptions o;
    o.dataDir = dataDir;
    o.session = std::move(session);
    o.language = "en";
    o.autoSync = false; // the test presses "Sync now" itself
    auto* frame = new desktop::MainFrame(o);
    frame->Show();
    pumpEvents();
    return {frame, [](desktop::MainFrame* f) {
                f->Destroy();
                pumpEvents();
            }};
}

} // namespace

TEST_CASE("MainFrame: enrolls through the first-run dialog and syncs with a real berkas-server", "[gui][sync]")
{
    TempDir dir;
    ServerProcess server(dir.path + "/server");
    server.addUser("ani");
    server.start();
    const std::string laptopA = dir.path + "/a";
    const std::string laptopB = dir.path + "/b";

    // The command line's laptop B unlocks its encrypted folder as a script does.
    setenv("BERKAS_PASSWORD", kPassword, 1);

    // First run on laptop A: "connect to the central office". The session
    // the dialog enrolls (and encrypts) goes on to the window, unlocked.
    const auto sessionA = std::make_shared<desktop::Session>(laptopA);
    {
        desktop::FirstRunDialog first(sessionA);
        first.Show();
        pumpEvents();
        first.connectChoice()->SetValue(true);
        wxCommandEvent choose(wxEVT_RADIOBUTTON, first.connectChoice()->GetId());
        choose.SetEventObject(first.connectChoice());
        first.connectChoice()->ProcessWindowEvent(choose);
        CHECK(first.serverBox()->IsEnabled());

        // A wrong password is shown in the dialog, which stays open and enrolls nothing.
        typeText(first.serverBox(), server.url());
        typeText(first.userBox(), "ani");
        typeText(first.passwordBox(), "salah");
        click(&first, wxID_OK);
        // The enroll runs off the UI thread; the dialog hears back by callback.
        REQUIRE(waitUntil([&] { return !first.busy(); }));
        CHECK(first.error() == "The user name or the password is wrong.");
        CHECK(first.IsShown());
        {
            model::StoreOptions so;
            so.dataDir = laptopA;
            model::CaseStore store(so);
            CHECK(store.setting("token").empty());
        }

        // The right one enrolls.
        typeText(first.passwordBox(), kPassword);
        click(&first, wxID_OK);
        REQUIRE(waitUntil([&] { return !first.busy(); }));
        INFO("error: " << first.error());
        CHECK(first.GetReturnCode() == wxID_OK);
        CHECK_FALSE(first.IsShown());
        CHECK_FALSE(first.local());
        CHECK(first.user() == "ani");
    }

    CHECK(sessionA->folder().encrypted());
    auto frame = openWindow(laptopA, sessionA);
    auto& store = frame->store();
    CHECK(store.user() == "ani");
    // Before the first sync the window does not claim to be online.
    CHECK(frame->statusText(kConnection) == "Offline");
    CHECK(frame->statusText(kLastSync) == "Last sync: never");
    // 127.0.0.1 over http: nothing leaves the machine, no warning.
    CHECK_FALSE(frame->statusText(kConnection).Contains("not encrypted"));

    syncThroughWindow(*frame);
    CHECK(frame->statusText(kConnection) == "Online");
    CHECK_FALSE(frame->statusText(kLastSync).Contains("never"));
    CHECK(frame->statusText(kWaiting) == "Waiting to sync: 0");
    CHECK(frame->statusText(kConflictCount) == "Conflicts: 0");

    // A clerk's application, typed into the editor and saved.
    auto* editor = frame->openRecord("application", "");
    editor->typeInto("service_code", "SIPD");
    editor->typeInto("applicant_name", "Siti Aminah");
    editor->typeInto("nik", test::kValidNik);
    editor->typeInto("phone", "0812 3456 7890");
    editor->typeInto("kecamatan", "32.75.09");
    REQUIRE(editor->save());
    const std::string id = editor->recordId();
    editor->Destroy();
    pumpEvents();
    CHECK(frame->statusText(kWaiting) != "Waiting to sync: 0");
    CHECK(model::syncStateOf(store.database(), "application", id) == model::SyncState::Waiting);

    syncThroughWindow(*frame);
    CHECK(frame->statusText(kWaiting) == "Waiting to sync: 0");
    CHECK(frame->statusText(kConflictCount) == "Conflicts: 0");
    // The central office numbered it, and the list says so.
    CHECK_FALSE(store.get(id).value("reg_no").empty());
    CHECK(model::syncStateOf(store.database(), "application", id) == model::SyncState::Confirmed);

    // A second laptop, enrolled from the command line, receives it.
    Run r = berkasCli(laptopB, {"enroll", "--server=" + server.url(), "--user=ani"}, std::string(kPassword) + "\n");
    INFO(r.err);
    REQUIRE(r.code == 0);
    r = berkasCli(laptopB, {"sync"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    r = berkasCli(laptopB, {"list", "application", "--search=Siti Aminah", "--json"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find(id) != std::string::npos);
    CHECK(r.out.find(store.get(id).value("reg_no")) != std::string::npos);

    // ...and what laptop B writes reaches the window's list at the next sync.
    r = berkasCli(laptopB, {"new", "complaint", "kind=consultation", "channel=whatsapp", "complainant_name=Budi Hartono",
                            "contact=081299990000", "subject=Syarat PBG", "body=Apa saja syaratnya?"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    REQUIRE(berkasCli(laptopB, {"sync"}).code == 0);
    auto* complaints = frame->listPanel(desktop::MainFrame::kComplaints);
    const auto before = complaints->pager().count();
    syncThroughWindow(*frame);
    CHECK(complaints->pager().count() == before + 1);
    CHECK(frame->statusText(kMessage).Contains("received"));
}

TEST_CASE("MainFrame: the status bar says when sync is not encrypted over the network", "[gui][sync]")
{
    TempDir dir;
    {
        model::StoreOptions so;
        so.dataDir = dir.path;
        model::CaseStore store(so);
        // Enrolled (as far as the window can tell) with http:// to another machine.
        store.setSetting("server_url", "http://192.0.2.10:8470");
        store.setSetting("plain_http", "1");
        store.setSetting("token", "t");
    }
    auto frame = openWindow(dir.path);
    CHECK(frame->statusText(kConnection) == "Offline · not encrypted");
    frame->setWorkOffline(true);
    CHECK(frame->statusText(kConnection) == "Offline (by choice) · not encrypted");
}
