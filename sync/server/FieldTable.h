#pragma once

#include "model/Hlc.h"
#include "sync/Protocol.h"

#include <Poco/Nullable.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace berkas::sync {

class ServerDatabase;

/// The central office's copy of every record: the fields table (one row per
/// field with its value, stamp, author and the server sequence of its last
/// change; a pull is "WHERE seq > cursor ORDER BY seq") and the records
/// table (each record once with its kind). Not thread-safe: ServerStore
/// uses it under its lock.
class FieldTable
{
public:
    explicit FieldTable(ServerDatabase& db);

    /// Rows of the fields table as (record_id, kind, field, value).
    struct FieldRows
    {
        std::vector<std::string> ids;
        std::vector<std::string> kinds;
        std::vector<std::string> fields;
        std::vector<Poco::Nullable<std::string>> values;
    };
    /// The rows @p sql selects for a list of records, one statement per few
    /// hundred of @p ids instead of one per record: @p sql selects
    /// record_id, kind, field, value and has "(@)" wherever the list goes.
    FieldRows rowsFor(const std::string& sql, const std::vector<std::string>& ids);

    /// A field's row with its stamp, author and the sequence of its last change.
    struct StampedRow
    {
        std::string id;
        std::string field;
        Poco::Nullable<std::string> value;
        std::int64_t hlc = 0;
        std::string device;
        std::string user;
        std::int64_t seq = 0;
    };
    /// Every field row of the records @p ids, one statement per few hundred
    /// records.
    std::vector<StampedRow> stampedRowsOf(const std::vector<std::string>& ids);

    /// One field's value, stamp, author and sequence, to be written.
    struct FieldWrite
    {
        std::string id;
        std::string field;
        std::string kind;
        Poco::Nullable<std::string> value;
        std::int64_t hlc = 0;
        std::string device;
        std::string user;
        std::int64_t seq = 0;
    };
    /// Writes one field's value, stamp, author and sequence (the records
    /// table is the caller's).
    void writeField(const std::string& kind, const std::string& id, const std::string& field,
                    const std::optional<std::string>& value, const model::Stamp& stamp, const std::string& user,
                    std::int64_t seq);
    /// Writes @p rows a hundred to a statement (one multi-row INSERT ... ON
    /// CONFLICT each, as the audit's lines are written): on PostgreSQL each
    /// statement costs several round trips. A field given twice keeps the
    /// later row, as writing them one by one would.
    void writeFields(std::vector<FieldWrite> rows);

    /// Current value of one field; nullopt when unknown or NULL.
    std::optional<std::string> value(const std::string& recordId, const std::string& field);
    /// Current stamp of one field; zero when the field was never written.
    model::Stamp stamp(const std::string& recordId, const std::string& field);

    /// Every field of each of the records @p ids, each in sequence order, one
    /// statement per few hundred records; a record without rows is absent.
    std::map<std::string, std::vector<WireChange>> wholeRecords(const std::vector<std::string>& ids);
    /// Field changes after @p cursor in sequence order, at most @p limit.
    std::vector<WireChange> changesAfter(std::int64_t cursor, std::int64_t limit);
    /// The id of every record the server holds.
    std::set<std::string> allRecordIds();

    /// Removes deleted records every device has pulled past (keeping a
    /// tombstone row so a late edit still meets the deletion). Returns how
    /// many records were purged.
    std::size_t purgeTombstones();

private:
    ServerDatabase& m_db;
};

} // namespace berkas::sync
