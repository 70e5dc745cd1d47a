#include "desktop/MainFrame.h"

#include "desktop/About.h"
#include "desktop/Background.h"
#include "desktop/ConflictPanel.h"
#include "desktop/DashboardPanel.h"
#include "desktop/ExportDialog.h"
#include "desktop/ListPanel.h"
#include "desktop/TodayPanel.h"
#include "desktop/Receipt.h"
#include "desktop/RecordEditor.h"
#include "desktop/UiText.h"
#include "model/Conflict.h"
#include "model/Error.h"
#include "model/RefusedChanges.h"
#include "model/RecordPager.h"
#include "sync/SyncClient.h"

#include <wx/artprov.h>
#include <wx/dataview.h>
#include <wx/dialog.h>
#include <wx/fileconf.h>
#include <wx/imaglist.h>
#include <wx/listbook.h>
#include <wx/listctrl.h>
#include <wx/menu.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>
#include <wx/statusbr.h>
#include <wx/toolbar.h>


namespace berkas::desktop {

namespace {

enum
{
    ID_NewApplication = wxID_HIGHEST + 1,
    ID_NewComplaint,
    ID_NewBooking,
    ID_PrintReceipt,
    ID_Export,
    ID_OpenRecord,
    ID_Find,
    ID_Refresh,
    ID_SyncNow,
    ID_WorkOffline,
    ID_Outbox,
    ID_LangId,
    ID_LangEn,
    ID_Section0 // + section index
};

constexpr int kAutoSyncMs = 5 * 60 * 1000;

enum StatusField
{
    kMessage,
    kConnection,
    kLastSync,
    kWaiting,
    kConflictCount,
    kStatusFields
};

ListSpec specFor(int section, const std::string& user, const std::string& role)
{
    using S = ListColumn::Show;
    ListSpec s;
    switch (section)
    {
    case MainFrame::kApplications:
        s.kind = model::kind::kApplication;
        // Widths add up (with the sync column) to what fits beside the
        // section list in the default 1180 px window.
        s.columns = {{model::field::kRegNo, 125, S::Text},
                     {model::field::kProvisionalNo, 130, S::Text},
                     {model::field::kApplicantName, 150, S::Text},
                     {model::field::kServiceCode, 65, S::Text},
                     {model::field::kKecamatan, 105, S::Region},
                     {model::field::kStatus, 135, S::Value},
                     {model::field::kSubmittedAt, 85, S::Day},
                     {model::field::kDueDate, 85, S::Date}};
        s.dateField = model::field::kSubmittedAt;
        s.kecamatanFilter = true;
        s.serviceFilter = true;
        break;
    case MainFrame::kTasks:
        s.kind = model::kind::kTask;
        s.columns = {{model::field::kScheduledFor, 100, S::Date}, {model::field::kAssignedTo, 120, S::Text},
                     {model::field::kStatus, 110, S::Value},      {model::field::kResult, 130, S::Value},
                     {model::field::kVisitedAt, 100, S::Day},     {model::field::kFindings, 250, S::Text}};
        s.dateField = model::field::kScheduledFor;
        s.sortField = model::field::kScheduledFor;
        s.preferField = model::field::kAssignedTo;
        s.preferValue = user;
        break;
    case MainFrame::kComplaints:
        s.kind = model::kind::kComplaint;
        s.columns = {{model::field::kReceivedAt, 90, S::Day}, {model::field::kKind, 85, S::Value},
                     {model::field::kChannel, 115, S::Value}, {model::field::kComplainantName, 140, S::Text},
                     {model::field::kSubject, 170, S::Text},  {model::field::kKecamatan, 105, S::Region},
                     {model::field::kStatus, 85, S::Value},   {model::field::kDueDate, 90, S::Date}};
        s.dateField = model::field::kReceivedAt;
        s.sortField = model::field::kReceivedAt;
        s.kecamatanFilter = true;
        break;
    case MainFrame::kBookings:
        s.kind = model::kind::kBooking;
        s.columns = {{model::field::kDate, 95, S::Date},        {model::field::kSlot, 55, S::Text},
                     {model::field::kCode, 110, S::Text},       {model::field::kApplicantName, 190, S::Text},
                     {model::field::kServiceCode, 70, S::Text}, {model::field::kLocation, 170, S::Text},
                     {model::field::kStatus, 110, S::Value}};
        s.dateField = model::field::kDate;
        s.sortField = model::field::kDate;
        s.serviceFilter = true;
        break;
    case MainFrame::kServices:
        s.kind = model::kind::kService;
        s.columns = {{model::field::kCode, 55, S::Text},
                     {model::field::kName, 210, S::Text},
                     {model::field::kAgency, 150, S::Text},
                     {model::field::kSlaDays, 85, S::Text},
                     {model::field::kSuspendedFrom, 120, S::Date},
                     {model::field::kSuspendedTo, 125, S::Date},
                     {model::field::kSuspensionBasis, 185, S::Text},
                     {model::field::kExemptFromSuspension, 90, S::Value}};
        // The catalog is edited by the central office only: no sync state to show.
        s.syncColumn = false;
        s.sortField = model::field::kCode;
        s.ascending = true;
        break;
    case MainFrame::kSuspensions:
        s.kind = model::kind::kSuspension;
        s.columns = {{model::field::kInstrument, 230, S::Text}, {model::field::kNumber, 140, S::Text},
                     {model::field::kRegion, 150, S::Region},   {model::field::kDateFrom, 95, S::Date},
                     {model::field::kDateTo, 95, S::Date},      {model::field::kSteps, 230, S::Values},
                     {model::field::kExemptServices, 120, S::Text}};
        s.syncColumn = false;
        s.canCreate = role == "admin";
        s.dateField = model::field::kDateFrom;
        s.sortField = model::field::kDateFrom;
        break;
    case MainFrame::kCalendar:
        s.kind = model::kind::kCalendarDay;
        s.columns = {{model::field::kDate, 100, S::Date},
                     {model::field::kName, 320, S::Text},
                     {model::field::kKind, 150, S::Value},
                     {model::field::kRegion, 150, S::Region}};
        s.syncColumn = false;
        s.canCreate = role == "admin";
        s.dateField = model::field::kDate;
        s.sortField = model::field::kDate;
        break;
    default: break;
    }
    return s;
}

wxString sectionTitle(int section)
{
    switch (section)
    {
    case MainFrame::kHome: return _("Home");
    case MainFrame::kApplications: return _("Applications");
    case MainFrame::kTasks: return _("Field verification");
    case MainFrame::kComplaints: return _("Complaints");
    case MainFrame::kBookings: return _("Bookings");
    case MainFrame::kConflicts: return _("Conflicts");
    case MainFrame::kServices: return _("Services");
    case MainFrame::kSuspensions: return _("Suspensions");
    case MainFrame::kCalendar: return _("Calendar");
    default: return {};
    }
}

} // namespace

const std::vector<std::string>& MainFrame::sectionNames()
{
    static const std::vector<std::string> names = {"beranda", "permohonan", "verifikasi", "pengaduan",
                                                   "antrean", "konflik",    "layanan", "penghentian", "kalender"};
    return names;
}

MainFrame::MainFrame(WindowOptions options)
    : wxFrame(nullptr, wxID_ANY, "Berkas"), m_options(std::move(options)),
      m_session(m_options.session ? m_options.session : std::make_shared<Session>(m_options.dataDir)),
      m_syncTimer(this)
{
    m_store = m_session->openStore();
    model::ensureOutboxIndex(*m_store);
    m_config = std::make_unique<wxFileConfig>("berkas", "", wxs(m_session->dataDir() + "/window.ini"), "",
                                              wxCONFIG_USE_LOCAL_FILE);
    {
        sync::SyncClient client(*m_store);
        m_enrolled = client.enrolled();
        m_plainHttpOverNetwork = m_enrolled && client.plainHttpOverNetwork();
    }
    m_offline = m_options.offline;
    SetTitle(wxs("Berkas — " + m_store->setting("office_name", "DPMPTSP")));

    buildMenus();
    buildToolBar();
    CreateStatusBar(kStatusFields);
    const int widths[kStatusFields] = {-3, -2, -3, -2, -1};
    GetStatusBar()->SetStatusWidths(kStatusFields, widths);
    buildSections();

    long w = 1180, h = 760;
    m_config->Read("/window/width", &w);
    m_config->Read("/window/height", &h);
    SetSize(FromDIP(wxSize(static_cast<int>(w), static_cast<int>(h))));
    if (m_config->ReadBool("/window/maximized", false))
        Maximize();
    showSection(static_cast<int>(m_config->ReadLong("/window/section", kHome)));
    // The dashboard's figures read every application: once the window is
    // up, and only if it still shows Beranda (the caller may pick another
    // section first). Switching to Beranda reads them again.
    CallAfter([this] {
        if (currentSection() == kHome)
            m_home->reload();
    });

    m_lastSync = m_store->setting("last_sync");
    if (m_enrolled)
    {
        // Events come from the worker thread and reach this frame only while
        // it exists; the destructor joins the worker before the frame goes.
        m_worker = std::make_unique<SyncWorker>(
            m_session, [this, token = WindowToken(this)](const SyncWorker::Event& e) {
                token.post([this, e] { onSyncEvent(e); });
            });
        m_syncTimer.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { syncNow(); });
        if (m_options.autoSync)
        {
            m_syncTimer.Start(kAutoSyncMs);
            CallAfter([this] { syncNow(); });
        }
    }
    Bind(wxEVT_CLOSE_WINDOW, &MainFrame::onClose, this);
    updateStatus();
}

