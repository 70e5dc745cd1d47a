#pragma once

#include "model/Hlc.h"
#include "model/StatementCache.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berkas::model {

/// One field change waiting to be pushed. @c seq is the device-scoped change id.
struct OutboxEntry
{
    std::int64_t seq = 0;
    std::string kind;
    std::string recordId;
    std::string field;
    std::optional<std::string> value;
    Stamp stamp;
    Stamp base;
    std::string user;
};

/// The changes this device made and the central office has not acknowledged
/// yet, one row per changed field, in the order made (seq, AUTOINCREMENT, so
/// an id is never handed out twice). Written in the transaction of the write
/// that makes the change. On the store's thread.
class Outbox
{
public:
    /// One changed field of a local write: its new value ("" is no value)
    /// and the stamp of the value it replaced.
    struct Change
    {
        std::string field;
        std::string value;
        Stamp base;
    };

    Outbox(StatementCache& statements, std::string deviceId)
        : m_statements(statements), m_deviceId(std::move(deviceId))
    {
    }

    /// Appends one row per change of record @p id, all stamped @p hlc by this
    /// device and written by @p user, in one statement.
    void append(const std::string& kind, const std::string& id, std::int64_t hlc, const std::string& user,
                const std::vector<Change>& changes);

    /// Up to @p limit entries after change id @p afterSeq, oldest first.
    std::vector<OutboxEntry> entries(std::size_t limit, std::int64_t afterSeq = 0);
    std::int64_t size();
    /// Drops entries up to and including @p seq (the server has them).
    void acknowledge(std::int64_t seq);
    /// The newest unpushed change of each field of a record, by field.
    std::map<std::string, OutboxEntry> pending(const std::string& recordId);
    /// Whether an unpushed change of this field waits.
    bool hasPending(const std::string& recordId, const std::string& field);

private:
    StatementCache& m_statements;
    std::string m_deviceId;
};

} // namespace berkas::model
