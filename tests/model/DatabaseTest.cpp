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
