#include "model/Conflict.h"

#include "model/Error.h"
#include "model/Schema.h"
#include "model/Database.h"
#include "model/ValidationReport.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace berkas;
using namespace berkas::model;
using berkas::test::checkInvariants;
using berkas::test::kDeviceId;
using berkas::test::StoreFixture;

namespace {

const std::string kOtherDevice = "0190aaaa-0000-7000-8000-0000000000bb";
const std::string kThirdDevice = "0190cccc-0000-7000-8000-0000000000dd";

/// A conflict as the central office makes one: @p keptDevice's phone number
/// stayed, @p otherDevice's was set aside.
Conflict phoneConflict(const std::string& keptDevice, const std::string& otherDevice)
{
    Conflict c;
    c.id = "0190ffff-0000-7000-8000-000000000001";
    c.createdAt = "2021-05-07T09:00:00+07:00";
    c.recordKind = "application";
    c.recordId = "0190eeee-0000-7000-8000-000000000002";
    c.field = "phone";
    c.keptValue = "+6281234567890";
    c.otherValue = "+6285711112222";
    c.keptStamp = {(std::int64_t{1620352800000} << 16) + 1, keptDevice};
    c.otherStamp = {std::int64_t{1620352500000} << 16, otherDevice};
    c.keptUser = "siti";
    c.otherUser = "budi";
    c.keptAt = "2021-05-07T09:00:00+07:00";
    c.otherAt = "2021-05-07T08:55:00+07:00";
    c.resolution = conflictReasonText(ConflictReason::Concurrent);
    return c;
}

Record application(const std::string& phone, bool deleted = false)
{
    Record r;
    r.kind = "application";
    r.id = "0190eeee-0000-7000-8000-000000000002";
    r.values = {{"id", r.id}, {"phone", phone}, {"status", "submitted"}, {"deleted", deleted ? "1" : "0"}};
    return r;
}

std::vector<std::string> namesOf(const Conflict::Fields& fields)
{
    std::vector<std::string> names;
    for (const auto& f : fields)
        names.push_back(f.first);
    return names;
}

} // namespace

TEST_CASE("Conflict: a record read and written again is the same record", "[model][conflict]")
{
    const Conflict c = phoneConflict(kOtherDevice, kDeviceId);

    SECTION("the fields are written in the order the central office writes them")
    {
        CHECK(namesOf(c.toFields()) ==
              std::vector<std::string>{"created_at", "record_kind", "record_id", "field", "kept_value", "other_value",
                                       "kept_stamp", "other_stamp", "kept_user", "other_user", "kept_at", "other_at",
                                       "needs_review", "status", "resolution"});
        const auto fields = c.toFields();
        CHECK(fields[6].second == formatStamp(c.keptStamp));
        CHECK(fields[12].second == std::string("0"));
        CHECK(fields[13].second == std::string("open"));
        CHECK(fields[14].second == std::string("changed on two devices at the same time"));
    }
    SECTION("every field survives fromRecord(toRecord())")
    {
        Conflict resolved = c;
        resolved.needsReview = true;
        resolved.status = ConflictStatus::Resolved;
        resolved.resolution = "kept remote: +6285711112222";
        resolved.resolvedBy = "siti";
        for (const Conflict& original : {c, resolved})
        {
            const Record r = original.toRecord();
            CHECK(r.kind == "conflict");
            CHECK(r.id == original.id);
            const Conflict back = Conflict::fromRecord(r);
            CHECK(back.toFields() == original.toFields());
            CHECK(back.id == original.id);
            CHECK(back.keptStamp == original.keptStamp);
            CHECK(back.otherStamp == original.otherStamp);
            CHECK(back.needsReview == original.needsReview);
            CHECK(back.status == original.status);
            CHECK(back.resolvedBy == original.resolvedBy);
        }
        CHECK(namesOf(resolved.toFields()).back() == "resolved_by");
    }
    SECTION("every schema field of a conflict is one of them")
    {
        Conflict resolved = c;
        resolved.resolvedBy = "siti";
        std::vector<std::string> written = namesOf(resolved.toFields());
        for (const auto& f : requireKind("conflict").fields)
            CHECK(std::find(written.begin(), written.end(), f.name) != written.end());
        CHECK(written.size() == requireKind("conflict").fields.size() + 1); // and created_at
    }
    SECTION("a value never written (a first deletion) has no value and no time")
    {
        Conflict first = c;
        first.field = "deleted";
        first.keptValue = "1";
        first.otherValue = std::nullopt;
        first.otherStamp = Stamp{};
        first.otherAt = std::nullopt;
        const auto fields = first.toFields();
        CHECK(fields[5].second == std::nullopt);
        CHECK(fields[7].second == std::string("0@"));
        CHECK(fields[11].second == std::nullopt);
        const Conflict back = Conflict::fromRecord(first.toRecord());
        CHECK(back.otherValue == std::nullopt);
        CHECK(back.otherStamp.isZero());
        CHECK(back.toFields() == fields);
    }
    SECTION("a record of another kind or with a broken stamp is refused")
    {
        CHECK_THROWS_WITH(Conflict::fromRecord(application("+6281234567890")),
                          Catch::Contains("is a application, not a conflict"));
        Record broken = c.toRecord();
        broken.values["kept_stamp"] = "yesterday";
        CHECK_THROWS_WITH(Conflict::fromRecord(broken), Catch::StartsWith("kept_stamp: "));
    }
}

