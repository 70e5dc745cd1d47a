#include "sync/server/ServerSchema.h"

#include "model/Error.h"
#include "model/Uuid.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Transaction.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

void ServerSchema::apply(ServerDatabase& db)
{
    auto& s = db.session();
    // Several server processes may start at once on one PostgreSQL: the
    // first creates or migrates the schema, the others wait and find it done.
    Poco::Data::Transaction tx(s);
    if (db.postgres())
    {
        std::vector<std::string> locked;
        s << "SELECT pg_advisory_xact_lock(8471)::text", into(locked), now;
    }
    s << db.q("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"), now;
    const std::int64_t version = db.counter("schema_version");
    if (version > kVersion)
        throw Error(ErrorCode::InvalidData, "the server database has schema version " + std::to_string(version) +
                                                ", newer than this berkas-server understands (" +
                                                std::to_string(kVersion) + ")");
    if (version == kVersion)
    {
        tx.commit();
        return;
    }
    if (version < 1)
        createVersion1(db);
    if (version < 2)
    {
        // Access control: what each device holds, so a pull can
        // tell records that entered or left the user's scope; and the audit
        // of every pushed change, accepted or refused.
        s << db.q("ALTER TABLE devices ADD COLUMN tracked INTEGER NOT NULL DEFAULT 0"), now;
        s << db.q("ALTER TABLE devices ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0"), now;
        s << db.q("CREATE TABLE device_records (device_id TEXT NOT NULL, record_id TEXT NOT NULL, kind TEXT NOT NULL, "
                  "held INTEGER NOT NULL, epoch BIGINT NOT NULL, PRIMARY KEY (device_id, record_id))"),
            now;
        // Scope queries look records up by a field's value. PostgreSQL's
        // B-tree cannot hold the longest values (up to 20,000 bytes); a hash
        // index answers the same equality lookups.
        s << db.q(db.postgres() ? "CREATE INDEX fields_value ON fields USING hash (value)"
                                : "CREATE INDEX fields_kind_field ON fields (kind, field, value)"),
            now;
        s << db.q(std::string("CREATE TABLE audit (id ") + (db.postgres() ? "BIGSERIAL" : "INTEGER") + " PRIMARY KEY, at TEXT NOT NULL, user_name TEXT NOT NULL, "
             "device TEXT NOT NULL, address TEXT NOT NULL, kind TEXT NOT NULL, record_id TEXT NOT NULL, "
             "field TEXT NOT NULL, value TEXT, change_seq BIGINT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL)"),
            now;
        s << db.q("CREATE INDEX audit_user ON audit (user_name, at)"), now;
    }
    if (version < 3)
    {
        // Every record once with its kind: the records of a kind (a scope)
        // without reading each of their field rows.
        s << db.q("CREATE TABLE records (record_id TEXT PRIMARY KEY, kind TEXT NOT NULL)"), now;
        // One pass over the rows in storage order (41 s for 13 million
        // here; grouping by record took 75 s).
        s << db.q("INSERT INTO records (record_id, kind) SELECT record_id, kind FROM fields WHERE true "
                  "ON CONFLICT (record_id) DO NOTHING"),
            now;
        s << db.q("CREATE INDEX records_kind ON records (kind, record_id)"), now;
    }
    if (version < 4)
    {
        // Each change's stamp and refusal code in the audit: a retried push
        // is told apart from a restored laptop's new change under an old id
        // and gets its refusals told again. The device's marks let a
        // restored laptop move its numbering past what the server took.
        s << db.q("ALTER TABLE audit ADD COLUMN hlc BIGINT"), now;
        s << db.q("ALTER TABLE audit ADD COLUMN code TEXT"), now;
        s << db.q("CREATE INDEX audit_device ON audit (device, change_seq)"), now;
        s << db.q("ALTER TABLE devices ADD COLUMN pushed_hlc BIGINT NOT NULL DEFAULT 0"), now;
        s << db.q("ALTER TABLE devices ADD COLUMN provisional_seq BIGINT NOT NULL DEFAULT 0"), now;
    }
    if (version < 5)
    {
        // Named values of the database itself: its epoch, a random id that
        // a restore from a backup replaces (sync/PROTOCOL.md, "Restored
        // servers"), so laptops learn that the server forgot what they sent.
        s << db.q("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"), now;
        if (db.meta("epoch").empty())
            db.setMeta("epoch", model::newUuidV7());
    }
    if (version < 6)
    {
        // Applicants' e-mail, queued in the transaction of the change that
        // causes it (MailQueue.h): one row per event key, so a retried push
        // never queues twice, and a lease per claim, so two server processes
        // never send one message at the same time.
        s << db.q(std::string("CREATE TABLE IF NOT EXISTS mail_queue (id ") + (db.postgres() ? "BIGSERIAL" : "INTEGER") +
                  " PRIMARY KEY, event_key TEXT NOT NULL UNIQUE, event TEXT NOT NULL, record_kind TEXT NOT NULL, "
                  "record_id TEXT NOT NULL, recipient TEXT NOT NULL, mail_values TEXT NOT NULL, created_at TEXT NOT NULL, "
                  "status TEXT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0, next_attempt BIGINT NOT NULL, "
                  "lease_owner TEXT NOT NULL DEFAULT '', lease_until BIGINT NOT NULL DEFAULT 0, sent_at TEXT, "
                  "last_error TEXT)"),
            now;
        s << db.q("CREATE INDEX IF NOT EXISTS mail_queue_due ON mail_queue (status, next_attempt)"), now;
    }
    if (version < 7)
    {
        // Counter slots the central office sets per location, service and
        // day (berkas-server capacity), with the counter's hours; "" when
        // the hours are not set.
        s << db.q("CREATE TABLE IF NOT EXISTS capacity (location TEXT NOT NULL, service_code TEXT NOT NULL, day TEXT NOT NULL, "
                  "slots INTEGER NOT NULL, open_at TEXT NOT NULL DEFAULT '', close_at TEXT NOT NULL DEFAULT '', "
                  "PRIMARY KEY (location, service_code, day))"),
            now;
        // Escrow: slots of a day granted to one counter device ahead of
        // time, out of the pool; released once the device says it stopped
        // using them (then only its used slots stay reserved). And the
        // bookings confirmed from a grant.
        s << db.q("CREATE TABLE IF NOT EXISTS escrow (device_id TEXT NOT NULL, location TEXT NOT NULL, "
                  "service_code TEXT NOT NULL, day TEXT NOT NULL, slots INTEGER NOT NULL, "
                  "released INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device_id, location, service_code, day))"),
            now;
        s << db.q("CREATE TABLE IF NOT EXISTS escrow_used (booking_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, "
                  "location TEXT NOT NULL, service_code TEXT NOT NULL, day TEXT NOT NULL)"),
            now;
    }
    db.setCounter("schema_version", kVersion);
    tx.commit();
}

