#include "desktop/StartFlow.h"

#include "desktop/Session.h"
#include "desktop/UiText.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "sync/SyncClient.h"

#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/radiobut.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <cstdlib>
#include <functional>

namespace berkas::desktop {

namespace {

/// What logging in gave: the unlocked session, or why not (plain data, translated on the UI thread).
struct LoginOutcome
{
    std::shared_ptr<Session> session; ///< null when refused
    bool online = true;               ///< false: unlocked offline, the central office was unreachable
    bool keyRefused = false;          ///< the password does not unlock the data key
    std::string error;
};

/// Unlocks the data of @p dataDir with @p user's password when it is
/// encrypted, then, when enrolled, logs in (offline when the central office
/// cannot be reached). Any thread: it opens its own session and store.
LoginOutcome logIn(const std::string& dataDir, const std::string& user, const std::string& password, bool enrolled)
{
    LoginOutcome o;
    try
    {
        auto session = std::make_shared<Session>(dataDir);
        try
        {
            session->folder().unlockForLogin(user, password, std::nullopt, nullptr);
        }
        catch (const Error& e)
        {
            o.keyRefused = e.code() == ErrorCode::Unauthorized;
            throw;
        }
        if (enrolled)
        {
            {
                const auto store = session->openStore();
                sync::SyncClient client(*store);
                o.online = client.login(user, password);
            }
            // A laptop from before encryption is encrypted at this first login.
            session->folder().encrypt(user, password);
        }
        o.session = std::move(session);
    }
    catch (const std::exception& e)
    {
        o.error = e.what();
    }
    return o;
}

class LoginDialog : public wxDialog
{
public:
    LoginDialog(const std::string& dataDir, const std::string& user, const std::string& server, bool enrolled)
        : wxDialog(nullptr, wxID_ANY, _("Log in to Berkas")), m_dataDir(dataDir), m_enrolled(enrolled)
    {
        auto* s = new wxBoxSizer(wxVERTICAL);
        if (enrolled)
            s->Add(new wxStaticText(this, wxID_ANY, wxString::Format(_("Central office: %s"), wxs(server))), 0,
                   wxALL, FromDIP(12));
        auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(8, 6)));
        grid->AddGrowableCol(1);
        m_user = new wxTextCtrl(this, wxID_ANY, wxs(user));
        m_password = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
        grid->Add(new wxStaticText(this, wxID_ANY, _("User name")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(m_user, 1, wxEXPAND);
        grid->Add(new wxStaticText(this, wxID_ANY, _("Password")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(m_password, 1, wxEXPAND);
        s->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT | (enrolled ? 0 : wxTOP), FromDIP(12));
        if (enrolled)
            s->Add(new wxStaticText(this, wxID_ANY,
                                    _("Without a connection, your last good password unlocks this laptop offline.")),
                   0, wxALL, FromDIP(12));
        m_error = new wxStaticText(this, wxID_ANY, "");
        m_error->SetForegroundColour(wxColour(178, 34, 34));
        s->Add(m_error, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));
        s->Add(CreateSeparatedButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, FromDIP(12));
        SetSizerAndFit(s);
        m_password->SetFocus();
        Bind(wxEVT_BUTTON, &LoginDialog::onOk, this, wxID_OK);
    }

    std::string user() const { return utf8(m_user->GetValue()); }
    /// The outcome of the accepted login (after wxID_OK).
    const LoginOutcome& outcome() const { return m_outcome; }

private:
    void onOk(wxCommandEvent&)
    {
        if (m_busy)
            return;
        m_busy = true;
        m_busyCursor = std::make_unique<wxBusyCursor>();
        FindWindow(wxID_OK)->Disable();
        const std::string user = this->user();
        const std::string password = utf8(m_password->GetValue());
        const std::string dataDir = m_dataDir;
        const bool enrolled = m_enrolled;
        m_job = runInBackground<LoginOutcome>(
            this, [=] { return logIn(dataDir, user, password, enrolled); },
            [this](LoginOutcome o) { onAnswer(std::move(o)); },
            [this](const std::string& error) {
                LoginOutcome o;
                o.error = error;
                onAnswer(std::move(o));
            });
    }

    void onAnswer(LoginOutcome o)
    {
        m_busy = false;
        m_busyCursor.reset();
        FindWindow(wxID_OK)->Enable();
        if (!o.session)
        {
            m_error->SetLabel(o.keyRefused ? _("The password does not unlock the data on this laptop.") : wxs(o.error));
            Layout();
            Fit();
            return;
        }
        m_outcome = std::move(o);
        EndModal(wxID_OK);
    }

    std::string m_dataDir;
    bool m_enrolled;
    wxTextCtrl* m_user;
    wxTextCtrl* m_password;
    wxStaticText* m_error;
    bool m_busy = false;
    std::unique_ptr<wxBusyCursor> m_busyCursor;
    LoginOutcome m_outcome;
    BackgroundJob m_job;
};

} // namespace

FirstRunDialog::FirstRunDialog(std::shared_ptr<Session> session)
    : wxDialog(nullptr, wxID_ANY, _("Welcome to Berkas")), m_session(std::move(session))
{
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY, _("How will you use this computer?")), 0, wxALL, FromDIP(12));
    m_local = new wxRadioButton(this, wxID_ANY, _("Work on this computer only"), wxDefaultPosition, wxDefaultSize,
                                wxRB_GROUP);
    m_connect = new wxRadioButton(this, wxID_ANY, _("Connect to the central office"));
    s->Add(m_local, 0, wxLEFT | wxRIGHT, FromDIP(12));
    s->Add(m_connect, 0, wxALL, FromDIP(12));
    auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(8, 6)));
    grid->AddGrowableCol(1);
    m_server = new wxTextCtrl(this, wxID_ANY, "http://");
    m_user = new wxTextCtrl(this, wxID_ANY, "");
    m_password = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Server address")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(m_server, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("User name")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(m_user, 1, wxEXPAND);
    grid->Add(new wxStaticText(this, wxID_ANY, _("Password")), 0, wxALIGN_CENTER_VERTICAL);
    grid->Add(m_password, 1, wxEXPAND);
    s->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(28));
    m_error = new wxStaticText(this, wxID_ANY, "");
    m_error->SetForegroundColour(wxColour(178, 34, 34));
    s->Add(m_error, 0, wxEXPAND | wxALL, FromDIP(12));
    s->Add(CreateSeparatedButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, FromDIP(12));
    SetSizerAndFit(s);
    SetSize(FromDIP(wxSize(480, -1)));
    m_local->SetValue(true);
    const auto update = [this](wxCommandEvent&) {
        for (wxWindow* w : std::initializer_list<wxWindow*>{m_server, m_user, m_password})
            w->Enable(m_connect->GetValue());
    };
    wxCommandEvent dummy;
    update(dummy);
    m_local->Bind(wxEVT_RADIOBUTTON, update);
    m_connect->Bind(wxEVT_RADIOBUTTON, update);
    Bind(wxEVT_BUTTON, &FirstRunDialog::onOk, this, wxID_OK);
}

