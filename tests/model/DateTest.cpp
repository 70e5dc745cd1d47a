#include "model/Date.h"
#include "model/Error.h"

#include <catch2/catch.hpp>

#include <string>

using berkas::model::Date;
using berkas::model::dateOfTimestamp;

TEST_CASE("Date: parse accepts only real dates written YYYY-MM-DD", "[model][date]")
{
    SECTION("valid dates round-trip through toString")
    {
        const std::string text = GENERATE(as<std::string>{}, "2021-05-07", "2020-02-29",
                                          "2000-02-29", "1970-01-01", "2030-12-31", "0001-01-01",
                                          "9999-12-31");
        const auto date = Date::parse(text);
        REQUIRE(date);
        CHECK(date->toString() == text);
    }
    SECTION("malformed or impossible dates are rejected")
    {
        const std::string text =
            GENERATE(as<std::string>{}, "2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10",
                     "2021-04-31", "2021-05-00", "2021-1-5", "2021-01-5", "21-01-05",
                     "2021/01/05", "2021-01-05 ", " 2021-01-05", "2021-01-05T00:00", "",
                     "abcd-ef-gh", "2021-+1-05", "0000-01-01");
        CAPTURE(text);
        CHECK_FALSE(Date::parse(text));
    }
}

TEST_CASE("Date: the constructor refuses dates that do not exist", "[model][date]")
{
    CHECK_THROWS_AS(Date(2021, 2, 29), berkas::Error);
    CHECK_THROWS_AS(Date(2021, 13, 1), berkas::Error);
    CHECK_NOTHROW(Date(2024, 2, 29));
    CHECK(Date() == Date(1970, 1, 1));
    const Date date(2021, 5, 7);
    CHECK(date.year() == 2021);
    CHECK(date.month() == 5);
    CHECK(date.day() == 7);
}

TEST_CASE("Date: isValid follows the Gregorian leap-year rules", "[model][date]")
{
    CHECK(Date::isValid(2020, 2, 29));
    CHECK(Date::isValid(2000, 2, 29));
    CHECK_FALSE(Date::isValid(1900, 2, 29));
    CHECK_FALSE(Date::isValid(2021, 2, 29));
    CHECK(Date::isValid(2021, 12, 31));
    CHECK_FALSE(Date::isValid(2021, 6, 31));
    CHECK_FALSE(Date::isValid(2021, 0, 1));
    CHECK_FALSE(Date::isValid(2021, 1, 0));
    CHECK_FALSE(Date::isValid(2021, 1, 32));
}

TEST_CASE("Date: day numbers count from 1970-01-01", "[model][date]")
{
    CHECK(Date(1970, 1, 1).toDays() == 0);
    CHECK(Date(1970, 1, 2).toDays() == 1);
    CHECK(Date(1969, 12, 31).toDays() == -1);
    CHECK(Date(2021, 5, 7).toDays() == 18754);
    CHECK(Date(2000, 3, 1).toDays() == 11017);
    CHECK(Date::fromDays(18754) == Date(2021, 5, 7));
    CHECK(Date::fromDays(-1) == Date(1969, 12, 31));

    SECTION("every day from 1899 to 2101 round-trips and follows its predecessor")
    {
        Date previous = Date::fromDays(Date(1899, 1, 1).toDays() - 1);
        for (long days = Date(1899, 1, 1).toDays(); days <= Date(2101, 1, 1).toDays(); ++days) {
            const Date date = Date::fromDays(days);
            REQUIRE(date.toDays() == days);
            REQUIRE(previous < date);
            const bool next = (date.day() == previous.day() + 1 && date.month() == previous.month()) ||
                              (date.day() == 1 && (date.month() == previous.month() % 12 + 1));
            REQUIRE(next);
            previous = date;
        }
    }
}

TEST_CASE("Date: weekday is 1 for Monday to 7 for Sunday", "[model][date]")
{
    CHECK(Date(1970, 1, 1).weekday() == 4);
    CHECK(Date(1969, 12, 29).weekday() == 1);
    CHECK(Date(2021, 5, 7).weekday() == 5);
    CHECK(Date(2021, 5, 8).weekday() == 6);
    CHECK(Date(2021, 5, 9).weekday() == 7);
    CHECK(Date(2021, 5, 10).weekday() == 1);
    CHECK(Date(2000, 1, 1).weekday() == 6);
    CHECK(Date(1945, 8, 17).weekday() == 5);
}

TEST_CASE("Date: arithmetic crosses months, leap days and years", "[model][date]")
{
    CHECK(Date(2020, 2, 28).addDays(1) == Date(2020, 2, 29));
    CHECK(Date(2021, 2, 28).addDays(1) == Date(2021, 3, 1));
    CHECK(Date(2021, 12, 31).addDays(1) == Date(2022, 1, 1));
    CHECK(Date(2022, 1, 1).addDays(-1) == Date(2021, 12, 31));
    CHECK(Date(2021, 5, 7).addDays(0) == Date(2021, 5, 7));
    CHECK(Date(2021, 1, 1).daysUntil(Date(2022, 1, 1)) == 365);
    CHECK(Date(2020, 1, 1).daysUntil(Date(2021, 1, 1)) == 366);
    CHECK(Date(2021, 5, 14).daysUntil(Date(2021, 5, 7)) == -7);
}

TEST_CASE("Date: comparison operators order by calendar", "[model][date]")
{
    const Date a(2021, 5, 7);
    const Date b(2021, 12, 1);
    CHECK(a == Date(2021, 5, 7));
    CHECK(a != b);
    CHECK(a < b);
    CHECK(a <= b);
    CHECK(a <= a);
    CHECK(b > a);
    CHECK(b >= a);
    CHECK(b >= b);
    CHECK_FALSE(b < a);
    CHECK(Date(2020, 12, 31) < Date(2021, 1, 1));
}

TEST_CASE("Date: dateOfTimestamp takes the local date as written", "[model][date]")
{
    CHECK(dateOfTimestamp("2021-05-07T09:30:00+07:00") == Date(2021, 5, 7));
    CHECK(dateOfTimestamp("2021-05-07T23:30:00-05:00") == Date(2021, 5, 7));
    CHECK(dateOfTimestamp("2021-05-07T00:10Z") == Date(2021, 5, 7));
    CHECK(dateOfTimestamp("2021-05-07") == Date(2021, 5, 7));
    CHECK_FALSE(dateOfTimestamp("2021-05-07 09:30"));
    CHECK_FALSE(dateOfTimestamp("2021-02-29T09:30:00Z"));
    CHECK_FALSE(dateOfTimestamp("07/05/2021"));
    CHECK_FALSE(dateOfTimestamp(""));
}
