// Where an application goes when its site visits are done: the rule alone,
// and the write rule that a task is done only with its result.
#include "model/VerificationRound.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

using namespace berkas;
using model::RoundTask;
using model::Stamp;
using model::verificationOutcome;

namespace {

const Stamp kSentToField{1000, "laptop-manager"};
const Stamp kBefore{900, "laptop-vera"};
const Stamp kAfter{1100, "laptop-vera"};
const Stamp kLater{1200, "laptop-vino"};

RoundTask done(const std::string& result, Stamp stamp = kAfter)
{
    return {"done", result, std::move(stamp), false};
}

std::string outcome(const std::vector<RoundTask>& tasks, const std::string& status = "field_verification")
{
    return verificationOutcome(status, kSentToField, tasks).value_or("(stays)");
}

} // namespace

TEST_CASE("VerificationRound: the results of a finished round decide the next status", "[model][verification]")
{
    SECTION("every visit compliant: recommendation")
    {
        CHECK(outcome({done("compliant")}) == "recommendation");
        CHECK(outcome({done("compliant"), done("compliant", kLater)}) == "recommendation");
    }
    SECTION("any needs_revision, none non_compliant: back to document_check")
    {
        CHECK(outcome({done("compliant"), done("needs_revision", kLater)}) == "document_check");
    }
    SECTION("any non_compliant: recommendation, where a person decides on the rejection")
    {
        CHECK(outcome({done("non_compliant")}) == "recommendation");
        CHECK(outcome({done("needs_revision"), done("non_compliant", kLater)}) == "recommendation");
    }
    SECTION("the order of the tasks does not matter")
    {
        CHECK(outcome({done("needs_revision", kLater), done("compliant")}) ==
              outcome({done("compliant"), done("needs_revision", kLater)}));
    }
}

TEST_CASE("VerificationRound: nothing moves while a visit is open or undecided", "[model][verification]")
{
    SECTION("a task still assigned or in progress")
    {
        CHECK(outcome({done("compliant"), {"assigned", "", kAfter, false}}) == "(stays)");
        CHECK(outcome({done("compliant"), {"in_progress", "", kAfter, false}}) == "(stays)");
    }
    SECTION("an open task from before the file went to the field still counts")
    {
        CHECK(outcome({done("compliant"), {"in_progress", "", kBefore, false}}) == "(stays)");
    }
    SECTION("a done task without a result: a manager moves the application by hand")
    {
        CHECK(outcome({done("")}) == "(stays)");
    }
    SECTION("no task, or only cancelled and deleted ones")
    {
        CHECK(outcome({}) == "(stays)");
        CHECK(outcome({{"cancelled", "", kAfter, false}, {"done", "compliant", kAfter, true}}) == "(stays)");
    }
    SECTION("an application that is not in field_verification")
    {
        CHECK(outcome({done("compliant")}, "recommendation") == "(stays)");
        CHECK(outcome({done("needs_revision")}, "document_check") == "(stays)");
    }
}

TEST_CASE("VerificationRound: cancelled tasks and earlier rounds do not count", "[model][verification]")
{
    SECTION("a cancelled task beside a compliant one")
    {
        CHECK(outcome({{"cancelled", "", kAfter, false}, done("compliant")}) == "recommendation");
    }
    SECTION("the needs_revision of the last round does not send the file back again")
    {
        // Round one ended in needs_revision (stamp 900); the file went back
        // to document_check and to the field again at 1000; round two's
        // visit is compliant.
        CHECK(outcome({done("needs_revision", kBefore), done("compliant")}) == "recommendation");
    }
    SECTION("a round with only finished visits of earlier rounds waits for its own")
    {
        CHECK(outcome({done("compliant", kBefore)}) == "(stays)");
    }
}

TEST_CASE("VerificationRound: a task is done only with its result", "[model][verification][store]")
{
    test::StoreFixture f;
    model::CaseStore& store = *f.store;
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Rina Kartikasari"},
                                                         {"nik", "3275090101900001"},
                                                         {"kecamatan", "32.75.09"},
                                                         {"channel", "phone"}});
    const std::string task = store.create("task", {{"application_id", app}, {"assigned_to", "vera"}});
    store.update(task, {{"status", "in_progress"}});
    const auto outboxBefore = store.outboxSize();
    CHECK_THROWS_WITH(store.update(task, {{"status", "done"}}),
                      "result: is required before the task is done: compliant, non_compliant or needs_revision");
    CHECK(store.get(task).value("status") == "in_progress");
    CHECK(store.outboxSize() == outboxBefore);
    store.update(task, {{"status", "done"}, {"result", "needs_revision"}});
    CHECK(store.get(task).value("status") == "done");
    CHECK_FALSE(store.get(task).value("visited_at").empty());
}