TEST_CASE("Conflict: which value is this laptop's", "[model][conflict]")
{
    SECTION("mine was kept")
    {
        const ConflictSides s = phoneConflict(kDeviceId, kOtherDevice).sides(kDeviceId, "+6281234567890");
        CHECK(s.local == "+6281234567890");
        CHECK(s.remote == "+6285711112222");
        CHECK(s.localSide == ConflictSide::Kept);
        CHECK(s.remoteSide == ConflictSide::Other);
    }
    SECTION("mine was set aside: local is what I wrote, not what the laptop shows")
    {
        const ConflictSides s = phoneConflict(kOtherDevice, kDeviceId).sides(kDeviceId, "+6281234567890");
        CHECK(s.local == "+6285711112222");
        CHECK(s.remote == "+6281234567890");
        CHECK(s.localSide == ConflictSide::Other);
        CHECK(s.remoteSide == ConflictSide::Kept);
    }
    SECTION("both mine (a laptop restored from a copy): the value set aside is local")
    {
        const ConflictSides s = phoneConflict(kDeviceId, kDeviceId).sides(kDeviceId, "+6281234567890");
        CHECK(s.local == "+6285711112222");
        CHECK(s.localSide == ConflictSide::Other);
    }
    const Conflict theirs = phoneConflict(kOtherDevice, kThirdDevice);
    SECTION("neither mine, the laptop shows the kept value: local is it, remote the other")
    {
        const ConflictSides s = theirs.sides(kDeviceId, "+6281234567890");
        CHECK(s.local == "+6281234567890");
        CHECK(s.remote == "+6285711112222");
        CHECK(s.localSide == ConflictSide::Kept);
        CHECK(s.remoteSide == ConflictSide::Other);
    }
    SECTION("neither mine, the laptop shows the other value (equal): remote is the kept one")
    {
        const ConflictSides s = theirs.sides(kDeviceId, "+6285711112222");
        CHECK(s.local == "+6285711112222");
        CHECK(s.remote == "+6281234567890");
        CHECK(s.localSide == ConflictSide::Other);
        CHECK(s.remoteSide == ConflictSide::Kept);
    }
    SECTION("neither mine, the laptop shows a later third value (different): local is it")
    {
        const ConflictSides s = theirs.sides(kDeviceId, "+6289900001111");
        CHECK(s.local == "+6289900001111");
        CHECK(s.remote == "+6285711112222");
        CHECK(s.localSide == ConflictSide::Shown);
        CHECK(s.remoteSide == ConflictSide::Other);
    }
}

TEST_CASE("Conflict: the merge's reasons are read back from their sentences", "[model][conflict]")
{
    for (const ConflictReason r : {ConflictReason::EditedAfterDelete, ConflictReason::ReviewOpen,
                                   ConflictReason::DeletedWhileEdited, ConflictReason::ConcurrentReview,
                                   ConflictReason::Concurrent})
        CHECK(conflictReasonOf(conflictReasonText(r)) == r);
    CHECK(conflictReasonOf("") == ConflictReason::None);
    CHECK(conflictReasonOf("cannot move from issued to draft; issued is final") == ConflictReason::ImpossibleMove);
    CHECK(conflictReasonText(ConflictReason::ImpossibleMove, "cannot move") == "cannot move");
}

