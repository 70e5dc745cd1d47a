#pragma once

// Fixtures shared by the store tests: a temporary data folder, a fake clock,
// a fixed device id, row counts and the invariants checked after every write.

#include "model/CaseStore.h"
#include "tests/support/TempDir.h"
#include "model/Database.h"
#include "model/Date.h"
#include "model/Error.h"
#include "model/Hlc.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace berkas::test {

/// UNIX milliseconds of an office-local (WIB, UTC+7) date and time.
inline std::int64_t wibMs(model::Date day, int hour, int minute = 0)
{
    const std::int64_t seconds = static_cast<std::int64_t>(day.toDays()) * 86400 + hour * 3600 + minute * 60 - 7 * 3600;
    return seconds * 1000;
}

/// A wall clock the test moves by hand; the store reads it through StoreOptions::clockMs.
class FakeClock
{
public:
    explicit FakeClock(std::int64_t ms) : m_ms(std::make_shared<std::int64_t>(ms)) {}
    void set(std::int64_t ms) { *m_ms = ms; }
    void advance(std::int64_t ms) { *m_ms += ms; }
    std::int64_t ms() const { return *m_ms; }
    std::function<std::int64_t()> function() const
    {
        auto ms = m_ms;
        return [ms] { return *ms; };
    }

private:
    std::shared_ptr<std::int64_t> m_ms;
};

inline const std::string kDeviceId = "0f0e0d0c-0b0a-4999-8888-7766554433aa";
/// The provisional-number prefix of kDeviceId: its last six characters, upper case.
inline const std::string kDevicePrefix = "P-4433AA-";

/// A data folder, a fake clock at Friday 7 May 2021 09:00 WIB (the week
/// before Idul Fitri) and a store on them with a fixed device id.
struct StoreFixture
{
    TempDir dir;
    FakeClock clock{wibMs(model::Date(2021, 5, 7), 9)};
    std::unique_ptr<model::CaseStore> store;

    StoreFixture() { open(); }

    model::StoreOptions options(const std::string& deviceId = kDeviceId) const
    {
        model::StoreOptions o;
        o.dataDir = dir.path;
        o.clockMs = clock.function();
        o.deviceId = deviceId;
        o.user = "clerk.test";
        return o;
    }

    void open(const std::string& deviceId = kDeviceId)
    {
        store.reset();
        store = std::make_unique<model::CaseStore>(options(deviceId));
    }
    void close() { store.reset(); }
};

inline std::int64_t scalar(model::Database& db, const std::string& sql)
{
    model::Statement s(db, sql);
    REQUIRE(s.step());
    return s.integer(0);
}

inline std::int64_t countRows(model::Database& db, const std::string& table, const std::string& where = "")
{
    return scalar(db, "SELECT count(*) FROM " + table + (where.empty() ? "" : " WHERE " + where));
}

/// Row counts of every table a write may touch, to prove a rejected write left nothing.
inline std::map<std::string, std::int64_t> tableCounts(model::Database& db)
{
    std::map<std::string, std::int64_t> counts;
    for (const char* t : {"application", "requirement", "task", "complaint", "booking", "service", "note",
                          "attachment", "conflict", "outbox", "audit"})
        counts[t] = countRows(db, t);
    model::Statement s(db, "SELECT group_concat(key || '=' || value, ';') FROM (SELECT * FROM meta ORDER BY key)");
    s.step();
    counts["meta:" + s.text(0)] = 1;
    return counts;
}

/// One outbox row as stored.
struct OutboxRow
{
    std::int64_t seq = 0;
    std::string recordId;
    std::string field;
    std::string value;
    std::int64_t hlc = 0;
    std::int64_t baseHlc = 0;
    std::string baseDevice;
};

inline std::vector<OutboxRow> outboxRows(model::Database& db, const std::string& recordId = "",
                                         std::int64_t afterSeq = 0)
{
    model::Statement s(db, "SELECT seq, record_id, field, value, hlc, base_hlc, base_device FROM outbox "
                           "WHERE seq > ? AND (? IS NULL OR record_id = ?) ORDER BY seq");
    s.bind(1, afterSeq).bind(2, recordId).bind(3, recordId);
    std::vector<OutboxRow> rows;
    while (s.step())
        rows.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.integer(5), s.text(6)});
    return rows;
}

inline std::int64_t maxOutboxSeq(model::Database& db)
{
    return scalar(db, "SELECT coalesce(max(seq), 0) FROM outbox");
}

inline std::set<std::string> fieldsOf(const std::vector<OutboxRow>& rows)
{
    std::set<std::string> fields;
    for (const auto& r : rows)
        fields.insert(r.field);
    return fields;
}

/// The message of the Error @p write throws, or "(no error)".
inline std::string errorOf(const std::function<void()>& write)
{
    try
    {
        write();
    }
    catch (const Error& e)
    {
        return e.what();
    }
    return "(no error)";
}

/// Ticks every checklist item of application @p id, as the clerk who checks
/// the documents does before the file leaves document_check.
/// A new application of @p service in @p kecamatan (synthetic applicant, NIK
/// of Jatiasih), submitted and moved to document_check: its id.
inline std::string inDocumentCheck(model::CaseStore& store, const std::string& kecamatan = "32.75.09",
                                   const std::string& service = "PBG")
{
    const std::string id = store.create("application", {{"service_code", service},
                                                        {"applicant_name", "Rina Kartikasari"},
                                                        {"nik", "3275090101900001"},
                                                        {"kecamatan", kecamatan},
                                                        {"channel", "phone"},
                                                        {"status", "submitted"}});
    store.update(id, {{"status", "document_check"}});
    return id;
}

