#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include "model/Schema.h"
#include "model/Uuid.h"
#include "sync/server/FieldTable.h"
#include "sync/server/PullPlanner.h"
#include "sync/server/ScopeRules.h"
#include "sync/server/ScopeTable.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/ServerSchema.h"
#include "sync/server/StoredLookup.h"

#include <Poco/Data/Transaction.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace berkas;
using sync::Principal;
using sync::readable;

namespace {

constexpr const char* kHome = "32.75.09"; // Jatiasih
constexpr const char* kAway = "32.75.01"; // another kecamatan of Kota Bekasi

const Principal kAdmin{"admin1", "admin", ""};
const Principal kManager{"budi", "manager", ""};
const Principal kClerk{"siti", "clerk", kHome};
const Principal kAwayClerk{"sari", "clerk", kAway};
const Principal kVerifier{"vera", "verifier", ""};
const Principal kOtherVerifier{"vino", "verifier", ""};
const Principal kIdleVerifier{"vivi", "verifier", ""}; ///< nothing assigned to her
const Principal kUnknownRole{"tamu", "guest", kHome};

const std::vector<Principal>& everyPrincipal()
{
    static const std::vector<Principal> all = {kAdmin,    kManager,       kClerk,        kAwayClerk,
                                               kVerifier, kOtherVerifier, kIdleVerifier, kUnknownRole};
    return all;
}

/// Records in memory as the scope rules see them; a field set to nullopt is
/// a NULL value, one never set is no row at all.
struct Records
{
    std::map<std::string, std::string> kinds;
    std::map<std::pair<std::string, std::string>, std::optional<std::string>> values;

    void add(const std::string& id, const std::string& kind,
             const std::vector<std::pair<std::string, std::optional<std::string>>>& fields = {})
    {
        kinds[id] = kind;
        for (const auto& [field, value] : fields)
            values[{id, field}] = value;
    }

