#include "desktop/Session.h"

#include "desktop/Commands.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>

namespace berkas::desktop {

namespace {

/// Asks on the terminal, without echo, when standard input is one.
class TerminalPrompt : public model::PasswordPrompt
{
public:
    TerminalPrompt(std::istream& in, std::ostream& err, std::string dataDir)
        : m_in(in), m_err(err), m_dataDir(std::move(dataDir))
    {
    }

    std::optional<std::string> askPassword(const std::string& user) override
    {
        if (&m_in != &std::cin || !::isatty(STDIN_FILENO))
            return std::nullopt;
        m_err << "Password of " << user << " to unlock " << m_dataDir << ": " << std::flush;
        termios saved{};
        const bool quiet = ::tcgetattr(STDIN_FILENO, &saved) == 0;
        if (quiet)
        {
            termios noEcho = saved;
            noEcho.c_lflag &= static_cast<tcflag_t>(~ECHO);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &noEcho);
        }
        std::string password;
        const bool read = static_cast<bool>(std::getline(m_in, password));
        if (quiet)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        m_err << "\n";
        if (!read)
            return std::nullopt;
        if (!password.empty() && password.back() == '\r')
            password.pop_back();
        return password;
    }

private:
    std::istream& m_in;
    std::ostream& m_err;
    std::string m_dataDir;
};

std::optional<std::string> passwordFromEnvironment()
{
    if (const char* env = std::getenv(model::DataFolder::kPasswordVariable))
        return std::string(env);
    return std::nullopt;
}

} // namespace

Session::Session(std::string dataDir, unsigned keyIterations) : m_folder(std::move(dataDir), keyIterations)
{
}

std::shared_ptr<Session> Session::forCommand(const Invocation& inv)
{
    auto session = std::make_shared<Session>(inv.dataDir);
    session->unlockHeadless(inv.in ? *inv.in : std::cin, inv.err ? *inv.err : std::cerr);
    return session;
}

void Session::unlockHeadless(std::istream& in, std::ostream& err)
{
    if (!m_folder.encrypted())
        return;
    TerminalPrompt prompt(in, err, dataDir());
    m_folder.unlockHeadless("", passwordFromEnvironment(), &prompt);
}

bool Session::unlockForLogin(const std::string& user, const std::string& password, std::istream& in,
                             std::ostream& err)
{
    TerminalPrompt prompt(in, err, dataDir());
    return m_folder.unlockForLogin(user, password, passwordFromEnvironment(), &prompt);
}

} // namespace berkas::desktop