MainFrame::~MainFrame()
{
    m_syncTimer.Stop();
    m_worker.reset();
}

void MainFrame::buildMenus()
{
    auto* file = new wxMenu;
    file->Append(ID_NewApplication, _("New &application\tCtrl+N"));
    file->Append(ID_NewComplaint, _("New &complaint\tCtrl+Shift+N"));
    file->Append(ID_NewBooking, _("New &booking\tCtrl+B"));
    file->AppendSeparator();
    file->Append(ID_PrintReceipt, _("&Print receipt...\tCtrl+P"));
    file->Append(ID_Export, _("&Export to Excel...\tCtrl+E"));
    file->AppendSeparator();
    file->Append(wxID_EXIT, _("&Quit\tCtrl+Q"));

    auto* edit = new wxMenu;
    edit->Append(ID_OpenRecord, _("&Open record\tCtrl+O"));
    edit->Append(ID_Find, _("&Search\tCtrl+F"));
    edit->AppendSeparator();
    edit->Append(ID_Refresh, _("&Refresh\tF5"));

    auto* view = new wxMenu;
    for (int s = 0; s < kSectionCount; ++s)
        view->Append(ID_Section0 + s, sectionTitle(s) + wxString::Format("\tCtrl+%d", s + 1));
    view->AppendSeparator();
    auto* lang = new wxMenu;
    lang->AppendRadioItem(ID_LangId, "Bahasa Indonesia");
    lang->AppendRadioItem(ID_LangEn, "English");
    lang->Check(m_options.language == "en" ? ID_LangEn : ID_LangId, true);
    view->AppendSubMenu(lang, _("&Language"));

    auto* syncMenu = new wxMenu;
    syncMenu->Append(ID_SyncNow, _("&Sync now\tF9"));
    syncMenu->AppendCheckItem(ID_WorkOffline, _("Work &offline"));
    syncMenu->Check(ID_WorkOffline, m_offline);
    syncMenu->AppendSeparator();
    syncMenu->Append(ID_Outbox, _("Changes &waiting to sync..."));

    auto* help = new wxMenu;
    help->Append(wxID_ABOUT, _("&About Berkas"));

    auto* bar = new wxMenuBar;
    bar->Append(file, _("&File"));
    bar->Append(edit, _("&Edit"));
    bar->Append(view, _("&View"));
    bar->Append(syncMenu, _("S&ync"));
    bar->Append(help, _("&Help"));
    SetMenuBar(bar);

    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openRecord(model::kind::kApplication, ""); },
         ID_NewApplication);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openRecord(model::kind::kComplaint, ""); }, ID_NewComplaint);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openRecord(model::kind::kBooking, ""); }, ID_NewBooking);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { printSelectedReceipt(); }, ID_PrintReceipt);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { exportExcel(); }, ID_Export);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        if (auto* list = listPanel(currentSection()))
            list->openSelected();
    }, ID_OpenRecord);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        if (auto* list = listPanel(currentSection()))
            list->searchBox()->SetFocus();
    }, ID_Find);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { reloadAll(); }, ID_Refresh);
    Bind(wxEVT_MENU, [this](wxCommandEvent& e) { showSection(e.GetId() - ID_Section0); }, ID_Section0,
         ID_Section0 + kSectionCount - 1);
    Bind(wxEVT_MENU, [this](wxCommandEvent& e) {
        const std::string lang = e.GetId() == ID_LangEn ? "en" : "id";
        if (lang != m_options.language && onLanguageChange)
        {
            saveState();
            m_config->Write("/language", wxs(lang));
            m_config->Flush();
            CallAfter([this, lang] { onLanguageChange(lang); });
        }
    }, ID_LangId, ID_LangEn);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { syncNow(); }, ID_SyncNow);
    Bind(wxEVT_MENU, [this](wxCommandEvent& e) { setWorkOffline(e.IsChecked()); }, ID_WorkOffline);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { showOutbox(); }, ID_Outbox);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { showAbout(this); }, wxID_ABOUT);
}

