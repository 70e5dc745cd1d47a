#include "model/Csv.h"

#include "model/Error.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace berkas;
using namespace berkas::model;

namespace {

std::vector<CsvRow> parse(const std::string& text)
{
    std::istringstream in(text);
    return readCsv(in);
}

using Cells = std::vector<std::string>;

} // namespace

TEST_CASE("Csv: plain rows split on commas and keep empty cells", "[model][csv]")
{
    const auto rows = parse("a,b,c\n1,,3\n,,\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].cells == Cells{"a", "b", "c"});
    CHECK(rows[1].cells == Cells{"1", "", "3"});
    CHECK(rows[2].cells == Cells{"", "", ""});
    CHECK(rows[2].line == 3);
}

TEST_CASE("Csv: quoted fields hold commas, quotes and newlines", "[model][csv]")
{
    const auto rows = parse("name,address\n"
                            "\"Siti \"\"Ucik\"\" Aminah\",\"Jl. Melati, No. 5\nRT 01/RW 02\"\n"
                            "\"Robert'); DROP TABLE application;--\",x\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].cells == Cells{"Siti \"Ucik\" Aminah", "Jl. Melati, No. 5\nRT 01/RW 02"});
    CHECK(rows[2].cells == Cells{"Robert'); DROP TABLE application;--", "x"});

    SECTION("a row's line is where it starts, counting newlines inside quotes")
    {
        CHECK(rows[0].line == 1);
        CHECK(rows[1].line == 2);
        CHECK(rows[2].line == 4);
    }
}

TEST_CASE("Csv: CRLF, a byte-order mark, blank lines and a missing final newline", "[model][csv]")
{
    const auto rows = parse("\xEF\xBB\xBFkode,nama\r\n\r\nPBG,Bangunan\r\n\nSIPD,Dokter");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].cells == Cells{"kode", "nama"});
    CHECK(rows[1].cells == Cells{"PBG", "Bangunan"});
    CHECK(rows[1].line == 3);
    CHECK(rows[2].cells == Cells{"SIPD", "Dokter"});
    CHECK(rows[2].line == 5);
}

TEST_CASE("Csv: UTF-8 text passes through unchanged", "[model][csv]")
{
    const auto rows = parse("Ni Luh Putu Ayu S\xC3\xA9ka,Nguy\xE1\xBB\x85n\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].cells == Cells{"Ni Luh Putu Ayu S\xC3\xA9ka", "Nguy\xE1\xBB\x85n"});
}

TEST_CASE("Csv: an unterminated quote names the line it started on", "[model][csv]")
{
    try
    {
        parse("a,b\n1,2\n3,\"open\nstill open\n");
        FAIL("no error");
    }
    catch (const Error& e)
    {
        CHECK(e.code() == ErrorCode::InvalidData);
        CHECK(std::string(e.what()) == "line 3: unterminated quoted field");
    }
}

TEST_CASE("Csv: an empty input has no rows, and a missing file is a storage error", "[model][csv]")
{
    CHECK(parse("").empty());
    CHECK(parse("\n\r\n").empty());
    try
    {
        readCsvFile("/nonexistent/berkas/none.csv");
        FAIL("no error");
    }
    catch (const Error& e)
    {
        CHECK(e.code() == ErrorCode::Storage);
        CHECK(std::string(e.what()) == "cannot read /nonexistent/berkas/none.csv");
    }
}
