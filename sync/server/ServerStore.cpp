#include "sync/server/ServerStore.h"

#include "model/Error.h"
#include "sync/server/Accounts.h"
#include "sync/server/BookingDesk.h"
#include "sync/server/FieldTable.h"
#include "sync/server/MailQueue.h"
#include "sync/server/PullPlanner.h"
#include "sync/server/DueDates.h"
#include "sync/server/PushApplier.h"
#include "sync/server/RegNumbers.h"
#include "sync/server/ReplayApplier.h"
#include "sync/server/ServerAudit.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/ServerSchema.h"
#include "sync/server/StatusLookup.h"
#include "sync/server/StoredLookup.h"

#include "model/Assets.h"
#include "model/Schema.h"

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

ServerStore::ServerStore(ServerStoreOptions options)
    : m_options(std::move(options)), m_clock([this] { return m_options.clockMs(); })
{
    try
    {
        m_db = std::make_unique<ServerDatabase>(m_options);
        ServerSchema::apply(*m_db);
        m_clock.restore(m_db->counter("hlc"));
        m_epoch = m_db->meta("epoch");
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "cannot open the server database " +
                                            ServerDatabase::describeConnection(m_options) + ": " + e.displayText());
    }
    m_fields = std::make_unique<FieldTable>(*m_db);
    m_accounts = std::make_unique<Accounts>(*m_db);
    m_audit = std::make_unique<ServerAudit>(*m_db);
    m_regNumbers = std::make_unique<RegNumbers>(*m_db);
    m_bookings = std::make_unique<BookingDesk>(*m_db);
    m_push = std::make_unique<PushApplier>(*m_db, *m_fields, *m_audit, *m_regNumbers, *m_bookings, m_clock);
    m_pull = std::make_unique<PullPlanner>(*m_db, *m_fields);
    m_replay = std::make_unique<ReplayApplier>(*m_db, *m_fields, *m_regNumbers, m_clock);
    m_status = std::make_unique<StatusLookup>(*m_db, *m_fields);
    m_mail = std::make_unique<MailQueue>(*m_db);
}

ServerStore::~ServerStore() = default;

ServerStoreOptions ServerStore::optionsFor(const std::string& database, const std::string& dataDir)
{
    return ServerDatabase::optionsFor(database, dataDir);
}

std::string ServerStore::tokenSecret()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accounts->tokenSecret();
}

void ServerStore::addUser(const UserAccount& account)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_accounts->addUser(account);
}

std::optional<UserAccount> ServerStore::user(const std::string& name)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accounts->user(name);
}

std::vector<UserAccount> ServerStore::users()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accounts->users();
}

void ServerStore::setUserDisabled(const std::string& name, bool disabled)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_accounts->setUserDisabled(name, disabled);
}

void ServerStore::enrollDevice(const std::string& deviceId, const std::string& userName)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_accounts->enrollDevice(deviceId, userName);
}

std::optional<DeviceInfo> ServerStore::device(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accounts->device(deviceId);
}

std::vector<DeviceInfo> ServerStore::devices()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accounts->devices();
}

DeviceMarks ServerStore::deviceMarks(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_accounts->deviceMarks(deviceId);
}

void ServerStore::revokeDevice(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_accounts->revokeDevice(deviceId);
    m_pull->forgetScope(deviceId);
}

std::size_t ServerStore::keptScopes()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_pull->keptScopes();
}

void ServerStore::forgetScope(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pull->forgetScope(deviceId);
}

std::vector<ServerAuditEntry> ServerStore::audit(const std::string& user, const std::string& since, std::size_t limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_audit->entries(user, since, limit);
}

std::int64_t ServerStore::lastSeq()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_db->counter("seq");
}

std::optional<std::string> ServerStore::value(const std::string& recordId, const std::string& field)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_fields->value(recordId, field);
}

std::optional<std::int64_t> ServerStore::readableFile(const Principal& principal, const std::string& sha256)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = m_db->session();
    std::vector<std::string> ids;
    std::string kind = model::kind::kAttachment;
    std::string field = model::field::kSha256;
    std::string value = sha256;
    s << m_db->q("SELECT record_id FROM fields WHERE kind = ? AND field = ? AND value = ?"), use(kind), use(field),
        use(value), into(ids), now;
    StoredLookup lookup(*m_db, *m_fields);
    for (const auto& id : ids)
    {
        if (m_fields->value(id, model::field::kDeleted).value_or("0") == "1" ||
            !readable(principal, kind, id, lookup.lookup))
            continue;
        Poco::Int64 size = -1;
        if (Poco::NumberParser::tryParse64(m_fields->value(id, model::field::kSize).value_or(""), size) && size >= 0)
            return size;
    }
    return std::nullopt;
}

model::Stamp ServerStore::stamp(const std::string& recordId, const std::string& field)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_fields->stamp(recordId, field);
}

std::vector<PushResult> ServerStore::push(const std::string& deviceId, const std::string& user,
                                          std::int64_t clientCursor, const std::vector<WireChange>& changes)
{
    return push(Principal{user, "admin", ""}, deviceId, clientCursor, changes, "");
}

