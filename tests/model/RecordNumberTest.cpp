#include "model/RecordNumber.h"

#include <catch2/catch.hpp>

using namespace berkas::model;

TEST_CASE("RecordNumber: the registration number, else the provisional one", "[model][numbering]")
{
    Record app;
    app.kind = "application";
    SECTION("only a provisional number: it, marked provisional")
    {
        app.values = {{"provisional_no", "P-4433AA-000012"}};
        const RecordNumber n = recordNumber(app);
        CHECK(n.number == "P-4433AA-000012");
        CHECK(n.provisional);
    }
    SECTION("once the central office numbered it: the registration number")
    {
        app.values = {{"provisional_no", "P-4433AA-000012"}, {"reg_no", "503/PBG/2021/00042"}};
        const RecordNumber n = recordNumber(app);
        CHECK(n.number == "503/PBG/2021/00042");
        CHECK_FALSE(n.provisional);
    }
    SECTION("a record without numbers (a booking) has none")
    {
        Record booking;
        booking.kind = "booking";
        booking.values = {{"code", "K7QX2M"}};
        CHECK(recordNumber(booking).empty());
        CHECK_FALSE(recordNumber(booking).provisional);
    }
}