void MainFrame::buildToolBar()
{
    auto* tb = CreateToolBar(wxTB_HORIZONTAL | wxTB_TEXT | wxTB_FLAT);
    const wxSize size = FromDIP(wxSize(24, 24));
    tb->AddTool(ID_NewApplication, _("New"), wxArtProvider::GetBitmap(wxART_NEW, wxART_TOOLBAR, size),
                _("New application (Ctrl+N)"));
    tb->AddTool(ID_OpenRecord, _("Open"), wxArtProvider::GetBitmap(wxART_FILE_OPEN, wxART_TOOLBAR, size),
                _("Open the selected record (Enter)"));
    tb->AddTool(ID_Find, _("Search"), wxArtProvider::GetBitmap(wxART_FIND, wxART_TOOLBAR, size), _("Search (Ctrl+F)"));
    tb->AddSeparator();
    tb->AddTool(ID_PrintReceipt, _("Receipt"), wxArtProvider::GetBitmap(wxART_PRINT, wxART_TOOLBAR, size),
                _("Print receipt (Ctrl+P)"));
    tb->AddTool(ID_Export, _("Excel"), wxArtProvider::GetBitmap(wxART_FILE_SAVE_AS, wxART_TOOLBAR, size),
                _("Export to Excel (Ctrl+E)"));
    tb->AddSeparator();
    tb->AddTool(ID_SyncNow, _("Sync"), wxArtProvider::GetBitmap(wxART_REDO, wxART_TOOLBAR, size), _("Sync now (F9)"));
    tb->AddCheckTool(ID_WorkOffline, _("Offline"), wxArtProvider::GetBitmap(wxART_CROSS_MARK, wxART_TOOLBAR, size),
                     wxNullBitmap, _("Work offline"));
    tb->ToggleTool(ID_WorkOffline, m_offline);
    tb->Realize();
}

