#include "model/CaseStore.h"

#include "model/Deadlines.h"
#include "model/Error.h"
#include "model/Uuid.h"
#include "tests/model/StoreTestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>

using namespace berkas;
using namespace berkas::model;
using berkas::test::errorOf;
using berkas::test::checkInvariants;
using berkas::test::countRows;
using berkas::test::expectOneWrite;
using berkas::test::kDevicePrefix;
using berkas::test::kDeviceId;
using berkas::test::maxOutboxSeq;
using berkas::test::StoreFixture;
using berkas::test::tableCounts;
using berkas::test::wibMs;

namespace {

// Synthetic NIKs: Jatiasih (32.75.09), born 1 January 1990 (a man) and
// 15 March 1985 (a woman, day + 40).
const std::string kNik = "3275090101900001";
const std::string kNik2 = "3275095503850002";

FieldMap application(const std::string& name = "Siti Nurhaliza", const std::string& nik = kNik)
{
    return {{"service_code", "PBG"}, {"applicant_name", name}, {"nik", nik}, {"channel", "whatsapp"}};
}

ListQuery query(const std::string& kind, const std::string& search = "")
{
    ListQuery q;
    q.kind = kind;
    q.search = search;
    return q;
}

std::vector<std::string> ids(const std::vector<Record>& records)
{
    std::vector<std::string> out;
    for (const auto& r : records)
        out.push_back(r.id);
    return out;
}

void writeFile(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

} // namespace

TEST_CASE("CaseStore: creating a record captures every stored field once with one stamp", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const auto before = maxOutboxSeq(store.database());

    const std::string id = store.create("application", application());

    const auto rows = expectOneWrite(store, before, id,
                                     {"created_at", "provisional_no", "service_code", "applicant_name", "nik",
                                      "channel", "status"});
    for (const auto& r : rows)
    {
        CHECK(r.baseHlc == 0);
        CHECK(r.baseDevice.empty());
    }
    const Record r = store.get(id);
    CHECK(r.value("status") == "draft");
    CHECK(r.value("created_at") == "2021-05-07T09:00:00+07:00");
    CHECK(r.value("due_date").empty());
    CHECK(r.value("reg_no").empty());
    const auto audit = store.history(id);
    REQUIRE(audit.size() == rows.size());
    CHECK(audit.front().source == "local");
    CHECK(audit.front().user == "clerk.test");
    CHECK(audit.front().device == kDeviceId);
    CHECK(countRows(store.database(), "audit", "record_id = '" + id + "'") == 1);
}

TEST_CASE("CaseStore: an update captures each changed field with the stamp it replaced", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string id = store.create("application", application());
    const auto created = berkas::test::outboxRows(store.database(), id);
    const std::int64_t createdHlc = created.front().hlc;

    SECTION("a field given at creation has the creation stamp as its base; an empty one has none")
    {
        auto seq = maxOutboxSeq(store.database());
        store.update(id, {{"applicant_name", "Siti Nurhaliza Putri"}, {"phone", "0812-3456-7890"}});
        const auto first = expectOneWrite(store, seq, id, {"applicant_name", "phone"});
        for (const auto& r : first)
        {
            CHECK(r.hlc > createdHlc);
            if (r.field == "applicant_name")
                CHECK((r.baseHlc == createdHlc && r.baseDevice == kDeviceId));
            else
                CHECK((r.baseHlc == 0 && r.baseDevice.empty()));
        }
        CHECK(store.get(id).value("phone") == "+6281234567890");

        seq = maxOutboxSeq(store.database());
        store.update(id, {{"applicant_name", "Siti N. Putri"}});
        const auto second = expectOneWrite(store, seq, id, {"applicant_name"});
        CHECK(second.front().baseHlc == first.front().hlc);
        CHECK(second.front().hlc > first.front().hlc);
        CHECK(store.get(id).value("applicant_name") == "Siti N. Putri");
        const auto history = store.history(id);
        CHECK(history.back().oldValue == "Siti Nurhaliza Putri");
        CHECK(history.back().newValue == "Siti N. Putri");
    }
    SECTION("stamps keep increasing while the wall clock stands still or goes back")
    {
        std::int64_t last = createdHlc;
        for (int i = 0; i < 5; ++i)
        {
            if (i == 3)
                f.clock.advance(-3600 * 1000); // the laptop's clock is set back an hour
            const auto seq = maxOutboxSeq(store.database());
            store.update(id, {{"address", "Jl. Melati No. " + std::to_string(i)}});
            const auto rows = expectOneWrite(store, seq, id, {"address"});
            CHECK(rows.front().hlc > last);
            last = rows.front().hlc;
        }
    }
    SECTION("stamps keep increasing after the store is reopened")
    {
        store.update(id, {{"address", "Jl. Kenanga 1"}});
        const auto before = berkas::test::outboxRows(store.database()).back().hlc;
        f.open();
        const auto seq = maxOutboxSeq(f.store->database());
        f.store->update(id, {{"address", "Jl. Kenanga 2"}});
        const auto rows = expectOneWrite(*f.store, seq, id, {"address"});
        CHECK(rows.front().hlc > before);
    }
}

TEST_CASE("CaseStore: a rejected write leaves no row, no outbox entry and no audit entry", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string id = store.create("application", application());
    const auto before = tableCounts(store.database());
    const Record original = store.get(id);

    SECTION("a NIK one digit short")
    {
        auto fields = application();
        fields["nik"] = "327509010190001";
        CHECK(errorOf([&] { store.create("application", fields); }) == "nik: must be 16 digits, got 15");
        CHECK(errorOf([&] { store.update(id, {{"nik", "327509010190001"}}); }) == "nik: must be 16 digits, got 15");
    }
    SECTION("an unknown field")
    {
        auto fields = application();
        fields["favourite_colour"] = "blue";
        CHECK_THAT(errorOf([&] { store.create("application", fields); }),
                   Catch::StartsWith("favourite_colour: unknown field of application"));
        CHECK_THAT(errorOf([&] { store.update(id, {{"applicant_name", "X"}, {"colour", "red"}}); }),
                   Catch::StartsWith("colour: unknown field"));
    }
    SECTION("a status move the workflow forbids")
    {
        CHECK(errorOf([&] { store.update(id, {{"status", "approved"}}); }) ==
              "status: cannot move from draft to approved; allowed: submitted, withdrawn");
        auto fields = application();
        fields["status"] = "issued";
        CHECK_THAT(errorOf([&] { store.create("application", fields); }), Catch::StartsWith("status: "));
    }
    SECTION("the server's registration number")
    {
        CHECK_THAT(errorOf([&] { store.update(id, {{"reg_no", "503/001/PBG/2021"}}); }),
                   Catch::StartsWith("reg_no: is assigned by the central office"));
        auto fields = application();
        fields["reg_no"] = "503/001/PBG/2021";
        CHECK_THAT(errorOf([&] { store.create("application", fields); }), Catch::StartsWith("reg_no: "));
    }
    SECTION("a computed due date or provisional number")
    {
        CHECK_THAT(errorOf([&] { store.update(id, {{"due_date", "2021-06-01"}}); }),
                   Catch::StartsWith("due_date: is computed by Berkas"));
        CHECK_THAT(errorOf([&] { store.update(id, {{"provisional_no", "P-000000-000009"}}); }),
                   Catch::StartsWith("provisional_no: is computed by Berkas"));
    }
    SECTION("a missing required field, an unknown service, a common field")
    {
        CHECK(errorOf([&] { store.create("application", {{"service_code", "PBG"}, {"channel", "phone"}}); }) ==
              "applicant_name: is required");
        auto fields = application();
        fields["service_code"] = "XYZ";
        CHECK(errorOf([&] { store.create("application", fields); }) == "service_code: no service with code \"XYZ\"");
        CHECK_THAT(errorOf([&] { store.update(id, {{"created_at", "2020-01-01T00:00:00+07:00"}}); }),
                   Catch::StartsWith("created_at: is set by Berkas"));
    }
    SECTION("one bad field among good ones writes none of them")
    {
        CHECK_THAT(errorOf([&] { store.update(id, {{"applicant_name", "Siti"}, {"email", "not-an-email"}}); }),
                   Catch::StartsWith("email: "));
    }
    SECTION("an unknown id")
    {
        try
        {
            store.update("01890000-0000-7000-8000-000000000000", {{"applicant_name", "X"}});
            FAIL("no error");
        }
        catch (const Error& e)
        {
            CHECK(e.code() == ErrorCode::NotFound);
        }
    }

    CHECK(tableCounts(store.database()) == before);
    CHECK(store.get(id).values == original.values);
    checkInvariants(store);
}

TEST_CASE("CaseStore: writing a value the record already has writes nothing", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    auto fields = application();
    fields["phone"] = "+6281234567890";
    const std::string id = store.create("application", fields);
    const auto before = tableCounts(store.database());
    const Record original = store.get(id);
    f.clock.advance(60 * 1000);

    SECTION("the same text") { store.update(id, {{"applicant_name", "Siti Nurhaliza"}}); }
    SECTION("the same text with spaces around") { store.update(id, {{"applicant_name", "  Siti Nurhaliza "}}); }
    SECTION("the same phone number written differently") { store.update(id, {{"phone", "0812 3456 7890"}}); }
    SECTION("the same status") { store.update(id, {{"status", "draft"}}); }
    SECTION("an empty field left empty") { store.update(id, {{"email", ""}}); }
    SECTION("nothing at all") { store.update(id, {}); }

    CHECK(tableCounts(store.database()) == before);
    CHECK(store.get(id).values == original.values); // updated_at included
    checkInvariants(store);
}

TEST_CASE("CaseStore: provisional numbers count up per device and the device id is kept", "[model][store]")
{
    StoreFixture f;
    const std::string a = f.store->create("application", application("Adi Santoso"));
    const std::string b = f.store->create("application", application("Ayu Lestari", kNik2));
    CHECK(f.store->get(a).value("provisional_no") == kDevicePrefix + "000001");
    CHECK(f.store->get(b).value("provisional_no") == kDevicePrefix + "000002");
    checkInvariants(*f.store);

    SECTION("after reopening without a device id, the stored one is used and counting goes on")
    {
        f.open("");
        CHECK(f.store->deviceId() == kDeviceId);
        const std::string c = f.store->create("application", application("Bagus Wijaya"));
        CHECK(f.store->get(c).value("provisional_no") == kDevicePrefix + "000003");
        checkInvariants(*f.store);
    }
    SECTION("a failed create does not use up a number")
    {
        auto bad = application("Citra");
        bad["nik"] = "12";
        CHECK_THROWS_AS(f.store->create("application", bad), Error);
        const std::string c = f.store->create("application", application("Citra Dewi"));
        CHECK(f.store->get(c).value("provisional_no") == kDevicePrefix + "000003");
    }
    SECTION("a new data folder makes its own device id and keeps it")
    {
        berkas::test::TempDir other;
        StoreOptions o = f.options("");
        o.dataDir = other.path;
        std::string made;
        {
            CaseStore fresh(o);
            made = fresh.deviceId();
            CHECK(isUuid(made));
            CHECK(made != kDeviceId);
            const std::string id = fresh.create("application", application());
            CHECK(std::regex_match(fresh.get(id).value("provisional_no"), std::regex("P-[0-9A-F]{6}-000001")));
        }
        CaseStore reopened(o);
        CHECK(reopened.deviceId() == made);
    }
}

TEST_CASE("CaseStore: the SLA clock of an application starts when it leaves document_check", "[model][store][deadline]")
{
    // Friday 7 May 2021; 13-14 May are Ascension Day and Idul Fitri, 26 May
    // is Waisak and 1 June Pancasila Day.
    StoreFixture f;
    CaseStore& store = *f.store;
    auto fields = application();
    fields["status"] = "submitted";
    const std::string id = store.create("application", fields);
    CHECK(store.get(id).value("submitted_at") == "2021-05-07T09:00:00+07:00");
    CHECK(store.get(id).value("due_date").empty());
    store.update(id, {{"status", "document_check"}});
    CHECK(store.get(id).value("due_date").empty());
    test::tickChecklist(store, id);

    const auto seq = maxOutboxSeq(store.database());
    store.update(id, {{"status", "field_verification"}});
    expectOneWrite(store, seq, id, {"status", "due_date", "sla_started"});
    // PBG: 15 working days, the Friday itself not counted.
    CHECK(store.get(id).value("due_date") == "2021-06-03");
    CHECK(store.get(id).value("due_date") == store.calendar().addWorkingDays(Date(2021, 5, 7), 15).toString());

    SECTION("moving on to approval does not restart the clock")
    {
        f.clock.set(wibMs(Date(2021, 5, 20), 10));
        store.update(id, {{"status", "approved"}});
        CHECK(store.get(id).value("due_date") == "2021-06-03");
    }
    SECTION("a shorter service across the holiday week")
    {
        auto sipd = application("dr. Made Wibowo", kNik2);
        sipd["service_code"] = "SIPD";
        sipd["status"] = "submitted";
        const std::string other = store.create("application", sipd);
        store.update(other, {{"status", "document_check"}});
        test::tickChecklist(store, other);
        store.update(other, {{"status", "approved"}});
        CHECK(store.get(other).value("due_date") == "2021-05-24");
        checkInvariants(store);
    }
}

TEST_CASE("CaseStore: sending an application to field verification creates the verifier's task in the same write",
          "[model][store][workflow]")
{
    // Friday 7 May 2021: two working days later is Tuesday 11 May.
    StoreFixture f;
    CaseStore& store = *f.store;
    auto fields = application();
    fields["status"] = "submitted";
    const std::string id = store.create("application", fields);
    store.update(id, {{"status", "document_check"}});
    test::tickChecklist(store, id);
    const auto tasksOf = [&](const std::string& app) {
        ListQuery q = query("task");
        q.where = {{"application_id", app}};
        return store.list(q);
    };
    REQUIRE(tasksOf(id).empty());

    SECTION("assigned to the user who moves it when the file has no assignee")
    {
        const auto seq = maxOutboxSeq(store.database());
        store.update(id, {{"status", "field_verification"}});
        const auto tasks = tasksOf(id);
        REQUIRE(tasks.size() == 1);
        CHECK(tasks[0].value("assigned_to") == "clerk.test");
        CHECK(tasks[0].value("scheduled_for") == "2021-05-11");
        CHECK(tasks[0].value("status") == "assigned");
        expectOneWrite(store, seq, id, {"status", "due_date", "sla_started"});
        expectOneWrite(store, seq, tasks[0].id,
                       {"created_at", "application_id", "assigned_to", "scheduled_for", "status"});
    }
    SECTION("assigned to the file's assignee, also one given with the move")
    {
        store.update(id, {{"status", "field_verification"}, {"assigned_to", "verif.andi"}});
        const auto tasks = tasksOf(id);
        REQUIRE(tasks.size() == 1);
        CHECK(tasks[0].value("assigned_to") == "verif.andi");
        checkInvariants(store);
    }
    SECTION("a check, other moves and other changes create none; coming back to the field does")
    {
        CHECK(store.check("application", id, {{"status", "field_verification"}}).ok());
        store.update(id, {{"status", "recommendation"}});
        store.update(id, {{"address", "Jl. Kenari No. 7"}});
        CHECK(tasksOf(id).empty());
        store.update(id, {{"status", "field_verification"}});
        store.update(id, {{"address", "Jl. Kenari No. 8"}, {"status", "field_verification"}});
        CHECK(tasksOf(id).size() == 1);
        checkInvariants(store);
    }
    SECTION("a refused move creates no task")
    {
        store.update(id, {{"status", "rejected"}});
        const auto before = tableCounts(store.database());
        CHECK_THROWS_WITH(store.update(id, {{"status", "field_verification"}}),
                          "status: cannot move from rejected to field_verification; rejected is final");
        CHECK(tableCounts(store.database()) == before);
    }
    SECTION("a move that comes from elsewhere brings no task")
    {
        const auto tasks = countRows(store.database(), "task");
        store.inBatch([&] {
            store.writeReplicated("application", id, {{"status", std::string("field_verification")}},
                                  {Stamp{store.hlcNow(), "other-device"}}, "verif.siti");
        });
        CHECK(store.get(id).value("status") == "field_verification");
        CHECK(countRows(store.database(), "task") == tasks);
    }
}

TEST_CASE("CaseStore: a refused write throws its first problem, typed", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    try
    {
        store.create("application", application("Budi", "327509410790001"));
        FAIL("no error thrown");
    }
    catch (const ValidationError& e)
    {
        CHECK(std::string(e.what()) == "nik: must be 16 digits, got 15");
        CHECK(e.problem().field == "nik");
        CHECK(e.problem().code == ProblemCode::DigitCount);
        CHECK(e.problem().args == std::vector<std::string>{"16", "15"});
    }
    const std::string id = store.create("application", application());
    try
    {
        store.update(id, {{"status", "approved"}});
        FAIL("no error thrown");
    }
    catch (const ValidationError& e)
    {
        CHECK(e.problem().code == ProblemCode::MoveNotAllowed);
        CHECK(std::string(e.what()) == "status: cannot move from draft to approved; allowed: submitted, withdrawn");
    }
}

TEST_CASE("CaseStore: complaint due dates follow the service-level class", "[model][store][deadline]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    FieldMap complaint = {{"kind", "complaint"},
                          {"channel", "whatsapp"},
                          {"complainant_name", "Rahmat Hidayat"},
                          {"subject", "Berkas belum diproses"}};
    const auto dueOf = [&](const std::string& id) { return store.get(id).value("due_date"); };