inline void tickChecklist(model::CaseStore& store, const std::string& id)
{
    model::ListQuery q;
    q.kind = "requirement";
    q.where = {{"application_id", id}};
    for (const auto& item : store.list(q))
        store.update(item.id, {{"fulfilled", "1"}, {"checked_by", "clerk.test"}});
}

/// The invariants of the store, checked after every write (STYLE.md, "Tests"):
/// SQLite and the FTS indexes are sound; every local write is one audit entry
/// whose fields are exactly the outbox rows it made, all with one stamp;
/// stamps strictly increase from write to write; each outbox row's base is the
/// stamp of the value it replaced; each row's stored field stamps match the
/// latest outbox row of the field.
inline void checkInvariants(model::CaseStore& store)
{
    model::Database& db = store.database();
    {
        model::Statement s(db, "PRAGMA integrity_check");
        REQUIRE(s.step());
        REQUIRE(s.text(0) == "ok");
    }
    REQUIRE_NOTHROW(db.exec("INSERT INTO application_fts(application_fts) VALUES ('integrity-check')"));
    REQUIRE_NOTHROW(db.exec("INSERT INTO complaint_fts(complaint_fts) VALUES ('integrity-check')"));

    const auto rows = outboxRows(db);
    // (record, hlc) -> fields written by that write
    std::map<std::pair<std::string, std::int64_t>, std::multiset<std::string>> byWrite;
    std::int64_t lastHlc = 0;
    std::map<std::pair<std::string, std::string>, std::int64_t> lastStampOf;
    std::set<std::string> createdHere;
    for (const auto& r : rows)
    {
        if (r.field == model::field::kCreatedAt)
            createdHere.insert(r.recordId);
        REQUIRE(r.hlc >= lastHlc);
        lastHlc = r.hlc;
        byWrite[{r.recordId, r.hlc}].insert(r.field);
        const auto previous = lastStampOf.find({r.recordId, r.field});
        if (previous != lastStampOf.end())
        {
            INFO("outbox seq " << r.seq << " field " << r.field);
            CHECK(r.baseHlc == previous->second);
            CHECK(r.baseDevice == store.deviceId());
        }
        else if (createdHere.count(r.recordId) && r.field != model::field::kDeleted)
        {
            // A record made on this laptop: the first outbox row of a field is
            // its creation or the first value of a field created empty, so it
            // replaced nothing. (Deletion's base is the creation stamp.)
            INFO("outbox seq " << r.seq << " field " << r.field << " is the first write of the field");
            CHECK(r.baseHlc == 0);
            CHECK(r.baseDevice.empty());
        }
        lastStampOf[{r.recordId, r.field}] = r.hlc;
    }

    model::Statement audit(db, "SELECT id, record_id, hlc, source, changes, device FROM audit "
                               "WHERE source IN ('local', 'import') ORDER BY id");
    std::int64_t lastAuditHlc = 0;
    std::size_t audited = 0;
    Poco::JSON::Parser parser;
    while (audit.step())
    {
        INFO("audit entry " << audit.integer(0));
        const std::int64_t hlc = audit.integer(2);
        CHECK(hlc > lastAuditHlc);
        lastAuditHlc = hlc;
        CHECK(audit.text(5) == store.deviceId());
        const auto changes = parser.parse(audit.text(4)).extract<Poco::JSON::Array::Ptr>();
        parser.reset();
        std::multiset<std::string> fields;
        for (std::size_t i = 0; i < changes->size(); ++i)
            fields.insert(changes->getArray(static_cast<unsigned>(i))->getElement<std::string>(0)); // [field, (old,) new]
        const auto it = byWrite.find({audit.text(1), hlc});
        REQUIRE(it != byWrite.end());
        CHECK(it->second == fields);
        ++audited;
    }
    CHECK(audited == byWrite.size());

    // Row stamps: created fields carry the row's creation stamp (_hlc), later
    // writes are in _stamps as "hlc@device".
    for (const auto& [key, hlc] : lastStampOf)
    {
        const auto& [recordId, fieldName] = key;
        const auto record = store.find(recordId);
        REQUIRE(record);
        const model::Stamp stamp = store.fieldStamp(*record, fieldName);
        INFO("record " << recordId << " field " << fieldName);
        CHECK(stamp.hlc == hlc);
        CHECK(stamp.device == store.deviceId());
    }
}

/// Checks that the writes since @p afterSeq touched @p recordId exactly once:
/// one audit entry and one outbox row for each field of @p fields, one stamp.
inline std::vector<OutboxRow> expectOneWrite(model::CaseStore& store, std::int64_t afterSeq, const std::string& recordId,
                                             const std::set<std::string>& fields)
{
    auto rows = outboxRows(store.database(), recordId, afterSeq);
    CHECK(fieldsOf(rows) == fields);
    CHECK(rows.size() == fields.size());
    std::set<std::int64_t> stamps;
    for (const auto& r : rows)
        stamps.insert(r.hlc);
    CHECK(stamps.size() == 1);
    if (!stamps.empty())
        CHECK(countRows(store.database(), "audit",
                        "record_id = '" + recordId + "' AND hlc = " + std::to_string(*stamps.begin())) == 1);
    checkInvariants(store);
    return rows;
}

} // namespace berkas::test