void MainFrame::buildSections()
{
    auto* book = new wxListbook(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLB_LEFT);
    m_book = book;
    const wxSize iconSize = FromDIP(wxSize(24, 24));
    auto* images = new wxImageList(iconSize.x, iconSize.y);
    for (const auto& art : {wxART_GO_HOME, wxART_REPORT_VIEW, wxART_FIND, wxART_QUESTION, wxART_LIST_VIEW,
                            wxART_WARNING, wxART_HELP_BOOK, wxART_CROSS_MARK, wxART_TIP})
        images->Add(wxArtProvider::GetBitmap(art, wxART_OTHER, iconSize));
    book->AssignImageList(images);

    m_lists.assign(kSectionCount, nullptr);
    for (int s = 0; s < kSectionCount; ++s)
    {
        wxWindow* page = nullptr;
        if (s == kHome)
        {
            m_home = new DashboardPanel(book, *m_store);
            m_home->onLink = [this](const std::string& name) {
                if (name == "outbox")
                    return showOutbox();
                const auto& names = sectionNames();
                const auto it = std::find(names.begin(), names.end(), name);
                if (it != names.end())
                    showSection(static_cast<int>(it - names.begin()));
            };
            page = m_home;
        }
        else if (s == kConflicts)
        {
            m_conflicts = new ConflictPanel(book, *m_store);
            m_conflicts->onResolved = [this] { reloadAll(); };
            m_conflicts->onOpen = [this](const std::string& kind, const std::string& id) { openRecord(kind, id); };
            page = m_conflicts;
        }
        else
        {
            // Field verification: the verifier's day above the whole list.
            wxWindow* parent = book;
            if (s == kTasks)
            {
                parent = new wxPanel(book);
                m_today = new TodayPanel(parent, *m_store);
                m_today->onOpen = [this](const std::string& id) { openRecord(model::kind::kTask, id); };
            }
            auto* list = new ListPanel(parent, *m_store, specFor(s, m_store->user(), m_store->setting("role")));
            list->loadState(*m_config);
            list->onOpen = [this](const std::string& kind, const std::string& id) { openRecord(kind, id); };
            list->onNew = [this](const std::string& kind) { openRecord(kind, ""); };
            m_lists[static_cast<std::size_t>(s)] = list;
            page = list;
            if (parent != book)
            {
                auto* column = new wxBoxSizer(wxVERTICAL);
                column->Add(m_today, 0, wxEXPAND);
                column->Add(list, 1, wxEXPAND);
                parent->SetSizer(column);
                page = parent;
            }
        }
        book->AddPage(page, sectionTitle(s), false, s);
    }
    book->Bind(wxEVT_LISTBOOK_PAGE_CHANGED, [this](wxBookCtrlEvent& e) {
        if (e.GetSelection() == kHome)
            m_home->reload();
        e.Skip();
    });
}

