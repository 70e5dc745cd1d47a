#pragma once

#include <cstdint>

#include "model/AuditLog.h"
#include "model/DeviceClock.h"
#include "model/FullTextHold.h"
#include "model/Hlc.h"
#include "model/Record.h"
#include "model/Schema.h"
#include "model/StatementCache.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berkas::model {

/// A record as this replica holds it: its fields and the stamp of each. The
/// stamps live in storage columns of the record's row (_hlc, _device: the
/// stamp it was created with; _stamps: fields written since), which only
/// ReplicaStore reads and writes.
struct ReplicaState
{
    Record record;
    Stamp created;                        ///< the stamp of the fields the row was created with
    std::map<std::string, Stamp> written; ///< the stamp of each field written since

    /// The stamp of @p field: its own when written since creation, else the
    /// creation stamp when it has a value (or is the tombstone), else zero.
    Stamp stampOf(const std::string& field) const;
    /// The stamp of every field that has one (not id or updated_at).
    std::map<std::string, Stamp> fieldStamps() const;
};

/// One field's value from elsewhere (a pull, a merge): nullopt is no value.
using ReplicatedField = std::pair<std::string, std::optional<std::string>>;

/// The rows of replicated tables with their stamps: reading a record's
/// replica state once and handing it to the write that follows, writing
/// local changes and values from elsewhere, and dropping a record from this
/// laptop only. Writes join the caller's transaction. On the store's thread.
class ReplicaStore
{
public:
    ReplicaStore(StatementCache& statements, FullTextHold& index, AuditLog& audit, DeviceClock& clock)
        : m_statements(statements), m_index(index), m_audit(audit), m_clock(clock)
    {
    }

    /// Record @p id of @p kind with its stamps, or nothing.
    std::optional<ReplicaState> read(const KindDef& kind, const std::string& id);
    /// Record @p id of whichever kind, with its stamps, or nothing.
    std::optional<ReplicaState> find(const std::string& id);
    /// Record @p id of @p kind without its stamps, or nothing.
    std::optional<Record> readRecord(const KindDef& kind, const std::string& id);

    /// A new row made here: every field of @p values (fields of @p kind; the
    /// others are ignored) with creation stamp @p stamp, at @p now.
    void insert(const KindDef& kind, const std::string& id, const FieldMap& values, const Stamp& stamp,
                const std::string& now);

    /// Changes made here to @p current, each stamped @p stamp, at @p now.
    /// Returns the stamp each change replaced, in the order of @p changes.
    std::vector<Stamp> update(const KindDef& kind, const ReplicaState& current, const FieldMap& changes,
                              const Stamp& stamp, const std::string& now);

    /// Writes values from elsewhere (CaseStore::writeReplicated): each with
    /// its stamp and author (@p users, parallel to @p fields), folding the
    /// stamps into the clock; audit lines with source "sync", one entry per
    /// device and user. Creates the row when missing. @p known, when given,
    /// is the state as the caller just read it (nullopt: not here).
    void writeReplicated(const KindDef& kind, const std::string& id, const std::vector<ReplicatedField>& fields,
                         const std::vector<Stamp>& stamps, const std::vector<std::string>& users,
                         const std::optional<ReplicaState>* known);

    /// Removes a record from this laptop only: no tombstone, no outbox
    /// entry; one audit line giving @p why, written by @p user on @p device.
    /// Nothing happens when the record is not here.
    void purge(const KindDef& kind, const std::string& id, const std::string& why, const std::string& user,
               const std::string& device);

    /// Counts the writes of the central office's calendar (suspension and
    /// calendar_day records), so that a reader knows when what it computed
    /// from them is stale (CaseStore::officeCalendar()).
    std::uint64_t calendarWrites() const { return m_calendarWrites; }

private:
    void noteWrite(const KindDef& kind);

    StatementCache& m_statements;
    FullTextHold& m_index;
    AuditLog& m_audit;
    DeviceClock& m_clock;
    std::uint64_t m_calendarWrites = 0;
};

} // namespace berkas::model
