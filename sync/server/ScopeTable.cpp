#include "sync/server/ScopeTable.h"

#include "model/Schema.h"

namespace berkas::sync {

using Test = ScopeRule::Test;

namespace {

KindScope readByEveryone(std::string_view kind)
{
    return {kind, ScopeReach::Everyone, {}, {}};
}

KindScope decidedByRole(std::string_view kind)
{
    return {kind, ScopeReach::Own, {}, {}};
}

/// @p linkKind empty: the record followed may be of any kind.
KindScope follows(std::string_view kind, std::string_view link, std::string_view linkKind = {})
{
    return {kind, ScopeReach::Follows, link, linkKind};
}

ScopeRule every(std::string_view kind)
{
    return {kind, Test::All, {}, ScopeHolder::Name, false, {}};
}

ScopeRule fieldIsMine(std::string_view kind, std::string_view field, ScopeHolder holder)
{
    return {kind, Test::Field, field, holder, false, {}};
}

ScopeRule fieldIsMineOrEmpty(std::string_view kind, std::string_view field, ScopeHolder holder)
{
    return {kind, Test::Field, field, holder, true, {}};
}

ScopeRule namedBy(std::string_view kind, std::string_view by, std::string_view link)
{
    return {kind, Test::NamedBy, link, ScopeHolder::Name, false, by};
}

} // namespace

const std::vector<KindScope>& scopeKinds()
{
    static const std::vector<KindScope> kinds = {
        readByEveryone(model::kind::kService),
        readByEveryone(model::kind::kSuspension),
        readByEveryone(model::kind::kCalendarDay),
        decidedByRole(model::kind::kApplication),
        decidedByRole(model::kind::kComplaint),
        decidedByRole(model::kind::kBooking),
        decidedByRole(model::kind::kTask),
        // Children follow the record they belong to.
        follows(model::kind::kRequirement, model::field::kApplicationId, model::kind::kApplication),
        follows(model::kind::kNote, model::field::kParentId),
        follows(model::kind::kAttachment, model::field::kParentId),
        follows(model::kind::kConflict, model::field::kRecordId),
    };
    return kinds;
}

const std::vector<RoleScope>& scopeRoles()
{
    static const std::vector<RoleScope> roles = {
        {"admin", true, {}},
        {"manager", true, {}},
        // A clerk: their kecamatan, and the office's intake queue (no
        // kecamatan yet); bookings are office-wide (counter slots are shared).
        {"clerk",
         false,
         {
             fieldIsMineOrEmpty(model::kind::kApplication, model::field::kKecamatan, ScopeHolder::Kecamatan),
             fieldIsMineOrEmpty(model::kind::kComplaint, model::field::kKecamatan, ScopeHolder::Kecamatan),
             every(model::kind::kBooking),
         }},
        // A verifier: the tasks assigned to them, and the applications of those tasks.
        {"verifier",
         false,
         {
             fieldIsMine(model::kind::kTask, model::field::kAssignedTo, ScopeHolder::Name),
             namedBy(model::kind::kApplication, model::kind::kTask, model::field::kApplicationId),
         }},
    };
    return roles;
}

const ScopeRule* RoleScope::ruleFor(std::string_view kind) const
{
    for (const ScopeRule& rule : rules)
        if (rule.kind == kind)
            return &rule;
    return nullptr;
}

const KindScope* findKindScope(std::string_view kind)
{
    for (const KindScope& k : scopeKinds())
        if (k.kind == kind)
            return &k;
    return nullptr;
}

const RoleScope* findRoleScope(std::string_view role)
{
    for (const RoleScope& r : scopeRoles())
        if (r.role == role)
            return &r;
    return nullptr;
}

bool fullScope(std::string_view role)
{
    const RoleScope* r = findRoleScope(role);
    return r && r->everything;
}

std::optional<ScopeNaming> namingOf(const RoleScope& role, const ScopeRule& rule)
{
    if (rule.test != Test::NamedBy)
        return std::nullopt;
    const ScopeRule* by = role.ruleFor(rule.by);
    // Only a plain match can be asked as one lookup of the naming records.
    if (!by || by->test != Test::Field || by->orEmpty)
        return std::nullopt;
    return ScopeNaming{rule.by, rule.field, by->field, by->holder};
}

const std::string& holderValue(ScopeHolder holder, const Principal& p)
{
    return holder == ScopeHolder::Kecamatan ? p.kecamatan : p.name;
}

bool fieldMatches(const ScopeRule& rule, const Principal& p, const std::optional<std::string>& value)
{
    const std::string& mine = holderValue(rule.holder, p);
    if (!value || value->empty())
        return rule.orEmpty;
    return !mine.empty() && *value == mine;
}

} // namespace berkas::sync
