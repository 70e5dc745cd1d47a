#include "model/Migrations.h"

#include "model/Error.h"

#include <string>
#include <vector>

namespace berkas::model {

namespace {

// Every replicated table carries the stamp of its creation (_hlc, _device)
// and, as JSON {field: "hlc@device"}, the stamps of fields changed since
// (_stamps). Columns are nullable: records arriving by sync may be partial
// for a moment, and validation lives in the store, not in constraints.
#define BERKAS_RECORD_COLUMNS                                                                                  \
    "id TEXT PRIMARY KEY, created_at TEXT, updated_at TEXT, deleted INTEGER NOT NULL DEFAULT 0, "             \
    "_hlc INTEGER NOT NULL DEFAULT 0, _device TEXT NOT NULL DEFAULT '', _stamps TEXT"

const std::vector<const char*> kMigrations = {
    // 1: records, outbox, audit, settings, holidays.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE holiday (date TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
CREATE TABLE service ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    code TEXT, name TEXT, agency TEXT, sla_days INTEGER, needs_field_verification TEXT, requirements TEXT,
    suspended_from TEXT, suspended_to TEXT, suspension_basis TEXT, exempt_from_suspension INTEGER);
CREATE INDEX service_code ON service(code);
CREATE TABLE application ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    reg_no TEXT, provisional_no TEXT, service_code TEXT, applicant_name TEXT, nik TEXT, nib TEXT, phone TEXT,
    email TEXT, address TEXT, kecamatan TEXT, kelurahan TEXT, channel TEXT, status TEXT, submitted_at TEXT,
    due_date TEXT, assigned_to TEXT);
CREATE INDEX application_status ON application(status);
CREATE INDEX application_created ON application(created_at);
CREATE TABLE requirement ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    application_id TEXT, requirement TEXT, fulfilled INTEGER, checked_by TEXT, note TEXT);
CREATE INDEX requirement_application ON requirement(application_id);
CREATE TABLE task ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    application_id TEXT, assigned_to TEXT, scheduled_for TEXT, status TEXT, result TEXT, findings TEXT,
    latitude REAL, longitude REAL, visited_at TEXT);
CREATE INDEX task_application ON task(application_id);
CREATE TABLE complaint ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    kind TEXT, channel TEXT, complainant_name TEXT, contact TEXT, subject TEXT, body TEXT, category TEXT,
    sla_class TEXT, kecamatan TEXT, application_id TEXT, status TEXT, received_at TEXT, due_date TEXT,
    response TEXT, responded_at TEXT);
CREATE TABLE booking ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    service_code TEXT, location TEXT, date TEXT, slot TEXT, applicant_name TEXT, nik TEXT, email TEXT,
    phone TEXT, code TEXT, status TEXT);
CREATE INDEX booking_date ON booking(date, slot);
CREATE INDEX booking_code ON booking(code);
CREATE TABLE note ()sql" BERKAS_RECORD_COLUMNS R"sql(, parent_id TEXT, author TEXT, body TEXT);
CREATE INDEX note_parent ON note(parent_id);
CREATE TABLE attachment ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    parent_id TEXT, name TEXT, mime TEXT, size INTEGER, sha256 TEXT);
CREATE INDEX attachment_parent ON attachment(parent_id);
-- One row per changed field, in the order written; seq is the device-scoped
-- change id and is never reused (AUTOINCREMENT), so the server can drop
-- duplicates of a retried push.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL,
    value TEXT, hlc INTEGER NOT NULL, base_hlc INTEGER NOT NULL, base_device TEXT, user TEXT);
-- One row per write: who, when, and the fields with old and new values (JSON).
CREATE TABLE audit (
    id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, user TEXT,
    device TEXT NOT NULL, hlc INTEGER NOT NULL, source TEXT NOT NULL, changes TEXT NOT NULL);
CREATE INDEX audit_record ON audit(record_id);
)sql",
    // 2: full-text search, kept in step by triggers so that local writes and
    // changes applied by sync are both indexed.
    R"sql(
CREATE VIRTUAL TABLE application_fts USING fts5(
    applicant_name, nik, nib, reg_no, provisional_no, address, content='application', content_rowid='rowid');
CREATE TRIGGER application_fts_ai AFTER INSERT ON application BEGIN
    INSERT INTO application_fts(rowid, applicant_name, nik, nib, reg_no, provisional_no, address)
    VALUES (new.rowid, new.applicant_name, new.nik, new.nib, new.reg_no, new.provisional_no, new.address);
END;
CREATE TRIGGER application_fts_ad AFTER DELETE ON application BEGIN
    INSERT INTO application_fts(application_fts, rowid, applicant_name, nik, nib, reg_no, provisional_no, address)
    VALUES ('delete', old.rowid, old.applicant_name, old.nik, old.nib, old.reg_no, old.provisional_no, old.address);
