#include "desktop/App.h"

#include "desktop/CommandLine.h"
#include "desktop/Language.h"
#include "desktop/ListPanel.h"
#include "desktop/MainFrame.h"
#include "desktop/RecordEditor.h"
#include "desktop/Session.h"
#include "desktop/StartFlow.h"
#include "desktop/UiText.h"

#include <wx/app.h>
#include <wx/dataview.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/fileconf.h>
#include <wx/image.h>
#include <wx/timer.h>

#include <clocale>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace berkas::desktop {

namespace {

struct AppOptions
{
    std::string dataDir;
    std::string language; ///< empty: remembered, else Indonesian
    std::string screenshot;
    std::string section;
    bool openFirst = false;
    bool exitAfterPaint = false;
    std::string executable;
};

// Milliseconds since this process started, from the kernel's start time (in
// clock ticks since boot) and the boot-time clock.
double msSinceProcessStart()
{
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    // Fields after the command name start at 3 (state); starttime is field 22.
    for (int i = 3; i < 22 && rest >> field; ++i)
    {
    }
    unsigned long long start = 0;
    rest >> start;
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double nowMs = static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
    return nowMs - static_cast<double>(start) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool saveScreenshot(wxWindow* window, const std::string& path)
{
    window->Update();
    const wxRect r = window->GetScreenRect();
    wxBitmap bmp(r.width, r.height);
    wxMemoryDC mem(bmp);
    wxScreenDC screen;
    mem.Blit(0, 0, r.width, r.height, &screen, r.x, r.y);
    mem.SelectObject(wxNullBitmap);
    return bmp.ConvertToImage().SaveFile(wxs(path), wxBITMAP_TYPE_PNG);
}

class BerkasApp : public wxApp
{
public:
    explicit BerkasApp(AppOptions options) : m_options(std::move(options)) {}

    bool OnInit() override
    {
        wxInitAllImageHandlers();
        SetAppName("berkas");
        wxFileConfig config("berkas", "", wxs(m_options.dataDir + "/window.ini"), "", wxCONFIG_USE_LOCAL_FILE);
        m_language = !m_options.language.empty() ? m_options.language : utf8(config.Read("/language", "id"));
        if (m_language != "en")
            m_language = "id";
        setInterfaceLanguage(m_language, m_options.executable);

        WindowOptions w;
        w.dataDir = m_options.dataDir;
        w.language = m_language;
        const bool unattended = !m_options.screenshot.empty() || m_options.exitAfterPaint;
        if (!unattended)
        {
            const StartResult start = runStartFlow(m_options.dataDir);
            if (!start.proceed)
                return false;
            w.offline = start.offline;
            w.session = start.session;
            m_user = start.user;
        }
        else
        {
            // No dialog: an encrypted folder unlocks as a headless command does.
            w.session = std::make_shared<Session>(m_options.dataDir);
            w.session->unlockHeadless(std::cin, std::cerr);
            w.autoSync = false;
        }
        m_window = w;
        openFrame();
        return true;
    }

private:
    void openFrame()
    {
        auto* frame = new MainFrame(m_window);
        if (!m_user.empty())
            frame->store().setUser(m_user);
        frame->onLanguageChange = [this, frame](const std::string& language) {
            m_window.language = language;
            setInterfaceLanguage(language, m_options.executable);
            if (frame->Close())
                openFrame();
        };
        if (!m_options.section.empty())
        {
            const auto& names = MainFrame::sectionNames();
            const auto it = std::find(names.begin(), names.end(), m_options.section);
            frame->showSection(it == names.end() ? 0 : static_cast<int>(it - names.begin()));
        }
        frame->Show();
        SetTopWindow(frame);
        if (m_options.exitAfterPaint)
            watchFirstPaint(frame);
        else if (!m_options.screenshot.empty())
            takeScreenshot(frame);
    }

    void watchFirstPaint(MainFrame* frame)
    {
        Bind(wxEVT_IDLE, [this, frame](wxIdleEvent& e) {
            auto* list = frame->listPanel(frame->currentSection());
            if (!list || list->pager().stats().rowsFetched == 0)
            {
                e.RequestMore();
                return;
            }
            frame->Update();
            std::cout << "{\"painted_ms\": " << msSinceProcessStart() << ", \"rows\": " << list->pager().count()
                      << ", \"rows_fetched\": " << list->pager().stats().rowsFetched << "}" << std::endl;
            frame->Destroy();
            ExitMainLoop();
        });
    }

    void takeScreenshot(MainFrame* frame)
    {
        wxWindow* target = frame;
        if (m_options.openFirst)
        {
            auto* list = frame->listPanel(frame->currentSection());
            if (list && list->pager().count() > 0)
            {
                // The most telling record: the first one that is not a draft.
                std::string id = list->pager().row(0).id;
                for (std::int64_t i = 0; i < std::min<std::int64_t>(list->pager().count(), 50); ++i)
                    if (!list->pager().row(i).values.empty() && list->pager().row(i).sync != model::SyncState::Local)
                    {
                        id = list->pager().row(i).id;
                        break;
                    }
                target = frame->openRecord(list->spec().kind, id);
            }
        }
        m_shotTimer.Bind(wxEVT_TIMER, [this, frame, target](wxTimerEvent&) {
            const bool ok = saveScreenshot(target, m_options.screenshot);
            std::cout << (ok ? "saved " : "could not save ") << m_options.screenshot << std::endl;
            m_exitCode = ok ? 0 : 1;
            frame->Destroy();
            ExitMainLoop();
        });
        m_shotTimer.StartOnce(1200);
    }

public:
    int OnExit() override { return wxApp::OnExit(); }
    int exitCode() const { return m_exitCode; }

private:
    AppOptions m_options;
    WindowOptions m_window;
    std::string m_language;
    std::string m_user;
    wxTimer m_shotTimer;
    int m_exitCode = 0;
};

} // namespace

int runWindow(int argc, char** argv, const std::vector<std::string>& args)
{
    AppOptions options;
    options.executable = argc > 0 ? argv[0] : "berkas";
    for (const auto& a : args)
    {
        const auto eq = a.find('=');
        const std::string name = a.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : a.substr(eq + 1);
        if (name == "--data")
            options.dataDir = value;
        else if (name == "--lang")
            options.language = value;
        else if (name == "--screenshot")
            options.screenshot = value;
        else if (name == "--section")
            options.section = value;
        else if (name == "--open-first")
            options.openFirst = true;
        else if (name == "--exit-after-paint")
            options.exitAfterPaint = true;
        else
        {
            std::cerr << "berkas: unknown option " << name << " (see: berkas --help)\n";
            return kExitUsage;
        }
    }
    if (!options.language.empty() && options.language != "id" && options.language != "en")
    {
        std::cerr << "berkas: --lang must be id or en, got \"" << options.language << "\"\n";
        return kExitUsage;
    }
    if (options.dataDir.empty())
        options.dataDir = CommandLine::defaultDataDir();
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
    {
        std::cerr << "berkas: no display to open the window on (DISPLAY is not set); "
                     "run a command instead, e.g. berkas list application (see: berkas --help)\n";
        return kExitError;
    }

    // wx converts narrow strings with the C library's locale: make it UTF-8
    // (the data is UTF-8) without changing number or date formats.
    std::setlocale(LC_CTYPE, "C.UTF-8");

    auto* app = new BerkasApp(options);
    wxApp::SetInstance(app);
    int argcCopy = 1;
    char* argvCopy[] = {argv[0], nullptr};
    if (!wxEntryStart(argcCopy, argvCopy))
    {
        std::cerr << "berkas: cannot open the window (no usable display)\n";
        return kExitError;
    }
    int code = kExitOk;
    try
    {
        if (wxTheApp->CallOnInit())
        {
            wxTheApp->OnRun();
            code = app->exitCode();
        }
        wxTheApp->OnExit();
    }
    catch (const std::exception& e)
    {
        std::cerr << "berkas: " << e.what() << "\n";
        code = kExitError;
    }
    wxEntryCleanup();
    return code;
}

} // namespace berkas::desktop
