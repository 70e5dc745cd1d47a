#pragma once

#include "desktop/Background.h"
#include "model/Date.h"

#include <wx/dialog.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

class wxButton;
class wxChoice;
class wxDatePickerCtrl;
class wxGauge;
class wxStaticText;
class wxTextCtrl;

namespace berkas::desktop {

class Session;

/// File → Export to Excel: a period (from/to, with "this month", "last month"
/// and "this year" as quick choices; default this month up to today), the
/// target .xlsx file, and a progress bar while the workbook is written.
///
/// The export runs off the UI thread (runInBackground) with its own CaseStore
/// from @p session; progress and the outcome come back through CallAfter and
/// are dropped once the dialog is gone. Stop (or closing the dialog) cancels;
/// model::exportExcel then leaves no file at the target.
/// Bad input (end before start, no .xlsx, a folder that does not exist or is
/// not writable) is shown in the dialog and nothing is written. After a
/// successful export the dialog offers to open the file or its folder.
class ExportDialog : public wxDialog
{
public:
    enum class State
    {
        Idle,      ///< nothing started yet, or the last attempt was refused
        Running,   ///< the worker is writing
        Done,      ///< written; the open buttons are enabled
        Cancelled, ///< stopped; nothing was written
        Failed     ///< the export threw; nothing was written
    };

    /// @p today is the office-local date the default period ends on;
    /// @p language ("id" or "en") selects the workbook's headings.
    ExportDialog(wxWindow* parent, std::shared_ptr<const Session> session, std::string language, model::Date today);
    ~ExportDialog() override;

    /// Quick choices, as in the period list.
    enum Preset
    {
        kThisMonth,
        kLastMonth,
        kThisYear,
        kCustom
    };
    void choosePreset(Preset preset);

    void setPeriod(model::Date from, model::Date to);
    model::Date from() const;
    model::Date to() const;
    void setPath(const wxString& path);
    wxString path() const;

    /// What the Export button does: checks the input and starts the worker.
    /// False (with the problem shown) when the input is refused.
    bool startExport();
    /// What Stop does while running: asks the worker to cancel.
    void cancelExport();

    State state() const { return m_state; }
    /// The message line under the progress bar (the problem, progress or outcome).
    wxString message() const;
    /// The file written by the last successful export.
    const wxString& writtenPath() const { return m_written; }

    /// Asks whether to replace an existing file typed into the path (the file
    /// dialog asks by itself). Default: a message box. Tests replace it.
    std::function<bool(const wxString& path)> confirmOverwrite;
    /// Tests only: runs on the worker thread before the export starts.
    std::function<void()> beforeWorkerExport;

private:
    void showMessage(const wxString& text);
    /// What the worker reports, as plain data (translated on the UI thread).
    struct Outcome
    {
        State state = State::Failed;
        std::string path;
        std::int64_t applications = 0;
        std::int64_t complaints = 0;
        std::string error;
    };

    void buildControls();
    void onBrowse();
    void onPresetChosen();
    void onDateChanged();
    void onCancelButton();
    void onClose(wxCloseEvent& e);
    void onProgress(std::int64_t done, std::int64_t total);
    void onFinished(const Outcome& outcome);
    void showProblem(const wxString& problem);
    void updateButtons();
    wxString checkInput() const;
    void openWritten(bool folder);

    std::shared_ptr<const Session> m_session;
    std::string m_language;
    model::Date m_today;
    State m_state = State::Idle;
    bool m_closeWhenStopped = false;
    wxString m_written;
    wxString m_overwriteConfirmed;
    /// Set on the UI thread, polled by the worker between rows and sheets.
    std::shared_ptr<std::atomic<bool>> m_cancelled;
    BackgroundJob m_job;

    wxChoice* m_preset = nullptr;
    wxDatePickerCtrl* m_from = nullptr;
    wxDatePickerCtrl* m_to = nullptr;
    wxTextCtrl* m_path = nullptr;
    wxButton* m_browse = nullptr;
    wxGauge* m_gauge = nullptr;
    wxStaticText* m_message = nullptr;
    wxString m_messageText;
    wxButton* m_openFile = nullptr;
    wxButton* m_openFolder = nullptr;
    wxButton* m_export = nullptr;
    wxButton* m_cancel = nullptr;
};

} // namespace berkas::desktop
