#include "model/Database.h"

#include "tests/support/TempDir.h"

#include <Poco/File.h>

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

TEST_CASE("Database: a background checkpoint copies the log aside and keeps it short", "[model][database]")
{
    berkas::test::TempDir dir("database");
    const std::string path = dir.file("wal.db");
    Database db(path);
    db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER, v TEXT)");
    const auto walBytes = [&] { return Poco::File(path + "-wal").getSize(); };
    const std::string filler(1000, 'x');
    {
        berkas::model::BackgroundCheckpoint checkpoint(db, 100);
        Statement insert(db, "INSERT INTO t (n, v) VALUES (?, ?)");
        for (int commit = 0; commit < 200; ++commit)
        {
            // About six pages per commit, 1,200 in all: without the copies
            // (or with copies that never finish) the log would hold them all.
            db.exec("BEGIN");
            for (int row = 0; row < 20; ++row)
                insert.bind(1, std::int64_t{commit * 20 + row}).bind(2, filler).run();
            db.exec("COMMIT");
            CHECK(walBytes() < 200 * 4096 + 4096 * 20);
        }
    }
    // Everything committed is in the database file, and the connection
    // checkpoints at commit again, as SQLite does by default.
    Statement setting(db, "PRAGMA wal_autocheckpoint");
    REQUIRE(setting.step());
    CHECK(setting.integer(0) == 1000);
    Database other(path);
    Statement copied(other, "PRAGMA wal_checkpoint(PASSIVE)");
    REQUIRE(copied.step());
    CHECK(copied.integer(0) == 0);
    CHECK(copied.integer(1) == copied.integer(2)); // every page of the log was already copied
    Statement count(other, "SELECT count(*), sum(n) FROM t");
    REQUIRE(count.step());
    CHECK(count.integer(0) == 4000);
    CHECK(count.integer(1) == 3999 * 4000 / 2);
    Statement check(other, "PRAGMA integrity_check");
    REQUIRE(check.step());
    CHECK(check.text(0) == "ok");
}
