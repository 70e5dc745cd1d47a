// One SQLite per process: the laptop store (model::Database) and Poco's
// SQLite connector (the server's store) must run on the same library, the
// sqlite3mc the build compiles (cmake/Sqlite3mc.cmake), never two SQLite
// libraries on one database file. This executable links both paths, as the
// server does.
#include "model/Database.h"
#include "tests/support/TempDir.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <sqlite3.h>

#include <set>
#include <string>

using namespace Poco::Data::Keywords;

namespace {

std::string modelAnswer(berkas::model::Database& db, const std::string& sql)
{
    berkas::model::Statement s(db, sql);
    REQUIRE(s.step());
    return s.text(0);
}

std::set<std::string> modelOptions(berkas::model::Database& db)
{
    std::set<std::string> out;
    berkas::model::Statement s(db, "PRAGMA compile_options");
    while (s.step())
        out.insert(s.text(0));
    return out;
}

} // namespace

TEST_CASE("The laptop store and Poco's SQLite connector answer from the same SQLite", "[sqlite]")
{
    berkas::test::TempDir dir("sqlite");
    berkas::model::Database db(dir.file("laptop.db"));
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session poco("SQLite", dir.file("server.db"));

    const std::string query = "SELECT sqlite_version() || ' ' || sqlite_source_id()";
    const std::string fromModel = modelAnswer(db, query);
    std::string fromPoco;
    poco << query, into(fromPoco), now;
    CHECK(fromModel == fromPoco);
    CHECK(fromModel.rfind("3.53.4 ", 0) == 0);

    // The cipher extension answers on both paths: Poco's connector is not
    // served by the system's plain libsqlite3.
    const std::string mcModel = modelAnswer(db, "SELECT sqlite3mc_version()");
    std::string mcPoco;
    poco << "SELECT sqlite3mc_version()", into(mcPoco), now;
    CHECK(mcModel == "SQLite3 Multiple Ciphers 2.4.0");
    CHECK(mcPoco == mcModel);

    std::vector<std::string> pocoOptions;
    poco << "PRAGMA compile_options", into(pocoOptions), now;
    const auto options = modelOptions(db);
    CHECK(std::set<std::string>(pocoOptions.begin(), pocoOptions.end()) == options);
    CHECK(options.count("ENABLE_FTS5") == 1);
    CHECK(options.count("TEMP_STORE=2") == 1);
    CHECK(options.count("MAX_VARIABLE_NUMBER=250000") == 1);

    // And the process resolves the C API to one definition: the one this
    // executable carries.
    CHECK(dlsym(RTLD_DEFAULT, "sqlite3_libversion") == reinterpret_cast<void*>(&sqlite3_libversion));
    CHECK(std::string(sqlite3_libversion()) == "3.53.4");
}
