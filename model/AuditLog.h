#pragma once

#include "model/StatementCache.h"

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace berkas::model {

/// One changed field of one audit entry.
struct AuditLine
{
    std::int64_t entry = 0;
    std::string at;
    std::string user;   ///< who made the change, on whichever device
    std::string device; ///< the device that made the change: this one, or the stamp's device of a pulled change
    std::string source; ///< "local", "sync" or "import"
    std::string field;
    std::string oldValue;
    std::string newValue;
};

/// The changed fields of one write: (field, old value, new value); an empty
/// old value when there was none, as when a record is created.
using AuditChanges = std::vector<std::tuple<std::string, std::string, std::string>>;

/// The audit table: one entry per write, appended in the write's transaction,
/// never changed. An application's decision or withdrawal also goes into
/// status_move, which the reports read. On the store's thread.
class AuditLog
{
public:
    AuditLog(Database& db, StatementCache& statements) : m_db(db), m_statements(statements) {}

    /// Appends one entry for record @p id of @p kind written at @p at (ISO
    /// 8601) by @p user on @p device, stamped @p hlc; @p source is "local",
    /// "sync" or "import".
    void append(const std::string& kind, const std::string& id, std::int64_t hlc, const std::string& source,
                const AuditChanges& changes, const std::string& user, const std::string& device,
                const std::string& at);

    /// The trail of a record, oldest first, one line per changed field.
    std::vector<AuditLine> history(const std::string& id);

private:
    Database& m_db;
    StatementCache& m_statements;
};

} // namespace berkas::model
