#include "model/StatementCache.h"

namespace berkas::model {

Statement& StatementCache::get(const std::string& sql)
{
    return get(sql, [&] { return sql; });
}

Statement& StatementCache::get(const std::string& key, const std::function<std::string()>& sql)
{
    auto& slot = m_statements[key];
    if (!slot)
        slot = std::make_unique<Statement>(m_db, sql());
    else
        slot->reset();
    return *slot;
}

} // namespace berkas::model
