#include "model/CaseStore.h"

#include "model/Assets.h"
#include "model/AtRest.h"
#include "model/Conflict.h"
#include "model/Csv.h"
#include "model/Date.h"
#include "model/Deadlines.h"
#include "model/Error.h"
#include "model/JsonText.h"
#include "model/KeyRing.h"
#include "model/Migrations.h"
#include "model/Regions.h"
#include "model/Uuid.h"
#include "model/Workflow.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Path.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

namespace berkas::model {

namespace {

const std::string kEmpty;


std::string trim(const std::string& s)
{
    const auto begin = s.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    const auto end = s.find_last_not_of(" \t\r\n");
    return s.substr(begin, end - begin + 1);
}

std::string isoTime(std::int64_t ms, int offsetMinutes)
{
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(ms) * 1000);
    const Poco::LocalDateTime local(offsetMinutes * 60, Poco::DateTime(ts));
    return Poco::DateTimeFormatter::format(local, Poco::DateTimeFormat::ISO8601_FORMAT);
}

/// The columns of @p kind's table, in rowToRecord's order. Built once per
/// kind (every KindDef is one of kinds()): a pull reads the record it is
/// about to write for each one it brings.
const std::string& joinedColumns(const KindDef& kind)
{
    static const std::vector<std::string> all = [] {
        std::vector<std::string> out;
        for (const auto& k : kinds())
        {
            std::string cols = "id, created_at, updated_at, deleted, _hlc, _device, _stamps";
            for (const auto& f : k.fields)
                cols += ", " + f.name;
            out.push_back(std::move(cols));
        }
        return out;
    }();
    return all.at(static_cast<std::size_t>(&kind - kinds().data()));
}

std::map<std::string, Stamp> parseStamps(const std::string& json)
{
    std::map<std::string, Stamp> stamps;
    if (json.empty())
        return stamps;
    Poco::JSON::Parser parser;
    const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, value] : *object)
        stamps[name] = parseStamp(value.toString());
    return stamps;
}

std::string formatStamps(const std::map<std::string, Stamp>& stamps)
{
    if (stamps.empty())
        return {};
    Poco::JSON::Object object;
    for (const auto& [name, stamp] : stamps)
        object.set(name, formatStamp(stamp));
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

/// One outbox row as SELECT seq, kind, record_id, field, value, hlc,
/// base_hlc, base_device, user gives it; the stamp is this device's.
OutboxEntry outboxEntry(Statement& s, const std::string& deviceId)
{
    OutboxEntry e;
    e.seq = s.integer(0);
    e.kind = s.text(1);
    e.recordId = s.text(2);
    e.field = s.text(3);
    if (!s.isNull(4))
        e.value = s.text(4);
    e.stamp = {s.integer(5), deviceId};
    e.base = {s.integer(6), s.text(7)};
    e.user = s.text(8);
    return e;
}

/// The device and user named in the audit for a pulled value that has no
/// author; the same name as the server's own stamps.
const std::string kCentralOffice = "server";

/// [[field, old, new], ...] for the audit table, or [field, new] where there
/// was no old value, as when a record is created. Written directly rather
/// than through a Poco::JSON::Array: it runs once per write and a bulk intake
/// spent a sixth of its time building and printing the tree. Lines written
/// before version 11 hold {"field", "old", "new"} objects; they are kept as
/// written, and history() reads both.
std::string auditJson(const std::vector<std::tuple<std::string, std::string, std::string>>& lines)
{
    std::string out = "[";
    for (const auto& [fieldName, oldValue, newValue] : lines)
    {
        out += out.size() > 1 ? ",[" : "[";
        appendJsonString(out, fieldName);
        if (!oldValue.empty())
        {
            out += ',';
            appendJsonString(out, oldValue);
        }
        out += ',';
        appendJsonString(out, newValue);
        out += ']';
    }
    out += ']';
    return out;
}

/// The INSERT of @p rows outbox rows at once, 8 parameters per row: kind,
/// record_id, field, value, hlc, base_hlc, base_device, user. One statement per
/// write instead of one per field: each statement on outbox (AUTOINCREMENT)
/// opens a statement savepoint, and with FTS tables in the transaction that
/// savepoint is the expensive part of a bulk intake.
std::string outboxInsertSql(std::size_t rows)
{
    std::string text = "INSERT INTO outbox(kind, record_id, field, value, hlc, base_hlc, base_device, user) VALUES ";
    for (std::size_t i = 0; i < rows; ++i)
        text += i ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)";
    return text;
}

/// The stamp of @p fieldName given the record's parsed field stamps: the
/// field's own stamp when changed since creation, else the row's creation
/// stamp when the field has a value (or is the tombstone), else zero.
Stamp stampOf(const Record& record, const std::map<std::string, Stamp>& stamps, const std::string& fieldName)
{
    if (const auto it = stamps.find(fieldName); it != stamps.end())
        return it->second;
    if (record.value(fieldName).empty() && fieldName != field::kDeleted)
        return {};
    return {std::atoll(record.value("_hlc").c_str()), record.value("_device")};
}

std::vector<std::string> splitList(const std::string& s)
{
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(s);
    while (std::getline(in, item, ';'))
    {
        item = trim(item);
        if (!item.empty())
            items.push_back(item);
    }
    return items;
}

} // namespace

struct CaseStore::Prepared
{
    ValidationReport report;
    FieldMap changes;
};

// A 16 MB page cache (SQLite's default is 2 MB): with a million records the
// hot index pages of a sync or a search stay in memory, while an export that
// scans everything stays well under its 100 MB. Temporary storage stays in
// files: in memory, the sorts of an export over 1M applications took its
// peak from 67 MB to 296 MB.
const char* const CaseStore::kPragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                                        "PRAGMA cache_size=-16384;";

