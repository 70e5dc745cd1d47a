#include "model/Workflow.h"

#include "model/Error.h"
#include "model/Validation.h"

#include <algorithm>

namespace berkas::model {

namespace {

struct Move
{
    const char* from;
    std::vector<std::string> to;
};

struct KindWorkflow
{
    std::string kind;
    std::vector<std::string> statuses;
    std::vector<Move> moves;
};

const std::vector<KindWorkflow>& table()
{
    // Moves back are deliberate: an application returned for completion
    // (document_check -> submitted), a task handed back (in_progress ->
    // assigned), a complaint reopened (responded -> in_progress), an
    // overbooked booking rescheduled (overbooked -> tentative).
    static const std::vector<KindWorkflow> kTable = {
        {kind::kApplication,
         {"draft", "submitted", "document_check", "field_verification", "recommendation",
          "approved", "rejected", "issued", "withdrawn"},
         {
             {"draft", {"submitted", "withdrawn"}},
             {"submitted", {"document_check", "withdrawn", "rejected"}},
             {"document_check",
              {"field_verification", "recommendation", "approved", "rejected", "withdrawn",
               "submitted"}},
             {"field_verification", {"recommendation", "approved", "rejected", "document_check"}},
             {"recommendation", {"approved", "rejected", "field_verification"}},
             {"approved", {"issued"}},
         }},
        {kind::kTask,
         {"assigned", "in_progress", "done", "cancelled"},
         {
             {"assigned", {"in_progress", "cancelled"}},
             {"in_progress", {"done", "cancelled", "assigned"}},
         }},
        {kind::kComplaint,
         {"received", "in_progress", "responded", "closed"},
         {
             {"received", {"in_progress", "responded", "closed"}},
             {"in_progress", {"responded", "closed"}},
             {"responded", {"closed", "in_progress"}},
         }},
        {kind::kBooking,
         {"tentative", "confirmed", "overbooked", "checked_in", "cancelled", "no_show"},
         {
             {"tentative", {"confirmed", "overbooked", "cancelled"}},
             {"confirmed", {"checked_in", "cancelled", "no_show"}},
             {"overbooked", {"tentative", "cancelled"}},
         }},
    };
    return kTable;
}

const KindWorkflow& workflowOf(std::string_view kind)
{
    for (const auto& workflow : table()) {
        if (workflow.kind == kind)
            return workflow;
    }
    throw Error(ErrorCode::InvalidData, "unknown record kind \"" + std::string(kind) + "\"");
}

bool hasStatus(const KindWorkflow& workflow, std::string_view status)
{
    return std::find(workflow.statuses.begin(), workflow.statuses.end(), status) !=
           workflow.statuses.end();
}

const std::vector<std::string>& movesFrom(const KindWorkflow& workflow, std::string_view from)
{
    static const std::vector<std::string> kNone;
    for (const auto& move : workflow.moves) {
        if (from == move.from)
            return move.to;
    }
    return kNone;
}

} // namespace

const std::vector<std::string>& workflowKinds()
{
    static const std::vector<std::string> kKinds = [] {
        std::vector<std::string> kinds;
        for (const auto& workflow : table())
            kinds.push_back(workflow.kind);
        return kinds;
    }();
    return kKinds;
}

const std::vector<std::string>& statuses(std::string_view kind)
{
    return workflowOf(kind).statuses;
}

std::string initialStatus(std::string_view kind)
{
    return workflowOf(kind).statuses.front();
}

bool isAllowedMove(std::string_view kind, std::string_view from, std::string_view to)
{
    const auto& workflow = workflowOf(kind);
    if (!hasStatus(workflow, from) || !hasStatus(workflow, to))
        return false;
    if (from == to)
        return true;
    const auto& moves = movesFrom(workflow, from);
    return std::find(moves.begin(), moves.end(), to) != moves.end();
}

std::vector<std::string> allowedMoves(std::string_view kind, std::string_view from)
{
    return movesFrom(workflowOf(kind), from);
}

bool isTerminal(std::string_view kind, std::string_view status)
{
    const auto& workflow = workflowOf(kind);
    return hasStatus(workflow, status) && movesFrom(workflow, status).empty();
}

bool decidedByServer(std::string_view kind, std::string_view status)
{
    return kind == kind::kBooking && (status == "confirmed" || status == "overbooked" || status == "no_show");
}

std::string moveError(std::string_view kind, std::string_view from, std::string_view to)
{
    const auto problem = moveProblem(kind, from, to);
    return problem ? problem->text() : std::string();
}

bool slaClockStarts(std::string_view fromStatus, std::string_view toStatus)
{
    return fromStatus == "document_check" &&
           (toStatus == "field_verification" || toStatus == "recommendation" ||
            toStatus == "approved");
}

} // namespace berkas::model