    SECTION("a complaint is normative by default: 5 working days")
    {
        const std::string id = store.create("complaint", complaint);
        CHECK(store.get(id).value("sla_class") == "normative");
        CHECK(store.get(id).value("received_at") == "2021-05-07T09:00:00+07:00");
        CHECK(dueOf(id) == "2021-05-18");
    }
    SECTION("a consultation is minor: 2 working days")
    {
        complaint["kind"] = "consultation";
        const std::string id = store.create("complaint", complaint);
        CHECK(store.get(id).value("sla_class") == "minor");
        CHECK(dueOf(id) == "2021-05-11");
    }
    SECTION("a SP4N-LAPOR! referral: 3 days to verify, then 5 more to follow up")
    {
        complaint["channel"] = "sp4n_lapor";
        const std::string id = store.create("complaint", complaint);
        CHECK(store.get(id).value("sla_class") == "referral");
        CHECK(dueOf(id) == "2021-05-12");
        const auto seq = maxOutboxSeq(store.database());
        store.update(id, {{"status", "in_progress"}});
        expectOneWrite(store, seq, id, {"status", "due_date"});
        CHECK(dueOf(id) == "2021-05-21");
    }
    SECTION("an explicit class, changed later")
    {
        complaint["sla_class"] = "investigation";
        const std::string id = store.create("complaint", complaint);
        CHECK(dueOf(id) ==
              complaintDueDate(store.calendar(), Date(2021, 5, 7), ComplaintClass::Investigation, false).toString());
        store.update(id, {{"sla_class", "non_supervisory"}});
        CHECK(dueOf(id) == store.calendar().addWorkingDays(Date(2021, 5, 7), 14).toString());
    }
    checkInvariants(store);
}

