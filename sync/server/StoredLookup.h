#pragma once

#include "sync/server/ScopeRules.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace berkas::sync {

class FieldTable;
class ServerDatabase;

/// The scope rules' view of the server's copy (RecordLookup), reading rows
/// as they are asked for and keeping them for the next question. Lives for
/// one push or one pull, under ServerStore's lock; @p user is the principal
/// whose tasks hasTaskFor looks at.
struct StoredLookup
{
    RecordLookup lookup;

    StoredLookup(ServerDatabase& db, FieldTable& fields, const std::string& user);
    StoredLookup(const StoredLookup&) = delete;
    StoredLookup& operator=(const StoredLookup&) = delete;

    /// Reads at once what readable() asks of @p ids and of the records
    /// they belong to, up to the depth it follows: their kinds and the
    /// fields the scope rules look at, a statement per few hundred records
    /// instead of a few per record. What is not found here is still asked
    /// one record at a time.
    void preload(std::vector<std::string> ids);

    /// Reads at once the applications with a task assigned to @p user.
    void preloadTasks(const std::string& user);

private:
    ServerDatabase& m_db;
    FieldTable& m_fields;
    std::map<std::string, std::optional<std::string>> m_kinds;
    std::map<std::pair<std::string, std::string>, std::optional<std::string>> m_values;
    std::map<std::string, bool> m_tasks;
    bool m_tasksKnown = false; ///< m_tasks names every application with a task of the user
};

} // namespace berkas::sync
