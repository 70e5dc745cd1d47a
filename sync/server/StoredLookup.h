#pragma once

#include "sync/server/ScopeRules.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace berkas::sync {

class FieldTable;
class ServerDatabase;

/// The scope rules' view of the server's copy (RecordLookup), reading rows
/// as they are asked for and keeping them for the next question. Lives for
/// one push or one pull, under ServerStore's lock.
struct StoredLookup
{
    RecordLookup lookup;

    StoredLookup(ServerDatabase& db, FieldTable& fields);
    StoredLookup(const StoredLookup&) = delete;
    StoredLookup& operator=(const StoredLookup&) = delete;

    /// Reads at once what readable() asks of @p ids and of the records
    /// they follow, up to the depth it follows them: their kinds and the
    /// fields the scope table (ScopeTable.h) looks at, a statement per few
    /// hundred records instead of a few per record. What is not found here
    /// is still asked one record at a time.
    void preload(std::vector<std::string> ids);

    /// Reads at once every record that a record of @p kind holding @p equals
    /// in @p field names in @p link (the applications with a task assigned
    /// to a verifier), for lookup.namedBy.
    void preloadNamedBy(const std::string& kind, const std::string& link, const std::string& field,
                        const std::string& equals);

private:
    /// The records named by the records of one kind holding one value:
    /// (kind, link, field, equals).
    using Naming = std::tuple<std::string, std::string, std::string, std::string>;
    struct Named
    {
        std::map<std::string, bool> ids;
        bool complete = false; ///< ids holds every record so named
    };

    ServerDatabase& m_db;
    FieldTable& m_fields;
    std::map<std::string, std::optional<std::string>> m_kinds;
    std::map<std::pair<std::string, std::string>, std::optional<std::string>> m_values;
    std::map<Naming, Named> m_named;
};

} // namespace berkas::sync