END;
CREATE TRIGGER application_fts_au AFTER UPDATE OF applicant_name, nik, nib, reg_no, provisional_no, address
    ON application BEGIN
    INSERT INTO application_fts(application_fts, rowid, applicant_name, nik, nib, reg_no, provisional_no, address)
    VALUES ('delete', old.rowid, old.applicant_name, old.nik, old.nib, old.reg_no, old.provisional_no, old.address);
    INSERT INTO application_fts(rowid, applicant_name, nik, nib, reg_no, provisional_no, address)
    VALUES (new.rowid, new.applicant_name, new.nik, new.nib, new.reg_no, new.provisional_no, new.address);
END;
CREATE VIRTUAL TABLE complaint_fts USING fts5(
    complainant_name, contact, subject, body, content='complaint', content_rowid='rowid');
CREATE TRIGGER complaint_fts_ai AFTER INSERT ON complaint BEGIN
    INSERT INTO complaint_fts(rowid, complainant_name, contact, subject, body)
    VALUES (new.rowid, new.complainant_name, new.contact, new.subject, new.body);
END;
CREATE TRIGGER complaint_fts_ad AFTER DELETE ON complaint BEGIN
    INSERT INTO complaint_fts(complaint_fts, rowid, complainant_name, contact, subject, body)
    VALUES ('delete', old.rowid, old.complainant_name, old.contact, old.subject, old.body);
END;
CREATE TRIGGER complaint_fts_au AFTER UPDATE OF complainant_name, contact, subject, body ON complaint BEGIN
    INSERT INTO complaint_fts(complaint_fts, rowid, complainant_name, contact, subject, body)
    VALUES ('delete', old.rowid, old.complainant_name, old.contact, old.subject, old.body);
    INSERT INTO complaint_fts(rowid, complainant_name, contact, subject, body)
    VALUES (new.rowid, new.complainant_name, new.contact, new.subject, new.body);
END;
INSERT INTO application_fts(application_fts) VALUES ('rebuild');
INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild');
)sql",
    // 3: conflict records, replicated like any other record.
    R"sql(
CREATE TABLE conflict ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    record_kind TEXT, record_id TEXT, field TEXT, kept_value TEXT, other_value TEXT, kept_stamp TEXT,
    other_stamp TEXT, kept_user TEXT, other_user TEXT, kept_at TEXT, other_at TEXT, needs_review INTEGER,
    status TEXT, resolution TEXT, resolved_by TEXT);
CREATE INDEX conflict_record ON conflict(record_id);
CREATE INDEX conflict_status ON conflict(status);
)sql",
    // 4: pulls ask, per record, which fields have unpushed changes.
    R"sql(
CREATE INDEX outbox_record ON outbox(record_id, field);
)sql",
    // 5: prefix indexes for search-as-you-type. Without them a prefix such as
    // a kecamatan's six NIK digits ("327509") made FTS5 expand every distinct
    // NIK under it (tens of thousands over 1M applications) on each keystroke.
    // Name prefixes of 2-4 letters and NIK prefixes of 6 (kecamatan) digits
    // are answered from the index; longer ones are narrow anyway.
    R"sql(
DROP TABLE application_fts;
CREATE VIRTUAL TABLE application_fts USING fts5(
    applicant_name, nik, nib, reg_no, provisional_no, address, content='application', content_rowid='rowid',
    prefix='2 3 4 6');
INSERT INTO application_fts(application_fts) VALUES ('rebuild');
DROP TABLE complaint_fts;
CREATE VIRTUAL TABLE complaint_fts USING fts5(
    complainant_name, contact, subject, body, content='complaint', content_rowid='rowid', prefix='2 3 4');
INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild');
)sql",
    // 6: the status moves reports need (decisions and withdrawals), kept by a
    // trigger as audit lines are appended, whether written here, imported or
    // applied by sync. Reports read these few small rows per application
    // instead of parsing the JSON of every audit line: over 1M applications
    // that was 2.4 s of every export, and it grows with the whole audit log.
    // Local, derived and not replicated; rebuilt from the audit log here.
    R"sql(
CREATE TABLE status_move (
    audit_id INTEGER PRIMARY KEY, record_id TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
    hlc INTEGER NOT NULL, at TEXT NOT NULL);