    sync::RecordLookup lookup() const
    {
        sync::RecordLookup l;
        l.kindOf = [this](const std::string& id) -> std::optional<std::string> {
            const auto it = kinds.find(id);
            return it == kinds.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        l.value = [this](const std::string& id, const std::string& field) -> std::optional<std::string> {
            const auto it = values.find({id, field});
            return it == values.end() ? std::nullopt : it->second;
        };
        l.namedBy = [this](const std::string& kind, const std::string& link, const std::string& id,
                           const std::string& field, const std::string& equals) {
            for (const auto& [record, k] : kinds)
            {
                const auto named = values.find({record, link});
                const auto held = values.find({record, field});
                if (k == kind && named != values.end() && named->second == id && held != values.end() &&
                    held->second == equals)
                    return true;
            }
            return false;
        };
        return l;
    }
};

/// One office in memory: for each kind, records in and out of each test
/// user's scope. "Home" is the clerk siti's kecamatan; vera's task is about
/// appVera (in another kecamatan), vino's about appHome.
Records office()
{
    Records r;
    r.add("service", "service", {{"code", "PBG"}});
    r.add("suspension", "suspension", {{"instrument", "Instruksi Contoh"}});
    r.add("calendarDay", "calendar_day", {{"date", "2026-12-24"}});
    r.add("appHome", "application", {{"kecamatan", kHome}});
    r.add("appAway", "application", {{"kecamatan", kAway}});
    r.add("appNoKecamatan", "application");
    r.add("appEmptyKecamatan", "application", {{"kecamatan", std::string()}});
    r.add("appNullKecamatan", "application", {{"kecamatan", std::nullopt}});
    r.add("appVera", "application", {{"kecamatan", kAway}});
    r.add("taskVera", "task", {{"application_id", "appVera"}, {"assigned_to", "vera"}});
    r.add("taskVino", "task", {{"application_id", "appHome"}, {"assigned_to", "vino"}});
    r.add("taskNobody", "task", {{"application_id", "appAway"}});
    r.add("taskEmptyAssignee", "task", {{"application_id", "appAway"}, {"assigned_to", std::string()}});
    r.add("complaintHome", "complaint", {{"kecamatan", kHome}});
    r.add("complaintAway", "complaint", {{"kecamatan", kAway}});
    r.add("complaintNoKecamatan", "complaint");
    // A complaint about vera's application is no child of it: a verifier sees no complaints.
    r.add("complaintAboutAppVera", "complaint", {{"kecamatan", kAway}, {"application_id", "appVera"}});
    r.add("booking", "booking", {{"location", "MPP Bekasi"}});
    r.add("requirementHome", "requirement", {{"application_id", "appHome"}});
    r.add("requirementAway", "requirement", {{"application_id", "appAway"}});
    r.add("requirementVera", "requirement", {{"application_id", "appVera"}});
    // A requirement follows an application only, even one naming a task in scope.
    r.add("requirementOfTask", "requirement", {{"application_id", "taskVera"}});
    r.add("noteHome", "note", {{"parent_id", "appHome"}});
    r.add("noteAway", "note", {{"parent_id", "appAway"}});
    r.add("noteTaskVera", "note", {{"parent_id", "taskVera"}});
    r.add("noteService", "note", {{"parent_id", "service"}});
    r.add("noteBooking", "note", {{"parent_id", "booking"}});
    r.add("noteOnNoteHome", "note", {{"parent_id", "noteHome"}});
    r.add("noteOnRequirementVera", "note", {{"parent_id", "requirementVera"}});
    r.add("noteDangling", "note", {{"parent_id", "no-such-record"}});
    r.add("noteNoParent", "note");
    r.add("attachmentTaskVera", "attachment", {{"parent_id", "taskVera"}});
    r.add("attachmentComplaintHome", "attachment", {{"parent_id", "complaintHome"}});
    r.add("attachmentTaskVino", "attachment", {{"parent_id", "taskVino"}});
    r.add("conflictHome", "conflict", {{"record_id", "appHome"}});
    r.add("conflictAboutConflictHome", "conflict", {{"record_id", "conflictHome"}});
    r.add("conflictAway", "conflict", {{"record_id", "appAway"}});
    r.add("conflictTaskVera", "conflict", {{"record_id", "taskVera"}});
    r.add("conflictNoteTaskVera", "conflict", {{"record_id", "noteTaskVera"}});
    r.add("noteOnConflictHome", "note", {{"parent_id", "conflictHome"}});
    return r;
}

/// What each principal of the office reads; the roles reading everything and
/// the unknown role are checked apart.
const std::map<std::string, std::set<std::string>>& expectedScopes()
{
    static const std::map<std::string, std::set<std::string>> scopes = {
        {"siti",
         {"service", "suspension", "calendarDay", "appHome", "appNoKecamatan", "appEmptyKecamatan", "appNullKecamatan", "complaintHome",
          "complaintNoKecamatan", "booking", "requirementHome", "noteHome", "noteService", "noteBooking",
          "noteOnNoteHome", "attachmentComplaintHome", "conflictHome", "conflictAboutConflictHome",
          "noteOnConflictHome"}},
        {"sari",
         {"service", "suspension", "calendarDay", "appAway", "appVera", "appNoKecamatan", "appEmptyKecamatan", "appNullKecamatan",
          "complaintAway", "complaintNoKecamatan", "complaintAboutAppVera", "booking", "requirementAway",
          "requirementVera", "noteAway", "noteService", "noteBooking", "noteOnRequirementVera",
          "conflictAway"}},
        {"vera",
         {"service", "suspension", "calendarDay", "appVera", "taskVera", "requirementVera", "noteTaskVera", "noteService",
          "noteOnRequirementVera", "attachmentTaskVera", "conflictTaskVera", "conflictNoteTaskVera"}},
        {"vino",
         {"service", "suspension", "calendarDay", "appHome", "taskVino", "requirementHome", "noteHome", "noteService", "noteOnNoteHome",
          "attachmentTaskVino", "conflictHome", "conflictAboutConflictHome", "noteOnConflictHome"}},
        {"vivi", {"service", "suspension", "calendarDay", "noteService"}},
    };
    return scopes;
}

} // namespace

TEST_CASE("ScopeTable: every role reads exactly its records of every kind", "[sync][scope]")
{
    const Records records = office();
    const auto lookup = records.lookup();
    // The office has every kind of the table, each in some scope and out of another.
    for (const auto& line : sync::scopeKinds())
    {
        INFO("kind " << line.kind);
        std::set<std::string> inSome;
        std::set<std::string> outOfSome;
        for (const auto& [user, scope] : expectedScopes())
            for (const auto& [id, kind] : records.kinds)
                if (kind == line.kind)
                    (scope.count(id) ? inSome : outOfSome).insert(id);
        CHECK_FALSE(inSome.empty());
        if (line.reach != sync::ScopeReach::Everyone)
            CHECK_FALSE(outOfSome.empty());
    }
    for (const Principal& p : everyPrincipal())
        for (const auto& [id, kind] : records.kinds)
        {
            INFO(p.name << " (" << p.role << ") reads " << id);
            bool expected = false;
            if (p.role == "admin" || p.role == "manager")
                expected = true;
            else if (const auto scope = expectedScopes().find(p.name); scope != expectedScopes().end())
                expected = scope->second.count(id) > 0;
            CHECK(readable(p, kind, id, lookup) == expected);
        }
}

TEST_CASE("ScopeTable: the roles' lines", "[sync][scope]")
{
    CHECK(sync::fullScope("admin"));
    CHECK(sync::fullScope("manager"));
    CHECK_FALSE(sync::fullScope("clerk"));
    CHECK_FALSE(sync::fullScope("verifier"));
    CHECK_FALSE(sync::fullScope("guest"));
    // berkas-server adds users of these roles only; each has its line.
    std::set<std::string> roles;
    for (const auto& role : sync::scopeRoles())
        CHECK(roles.emplace(role.role).second);
    CHECK(roles == std::set<std::string>{"admin", "manager", "clerk", "verifier"});
    // Kinds no rule names are not read: clerks see no tasks, verifiers no complaints or bookings.
    const auto* clerk = sync::findRoleScope("clerk");
    const auto* verifier = sync::findRoleScope("verifier");
    REQUIRE(clerk);
    REQUIRE(verifier);
    CHECK_FALSE(clerk->ruleFor("task"));
    CHECK_FALSE(verifier->ruleFor("complaint"));
    CHECK_FALSE(verifier->ruleFor("booking"));
    // An empty kecamatan or name matches nothing but what the rule lets through when empty.
    const auto& kecamatan = *clerk->ruleFor("application");
    CHECK(sync::fieldMatches(kecamatan, kClerk, std::string(kHome)));
    CHECK_FALSE(sync::fieldMatches(kecamatan, kClerk, std::string(kAway)));
    CHECK(sync::fieldMatches(kecamatan, kClerk, std::string()));
    CHECK(sync::fieldMatches(kecamatan, kClerk, std::nullopt));
    CHECK_FALSE(sync::fieldMatches(kecamatan, Principal{"x", "clerk", ""}, std::string(kAway)));
    const auto& assignee = *verifier->ruleFor("task");
    CHECK(sync::fieldMatches(assignee, kVerifier, std::string("vera")));
    CHECK_FALSE(sync::fieldMatches(assignee, kVerifier, std::string("vino")));
    CHECK_FALSE(sync::fieldMatches(assignee, kVerifier, std::nullopt));
    CHECK_FALSE(sync::fieldMatches(assignee, Principal{"", "verifier", ""}, std::string()));
}

TEST_CASE("ScopeTable: each line names kinds and fields of the schema", "[sync][scope]")
{
    std::set<std::string> lines;
    for (const auto& line : sync::scopeKinds())
    {
        INFO("kind " << line.kind);
        CHECK(lines.emplace(line.kind).second);
        const model::KindDef* kind = model::findKind(line.kind);
        REQUIRE(kind);
        if (line.reach == sync::ScopeReach::Follows)
        {
            // The link is a reference, to the kind the schema says.
            const model::FieldDef* link = kind->field(std::string(line.link));
            REQUIRE(link);
            CHECK(link->type == model::FieldType::Reference);
            CHECK(link->referenceKind == line.linkKind);
        }
        else
        {
            CHECK(line.link.empty());
            CHECK(line.linkKind.empty());
        }
    }
    // Every kind the store keeps has its line: a new kind must say how it is scoped.
    for (const auto& kind : model::kinds())
        CHECK(lines.count(kind.name));
    for (const auto& role : sync::scopeRoles())
    {
        std::set<std::string> ruled;
        for (const auto& rule : role.rules)
        {
            INFO(role.role << ": rule for " << rule.kind);
            CHECK_FALSE(role.everything);
            CHECK(ruled.emplace(rule.kind).second);
            const auto* line = sync::findKindScope(rule.kind);
            REQUIRE(line);
            CHECK(line->reach == sync::ScopeReach::Own);
            const model::KindDef* kind = model::findKind(rule.kind);
            REQUIRE(kind);
            if (rule.test == sync::ScopeRule::Test::Field)
                CHECK(kind->field(std::string(rule.field)));
            if (rule.test == sync::ScopeRule::Test::NamedBy)
            {
                // The naming record's link is a reference to this kind, and its own rule one lookup.
                const auto naming = sync::namingOf(role, rule);
                REQUIRE(naming);
                const model::KindDef* by = model::findKind(naming->kind);
                REQUIRE(by);
                const model::FieldDef* link = by->field(std::string(naming->link));
                REQUIRE(link);
                CHECK(link->referenceKind == rule.kind);
            }
        }
    }
}

TEST_CASE("ScopeTable: links are followed kMaxLinkDepth deep, no further", "[sync][scope]")
{
    Records r = office();
    // Conflicts about conflicts about appHome, and notes on notes on it.
    std::string conflictAbove = "appHome";
    std::string noteAbove = "appHome";
    for (int depth = 1; depth <= sync::kMaxLinkDepth + 2; ++depth)
    {
        const std::string conflict = "conflict" + std::to_string(depth);
        const std::string note = "note" + std::to_string(depth);
        r.add(conflict, "conflict", {{"record_id", conflictAbove}});
        r.add(note, "note", {{"parent_id", noteAbove}});
        conflictAbove = conflict;
        noteAbove = note;
    }
    // Two notes on each other decide nothing.
    r.add("noteA", "note", {{"parent_id", "noteB"}});
    r.add("noteB", "note", {{"parent_id", "noteA"}});
    const auto lookup = r.lookup();
    for (const Principal& p : {kClerk, kOtherVerifier})
        for (int depth = 1; depth <= sync::kMaxLinkDepth + 2; ++depth)
        {
            INFO(p.name << ", " << depth << " links away");
            CHECK(readable(p, "conflict", "conflict" + std::to_string(depth), lookup) ==
                  (depth <= sync::kMaxLinkDepth));
            CHECK(readable(p, "note", "note" + std::to_string(depth), lookup) ==
                  (depth <= sync::kMaxLinkDepth));
        }
    CHECK_FALSE(readable(kClerk, "note", "noteA", lookup));
    CHECK(readable(kManager, "note", "noteA", lookup));
    CHECK(readable(kManager, "conflict", "conflict" + std::to_string(sync::kMaxLinkDepth + 2), lookup));
}

TEST_CASE("ScopeTable: a record entering and leaving a scope takes what follows it along", "[sync][scope]")
{
    Records r = office();
    const auto lookup = r.lookup();
    const auto reads = [&](const Principal& p, const std::string& id) {
        return readable(p, r.kinds.at(id), id, lookup);
    };

    SECTION("an application moved into and out of the clerk's kecamatan")
    {
        const std::vector<std::string> following = {"appAway", "requirementAway", "noteAway", "conflictAway"};
        for (const auto& id : following)
            CHECK_FALSE(reads(kClerk, id));
        r.values[{"appAway", "kecamatan"}] = kHome;
        for (const auto& id : following)
            CHECK(reads(kClerk, id));
        CHECK_FALSE(reads(kAwayClerk, "appAway"));
        r.values[{"appAway", "kecamatan"}] = std::string();
        for (const auto& id : following)
        {
            CHECK(reads(kClerk, id));
            CHECK(reads(kAwayClerk, id));
        }
        r.values[{"appAway", "kecamatan"}] = kAway;
        for (const auto& id : following)
            CHECK_FALSE(reads(kClerk, id));
    }
    SECTION("a complaint moved into and out of the clerk's kecamatan")
    {
        CHECK_FALSE(reads(kClerk, "complaintAway"));
        r.values[{"complaintAway", "kecamatan"}] = kHome;
        CHECK(reads(kClerk, "complaintAway"));
        r.values.erase({"complaintAway", "kecamatan"});
        CHECK(reads(kClerk, "complaintAway"));
        r.values[{"complaintAway", "kecamatan"}] = kAway;
        CHECK_FALSE(reads(kClerk, "complaintAway"));
    }
    SECTION("a task reassigned to the verifier and away, its application and requirements with it")
    {
        const std::vector<std::string> following = {
            "taskVino",       "appHome",           "requirementHome", "noteHome",
            "noteOnNoteHome", "attachmentTaskVino", "conflictHome",    "conflictAboutConflictHome"};
        for (const auto& id : following)
            CHECK_FALSE(reads(kVerifier, id));
        r.values[{"taskVino", "assigned_to"}] = std::string("vera");
        for (const auto& id : following)
        {
            CHECK(reads(kVerifier, id));
            CHECK_FALSE(reads(kOtherVerifier, id));
        }
        // Her other task stays hers.
        CHECK(reads(kVerifier, "appVera"));
        r.values[{"taskVino", "assigned_to"}] = std::string("vino");
        for (const auto& id : following)
        {
            CHECK_FALSE(reads(kVerifier, id));
            CHECK(reads(kOtherVerifier, id));
        }
        // Unassigned: nobody's.
        r.values[{"taskVino", "assigned_to"}] = std::nullopt;
        CHECK_FALSE(reads(kOtherVerifier, "appHome"));
        CHECK_FALSE(reads(kOtherVerifier, "taskVino"));
    }
    SECTION("a second task of the verifier on an application keeps it while one is reassigned")
    {
        r.add("taskVera2", "task", {{"application_id", "appHome"}, {"assigned_to", "vera"}});
        CHECK(reads(kVerifier, "appHome"));
        CHECK(reads(kVerifier, "requirementHome"));
        CHECK_FALSE(reads(kVerifier, "taskVino"));
        r.values[{"taskVera2", "assigned_to"}] = std::string("vino");
        CHECK_FALSE(reads(kVerifier, "appHome"));
    }
    SECTION("a note on a record entering the scope enters with it")
    {
        r.add("noteOnAppAway", "note", {{"parent_id", "appAway"}});
        r.add("attachmentOnNote", "attachment", {{"parent_id", "noteOnAppAway"}});
        CHECK_FALSE(reads(kClerk, "noteOnAppAway"));
        CHECK_FALSE(reads(kClerk, "attachmentOnNote"));
        r.values[{"appAway", "kecamatan"}] = kHome;
        CHECK(reads(kClerk, "noteOnAppAway"));
        CHECK(reads(kClerk, "attachmentOnNote"));
    }
}

namespace {

/// A server's database (SQLite in a folder of its own, or the PostgreSQL
/// of a --database URL) written row by row, without the push's rules, so
/// that every shape of links a table could be asked about is there: links
/// to any kind, to nothing, in circles and too deep.
struct ServerFile
{
    test::TempDir dir;
    sync::ServerStoreOptions options;
    sync::ServerDatabase db;
    sync::FieldTable fields{db};
    sync::PullPlanner planner{db, fields};
    std::int64_t seq = 0;

