#include "sync/server/StatusLookup.h"

#include "model/Schema.h"
#include "sync/server/FieldTable.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/String.h>

#include <map>
#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

namespace {

namespace field = model::field;
namespace kind = model::kind;

/// The fields of a candidate the answer and its checks read.
const std::string kFieldsSql =
    std::string("SELECT record_id, kind, field, value FROM fields WHERE record_id IN (@) "
                "AND field IN ('") +
    field::kNik + "', '" + field::kStatus + "', '" + field::kDueDate + "', '" + field::kDate + "', '" +
    field::kSlot + "', '" + field::kDeleted + "')";

std::vector<std::string> candidates(ServerDatabase& db, const std::string& number)
{
    std::vector<std::string> ids;
    std::string a = number;
    std::string b = number;
    std::string c = number;
    db.session() << db.q(StatusLookup::candidatesSql()), use(a), use(b), use(c), into(ids), now;
    return ids;
}

} // namespace

StatusLookup::StatusLookup(ServerDatabase& db, FieldTable& fields) : m_db(db), m_fields(fields) {}

const char* StatusLookup::candidatesSql()
{
    // Three equality lookups joined by OR: each term is a whole key of
    // SQLite's index on (kind, field, value), and PostgreSQL's hash index on
    // value serves the value = ? of every term.
    static const std::string sql =
        std::string("SELECT DISTINCT record_id FROM fields WHERE ") + "(kind = '" + kind::kApplication +
        "' AND field = '" + field::kRegNo + "' AND value = ?) OR " + "(kind = '" + kind::kApplication +
        "' AND field = '" + field::kProvisionalNo + "' AND value = ?) OR " + "(kind = '" + kind::kBooking +
        "' AND field = '" + field::kCode + "' AND value = ?)";
    return sql.c_str();
}

std::optional<PublicStatus> StatusLookup::find(const std::string& number, const std::string& nik4)
{
    std::vector<std::string> ids = candidates(m_db, number);
    if (const std::string upper = Poco::toUpper(number); ids.empty() && upper != number)
        ids = candidates(m_db, upper);
    if (ids.empty())
        return std::nullopt;

    const FieldTable::FieldRows rows = m_fields.rowsFor(kFieldsSql, ids);
    std::map<std::string, std::map<std::string, std::string>> records;
    std::map<std::string, std::string> kinds;
    for (std::size_t i = 0; i < rows.ids.size(); ++i) {
        kinds[rows.ids[i]] = rows.kinds[i];
        if (!rows.values[i].isNull())
            records[rows.ids[i]][rows.fields[i]] = rows.values[i].value();
    }
    std::optional<PublicStatus> found;
    for (const auto& id : ids) {
        auto& values = records[id];
        const std::string& nik = values[field::kNik];
        if (values[field::kDeleted] == "1" || nik.size() < 4 || nik.compare(nik.size() - 4, 4, nik4) != 0)
            continue;
        if (found)
            return std::nullopt; // one number, two applicants' files: answer neither
        PublicStatus status;
        status.kind = kinds[id];
        status.status = values[field::kStatus];
        if (status.kind == kind::kBooking) {
            status.date = values[field::kDate];
            status.slot = values[field::kSlot];
        } else
            status.date = values[field::kDueDate];
        found = status;
    }
    return found;
}

} // namespace berkas::sync