std::string CaseStore::databasePath(const std::string& dataDir)
{
    return Poco::Path(dataDir).append("berkas.db").toString();
}

CaseStore::CaseStore(StoreOptions options) : m_options(std::move(options))
{
    if (m_options.dataDir.empty())
        throw Error(ErrorCode::InvalidData, "data: no data folder given");
    try
    {
        Poco::File(m_options.dataDir).createDirectories();
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "cannot create data folder " + m_options.dataDir + ": " + e.message());
    }
    const std::string path = databasePath(m_options.dataDir);
    const std::string& key = m_options.dataKey;
    if (key.empty() && isEncryptedDatabase(path))
        throw Error(ErrorCode::Unauthorized,
                    "password: the data of this laptop is encrypted; unlock it with a user's password");
    if (Poco::File(path).exists())
    {
        // Check the version before anything may write to the file, so a
        // database from a newer Berkas is left exactly as it was.
        Database probe(path, isPlainDatabase(path) ? std::string() : key, true);
        if (probe.userVersion() > Migrations::latest())
            Migrations::migrate(probe);
    }
    // A folder from before encryption is encrypted at its first unlock.
    encryptDataFolder(m_options.dataDir, path, key);
    m_db = std::make_unique<Database>(path, key);
    m_db->exec(kPragmas);
    Migrations::migrate(*m_db);

    m_clockOffsetMs = std::atoll(setting("clock_offset_ms", "0").c_str());
    m_clock = std::make_unique<HybridLogicalClock>([this] { return wallMs(); });
    m_clock->restore(std::atoll(setting("hlc", "0").c_str()));

    m_deviceId = setting("device_id");
    if (m_deviceId.empty())
    {
        m_deviceId = m_options.deviceId.empty() ? newUuidV7() : m_options.deviceId;
        setSetting("device_id", m_deviceId);
    }
    m_user = !m_options.user.empty() ? m_options.user : setting("user");
    if (m_user.empty())
    {
        const char* env = std::getenv("USER");
        m_user = env && *env ? env : "local";
    }
    m_regions = &Regions::standard();
    if (setting("seeded").empty())
        seedReferenceData();

    std::set<Date> holidays;
    Statement s(*m_db, "SELECT date FROM holiday");
    while (s.step())
        if (auto d = Date::parse(s.text(0)))
            holidays.insert(*d);
    m_calendar = std::make_unique<WorkingDayCalendar>(std::move(holidays));
}

CaseStore::~CaseStore()
{
    wipeSecret(m_options.dataKey);
}

Statement& CaseStore::cached(const std::string& sql)
{
    return cached(sql, [&] { return sql; });
}

Statement& CaseStore::cached(const std::string& key, const std::function<std::string()>& sql)
{
    auto& slot = m_statements[key];
    if (!slot)
        slot = std::make_unique<Statement>(*m_db, sql());
    else
        slot->reset();
    return *slot;
}

