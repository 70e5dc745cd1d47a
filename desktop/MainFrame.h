#pragma once

#include "desktop/Session.h"
#include "desktop/SyncWorker.h"
#include "model/CaseStore.h"

#include <wx/frame.h>
#include <wx/timer.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

class wxBookCtrlBase;
class wxFileConfig;

namespace berkas::desktop {

class ConflictPanel;
class TodayPanel;
class DashboardPanel;
class ListPanel;
class RecordEditor;

/// How the window was started.
struct WindowOptions
{
    std::string dataDir;
    /// The data folder opened (and unlocked) by the start flow; null: a
    /// session on @c dataDir, which must then need no password.
    std::shared_ptr<Session> session;
    std::string language = "id"; ///< "id" or "en"
    bool offline = false;         ///< unlocked offline: start in "work offline"
    bool autoSync = true;         ///< sync at start and every few minutes when enrolled
};

/// The main window: sections (Beranda, Permohonan, Verifikasi Lapangan,
/// Pengaduan, Antrean, Konflik, Layanan) in a side list, the menu bar, the
/// toolbar and the status bar with the sync state. Owns the UI thread's
/// CaseStore and the SyncWorker, both from one Session; sync results arrive
/// through a WindowToken and are dropped once the frame is gone (the worker
/// is joined in the destructor).
class MainFrame : public wxFrame
{
public:
    enum Section
    {
        kHome,
        kApplications,
        kTasks,
        kComplaints,
        kBookings,
        kConflicts,
        kServices,
        kSuspensions, ///< the central office's suspensions of service
        kCalendar,    ///< its calendar days (collective leave, regional days, revisions)
        kSectionCount
    };

    explicit MainFrame(WindowOptions options);
    ~MainFrame() override;

    /// Called when the person picks another language in View (the app rebuilds the window).
    std::function<void(const std::string& language)> onLanguageChange;

    model::CaseStore& store() { return *m_store; }
    /// The data folder the window works on; worker threads open their stores from it.
    std::shared_ptr<const Session> session() const { return m_session; }
    /// Section names as used by --section: beranda, permohonan, verifikasi, pengaduan, antrean, konflik, layanan.
    static const std::vector<std::string>& sectionNames();
    void showSection(int section);
    int currentSection() const;
    ListPanel* listPanel(int section) const;
    ConflictPanel* conflictPanel() const { return m_conflicts; }
    /// The verifier's day above the Field verification list.
    TodayPanel* todayPanel() const { return m_today; }

    /// Opens the editor of a record (or a new one when @p id is empty) and returns it.
    RecordEditor* openRecord(const std::string& kind, const std::string& id);
    /// Re-reads every list and the dashboard (after a write or a sync).
    void reloadAll();
    /// Starts a background sync (ignored while offline or not enrolled).
    void syncNow();
    void setWorkOffline(bool offline);
    /// The text of status bar field @p field.
    wxString statusText(int field) const;

private:
    void buildMenus();
    void buildToolBar();
    void buildSections();
    void onSyncEvent(const SyncWorker::Event& e);
    void updateStatus();
    void showOutbox();
    void exportExcel();
    void printSelectedReceipt();
    void saveState();
    void onClose(wxCloseEvent& e);

    WindowOptions m_options;
    std::shared_ptr<Session> m_session;
    std::unique_ptr<model::CaseStore> m_store;
    std::unique_ptr<wxFileConfig> m_config;
    std::unique_ptr<SyncWorker> m_worker;
    wxBookCtrlBase* m_book = nullptr;
    DashboardPanel* m_home = nullptr;
    ConflictPanel* m_conflicts = nullptr;
    TodayPanel* m_today = nullptr;
    std::vector<ListPanel*> m_lists; ///< by section; nullptr for non-list sections
    wxTimer m_syncTimer;
    bool m_enrolled = false;
    bool m_offline = false;
    bool m_syncing = false;
    bool m_reachable = false;
    bool m_plainHttpOverNetwork = false; ///< syncs over http:// to another machine
    wxString m_lastError;
    std::string m_lastSync;
};

} // namespace berkas::desktop
