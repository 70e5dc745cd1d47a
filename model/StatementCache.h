#pragma once

#include "model/Database.h"

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace berkas::model {

/// Prepared statements of one connection, kept by their SQL text (or by a
/// key of the caller's), so that a statement run for every record of a pull
/// is prepared once. A statement is handed out reset, its parameters still
/// bound from its last use; bind every parameter. Belongs to the thread of
/// its connection, like the store.
class StatementCache
{
public:
    explicit StatementCache(Database& db) : m_db(db) {}

    Database& database() { return m_db; }

    /// The statement for @p sql.
    Statement& get(const std::string& sql);
    /// The statement kept under @p key, prepared from @p sql() the first time.
    Statement& get(const std::string& key, const std::function<std::string()>& sql);

private:
    Database& m_db;
    std::map<std::string, std::unique_ptr<Statement>> m_statements;
};

} // namespace berkas::model