TEST_CASE("CaseStore: a new application gets one checklist row per requirement of its service", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const auto requirementsOf = [&](const std::string& code) {
        const auto service = store.list([&] {
            ListQuery q = query("service");
            q.where = {{"code", code}};
            return q;
        }());
        REQUIRE(service.size() == 1);
        return service.front().value("requirements");
    };
    auto fields = application();
    fields["service_code"] = "SKRK";
    const std::string id = store.create("application", fields);

    ListQuery q = query("requirement");
    q.where = {{"application_id", id}};
    auto rows = store.list(q);
    CHECK(requirementsOf("SKRK") == "Fotokopi KTP;Surat pengantar RT/RW");
    REQUIRE(rows.size() == 2);
    std::set<std::string> names;
    for (const auto& r : rows)
    {
        names.insert(r.value("requirement"));
        CHECK(r.value("fulfilled") == "0");
        CHECK(r.value("application_id") == id);
        CHECK(countRows(store.database(), "audit", "record_id = '" + r.id + "'") == 1);
    }
    CHECK(names == std::set<std::string>{"Fotokopi KTP", "Surat pengantar RT/RW"});

    const auto seq = maxOutboxSeq(store.database());
    store.update(rows.front().id, {{"fulfilled", "ya"}, {"checked_by", "clerk.test"}});
    expectOneWrite(store, seq, rows.front().id, {"fulfilled", "checked_by"});
    CHECK(store.get(rows.front().id).value("fulfilled") == "1");

    const std::string pbg = store.create("application", application("Eko Saputra", kNik2));
    q.where = {{"application_id", pbg}};
    CHECK(store.list(q).size() == 6);
    checkInvariants(store);
}

