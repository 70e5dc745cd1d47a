#include "model/Deadlines.h"
#include "model/Error.h"

#include <catch2/catch.hpp>

#include <string>

using namespace berkas::model;

namespace {

const WorkingDayCalendar& shippedCalendar()
{
    static const WorkingDayCalendar calendar = WorkingDayCalendar::fromCsv(
        std::string(BERKAS_ASSETS_DIR) + "/reference/holidays-id.csv");
    return calendar;
}

} // namespace

TEST_CASE("Deadlines: application due dates count working days after completion",
          "[model][deadlines]")
{
    const auto& calendar = shippedCalendar();

    struct Case
    {
        Date completeOn;
        int slaDays;
        Date due;
    };
    const auto example = GENERATE(values<Case>({
        // Idul Fitri 2021: Thursday 13 and Friday 14 May, then the weekend.
        {Date(2021, 5, 7), 1, Date(2021, 5, 10)},
        {Date(2021, 5, 11), 1, Date(2021, 5, 12)},
        {Date(2021, 5, 11), 2, Date(2021, 5, 17)},
        {Date(2021, 5, 10), 5, Date(2021, 5, 19)},
        {Date(2021, 5, 13), 1, Date(2021, 5, 17)},
        // Year end: Friday 1 January 2021 is New Year's Day.
        {Date(2020, 12, 31), 1, Date(2021, 1, 4)},
        {Date(2020, 12, 30), 3, Date(2021, 1, 5)},
        {Date(2020, 12, 24), 10, Date(2021, 1, 11)},
        {Date(2021, 5, 7), 0, Date(2021, 5, 7)},
    }));
    CAPTURE(example.completeOn.toString(), example.slaDays);
    CHECK(applicationDueDate(calendar, example.completeOn, example.slaDays) == example.due);
}

TEST_CASE("Deadlines: a negative SLA is invalid data", "[model][deadlines]")
{
    CHECK_THROWS_AS(applicationDueDate(shippedCalendar(), Date(2021, 5, 7), -1), berkas::Error);
}

TEST_CASE("Deadlines: complaint classes have names and working-day limits",
          "[model][deadlines]")
{
    CHECK(complaintSlaDays(ComplaintClass::Minor) == 2);
    CHECK(complaintSlaDays(ComplaintClass::Normative) == 5);
    CHECK(complaintSlaDays(ComplaintClass::NonSupervisory) == 14);
    CHECK(complaintSlaDays(ComplaintClass::Investigation) == 60);
    CHECK(complaintSlaDays(ComplaintClass::Referral) == 8);

    for (const char* name : {"minor", "normative", "non_supervisory", "investigation", "referral"}) {
        const auto parsed = parseComplaintClass(name);
        REQUIRE(parsed);
        CHECK(complaintClassName(*parsed) == name);
    }
    CHECK_FALSE(parseComplaintClass("Minor"));
    CHECK_FALSE(parseComplaintClass("urgent"));
    CHECK_FALSE(parseComplaintClass(""));
}

TEST_CASE("Deadlines: complaint due dates skip Idul Fitri and New Year", "[model][deadlines]")
{
    const auto& calendar = shippedCalendar();
    const Date monday(2021, 5, 10);

    CHECK(complaintDueDate(calendar, monday, ComplaintClass::Minor, false) == Date(2021, 5, 12));
    CHECK(complaintDueDate(calendar, monday, ComplaintClass::Normative, false) ==
          Date(2021, 5, 19));
    CHECK(complaintDueDate(calendar, monday, ComplaintClass::NonSupervisory, false) ==
          Date(2021, 6, 3)); // 26 May (Waisak) and 1 June (Pancasila) are holidays
    CHECK(complaintDueDate(calendar, Date(2020, 12, 30), ComplaintClass::Minor, true) ==
          Date(2021, 1, 4));

    SECTION("the verified flag matters only for referrals")
    {
        CHECK(complaintDueDate(calendar, monday, ComplaintClass::Minor, true) ==
              complaintDueDate(calendar, monday, ComplaintClass::Minor, false));
    }
    SECTION("a referral has 3 days to verify, then 5 more to follow up")
    {
        CHECK(complaintDueDate(calendar, monday, ComplaintClass::Referral, false) ==
              Date(2021, 5, 17));
        CHECK(complaintDueDate(calendar, monday, ComplaintClass::Referral, true) ==
              Date(2021, 5, 24));
        CHECK(complaintDueDate(calendar, Date(2020, 12, 29), ComplaintClass::Referral, false) ==
              Date(2021, 1, 4));
    }
    SECTION("an investigation's 60 working days agree with workingDaysBetween")
    {
        const Date due = complaintDueDate(calendar, monday, ComplaintClass::Investigation, false);
        CHECK(calendar.workingDaysBetween(monday, due) == 60);
        CHECK(calendar.isWorkingDay(due));
    }
}