void MainFrame::showSection(int section)
{
    if (section < 0 || section >= kSectionCount)
        section = kHome;
    m_book->SetSelection(static_cast<std::size_t>(section));
}

int MainFrame::currentSection() const
{
    return m_book->GetSelection();
}

ListPanel* MainFrame::listPanel(int section) const
{
    return section >= 0 && section < kSectionCount ? m_lists[static_cast<std::size_t>(section)] : nullptr;
}

RecordEditor* MainFrame::openRecord(const std::string& kind, const std::string& id)
{
    model::FieldMap defaults;
    if (id.empty() && kind == model::kind::kApplication)
        defaults = {{model::field::kChannel, "counter"}};
    if (id.empty() && kind == model::kind::kComplaint)
        defaults = {{model::field::kKind, "complaint"}, {model::field::kChannel, "whatsapp"}};
    if (id.empty() && !m_store->setting("kecamatan").empty() && kind != model::kind::kBooking)
        defaults[model::field::kKecamatan] = m_store->setting("kecamatan");
    auto* editor = new RecordEditor(this, *m_store, kind, id, defaults);
    editor->onSaved = [this] { reloadAll(); };
    editor->Show();
    return editor;
}

void MainFrame::reloadAll()
{
    for (auto* list : m_lists)
        if (list)
            list->reload();
    if (m_today)
        m_today->reload();
    m_conflicts->reload();
    if (currentSection() == kHome)
        m_home->reload();
    updateStatus();
}

void MainFrame::syncNow()
{
    if (!m_enrolled)
    {
        SetStatusText(_("This computer works on its own; there is no central office to sync with."), kMessage);
        return;
    }
    if (m_offline || !m_worker)
    {
        SetStatusText(_("Working offline: turn off \"Work offline\" to sync."), kMessage);
        return;
    }
    m_worker->requestSync();
}

void MainFrame::setWorkOffline(bool offline)
{
    m_offline = offline;
    GetMenuBar()->Check(ID_WorkOffline, offline);
    GetToolBar()->ToggleTool(ID_WorkOffline, offline);
    if (offline && m_worker)
        m_worker->cancel();
    if (!offline)
        syncNow();
    updateStatus();
}

