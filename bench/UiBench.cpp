// Window benchmarks, printed as JSON (one object per benchmark):
//   ui-open   process start to the first painted Permohonan list, 1,000,000
//             applications (runs the real `berkas` binary with --exit-after-paint)
//   ui-search keystroke to updated and repainted list (search as you type),
//             counted until the first screenful of rows was read from the model
// Both need a display: run under `xvfb-run -a`. As every benchmark, they run
// on an encrypted data folder, as on an enrolled laptop, unless --plain (or
// BERKAS_BENCH_PLAIN) is given: a key ring with one user, whose password
// unlocks the folder the way the window does, so ui-open includes the
// unlock (PBKDF2 at KeyRing::kIterations and the unwrap of the data key).
// The data folder is made once and kept ($BERKAS_BENCH_DIR, default
// /tmp/berkas-ui-bench-1m; "-plain" appended for plain, "-N" for another
// --n=N than 1,000,000).
#include "bench/BenchStore.h"
#include "desktop/ListPanel.h"
#include "desktop/Session.h"
#include "model/CaseStore.h"

#include <wx/app.h>
#include <wx/frame.h>
#include <wx/srchctrl.h>

#include <Poco/File.h>

#include <algorithm>
#include <chrono>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace berkas::bench {

namespace {

constexpr std::int64_t kDefaultRows = 1000000;

/// The user of the benchmark's key ring and their password (synthetic).
constexpr const char* kUser = "bench.clerk";
constexpr const char* kPassword = "kata-sandi-bench-ui";

bool plain()
{
    return std::getenv(kPlainVariable) != nullptr;
}

std::string benchDir(std::int64_t rows)
{
    const char* env = std::getenv("BERKAS_BENCH_DIR");
    std::string dir = env && *env ? env : "/tmp/berkas-ui-bench-1m";
    if (rows != kDefaultRows)
        dir += "-" + std::to_string(rows);
    return plain() ? dir + "-plain" : dir;
}

/// The data folder @p dir, opened as the window opens it: a Session, whose
/// folder is unlocked with the user's password when encrypted. A new
/// folder is encrypted first (the key ring made with kPassword), unless
/// plain.
std::shared_ptr<desktop::Session> openSession(const std::string& dir)
{
    Poco::File(dir).createDirectories();
    auto session = std::make_shared<desktop::Session>(dir);
    if (session->folder().encrypted())
        session->folder().unlock(kUser, kPassword);
    else if (!plain())
        session->folder().encrypt(kUser, kPassword);
    return session;
}

// Applicant names as a clerk sees them, so that prefix searches hit a
// realistic share of rows.
void ensureData(const std::string& dir, std::int64_t rows)
{
    const auto session = openSession(dir);
    const auto store = session->openStore();
    model::Statement check(store->database(), "SELECT COUNT(*) FROM application");
    if (check.step() && check.integer(0) >= rows)
        return;
    std::cerr << "ui-bench: making " << rows << " applications in " << dir << (plain() ? "" : ", encrypted")
              << " (once)\n";
    store->database().exec(
        "WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < " + std::to_string(rows) +
        "), first(k, name) AS (VALUES (0,'Siti'),(1,'Agus'),(2,'Dewi'),(3,'Budi'),(4,'Rina'),(5,'Eko'),(6,'Nur'),"
        "(7,'Wahyu'),(8,'Putri'),(9,'Bayu'),(10,'Intan'),(11,'Rahmat'),(12,'Kartika'),(13,'Galih'),(14,'Umi'),(15,'Citra')), "
        "last(k, name) AS (VALUES (0,'Nurhaliza'),(1,'Setiawan'),(2,'Lestari'),(3,'Santoso'),(4,'Wibowo'),(5,'Hidayat'),"
        "(6,'Nasution'),(7,'Siregar'),(8,'Maharani'),(9,'Gunawan'),(10,'Permana'),(11,'Utami'),(12,'Sitompul')) "
        "INSERT INTO application (id, created_at, updated_at, provisional_no, service_code, applicant_name, nik, "
        "kecamatan, channel, status, due_date) "
        "SELECT printf('01900000-%04x-7%03x-8000-%012x', i / 65536, i % 4096, i), "
        "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1600000000 + i * 60, 'unixepoch'), "
        "strftime('%Y-%m-%dT%H:%M:%S+07:00', 1600000000 + i * 60, 'unixepoch'), printf('P-000001-%07d', i), 'SIPD', "
        "(SELECT name FROM first WHERE k = i % 16) || ' ' || (SELECT name FROM last WHERE k = (i / 16) % 13) || ' ' || i, "
        "printf('32750941019%05d', i % 100000), '32.75.09', 'counter', "
        "CASE i % 4 WHEN 0 THEN 'submitted' WHEN 1 THEN 'document_check' WHEN 2 THEN 'issued' ELSE 'draft' END, "
        "CASE WHEN i % 5 = 0 THEN date('2020-01-01', '+' || (i % 2500) || ' days') ELSE NULL END FROM x");
}

// One keystroke: the box's text changes and one wxEVT_TEXT follows, as
// typing does. (SetValue() on GTK's search entry sends two events, clear and
// insert; the second then fell into the debounce, whose timer never fires
// here, so most keystrokes were never searched at all.)
void typeInto(desktop::ListPanel& panel, const std::string& text)
{
    wxSearchCtrl* box = panel.searchBox();
    box->ChangeValue(wxString::FromUTF8(text.c_str()));
    wxCommandEvent e(wxEVT_TEXT, box->GetId());
    e.SetEventObject(box);
    e.SetString(box->GetValue());
    box->ProcessWindowEvent(e);
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

int uiOpen(const std::string& berkas, const std::string& dir, std::int64_t rows, int runs)
{
    // Without a dialog the window unlocks from BERKAS_PASSWORD, as a
    // headless command does: the same key ring unwrap as the login dialog's.
    if (plain())
        unsetenv(model::DataFolder::kPasswordVariable);
    else
        setenv(model::DataFolder::kPasswordVariable, kPassword, 1);
    std::vector<double> times;
    for (int i = 0; i < runs; ++i)
    {
        const std::string cmd = berkas + " --data=" + dir + " --lang=id --section=permohonan --exit-after-paint";
        FILE* p = popen(cmd.c_str(), "r");
        if (!p)
            return 1;
        char line[512] = {0};
        std::string out;
        while (fgets(line, sizeof line, p))
            out += line;
        pclose(p);
        const auto at = out.find("\"painted_ms\": ");
        if (at == std::string::npos)
        {
            std::cerr << "ui-open: unexpected output: " << out << "\n";
            return 1;
        }
        times.push_back(std::atof(out.c_str() + at + 14));
    }
    std::printf("{\"benchmark\": \"ui-open\", \"rows\": %lld, \"encrypted\": %s, \"runs\": %d, \"median_ms\": %.1f, "
                "\"max_ms\": %.1f, \"target_ms\": 1500}\n",
                static_cast<long long>(rows), plain() ? "false" : "true", runs, percentile(times, 0.5),
                percentile(times, 1.0));
    return 0;
}

int uiSearch(const std::string& dir, std::int64_t rows)
{
    const auto session = openSession(dir);
    const auto owned = session->openStore();
    model::CaseStore& store = *owned;
    auto* frame = new wxFrame(nullptr, wxID_ANY, "ui-search");
    desktop::ListSpec spec;
    spec.kind = "application";
    spec.columns = {{"provisional_no", 150, desktop::ListColumn::Show::Text},
                    {"applicant_name", 220, desktop::ListColumn::Show::Text},
                    {"status", 130, desktop::ListColumn::Show::Value},
                    {"due_date", 100, desktop::ListColumn::Show::Date}};
    auto* panel = new desktop::ListPanel(frame, store, spec);
    frame->SetSize(1100, 750);
    frame->Show();
    for (int i = 0; i < 5; ++i)
        wxTheApp->Yield(true);

    // What clerks type: names letter by letter, a NIK, a number; each
    // keystroke after a human pause (not measured), so none is coalesced.
    const std::vector<std::string> words = {"siti nurhaliza", "agus set", "dewi les", "3275094101900",
                                            "P-000001-00012", "kartika sitompul 99", "budi"};
    std::vector<double> times;
    std::int64_t unfetched = 0; // keystrokes whose rows were not read inside the measurement (must stay 0)
    for (const auto& word : words)
    {
        for (std::size_t n = 1; n <= word.size(); ++n)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(160));
            const std::int64_t fetched = panel->pager().stats().rowsFetched;
            const auto start = std::chrono::steady_clock::now();
            typeInto(*panel, word.substr(0, n));
            // Updated means the shown rows are there: ask the model for every
            // cell of the first screenful, as painting does. (GTK paints the
            // data view later, from its frame clock; Update() alone does not
            // reach it, so without this the page query went unmeasured.)
            frame->Update();
            const unsigned shown = std::min<unsigned>(panel->listModel().GetCount(), 30);
            wxVariant cell;
            for (unsigned row = 0; row < shown; ++row)
                for (unsigned col = 0; col < panel->listModel().GetColumnCount(); ++col)
                    panel->listModel().GetValueByRow(cell, row, col);
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            if (std::getenv("BERKAS_BENCH_VERBOSE"))
                std::fprintf(stderr, "%-24s %8.1f ms\n", ("\"" + word.substr(0, n) + "\"").c_str(), times.back());
            if (panel->pager().count() > 0 && panel->pager().stats().rowsFetched == fetched)
                ++unfetched;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(160));
        typeInto(*panel, "");
        for (int i = 0; i < 5; ++i)
            wxTheApp->Yield(true);
    }
    std::printf("{\"benchmark\": \"ui-search\", \"rows\": %lld, \"encrypted\": %s, \"keystrokes\": %zu, "
                "\"median_ms\": %.1f, \"p95_ms\": %.1f, \"max_ms\": %.1f, \"unfetched\": %lld, "
                "\"target_p95_ms\": 50}\n",
                static_cast<long long>(rows), plain() ? "false" : "true", times.size(), percentile(times, 0.5),
                percentile(times, 0.95), percentile(times, 1.0), static_cast<long long>(unfetched));
    frame->Destroy();
    return 0;
}

} // namespace

