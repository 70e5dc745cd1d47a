#pragma once

#include "model/StatementCache.h"

#include <string>

namespace berkas::model {

/// The stored settings of this device, in the store's meta table: its id,
/// its user, the server URL, the sync cursor, the clock's last stamp, ...
/// Writes join the caller's transaction, if any. One per store.
class DeviceSettings
{
public:
    explicit DeviceSettings(StatementCache& statements) : m_statements(statements) {}

    /// The value of @p key, or @p fallback when it was never set.
    std::string get(const std::string& key, const std::string& fallback = "");
    void set(const std::string& key, const std::string& value);

    /// This device's id: the stored one; at the first open @p wanted, or a
    /// new UUIDv7 when that is empty, which is stored and kept from then on.
    std::string deviceId(const std::string& wanted);

    /// The user to write as: @p given when not empty, else the stored one,
    /// else $USER, else "local".
    std::string user(const std::string& given);

private:
    StatementCache& m_statements;
};

} // namespace berkas::model