TEST_CASE("CaseStore: search matches prefixes of names, NIKs, numbers and complaint subjects", "[model][store][search]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string siti = store.create("application", application("Siti Nurhaliza", kNik));
    const std::string ayu = store.create("application", application("Ayu Sitompul", kNik2));
    const std::string complaint = store.create("complaint", {{"kind", "complaint"},
                                                             {"channel", "email"},
                                                             {"complainant_name", "Joko Pratama"},
                                                             {"subject", "Petugas sulit dihubungi"}});
    const auto found = [&](const std::string& kind, const std::string& text) {
        auto r = ids(store.list(query(kind, text)));
        std::sort(r.begin(), r.end());
        return r;
    };
    const auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };

    CHECK(found("application", "sit") == sorted({siti, ayu}));
    CHECK(found("application", "Nurha") == sorted({siti}));
    CHECK(found("application", "sit nur") == sorted({siti}));
    CHECK(found("application", "SITOMP") == sorted({ayu}));
    CHECK(found("application", "327509") == sorted({siti, ayu}));
    CHECK(found("application", "32750901") == sorted({siti}));
    CHECK(found("application", kDevicePrefix + "000002") == sorted({ayu}));
    CHECK(found("application", "zzz").empty());
    CHECK(found("complaint", "sulit") == sorted({complaint}));
    CHECK(found("complaint", "dihub") == sorted({complaint}));
    CHECK(found("complaint", "Joko") == sorted({complaint}));
    CHECK(found("application", "\"") .empty());

    SECTION("the index follows updates")
    {
        store.update(siti, {{"applicant_name", "Dewi Kartika"}});
        CHECK(found("application", "nurhaliza").empty());
        CHECK(found("application", "kartika") == sorted({siti}));
        store.update(complaint, {{"subject", "Jadwal verifikasi lapangan"}});
        CHECK(found("complaint", "sulit").empty());
        CHECK(found("complaint", "verif") == sorted({complaint}));
        checkInvariants(store);
    }
    SECTION("deleted records are not found")
    {
        store.remove(ayu);
        CHECK(found("application", "sit") == sorted({siti}));
        checkInvariants(store);
    }
}

