#pragma once

#include "sync/server/ServerTypes.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The read scope of sync/PROTOCOL.md, "Scope", as one table: for each kind,
// how its records reach what decides whether a role reads them, and for each
// role its rules for the kinds their own fields decide. Every spelling of the
// read scope reads this table and nothing else: readable() (ScopeRules.h)
// record by record, PullPlanner::scope() as set queries, PullPlanner's walk of
// the records a change may move in or out of a scope, and StoredLookup's
// preloading. A rule changes here, once.

namespace berkas::sync {

/// How many links are followed from a record to the one that decides it (a
/// conflict about a conflict about ... an application: people settling one
/// conflict at once make a conflict about it). A record further away than
/// this from what decides it is outside every scope but the full one.
inline constexpr int kMaxLinkDepth = 16;

/// How the records of a kind reach what decides whether a role reads them.
enum class ScopeReach
{
    Everyone, ///< every role of the table reads them (the service catalog)
    Own,      ///< their own fields decide, by the role's ScopeRule for the kind; no rule: the role reads none
    Follows,  ///< in a scope exactly when the record their `link` field names is (a child follows its parent)
};

/// One kind's line of the scope table.
struct KindScope
{
    std::string_view kind;
    ScopeReach reach = ScopeReach::Own;
    std::string_view link;     ///< Follows: the field naming the record followed
    std::string_view linkKind; ///< Follows: the kind that record must have; empty: any kind
};

/// The principal's value a field rule compares with.
enum class ScopeHolder
{
    Name,      ///< the user's name
    Kecamatan, ///< the user's kecamatan
};

/// A role's rule for a kind its own fields decide (ScopeReach::Own).
struct ScopeRule
{
    enum class Test
    {
        All,     ///< every record of the kind
        Field,   ///< `field` holds the principal's `holder` value, which must not be empty; with
                 ///< `orEmpty`, a record whose `field` is empty or unset is in scope too
        NamedBy, ///< a record of kind `by` names it in `field`, and that record is in the scope by the
                 ///< role's Field rule for `by` (which has no `orEmpty`)
    };
    std::string_view kind;
    Test test = Test::All;
    std::string_view field;
    ScopeHolder holder = ScopeHolder::Name;
    bool orEmpty = false;
    std::string_view by;
};

/// One role's line of the scope table.
struct RoleScope
{
    std::string_view role;
    bool everything = false;      ///< reads every record of every kind, linked or not
    std::vector<ScopeRule> rules; ///< one per kind of ScopeReach::Own the role reads

    /// The rule for @p kind, or nullptr: the role reads none of it.
    const ScopeRule* ruleFor(std::string_view kind) const;
};

/// The kinds of records the scope knows, each once. A kind missing here is
/// read by the roles reading everything only.
const std::vector<KindScope>& scopeKinds();

/// The roles, each once. A role missing here reads nothing.
const std::vector<RoleScope>& scopeRoles();

/// The line of @p kind, or nullptr.
const KindScope* findKindScope(std::string_view kind);

/// The line of @p role, or nullptr.
const RoleScope* findRoleScope(std::string_view role);

/// Whether @p role reads and holds everything (managers and administrators).
bool fullScope(std::string_view role);

/// A NamedBy rule with the Field rule it leans on: records of `kind` name
/// the record in `link`, and count when their `field` holds the principal's
/// `holder` value (a verifier's application: a task names it in
/// application_id, and its assigned_to is the verifier's name).
struct ScopeNaming
{
    std::string_view kind;
    std::string_view link;
    std::string_view field;
    ScopeHolder holder = ScopeHolder::Name;
};

/// The naming of a NamedBy @p rule of @p role; nullopt for another test, or
/// when the role has no Field rule without orEmpty for the naming kind.
std::optional<ScopeNaming> namingOf(const RoleScope& role, const ScopeRule& rule);

/// The principal's value @p holder names.
const std::string& holderValue(ScopeHolder holder, const Principal& p);

/// Whether a record whose Field rule's field holds @p value (nullopt: the
/// record has no such field) is in @p p's scope by @p rule.
bool fieldMatches(const ScopeRule& rule, const Principal& p, const std::optional<std::string>& value);

} // namespace berkas::sync
