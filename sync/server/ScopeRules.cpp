#include "sync/server/ScopeRules.h"

#include "model/Schema.h"

namespace berkas::sync {

bool readable(const Principal& p, const std::string& kind, const std::string& id, const RecordLookup& l, int depth)
{
    const RoleScope* role = findRoleScope(p.role);
    if (!role)
        return false;
    if (role->everything)
        return true;
    if (depth > kMaxLinkDepth)
        return false;
    const KindScope* line = findKindScope(kind);
    if (!line)
        return false;
    if (line->reach == ScopeReach::Everyone)
        return true;
    if (line->reach == ScopeReach::Follows)
    {
        const auto target = l.value(id, std::string(line->link));
        if (!target || target->empty())
            return false;
        const auto targetKind = l.kindOf(*target);
        if (!targetKind || (!line->linkKind.empty() && *targetKind != line->linkKind))
            return false;
        return readable(p, *targetKind, *target, l, depth + 1);
    }
    const ScopeRule* rule = role->ruleFor(kind);
    if (!rule)
        return false;
    switch (rule->test)
    {
    case ScopeRule::Test::All: return true;
    case ScopeRule::Test::Field: return fieldMatches(*rule, p, l.value(id, std::string(rule->field)));
    case ScopeRule::Test::NamedBy:
        if (const auto naming = namingOf(*role, *rule))
        {
            const std::string& mine = holderValue(naming->holder, p);
            return !mine.empty() && l.namedBy(std::string(naming->kind), std::string(naming->link), id,
                                              std::string(naming->field), mine);
        }
        return false;
    }
    return false;
}

std::string scopeRefusal(const Principal& p, const WireChange& c, bool exists, const RecordLookup& before,
                         const RecordLookup& after)
{
    if (p.role == "admin")
        return {};
    if (c.kind == model::kind::kService)
        return "the service catalog is changed only by an administrator";
    if (c.kind == model::kind::kSuspension || c.kind == model::kind::kCalendarDay)
        return "suspensions and the office calendar are changed only by an administrator";
    if (p.role == "manager")
        return {};
    if (p.role == "clerk")
    {
        if (c.kind == model::kind::kTask)
            return "a clerk does not change field verification tasks; a manager assigns them";
        if (c.field == model::field::kChecklistOverride && !c.value.value_or("").empty())
            return "only a manager may override the checklist";
        const std::string where = "outside your scope (kecamatan " + p.kecamatan + ")";
        if (exists && !readable(p, c.kind, c.id, before))
            return "this " + c.kind + " is " + where;
        if (!readable(p, c.kind, c.id, after))
            return "this change would put the " + c.kind + " " + where;
        return {};
    }
    if (p.role == "verifier")
    {
        if (c.kind == model::kind::kTask)
        {
            if (!exists || !readable(p, c.kind, c.id, before))
                return "this task is not assigned to you";
            if (c.field == model::field::kAssignedTo || c.field == model::field::kApplicationId ||
                c.field == model::field::kDeleted || c.field == model::field::kCreatedAt)
                return "a verifier may not change " + c.field + " of a task; a manager does";
            return {};
        }
        if (c.kind == model::kind::kNote || c.kind == model::kind::kAttachment)
        {
            const auto pid = after.value(c.id, std::string(findKindScope(c.kind)->link));
            const auto pk = pid ? after.kindOf(*pid) : std::nullopt;
            if (pk && *pk == model::kind::kTask && readable(p, model::kind::kTask, *pid, after))
                return {};
            return "a verifier adds notes and attachments only to the tasks assigned to them";
        }
        return "a verifier changes only the tasks assigned to them";
    }
    return "the role \"" + p.role + "\" may not change records";
}

} // namespace berkas::sync
