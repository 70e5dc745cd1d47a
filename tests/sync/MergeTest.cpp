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
        CHECK(out.reason.find("cannot move from draft to issued") != std::string::npos);
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
    const auto& kind = application();
    CHECK(sync::pulledValueWins(kind, "phone", {100, "a"}, {200, "b"}));
    CHECK_FALSE(sync::pulledValueWins(kind, "phone", {300, "a"}, {200, "b"}));
    CHECK(sync::pulledValueWins(kind, "status", {300, "a"}, {200, "b"}));
    // A deletion is reviewed, as merge() decides it: the server keeps its value.
    CHECK(sync::pulledValueWins(kind, "deleted", {300, "a"}, {200, "b"}));
    const auto review = sync::merge(kind, change("deleted", "1", {300, "a"}, {100, "x"}), {std::string("0"), {200, "b"}}, {});
    CHECK(review.result == MergeResult::CurrentWins);
}
