#include "sync/Merge.h"

#include <catch2/catch.hpp>

using namespace berkas;
using sync::FieldChange;
using sync::FieldState;
using sync::MergeContext;
using sync::MergeResult;

namespace {

const model::KindDef& application()
{
    return model::requireKind("application");
}

FieldChange change(const std::string& field, const std::string& value, model::Stamp stamp, model::Stamp base)
{
    return {"application", "0193b0a4-0000-7000-8000-000000000001", field, value, stamp, base};
}

} // namespace

TEST_CASE("Merge: the conflict table", "[sync][merge]")
{
    const model::Stamp s0{100, "device-a"};
    const model::Stamp a1{200, "device-a"};
    const model::Stamp b1{210, "device-b"};
    const model::Stamp b0{150, "device-b"};

    SECTION("a change made on the current value simply applies")
    {
        const auto out = sync::merge(application(), change("phone", "+62811", a1, s0), {std::string("+62810"), s0}, {});
        CHECK(out.result == MergeResult::Applied);
        CHECK_FALSE(out.conflict());
    }
    SECTION("the same change delivered twice is a duplicate")
    {
        const auto out = sync::merge(application(), change("phone", "+62811", a1, s0), {std::string("+62811"), a1}, {});
        CHECK(out.result == MergeResult::Duplicate);
    }
    SECTION("concurrent edits of a free field: the higher stamp wins, the loser is kept")
    {
        // Device A edits the phone at 200 and device B at 210, both from s0;
        // B's edit reached the server first.
        const auto out = sync::merge(application(), change("phone", "+62811", a1, s0), {std::string("+62822"), b1}, {});
        CHECK(out.result == MergeResult::CurrentWins);
        CHECK(out.conflict());
        CHECK_FALSE(out.needsReview);
        // The other order gives the same winner.
        const auto reverse = sync::merge(application(), change("phone", "+62822", b1, s0), {std::string("+62811"), a1}, {});
        CHECK(reverse.result == MergeResult::IncomingWins);
    }
    SECTION("concurrent edits to the same value are no conflict")
    {
        const auto out = sync::merge(application(), change("address", "Jl. A", b1, s0), {std::string("Jl. A"), a1}, {});
        CHECK_FALSE(out.conflict());
    }
    SECTION("concurrent edits of a legally significant field wait for review, whatever the stamps")
    {
        const auto out = sync::merge(application(), change("nik", "3275090101900001", b1, s0),
                                     {std::string("3275094107900001"), a1}, {});
        CHECK(out.result == MergeResult::CurrentWins);
        CHECK(out.needsReview);
    }
    SECTION("two concurrent status moves: the first stays, the second needs review")
    {
        const auto out = sync::merge(application(), change("status", "withdrawn", b1, s0), {std::string("document_check"), a1}, {});
        CHECK(out.result == MergeResult::CurrentWins);
        CHECK(out.needsReview);
    }
    SECTION("an impossible workflow move becomes a conflict, not a corrupted record")
    {
        const auto out = sync::merge(application(), change("status", "issued", a1, s0), {std::string("draft"), s0}, {});
        CHECK(out.result == MergeResult::CurrentWins);
        CHECK(out.needsReview);
        CHECK(out.reason().find("cannot move from draft to issued") != std::string::npos);
    }
    SECTION("status moves wait while a review conflict is open")
    {
        MergeContext context;
        context.reviewConflictOpen = true;
        const auto out = sync::merge(application(), change("status", "document_check", a1, s0), {std::string("submitted"), s0}, context);
        CHECK(out.result == MergeResult::CurrentWins);
        const auto other = sync::merge(application(), change("phone", "+62833", a1, s0), {std::string("+62810"), s0}, context);
        CHECK(other.result == MergeResult::Applied);
    }
    SECTION("an edit against a deletion is a conflict needing review")
    {
        MergeContext context;
        context.recordDeleted = true;
        const auto out = sync::merge(application(), change("address", "Jl. B", a1, s0), {std::string("Jl. A"), s0}, context);
        CHECK(out.result == MergeResult::CurrentWins);
        CHECK(out.needsReview);
    }
    SECTION("a delete made while others edited applies but is flagged")
    {
        MergeContext context;
        context.concurrentEditsOfRecord = true;
        const auto out = sync::merge(application(), change("deleted", "1", b1, model::Stamp{}), {std::nullopt, model::Stamp{}}, context);
        CHECK(out.result == MergeResult::IncomingWins);
        CHECK(out.needsReview);
    }
    SECTION("a first value for a field never written applies")
    {
        const auto out = sync::merge(application(), change("email", "a@b.id", b0, model::Stamp{}), {std::nullopt, model::Stamp{}}, {});
        CHECK(out.result == MergeResult::Applied);
    }
}

