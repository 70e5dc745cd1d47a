#pragma once

#include "sync/server/ServerTypes.h"

#include <optional>
#include <string>
#include <vector>

namespace berkas::sync {

class ServerDatabase;

/// The central office's users and enrolled devices, each device's marks
/// (what the server took of its numbering) and the token secret. Not
/// thread-safe: ServerStore uses it under its lock.
class Accounts
{
public:
    explicit Accounts(ServerDatabase& db);

    /// Throws Error(Conflict) for a name already taken.
    void addUser(const UserAccount& user);
    std::optional<UserAccount> user(const std::string& name);
    /// Every user by name, without password hashes.
    std::vector<UserAccount> users();
    /// Throws Error(NotFound) for an unknown user.
    void setUserDisabled(const std::string& name, bool disabled);
    /// Enrolls a new device, or hands a known one to @p user (its holding is
    /// then judged afresh at its next pull).
    void enrollDevice(const std::string& deviceId, const std::string& user);
    std::optional<DeviceInfo> device(const std::string& deviceId);
    std::vector<DeviceInfo> devices();
    /// The device's marks; zeros for an unknown device.
    DeviceMarks deviceMarks(const std::string& deviceId);
    /// Throws Error(NotFound) for an unknown device.
    void revokeDevice(const std::string& deviceId);

    /// A secret for signing tokens, made at first start and kept.
    std::string tokenSecret();

private:
    ServerDatabase& m_db;
};

} // namespace berkas::sync