    explicit ServerFile(const std::string& database = "")
        : options(sync::ServerStore::optionsFor(database, dir.path)), db(options)
    {
        sync::ServerSchema::apply(db);
    }

    void add(const std::string& id, const std::string& kind,
             const std::vector<std::pair<std::string, std::optional<std::string>>>& values)
    {
        const model::Stamp stamp{++seq, "generator"};
        fields.writeField(kind, id, model::field::kCreatedAt, std::string("2026-03-02T09:00:00+07:00"), stamp,
                          "admin1", seq);
        for (const auto& [field, value] : values)
            fields.writeField(kind, id, field, value, stamp, "admin1", seq);
        std::string i = id;
        std::string k = kind;
        using namespace Poco::Data::Keywords;
        db.session() << db.q("INSERT INTO records (record_id, kind) VALUES (?, ?)"), use(i), use(k), now;
    }

    /// Every record id with its kind.
    std::map<std::string, std::string> records()
    {
        std::vector<std::string> ids;
        std::vector<std::string> kinds;
        using namespace Poco::Data::Keywords;
        db.session() << "SELECT record_id, kind FROM records", into(ids), into(kinds), now;
        std::map<std::string, std::string> out;
        for (std::size_t n = 0; n < ids.size(); ++n)
            out[ids[n]] = kinds[n];
        return out;
    }
};

/// A random office of @p count records: kecamatan home, away, empty, NULL or
/// none; tasks assigned to vera, vino, nobody; children of any record, of
/// none and of records that do not exist; chains deeper than the rules look.
void generate(ServerFile& file, std::mt19937& random, int count)
{
    const std::vector<std::string> kinds = {"service", "application", "application", "complaint",   "booking",
                                            "task",    "task",        "requirement", "requirement", "note",
                                            "note",    "attachment",  "conflict",    "conflict"};
    std::vector<std::string> ids(static_cast<std::size_t>(count));
    std::vector<std::string> kindOf(ids.size());
    for (std::size_t n = 0; n < ids.size(); ++n)
    {
        ids[n] = model::newUuidV7();
        kindOf[n] = kinds[std::uniform_int_distribution<std::size_t>(0, kinds.size() - 1)(random)];
    }
    const auto one = [&](const std::vector<std::string>& from) {
        return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
    };
    const auto chance = [&](int percent) {
        return std::uniform_int_distribution<int>(0, 99)(random) < percent;
    };
    // A record of @p kind most of the time, else any record, one that does not exist, or none.
    const auto target = [&](const std::string& kind) -> std::optional<std::optional<std::string>> {
        std::vector<std::string> ofKind;
        for (std::size_t n = 0; n < ids.size(); ++n)
            if (kind.empty() || kindOf[n] == kind)
                ofKind.push_back(ids[n]);
        const int roll = std::uniform_int_distribution<int>(0, 99)(random);
        if (roll < 75 && !ofKind.empty())
            return std::optional<std::string>(one(ofKind));
        if (roll < 88)
            return std::optional<std::string>(one(ids));
        if (roll < 92)
            return std::optional<std::string>(model::newUuidV7());
        if (roll < 96)
            return std::optional<std::string>(std::nullopt);
        return std::nullopt; // no row
    };
    const auto place = [&]() -> std::optional<std::optional<std::string>> {
        switch (std::uniform_int_distribution<int>(0, 5)(random))
        {
        case 0:
        case 1: return std::optional<std::string>(kHome);
        case 2: return std::optional<std::string>(kAway);
        case 3: return std::optional<std::string>(std::string());
        case 4: return std::optional<std::string>(std::nullopt);
        default: return std::nullopt;
        }
    };
    const auto assignee = [&]() -> std::optional<std::optional<std::string>> {
        switch (std::uniform_int_distribution<int>(0, 4)(random))
        {
        case 0:
        case 1: return std::optional<std::string>("vera");
        case 2: return std::optional<std::string>("vino");
        case 3: return std::optional<std::string>(std::string());
        default: return std::nullopt;
        }
    };
    for (std::size_t n = 0; n < ids.size(); ++n)
    {
        std::vector<std::pair<std::string, std::optional<std::string>>> values;
        const auto set = [&](const std::string& field, const std::optional<std::optional<std::string>>& v) {
            if (v)
                values.emplace_back(field, *v);
        };
        const std::string& kind = kindOf[n];
        if (kind == "application" || kind == "complaint")
            set("kecamatan", place());
        if (kind == "complaint" && chance(50))
            set("application_id", target("application"));
        if (kind == "task")
        {
            set("application_id", target("application"));
            set("assigned_to", assignee());
        }
        if (kind == "requirement")
            set("application_id", target("application"));
        if (kind == "note" || kind == "attachment")
            set("parent_id", target(""));
        if (kind == "conflict")
            set("record_id", target(chance(50) ? "conflict" : ""));
        file.add(ids[n], kind, values);
    }
    // Chains deeper than the rules look, from records that decide for themselves.
    for (const char* kind : {"conflict", "note"})
    {
        std::string above = one(ids);
        for (int depth = 0; depth < sync::kMaxLinkDepth + 3; ++depth)
        {
            const std::string id = model::newUuidV7();
            file.add(id, kind, {{std::string(kind) == "conflict" ? "record_id" : "parent_id", above}});
            above = id;
        }
    }
}

} // namespace

namespace {

/// Checks readable() against PullPlanner::scope() for every principal and
/// every record of a random office written to @p file.
void checkAgreement(ServerFile& file, unsigned seed)
{
    INFO("seed " << seed);
    std::mt19937 random(seed);
    {
        Poco::Data::Transaction tx(file.db.session());
        generate(file, random, 400);
        tx.commit();
    }
    const auto records = file.records();
    std::vector<std::string> ids;
    for (const auto& [id, kind] : records)
        ids.push_back(id);
    for (const Principal& p : everyPrincipal())
    {
        INFO(p.name << " (" << p.role << ")");
        const auto scope = file.planner.scope(p);
        // Record by record as a push asks, and with everything read at
        // once as a pull asks.
        sync::StoredLookup asked(file.db, file.fields);
        sync::StoredLookup preloaded(file.db, file.fields);
        preloaded.preload(ids);
        if (const auto* role = sync::findRoleScope(p.role))
            for (const auto& rule : role->rules)
                if (const auto naming = sync::namingOf(*role, rule))
                    preloaded.preloadNamedBy(std::string(naming->kind), std::string(naming->link),
                                             std::string(naming->field),
                                             sync::holderValue(naming->holder, p));
        std::size_t in = 0;
        for (const auto& [id, kind] : records)
        {
            INFO("record " << id << " (" << kind << ")");
            const bool expected = scope.count(id) > 0;
            CHECK(readable(p, kind, id, asked.lookup) == expected);
            CHECK(readable(p, kind, id, preloaded.lookup) == expected);
            in += expected ? 1 : 0;
        }
        CHECK(scope.size() == in); // nothing in the scope that is not a record
        if (p.role == "clerk" || p.role == "verifier")
        {
            CHECK(in > 0);
            CHECK(in < records.size());
        }
    }
}

} // namespace

TEST_CASE("ScopeTable: readable() and PullPlanner::scope() agree on every record of generated offices",
          "[sync][scope][property]")
{
    for (const unsigned seed : {1u, 2u, 3u, 4u})
    {
        ServerFile file;
        checkAgreement(file, seed);
    }
}

TEST_CASE("ScopeTable: readable() and PullPlanner::scope() agree on PostgreSQL", "[sync][scope][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: the scope queries were not tested on PostgreSQL here");
        return;
    }
    test::ScratchDatabase database(admin);
    ServerFile file(database.url);
    checkAgreement(file, 5);
}