TEST_CASE("CaseStore: list filters by field, hides deleted records and honours limit", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    std::vector<std::string> made;
    for (int i = 0; i < 5; ++i)
    {
        auto fields = application("Pemohon " + std::to_string(i));
        if (i % 2)
            fields["status"] = "submitted";
        fields["kecamatan"] = i < 3 ? "32.75.09" : "32.75.01";
        made.push_back(store.create("application", fields));
        f.clock.advance(1000);
    }

    ListQuery q = query("application");
    CHECK(store.list(q).size() == 5);
    CHECK(store.list(q).front().id == made.back()); // newest first

    q.where = {{"status", "submitted"}};
    CHECK(store.list(q).size() == 2);
    q.where = {{"status", "draft"}, {"kecamatan", "32.75.09"}};
    CHECK(store.list(q).size() == 2);
    q.where = {{"email", ""}};
    CHECK(store.list(q).size() == 5);

    q.where.clear();
    q.limit = 2;
    CHECK(ids(store.list(q)) == std::vector<std::string>{made[4], made[3]});
    q.offset = 2;
    CHECK(ids(store.list(q)) == std::vector<std::string>{made[2], made[1]});
    q.limit = 0;
    CHECK(store.list(q).empty());

    q.where = {{"colour", "red"}};
    q.limit = -1;
    CHECK_THROWS_WITH(store.list(q), Catch::StartsWith("where: unknown field \"colour\" of application"));

    SECTION("deleted records are hidden unless asked for")
    {
        const auto seq = maxOutboxSeq(store.database());
        store.remove(made[0]);
        expectOneWrite(store, seq, made[0], {"deleted"});
        ListQuery all = query("application");
        CHECK(store.list(all).size() == 4);
        CHECK(store.count(all) == 4);
        all.includeDeleted = true;
        CHECK(store.list(all).size() == 5);
        ListQuery tomb = query("application");
        tomb.where = {{"deleted", "1"}};
        CHECK(ids(store.list(tomb)) == std::vector<std::string>{made[0]});
        tomb.where = {{"status", "submitted"}, {"deleted", "1"}};
        CHECK(store.list(tomb).empty());
        tomb.where = {{"kecamatan", "32.75.09"}, {"deleted", "0"}};
        CHECK(store.list(tomb).size() == 2);
        CHECK(store.get(made[0]).deleted());

        CHECK_THROWS_WITH(store.update(made[0], {{"applicant_name", "X"}}),
                          Catch::StartsWith("deleted: the record is deleted"));
        store.update(made[0], {{"deleted", "0"}});
        CHECK(store.list(query("application")).size() == 5);
        checkInvariants(store);
    }
}

TEST_CASE("CaseStore: booking codes are unique and avoid look-alike characters", "[model][store][booking]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    std::set<std::string> codes;
    store.inBatch([&] {
        for (int i = 0; i < 200; ++i)
            codes.insert(store.get(store.create("booking", {{"service_code", "SIPD"},
                                                            {"location", "MPP Kota Bekasi"},
                                                            {"date", "2021-05-10"},
                                                            {"slot", "09:30"},
                                                            {"applicant_name", "Pemohon " + std::to_string(i)}}))
                             .value("code"));
    });
    CHECK(codes.size() == 200);
    for (const auto& code : codes)
    {
        INFO(code);
        CHECK(std::regex_match(code, std::regex("[A-HJ-NP-Z2-9]{6}")));
    }
    CHECK(store.get(store.list(query("booking")).front().id).value("status") == "tentative");
    checkInvariants(store);
}

TEST_CASE("CaseStore: booking a suspended service is refused unless the service is exempt", "[model][store][booking]")
{
    // Instruksi Wali Kota Bekasi 067/613/DPMPTSP suspended face-to-face
    // service from 13 to 26 May 2020, except health and local-revenue services.
    StoreFixture f;
    f.clock.set(wibMs(model::Date(2020, 5, 4), 9)); // the instruction's week, before the dates booked
    CaseStore& store = *f.store;
    const auto booking = [](const std::string& service, const std::string& date) {
        return FieldMap{{"service_code", service}, {"location", "MPP Kota Bekasi"}, {"date", date},
                        {"slot", "10:00"},         {"applicant_name", "Hendra Gunawan"}};
    };
    const auto before = tableCounts(store.database());
    for (const char* day : {"2020-05-13", "2020-05-20", "2020-05-26"})
    {
        INFO(day);
        const std::string message = errorOf([&] { store.create("booking", booking("PBG", day)); });
        CHECK_THAT(message, Catch::StartsWith("date: service PBG is suspended from 2020-05-13 to 2020-05-26"));
        CHECK_THAT(message, Catch::Contains("067/613/DPMPTSP"));
    }
    CHECK(tableCounts(store.database()) == before);

    CHECK_NOTHROW(store.create("booking", booking("PBG", "2020-05-12")));
    CHECK_NOTHROW(store.create("booking", booking("PBG", "2020-05-27")));
    CHECK_NOTHROW(store.create("booking", booking("SIPD", "2020-05-20")));
    const std::string moved = store.create("booking", booking("SIPB", "2020-05-20"));
    CHECK_THROWS_WITH(store.update(moved, {{"service_code", "PBG"}}), Catch::StartsWith("date: service PBG is suspended"));
    CHECK_THROWS_WITH(store.create("booking", booking("PBG", "2020-05-32")), Catch::StartsWith("date: "));
    checkInvariants(store);
}