void MainFrame::onSyncEvent(const SyncWorker::Event& e)
{
    using T = SyncWorker::Event::Type;
    switch (e.type)
    {
    case T::Started:
        m_syncing = true;
        SetStatusText(_("Syncing..."), kMessage);
        break;
    case T::Progress:
    {
        // What the laptop is doing: sending, sending back what a central
        // office restored from a backup lost, or receiving.
        const wxString doing = e.progress.phase == "push"     ? _("sending")
                               : e.progress.phase == "replay" ? _("sending back to the restored central office")
                                                              : _("receiving");
        SetStatusText(e.progress.total > 0
                          ? wxString::Format(_("Syncing: %s %lld of %lld"),
                                             doing, static_cast<long long>(e.progress.done),
                                             static_cast<long long>(e.progress.total))
                          : wxString::Format(_("Syncing: %s %lld"),
                                             doing, static_cast<long long>(e.progress.done)),
                      kMessage);
        break;
    }
    case T::Finished:
        m_syncing = false;
        m_reachable = true;
        m_lastError.clear();
        m_lastSync = m_store->nowIso();
        m_store->setSetting("last_sync", m_lastSync);
        SetStatusText(e.summary.refused > 0
                          ? wxString::Format(_("Synced: %lld sent, %lld received, %lld conflicts; the central office "
                                               "refused %lld changes (see Conflicts)."),
                                             static_cast<long long>(e.summary.pushed),
                                             static_cast<long long>(e.summary.pulled),
                                             static_cast<long long>(e.summary.conflicts),
                                             static_cast<long long>(e.summary.refused))
                          : wxString::Format(_("Synced: %lld sent, %lld received, %lld conflicts."),
                                             static_cast<long long>(e.summary.pushed),
                                             static_cast<long long>(e.summary.pulled),
                                             static_cast<long long>(e.summary.conflicts)),
                      kMessage);
        if (e.summary.pulled > 0 || e.summary.pushed > 0)
            reloadAll();
        break;
    case T::Failed:
        m_syncing = false;
        m_reachable = !e.offline;
        m_lastError = wxs(e.error);
        // Not a modal box: the clerk keeps working, the status bar says why.
        SetStatusText(e.offline ? _("The central office cannot be reached; your work is kept on this laptop.")
                      : e.loginNeeded ? _("Log in again to sync (Sync menu).")
                                      : wxString::Format(_("Sync failed: %s"), m_lastError),
                      kMessage);
        break;
    }
    updateStatus();
}

void MainFrame::updateStatus()
{
    wxString connection;
    if (!m_enrolled)
        connection = _("Local only");
    else if (m_offline)
        connection = _("Offline (by choice)");
    else if (m_syncing)
        connection = _("Syncing");
    else
        connection = m_reachable ? _("Online") : _("Offline");
    // Names, NIKs and the login token cross the network in the clear: say so
    // where the connection is shown, not only in the logs.
    if (m_enrolled && m_plainHttpOverNetwork)
        connection += wxs(" · ") + _("not encrypted");
    SetStatusText(connection, kConnection);
    SetStatusText(_("Last sync:") + " " + (m_lastSync.empty() ? _("never") : displayDate(m_lastSync)), kLastSync);
    const auto waiting = m_store->outboxSize();
    SetStatusText(wxString::Format(_("Waiting to sync: %lld"), static_cast<long long>(waiting)), kWaiting);
    // Refused changes wait in the same view as conflicts, so they count here too.
    const auto toSettle = model::countOpenConflicts(*m_store) +
                          static_cast<std::int64_t>(model::RefusedChanges(*m_store).open().size());
    SetStatusText(wxString::Format(_("Conflicts: %lld"), static_cast<long long>(toSettle)), kConflictCount);
}

wxString MainFrame::statusText(int field) const
{
    return GetStatusBar()->GetStatusText(field);
}

