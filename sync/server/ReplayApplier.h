#pragma once

#include "model/Hlc.h"
#include "sync/Protocol.h"
#include "sync/server/ServerTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace berkas::sync {

class FieldTable;
class RegNumbers;
class ServerDatabase;

/// What a replay took back.
struct ReplayResult
{
    std::int64_t taken = 0;   ///< values the server lacked or held with a lower stamp
    std::int64_t kept = 0;    ///< values the server already held at this stamp or a higher one
    std::int64_t refused = 0; ///< values out of the principal's scope or breaking a value rule
};

/// Takes back what a laptop holds after the central office was restored
/// from a backup (sync/PROTOCOL.md, "Restored servers"): every field with
/// its original stamp, last writer wins by stamp, no conflicts. A reg_no is
/// taken only for an application that has none, and moves that year's
/// counter past it, so no number is issued twice; an application left
/// without one is numbered. One transaction. Not thread-safe: ServerStore
/// calls it under its lock.
class ReplayApplier
{
public:
    ReplayApplier(ServerDatabase& db, FieldTable& fields, RegNumbers& regNumbers, model::HybridLogicalClock& clock);

    /// Throws Error(InvalidData) when @p lastEpoch is empty or this server's
    /// epoch (nothing to replay), or for a change that cannot be read at all
    /// (nothing is written then).
    ReplayResult replay(const Principal& principal, const std::string& lastEpoch, const std::string& epoch,
                        const std::vector<WireChange>& changes);

private:
    ServerDatabase& m_db;
    FieldTable& m_fields;
    RegNumbers& m_regNumbers;
    model::HybridLogicalClock& m_clock;
};

} // namespace berkas::sync