/// Runs "ui-open", "ui-search" or "ui" (both) over @p rows applications,
/// encrypted unless BERKAS_BENCH_PLAIN is set. @p berkas is the path of the
/// berkas binary (for ui-open). Needs a display. Returns an exit code.
int runUiBench(const std::string& name, const std::string& berkas, std::int64_t rows)
{
    const std::string dir = benchDir(rows);
    ensureData(dir, rows);
    int rc = 0;
    if (name == "ui-open" || name == "ui")
        rc |= uiOpen(berkas, dir, rows, 5);
    if (name == "ui-search" || name == "ui")
    {
        std::setlocale(LC_CTYPE, "C.UTF-8");
        wxApp::SetInstance(new wxApp);
        int argc = 1;
        char arg0[] = "berkas-ui-bench";
        char* argv[] = {arg0, nullptr};
        if (!wxEntryStart(argc, argv))
        {
            std::cerr << "ui-search: no display; run under xvfb-run -a\n";
            return 1;
        }
        wxTheApp->CallOnInit();
        rc |= uiSearch(dir, rows);
        wxTheApp->OnExit();
        wxEntryCleanup();
    }
    return rc;
}

} // namespace berkas::bench

#ifdef BERKAS_UI_BENCH_MAIN
// berkas-ui-bench [ui-open|ui-search|ui] [--n=ROWS] [--plain]
int main(int argc, char** argv)
{
    std::string name = "ui";
    std::int64_t rows = berkas::bench::kDefaultRows;
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (arg == "--plain")
            setenv(berkas::bench::kPlainVariable, "1", 1);
        else if (arg.rfind("--n=", 0) == 0 && std::atoll(arg.c_str() + 4) > 0)
            rows = std::atoll(arg.c_str() + 4);
        else if (arg == "ui-open" || arg == "ui-search" || arg == "ui")
            name = arg;
        else
        {
            std::cerr << "berkas-ui-bench: unknown argument \"" << arg << "\"\n"
                      << "Usage: berkas-ui-bench [ui-open|ui-search|ui] [--n=ROWS] [--plain]\n";
            return 2;
        }
    }
    std::string self = argv[0];
    const std::string berkas = self.substr(0, self.rfind('/') + 1) + "berkas";
    try
    {
        return berkas::bench::runUiBench(name, berkas, rows);
    }
    catch (const std::exception& e)
    {
        std::cerr << "berkas-ui-bench: " << e.what() << "\n";
        return 1;
    }
}
#endif
