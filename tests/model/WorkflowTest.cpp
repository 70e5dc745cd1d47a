#include "model/Workflow.h"
#include "model/Error.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace berkas::model;

namespace {

/// The expected moves written out independently of model/Workflow.cpp, one
/// "from>to" string per allowed move.
const std::map<std::string, std::set<std::string>>& expectedMoves()
{
    static const std::map<std::string, std::set<std::string>> kExpected = {
        {"application",
         {"draft>submitted", "draft>withdrawn",
          "submitted>document_check", "submitted>withdrawn", "submitted>rejected",
          "document_check>field_verification", "document_check>recommendation",
          "document_check>approved", "document_check>rejected", "document_check>withdrawn",
          "document_check>submitted",
          "field_verification>recommendation", "field_verification>approved",
          "field_verification>rejected", "field_verification>document_check",
          "recommendation>approved", "recommendation>rejected",
          "recommendation>field_verification",
          "approved>issued"}},
        {"task",
         {"assigned>in_progress", "assigned>cancelled", "in_progress>done",
          "in_progress>cancelled", "in_progress>assigned"}},
        {"complaint",
         {"received>in_progress", "received>responded", "received>closed",
          "in_progress>responded", "in_progress>closed", "responded>closed",
          "responded>in_progress"}},
        {"booking",
         {"tentative>confirmed", "tentative>overbooked", "tentative>cancelled",
          "confirmed>checked_in", "confirmed>cancelled", "confirmed>no_show",
          "overbooked>tentative", "overbooked>cancelled"}},
    };
    return kExpected;
}

const std::map<std::string, std::set<std::string>>& expectedStatuses()
{
    static const std::map<std::string, std::set<std::string>> kExpected = {
        {"application",
         {"draft", "submitted", "document_check", "field_verification", "recommendation",
          "approved", "rejected", "issued", "withdrawn"}},
        {"task", {"assigned", "in_progress", "done", "cancelled"}},
        {"complaint", {"received", "in_progress", "responded", "closed"}},
        {"booking",
         {"tentative", "confirmed", "overbooked", "checked_in", "cancelled", "no_show"}},
    };
    return kExpected;
}

const std::map<std::string, std::set<std::string>>& expectedTerminals()
{
    static const std::map<std::string, std::set<std::string>> kExpected = {
        {"application", {"rejected", "issued", "withdrawn"}},
        {"task", {"done", "cancelled"}},
        {"complaint", {"closed"}},
        {"booking", {"checked_in", "cancelled", "no_show"}},
    };
    return kExpected;
}

} // namespace

TEST_CASE("Workflow: every kind has its statuses and initial status", "[model][workflow]")
{
    CHECK(workflowKinds() == std::vector<std::string>{"application", "task", "complaint", "booking"});
    for (const auto& [kind, expected] : expectedStatuses()) {
        CAPTURE(kind);
        const auto& actual = statuses(kind);
        CHECK(std::set<std::string>(actual.begin(), actual.end()) == expected);
        CHECK(actual.size() == expected.size());
        CHECK(actual.front() == initialStatus(kind));
    }
    CHECK(initialStatus("application") == "draft");
    CHECK(initialStatus("task") == "assigned");
    CHECK(initialStatus("complaint") == "received");
    CHECK(initialStatus("booking") == "tentative");
}

TEST_CASE("Workflow: every allowed and every forbidden move matches the table",
          "[model][workflow]")
{
    int allowedCount = 0;
    for (const auto& [kind, moves] : expectedMoves()) {
        for (const auto& from : statuses(kind)) {
            std::vector<std::string> expectedFromHere;
            for (const auto& to : statuses(kind)) {
                CAPTURE(kind, from, to);
                const bool expected = from == to || moves.count(from + ">" + to) != 0;
                CHECK(isAllowedMove(kind, from, to) == expected);
                CHECK(moveError(kind, from, to).empty() == expected);
                if (from != to && expected) {
                    expectedFromHere.push_back(to);
                    ++allowedCount;
                }
            }
            const auto actual = allowedMoves(kind, from);
            CHECK(std::set<std::string>(actual.begin(), actual.end()) ==
                  std::set<std::string>(expectedFromHere.begin(), expectedFromHere.end()));
            CHECK(isTerminal(kind, from) == (expectedTerminals().at(kind).count(from) != 0));
            CHECK(isTerminal(kind, from) == actual.empty());
        }
    }
    CHECK(allowedCount == 19 + 5 + 7 + 8);
}

TEST_CASE("Workflow: a same-status move is an allowed no-op, even when terminal",
          "[model][workflow]")
{
    CHECK(isAllowedMove("application", "draft", "draft"));
    CHECK(isAllowedMove("application", "issued", "issued"));
    CHECK(isAllowedMove("booking", "no_show", "no_show"));
    CHECK_FALSE(isAllowedMove("application", "lost", "lost"));
}

TEST_CASE("Workflow: moveError explains what is allowed", "[model][workflow]")
{
    CHECK(moveError("application", "draft", "approved") ==
          "cannot move from draft to approved; allowed: submitted, withdrawn");
    CHECK(moveError("application", "issued", "draft") ==
          "cannot move from issued to draft; issued is final");
    CHECK_THAT(moveError("task", "assigned", "finished"),
               Catch::StartsWith("unknown task status \"finished\""));
    CHECK(moveError("application", "draft", "submitted").empty());
}

TEST_CASE("Workflow: unknown statuses are refused and unknown kinds throw", "[model][workflow]")
{
    CHECK_FALSE(isAllowedMove("application", "draft", "done"));
    CHECK_FALSE(isAllowedMove("task", "open", "done"));
    CHECK_FALSE(isTerminal("task", "open"));
    CHECK(allowedMoves("task", "open").empty());
    CHECK_THROWS_AS(statuses("note"), berkas::Error);
    CHECK_THROWS_AS(isAllowedMove("note", "a", "b"), berkas::Error);
    CHECK_THROWS_AS(initialStatus(""), berkas::Error);
}

TEST_CASE("Workflow: the SLA clock starts when the file is declared complete",
          "[model][workflow]")
{
    for (const auto& from : statuses("application")) {
        for (const auto& to : statuses("application")) {
            CAPTURE(from, to);
            const bool expected = from == "document_check" &&
                                  (to == "field_verification" || to == "recommendation" ||
                                   to == "approved");
            CHECK(slaClockStarts(from, to) == expected);
        }
    }
}
