#include "model/Deadlines.h"

#include "model/Error.h"

#include <string>

namespace berkas::model {

namespace {

constexpr int kReferralVerifyDays = 3;
constexpr int kReferralFollowUpDays = 5;

constexpr ComplaintClass kClasses[] = {ComplaintClass::Minor, ComplaintClass::Normative,
                                       ComplaintClass::NonSupervisory,
                                       ComplaintClass::Investigation, ComplaintClass::Referral};

} // namespace

Date applicationDueDate(const WorkingDayCalendar& calendar, Date completeOn, int slaDays)
{
    if (slaDays < 0) {
        throw Error(ErrorCode::InvalidData,
                    "sla_days must not be negative, got " + std::to_string(slaDays));
    }
    return calendar.addWorkingDays(completeOn, slaDays);
}

int complaintSlaDays(ComplaintClass complaintClass)
{
    switch (complaintClass) {
    case ComplaintClass::Minor:
        return 2;
    case ComplaintClass::Normative:
        return 5;
    case ComplaintClass::NonSupervisory:
        return 14;
    case ComplaintClass::Investigation:
        return 60;
    case ComplaintClass::Referral:
        return kReferralVerifyDays + kReferralFollowUpDays;
    }
    throw Error(ErrorCode::Internal, "unknown complaint class");
}

std::string_view complaintClassName(ComplaintClass complaintClass)
{
    switch (complaintClass) {
    case ComplaintClass::Minor:
        return "minor";
    case ComplaintClass::Normative:
        return "normative";
    case ComplaintClass::NonSupervisory:
        return "non_supervisory";
    case ComplaintClass::Investigation:
        return "investigation";
    case ComplaintClass::Referral:
        return "referral";
    }
    throw Error(ErrorCode::Internal, "unknown complaint class");
}

std::optional<ComplaintClass> parseComplaintClass(std::string_view name)
{
    for (const auto complaintClass : kClasses) {
        if (complaintClassName(complaintClass) == name)
            return complaintClass;
    }
    return std::nullopt;
}

Date complaintDueDate(const WorkingDayCalendar& calendar, Date receivedOn,
                      ComplaintClass complaintClass, bool verified)
{
    if (complaintClass == ComplaintClass::Referral && !verified)
        return calendar.addWorkingDays(receivedOn, kReferralVerifyDays);
    return calendar.addWorkingDays(receivedOn, complaintSlaDays(complaintClass));
}

} // namespace berkas::model
