#pragma once

#include <wx/dialog.h>

#include <string>

class wxRadioButton;
class wxStaticText;
class wxTextCtrl;

namespace berkas::desktop {

/// What the start flow decided.
struct StartResult
{
    bool proceed = false;  ///< false: the person quit
    bool offline = false;  ///< unlocked offline (the server was unreachable)
    std::string user;
};

/// Before the main window: on first run asks "work on this computer only"
/// or "connect to the central office" (server, user, password: enroll);
/// when enrolled asks for the password (login, offline unlock when the server
/// is unreachable). BERKAS_PASSWORD, when set, is used instead of asking.
/// Network calls run on a helper thread with their own CaseStore while the
/// dialog stays responsive.
StartResult runStartFlow(const std::string& dataDir);

/// The first-run choice: "work on this computer only" or "connect to the
/// central office" (server address, user, password). OK with "connect"
/// enrolls this laptop on a helper thread (the dialog keeps painting); a
/// failure is shown in the dialog, which stays open. Public so that tests
/// can drive it through its own handlers.
class FirstRunDialog : public wxDialog
{
public:
    explicit FirstRunDialog(const std::string& dataDir);

    std::string user() const;
    bool local() const;
    /// The problem shown after a failed enroll ("" when none).
    wxString error() const;

    wxRadioButton* localChoice() const { return m_local; }
    wxRadioButton* connectChoice() const { return m_connect; }
    wxTextCtrl* serverBox() const { return m_server; }
    wxTextCtrl* userBox() const { return m_user; }
    wxTextCtrl* passwordBox() const { return m_password; }

private:
    void onOk(wxCommandEvent&);
    void finish();

    std::string m_dataDir;
    wxRadioButton* m_local;
    wxRadioButton* m_connect;
    wxTextCtrl* m_server;
    wxTextCtrl* m_user;
    wxTextCtrl* m_password;
    wxStaticText* m_error;
};

} // namespace berkas::desktop
