#include "sync/server/ScopeRules.h"

#include "model/Schema.h"

namespace berkas::sync {

bool fullScope(const std::string& role)
{
    return role == "manager" || role == "admin";
}

bool readable(const Principal& p, const std::string& kind, const std::string& id, const RecordLookup& l, int depth)
{
    if (fullScope(p.role))
        return true;
    if (depth > kMaxLinkDepth)
        return false;
    if (kind == "service")
        return true;
    const auto parent = [&](const char* field, const char* onlyKind) {
        const auto pid = l.value(id, field);
        if (!pid || pid->empty())
            return false;
        const auto pk = l.kindOf(*pid);
        if (!pk || (onlyKind && *pk != onlyKind))
            return false;
        return readable(p, *pk, *pid, l, depth + 1);
    };
    if (kind == "requirement")
        return parent(model::field::kApplicationId, "application");
    if (kind == "note" || kind == "attachment")
        return parent("parent_id", nullptr);
    if (kind == "conflict")
        return parent("record_id", nullptr);
    if (p.role == "clerk")
    {
        if (kind == "application" || kind == "complaint")
        {
            const std::string k = l.value(id, model::field::kKecamatan).value_or("");
            return k.empty() || k == p.kecamatan;
        }
        return kind == "booking";
    }
    if (p.role == "verifier")
    {
        if (kind == "task")
            return l.value(id, "assigned_to").value_or("") == p.name;
        if (kind == "application")
            return l.hasTaskFor(id);
    }
    return false;
}

std::string scopeRefusal(const Principal& p, const WireChange& c, bool exists, const RecordLookup& before,
                         const RecordLookup& after)
{
    if (p.role == "admin")
        return {};
    if (c.kind == "service")
        return "the service catalog is changed only by an administrator";
    if (p.role == "manager")
        return {};
    if (p.role == "clerk")
    {
        if (c.kind == "task")
            return "a clerk does not change field verification tasks; a manager assigns them";
        const std::string where = "outside your scope (kecamatan " + p.kecamatan + ")";
        if (exists && !readable(p, c.kind, c.id, before))
            return "this " + c.kind + " is " + where;
        if (!readable(p, c.kind, c.id, after))
            return "this change would put the " + c.kind + " " + where;
        return {};
    }
    if (p.role == "verifier")
    {
        if (c.kind == "task")
        {
            if (!exists || !readable(p, c.kind, c.id, before))
                return "this task is not assigned to you";
            if (c.field == "assigned_to" || c.field == model::field::kApplicationId ||
                c.field == model::field::kDeleted || c.field == model::field::kCreatedAt)
                return "a verifier may not change " + c.field + " of a task; a manager does";
            return {};
        }
        if (c.kind == "note" || c.kind == "attachment")
        {
            const auto pid = after.value(c.id, "parent_id");
            const auto pk = pid ? after.kindOf(*pid) : std::nullopt;
            if (pk && *pk == "task" && readable(p, "task", *pid, after))
                return {};
            return "a verifier adds notes and attachments only to the tasks assigned to them";
        }
        return "a verifier changes only the tasks assigned to them";
    }
    return "the role \"" + p.role + "\" may not change records";
}

} // namespace berkas::sync
