#include "desktop/ExportDialog.h"

#include "desktop/Session.h"
#include "desktop/UiText.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/ExcelExport.h"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/choice.h>
#include <wx/datectrl.h>
#include <wx/dateevt.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/filesys.h>
#include <wx/gauge.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <algorithm>

namespace berkas::desktop {

namespace {

enum
{
    ID_Browse = wxID_HIGHEST + 1,
    ID_Export,
    ID_OpenFile,
    ID_OpenFolder
};

constexpr int kGaugeRange = 1000;

wxDateTime toWx(model::Date d)
{
    return wxDateTime(static_cast<wxDateTime::wxDateTime_t>(d.day()), static_cast<wxDateTime::Month>(d.month() - 1),
                      d.year());
}

model::Date fromWx(const wxDateTime& d)
{
    return model::Date(d.GetYear(), static_cast<int>(d.GetMonth()) + 1, d.GetDay());
}

bool endsWithXlsx(const wxString& path)
{
    return path.Lower().EndsWith(".xlsx");
}

} // namespace

ExportDialog::ExportDialog(wxWindow* parent, std::shared_ptr<const Session> session, std::string language,
                           model::Date today)
    : wxDialog(parent, wxID_ANY, _("Export to Excel"), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      m_session(std::move(session)), m_language(std::move(language)), m_today(today)
{
    buildControls();
    choosePreset(kThisMonth);
    wxFileName target(wxStandardPaths::Get().GetDocumentsDir(), "berkas-laporan.xlsx");
    setPath(target.GetFullPath());
    updateButtons();
}

ExportDialog::~ExportDialog()
{
    // The worker polls the flag between rows and sheets, so m_job's wait for
    // it is short.
    if (m_cancelled)
        *m_cancelled = true;
}

void ExportDialog::buildControls()
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* grid = new wxFlexGridSizer(2, wxSize(FromDIP(8), FromDIP(8)));
    grid->AddGrowableCol(1);

    grid->Add(new wxStaticText(this, wxID_ANY, _("Period:")), 0, wxALIGN_CENTER_VERTICAL);
    m_preset = new wxChoice(this, wxID_ANY);
    m_preset->Append(_("This month"));
    m_preset->Append(_("Last month"));
    m_preset->Append(_("This year"));
    m_preset->Append(_("Custom"));
    grid->Add(m_preset, 0, wxEXPAND);

    grid->Add(new wxStaticText(this, wxID_ANY, _("From:")), 0, wxALIGN_CENTER_VERTICAL);
    m_from = new wxDatePickerCtrl(this, wxID_ANY, wxDefaultDateTime, wxDefaultPosition, wxDefaultSize,
                                  wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    grid->Add(m_from, 0);
    grid->Add(new wxStaticText(this, wxID_ANY, _("To:")), 0, wxALIGN_CENTER_VERTICAL);
    m_to = new wxDatePickerCtrl(this, wxID_ANY, wxDefaultDateTime, wxDefaultPosition, wxDefaultSize,
                                wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    grid->Add(m_to, 0);

    grid->Add(new wxStaticText(this, wxID_ANY, _("File:")), 0, wxALIGN_CENTER_VERTICAL);
    auto* fileRow = new wxBoxSizer(wxHORIZONTAL);
    m_path = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(360, -1)));
    fileRow->Add(m_path, 1, wxALIGN_CENTER_VERTICAL);
    m_browse = new wxButton(this, ID_Browse, _("&Browse..."));
    fileRow->Add(m_browse, 0, wxLEFT | wxALIGN_CENTER_VERTICAL, FromDIP(6));
    grid->Add(fileRow, 1, wxEXPAND);
    top->Add(grid, 0, wxEXPAND | wxALL, FromDIP(12));

    m_gauge = new wxGauge(this, wxID_ANY, kGaugeRange, wxDefaultPosition, wxDefaultSize,
                          wxGA_HORIZONTAL | wxGA_SMOOTH);
    top->Add(m_gauge, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));
    m_message = new wxStaticText(this, wxID_ANY, "", wxDefaultPosition, FromDIP(wxSize(460, -1)),
                                 wxST_NO_AUTORESIZE);
    top->Add(m_message, 0, wxEXPAND | wxALL, FromDIP(12));

    auto* open = new wxBoxSizer(wxHORIZONTAL);
    m_openFile = new wxButton(this, ID_OpenFile, _("Open &file"));
    m_openFolder = new wxButton(this, ID_OpenFolder, _("Open f&older"));
    open->Add(m_openFile, 0);
    open->Add(m_openFolder, 0, wxLEFT, FromDIP(6));
    top->Add(open, 0, wxLEFT | wxRIGHT, FromDIP(12));

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->AddStretchSpacer();
    m_export = new wxButton(this, ID_Export, _("&Export"));
    m_cancel = new wxButton(this, wxID_CANCEL, _("Close"));
    buttons->Add(m_export, 0);
    buttons->Add(m_cancel, 0, wxLEFT, FromDIP(6));
    top->Add(buttons, 0, wxEXPAND | wxALL, FromDIP(12));
    SetSizerAndFit(top);
    m_export->SetDefault();

