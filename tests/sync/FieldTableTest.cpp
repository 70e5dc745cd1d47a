#include "tests/sync/ScratchDatabase.h"
#include "tests/sync/SyncFixture.h"

#include "sync/server/FieldTable.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/ServerSchema.h"

#include <Poco/Data/Session.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

using namespace berkas;

namespace {

/// writeFields as a push uses it: 250 rows (three statements of at most a
/// hundred), one field given twice, NULL values, and a field already held
/// that the batch overwrites.
void checkWriteFields(const std::string& database)
{
    test::TempDir dir;
    const sync::ServerStoreOptions options = sync::ServerStore::optionsFor(database, dir.path);
    sync::ServerDatabase db(options);
    sync::ServerSchema::apply(db);
    sync::FieldTable fields(db);

    fields.writeField("application", "a-held", "phone", std::string("+6281100000001"), {10, "dev-a"}, "siti", 1);

    std::vector<sync::FieldTable::FieldWrite> rows;
    std::int64_t seq = 1;
    for (int r = 0; r < 50; ++r)
        for (const char* field : {"applicant_name", "phone", "kecamatan", "notes", "channel"})
        {
            ++seq;
            const std::string id = "a-" + std::to_string(r);
            Poco::Nullable<std::string> value;
            if (std::string(field) != "notes")
                value = std::string(field) + " of " + id;
            rows.push_back({id, field, "application", value, 100 + seq, "dev-b", "budi", seq});
        }
    rows.push_back({"a-held", "phone", "application", std::string("+6281100000002"), 500, "dev-b", "budi", ++seq});
    rows.push_back({"a-7", "phone", "application", std::string("+6281100000003"), 600, "server", "server", ++seq});
    REQUIRE(rows.size() == 252);
    fields.writeFields(rows);

    using namespace Poco::Data::Keywords;
    std::vector<std::int64_t> count;
    db.session() << "SELECT COUNT(*) FROM fields", into(count), now;
    CHECK(count.at(0) == 251); // 250 new, the held one overwritten, a-7's phone once

    CHECK(fields.value("a-0", "applicant_name") == "applicant_name of a-0");
    CHECK(fields.value("a-49", "channel") == "channel of a-49");
    CHECK_FALSE(fields.value("a-3", "notes").has_value());
    CHECK(fields.value("a-held", "phone") == "+6281100000002");
    CHECK(fields.stamp("a-held", "phone") == model::Stamp{500, "dev-b"});
    // A field given twice keeps the later row, its value, stamp and sequence.
    CHECK(fields.value("a-7", "phone") == "+6281100000003");
    CHECK(fields.stamp("a-7", "phone") == model::Stamp{600, "server"});
    const auto record = fields.wholeRecords({"a-7"}).at("a-7");
    REQUIRE(record.size() == 5);
    CHECK(record.back().field == "phone");
    CHECK(record.back().seq == seq);
    CHECK(record.back().user == "server");

    fields.writeFields({});
    db.session() << "SELECT COUNT(*) FROM fields", into(count), now;
    CHECK(count.back() == 251);
}

} // namespace

TEST_CASE("FieldTable: writeFields writes a hundred rows to a statement, the later of a field given twice",
          "[sync][server]")
{
    checkWriteFields("");
}

TEST_CASE("FieldTable: writeFields on PostgreSQL", "[sync][server][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: writeFields was not tested on PostgreSQL here");
        return;
    }
    test::ScratchDatabase database(admin);
    checkWriteFields(database.url);
}