TEST_CASE("CaseStore: names with quotes, SQL and non-ASCII letters round-trip unchanged", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::vector<std::string> names = {
        "Robert'); DROP TABLE application;--",
        "Ni Luh Putu Ayu S\xC3\xA9ka",   // Séka
        "Nguy\xE1\xBB\x85n Van An",      // Nguyễn
        "Siti \"Ucik\" O'Neil",
        "50% _discount_ \\ back",
        "\xE5\xBC\xA0\xE4\xBC\x9F",      // 张伟
    };
    std::vector<std::string> made;
    for (const auto& name : names)
    {
        FieldMap fields = {{"kind", "complaint"}, {"channel", "walk_in"}, {"complainant_name", name},
                           {"subject", name},     {"body", "Isi:\n" + name + "\n\ttab"}};
        made.push_back(store.create("complaint", fields));
        const Record r = store.get(made.back());
        CHECK(r.value("complainant_name") == name);
        CHECK(r.value("subject") == name);
        CHECK(r.value("body") == "Isi:\n" + name + "\n\ttab");
        checkInvariants(store);
    }
    CHECK(countRows(store.database(), "complaint") == static_cast<std::int64_t>(names.size()));
    CHECK(countRows(store.database(), "sqlite_master", "name = 'application'") == 1);

    const std::string app = store.create("application", application(names[0]));
    store.update(app, {{"applicant_name", names[1]}});
    CHECK(store.get(app).value("applicant_name") == names[1]);
    const auto history = store.history(app);
    CHECK(history.back().oldValue == names[0]);
    CHECK(history.back().newValue == names[1]);
    CHECK(ids(store.list(query("application", "S\xC3\xA9ka"))) == std::vector<std::string>{app});
    CHECK(ids(store.list(query("application", "seka"))) == std::vector<std::string>{app});
    CHECK(ids(store.list(query("complaint", "Nguy\xE1\xBB\x85n"))) == std::vector<std::string>{made[2]});
    CHECK(store.list(query("complaint", "Robert'); DROP")).size() == 1);

    ListQuery q = query("complaint");
    q.where = {{"complainant_name", names[0]}};
    CHECK(ids(store.list(q)) == std::vector<std::string>{made[0]});
    q = query("booking", "50% _");
    CHECK(store.list(q).empty());
    checkInvariants(store);
}

TEST_CASE("CaseStore: importCsv writes every row or none", "[model][store][import]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string path = f.dir.file("applications.csv");
    const auto before = tableCounts(store.database());

    SECTION("one bad row: nothing is written and every bad line is named")
    {
        writeFile(path, "service_code,applicant_name,nik,channel,address\n"
                        "PBG,Adi Santoso,3275090101900001,phone,Jl. Melati 1\n"
                        "PBG,Ayu Lestari,327509550385000,phone,Jl. Melati 2\n"
                        "SIPD,Bagus Wijaya,3275090101900003,email,\"Jl. Kenanga,\nRT 01/RW 02\"\n"
                        "SIPD,Citra Dewi,3275090101900004,pigeon,Jl. Cendana 4\n"
                        "SIPD,Dewi Kusuma,3275090101900005,phone\n");
        try
        {
            store.importCsv("application", path);
            FAIL("no error");
        }
        catch (const Error& e)
        {
            const std::string m = e.what();
            CHECK(e.code() == ErrorCode::InvalidData);
            CHECK_THAT(m, Catch::Contains("line 3: nik: must be 16 digits, got 15"));
            CHECK_THAT(m, Catch::Contains("line 6: channel: "));
            CHECK_THAT(m, Catch::Contains("line 7: expected 5 columns, got 4"));
            CHECK_THAT(m, !Catch::Contains("line 2:"));
            CHECK_THAT(m, !Catch::Contains("line 4:"));
        }
        CHECK(tableCounts(store.database()) == before);
    }
    SECTION("an unknown column: nothing is written")
    {
        writeFile(path, "service_code,applicant_name,colour,channel\nPBG,Adi,blue,phone\n");
        CHECK_THROWS_WITH(store.importCsv("application", path),
                          Catch::StartsWith("line 1: colour: unknown field of application"));
        CHECK(tableCounts(store.database()) == before);
    }
    SECTION("good rows are all created, in file order, as imports")
    {
        writeFile(path, "\xEF\xBB\xBFservice_code,applicant_name,nik,channel,address\r\n"
                        "PBG,Adi Santoso,3275090101900001,phone,Jl. Melati 1\r\n"
                        "SIPD,\"Robert'); DROP TABLE application;--\",,email,\"Jl. Kenanga,\nRT 01\"\r\n"
                        "SKRK,Ni Luh Putu Ayu S\xC3\xA9ka,,whatsapp,\r\n");
        const auto made = store.importCsv("application", path);
        REQUIRE(made.size() == 3);
        CHECK(store.get(made[0]).value("applicant_name") == "Adi Santoso");
        CHECK(store.get(made[1]).value("applicant_name") == "Robert'); DROP TABLE application;--");
        CHECK(store.get(made[1]).value("address") == "Jl. Kenanga,\nRT 01");
        CHECK(store.get(made[2]).value("applicant_name") == "Ni Luh Putu Ayu S\xC3\xA9ka");
        CHECK(store.get(made[2]).value("nik").empty());
        CHECK(store.get(made[0]).value("provisional_no") == kDevicePrefix + "000001");
        CHECK(store.get(made[2]).value("provisional_no") == kDevicePrefix + "000003");
        CHECK(store.history(made[1]).front().source == "import");
        CHECK(countRows(store.database(), "requirement") == 6 + 5 + 2);
        checkInvariants(store);
    }
    SECTION("a missing file is a storage error")
    {
        CHECK_THROWS_WITH(store.importCsv("application", f.dir.file("missing.csv")), Catch::Contains("missing.csv"));
        CHECK(tableCounts(store.database()) == before);
    }
}

