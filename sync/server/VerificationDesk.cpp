#include "sync/server/VerificationDesk.h"

#include "model/Schema.h"
#include "model/VerificationRound.h"
#include "sync/server/FieldTable.h"
#include "sync/server/ServerDatabase.h"

#include <Poco/Data/Session.h>

#include <vector>

using namespace Poco::Data::Keywords;

namespace berkas::sync {

VerificationDesk::VerificationDesk(ServerDatabase& db, FieldTable& fields) : m_db(db), m_fields(fields) {}

std::optional<std::string> VerificationDesk::decide(const std::string& applicationId)
{
    using namespace model;
    if (m_fields.value(applicationId, field::kDeleted).value_or("0") == "1")
        return std::nullopt;
    const std::string status = m_fields.value(applicationId, field::kStatus).value_or("");
    if (status != "field_verification")
        return std::nullopt;
    auto& s = m_db.session();
    {
        // A conflict that needs review holds the status for a person, as it
        // holds a person's move (sync/Merge.h).
        std::vector<std::string> open;
        std::string id = applicationId;
        s << m_db.q("SELECT conflict_id FROM reviews WHERE record_id = ? LIMIT 1"), use(id), into(open), now;
        if (!open.empty())
            return std::nullopt;
    }
    std::vector<std::string> taskIds;
    std::string id = applicationId;
    s << m_db.q("SELECT record_id FROM fields WHERE kind = 'task' AND field = 'application_id' AND value = ?"), use(id),
        into(taskIds), now;
    std::vector<RoundTask> tasks;
    for (const std::string& task : taskIds)
    {
        RoundTask t;
        t.status = m_fields.value(task, field::kStatus).value_or("");
        t.result = m_fields.value(task, field::kResult).value_or("");
        t.statusStamp = m_fields.stamp(task, field::kStatus);
        t.deleted = m_fields.value(task, field::kDeleted).value_or("0") == "1";
        tasks.push_back(std::move(t));
    }
    return verificationOutcome(status, m_fields.stamp(applicationId, field::kStatus), tasks);
}

} // namespace berkas::sync
