#include "model/WorkingDayCalendar.h"
#include "model/Error.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

using berkas::model::Date;
using berkas::model::WorkingDayCalendar;

namespace {

const std::string kHolidayFile = std::string(BERKAS_ASSETS_DIR) + "/reference/holidays-id.csv";

/// A file in the temporary folder, removed when the test ends.
struct TempFile
{
    explicit TempFile(const std::string& content)
    {
        static int counter = 0;
        path = (std::filesystem::temp_directory_path() /
                ("berkas-holidays-" + std::to_string(std::random_device{}()) + "-" +
                 std::to_string(++counter) + ".csv"))
                   .string();
        std::ofstream(path, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string path;
};

std::string errorMessage(const std::string& path)
{
    try {
        WorkingDayCalendar::fromCsv(path);
    } catch (const berkas::Error& error) {
        return error.what();
    }
    return {};
}

} // namespace

TEST_CASE("WorkingDayCalendar: deadlines skip weekends and holidays", "[model][calendar]")
{
    // 13-14 May 2021: Ascension Day and Idul Fitri; 12 May: collective leave.
    const WorkingDayCalendar calendar{{Date(2021, 5, 12), Date(2021, 5, 13), Date(2021, 5, 14)}};

    SECTION("a Friday start with one working day is due on Monday")
    {
        CHECK(calendar.addWorkingDays(Date(2021, 5, 7), 1) == Date(2021, 5, 10));
    }
    SECTION("a run of holidays pushes the deadline into the next week")
    {
        CHECK(calendar.addWorkingDays(Date(2021, 5, 10), 2) == Date(2021, 5, 17));
    }
    SECTION("a start on a non-working day counts from the next working day")
    {
        CHECK(calendar.addWorkingDays(Date(2021, 5, 8), 1) == Date(2021, 5, 10));
        CHECK(calendar.addWorkingDays(Date(2021, 5, 13), 1) == Date(2021, 5, 17));
    }
    SECTION("zero days is the start itself and negative days walk back")
    {
        CHECK(calendar.addWorkingDays(Date(2021, 5, 8), 0) == Date(2021, 5, 8));
        CHECK(calendar.addWorkingDays(Date(2021, 5, 17), -1) == Date(2021, 5, 11));
        CHECK(calendar.addWorkingDays(Date(2021, 5, 10), -1) == Date(2021, 5, 7));
    }
}

TEST_CASE("WorkingDayCalendar: isWorkingDay excludes weekends and holidays", "[model][calendar]")
{
    const WorkingDayCalendar calendar{{Date(2021, 5, 13)}};
    CHECK(calendar.isWorkingDay(Date(2021, 5, 12)));
    CHECK_FALSE(calendar.isWorkingDay(Date(2021, 5, 13)));
    CHECK(calendar.isWorkingDay(Date(2021, 5, 14)));
    CHECK_FALSE(calendar.isWorkingDay(Date(2021, 5, 15)));
    CHECK_FALSE(calendar.isWorkingDay(Date(2021, 5, 16)));
    CHECK(calendar.isHoliday(Date(2021, 5, 13)));
    CHECK_FALSE(calendar.isHoliday(Date(2021, 5, 15)));
}

TEST_CASE("WorkingDayCalendar: workingDaysBetween counts days after from up to to",
          "[model][calendar]")
{
    const WorkingDayCalendar calendar{{Date(2021, 5, 13), Date(2021, 5, 14)}};
    CHECK(calendar.workingDaysBetween(Date(2021, 5, 7), Date(2021, 5, 7)) == 0);
    CHECK(calendar.workingDaysBetween(Date(2021, 5, 7), Date(2021, 5, 10)) == 1);
    CHECK(calendar.workingDaysBetween(Date(2021, 5, 7), Date(2021, 5, 9)) == 0);
    CHECK(calendar.workingDaysBetween(Date(2021, 5, 10), Date(2021, 5, 17)) == 3);
    CHECK(calendar.workingDaysBetween(Date(2021, 5, 17), Date(2021, 5, 10)) == -3);
    CHECK(calendar.workingDaysBetween(Date(2021, 5, 10), Date(2021, 5, 7)) == -1);

    SECTION("it is the inverse of addWorkingDays")
    {
        for (int start = 0; start < 21; ++start) {
            const Date from = Date(2021, 5, 1).addDays(start);
            for (int n = 1; n <= 15; ++n) {
                CAPTURE(from.toString(), n);
                const Date to = calendar.addWorkingDays(from, n);
                CHECK(calendar.workingDaysBetween(from, to) == n);
                CHECK(calendar.workingDaysBetween(to, from) == -n);
            }
        }
    }
}

TEST_CASE("WorkingDayCalendar: the shipped holiday file covers Idul Fitri and New Year",
          "[model][calendar]")
{
    const auto calendar = WorkingDayCalendar::fromCsv(kHolidayFile);
    CHECK(calendar.isHoliday(Date(2021, 5, 13)));
    CHECK(calendar.isHoliday(Date(2021, 5, 14)));
    CHECK(calendar.isHoliday(Date(2021, 1, 1)));
    CHECK(calendar.isHoliday(Date(2030, 12, 25)));
    CHECK_FALSE(calendar.isHoliday(Date(2021, 5, 12)));

    SECTION("a Wednesday start with one working day skips Idul Fitri and the weekend")
    {
        CHECK(calendar.addWorkingDays(Date(2021, 5, 12), 1) == Date(2021, 5, 17));
        CHECK(calendar.addWorkingDays(Date(2021, 5, 11), 5) == Date(2021, 5, 20));
        CHECK(calendar.workingDaysBetween(Date(2021, 5, 7), Date(2021, 5, 21)) == 8);
    }
    SECTION("a deadline across the year end skips New Year's Day")
    {
        CHECK(calendar.addWorkingDays(Date(2020, 12, 31), 1) == Date(2021, 1, 4));
        CHECK(calendar.addWorkingDays(Date(2020, 12, 29), 3) == Date(2021, 1, 4));
        CHECK(calendar.workingDaysBetween(Date(2020, 12, 24), Date(2021, 1, 8)) == 9);
    }
}

TEST_CASE("WorkingDayCalendar: fromCsv reads quoted fields and reports bad files",
          "[model][calendar]")
{
    SECTION("quoted names with commas and doubled quotes, CRLF line ends")
    {
        const TempFile file("date,name_id,name_en,type\r\n"
                            "2021-05-13,\"Hari Raya Idul Fitri, hari 1\",\"Eid, \"\"day\"\" 1\","
                            "public\r\n"
                            "2021-05-13,\"Kenaikan\",\"Ascension\",public\r\n"
                            "\r\n"
                            "2021-05-14,x,y,public\r\n");
        const auto calendar = WorkingDayCalendar::fromCsv(file.path);
        CHECK(calendar.holidays().size() == 2);
        CHECK(calendar.isHoliday(Date(2021, 5, 14)));
    }
    SECTION("a missing file is a storage error naming the file")
    {
        const std::string path = "/nonexistent/berkas/holidays.csv";
        try {
            WorkingDayCalendar::fromCsv(path);
            FAIL("no exception");
        } catch (const berkas::Error& error) {
            CHECK(error.code() == berkas::ErrorCode::Storage);
            CHECK_THAT(error.what(), Catch::Contains(path));
        }
    }
    SECTION("a bad date is invalid data naming the file and line")
    {
        const TempFile file("date,name_id,name_en,type\n2021-05-13,a,b,public\n2021-02-29,c,d,"
                            "public\n");
        CHECK_THAT(errorMessage(file.path), Catch::Contains(file.path + ":3:"));
        try {
            WorkingDayCalendar::fromCsv(file.path);
        } catch (const berkas::Error& error) {
            CHECK(error.code() == berkas::ErrorCode::InvalidData);
        }
    }
    SECTION("a file without the header is invalid data")
    {
        const TempFile file("2021-05-13,a,b,public\n");
        CHECK_THAT(errorMessage(file.path), Catch::Contains(file.path + ":1:"));
    }
}

TEST_CASE("WorkingDayCalendar: fromDates builds a calendar from an edited list",
          "[model][calendar]")
{
    const auto calendar = WorkingDayCalendar::fromDates({"2021-05-12", "2021-05-13"});
    CHECK(calendar.holidays().size() == 2);
    CHECK_FALSE(calendar.isWorkingDay(Date(2021, 5, 12)));
    CHECK_THROWS_AS(WorkingDayCalendar::fromDates({"2021-05-12", "12/05/2021"}), berkas::Error);
}