std::string CaseStore::setting(const std::string& key, const std::string& fallback)
{
    Statement& s = cached("SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    std::string value = s.step() ? s.text(0) : fallback;
    s.reset();
    return value;
}

void CaseStore::setSetting(const std::string& key, const std::string& value)
{
    Statement& s = cached("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value).run();
}

void CaseStore::setUser(const std::string& user)
{
    m_user = user;
    setSetting("user", user);
}

std::int64_t CaseStore::wallMs()
{
    return (m_wallClock ? m_wallClock() : m_options.clockMs()) + m_clockOffsetMs;
}

void CaseStore::observeServerTime(std::int64_t serverMs)
{
    // A laptop whose clock is hours off (a flat CMOS battery, a wrong time
    // zone) still stamps and dates its work by the central office's clock
    // once it has talked to it: the offset is kept and applied to every
    // reading. Small differences are left alone so that stamps do not jitter.
    const std::int64_t raw = m_wallClock ? m_wallClock() : m_options.clockMs();
    const std::int64_t offset = serverMs - raw;
    const std::int64_t kTolerance = 30 * 1000;
    if (std::llabs(offset - m_clockOffsetMs) > kTolerance)
    {
        m_clockOffsetMs = std::llabs(offset) > kTolerance ? offset : 0;
        setSetting("clock_offset_ms", std::to_string(m_clockOffsetMs));
    }
    observeClock(HybridLogicalClock::fromPhysicalMs(serverMs));
}

void CaseStore::setWallClock(std::function<std::int64_t()> clockMs)
{
    m_wallClock = std::move(clockMs);
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
    inBatch([&] {
        holdIndex();
        try
        {
            work();
        }
        catch (...)
        {
            // Should a caller catch this and commit the rest, the rows
            // written so far are indexed and nothing is left on hold.
            try
            {
                releaseIndexHold();
            }
            catch (...)
            {
            }
            throw;
        }
        releaseIndexHold();
    });
}

void CaseStore::holdIndex()
{
    if (!m_indexHeld.empty())
        return;
    // FTS5 writes out its pending terms at every statement of a transaction
    // once it has joined it, so indexing a pull one row at a time through the
    // insert trigger cost most of the pull. The trigger is dropped inside the
    // transaction and put back, from its own text, before it ends: a crash
    // rolls both back, and no other connection ever sees it missing.
    for (const auto& kind : kinds())
    {
        if (fullTextColumns(kind).empty())
            continue;
        Held held;
        held.kind = &kind;
        Statement& trigger = cached("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
        trigger.bind(1, kind.table + "_fts_ai");
        if (!trigger.step())
            continue;
        held.trigger = trigger.text(0);
        trigger.reset();
        // Rowids only grow while held (deletes release first), so the rows
        // to index are those after the largest one now.
        Statement last(*m_db, "SELECT coalesce(max(rowid), 0) FROM " + kind.table);
        last.step();
        held.after = last.integer(0);
        m_indexHeld[kind.table] = held;
    }
    for (const auto& [table, held] : m_indexHeld)
        m_db->exec("DROP TRIGGER " + table + "_fts_ai");
}

void CaseStore::releaseIndexHold(const KindDef& kind, const std::string& id)
{
    // Rows from before the hold are indexed, and their triggers may run; one
    // added since must be indexed before a trigger takes its terms out.
    const auto it = m_indexHeld.find(kind.table);
    if (it == m_indexHeld.end())
        return;
    Statement& row = cached("SELECT rowid FROM " + kind.table + " WHERE id = ?");
    row.bind(1, id);
    const bool added = row.step() && row.integer(0) > it->second.after;
    row.reset();
    if (added)
        releaseIndexHold();
}

void CaseStore::releaseIndexHold()
{
    if (m_indexHeld.empty())
        return;
    const auto held = std::move(m_indexHeld);
    m_indexHeld.clear();
    for (const auto& [table, h] : held)
    {
        const std::string columns(fullTextColumns(*h.kind));
        Statement index(*m_db, "INSERT INTO " + table + "_fts (rowid, " + columns + ") SELECT rowid, " + columns +
                                   " FROM " + table + " WHERE rowid > ?");
        index.bind(1, h.after).run();
        m_db->exec(h.trigger);
    }
}

std::string CaseStore::nowIso()
{
    // Formatted once a second: a pull writes thousands of records in one.
    const std::int64_t ms = wallMs();
    const std::int64_t second = ms >= 0 ? ms / 1000 : -((999 - ms) / 1000);
    if (second != m_isoSecond)
    {
        m_iso = isoTime(second * 1000, m_options.utcOffsetMinutes);
        m_isoSecond = second;
    }
    return m_iso;
}

Date CaseStore::today()
{
    return *dateOfTimestamp(nowIso());
}

std::int64_t CaseStore::hlcNow()
{
    return m_clock->now();
}

void CaseStore::persistClock()
{
    setSetting("hlc", std::to_string(m_clock->last()));
}

void CaseStore::observeClock(std::int64_t hlc)
{
    m_clock->observe(hlc);
    persistClock();
}

void CaseStore::seedReferenceData()
{
    // Reference data is the same on every device: services get name-based ids
    // and a zero stamp, so any edit made anywhere wins over the seed and no
    // device pushes the seed itself.
    Transaction tx(*m_db);
    const std::string dir = assetsDir() + "/reference";
    {
        Statement insert(*m_db, "INSERT OR IGNORE INTO holiday(date, name) VALUES (?, ?)");
        const auto rows = readCsvFile(dir + "/holidays-id.csv");
        for (std::size_t i = 1; i < rows.size(); ++i)
            if (rows[i].cells.size() >= 2)
                insert.bind(1, rows[i].cells[0]).bind(2, rows[i].cells[1]).run();
    }
    {
        Statement insert(*m_db, "INSERT OR IGNORE INTO service(id, created_at, updated_at, code, name, agency, "
                                "sla_days, needs_field_verification, requirements, exempt_from_suspension, "
                                "suspended_from, suspended_to, suspension_basis) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& [id, f] : referenceServices())
        {
            const auto value = [&f = f](const char* name) -> std::optional<std::string> {
                const auto it = f.find(name);
                return it == f.end() ? std::nullopt : std::optional<std::string>(it->second);
            };
            insert.bind(1, id).bind(2, f.at("created_at")).bind(3, f.at("created_at")).bind(4, f.at("code"))
                .bind(5, f.at("name")).bind(6, f.at("agency")).bind(7, f.at("sla_days"))
                .bind(8, f.at("needs_field_verification")).bind(9, f.at("requirements"))
                .bind(10, f.at("exempt_from_suspension")).bindOptional(11, value("suspended_from"))
                .bindOptional(12, value("suspended_to")).bindOptional(13, value("suspension_basis")).run();
        }
    }
    setSetting("seeded", "1");
    tx.commit();
}

Record CaseStore::rowToRecord(const KindDef& kind, Statement& s)
{
    Record r;
    r.kind = kind.name;
    r.id = s.text(0);
    r.values[field::kId] = r.id;
    r.values[field::kCreatedAt] = s.text(1);
    r.values[field::kUpdatedAt] = s.text(2);
    r.values[field::kDeleted] = s.integer(3) ? "1" : "0";
    r.values["_hlc"] = s.text(4);
    r.values["_device"] = s.text(5);
    r.values["_stamps"] = s.text(6);
    for (std::size_t i = 0; i < kind.fields.size(); ++i)
        r.values[kind.fields[i].name] = s.text(static_cast<int>(i) + 7);
    return r;
}

std::optional<Record> CaseStore::readRecord(const KindDef& kind, const std::string& id)
{
    Statement& s = cached("SELECT " + joinedColumns(kind) + " FROM " + kind.table + " WHERE id = ?");
    s.bind(1, id);
    std::optional<Record> r;
    if (s.step())
        r = rowToRecord(kind, s);
    s.reset();
    return r;
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
    writeChanges(requireKind("conflict"), record, writes.conflict, "local");
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

Stamp CaseStore::fieldStamp(const Record& record, const std::string& fieldName)
{
    return stampOf(record, parseStamps(record.value("_stamps")), fieldName);
}

bool CaseStore::hasPending(const std::string& recordId, const std::string& fieldName)
{
    Statement& s = cached("SELECT 1 FROM outbox WHERE record_id = ? AND field = ? LIMIT 1");
    s.bind(1, recordId).bind(2, fieldName);
    const bool pending = s.step();
    s.reset();
    return pending;
}

bool CaseStore::hasReviewConflict(const std::string& recordId)
{
    Statement& s = cached("SELECT 1 FROM conflict WHERE record_id = ? AND status = 'open' AND needs_review = 1 "
                          "AND deleted = 0 LIMIT 1");
    s.bind(1, recordId);
    const bool open = s.step();
    s.reset();
    return open;
}

CaseStore::Prepared CaseStore::prepare(const KindDef& kind, const std::optional<Record>& current,
                                       const FieldMap& changes, bool importing)
{
    (void)importing;
    Prepared p;
    ValidationReport& report = p.report;
    const bool creating = !current.has_value();

    if (!creating && kind.appendOnly)
    {
        report.add(field::kId, {ProblemCode::AppendOnly, {kind.name}});
        return p;
    }
    if (!creating && current->deleted())
    {
        const auto it = changes.find(field::kDeleted);
        if (it == changes.end() || it->second != "0")
        {
            report.add(field::kDeleted, {ProblemCode::RecordDeleted, {}});
            return p;
        }
    }

    for (const auto& [name, raw] : changes)
    {
        const std::string value = trim(raw);
        if (name == field::kDeleted)
        {
            if (creating)
            {
                report.add(name, {ProblemCode::NotOnCreate, {}});
                continue;
            }
            const FieldCheck c = checkBool(value);
            if (!c.ok)
                report.add(name, c.problem);
            else
                p.changes[name] = c.normalized;
            continue;
        }
        if (name == field::kId || name == field::kCreatedAt || name == field::kUpdatedAt)
        {
            report.add(name, {ProblemCode::SetByBerkas, {}});
            continue;
        }
        const FieldDef* fd = kind.field(name);
        if (!fd)
        {
            report.add(name, {ProblemCode::UnknownField, {kind.name}});
            continue;
        }
        if (fd->access == FieldAccess::Server)
        {
            report.add(name, {ProblemCode::ServerOnly, {}});
            continue;
        }
        if (fd->access == FieldAccess::Computed)
        {
            report.add(name, {ProblemCode::Computed, {}});
            continue;
        }
        if (fd->access == FieldAccess::CreateOnly && !creating)
        {
            report.add(name, {ProblemCode::CreateOnly, {}});
            continue;
        }
        if (value.empty())
        {
            if (fd->required)
                report.add(name, {ProblemCode::Required, {}});
            else
                p.changes[name] = "";
            continue;
        }
        FieldCheck c = checkFieldValue(*fd, value, *m_regions);
        if (c.ok && fd->type == FieldType::Reference)
        {
            std::optional<Record> target;
            if (!fd->referenceKind.empty())
                target = readRecord(requireKind(fd->referenceKind), value);
            else
                target = find(value);
            if (!target)
            {
                c.ok = false;
                c.problem = {ProblemCode::NoSuchRecord,
                             {fd->referenceKind.empty() ? std::string("record") : fd->referenceKind, value}};
            }
        }
        if (!c.ok)
        {
            report.add(name, c.problem);
            continue;
        }
        report.add(name, c); // its warnings
        p.changes[name] = c.normalized.empty() ? value : c.normalized;
    }

    if (creating)
        for (const auto& fd : kind.fields)
            if (fd.required && fd.access != FieldAccess::Computed && !changes.count(fd.name))
                report.add(fd.name, {ProblemCode::Required, {}});
    if (!report.ok())
        return p;

    // The record as it will be, for rules that span fields.
    FieldMap merged = current ? current->values : FieldMap{};
    for (const auto& [name, value] : p.changes)
        merged[name] = value;
    const auto changed = [&](const char* name) {
        return p.changes.count(name) && (!current || current->value(name) != p.changes.at(name));
    };

    std::optional<Record> service;
    if (kind.field(field::kServiceCode) && !merged[field::kServiceCode].empty())
    {
        Statement& s = cached("SELECT " + joinedColumns(requireKind("service")) +
                              " FROM service WHERE code = ? AND deleted = 0");
        s.bind(1, merged[field::kServiceCode]);
        if (s.step())
            service = rowToRecord(requireKind("service"), s);
        s.reset();
        if (!service && changed(field::kServiceCode))
            report.add(field::kServiceCode, {ProblemCode::NoSuchService, {merged[field::kServiceCode]}});
    }
    if (changed(field::kKelurahan) || changed(field::kKecamatan))
    {
        if (auto why = kelurahanProblem(merged[field::kKelurahan], merged[field::kKecamatan]))
            report.add(field::kKelurahan, std::move(*why));
    }
    if (kind.name == "service" && changed("suspended_to") && !merged["suspended_from"].empty() &&
        !merged["suspended_to"].empty() && merged["suspended_to"] < merged["suspended_from"])
        report.add("suspended_to", {ProblemCode::SuspensionOrder, {merged["suspended_from"]}});
    if (kind.name == "booking" && service && (changed("date") || changed(field::kServiceCode)))
    {
        // Counter appointments cannot be booked while face-to-face service is
        // suspended, unless the service is exempt (health, local revenue).
        const std::string& day = merged["date"];
        const std::string& from = service->value("suspended_from");
        const std::string& to = service->value("suspended_to");
        if (!from.empty() && day >= from && (to.empty() || day <= to) &&
            service->value("exempt_from_suspension") != "1")
            report.add("date", {ProblemCode::ServiceSuspended,
                                {service->value("code"), from, to, service->value("suspension_basis")}});
    }

    // Workflow.
    if (kind.field(field::kStatus) && kind.name != "conflict")
    {
        const std::string initial = initialStatus(kind.name);
        if (creating)
        {
            std::string& status = merged[field::kStatus];
            if (status.empty())
                p.changes[field::kStatus] = status = initial;
            else if (auto why = initialStatusProblem(kind.name, status))
                report.add(field::kStatus, std::move(*why));
        }
        else if (changed(field::kStatus))
        {
            const std::string& from = current->value(field::kStatus);
            const std::string& to = merged[field::kStatus];
            if (auto why = moveProblem(kind.name, from, to))
                report.add(field::kStatus, std::move(*why));
            else if (hasReviewConflict(current->id))
                report.add(field::kStatus, {ProblemCode::ReviewConflict, {}});
        }
    }
    if (!report.ok())
        return p;

    // Derived fields.
    const Date day = today();
    if (kind.name == "application")
    {
        const std::string from = current ? current->value(field::kStatus) : initialStatus(kind.name);
        const std::string& to = merged[field::kStatus];
        if (to == "submitted" && merged[field::kSubmittedAt].empty())
            p.changes[field::kSubmittedAt] = nowIso();
        if (from != to && slaClockStarts(from, to) && service)
        {
            // The SLA clock starts when the file is declared complete and
            // correct; the day it happens is not counted.
            const int sla = std::atoi(service->value(field::kSlaDays).c_str());
            p.changes[field::kDueDate] = applicationDueDate(*m_calendar, day, sla).toString();
        }
    }
    if (kind.name == "complaint")
    {
        if (creating)
        {
            if (merged[field::kReceivedAt].empty())
                p.changes[field::kReceivedAt] = merged[field::kReceivedAt] = nowIso();
            if (merged[field::kSlaClass].empty())
                p.changes[field::kSlaClass] = merged[field::kSlaClass] =
                    merged[field::kChannel] == "sp4n_lapor" ? "referral"
                    : merged["kind"] == "consultation"      ? "minor"
                                                            : "normative";
        }
        const bool statusMoved = changed(field::kStatus);
        if (creating || changed(field::kSlaClass) || changed(field::kReceivedAt) || statusMoved)
        {
            const auto cls = parseComplaintClass(merged[field::kSlaClass]);
            const auto received = dateOfTimestamp(merged[field::kReceivedAt]);
            if (cls && received)
            {
                const bool verified = merged[field::kStatus] != "received";
                p.changes[field::kDueDate] = complaintDueDate(*m_calendar, *received, *cls, verified).toString();
            }
        }
        if (statusMoved && merged[field::kStatus] == "responded" && merged["responded_at"].empty())
            p.changes["responded_at"] = nowIso();
    }
    if (kind.name == "task" && changed(field::kStatus) && merged[field::kStatus] == "done" &&
        merged["visited_at"].empty())
        p.changes["visited_at"] = nowIso();

    // Only what really changes is written.
    if (current)
        for (auto it = p.changes.begin(); it != p.changes.end();)
            it = current->value(it->first) == it->second ? p.changes.erase(it) : std::next(it);
    return p;
}

ValidationReport CaseStore::check(const std::string& kind, const std::string& id, const FieldMap& changes)
{
    const KindDef& k = requireKind(kind);
    std::optional<Record> current;
    if (!id.empty())
        current = get(id);
    return prepare(k, current, changes, false).report;
}

void CaseStore::appendAudit(const std::string& kind, const std::string& id, std::int64_t hlc,
                            const std::string& source,
                            const std::vector<std::tuple<std::string, std::string, std::string>>& lines)
{
    appendAudit(kind, id, hlc, source, lines, m_user, m_deviceId);
}

void CaseStore::appendAudit(const std::string& kind, const std::string& id, std::int64_t hlc,
                            const std::string& source,
                            const std::vector<std::tuple<std::string, std::string, std::string>>& lines,
                            const std::string& user, const std::string& device)
{
    const std::string at = nowIso();
    Statement& s = cached("INSERT INTO audit(record_id, kind, at, user, device, hlc, source, changes) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, id).bind(2, kind).bind(3, at).bind(4, user).bind(5, device).bind(6, hlc).bind(7, source)
        .bindBorrowed(8, auditJson(lines)) // the text lives to the end of the statement
        .run();

    // The status moves reports read (migrations 6 and 10): an application's
    // decision or withdrawal, next to the audit line that records it.
    if (kind != "application")
        return;
    static const std::set<std::string> kMoves = {"approved", "rejected", "issued", "withdrawn"};
    for (const auto& [fieldName, oldValue, newValue] : lines)
        if (fieldName == field::kStatus && kMoves.count(newValue))
        {
            Statement& move = cached("INSERT INTO status_move(audit_id, record_id, status, source, hlc, at) "
                                     "VALUES (?, ?, ?, ?, ?, ?)");
            move.bind(1, m_db->lastInsertRowid()).bind(2, id).bind(3, newValue).bind(4, source).bind(5, hlc).bind(6, at)
                .run();
            return;
        }
}

std::string CaseStore::insertRecord(const KindDef& kind, FieldMap values, const std::string& source)
{
    const std::string id = newUuidV7();
    const std::int64_t hlc = m_clock->now();
    const std::string now = nowIso();
    if (kind.name == "application")
        values[field::kProvisionalNo] = nextProvisionalNo();
    if (kind.name == "booking")
        values[field::kCode] = newBookingCode();

    std::string placeholders = "?, ?, ?, 0, ?, ?, NULL";
    for (std::size_t i = 0; i < kind.fields.size(); ++i)
        placeholders += ", ?";
    Statement& insert =
        cached("INSERT INTO " + kind.table + " (" + joinedColumns(kind) + ") VALUES (" + placeholders + ")");
    insert.bind(1, id).bind(2, now).bind(3, now).bind(4, hlc).bind(5, m_deviceId);
    for (std::size_t i = 0; i < kind.fields.size(); ++i)
    {
        const auto it = values.find(kind.fields[i].name);
        insert.bind(static_cast<int>(i) + 6, it == values.end() ? kEmpty : it->second);
    }
    insert.run();

    std::vector<std::tuple<std::string, std::string, std::string>> lines;
    lines.emplace_back(field::kCreatedAt, "", now);
    for (const auto& fd : kind.fields)
        if (const auto it = values.find(fd.name); it != values.end() && !it->second.empty())
            lines.emplace_back(fd.name, "", it->second);
    Statement& outbox = cached(outboxInsertSql(lines.size()));
    int p = 1;
    for (const auto& line : lines)
    {
        outbox.bind(p, kind.name).bind(p + 1, id).bind(p + 2, std::get<0>(line)).bind(p + 3, std::get<2>(line))
            .bind(p + 4, hlc).bind(p + 5, std::int64_t{0}).bindOptional(p + 6, kEmpty).bind(p + 7, m_user);
        p += 8;
    }
    outbox.run();
    appendAudit(kind.name, id, hlc, source, lines);

    if (kind.name == "application")
    {
        // One checklist row per requirement of the service, each its own
        // record so that two clerks ticking different items never conflict.
        Statement& s = cached("SELECT requirements FROM service WHERE code = ? AND deleted = 0");
        s.bind(1, values[field::kServiceCode]);
        const std::string list = s.step() ? s.text(0) : "";
        s.reset();
        const KindDef& req = requireKind("requirement");
        for (const auto& item : splitList(list))
            insertRecord(req, {{field::kApplicationId, id}, {"requirement", item}, {"fulfilled", "0"}}, source);
    }
    return id;
}

std::string CaseStore::create(const std::string& kindName, const FieldMap& fields)
{
    const KindDef& kind = requireKind(kindName);
    if (kind.name == "conflict")
        throw Error(ErrorCode::InvalidData, "kind: conflicts are made by sync, not created by hand");
    Prepared p = prepare(kind, std::nullopt, fields, false);
    p.report.throwFirstError();
    auto tx = beginWrite();
    const std::string id = insertRecord(kind, p.changes, "local");
    if (tx)
    {
        persistClock();
        tx->commit();
    }
    return id;
}

void CaseStore::writeChanges(const KindDef& kind, const Record& current, const FieldMap& changes,
                             const std::string& source)
{
    const std::int64_t hlc = m_clock->now();
    const Stamp stamp{hlc, m_deviceId};
    auto stamps = parseStamps(current.value("_stamps"));
    releaseIndexHold(kind, current.id); // the update trigger indexes the row anew
    std::string sql = "UPDATE " + kind.table + " SET updated_at = ?, _stamps = ?";
    for (const auto& [name, value] : changes)
        sql += ", " + name + " = ?";
    sql += " WHERE id = ?";

    Statement& outbox = cached(outboxInsertSql(changes.size()));
    std::vector<std::tuple<std::string, std::string, std::string>> lines;
    int p = 1;
    for (const auto& [name, value] : changes)
    {
        // Each name occurs once, so the stamps replaced so far are not this one's.
        const Stamp base = stampOf(current, stamps, name);
        outbox.bind(p, kind.name).bind(p + 1, current.id).bind(p + 2, name).bind(p + 3, value).bind(p + 4, hlc)
            .bind(p + 5, base.hlc).bind(p + 6, base.device).bind(p + 7, m_user);
        p += 8;
        lines.emplace_back(name, current.value(name), value);
        stamps[name] = stamp;
    }
    outbox.run();
    Statement& update = cached(sql);
    int i = 1;
    update.bind(1, nowIso());
    update.bind(2, formatStamps(stamps));
    i = 3;
    for (const auto& [name, value] : changes)
        update.bind(i++, value);
    update.bind(i, current.id).run();
    appendAudit(kind.name, current.id, hlc, source, lines);
}

void CaseStore::update(const std::string& id, const FieldMap& changes)
{
    const Record current = get(id);
    const KindDef& kind = requireKind(current.kind);
    if (kind.name == "conflict")
        throw Error(ErrorCode::InvalidData, "id: conflicts are settled with: berkas resolve " + id);
    Prepared p = prepare(kind, current, changes, false);
    p.report.throwFirstError();
    if (p.changes.empty())
        return;
    auto tx = beginWrite();
    writeChanges(kind, current, p.changes, "local");
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

std::vector<Record> CaseStore::list(const ListQuery& query)
{
    return listRecords(*m_db, query);
}

std::int64_t CaseStore::count(const ListQuery& query)
{
    return countRecords(*m_db, query);
}

std::vector<AuditLine> CaseStore::history(const std::string& id)
{
    get(id);
    std::vector<AuditLine> lines;
    Statement s(*m_db, "SELECT id, at, user, device, source, changes FROM audit WHERE record_id = ? ORDER BY id");
    s.bind(1, id);
    Poco::JSON::Parser parser;
    while (s.step())
    {
        const auto array = parser.parse(s.text(5)).extract<Poco::JSON::Array::Ptr>();
        parser.reset();
        for (std::size_t i = 0; i < array->size(); ++i)
        {
            AuditLine line{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), {}, {}, {}};
            if (const auto written = array->getArray(static_cast<unsigned>(i)))
            {
                const bool hasOld = written->size() == 3;
                line.field = written->getElement<std::string>(0);
                line.oldValue = hasOld ? written->getElement<std::string>(1) : std::string();
                line.newValue = written->getElement<std::string>(hasOld ? 2 : 1);
            }
            else
            {
                const auto before11 = array->getObject(static_cast<unsigned>(i));
                line.field = before11->getValue<std::string>("field");
                line.oldValue = before11->getValue<std::string>("old");
                line.newValue = before11->getValue<std::string>("new");
            }
            lines.push_back(std::move(line));
        }
    }
    return lines;
}

std::vector<std::string> CaseStore::importCsv(const std::string& kindName, const std::string& path)
{
    const KindDef& kind = requireKind(kindName);
    if (!kind.userKind)
        throw Error(ErrorCode::InvalidData, "kind: " + kind.name + " records cannot be imported");
    const auto rows = readCsvFile(path);
    if (rows.empty())
        throw Error(ErrorCode::InvalidData, path + ": the file is empty; expected a header row of field names");
    const auto& header = rows.front().cells;
    std::vector<std::string> problems;
    for (const auto& name : header)
        if (!kind.field(trim(name)))
            problems.push_back("line 1: " + trim(name) + ": unknown field of " + kind.name);
    if (!problems.empty())
        throw Error(ErrorCode::InvalidData, problems.front() + (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more)" : ""));

    // Validate everything first; write only if every row is good. Booking
    // codes and provisional numbers are drawn inside the one transaction.
    std::vector<FieldMap> prepared;
    for (std::size_t r = 1; r < rows.size(); ++r)
    {
        const auto& cells = rows[r].cells;
        if (cells.size() != header.size())
        {
            problems.push_back("line " + std::to_string(rows[r].line) + ": expected " + std::to_string(header.size()) +
                               " columns, got " + std::to_string(cells.size()));
            continue;
        }
        FieldMap fields;
        for (std::size_t c = 0; c < header.size(); ++c)
            if (!trim(cells[c]).empty())
                fields[trim(header[c])] = cells[c];
        Prepared p = prepare(kind, std::nullopt, fields, true);
        for (const auto& e : p.report.errors())
            problems.push_back("line " + std::to_string(rows[r].line) + ": " + e.text());
        prepared.push_back(std::move(p.changes));
    }
    if (!problems.empty())
    {
        std::string text = problems.front();
        for (std::size_t i = 1; i < problems.size(); ++i)
            text += "\n" + problems[i];
        throw Error(ErrorCode::InvalidData, text);
    }
    std::vector<std::string> ids;
    auto tx = beginWrite();
    for (auto& fields : prepared)
        ids.push_back(insertRecord(kind, fields, "import"));
    if (tx)
    {
        persistClock();
        tx->commit();
    }
    return ids;
}

std::vector<OutboxEntry> CaseStore::outbox(std::size_t limit, std::int64_t afterSeq)
{
    Statement& s = cached("SELECT seq, kind, record_id, field, value, hlc, base_hlc, base_device, user FROM outbox "
                          "WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, afterSeq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxEntry> entries;
    while (s.step())
        entries.push_back(outboxEntry(s, m_deviceId));
    s.reset();
    return entries;
}

std::int64_t CaseStore::outboxSize()
{
    Statement& s = cached("SELECT count(*) FROM outbox");
    s.step();
    const auto n = s.integer(0);
    s.reset();
    return n;
}

void CaseStore::acknowledge(std::int64_t seq)
{
    Statement& s = cached("DELETE FROM outbox WHERE seq <= ?");
    s.bind(1, seq).run();
}

void CaseStore::writeReplicated(const std::string& kindName, const std::string& id,
                                const std::vector<std::pair<std::string, std::optional<std::string>>>& fields,
                                const std::vector<Stamp>& stamps, const std::vector<std::string>& users,
                                const std::optional<Record>* known)
{
    const KindDef& kind = requireKind(kindName);
    if (stamps.size() != fields.size() || users.size() != fields.size())
        throw Error(ErrorCode::Internal, "writeReplicated: one stamp and one user per field");
    std::vector<std::tuple<std::string, std::string, std::string>> lines;
    lines.reserve(fields.size());
    std::int64_t maxHlc = 0;
    bool oneStamp = true;
    bool allValues = true;
    // The kind and its fields in the order given, one control character
    // each: the cache key of the INSERT a record seen for the first time
    // needs (see below); no SQL text starts with one.
    std::string columns(1, static_cast<char>(&kind - kinds().data()));
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        const auto& name = fields[i].first;
        const FieldDef* fd = kind.field(name);
        if (!fd && name != field::kCreatedAt && name != field::kDeleted)
            throw Error(ErrorCode::InvalidData, "field: unknown field \"" + name + "\" of " + kind.name);
        columns += static_cast<char>(fd ? 2 + (fd - kind.fields.data()) : name == field::kCreatedAt ? 0 : 1);
        maxHlc = std::max(maxHlc, stamps[i].hlc);
        oneStamp = oneStamp && stamps[i] == stamps.front();
        allValues = allValues && fields[i].second.has_value();
    }
    const auto bindValue = [](Statement& st, int index, const std::string& name, const std::optional<std::string>& v) {
        if (name == field::kDeleted)
            st.bind(index, static_cast<std::int64_t>(v.value_or("0") == "1"));
        else
            st.bindOptional(index, v);
    };

    std::optional<Record> current = known ? *known : readRecord(kind, id);
    if (!current && oneStamp && allValues)
    {
        // A record seen for the first time, written in one go (the common
        // case of a pull): one INSERT with the shared stamp as row stamp.
        // A pull brings thousands with the same fields, so the statement is
        // kept by their signature, and the values are read in place.
        Statement& insert = cached(columns, [&] {
            std::string cols = "id, updated_at, _hlc, _device";
            std::string marks = "?, ?, ?, ?";
            for (const auto& f : fields)
            {
                cols += ", " + f.first;
                marks += ", ?";
            }
            return "INSERT INTO " + kind.table + " (" + cols + ") VALUES (" + marks + ")";
        });
        insert.bind(1, id).bind(2, nowIso()).bind(3, stamps.front().hlc).bind(4, stamps.front().device);
        int p = 5;
        for (const auto& [name, value] : fields)
        {
            if (name == field::kDeleted)
                bindValue(insert, p++, name, value);
            else
                insert.bindBorrowed(p++, *value);
            lines.emplace_back(name, "", *value);
        }
        insert.run();
    }
    else
    {
        if (!current)
        {
            Statement& insert = cached("INSERT INTO " + kind.table + " (id, _hlc, _device) VALUES (?, 0, '')");
            insert.bind(1, id).run();
            current = Record{kind.name, id, {}};
        }
        releaseIndexHold(kind, id); // the update trigger indexes the row anew
        auto overrides = parseStamps(current->value("_stamps"));
        std::string sql = "UPDATE " + kind.table + " SET updated_at = ?, _stamps = ?";
        for (std::size_t i = 0; i < fields.size(); ++i)
        {
            sql += ", " + fields[i].first + " = ?";
            overrides[fields[i].first] = stamps[i];
            lines.emplace_back(fields[i].first, current->value(fields[i].first), fields[i].second.value_or(""));
        }
        Statement& update = cached(sql + " WHERE id = ?");
        update.bind(1, nowIso());
        update.bind(2, formatStamps(overrides));
        int p = 3;
        for (const auto& [name, value] : fields)
            bindValue(update, p++, name, value);
        update.bind(p, id).run();
    }
    m_clock->observe(maxHlc);
    // The audit names who made each change, not who pulled it: laptop A's
    // edit pulled by laptop B is A's device and A's user in B's history.
    // One pulled write may carry fields of several devices and users (a
    // record entering the scope arrives whole), so it becomes one entry per
    // device and user, in the order they first appear, each with its own
    // newest stamp.
    std::vector<std::pair<std::string, std::string>> authors; // (device, user)
    std::vector<std::vector<std::tuple<std::string, std::string, std::string>>> byAuthor;
    std::vector<std::int64_t> hlcOf;
    for (std::size_t i = 0; i < fields.size(); ++i)
    {
        // A value with the zero stamp (never written, as the central office
        // re-sends a field it keeps empty after a conflict) has no author:
        // the central office is all that can be named.
        const bool authorless = stamps[i].device.empty();
        const std::pair<std::string, std::string> author{authorless ? kCentralOffice : stamps[i].device,
                                                         authorless && users[i].empty() ? kCentralOffice : users[i]};
        std::size_t a = 0;
        while (a < authors.size() && authors[a] != author)
            ++a;
        if (a == authors.size())
        {
            authors.push_back(author);
            byAuthor.emplace_back();
            hlcOf.push_back(0);
        }
        byAuthor[a].push_back(std::move(lines[i]));
        hlcOf[a] = std::max(hlcOf[a], stamps[i].hlc);
    }
    for (std::size_t a = 0; a < authors.size(); ++a)
        appendAudit(kind.name, id, hlcOf[a], "sync", byAuthor[a], authors[a].second, authors[a].first);
}

void CaseStore::writeReplicated(const std::string& kindName, const std::string& id,
                                const std::vector<std::pair<std::string, std::optional<std::string>>>& fields,
                                const std::vector<Stamp>& stamps, const std::string& user,
                                const std::optional<Record>* known)
{
    writeReplicated(kindName, id, fields, stamps, std::vector<std::string>(fields.size(), user), known);
}

std::map<std::string, Stamp> CaseStore::fieldStamps(const Record& record)
{
    std::map<std::string, Stamp> out;
    const Stamp row{std::atoll(record.value("_hlc").c_str()), record.value("_device")};
    for (const auto& [name, value] : record.values)
        if (name[0] != '_' && (!value.empty() || name == field::kDeleted))
            out[name] = row;
    for (const auto& [name, stamp] : parseStamps(record.value("_stamps")))
        out[name] = stamp;
    out.erase(field::kId);
    out.erase(field::kUpdatedAt);
    return out;
}

std::map<std::string, OutboxEntry> CaseStore::pendingChanges(const std::string& recordId)
{
    Statement& s = cached("SELECT seq, kind, record_id, field, value, hlc, base_hlc, base_device, user FROM outbox "
                          "WHERE record_id = ? ORDER BY seq");
    s.bind(1, recordId);
    std::map<std::string, OutboxEntry> out;
    while (s.step())
    {
        OutboxEntry e = outboxEntry(s, m_deviceId);
        out[e.field] = std::move(e); // the newest of a field stays
    }
    s.reset();
    return out;
}

void CaseStore::purgeLocal(const std::string& kindName, const std::string& id, const std::string& why)
{
    const KindDef& kind = requireKind(kindName);
    auto tx = beginWrite();
    // The delete trigger takes the row out of the index; and once the
    // largest rowid is gone SQLite hands it out again, which would hide the
    // next new row from releaseIndexHold(): release whatever the record.
    if (m_indexHeld.count(kind.table))
        releaseIndexHold();
    Statement& remove = cached("DELETE FROM " + kind.table + " WHERE id = ?");
    remove.bind(1, id).run();
    if (m_db->changes() > 0)
        appendAudit(kind.name, id, m_clock->now(), "sync", {{"scope", "", why}});
    if (tx)
        tx->commit();
}

} // namespace berkas::model
