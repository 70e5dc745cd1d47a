#include "model/AuditLog.h"

#include "model/JsonText.h"
#include "model/Schema.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>

namespace berkas::model {

namespace {

/// [[field, old, new], ...] for the audit table, or [field, new] where there
/// was no old value, as when a record is created. Written directly rather
/// than through a Poco::JSON::Array: it runs once per write and a bulk intake
/// spent a sixth of its time building and printing the tree. Lines written
/// before version 11 hold {"field", "old", "new"} objects; they are kept as
/// written, and history() reads both.
std::string auditJson(const AuditChanges& lines)
{
    std::string out = "[";
    for (const auto& [fieldName, oldValue, newValue] : lines)
    {
        out += out.size() > 1 ? ",[" : "[";
        appendJsonString(out, fieldName);
        if (!oldValue.empty())
        {
            out += ',';
            appendJsonString(out, oldValue);
        }
        out += ',';
        appendJsonString(out, newValue);
        out += ']';
    }
    out += ']';
    return out;
}

} // namespace

void AuditLog::append(const std::string& kind, const std::string& id, std::int64_t hlc, const std::string& source,
                      const AuditChanges& changes, const std::string& user, const std::string& device,
                      const std::string& at)
{
    Statement& s = m_statements.get("INSERT INTO audit(record_id, kind, at, user, device, hlc, source, changes) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, id).bind(2, kind).bind(3, at).bind(4, user).bind(5, device).bind(6, hlc).bind(7, source)
        .bindBorrowed(8, auditJson(changes)) // the text lives to the end of the statement
        .run();

    // The status moves reports read (migrations 6 and 10): an application's
    // decision or withdrawal, next to the audit line that records it.
    if (kind != kind::kApplication)
        return;
    static const std::set<std::string> kMoves = {"approved", "rejected", "issued", "withdrawn"};
    for (const auto& [fieldName, oldValue, newValue] : changes)
        if (fieldName == field::kStatus && kMoves.count(newValue))
        {
            Statement& move = m_statements.get("INSERT INTO status_move(audit_id, record_id, status, source, hlc, at) "
                                               "VALUES (?, ?, ?, ?, ?, ?)");
            move.bind(1, m_db.lastInsertRowid()).bind(2, id).bind(3, newValue).bind(4, source).bind(5, hlc).bind(6, at)
                .run();
            return;
        }
}

std::vector<AuditLine> AuditLog::history(const std::string& id)
{
    std::vector<AuditLine> lines;
    Statement s(m_db, "SELECT id, at, user, device, source, changes FROM audit WHERE record_id = ? ORDER BY id");
    s.bind(1, id);
    Poco::JSON::Parser parser;
    while (s.step())
    {
        const auto array = parser.parse(s.text(5)).extract<Poco::JSON::Array::Ptr>();
        parser.reset();
        for (std::size_t i = 0; i < array->size(); ++i)
        {
            AuditLine line{s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), {}, {}, {}};
            if (const auto written = array->getArray(static_cast<unsigned>(i)))
            {
                const bool hasOld = written->size() == 3;
                line.field = written->getElement<std::string>(0);
                line.oldValue = hasOld ? written->getElement<std::string>(1) : std::string();
                line.newValue = written->getElement<std::string>(hasOld ? 2 : 1);
            }
            else
            {
                const auto before11 = array->getObject(static_cast<unsigned>(i));
                line.field = before11->getValue<std::string>("field");
                line.oldValue = before11->getValue<std::string>("old");
                line.newValue = before11->getValue<std::string>("new");
            }
            lines.push_back(std::move(line));
        }
    }
    return lines;
}

} // namespace berkas::model
