#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berkas::model {

/// The status workflows of the record kinds "application", "task",
/// "complaint" and "booking": one table of allowed moves, used by the store
/// to refuse a write and by the interface to offer only allowed actions.
/// Functions taking a kind throw Error(InvalidData) for an unknown kind;
/// unknown statuses are reported as not allowed, never thrown.

/// The kinds that have a workflow.
const std::vector<std::string>& workflowKinds();

/// The statuses of @p kind, the initial one first.
const std::vector<std::string>& statuses(std::string_view kind);

/// The status a new record of @p kind starts in: draft, assigned, received, tentative.
std::string initialStatus(std::string_view kind);

/// Whether a record of @p kind may move from @p from to @p to. A "move" to the
/// same known status is allowed as a no-op (so saving other fields of a record
/// never trips the check), even in a terminal status.
bool isAllowedMove(std::string_view kind, std::string_view from, std::string_view to);

/// The statuses reachable from @p from in one move, in table order (not
/// including @p from itself); empty for terminal or unknown statuses.
std::vector<std::string> allowedMoves(std::string_view kind, std::string_view from);

/// Whether @p status has no way out. False for unknown statuses.
bool isTerminal(std::string_view kind, std::string_view status);

/// Whether @p status of @p kind is the central office's to set, never a
/// person's: a booking's confirmed and overbooked (decided against slot
/// capacity when the booking reaches the server) and no_show (decided when
/// its slot passed without a check-in). The laptop's write rules and the
/// server's push rules both ask this.
bool decidedByServer(std::string_view kind, std::string_view status);

/// Empty when the move is allowed; otherwise the sentence of its problem
/// (model::moveProblem), such as
/// "cannot move from draft to approved; allowed: submitted, withdrawn".
std::string moveError(std::string_view kind, std::string_view from, std::string_view to);

/// For applications: whether this move declares the file complete and correct
/// ("lengkap dan benar"), which starts the SLA clock: leaving document_check for
/// field_verification, recommendation or approved.
bool slaClockStarts(std::string_view fromStatus, std::string_view toStatus);

} // namespace berkas::model
