#pragma once

#include "model/AuditLog.h"
#include "model/Database.h"
#include "model/DeviceClock.h"
#include "model/DeviceSettings.h"
#include "model/EscrowLedger.h"
#include "model/Hlc.h"
#include "model/Outbox.h"
#include "model/Record.h"
#include "model/RecordQuery.h"
#include "model/ReplicaStore.h"
#include "model/Schema.h"
#include "model/Validation.h"
#include "model/OfficeCalendar.h"
#include "model/WorkingDayCalendar.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berkas::model {

class FullTextHold;
class StatementCache;
class WriteRules;
struct PreparedWrite;

/// Construction settings; tests fix the clock and the device id.
struct StoreOptions
{
    std::string dataDir;
    std::function<std::int64_t()> clockMs = &HybridLogicalClock::systemMs;
    std::string deviceId;          ///< empty: made at first open and kept
    int utcOffsetMinutes = 7 * 60; ///< the office's zone (WIB by default)
    std::string user;              ///< empty: the stored user, else $USER
    /// The unwrapped data key (KeyRing, 32 raw bytes) of an encrypted laptop;
    /// empty: attachments are stored in plain.
    std::string dataKey;
};

/// The local case store: the only writer of replicated tables. Every write
/// (create, update, delete) runs in one transaction that writes the row,
/// appends one outbox entry per changed field stamped with the hybrid logical
/// clock and the stamp of the value it replaced, and appends one audit entry.
/// A write that fails validation throws ValidationError (an Error(InvalidData)
/// carrying the typed problem) with the first problem as "field: rule" and
/// leaves nothing behind.
///
/// A façade: it owns the transaction of each write and hands the work to
/// pieces that each do one job: WriteRules (what a person's write may do and
/// what it computes), ReplicaStore (rows and their stamps), Outbox, AuditLog,
/// DeviceSettings and DeviceClock, FullTextHold (inBulk), RecordQuery (lists),
/// CsvImport and the reference seed.
///
/// One CaseStore per thread: it owns its SQLite connection. Other connections
/// (another process, the window's worker) see committed data through WAL.
class CaseStore
{
public:
    explicit CaseStore(StoreOptions options);
    ~CaseStore();

    /// The database file inside a data folder.
    static std::string databasePath(const std::string& dataDir);
    /// The connection settings of the store's file (WAL, cache), for tools
    /// that open a comparable database.
    static const char* const kPragmas;

    const std::string& deviceId() const { return m_deviceId; }
    const std::string& user() const { return m_user; }
    /// StoreOptions::dataKey; empty when the laptop is not encrypted.
    const std::string& dataKey() const { return m_options.dataKey; }
    void setUser(const std::string& user);
    Database& database() { return *m_db; }
    /// The office's holidays everywhere (regional days included), as
    /// officeCalendar() has them.
    const WorkingDayCalendar& calendar() { return officeCalendar().holidays(); }
    /// The office's calendar: holidays, regional days and suspensions, read
    /// again after a write of a calendar_day or suspension record.
    const OfficeCalendar& officeCalendar();
    int utcOffsetMinutes() const { return m_options.utcOffsetMinutes; }

    /// Checks a prospective write without doing it. @p id empty: a new record.
    ValidationReport check(const std::string& kind, const std::string& id, const FieldMap& changes);

    /// Creates a record and returns its id (UUIDv7). Throws as described above.
    std::string create(const std::string& kind, const FieldMap& fields);

    /// Changes fields of a record; unchanged values write nothing. Status moves
    /// are checked against the workflow table. Throws NotFound for an unknown id.
    /// What the write rules bring with a change is made in its transaction:
    /// an application moved to field_verification gets its verifier's task.
    void update(const std::string& id, const FieldMap& changes);

    /// Marks a record deleted (a tombstone that replicates).
    void remove(const std::string& id);

    std::optional<Record> find(const std::string& id);
    /// The record of a known kind, or nothing; faster than find(id).
    std::optional<Record> find(const std::string& kind, const std::string& id);