namespace {

/// A scoped device pulling straight from the store and acknowledging every
/// answer, so the server keeps its scope and judges only what changed: the
/// records it holds as the answers told it.
struct ScopedDevice
{
    sync::ServerStore& store;
    Principal principal;
    std::string deviceId = model::newUuidV7();
    std::int64_t cursor = 0;
    std::int64_t ack = 0;
    std::set<std::string> held;

    ScopedDevice(sync::ServerStore& s, Principal p) : store(s), principal(std::move(p))
    {
        store.enrollDevice(deviceId, principal.name);
    }
    void pull()
    {
        for (int n = 0; n < 100; ++n)
        {
            const auto a = store.pull(principal, deviceId, cursor, ack, 25);
            for (const auto& c : a.changes)
                held.insert(c.id);
            for (const auto& [kind, id] : a.gone)
                held.erase(id);
            cursor = a.cursor;
            ack = a.ack;
            if (!a.more)
                return;
        }
        FAIL("the pulls never caught up");
    }
};

} // namespace

TEST_CASE("ScopeTable: records entering and leaving reach a kept scope as PullPlanner::scope() has them",
          "[sync][scope]")
{
    test::TestServer server;
    server.addUser("budi", "manager");
    server.addUser("siti", "clerk", kHome);
    server.addUser("vera", "verifier");
    server.addUser("vino", "verifier");
    test::Laptop manager(server, "budi");
    auto& m = *manager.store;
    const std::string appHome = manager.newApplication("Ani Lestari");
    const std::string appAway = manager.newApplication("Bambang Wijaya");
    m.update(appAway, {{"kecamatan", kAway}});
    const std::string task = m.create("task", {{"application_id", appAway}, {"assigned_to", "vino"}});
    const std::string note =
        m.create("note", {{"parent_id", appAway}, {"author", "budi"}, {"body", "kurang KTP"}});
    const std::string photo = m.create("attachment", {{"parent_id", task}, {"name", "foto.jpg"},
                                                      {"sha256", std::string(64, 'a')}});
    model::ListQuery q;
    q.kind = "requirement";
    q.where = {{"application_id", appAway}};
    const auto requirements = m.list(q);
    REQUIRE_FALSE(requirements.empty());
    const std::string requirement = requirements.front().id;
    manager.sync();

    ScopedDevice clerk(*server.store, kClerk);
    ScopedDevice verifier(*server.store, kVerifier);
    const auto pullAndCheck = [&] {
        manager.sync();
        for (ScopedDevice* device : {&clerk, &verifier})
        {
            INFO(device->principal.name);
            device->pull();
            CHECK(device->held == server.store->scope(device->principal));
        }
        CHECK(server.store->keptScopes() == 2);
    };
    pullAndCheck();
    CHECK(clerk.held.count(appHome));
    CHECK_FALSE(clerk.held.count(appAway));
    CHECK_FALSE(verifier.held.count(appAway));

    SECTION("an application moved into the clerk's kecamatan, out, and to none")
    {
        const std::vector<std::string> following = {appAway, requirement, note};
        m.update(appAway, {{"kecamatan", kHome}});
        pullAndCheck();
        for (const auto& id : following)
            CHECK(clerk.held.count(id));
        CHECK_FALSE(clerk.held.count(task)); // clerks see no tasks
        // A note on it now, and a note on that note, follow it too.
        const std::string later =
            m.create("note", {{"parent_id", appAway}, {"author", "budi"}, {"body", "lengkap"}});
        const std::string onNote =
            m.create("note", {{"parent_id", later}, {"author", "budi"}, {"body", "ya"}});
        pullAndCheck();
        CHECK(clerk.held.count(later));
        CHECK(clerk.held.count(onNote));
        m.update(appAway, {{"kecamatan", kAway}});
        pullAndCheck();
        for (const auto& id : {appAway, requirement, note, later, onNote})
            CHECK_FALSE(clerk.held.count(id));
        m.update(appAway, {{"kecamatan", ""}});
        pullAndCheck();
        for (const auto& id : {appAway, requirement, note, later, onNote})
            CHECK(clerk.held.count(id));
    }
    SECTION("a task reassigned to the verifier and away, its application and requirements following")
    {
        m.update(task, {{"assigned_to", "vera"}});
        pullAndCheck();
        for (const auto& id : {task, appAway, requirement, note, photo})
            CHECK(verifier.held.count(id));
        CHECK_FALSE(verifier.held.count(appHome));
        m.update(task, {{"assigned_to", "vino"}});
        pullAndCheck();
        for (const auto& id : {task, appAway, requirement, note, photo})
            CHECK_FALSE(verifier.held.count(id));
        // A new task of hers brings its application.
        const std::string mine = m.create("task", {{"application_id", appHome}, {"assigned_to", "vera"}});
        pullAndCheck();
        CHECK(verifier.held.count(mine));
        CHECK(verifier.held.count(appHome));
        CHECK_FALSE(verifier.held.count(appAway));
    }
    SECTION("concurrent edits make a conflict that follows its application")
    {
        test::Laptop other(server, "budi");
        other.sync();
        m.update(appHome, {{"phone", "081111111111"}});
        other.store->update(appHome, {{"phone", "082222222222"}});
        manager.sync();
        other.sync();
        const auto conflicts = other.openConflicts();
        REQUIRE(conflicts.size() == 1);
        pullAndCheck();
        CHECK(clerk.held.count(conflicts.front().id));
        CHECK_FALSE(verifier.held.count(conflicts.front().id));
        m.update(appHome, {{"kecamatan", kAway}});
        pullAndCheck();
        CHECK_FALSE(clerk.held.count(conflicts.front().id));
    }
}
