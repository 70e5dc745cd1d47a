#pragma once

#include "model/DataFolder.h"

#include <iosfwd>
#include <memory>
#include <string>

namespace berkas::desktop {

struct Invocation;

/// One data folder opened for work, shared by everything that runs on it: a
/// headless command, or the window with its sync worker and its export. It
/// holds the model::DataFolder, so the data key once unlocked (DESIGN.md:
/// a headless command takes the password from BERKAS_PASSWORD or asks on
/// the terminal; the window asks in its login dialog), and every CaseStore
/// comes from storeOptions() or openStore().
///
/// Unlock on one thread, then share it as std::shared_ptr<const Session>:
/// the const members may be used from any thread, and the key is wiped when
/// the last holder lets go. No wx: the command line uses it too.
class Session
{
public:
    explicit Session(std::string dataDir, unsigned keyIterations = model::KeyRing::kIterations);

    /// The session of a headless command on inv.dataDir, unlocked when the
    /// data is encrypted (see unlockHeadless()). Throws Error(Unauthorized)
    /// in one sentence when it cannot be unlocked; nothing is written then.
    static std::shared_ptr<Session> forCommand(const Invocation& inv);

    /// For a command without a window: when the data is encrypted, unlocks
    /// it with the stored user's password from BERKAS_PASSWORD, else asks on
    /// the terminal without echo (prompt on @p err, answer from @p in) when
    /// @p in is standard input and that is a terminal; else throws
    /// Error(Unauthorized) naming BERKAS_PASSWORD.
    void unlockHeadless(std::istream& in, std::ostream& err);

    /// For login and enroll, which read @p user's @p password themselves:
    /// model::DataFolder::unlockForLogin() with BERKAS_PASSWORD and the
    /// terminal as above. Returns false when another password unlocked, so
    /// the caller adds @p password with folder().rememberPassword() once the
    /// central office accepts it.
    bool unlockForLogin(const std::string& user, const std::string& password, std::istream& in, std::ostream& err);

    const std::string& dataDir() const { return m_folder.path(); }
    model::DataFolder& folder() { return m_folder; }
    const model::DataFolder& folder() const { return m_folder; }

    /// model::DataFolder::storeOptions(): the folder and its data key.
    model::StoreOptions storeOptions() const { return m_folder.storeOptions(); }
    /// A new store on the folder, for the calling thread.
    std::unique_ptr<model::CaseStore> openStore() const { return m_folder.openStore(); }

private:
    model::DataFolder m_folder;
};

} // namespace berkas::desktop