TEST_CASE("Conflict: what settling it writes", "[model][conflict]")
{
    const Conflict c = phoneConflict(kOtherDevice, kDeviceId);
    const Record shown = application("+6281234567890");

    SECTION("keeping mine writes my value and closes the conflict")
    {
        const ConflictResolution r = c.resolve(c.checkResolvable("local"), "", shown, kDeviceId, "budi");
        CHECK(r.conflict == FieldMap{{"status", "resolved"},
                                     {"resolution", "kept local: +6285711112222"},
                                     {"resolved_by", "budi"}});
        CHECK(r.record == FieldMap{{"phone", "+6285711112222"}});
    }
    SECTION("keeping theirs, which the record shows already, writes only the conflict")
    {
        const ConflictResolution r = c.resolve(c.checkResolvable("remote"), "", shown, kDeviceId, "budi");
        CHECK(r.conflict.at("resolution") == "kept remote: +6281234567890");
        CHECK(r.record.empty());
    }
    SECTION("a typed value")
    {
        const ConflictResolution r = c.resolve(c.checkResolvable("value"), "+6289900001111", shown, kDeviceId, "budi");
        CHECK(r.record == FieldMap{{"phone", "+6289900001111"}});
    }
    SECTION("keeping the edit of a record deleted meanwhile restores the record; keeping mine does not")
    {
        Conflict edited = c;
        edited.resolution = conflictReasonText(ConflictReason::EditedAfterDelete);
        const Record deleted = application("+6281234567890", true);
        CHECK(edited.resolve(ConflictKeep::Remote, "", deleted, kDeviceId, "budi").record ==
              FieldMap{{"deleted", "0"}});
        CHECK(edited.resolve(ConflictKeep::Local, "", deleted, kDeviceId, "budi").record ==
              FieldMap{{"phone", "+6285711112222"}});
        // Deleted later for another reason: the record stays deleted.
        CHECK(c.resolve(ConflictKeep::Remote, "", deleted, kDeviceId, "budi").record.empty());
    }
    SECTION("a status the workflow does not allow from the record's status is refused")
    {
        Conflict status = c;
        status.field = "status";
        status.keptValue = "submitted";
        status.otherValue = "issued";
        CHECK_THROWS_WITH(status.resolve(ConflictKeep::Local, "", shown, kDeviceId, "budi"),
                          Catch::StartsWith("status: cannot move from submitted to issued"));
        // Typed, so that the window says it in the user's language.
        try
        {
            status.resolve(ConflictKeep::Local, "", shown, kDeviceId, "budi");
            FAIL("the move was not refused");
        }
        catch (const ValidationError& e)
        {
            CHECK(e.problem().field == "status");
            CHECK(e.problem().code == ProblemCode::MoveNotAllowed);
        }
    }
    SECTION("a resolved conflict or an unknown way out is refused")
    {
        CHECK_THROWS_WITH(c.checkResolvable("mine"), "keep: must be local, remote or value=VALUE, got \"mine\"");
        Conflict resolved = c;
        resolved.status = ConflictStatus::Resolved;
        CHECK_THROWS_WITH(resolved.checkResolvable("local"), Catch::Contains("is already resolved"));
    }
}

TEST_CASE("Conflict: the open conflicts of a laptop, and settling one", "[model][conflict][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    // An application made on another laptop, whose phone number two other
    // devices edited at once; this laptop pulled the winner, then an edit
    // made elsewhere that puts the loser back.
    Conflict c = phoneConflict(kOtherDevice, kThirdDevice);
    const std::string appId = c.recordId;
    {
        Transaction tx(store.database());
        const std::vector<std::pair<std::string, std::optional<std::string>>> app = {
            {"created_at", std::string("2021-05-06T10:00:00+07:00")},
            {"service_code", std::string("PBG")},
            {"applicant_name", std::string("Dewi Lestari")},
            {"phone", c.keptValue},
            {"channel", std::string("counter")},
            {"status", std::string("submitted")}};
        store.writeReplicated("application", appId, app, std::vector<Stamp>(app.size(), c.keptStamp), "siti");
        const Conflict::Fields fields = c.toFields();
        store.writeReplicated("conflict", c.id, fields, std::vector<Stamp>(fields.size(), {store.hlcNow(), "server"}),
                              "server");
        store.writeReplicated("application", appId, {{"phone", std::string("+6285711112222")}},
                              {Stamp{store.hlcNow(), kOtherDevice}}, "siti");
        tx.commit();
    }
    REQUIRE(countOpenConflicts(store) == 1);
    const auto open = openConflicts(store);
    REQUIRE(open.size() == 1);
    CHECK(open.front().toFields() == c.toFields());

    // The window's "mine" and the store's "local" are one decision: the
    // laptop shows the value set aside, so "local" keeps it and "remote"
    // is the kept one.
    const ConflictSides s = open.front().sides(store.deviceId(), store.get(appId).value("phone"));
    CHECK(s.local == "+6285711112222");
    store.resolveConflict(c.id, "remote");
    CHECK(store.get(appId).value("phone") == "+6281234567890");
    CHECK(store.get(c.id).value("resolution") == "kept remote: +6281234567890");
    CHECK(countOpenConflicts(store) == 0);
    CHECK(openConflicts(store).empty());
    checkInvariants(store);
}