std::vector<PushResult> ServerStore::push(const Principal& principal, const std::string& deviceId,
                                          std::int64_t clientCursor, const std::vector<WireChange>& changes,
                                          const std::string& address)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_push->push(principal, deviceId, clientCursor, changes, address);
}

ReplayResult ServerStore::replay(const Principal& principal, const std::string& lastEpoch,
                                 const std::vector<WireChange>& changes)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_replay->replay(principal, lastEpoch, m_epoch, changes);
}

std::vector<WireChange> ServerStore::pull(const std::string& deviceId, std::int64_t cursor, std::size_t limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_pull->pull(deviceId, cursor, limit);
}

PullAnswer ServerStore::pull(const Principal& principal, const std::string& deviceId, std::int64_t cursor,
                             std::int64_t ack, std::size_t limit, std::optional<std::int64_t> applied)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_pull->pull(principal, deviceId, cursor, ack, limit, applied);
}

std::set<std::string> ServerStore::scope(const Principal& principal)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_pull->scope(principal);
}

std::optional<PublicStatus> ServerStore::publicStatus(const std::string& number, const std::string& nik4)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_status->find(number, nik4);
}

std::vector<Capacity> ServerStore::setCapacity(const CapacityRequest& request)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = m_db->session();
    Poco::Data::Transaction tx(s);
    if (m_db->postgres())
    {
        // The push lock: no server process decides a booking of these days
        // between the count of confirmed bookings and the new capacity.
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    const auto serviceKnown = [&](const std::string& code) {
        if (model::referenceServiceIds().count(code))
            return true;
        std::vector<std::string> rows;
        std::string c = code;
        s << m_db->q("SELECT record_id FROM fields WHERE kind = 'service' AND field = 'code' AND value = ? LIMIT 1"),
            use(c), into(rows), now;
        return !rows.empty();
    };
    auto days = m_bookings->setCapacity(request, serviceKnown);
    tx.commit();
    return days;
}

std::vector<Capacity> ServerStore::capacities(const std::string& from)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_bookings->capacities(from);
}

std::vector<EscrowGrant> ServerStore::grantEscrow(const std::string& deviceId, const CapacityRequest& request)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto device = m_accounts->device(deviceId);
    if (!device || device->revoked)
        throw Error(ErrorCode::NotFound, "device: no enrolled device with id \"" + deviceId + "\" (see: berkas-server device list)");
    auto& s = m_db->session();
    Poco::Data::Transaction tx(s);
    if (m_db->postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    auto grants = m_bookings->grant(deviceId, request);
    tx.commit();
    return grants;
}

std::vector<EscrowGrant> ServerStore::escrowGrants(const std::string& from)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<EscrowGrant> out;
    for (const auto& c : m_bookings->capacities(from))
        for (const auto& g : m_bookings->grantsFor(c.location, c.serviceCode, c.date))
            out.push_back(g);
    return out;
}

bool ServerStore::holdsEscrow(const std::string& deviceId)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return !m_bookings->grantsOf(deviceId, m_db->isoTime(m_options.clockMs()).substr(0, 10)).empty();
}

std::vector<EscrowGrant> ServerStore::exchangeEscrow(const std::string& deviceId, const std::vector<EscrowGrant>& released)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& s = m_db->session();
    Poco::Data::Transaction tx(s);
    if (m_db->postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8470)::text", into(locked), now;
    }
    for (const auto& r : released)
        m_bookings->release(deviceId, r.location, r.serviceCode, r.date);
    auto grants = m_bookings->grantsOf(deviceId, m_db->isoTime(m_options.clockMs()).substr(0, 10));
    tx.commit();
    return grants;
}

std::size_t ServerStore::sweepNoShows()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_push->sweepNoShows();
}

std::pair<std::size_t, std::size_t> ServerStore::importCatalog(const std::vector<CatalogRecord>& records)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_push->writeCatalog(records);
}

model::OfficeCalendar ServerStore::officeCalendar()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return DueDates(*m_db, *m_fields).calendar();
}

std::size_t ServerStore::purgeTombstones()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_fields->purgeTombstones();
}

std::optional<QueuedMail> ServerStore::claimMail(const std::string& owner, std::int64_t leaseMs)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_mail->claim(owner, m_options.clockMs(), leaseMs);
}

bool ServerStore::mailSent(std::int64_t id, const std::string& owner)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_mail->markSent(id, owner, m_db->isoTime(m_options.clockMs()));
}

void ServerStore::mailRetry(std::int64_t id, const std::string& owner, std::int64_t nextAttemptMs,
                            const std::string& error)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_mail->retryLater(id, owner, nextAttemptMs, error);
}

void ServerStore::mailFailed(std::int64_t id, const std::string& owner, const std::string& error)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_mail->markFailed(id, owner, error);
}

std::vector<QueuedMail> ServerStore::mail(std::size_t limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_mail->list(limit);
}

} // namespace berkas::sync