std::string FirstRunDialog::user() const
{
    return utf8(m_user->GetValue());
}

bool FirstRunDialog::local() const
{
    return m_local->GetValue();
}

wxString FirstRunDialog::error() const
{
    return m_error->GetLabel();
}

void FirstRunDialog::finish()
{
    // Shown modally by the start flow; tests show it modeless.
    if (IsModal())
        EndModal(wxID_OK);
    else
    {
        SetReturnCode(wxID_OK);
        Hide();
    }
}

void FirstRunDialog::onOk(wxCommandEvent&)
{
    if (m_busy)
        return;
    if (m_local->GetValue())
    {
        m_session->openStore()->setSetting("start_mode", "local");
        finish();
        return;
    }
    const std::string server = utf8(m_server->GetValue());
    const std::string user = utf8(m_user->GetValue());
    const std::string password = utf8(m_password->GetValue());
    const std::shared_ptr<Session> session = m_session;
    struct Outcome
    {
        bool ok = true;
        ErrorCode code = ErrorCode::Internal;
        std::string message;
    };
    // The two problems a clerk can fix themselves, in their language
    // (translated here, on the UI thread).
    const auto answer = [this](const Outcome& o) {
        m_busy = false;
        m_busyCursor.reset();
        FindWindow(wxID_OK)->Enable();
        wxString error;
        if (!o.ok)
            error = o.code == ErrorCode::Unauthorized ? _("The user name or the password is wrong.")
                    : o.code == ErrorCode::Network
                        ? _("The central office cannot be reached at this address. Check the address and the "
                            "connection.")
                        : wxs(o.message);
        if (!error.empty())
        {
            m_error->SetLabel(error);
            m_error->Wrap(FromDIP(440));
            Layout();
            Fit();
            return;
        }
        finish();
    };
    m_busy = true;
    m_busyCursor = std::make_unique<wxBusyCursor>();
    FindWindow(wxID_OK)->Disable();
    m_job = runInBackground<Outcome>(
        this,
        [=]() -> Outcome {
            try
            {
                {
                    const auto store = session->openStore();
                    sync::SyncClient client(*store);
                    client.enroll(server, user, password);
                    store->setSetting("start_mode", "connected");
                }
                // From here on the data on this laptop is encrypted.
                session->folder().encrypt(user, password);
                return {};
            }
            catch (const Error& e)
            {
                return {false, e.code(), e.what()};
            }
        },
        answer, [answer](const std::string& error) { answer({false, ErrorCode::Internal, error}); });
}

StartResult runStartFlow(const std::string& dataDir)
{
    StartResult result;
    auto session = std::make_shared<Session>(dataDir);
    const bool encrypted = session->folder().encrypted();
    std::string user;
    std::string server;
    std::string mode;
    bool enrolled = false;
    if (encrypted)
    {
        // Nothing is opened before the password is known.
        user = session->folder().defaultUser();
        server = session->folder().peekSetting("server_url");
        enrolled = !server.empty();
    }
    else
    {
        const auto store = session->openStore();
        sync::SyncClient client(*store);
        enrolled = client.enrolled();
        user = store->user();
        server = store->setting("server_url");
        mode = store->setting("start_mode");
    }
    if (!enrolled && !encrypted)
    {
        if (mode.empty())
        {
            FirstRunDialog first(session);
            if (first.ShowModal() != wxID_OK)
                return result;
            if (!first.local())
            {
                // Enrolled just now, with the password typed a moment ago.
                result.proceed = true;
                result.user = first.user();
                result.session = session;
                return result;
            }
        }
        result.proceed = true;
        result.user = user;
        result.session = session;
        return result;
    }
    if (const char* env = std::getenv(model::DataFolder::kPasswordVariable); env && *env)
    {
        // Before any window: nothing to keep responsive.
        LoginOutcome o = logIn(dataDir, user, env, enrolled);
        if (o.session)
        {
            result.proceed = true;
            result.offline = !o.online;
            result.user = user;
            result.session = std::move(o.session);
            return result;
        }
        // Fall through to the dialog: the environment's password is wrong.
    }
    LoginDialog login(dataDir, user, server, enrolled);
    if (login.ShowModal() != wxID_OK)
        return result;
    result.proceed = true;
    result.offline = !login.outcome().online;
    result.user = login.user();
    result.session = login.outcome().session;
    return result;
}

} // namespace berkas::desktop
