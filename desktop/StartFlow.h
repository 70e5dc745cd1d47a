#pragma once

#include <string>

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

} // namespace berkas::desktop