void ServerSchema::createVersion1(ServerDatabase& db)
{
    auto& s = db.session();
    s << db.q("CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, kecamatan TEXT, password_hash TEXT NOT NULL, "
              "disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)"),
        now;
    s << db.q("CREATE TABLE devices (id TEXT PRIMARY KEY, user_name TEXT NOT NULL, enrolled_at TEXT NOT NULL, "
              "revoked INTEGER NOT NULL DEFAULT 0, pushed_seq BIGINT NOT NULL DEFAULT 0, "
              "pulled_seq BIGINT NOT NULL DEFAULT 0)"),
        now;
    // One row per field of every record: its value, stamp and the server
    // sequence of its last change. Pull is "WHERE seq > cursor ORDER BY seq".
    s << db.q("CREATE TABLE fields (record_id TEXT NOT NULL, field TEXT NOT NULL, kind TEXT NOT NULL, value TEXT, "
              "hlc BIGINT NOT NULL, device TEXT NOT NULL, user_name TEXT NOT NULL, seq BIGINT NOT NULL, "
              "PRIMARY KEY (record_id, field))"),
        now;
    s << db.q("CREATE INDEX fields_seq ON fields (seq)"), now;
    // Open conflicts that need review, by the record they block.
    s << db.q("CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)"), now;
    s << db.q("CREATE TABLE reviews (conflict_id TEXT PRIMARY KEY, record_id TEXT NOT NULL)"), now;
    s << db.q("CREATE INDEX reviews_record ON reviews (record_id)"), now;
}

} // namespace berkas::sync