-- Covering: a report reads the moves in record order from the index alone.
CREATE INDEX status_move_record ON status_move(record_id, status, source, hlc, at);
CREATE TRIGGER audit_status_move AFTER INSERT ON audit
    WHEN new.kind = 'application' AND instr(new.changes, '"status"') > 0 BEGIN
    INSERT INTO status_move(audit_id, record_id, status, source, hlc, at)
    SELECT new.id, new.record_id, j.value ->> 'new', new.source, new.hlc, new.at FROM json_each(new.changes) j
    WHERE j.value ->> 'field' = 'status' AND j.value ->> 'new' IN ('approved', 'rejected', 'issued', 'withdrawn')
    LIMIT 1;
END;
INSERT OR IGNORE INTO status_move(audit_id, record_id, status, source, hlc, at)
SELECT au.id, au.record_id, j.value ->> 'new', au.source, au.hlc, au.at FROM audit au, json_each(au.changes) j
WHERE au.kind = 'application' AND instr(au.changes, '"status"') > 0 AND j.value ->> 'field' = 'status'
    AND j.value ->> 'new' IN ('approved', 'rejected', 'issued', 'withdrawn');
)sql",
    // 7: identifiers typed into the search box (a NIK or NIB prefix, a
    // provisional or registration number) are looked up by index range.
    R"sql(
CREATE INDEX application_nik ON application(nik);
CREATE INDEX application_nib ON application(nib);
CREATE INDEX application_provisional ON application(provisional_no);
CREATE INDEX application_reg_no ON application(reg_no);
)sql",
    // 8: the status move trigger of migration 6 parsed the JSON of every
    // audit line that set a status, such as each application a first pull
    // brings (status "submitted"). It now looks for one of the four decision
    // values as a JSON string first; json_each still decides.
    R"sql(
DROP TRIGGER audit_status_move;
CREATE TRIGGER audit_status_move AFTER INSERT ON audit
    WHEN new.kind = 'application' AND instr(new.changes, '"status"') > 0
        AND (instr(new.changes, '"approved"') > 0 OR instr(new.changes, '"rejected"') > 0
             OR instr(new.changes, '"issued"') > 0 OR instr(new.changes, '"withdrawn"') > 0) BEGIN
    INSERT INTO status_move(audit_id, record_id, status, source, hlc, at)
    SELECT new.id, new.record_id, j.value ->> 'new', new.source, new.hlc, new.at FROM json_each(new.changes) j
    WHERE j.value ->> 'field' = 'status' AND j.value ->> 'new' IN ('approved', 'rejected', 'issued', 'withdrawn')
    LIMIT 1;
END;
)sql",
    // 9: one-letter prefixes indexed too. The first letter typed into a
    // search box made FTS5 merge the lists of every term under it (50-110 ms
    // over 1M applications); one prefix list is read instead.
    R"sql(
DROP TABLE application_fts;
CREATE VIRTUAL TABLE application_fts USING fts5(
    applicant_name, nik, nib, reg_no, provisional_no, address, content='application', content_rowid='rowid',
    prefix='1 2 3 4 6');
INSERT INTO application_fts(application_fts) VALUES ('rebuild');
DROP TABLE complaint_fts;
CREATE VIRTUAL TABLE complaint_fts USING fts5(
    complainant_name, contact, subject, body, content='complaint', content_rowid='rowid', prefix='1 2 3 4');
INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild');
)sql",
    // 10: status moves are written by the store with their audit line
    // (CaseStore::appendAudit), which knows the fields it writes. The
    // trigger's text search scanned each application's whole audit line five
    // times whenever it set a status, as every application a first pull
    // brings does: a tenth of the time of applying a pull.
    R"sql(
DROP TRIGGER audit_status_move;
)sql",
    // 11: audit lines are written as [field, old, new] arrays, [field, new]
    // with no old value (CaseStore's auditJson): half the bytes of the
    // {"field", "old", "new"} objects, and the audit log was half of what a
    // first pull wrote. Lines already written stay as they are (history()
    // reads both); the version only keeps an older Berkas, which cannot read
    // the new lines, from opening the store.
    R"sql(
SELECT 11;
)sql",
    // 12: changes the central office refused (sync/PROTOCOL.md, "Refused
    // changes"): what the user typed, kept on this laptop only, one notice per
    // refused change, until someone settles it.
    R"sql(
CREATE TABLE refusal (
    id TEXT PRIMARY KEY, at TEXT NOT NULL, record_kind TEXT NOT NULL, record_id TEXT NOT NULL,
    field TEXT NOT NULL, value TEXT, change_seq INTEGER NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
    server_value TEXT, held INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open', resolution TEXT);
CREATE UNIQUE INDEX refusal_change ON refusal(record_id, change_seq);
CREATE INDEX refusal_status ON refusal(status);
)sql",
    // 13: what a list of 1,000,000 applications reads before its first
    // paint. Tombstones are listed by partial indexes that hold only deleted
    // rows (empty on most laptops, so writes pay almost nothing): a list
    // counts its live rows as every row (SQLite counts a table from its
    // smallest index) less these, and a search counts its matches in its
    // indexes less these, where "deleted = 0" read every row of the table.
    // The list's order, newest first with the id between equal times, and
    // "deleted" are in the created_at index, so that a page far down the
    // list (GTK measures a row in the middle, at row 262,144, when the
    // window first shows) is found in the index alone: each row above it
    // was read from the table for its id (0.25 s, now 0.03 s).
    R"sql(
