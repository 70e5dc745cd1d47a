#pragma once

#include "model/Date.h"

#include <string>
#include <vector>

namespace berkas::model {

class CaseStore;
class Database;

/// One site visit on a verifier's list: the task and what the verifier
/// needs on the road (who, where, which permit).
struct Visit
{
    std::string taskId;
    std::string scheduledFor; ///< YYYY-MM-DD, or empty when not scheduled yet
    std::string status;       ///< assigned or in_progress
    std::string assignedTo;
    std::string applicationId;
    std::string number;       ///< reg_no, else the provisional number
    std::string applicantName;
    std::string phone;
    std::string address;
    std::string kelurahan;
    std::string kecamatan;
    std::string serviceCode;
    std::string serviceName;
};

/// The verifier's day: the open tasks (assigned, in progress) scheduled on
/// or before @p day, so that a visit missed yesterday stays on today's list,
/// then those not scheduled yet; ordered by schedule, visits already begun
/// first within a day, then by applicant. @p assignee empty: every
/// verifier's (a manager's laptop); a verifier's laptop holds only theirs.
/// Deleted tasks and tasks of deleted applications are left out.
std::vector<Visit> visitsUntil(Database& db, Date day, const std::string& assignee = "");
/// The same on the store's connection, for the window and the command line.
std::vector<Visit> visitsUntil(CaseStore& store, Date day, const std::string& assignee = "");

} // namespace berkas::model