TEST_CASE("CaseStore: a batch commits all of its writes or none", "[model][store]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const auto before = tableCounts(store.database());
    CHECK_THROWS_WITH(store.inBatch([&] {
        store.create("application", application("Adi Santoso"));
        store.create("application", application("Ayu Lestari", "12"));
    }),
                      "nik: must be 16 digits, got 2");
    CHECK(tableCounts(store.database()) == before);

    store.inBatch([&] {
        store.create("application", application("Adi Santoso"));
        store.create("application", application("Ayu Lestari", kNik2));
    });
    CHECK(countRows(store.database(), "application") == 2);
    CHECK(countRows(store.database(), "audit", "kind = 'application'") == 2);
    checkInvariants(store);
}

namespace {

/// Writes application @p id as a pull would: every field with one stamp.
void replicate(CaseStore& store, const std::string& id, const std::string& name, std::int64_t hlc)
{
    const std::vector<std::pair<std::string, std::optional<std::string>>> fields = {
        {"service_code", std::string("PBG")}, {"applicant_name", name}, {"status", std::string("submitted")}};
    store.writeReplicated("application", id, fields, std::vector<Stamp>(fields.size(), Stamp{hlc, "other-device"}),
                          "clerk.other");
}

std::vector<std::string> found(CaseStore& store, const std::string& text)
{
    ListQuery q;
    q.kind = "application";
    q.search = text;
    std::vector<std::string> out;
    for (const auto& r : store.list(q))
        out.push_back(r.value("applicant_name"));
    std::sort(out.begin(), out.end());
    return out;
}

/// SQLite's and FTS5's own checks (a term taken out that was never put in
/// fails the latter).
void checkIndexes(Database& db)
{
    Statement s(db, "PRAGMA integrity_check");
    REQUIRE(s.step());
    CHECK(s.text(0) == "ok");
    CHECK_NOTHROW(db.exec("INSERT INTO application_fts(application_fts) VALUES ('integrity-check')"));
}

bool hasInsertTrigger(Database& db)
{
    Statement s(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'application_fts_ai'");
    s.step();
    return s.integer(0) == 1;
}

} // namespace

TEST_CASE("CaseStore: records written in bulk are searchable afterwards, whatever happened to them inside",
          "[model][store][search]")
{
    StoreFixture f;
    CaseStore& store = *f.store;
    const std::string before = store.create("application", application("Adi Santoso"));
    const std::string newest = store.create("application", application("Terakhir Lestari", kNik2));
    const std::int64_t hlc = store.hlcNow() + 1000;

    store.inBulk([&] {
        // The newest row leaving frees its rowid for the next one, which
        // must still be indexed.
        store.purgeLocal("application", newest);
        replicate(store, newUuidV7(), "Ulang Sintetis", hlc);
        replicate(store, newUuidV7(), "Wulan Sintetis", hlc);
        const std::string changed = newUuidV7();
        replicate(store, changed, "Gilang Sintetis", hlc);
        // The same record again in the same bulk (a pull batch that holds
        // two runs of its changes): the update trigger must not take out
        // terms that were never put in.
        store.writeReplicated("application", changed, {{"applicant_name", std::string("Gilang Baru")}},
                              {Stamp{hlc + 1, "other-device"}}, "clerk.other");
        const std::string purged = newUuidV7();
        replicate(store, purged, "Purnama Sintetis", hlc);
        store.purgeLocal("application", purged);
        // A record from before the bulk, changed inside it.
        store.writeReplicated("application", before, {{"applicant_name", std::string("Adi Sukses")}},
                              {Stamp{hlc + 2, "other-device"}}, "clerk.other");
        replicate(store, newUuidV7(), "Sekar Sintetis", hlc);
    });

    CHECK(hasInsertTrigger(store.database()));
    CHECK(found(store, "sintetis") == std::vector<std::string>{"Sekar Sintetis", "Ulang Sintetis", "Wulan Sintetis"});
    CHECK(found(store, "gilang") == std::vector<std::string>{"Gilang Baru"});
    CHECK(found(store, "baru") == std::vector<std::string>{"Gilang Baru"});
    CHECK(found(store, "purnama").empty());
    CHECK(found(store, "terakhir").empty());
    CHECK(found(store, "ulang") == std::vector<std::string>{"Ulang Sintetis"});
    CHECK(found(store, "adi") == std::vector<std::string>{"Adi Sukses"});
    CHECK(found(store, "santoso").empty());
    checkIndexes(store.database());

    SECTION("a record created after the bulk is indexed by the trigger again")
    {
        store.create("application", application("Ayu Lestari", kNik2));
        CHECK(found(store, "ayu") == std::vector<std::string>{"Ayu Lestari"});
    }
    SECTION("a bulk that fails leaves nothing behind and the trigger in place")
    {
        const auto counts = tableCounts(store.database());
        CHECK_THROWS_WITH(store.inBulk([&] {
            replicate(store, newUuidV7(), "Gagal Sintetis", hlc + 5);
            throw Error(ErrorCode::Network, "connection dropped");
        }),
                          "connection dropped");
        CHECK(tableCounts(store.database()) == counts);
        CHECK(hasInsertTrigger(store.database()));
        CHECK(found(store, "gagal").empty());
        store.create("application", application("Ayu Lestari", kNik2));
        CHECK(found(store, "ayu") == std::vector<std::string>{"Ayu Lestari"});
        checkIndexes(store.database());
    }
}

TEST_CASE("CaseStore: list keeps the conditions given before a condition on deleted", "[model][store][regression]")
{
    // Foundation issue: --where=status=submitted --where=deleted=1 dropped the
    // status condition and failed with a bind error.
    StoreFixture f;
    CaseStore& store = *f.store;
    auto fields = application();
    fields["status"] = "submitted";
    const std::string submitted = store.create("application", fields);
    const std::string draft = store.create("application", application("Ayu Lestari", kNik2));
    store.remove(submitted);
    store.remove(draft);
    ListQuery q = query("application");
    q.where = {{"status", "submitted"}, {"deleted", "1"}};
    CHECK(ids(store.list(q)) == std::vector<std::string>{submitted});
    q.where = {{"deleted", "1"}, {"status", "draft"}};
    CHECK(ids(store.list(q)) == std::vector<std::string>{draft});
}

TEST_CASE("CaseStore: a device id shorter than six characters still numbers applications",
          "[model][store][regression]")
{
    // Foundation issue: a configured device id under six characters threw
    // std::out_of_range from the provisional number.
    StoreFixture f;
    f.close();
    berkas::test::TempDir other;
    StoreOptions o = f.options("dev1");
    o.dataDir = other.path;
    CaseStore store(o);
    const std::string id = store.create("application", application());
    CHECK(store.get(id).value("provisional_no") == "P-DEV1-000001");
}

TEST_CASE("CaseStore: a page of a search with many matches is the newest matches in order", "[model][store][search]")
{
    // More than 2000 matches take the created_at index instead of sorting
    // every match; both ways must give the same page.
    StoreFixture f;
    CaseStore& store = *f.store;
    store.create("service", {{"code", "NOCHECK"}, {"name", "Tanpa daftar periksa"}, {"sla_days", "5"}});
    store.inBatch([&] {
        for (int i = 0; i < 2300; ++i)
        {
            if (i % 3 == 0)
                f.clock.advance(1000); // runs of equal created_at, ordered by id
            store.create("application", {{"service_code", "NOCHECK"},
                                         {"applicant_name", (i % 10 == 9 ? "Bagus " : "Sari ") + std::to_string(i)},
                                         {"channel", "portal"}});
        }
    });
    ListQuery all = query("application", "sar");
    const auto every = store.list(all);
    REQUIRE(every.size() == 2070);
    for (std::int64_t offset : {0, 40, 1990})
    {
        ListQuery page = all;
        page.limit = 50;
        page.offset = offset;
        const std::vector<Record> expected(every.begin() + offset, every.begin() + offset + 50);
        CHECK(ids(store.list(page)) == ids(expected));
    }
    CHECK(every.front().value("created_at") >= every.back().value("created_at"));
    ListQuery few = query("application", "bag");
    few.limit = 10;
    CHECK(store.list(few).size() == 10);
}

TEST_CASE("CaseStore: the seeded service catalog is the same record on every laptop", "[model][store]")
{
    // Two laptops first opened days apart must agree on every seeded service,
    // created_at included, or they would never converge after sync.
    StoreFixture a;
    StoreFixture b;
    b.clock.advance(3 * 86400 * 1000 + 1234);
    b.open("another-device-000000bbbbbb");
    const ListQuery q = query("service");
    const auto first = a.store->list(q);
    const auto second = b.store->list(q);
    REQUIRE(first.size() == 10);
    REQUIRE(second.size() == first.size());
    for (std::size_t i = 0; i < first.size(); ++i)
        CHECK(first[i].values == second[i].values);
}

TEST_CASE("CaseStore: a booking on a holiday or weekend or in the past or confirmed by hand is refused and nothing is written",
          "[model][store][booking]")
{
    // The fixture's clock: Friday 7 May 2021, 09:00 WIB. 13 May is Ascension
    // Day, 8 May a Saturday.
    StoreFixture f;
    CaseStore& store = *f.store;
    const auto booking = [](const std::string& date, const std::string& slot) {
        return FieldMap{{"service_code", "SIPD"}, {"location", "MPP Kota Bekasi"}, {"date", date},
                        {"slot", slot},           {"applicant_name", "Hendra Gunawan"}};
    };
    const auto before = tableCounts(store.database());
    CHECK(errorOf([&] { store.create("booking", booking("2021-05-13", "10:00")); }) ==
          "date: 2021-05-13 is not a working day of the office (a weekend or holiday)");
    CHECK(errorOf([&] { store.create("booking", booking("2021-05-08", "10:00")); }) ==
          "date: 2021-05-08 is not a working day of the office (a weekend or holiday)");
    CHECK(errorOf([&] { store.create("booking", booking("2021-05-06", "10:00")); }) ==
          "date: must not be in the past (now 2021-05-07 09:00), got 2021-05-06");
    CHECK(errorOf([&] { store.create("booking", booking("2021-05-07", "08:30")); }) ==
          "slot: must not be in the past (now 2021-05-07 09:00), got 2021-05-07 08:30");
    CHECK(tableCounts(store.database()) == before);

    const std::string id = store.create("booking", booking("2021-05-07", "10:00"));
    const auto made = tableCounts(store.database());
    for (const char* status : {"confirmed", "overbooked"})
    {
        INFO(status);
        CHECK(errorOf([&] { store.update(id, {{"status", status}}); }) ==
              std::string("status: ") + status +
                  " is decided by the central office against the counter's capacity; a booking is made tentative "
                  "and rescheduled as tentative");
    }
    CHECK(errorOf([&] { store.update(id, {{"date", "2021-05-13"}}); }) ==
          "date: 2021-05-13 is not a working day of the office (a weekend or holiday)");
    CHECK(tableCounts(store.database()) == made);
    CHECK(store.get(id).value("status") == "tentative");
    CHECK_NOTHROW(store.update(id, {{"status", "cancelled"}}));
    checkInvariants(store);
}
