#pragma once

#include "model/OfficeCalendar.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace berkas::sync {

class ServerDatabase;

/// Counter slots of one location, service and day as the central office set
/// them (berkas-server capacity): how many bookings may be confirmed, and
/// optionally the hours the counter serves ("08:00" to "15:00", a slot at
/// the closing time is outside).
struct Capacity
{
    std::string location;
    std::string serviceCode;
    std::string date; ///< YYYY-MM-DD
    int slots = 0;
    std::string open;  ///< HH:MM, "" when not set
    std::string close; ///< HH:MM, "" when not set
};

/// What berkas-server capacity asks for: the same slots (and hours) for every
/// day from @c date to @c to (inclusive; @c to empty: that one day).
struct CapacityRequest
{
    std::string location;
    std::string serviceCode;
    std::string date;
    std::string to;
    std::string slots; ///< as typed, checked here
    std::string open;
    std::string close;
};

/// Slots of one day granted to one device ahead of time (escrow).
struct EscrowGrant
{
    std::string deviceId;
    std::string location;
    std::string serviceCode;
    std::string date;
    int slots = 0;
    int used = 0;          ///< bookings the server confirmed from it
    bool released = false; ///< the device stopped using it: only used stays reserved
};

/// Why a booking is not confirmed: a code for programs and tests, and the
/// numbers its sentence names.
enum class BookingVerdict
{
    Confirmed,     ///< a slot remains (or no capacity is set for that day)
    Full,          ///< every slot of the day is taken
    OutsideHours,  ///< the slot is before opening or at or after closing
    SlotPassed,    ///< the booking reached the server after its slot
    Suspended,     ///< a suspension closes the counter that day (model::OfficeCalendar)
};

struct BookingDecision
{
    BookingVerdict verdict = BookingVerdict::Confirmed;
    std::string status;      ///< "confirmed" or "overbooked"
    std::string reason;      ///< Indonesian sentence for the clerk; empty when confirmed
    int taken = 0;           ///< confirmed bookings of the day before this one
    std::optional<Capacity> capacity;
};

/// A booking's facts as the server holds them after a push.
struct BookingFacts
{
    std::string id;
    std::string location;
    std::string serviceCode;
    std::string date;
    std::string slot;
};

/// The central office's counter bookings: the capacity table, the decision
/// on each booking that reaches it tentative, and the bookings whose slot
/// passed without a check-in. Decisions read the field rows of the
/// transaction they run in, so they must run inside the push's transaction
/// and under its lock (ServerStore's mutex, and on PostgreSQL the push's
/// advisory lock 8470): two pushes for the last slot are decided one after
/// the other. Not thread-safe.
class BookingDesk
{
public:
    explicit BookingDesk(ServerDatabase& db);

    /// Statuses that hold a slot of their day.
    static const std::vector<std::string>& holdingStatuses();

    /// Sets the capacity of each day of @p request, replacing what was set.
    /// Checks everything first and throws Error(InvalidData) naming the field
    /// and the rule ("slots: must be at least the 3 bookings already confirmed
    /// for 2026-12-14, got 2"); nothing is written then. @p serviceKnown
    /// tells whether a service code exists. Opens no transaction: the caller
    /// runs it in one, under the push lock. Returns the days set.
    std::vector<Capacity> setCapacity(const CapacityRequest& request,
                                      const std::function<bool(const std::string&)>& serviceKnown);

    /// The capacity set for one day, if any.
    std::optional<Capacity> capacity(const std::string& location, const std::string& serviceCode,
                                     const std::string& date);

    /// Capacity rows from @p from on (all when empty), by location, service, date.
    std::vector<Capacity> capacities(const std::string& from = "");

    /// Bookings of the day holding a slot (confirmed, checked_in, no_show),
    /// not deleted, other than @p except, and not confirmed from a grant
    /// (those count in reserved()).
    int taken(const std::string& location, const std::string& serviceCode, const std::string& date,
              const std::string& except = "");

    /// The decision on a tentative booking at @p nowLocal ("YYYY-MM-DDTHH:MM",
    /// office time). A day without a capacity row has no limit: confirmed.
    BookingDecision decide(const BookingFacts& booking, const std::string& nowLocal,
                           const model::Suspension* closedBy = nullptr);

    /// Confirmed bookings whose slot began at or before @p thresholdLocal
    /// ("YYYY-MM-DDTHH:MM", office time: now less the grace a late applicant
    /// gets); they become no_show.
    std::vector<std::string> missed(const std::string& thresholdLocal);

    /// The facts of booking @p id as the field rows hold them.
    BookingFacts facts(const std::string& id);

    // --- escrow (sync/PROTOCOL.md, "Escrow") ---

    /// Grants @p slots of each day of @p request to device @p deviceId (the
    /// request's slots). Throws Error(InvalidData) naming the field and the
    /// rule, nothing written: a day without capacity, a grant lowered (the
    /// device may have promised its slots offline) or released, and grants
    /// plus pool bookings beyond the day's capacity. Same transaction rule
    /// as setCapacity().
    std::vector<EscrowGrant> grant(const std::string& deviceId, const CapacityRequest& request);
    /// Device @p deviceId's grants not released, for days after @p today.
    std::vector<EscrowGrant> grantsOf(const std::string& deviceId, const std::string& today);
    /// All grants of one day.
    std::vector<EscrowGrant> grantsFor(const std::string& location, const std::string& serviceCode,
                                       const std::string& date);
    /// Whether device @p deviceId may confirm one more booking of that day
    /// from its grant (not released, used below slots), counting
    /// @p pendingInBatch confirmations of the same push not yet recorded.
    bool escrowAvailable(const std::string& deviceId, const std::string& location, const std::string& serviceCode,
                         const std::string& date, int pendingInBatch);
    /// Records booking @p bookingId as confirmed from the device's grant.
    void useEscrow(const std::string& bookingId, const std::string& deviceId, const std::string& location,
                   const std::string& serviceCode, const std::string& date);
    /// The device stopped using its grant of that day: its unused slots go
    /// back to the pool. Idempotent; nothing for a grant it does not hold.
    void release(const std::string& deviceId, const std::string& location, const std::string& serviceCode,
                 const std::string& date);
    /// Slots of the day held by grants: used ones of released grants, all
    /// of the others.
    int reserved(const std::string& location, const std::string& serviceCode, const std::string& date);

private:
    ServerDatabase& m_db;
};

} // namespace berkas::sync
