#pragma once

#include "model/Hlc.h"

#include <optional>
#include <string>
#include <vector>

namespace berkas::model {

/// One verification task of an application as a replica holds it: the
/// fields the rule reads and the stamp of its status (the stamp of the last
/// write of `status`, as ReplicaStore and the server's field table keep it).
struct RoundTask
{
    std::string status;   ///< assigned, in_progress, done, cancelled
    std::string result;   ///< compliant, non_compliant, needs_revision, or empty
    Stamp statusStamp;
    bool deleted = false;
};

/// Where an application in field_verification goes once its site visits are
/// done: the one rule of the move, a pure function of the application's
/// status, the stamp of that status and its tasks, so that every replica
/// holding the same values gets the same answer. The central office runs it
/// after every push (sync/server/VerificationDesk.h) and writes the move
/// with its own stamp; laptops take it at their next pull, as they take a
/// registration number. Laptops do not run it to write: a verifier's laptop
/// holds only the verifier's own tasks of an application, so "every task is
/// done" can only be judged where every task is.
///
/// The round: the tasks of the current visit to the field. A task belongs to
/// it unless it was finished before the application last entered
/// field_verification (its status stamp is older than the application's):
/// an application sent back to document_check after a needs_revision and
/// sent to the field again is judged by its new visit only, not by the old
/// needs_revision, which would send it back for ever. Stamps order these
/// writes causally: the move back was written by a replica that had seen the
/// old tasks done, and the new task is finished by one that has seen the move.
///
/// Returns the next status when the application is in field_verification,
/// its round has at least one task that is not cancelled or deleted, and all
/// of those are done with a result:
/// - any non_compliant: "recommendation" (the head of office decides on the
///   report; a rejection is a person's decision, never the program's);
/// - else any needs_revision: "document_check" (the applicant completes
///   the file and it is checked again);
/// - else (all compliant): "recommendation".
/// nullopt otherwise: a task still open, a done task without a result (a
/// manager moves such an application by hand), or no task in the round.
std::optional<std::string> verificationOutcome(const std::string& applicationStatus,
                                               const Stamp& applicationStatusStamp,
                                               const std::vector<RoundTask>& tasks);

} // namespace berkas::model