    /// Settles an open conflict: @p keep is "local" (the value made on this
    /// laptop, or the one it shows), "remote" (the other one) or "value" with
    /// @p value. The choice is an ordinary change that syncs, and marks the
    /// conflict resolved on every replica. Throws InvalidData when the
    /// conflict is already resolved or the chosen value breaks a rule.
    void resolveConflict(const std::string& conflictId, const std::string& keep, const std::string& value = "");
    /// The record or Error(NotFound) "no record with id ...".
    Record get(const std::string& id);
    std::vector<Record> list(const ListQuery& query) { return listRecords(*m_db, query); }
    std::int64_t count(const ListQuery& query) { return countRecords(*m_db, query); }

    /// The audit trail of a record, oldest first, one line per changed field.
    std::vector<AuditLine> history(const std::string& id);

    /// Validates every row of a CSV file (header row of field names) and then
    /// creates them all in one transaction, or none: on any problem throws
    /// Error(InvalidData) listing every problem as "line N: field: rule".
    /// Returns the new ids in file order.
    std::vector<std::string> importCsv(const std::string& kind, const std::string& path);

    // --- change capture, as the sync engine sees it ---

    std::vector<OutboxEntry> outbox(std::size_t limit, std::int64_t afterSeq = 0)
    {
        return m_outbox->entries(limit, afterSeq);
    }
    std::int64_t outboxSize() { return m_outbox->size(); }
    /// Drops outbox entries up to and including @p seq (the server has them).
    void acknowledge(std::int64_t seq) { m_outbox->acknowledge(seq); }
    /// Folds a clock seen elsewhere into this device's HLC and persists it.
    void observeClock(std::int64_t hlc);
    /// The central office's clock (UNIX ms) as seen in an answer: folded into
    /// the HLC, and when this laptop's clock is off by more than 30 s the
    /// difference is kept and corrects every later reading.
    void observeServerTime(std::int64_t serverMs) { m_clock->observeServerTime(serverMs); }
    std::int64_t hlcNow() { return m_clock->now(); }

    /// Runs @p work in one transaction: creates and updates inside it join it,
    /// and an exception rolls all of them back.
    void inBatch(const std::function<void()>& work);

    /// inBatch for many new records at once (a pull): their full-text
    /// indexing is held back and done in one statement at the end, which
    /// FTS5 makes several times faster than a row at a time. Searches inside
    /// @p work do not see the records it adds.
    void inBulk(const std::function<void()>& work);

    /// Replaces the wall clock (UNIX ms); nullptr restores the configured one.
    /// For demo data and tests; the HLC still never goes backwards.
    void setWallClock(std::function<std::int64_t()> clockMs) { m_clock->setWallClock(std::move(clockMs)); }

    /// Stored settings of this device (server URL, cursor, ...).
    std::string setting(const std::string& key, const std::string& fallback = "")
    {
        return m_settings->get(key, fallback);
    }
    void setSetting(const std::string& key, const std::string& value) { m_settings->set(key, value); }

    /// Current time as ISO 8601 in the office zone, "2026-11-23T19:05:00+07:00".
    std::string nowIso() { return m_clock->nowIso(); }
    /// Today's date in the office zone.
    Date today() { return m_clock->today(); }
    /// The counter slots the central office granted this device ahead of
    /// time; create() confirms a new booking from them at once when they
    /// hold a slot for its location, service and day.
    EscrowLedger& escrow() { return *m_escrow; }

    /// The stamp of one field of a record (zero when never written), as
    /// stored now: the record is read again by its kind and id. To compare
    /// stamps before and after a write, keep a replicaState().
    Stamp fieldStamp(const Record& record, const std::string& field);

    /// A record with the stamp of each of its fields, read once, or nothing.
    /// Hand it to writeReplicated() to write it without reading it again.
    std::optional<ReplicaState> replicaState(const std::string& kind, const std::string& id);

    /// Writes fields that came from elsewhere (a pull, a merge), each with its
    /// stamp and the user who wrote it (@p users, parallel to @p fields):
    /// no outbox entry, and audit lines with source "sync" that name each
    /// field's own device (its stamp's) and user; fields from several
    /// devices or users make one audit entry per device and user. Creates the
    /// row when missing. The caller runs it inside a Transaction. @p current,
    /// when given, is the record's replicaState() as the caller just read it
    /// (or nullopt: not here), which saves reading it again. Not a person's
    /// write: the write rules do not run, so it brings nothing with it.
    void writeReplicated(const std::string& kind, const std::string& id,
                         const std::vector<std::pair<std::string, std::optional<std::string>>>& fields,
                         const std::vector<Stamp>& stamps, const std::vector<std::string>& users,
                         const std::optional<ReplicaState>* current = nullptr);
    /// The same, every field written by @p user.
    void writeReplicated(const std::string& kind, const std::string& id,
                         const std::vector<std::pair<std::string, std::optional<std::string>>>& fields,
                         const std::vector<Stamp>& stamps, const std::string& user,
                         const std::optional<ReplicaState>* current = nullptr);