TEST_CASE("Merge: a pulled value replaces an unpushed local edit only where the server will agree", "[sync][merge]")
{
    // Each row: the value a laptop pulls (what the server holds) and the
    // laptop's unpushed change of the same field. The laptop shows one of
    // the two now; the server later merges the change against that value.
    // Both must end on the same value.
    const model::Stamp s0{100, "device-a"};
    const model::Stamp b1{200, "device-b"};
    const model::Stamp a2{300, "device-a"};
    const model::Stamp a0{150, "device-a"};
    struct Row
    {
        const char* name;
        const char* field;
        FieldState pulled;
        FieldChange pending;
        MergeContext context;
    };
    const std::vector<Row> rows = {
        {"same base: the edit applies on top", "phone", {std::string("+62811"), s0},
         change("phone", "+62822", a2, s0), {}},
        {"concurrent edit, the local one later", "phone", {std::string("+62811"), b1},
         change("phone", "+62822", a2, s0), {}},
        {"concurrent edit, the pulled one later", "phone", {std::string("+62811"), b1},
         change("phone", "+62822", a0, s0), {}},
        {"equal values", "phone", {std::string("+62822"), b1}, change("phone", "+62822", a2, s0), {}},
        {"review field, concurrent", "nik", {std::string("3275094101900001"), b1},
         change("nik", "3275094101900002", a2, s0), {}},
        {"review field, same base", "nik", {std::string("3275094101900001"), s0},
         change("nik", "3275094101900002", a2, s0), {}},
        {"delete against an edit", "deleted", {std::string("0"), b1}, change("deleted", "1", a2, s0), {}},
        {"edit of a deleted record", "phone", {std::string("+62811"), s0}, change("phone", "+62822", a2, s0),
         {true, false, false}},
        {"impossible workflow move", "status", {std::string("draft"), s0}, change("status", "issued", a2, s0), {}},
        {"allowed workflow move", "status", {std::string("draft"), s0}, change("status", "submitted", a2, s0), {}},
        {"status move while a review is open", "status", {std::string("draft"), s0},
         change("status", "submitted", a2, s0), {false, true, false}},
    };
    for (const auto& row : rows)
    {
        INFO(row.name);
        const bool pulledWins = sync::pulledValueWins(application(), row.pending, row.pulled, row.context);
        const auto shownNow = pulledWins ? row.pulled.value : row.pending.value;
        const auto atServer = sync::merge(application(), row.pending, row.pulled, row.context);
        const auto finalValue = atServer.applies() ? row.pending.value : row.pulled.value;
        CHECK(shownNow == finalValue);
    }
    // And what the rows decide, spelled out for three of them.
    CHECK_FALSE(sync::pulledValueWins(application(), rows[1].pending, rows[1].pulled, {}));
    CHECK(sync::pulledValueWins(application(), rows[2].pending, rows[2].pulled, {}));
    CHECK(sync::pulledValueWins(application(), rows[4].pending, rows[4].pulled, {}));
    CHECK(sync::pulledValueWins(application(), rows[6].pending, rows[6].pulled, {}));
}
