#pragma once

#include "desktop/Background.h"

#include <wx/dialog.h>
#include <wx/utils.h>

#include <memory>
#include <string>

class wxRadioButton;
class wxStaticText;
class wxTextCtrl;

namespace berkas::desktop {

class Session;

/// What the start flow decided.
struct StartResult
{
    bool proceed = false;  ///< false: the person quit
    bool offline = false;  ///< unlocked offline (the server was unreachable)
    std::string user;
    /// The data folder, unlocked when its data is encrypted: the window's.
    std::shared_ptr<Session> session;
};

/// Before the main window: on first run asks "work on this computer only"
/// or "connect to the central office" (server, user, password: enroll);
/// when enrolled, or when the data is encrypted (DATA/keys.json), asks for
/// the password, which unlocks the data key and logs in (offline unlock when
/// the server is unreachable). BERKAS_PASSWORD, when set, is used instead of
/// asking. Network calls and unlocking run off the UI thread
/// (runInBackground) while the dialog stays responsive.
StartResult runStartFlow(const std::string& dataDir);

/// The first-run choice: "work on this computer only" or "connect to the
/// central office" (server address, user, password). OK with "connect"
/// enrolls this laptop off the UI thread (the dialog keeps painting; busy()
/// until the answer is back); a failure is shown in the dialog, which stays
/// open. Public so that tests can drive it through its own handlers.
class FirstRunDialog : public wxDialog
{
public:
    explicit FirstRunDialog(std::shared_ptr<Session> session);

    std::string user() const;
    bool local() const;
    /// The problem shown after a failed enroll ("" when none).
    wxString error() const;
    /// True while an enroll is under way.
    bool busy() const { return m_busy; }

    wxRadioButton* localChoice() const { return m_local; }
    wxRadioButton* connectChoice() const { return m_connect; }
    wxTextCtrl* serverBox() const { return m_server; }
    wxTextCtrl* userBox() const { return m_user; }
    wxTextCtrl* passwordBox() const { return m_password; }

private:
    void onOk(wxCommandEvent&);
    void finish();

    std::shared_ptr<Session> m_session;
    bool m_busy = false;
    std::unique_ptr<wxBusyCursor> m_busyCursor;
    BackgroundJob m_job;
    wxRadioButton* m_local;
    wxRadioButton* m_connect;
    wxTextCtrl* m_server;
    wxTextCtrl* m_user;
    wxTextCtrl* m_password;
    wxStaticText* m_error;
};

} // namespace berkas::desktop
