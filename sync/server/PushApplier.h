#pragma once

#include "sync/server/CatalogImport.h"
#include "sync/server/DueDates.h"

#include "model/Hlc.h"
#include "sync/Protocol.h"
#include "sync/server/ServerTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace berkas::sync {

class BookingDesk;
class FieldTable;
class RegNumbers;
class ServerAudit;
class ServerDatabase;

/// Applies a device's push (sync/PROTOCOL.md): checks the batch, tells
/// retries and reused change ids apart, judges each change by the value
/// rules (ChangeRules.h) and the scope rules (ScopeRules.h), merges what may
/// apply with the one merge rule (sync/Merge.h), keeps conflicts as records,
/// numbers new applications, decides counter bookings against capacity
/// (BookingDesk.h), queues the applicants' e-mail its writes cause
/// (MailEvents.h) and writes the audit, all in one transaction.
/// Not thread-safe: ServerStore calls it under its lock, and on PostgreSQL
/// a transaction-scoped advisory lock keeps server processes in turn.
class PushApplier
{
public:
    PushApplier(ServerDatabase& db, FieldTable& fields, ServerAudit& audit, RegNumbers& regNumbers,
                BookingDesk& bookings, model::HybridLogicalClock& clock);

    /// ServerStore::push: the answer per change; throws Error(InvalidData)
    /// for a batch that cannot apply at all (nothing is written then) and
    /// Error(Unauthorized) for a device that is not enrolled.
    std::vector<PushResult> push(const Principal& principal, const std::string& deviceId, std::int64_t clientCursor,
                                 const std::vector<WireChange>& changes, const std::string& address);

    /// ServerStore::sweepNoShows: confirmed bookings whose slot passed more
    /// than the grace ago become no_show, stamped by the server, in one
    /// transaction under the push lock. Returns how many.
    std::size_t sweepNoShows();

    /// ServerStore::importCatalog: writes each field of @p records whose
    /// value differs from the server's (or the shipped seed's, for a
    /// service nobody edited), stamped by the server, then the due dates the
    /// new calendar gives, all in one transaction under the push lock.
    /// Returns how many records changed and how many due dates moved.
    std::pair<std::size_t, std::size_t> writeCatalog(const std::vector<CatalogRecord>& records);

private:
    ServerDatabase& m_db;
    FieldTable& m_fields;
    ServerAudit& m_audit;
    RegNumbers& m_regNumbers;
    BookingDesk& m_bookings;
    model::HybridLogicalClock& m_clock;
    DueDates m_dueDates;
};

} // namespace berkas::sync
