#pragma once

#include "model/Date.h"
#include "model/WorkingDayCalendar.h"

#include <optional>
#include <string_view>

namespace berkas::model {

/// The due date of an application: @p slaDays working days after the day the
/// file was declared complete and correct (that day not counted). Throws
/// Error(InvalidData) when @p slaDays is negative.
Date applicationDueDate(const WorkingDayCalendar& calendar, Date completeOn, int slaDays);

/// Service-level classes of complaints, with their working-day limits.
enum class ComplaintClass
{
    Minor,          ///< "minor": 2 working days
    Normative,      ///< "normative": 5
    NonSupervisory, ///< "non_supervisory": 14
    Investigation,  ///< "investigation": 60
    Referral        ///< "referral" (from SP4N-LAPOR!): 3 to verify, then 5 to follow up
};

/// The working days allowed to settle a complaint; for Referral the total of
/// verification and follow-up (3 + 5 = 8).
int complaintSlaDays(ComplaintClass complaintClass);

/// "minor", "normative", "non_supervisory", "investigation", "referral".
std::string_view complaintClassName(ComplaintClass complaintClass);

/// The class named by complaintClassName(); nullopt for anything else.
std::optional<ComplaintClass> parseComplaintClass(std::string_view name);

/// When a complaint received on @p receivedOn (not counted) is due. For a
/// referral that is not yet @p verified this is the verification deadline
/// (3 working days); once verified, the follow-up deadline, 3 + 5 working
/// days after receipt. @p verified is ignored for the other classes.
Date complaintDueDate(const WorkingDayCalendar& calendar, Date receivedOn,
                      ComplaintClass complaintClass, bool verified);

} // namespace berkas::model
