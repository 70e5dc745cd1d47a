#include "model/Database.h"

#include "tests/support/TempDir.h"

#include <catch2/catch.hpp>

using berkas::model::Database;
using berkas::model::Statement;

TEST_CASE("Database: a borrowed connection reads and writes, and stays open for its owner", "[model][database]")
{
    berkas::test::TempDir dir("database");
    Database owner(dir.file("shared.db"));
    owner.exec("CREATE TABLE t (n INTEGER)");
    {
        Database borrowed(owner.handle());
        CHECK(borrowed.path() == owner.path());
        Statement insert(borrowed, "INSERT INTO t (n) VALUES (?)");
        insert.bind(1, std::int64_t{7}).run();
    }
    // The borrower is gone; the owner's connection still works and sees its write.
    Statement count(owner, "SELECT sum(n) FROM t");
    REQUIRE(count.step());
    CHECK(count.integer(0) == 7);
}

TEST_CASE("Database: a borrowed text is stored as it is, an empty one as empty rather than NULL", "[model][database]")
{
    berkas::test::TempDir dir("database");
    Database db(dir.file("borrowed.db"));
    db.exec("CREATE TABLE t (k INTEGER, v TEXT)");
    Statement insert(db, "INSERT INTO t (k, v) VALUES (?, ?)");
    const std::string name = "Dewi Anggraini";
    insert.bind(1, std::int64_t{1}).bindBorrowed(2, name).run();
    insert.bind(1, std::int64_t{2}).bindBorrowed(2, "").run();
    insert.bind(1, std::int64_t{3}).bind(2, "").run(); // bind() keeps its rule: empty is NULL
    Statement read(db, "SELECT k, v, v IS NULL FROM t ORDER BY k");
    REQUIRE(read.step());
    CHECK(read.text(1) == "Dewi Anggraini");
    REQUIRE(read.step());
    CHECK(read.integer(2) == 0);
    REQUIRE(read.step());
    CHECK(read.integer(2) == 1);
    CHECK_FALSE(read.step());
}
