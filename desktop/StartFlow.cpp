#include "desktop/StartFlow.h"

#include "desktop/UiText.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "sync/SyncClient.h"

#include <wx/app.h>
#include <wx/button.h>
#include <wx/dialog.h>
#include <wx/radiobut.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>
#include <wx/utils.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>

namespace berkas::desktop {

namespace {

model::StoreOptions optionsFor(const std::string& dataDir)
{
    model::StoreOptions o;
    o.dataDir = dataDir;
    return o;
}

// Runs @p work on a helper thread while the dialog keeps painting.
template <typename T>
T waitFor(std::function<T()> work)
{
    wxBusyCursor busy;
    auto future = std::async(std::launch::async, std::move(work));
    while (future.wait_for(std::chrono::milliseconds(30)) != std::future_status::ready)
        wxTheApp->Yield(true);
    return future.get();
}

class LoginDialog : public wxDialog
{
public:
    LoginDialog(const std::string& dataDir, const std::string& user, const std::string& server)
        : wxDialog(nullptr, wxID_ANY, _("Log in to Berkas")), m_dataDir(dataDir)
    {
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(new wxStaticText(this, wxID_ANY, wxString::Format(_("Central office: %s"), wxs(server))), 0, wxALL,
               FromDIP(12));
        auto* grid = new wxFlexGridSizer(2, FromDIP(wxSize(8, 6)));
        grid->AddGrowableCol(1);
        m_user = new wxTextCtrl(this, wxID_ANY, wxs(user));
        m_password = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
        grid->Add(new wxStaticText(this, wxID_ANY, _("User name")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(m_user, 1, wxEXPAND);
        grid->Add(new wxStaticText(this, wxID_ANY, _("Password")), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(m_password, 1, wxEXPAND);
        s->Add(grid, 0, wxEXPAND | wxLEFT | wxRIGHT, FromDIP(12));
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

    bool offline = false;
    std::string user() const { return utf8(m_user->GetValue()); }

private:
    void onOk(wxCommandEvent&)
    {
        const std::string user = this->user();
        const std::string password = utf8(m_password->GetValue());
        const std::string dataDir = m_dataDir;
        struct Outcome
        {
            std::string error;
            bool online = true;
        };
        const Outcome o = waitFor<Outcome>([=]() -> Outcome {
            try
            {
                model::CaseStore store(optionsFor(dataDir));
                sync::SyncClient client(store);
                return {"", client.login(user, password)};
            }
            catch (const std::exception& e)
            {
                return {e.what(), false};
            }
        });
        if (!o.error.empty())
        {
            m_error->SetLabel(wxs(o.error));
            Layout();
            Fit();
            return;
        }
        offline = !o.online;
        EndModal(wxID_OK);
    }

    std::string m_dataDir;
    wxTextCtrl* m_user;
    wxTextCtrl* m_password;
    wxStaticText* m_error;
};

} // namespace

FirstRunDialog::FirstRunDialog(const std::string& dataDir)
    : wxDialog(nullptr, wxID_ANY, _("Welcome to Berkas")), m_dataDir(dataDir)
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
    if (m_local->GetValue())
    {
        model::CaseStore store(optionsFor(m_dataDir));
        store.setSetting("start_mode", "local");
        finish();
        return;
    }
    const std::string server = utf8(m_server->GetValue());
    const std::string user = utf8(m_user->GetValue());
    const std::string password = utf8(m_password->GetValue());
    const std::string dataDir = m_dataDir;
    struct Outcome
    {
        bool ok = true;
        ErrorCode code = ErrorCode::Internal;
        std::string message;
    };
    const Outcome o = waitFor<Outcome>([=]() -> Outcome {
        try
        {
            model::CaseStore store(optionsFor(dataDir));
            sync::SyncClient client(store);
            client.enroll(server, user, password);
            store.setSetting("start_mode", "connected");
            return {};
        }
        catch (const Error& e)
        {
            return {false, e.code(), e.what()};
        }
        catch (const std::exception& e)
        {
            return {false, ErrorCode::Internal, e.what()};
        }
    });
    // The two problems a clerk can fix themselves, in their language
    // (translated here, on the UI thread).
    wxString error;
    if (!o.ok)
        error = o.code == ErrorCode::Unauthorized ? _("The user name or the password is wrong.")
                : o.code == ErrorCode::Network
                    ? _("The central office cannot be reached at this address. Check the address and the connection.")
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
}

StartResult runStartFlow(const std::string& dataDir)
{
    StartResult result;
    std::string user;
    std::string server;
    std::string mode;
    bool enrolled = false;
    {
        model::CaseStore store(optionsFor(dataDir));
        sync::SyncClient client(store);
        enrolled = client.enrolled();
        user = store.user();
        server = store.setting("server_url");
        mode = store.setting("start_mode");
    }
    if (!enrolled)
    {
        if (mode.empty())
        {
            FirstRunDialog first(dataDir);
            if (first.ShowModal() != wxID_OK)
                return result;
            if (!first.local())
            {
                // Enrolled just now, with the password typed a moment ago.
                result.proceed = true;
                result.user = first.user();
                return result;
            }
        }
        result.proceed = true;
        result.user = user;
        return result;
    }
    if (const char* env = std::getenv("BERKAS_PASSWORD"); env && *env)
    {
        try
        {
            model::CaseStore store(optionsFor(dataDir));
            sync::SyncClient client(store);
            result.offline = !client.login(user, env);
            result.proceed = true;
            result.user = user;
            return result;
        }
        catch (const Error&)
        {
            // Fall through to the dialog: the environment's password is wrong.
        }
    }
    LoginDialog login(dataDir, user, server);
    if (login.ShowModal() != wxID_OK)
        return result;
    result.proceed = true;
    result.offline = login.offline;
    result.user = login.user();
    return result;
}

} // namespace berkas::desktop