    m_preset->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { onPresetChosen(); });
    m_from->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent&) { onDateChanged(); });
    m_to->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent&) { onDateChanged(); });
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { onBrowse(); }, ID_Browse);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { startExport(); }, ID_Export);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openWritten(false); }, ID_OpenFile);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openWritten(true); }, ID_OpenFolder);
    Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { onCancelButton(); }, wxID_CANCEL);
    Bind(wxEVT_CLOSE_WINDOW, &ExportDialog::onClose, this);
}

void ExportDialog::choosePreset(Preset preset)
{
    m_preset->SetSelection(preset);
    const model::Date firstOfMonth(m_today.year(), m_today.month(), 1);
    switch (preset)
    {
    case kThisMonth:
        setPeriod(firstOfMonth, m_today);
        break;
    case kLastMonth:
    {
        const model::Date last = firstOfMonth.addDays(-1);
        setPeriod(model::Date(last.year(), last.month(), 1), last);
        break;
    }
    case kThisYear:
        setPeriod(model::Date(m_today.year(), 1, 1), m_today);
        break;
    case kCustom:
        break;
    }
    // setPeriod() marks the period custom; a quick choice is not.
    m_preset->SetSelection(preset);
}

void ExportDialog::setPeriod(model::Date from, model::Date to)
{
    m_from->SetValue(toWx(from));
    m_to->SetValue(toWx(to));
    m_preset->SetSelection(kCustom);
}

model::Date ExportDialog::from() const
{
    return fromWx(m_from->GetValue());
}

model::Date ExportDialog::to() const
{
    return fromWx(m_to->GetValue());
}

void ExportDialog::setPath(const wxString& path)
{
    m_path->ChangeValue(path);
}

wxString ExportDialog::path() const
{
    return m_path->GetValue().Strip(wxString::both);
}

void ExportDialog::showMessage(const wxString& text)
{
    // GTK's label wraps to the dialog's width by inserting line breaks into
    // the label itself; keep the text as written for message().
    m_messageText = text;
    m_message->SetLabel(text);
}

wxString ExportDialog::message() const
{
    return m_messageText;
}

void ExportDialog::onPresetChosen()
{
    const int selection = m_preset->GetSelection();
    if (selection >= kThisMonth && selection < kCustom)
        choosePreset(static_cast<Preset>(selection));
}

void ExportDialog::onDateChanged()
{
    m_preset->SetSelection(kCustom);
}

