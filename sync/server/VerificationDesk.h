#pragma once

#include <optional>
#include <string>

namespace berkas::sync {

class FieldTable;
class ServerDatabase;

/// The central office's decision on an application whose site visits are
/// done (model/VerificationRound.h): reads the application and every one of
/// its tasks from the server's copy, which, unlike a verifier's laptop,
/// holds them all. PushApplier asks it after each push for the applications
/// the push touched and writes the move with the server's stamp, in the
/// push's transaction, so every replica takes the same move at its next
/// pull. Not thread-safe: used under ServerStore's lock.
class VerificationDesk
{
public:
    VerificationDesk(ServerDatabase& db, FieldTable& fields);

    /// The status application @p applicationId moves to now, or nullopt:
    /// not in field_verification, a visit of its round still open, a
    /// conflict needing review holding the application, or deleted.
    std::optional<std::string> decide(const std::string& applicationId);

private:
    ServerDatabase& m_db;
    FieldTable& m_fields;
};

} // namespace berkas::sync
