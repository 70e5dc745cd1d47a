#include "model/VerificationRound.h"

namespace berkas::model {

std::optional<std::string> verificationOutcome(const std::string& applicationStatus,
                                               const Stamp& applicationStatusStamp,
                                               const std::vector<RoundTask>& tasks)
{
    if (applicationStatus != "field_verification")
        return std::nullopt;
    int counted = 0;
    bool nonCompliant = false;
    bool revision = false;
    for (const RoundTask& t : tasks)
    {
        if (t.deleted || t.status == "cancelled")
            continue;
        // A visit finished before the file last went to the field belongs to
        // an earlier round. An open task always counts: a visit still to make.
        if (t.status == "done" && t.statusStamp < applicationStatusStamp)
            continue;
        if (t.status != "done" || t.result.empty())
            return std::nullopt;
        ++counted;
        nonCompliant = nonCompliant || t.result == "non_compliant";
        revision = revision || t.result == "needs_revision";
    }
    if (counted == 0)
        return std::nullopt;
    if (nonCompliant)
        return std::string("recommendation");
    return std::string(revision ? "document_check" : "recommendation");
}

} // namespace berkas::model