void ExportDialog::onBrowse()
{
    const wxFileName current(path());
    wxFileDialog dlg(this, _("Export to Excel"), current.GetPath(), current.GetFullName(),
                     _("Excel workbook (*.xlsx)|*.xlsx"), wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (dlg.ShowModal() != wxID_OK)
        return;
    wxString chosen = dlg.GetPath();
    // GTK's dialog does not add the filter's extension; the export needs it.
    if (!endsWithXlsx(chosen))
        chosen += ".xlsx";
    setPath(chosen);
    if (chosen == dlg.GetPath())
        m_overwriteConfirmed = chosen; // the file dialog asked already
}

wxString ExportDialog::checkInput() const
{
    const model::Date f = from();
    const model::Date t = to();
    if (t < f)
        return wxString::Format(_("The period ends on %s, before it starts on %s. Choose an end on or after the start."),
                                displayDate(t.toString()), displayDate(f.toString()));
    const wxString target = path();
    if (target.empty())
        return _("Choose the file to export to.");
    const wxFileName name(target);
    if (!endsWithXlsx(name.GetFullName()))
        return wxString::Format(_("The file name must end in .xlsx, got \"%s\"."), name.GetFullName());
    if (!name.IsAbsolute())
        return _("Give the full path of the file, or choose it with Browse.");
    const wxString folder = name.GetPath();
    if (!wxFileName::DirExists(folder))
        return wxString::Format(_("The folder %s does not exist."), folder);
    if (!wxFileName::IsDirWritable(folder))
        return wxString::Format(_("Cannot write in the folder %s."), folder);
    if (wxFileName::DirExists(target))
        return wxString::Format(_("%s is a folder; choose a file name."), target);
    return {};
}

bool ExportDialog::startExport()
{
    if (m_state == State::Running)
        return false;
    const wxString problem = checkInput();
    if (!problem.empty())
    {
        m_state = State::Idle;
        showProblem(problem);
        updateButtons();
        return false;
    }
    if (wxFileName::FileExists(path()) && path() != m_overwriteConfirmed)
    {
        const bool replace = confirmOverwrite
                                 ? confirmOverwrite(path())
                                 : wxMessageBox(wxString::Format(_("%s already exists. Replace it?"), path()),
                                                _("Export to Excel"), wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION,
                                                this) == wxYES;
        if (!replace)
            return false;
    }
    model::ExportOptions options;
    options.path = utf8(path());
    options.period = {from(), to()};
    options.language = m_language;

    m_cancelled = std::make_shared<std::atomic<bool>>(false);
    m_state = State::Running;
    m_written.clear();
    m_closeWhenStopped = false;
    m_message->SetForegroundColour(wxNullColour);
    showMessage(_("Reading the records..."));
    m_gauge->Pulse();
    updateButtons();

    // The worker opens its own store (a connection per thread); only plain
    // data leaves it, and the UI thread translates.
    const std::shared_ptr<std::atomic<bool>> cancelled = m_cancelled;
    const WindowToken token(this);
    std::function<void()> hook = beforeWorkerExport;
    std::shared_ptr<const Session> session = m_session;
    m_job = runInBackground<Outcome>(
        this,
        [this, cancelled, token, hook, session, options]() mutable {
            Outcome outcome;
            try
            {
                if (hook)
                    hook();
                const auto store = session->openStore();
                options.officeName = store->setting("office_name", "DPMPTSP");
                options.exportedAt = store->nowIso();
                options.keepGoing = [cancelled] { return !*cancelled; };
                options.progress = [this, token](std::int64_t done, std::int64_t total) {
                    token.post([this, done, total] { onProgress(done, total); });
                };
                const model::ExportResult result = model::exportExcel(*store, options);
                outcome.state = result.cancelled ? State::Cancelled : State::Done;
                outcome.path = result.path;
                outcome.applications = result.applicationRows;
                outcome.complaints = result.complaintRows;
            }
            catch (const std::exception& e)
            {
                outcome.state = State::Failed;
                outcome.error = e.what();
            }
            return outcome;
        },
        [this](Outcome outcome) { onFinished(outcome); },
        [this](const std::string& error) { onFinished({State::Failed, "", 0, 0, error}); });
    return true;
}

void ExportDialog::cancelExport()
{
    if (m_state != State::Running || !m_cancelled)
        return;
    *m_cancelled = true;
    showMessage(_("Stopping..."));
    m_cancel->Disable();
}

void ExportDialog::onProgress(std::int64_t done, std::int64_t total)
{
    if (m_state != State::Running || *m_cancelled)
        return;
    if (total > 0)
        m_gauge->SetValue(static_cast<int>(std::min<std::int64_t>(kGaugeRange, done * kGaugeRange / total)));
    showMessage(wxString::Format(_("%lld of %lld rows written"), static_cast<long long>(done),
                                         static_cast<long long>(total)));
}

void ExportDialog::onFinished(const Outcome& outcome)
{
    m_job.join(); // it has nothing left to do but return
    m_state = outcome.state;
    m_written = wxs(outcome.path);
    m_gauge->SetValue(m_state == State::Done ? kGaugeRange : 0);
    m_message->SetForegroundColour(wxNullColour);
    switch (m_state)
    {
    case State::Done:
        showMessage(wxString::Format(_("Exported %lld applications and %lld complaints to %s."),
                                             static_cast<long long>(outcome.applications),
                                             static_cast<long long>(outcome.complaints), m_written));
        break;
    case State::Cancelled:
        showMessage(_("Export cancelled; nothing was written."));
        break;
    default:
        showProblem(wxString::Format(_("Export failed: %s"), wxs(outcome.error)));
        break;
    }
    m_message->Wrap(m_message->GetSize().GetWidth());
    updateButtons();
    if (m_closeWhenStopped)
        EndDialog(wxID_CANCEL);
}

void ExportDialog::showProblem(const wxString& problem)
{
    m_message->SetForegroundColour(*wxRED);
    showMessage(problem);
    m_message->Wrap(m_message->GetSize().GetWidth());
    m_gauge->SetValue(0);
}

void ExportDialog::updateButtons()
{
    const bool running = m_state == State::Running;
    for (wxWindow* w : {static_cast<wxWindow*>(m_preset), static_cast<wxWindow*>(m_from),
                        static_cast<wxWindow*>(m_to), static_cast<wxWindow*>(m_path),
                        static_cast<wxWindow*>(m_browse), static_cast<wxWindow*>(m_export)})
        w->Enable(!running);
    m_cancel->Enable();
    m_cancel->SetLabel(running ? _("&Stop") : _("Close"));
    const bool done = m_state == State::Done;
    m_openFile->Enable(done);
    m_openFolder->Enable(done);
    Layout();
}

void ExportDialog::onCancelButton()
{
    if (m_state == State::Running)
        cancelExport();
    else
        EndDialog(wxID_CANCEL);
}

void ExportDialog::onClose(wxCloseEvent& e)
{
    if (m_state == State::Running && e.CanVeto())
    {
        // Closing means stop: the dialog goes once the worker has removed
        // its temporary file.
        m_closeWhenStopped = true;
        cancelExport();
        e.Veto();
        return;
    }
    e.Skip();
}

void ExportDialog::openWritten(bool folder)
{
    if (m_written.empty())
        return;
    const wxFileName file(m_written);
    const wxString target = folder ? file.GetPath() : file.GetFullPath();
    bool opened = wxLaunchDefaultApplication(target);
    if (!opened && folder)
        opened = wxLaunchDefaultBrowser(wxFileSystem::FileNameToURL(wxFileName::DirName(target)));
    if (!opened)
        showProblem(wxString::Format(_("Could not open %s."), target));
}

} // namespace berkas::desktop
