#include "model/CaseStore.h"

#include "model/Conflict.h"
#include "model/CsvImport.h"
#include "model/DeviceClock.h"
#include "model/DeviceSettings.h"
#include "model/Error.h"
#include "model/FullTextHold.h"
#include "model/KeyRing.h"
#include "model/ReferenceSeed.h"
#include "model/Regions.h"
#include "model/StatementCache.h"
#include "model/StoreFile.h"
#include "model/Uuid.h"
#include "model/Workflow.h"
#include "model/WriteRules.h"

namespace berkas::model {

const char* const CaseStore::kPragmas = StoreFile::kPragmas;

std::string CaseStore::databasePath(const std::string& dataDir)
{
    return StoreFile::path(dataDir);
}

CaseStore::CaseStore(StoreOptions options) : m_options(std::move(options)), m_db(StoreFile::open(m_options.dataDir, m_options.dataKey))
{
    m_statements = std::make_unique<StatementCache>(*m_db);
    m_settings = std::make_unique<DeviceSettings>(*m_statements);
    m_clock = std::make_unique<DeviceClock>(*m_settings, m_options.clockMs, m_options.utcOffsetMinutes);
    m_deviceId = m_settings->deviceId(m_options.deviceId);
    m_user = m_settings->user(m_options.user);
    seedReferenceData(*m_db, *m_settings);
    m_escrow = std::make_unique<EscrowLedger>(*m_settings);

    m_index = std::make_unique<FullTextHold>(*m_db, *m_statements);
    m_audit = std::make_unique<AuditLog>(*m_db, *m_statements);
    m_outbox = std::make_unique<Outbox>(*m_statements, m_deviceId);
    m_replica = std::make_unique<ReplicaStore>(*m_statements, *m_index, *m_audit, *m_clock);
    m_rules = std::make_unique<WriteRules>(*m_statements, *m_replica, *m_clock,
                                           [this]() -> const OfficeCalendar& { return officeCalendar(); },
                                           Regions::standard(), *m_settings);
}

const OfficeCalendar& CaseStore::officeCalendar()
{
    if (!m_calendar || m_calendarAt != m_replica->calendarWrites())
    {
        m_calendarAt = m_replica->calendarWrites();
        m_calendar = std::make_unique<OfficeCalendar>(storedCalendar(*m_db));
    }
    return *m_calendar;
}

CaseStore::~CaseStore()
{
    wipeSecret(m_options.dataKey);
}

Statement& CaseStore::cached(const std::string& sql)
{
    return m_statements->get(sql);
}

void CaseStore::setUser(const std::string& user)
{
    m_user = user;
    m_settings->set("user", user);
}

void CaseStore::persistClock()
{
    m_clock->persist();
}

void CaseStore::observeClock(std::int64_t hlc)
{
    m_clock->observe(hlc);
    m_clock->persist();
}

std::optional<Transaction> CaseStore::beginWrite()
{
    if (m_batchDepth == 0)
        return std::optional<Transaction>(std::in_place, *m_db);
    return std::nullopt;
}

void CaseStore::inBatch(const std::function<void()>& work)
{
    if (m_batchDepth > 0)
    {
        work();
        return;
    }
    Transaction tx(*m_db);
    ++m_batchDepth;
    try
    {
        work();
    }
    catch (...)
    {
        --m_batchDepth;
        throw;
    }
    --m_batchDepth;
    persistClock();
    tx.commit();
}

void CaseStore::inBulk(const std::function<void()>& work)
{
    inBatch([&] { m_index->during(work); });
}

std::optional<Record> CaseStore::readRecord(const KindDef& kind, const std::string& id)
{
    return m_replica->readRecord(kind, id);
}

std::optional<Record> CaseStore::find(const std::string& id)
{
    for (const auto& kind : kinds())
        if (auto r = readRecord(kind, id))
            return r;
    return std::nullopt;
}

std::optional<Record> CaseStore::find(const std::string& kind, const std::string& id)
{
    return readRecord(requireKind(kind), id);
}

void CaseStore::resolveConflict(const std::string& conflictId, const std::string& keep, const std::string& value)
{
    const Record record = get(conflictId);
    const Conflict conflict = Conflict::fromRecord(record);
    const ConflictKeep how = conflict.checkResolvable(keep);
    const KindDef& targetKind = requireKind(conflict.recordKind);
    const std::optional<Record> target = readRecord(targetKind, conflict.recordId);
    if (!target)
        throw Error(ErrorCode::NotFound, "record_id: the record of this conflict is not on this laptop");
    const ConflictResolution writes = conflict.resolve(how, value, *target, m_deviceId, m_user);

    auto tx = beginWrite();
    writeChanges(requireKind(kind::kConflict), record, writes.conflict, "local");
    if (!writes.record.empty())
        writeChanges(targetKind, *target, writes.record, "local");
    if (tx)
    {
        persistClock();
        tx->commit();
    }
}

Record CaseStore::get(const std::string& id)
{
    if (auto r = find(id))
        return *r;
    throw Error(ErrorCode::NotFound, "id: no record with id " + id);
}

std::optional<ReplicaState> CaseStore::replicaState(const std::string& kind, const std::string& id)
{
    return m_replica->read(requireKind(kind), id);
}

Stamp CaseStore::fieldStamp(const Record& record, const std::string& fieldName)
{
    const auto state = m_replica->read(requireKind(record.kind), record.id);
    return state ? state->stampOf(fieldName) : Stamp{};
}

std::map<std::string, Stamp> CaseStore::fieldStamps(const Record& record)
{
    const auto state = m_replica->read(requireKind(record.kind), record.id);
    return state ? state->fieldStamps() : std::map<std::string, Stamp>{};
}

bool CaseStore::hasReviewConflict(const std::string& recordId)
{
    return m_rules->reviewConflictOpen(recordId);
}

ValidationReport CaseStore::check(const std::string& kind, const std::string& id, const FieldMap& changes)
{
    const KindDef& k = requireKind(kind);
    std::optional<Record> current;
    if (!id.empty())
        current = get(id);
    return m_rules->prepare(k, current, changes, m_user).report;
}

void CaseStore::appendAudit(const std::string& kind, const std::string& id, std::int64_t hlc,
                            const std::string& source, const AuditChanges& lines)
{
    m_audit->append(kind, id, hlc, source, lines, m_user, m_deviceId, m_clock->nowIso());
}

std::string CaseStore::insertRecord(const KindDef& kind, FieldMap values, const std::string& source)
{
    const std::string id = newUuidV7();
    const std::int64_t hlc = m_clock->now();
    const std::string now = m_clock->nowIso();
    if (kind.name == kind::kApplication)
        values[field::kProvisionalNo] = nextProvisionalNo();
    if (kind.name == kind::kBooking)
        values[field::kCode] = newBookingCode();
    m_replica->insert(kind, id, values, {hlc, m_deviceId}, now);

    AuditChanges lines;
    std::vector<Outbox::Change> changes;
    lines.emplace_back(field::kCreatedAt, "", now);
    changes.push_back({field::kCreatedAt, now, {}});
    for (const auto& fd : kind.fields)
        if (const auto it = values.find(fd.name); it != values.end() && !it->second.empty())
        {
            lines.emplace_back(fd.name, "", it->second);
            changes.push_back({fd.name, it->second, {}});
        }
    m_outbox->append(kind.name, id, hlc, m_user, changes);
    appendAudit(kind.name, id, hlc, source, lines);

    if (kind.name == kind::kApplication)
    {
        const KindDef& requirement = requireKind(kind::kRequirement);
        for (const auto& item : m_rules->checklist(values[field::kServiceCode], values[field::kKecamatan]))
            insertRecord(requirement,
                         {{field::kApplicationId, id}, {field::kRequirement, item}, {field::kFulfilled, "0"}},
                         source);
    }
    return id;
}

PreparedWrite CaseStore::prepareNew(const KindDef& kind, const FieldMap& fields)
{
    if (kind.name == kind::kConflict)
        throw Error(ErrorCode::InvalidData, "kind: conflicts are made by sync, not created by hand");
    PreparedWrite p = m_rules->prepare(kind, std::nullopt, fields, m_user);
    p.report.throwFirstError();
    return p;
}

std::string CaseStore::create(const std::string& kindName, const FieldMap& fields)
{
    const KindDef& kind = requireKind(kindName);
    PreparedWrite p = prepareNew(kind, fields);
    auto tx = beginWrite();
    if (kind.name == kind::kBooking && p.changes[field::kStatus] == "tentative")
    {
        // A slot of this device's escrow: confirmed at once, offline
        // (EscrowLedger.h). Counted in the same transaction as the booking.
        const std::string& location = p.changes[field::kLocation];
        const std::string& service = p.changes[field::kServiceCode];
        const std::string& date = p.changes[field::kDate];
        if (m_escrow->available(location, service, date, m_clock->today()))
        {
            m_escrow->use(location, service, date);
            p.changes[field::kStatus] = "confirmed";
        }
    }
    const std::string id = insertRecord(kind, p.changes, "local");
    if (tx)
    {
        persistClock();
        tx->commit();
    }
    return id;
}

void CaseStore::writeChanges(const KindDef& kind, const ReplicaState& current, const FieldMap& changes,
                             const std::string& source)
{
    const std::int64_t hlc = m_clock->now();
    const std::vector<Stamp> bases = m_replica->update(kind, current, changes, {hlc, m_deviceId}, m_clock->nowIso());
    AuditChanges lines;
    std::vector<Outbox::Change> rows;
    std::size_t i = 0;
    for (const auto& [name, value] : changes)
    {
        rows.push_back({name, value, bases[i++]});
        lines.emplace_back(name, current.record.value(name), value);
    }
    m_outbox->append(kind.name, current.record.id, hlc, m_user, rows);
    appendAudit(kind.name, current.record.id, hlc, source, lines);
}

void CaseStore::writeChanges(const KindDef& kind, const Record& current, const FieldMap& changes,
                             const std::string& source)
{
    const auto state = m_replica->read(kind, current.id);
    if (!state)
        throw Error(ErrorCode::NotFound, "id: no record with id " + current.id);
    writeChanges(kind, ReplicaState{current, state->created, state->written}, changes, source);
}

void CaseStore::update(const std::string& id, const FieldMap& changes)
{
    const auto current = m_replica->find(id);
    if (!current)
        throw Error(ErrorCode::NotFound, "id: no record with id " + id);
    const KindDef& kind = requireKind(current->record.kind);
    if (kind.name == kind::kConflict)
        throw Error(ErrorCode::InvalidData, "id: conflicts are settled with: berkas resolve " + id);
    const PreparedWrite p = m_rules->prepare(kind, current->record, changes, m_user);
    p.report.throwFirstError();
    if (p.changes.empty())
        return;
    auto tx = beginWrite();
    writeChanges(kind, *current, p.changes, "local");
    for (const auto& record : p.followUps)
    {
        const KindDef& followUp = requireKind(record.kind);
        insertRecord(followUp, prepareNew(followUp, record.fields).changes, "local");
    }
    if (tx)
    {
        persistClock();
        tx->commit();
    }
}

void CaseStore::remove(const std::string& id)
{
    update(id, {{field::kDeleted, "1"}});
}

std::vector<AuditLine> CaseStore::history(const std::string& id)
{
    get(id);
    return m_audit->history(id);
}

std::vector<std::string> CaseStore::importCsv(const std::string& kindName, const std::string& path)
{
    const KindDef& kind = requireKind(kindName);
    const std::vector<FieldMap> rows = CsvImport(*m_rules).read(kind, path, m_user);
    std::vector<std::string> ids;
    auto tx = beginWrite();
    for (const auto& fields : rows)
        ids.push_back(insertRecord(kind, fields, "import"));
    if (tx)
    {
        persistClock();
        tx->commit();
    }
    return ids;
}

void CaseStore::writeReplicated(const std::string& kindName, const std::string& id,
                                const std::vector<std::pair<std::string, std::optional<std::string>>>& fields,
                                const std::vector<Stamp>& stamps, const std::vector<std::string>& users,
                                const std::optional<ReplicaState>* known)
{
    m_replica->writeReplicated(requireKind(kindName), id, fields, stamps, users, known);
}

void CaseStore::writeReplicated(const std::string& kindName, const std::string& id,
                                const std::vector<std::pair<std::string, std::optional<std::string>>>& fields,
                                const std::vector<Stamp>& stamps, const std::string& user,
                                const std::optional<ReplicaState>* known)
{
    writeReplicated(kindName, id, fields, stamps, std::vector<std::string>(fields.size(), user), known);
}

void CaseStore::purgeLocal(const std::string& kindName, const std::string& id, const std::string& why)
{
    const KindDef& kind = requireKind(kindName);
    auto tx = beginWrite();
    m_replica->purge(kind, id, why, m_user, m_deviceId);
    if (tx)
        tx->commit();
}

} // namespace berkas::model