CREATE INDEX service_tombstone ON service(deleted) WHERE deleted <> 0;
CREATE INDEX application_tombstone ON application(deleted) WHERE deleted <> 0;
CREATE INDEX task_tombstone ON task(deleted) WHERE deleted <> 0;
CREATE INDEX complaint_tombstone ON complaint(deleted) WHERE deleted <> 0;
CREATE INDEX booking_tombstone ON booking(deleted) WHERE deleted <> 0;
CREATE INDEX conflict_tombstone ON conflict(deleted) WHERE deleted <> 0;
DROP INDEX application_created;
CREATE INDEX application_created ON application(created_at, id, deleted);
)sql",
    // 14: a manager's reason for letting an application leave document_check
    // with checklist items unticked (WriteRules).
    R"sql(
ALTER TABLE application ADD COLUMN checklist_override TEXT;
)sql",
    // 15: the central office's calendar as records (model/OfficeCalendar.h):
    // suspensions of face-to-face service and the days it adds to or takes
    // from the shipped holidays; and the day an application's SLA clock
    // started, from which its due date is computed again when they change.
    R"sql(
CREATE TABLE suspension ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    instrument TEXT, number TEXT, region TEXT, date_from TEXT, date_to TEXT, extends TEXT, scope TEXT,
    locations TEXT, steps TEXT, exempt_services TEXT, channels TEXT, source TEXT);
CREATE TABLE calendar_day ()sql" BERKAS_RECORD_COLUMNS R"sql(,
    date TEXT, name TEXT, kind TEXT, region TEXT);
ALTER TABLE application ADD COLUMN sla_started TEXT;
)sql",
    // 16: where and when a photo was taken, read from its EXIF data when
    // the file is attached (model/PhotoExif.h).
    R"sql(
ALTER TABLE attachment ADD COLUMN taken_at TEXT;
ALTER TABLE attachment ADD COLUMN latitude REAL;
ALTER TABLE attachment ADD COLUMN longitude REAL;
)sql",
    // 17: the files this laptop has seen complete at the central office
    // (sync/PROTOCOL.md, "Files"), so a sync does not ask about them again.
    // Local only, not replicated.
    R"sql(
CREATE TABLE file_uploaded (sha256 TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
)sql",
};

#undef BERKAS_RECORD_COLUMNS

} // namespace

int Migrations::latest()
{
    return static_cast<int>(kMigrations.size());
}

int Migrations::recordSchema()
{
    return recordSchemaOf(latest());
}

int Migrations::recordSchemaOf(int version)
{
    // The record schema was first named at 12. Migration 13 added indexes
    // only; 14 the application's checklist_override; 15 the suspension and
    // calendar_day kinds and the application's sla_started; 16 the
    // attachment's taken_at, latitude and longitude; 17 is local only.
    // A migration that adds or changes replicated fields adds its number here.
    static const int kFieldMigrations[] = {14, 15, 16};
    int schema = 12;
    for (int v : kFieldMigrations)
        if (v <= version)
            schema = v;
    return schema;
}

void Migrations::migrate(Database& db, int target)
{
    const int current = db.userVersion();
    if (current > latest())
        throw Error(ErrorCode::InvalidData,
                    "database " + db.path() + " has schema version " + std::to_string(current) +
                        ", newer than this Berkas understands (" + std::to_string(latest()) +
                        "); install a newer Berkas to open it");
    if (current >= target)
        return;
    Transaction tx(db);
    for (int v = current + 1; v <= target; ++v)
        db.exec(kMigrations[static_cast<std::size_t>(v - 1)]);
    // A laptop of an older record schema skipped, when it pulled, the fields
    // it did not know (sync/PROTOCOL.md, "Fields an older laptop does not
    // know"). Now that it knows them it pulls once from the start, as a
    // laptop does after a server restore; the merge keeps every value whose
    // stamp it already holds.
    if (current > 0 && recordSchemaOf(current) < recordSchemaOf(target))
        db.exec("UPDATE meta SET value = '0' WHERE key IN ('cursor', 'scope_ack')");
    db.exec("PRAGMA user_version = " + std::to_string(target));
    tx.commit();
}

} // namespace berkas::model