void MainFrame::showOutbox()
{
    wxDialog dlg(this, wxID_ANY, _("Changes waiting to sync"), wxDefaultPosition, FromDIP(wxSize(820, 480)),
                 wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER);
    auto* s = new wxBoxSizer(wxVERTICAL);
    const auto total = m_store->outboxSize();
    s->Add(new wxStaticText(&dlg, wxID_ANY,
                            wxString::Format(_("%lld changes are kept on this laptop until the central office confirms them."),
                                             static_cast<long long>(total))),
           0, wxALL, FromDIP(8));
    auto* list = new wxListCtrl(&dlg, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    list->AppendColumn(_("No."), wxLIST_FORMAT_RIGHT, FromDIP(60));
    list->AppendColumn(_("Record"), wxLIST_FORMAT_LEFT, FromDIP(120));
    list->AppendColumn(_("Field"), wxLIST_FORMAT_LEFT, FromDIP(140));
    list->AppendColumn(_("New value"), wxLIST_FORMAT_LEFT, FromDIP(260));
    list->AppendColumn(_("Who"), wxLIST_FORMAT_LEFT, FromDIP(90));
    list->AppendColumn(_("Record id"), wxLIST_FORMAT_LEFT, FromDIP(120));
    for (const auto& o : m_store->outbox(500))
    {
        const long i = list->InsertItem(list->GetItemCount(), wxString::Format("%lld", static_cast<long long>(o.seq)));
        list->SetItem(i, 1, kindTitle(o.kind));
        list->SetItem(i, 2, fieldLabel(o.kind, o.field));
        list->SetItem(i, 3, o.value ? wxs(*o.value) : _("(empty)"));
        list->SetItem(i, 4, wxs(o.user));
        list->SetItem(i, 5, wxs(o.recordId.substr(0, 13)));
    }
    s->Add(list, 1, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(8));
    if (total > 500)
        s->Add(new wxStaticText(&dlg, wxID_ANY, _("Showing the first 500.")), 0, wxALL, FromDIP(8));
    s->Add(dlg.CreateButtonSizer(wxCLOSE), 0, wxEXPAND | wxALL, FromDIP(8));
    dlg.SetSizer(s);
    dlg.SetEscapeId(wxID_CLOSE);
    dlg.SetAffirmativeId(wxID_CLOSE);
    dlg.ShowModal();
}

void MainFrame::printSelectedReceipt()
{
    // An application's receipt, or a booking's confirmation in Bookings.
    const int section = currentSection();
    const bool printable = section == kApplications || section == kBookings;
    auto* list = printable ? listPanel(section) : nullptr;
    const wxDataViewItem item = list ? list->view()->GetSelection() : wxDataViewItem();
    if (!item.IsOk())
    {
        SetStatusText(_("Select an application in Applications to print its receipt, or a booking in Bookings to "
                        "print its confirmation."),
                      kMessage);
        return;
    }
    const std::string id = list->listModel().idAt(list->listModel().GetRow(item));
    if (section == kBookings)
        showBookingConfirmationPreview(this, *m_store, m_store->get(id));
    else
        showReceiptPreview(this, *m_store, m_store->get(id));
}

void MainFrame::exportExcel()
{
    // The dialog runs the export off the UI thread with its own store and
    // keeps this window responsive; it reports progress and the outcome.
    ExportDialog dlg(this, m_session, m_options.language, m_store->today());
    dlg.ShowModal();
    if (!dlg.writtenPath().empty())
        SetStatusText(wxString::Format(_("Exported to %s."), dlg.writtenPath()), kMessage);
}

void MainFrame::saveState()
{
    if (!IsMaximized() && !IsIconized())
    {
        const wxSize size = ToDIP(GetSize());
        m_config->Write("/window/width", size.x);
        m_config->Write("/window/height", size.y);
    }
    m_config->Write("/window/maximized", IsMaximized());
    m_config->Write("/window/section", currentSection());
    for (auto* list : m_lists)
        if (list)
            list->saveState(*m_config);
    m_config->Flush();
}

void MainFrame::onClose(wxCloseEvent& e)
{
    // Editors with unsaved changes ask first; any "cancel" keeps the window open.
    for (wxWindow* child : GetChildren())
        if (auto* editor = dynamic_cast<RecordEditor*>(child))
            if (!editor->closeEditor() && e.CanVeto())
            {
                e.Veto();
                return;
            }
    saveState();
    m_syncTimer.Stop();
    m_worker.reset();
    Destroy();
}

} // namespace berkas::desktop