    /// The stamp of every field of a record that has one, as stored now (see
    /// fieldStamp()).
    std::map<std::string, Stamp> fieldStamps(const Record& record);

    /// The newest unpushed change of each field of a record, by field.
    std::map<std::string, OutboxEntry> pendingChanges(const std::string& recordId)
    {
        return m_outbox->pending(recordId);
    }

    /// Whether the outbox holds an unpushed change of this field.
    bool hasPending(const std::string& recordId, const std::string& field)
    {
        return m_outbox->hasPending(recordId, field);
    }

    /// Open conflicts that need review for a record block its status moves.
    bool hasReviewConflict(const std::string& recordId);

    /// Removes a record from this laptop only, because it left the user's
    /// scope (the server keeps it) or the server refused it: no tombstone and
    /// no outbox entry, one audit line giving @p why. Nothing happens when
    /// the record is not here.
    void purgeLocal(const std::string& kind, const std::string& id, const std::string& why = "left scope");

    /// What the central office knows of this device's numbering: the highest
    /// change id it took, the highest HLC of its stamps and its highest
    /// provisional-number counter. A laptop put back from an older copy of
    /// its folder is behind them; this moves the outbox's change ids, the
    /// clock and the provisional counter past them (never back), so nothing
    /// written from now on reuses an id, a stamp or a number.
    void moveCountersPast(std::int64_t changeSeq, std::int64_t hlc, std::int64_t provisional);

    /// After the server answered that change ids from @p fromSeq on were used
    /// before (a restored laptop): those outbox entries get new ids after
    /// @p afterSeq, in the same order, and the provisional numbers among them
    /// (unsent new applications) at or below @p provisional get new numbers.
    /// Returns how many entries were renumbered. Inside the caller's transaction.
    std::int64_t renumberUnsent(std::int64_t fromSeq, std::int64_t afterSeq, std::int64_t provisional);

private:
    std::string insertRecord(const KindDef& kind, FieldMap values, const std::string& source);
    /// A person's new record as the write rules leave it; throws
    /// ValidationError when it breaks one.
    PreparedWrite prepareNew(const KindDef& kind, const FieldMap& fields);
    void writeChanges(const KindDef& kind, const ReplicaState& current, const FieldMap& changes,
                      const std::string& source);
    /// The same for a record read without its stamps (reads them).
    void writeChanges(const KindDef& kind, const Record& current, const FieldMap& changes, const std::string& source);
    /// One audit entry written by this device and its user.
    void appendAudit(const std::string& kind, const std::string& id, std::int64_t hlc, const std::string& source,
                     const AuditChanges& lines);
    void persistClock();
    std::string nextProvisionalNo();
    /// "P-4433AA-": this device's provisional numbers start so.
    std::string nextProvisionalPrefix() const;
    std::string newBookingCode();
    std::optional<Record> readRecord(const KindDef& kind, const std::string& id);
    Statement& cached(const std::string& sql);
    std::optional<Transaction> beginWrite();

    StoreOptions m_options;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<StatementCache> m_statements;
    std::unique_ptr<DeviceSettings> m_settings;
    std::unique_ptr<EscrowLedger> m_escrow;
    std::unique_ptr<DeviceClock> m_clock;
    std::unique_ptr<OfficeCalendar> m_calendar;
    std::uint64_t m_calendarAt = 0; ///< ReplicaStore::calendarWrites() when m_calendar was read
    std::unique_ptr<FullTextHold> m_index;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<ReplicaStore> m_replica;
    std::unique_ptr<WriteRules> m_rules;
    std::string m_deviceId;
    std::string m_user;
    int m_batchDepth = 0;
};

} // namespace berkas::model
