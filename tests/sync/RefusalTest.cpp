#include "model/RefusedChanges.h"
#include "tests/sync/ApiClient.h"
#include "tests/sync/SyncFixture.h"

#include <Poco/Net/NetException.h>

#include <memory>

#include <catch2/catch.hpp>

using namespace berkas;
using namespace berkas::test;

namespace {

constexpr const char* kHome = "32.75.09";
constexpr const char* kAway = "32.75.01";

using Fields = std::vector<std::pair<std::string, std::optional<std::string>>>;

/// The result of change @p seq in a push answer, or nullptr.
Poco::JSON::Object::Ptr resultOf(const Answer& a, std::int64_t seq)
{
    const auto results = a.json()->getArray("results");
    for (std::size_t i = 0; i < results->size(); ++i)
    {
        const auto r = results->getObject(static_cast<unsigned>(i));
        if (r->getValue<std::int64_t>("seq") == seq)
            return r;
    }
    return nullptr;
}

/// A manager's laptop with one application of kecamatan 32.75.09, and a
/// clerk of that kecamatan whose laptop holds it.
struct ClerkOffice
{
    TestServer server;
    std::unique_ptr<Laptop> manager;
    std::unique_ptr<Laptop> clerk;
    std::string id;

    ClerkOffice()
    {
        server.addUser("budi", "manager");
        server.addUser("siti", "clerk", kHome);
        manager = std::make_unique<Laptop>(server, "budi");
        id = manager->newApplication();
        manager->sync();
        clerk = std::make_unique<Laptop>(server, "siti");
        clerk->sync();
    }
};

} // namespace

TEST_CASE("Refusal: a clerk's refused move out of the kecamatan puts the server's value back on the laptop",
          "[sync][refusal][regression]")
{
    ClerkOffice office;
    auto& server = office.server;
    Laptop& manager = *office.manager;
    Laptop& clerk = *office.clerk;
    const std::string id = office.id;
    REQUIRE(clerk.store->find(id));

    SECTION("the answer arrives")
    {
    }
    SECTION("the first answer is lost and the push is sent again")
    {
        int lost = 0;
        clerk.options.afterAnswer = [&](const std::string& path) {
            if (path == "/v1/push" && lost++ == 0)
                throw Poco::Net::NetException("connection reset");
        };
        clerk.open();
    }
    clerk.store->update(id, {{"kecamatan", kAway}});
    const auto summary = clerk.sync();
    CHECK(summary.refused == 1);
    manager.sync();

    // Every replica shows the same kecamatan, with the same stamp.
    CHECK(clerk.store->get(id).value("kecamatan") == kHome);
    CHECK(manager.store->get(id).value("kecamatan") == kHome);
    CHECK(server.store->value(id, "kecamatan") == std::string(kHome));
    CHECK(clerk.store->fieldStamp(clerk.store->get(id), "kecamatan") == server.store->stamp(id, "kecamatan"));
    CHECK(clerk.store->outboxSize() == 0);

    // What the clerk typed is kept, with the reason, until someone settles it.
    const auto notices = model::RefusedChanges(*clerk.store).open();
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].recordId == id);
    CHECK(notices[0].field == "kecamatan");
    CHECK(notices[0].value == kAway);
    CHECK(notices[0].code == "out_of_scope");
    CHECK(notices[0].serverValue == kHome);
    CHECK(notices[0].held);

    // Later syncs keep them in step; dismissing the notice changes nothing else.
    clerk.sync();
    CHECK(clerk.store->get(id).value("kecamatan") == kHome);
    model::RefusedChanges(*clerk.store).settle(notices[0].id, "remote");
    CHECK(model::RefusedChanges(*clerk.store).open().empty());
    CHECK(clerk.store->outboxSize() == 0);
}

TEST_CASE("Refusal: an unpushed edit made after the refused one stays and is based on the server's value",
          "[sync][refusal]")
{
    ClerkOffice office;
    Laptop& clerk = *office.clerk;
    const std::string id = office.id;
    clerk.options.pushBatch = 1; // the refusal arrives before the second edit is pushed
    clerk.open();
    clerk.store->update(id, {{"kecamatan", kAway}});
    clerk.store->update(id, {{"kecamatan", "32.75.08"}});
    const auto summary = clerk.sync();
    CHECK(summary.refused == 2);
    // Both refused; the laptop shows the server's value, no conflict arose.
    CHECK(clerk.store->get(id).value("kecamatan") == kHome);
    CHECK(clerk.openConflicts().empty());
    const auto notices = model::RefusedChanges(*clerk.store).open();
    REQUIRE(notices.size() == 2); // each value typed is kept
    CHECK(notices.at(0).value == kAway);
    CHECK(notices.at(1).value == "32.75.08");
}

TEST_CASE("Refusal: the server checks values and new records as the laptop does", "[sync][refusal][regression]")
{
    TestServer server;
    server.addUser("budi", "manager");
    Laptop manager(server, "budi");
    const std::string existing = manager.newApplication();
    manager.sync();
    ApiClient raw(server);
    REQUIRE(raw.enroll("budi") == 200);

    SECTION("a new application with only a name, a bad NIK and an approved status is refused whole")
    {
        const std::string id = model::newUuidV7();
        const Answer a = raw.push("application", id,
                                  {{"applicant_name", std::string("Rina Sintetis")},
                                   {"nik", std::string("123")},
                                   {"status", std::string("approved")}});
        REQUIRE(a.status == 200);
        CHECK(a.json()->getValue<int>("refused") == 3);
        CHECK(resultOf(a, 2)->getValue<std::string>("code") == "invalid_value");
        CHECK(resultOf(a, 2)->getValue<std::string>("reason").find("nik: must be 16 digits") == 0);
        CHECK(resultOf(a, 1)->getValue<std::string>("code") == "incomplete_record");
        CHECK_FALSE(resultOf(a, 1)->getValue<bool>("held"));
        CHECK_FALSE(server.store->value(id, "applicant_name"));
        manager.sync();
        CHECK_FALSE(manager.store->find(id));
    }
    SECTION("a bad value is refused per change and the rest of the batch applies")
    {
        const Answer a = raw.push("application", existing,
                                  {{"nik", std::string("123")},
                                   {"phone", std::string("+6281299990000")},
                                   {"email", std::string("bukan-surel")},
                                   {"channel", std::string("fax")},
                                   {"kecamatan", std::string("99.99.99")}});
        REQUIRE(a.status == 200);
        CHECK(a.json()->getValue<int>("refused") == 4);
        CHECK(server.store->value(existing, "phone") == std::string("+6281299990000"));
        CHECK(server.store->value(existing, "nik") == std::string("3275094107900001"));
        const auto nik = resultOf(a, 1);
        CHECK(nik->getValue<bool>("held"));
        CHECK(nik->getValue<std::string>("value") == "3275094107900001");
        CHECK(nik->getValue<std::string>("stamp") == model::formatStamp(server.store->stamp(existing, "nik")));
        CHECK(resultOf(a, 2) == nullptr); // applied
        manager.sync();
        CHECK(manager.store->get(existing).value("phone") == "+6281299990000");
        CHECK(manager.store->get(existing).value("channel") == "phone");
    }
    SECTION("values are stored in their one spelling")
    {
        const Answer a = raw.push("application", existing, {{"phone", std::string("0812 9999 0000")}});
        CHECK(resultOf(a, 1)->getValue<std::string>("reason") ==
              "phone: must be written as \"+6281299990000\", got \"0812 9999 0000\"");
    }
    SECTION("fields only the server writes, fixed fields and unknown services")
    {
        const Answer a = raw.push("application", existing,
                                  {{"reg_no", std::string("2026/PBG/999999")},
                                   {"created_at", std::string("2026-01-01T00:00:00+07:00")},
                                   {"service_code", std::string("NOPE")}});
        CHECK(resultOf(a, 1)->getValue<std::string>("code") == "server_only");
        CHECK(resultOf(a, 2)->getValue<std::string>("code") == "fixed_field");
        CHECK(resultOf(a, 3)->getValue<std::string>("code") == "missing_reference");
        CHECK(server.store->value(existing, "service_code") == std::string("PBG"));
    }
    SECTION("a requirement of a refused application is refused with it")
    {
        const std::string app = model::newUuidV7();
        const std::string req = model::newUuidV7();
        sync::PushBatch batch;
        batch.deviceId = raw.deviceId;
        std::int64_t hlc = model::HybridLogicalClock::fromPhysicalMs(server.store->nowMs());
        const auto add = [&](const std::string& kind, const std::string& rid, const std::string& f, const std::string& v) {
            sync::WireChange c;
            c.seq = ++raw.changeSeq;
            c.kind = kind;
            c.id = rid;
            c.field = f;
            c.value = v;
            c.stamp = {++hlc, raw.deviceId};
            batch.changes.push_back(c);
        };
        add("application", app, "applicant_name", "Rina Sintetis"); // no service, channel or status
        add("requirement", req, "application_id", app);
        add("requirement", req, "requirement", "KTP");
        const Answer a = raw.request("POST", "/v1/push", sync::toJsonText(sync::encodePush(batch)), raw.token);
        CHECK(a.json()->getValue<int>("refused") == 3);
        CHECK(resultOf(a, 2)->getValue<std::string>("code") == "missing_reference");
        CHECK(resultOf(a, 3)->getValue<std::string>("code") == "incomplete_record");
    }
    SECTION("a device may not make conflict records")
    {
        const Answer a = raw.push("conflict", model::newUuidV7(), {{"status", std::string("open")}});
        CHECK(resultOf(a, 1)->getValue<std::string>("code") == "server_only");
    }
}

TEST_CASE("Refusal: a laptop's new record the server refuses leaves the laptop, what was typed is kept",
          "[sync][refusal]")
{
    TestServer server;
    server.addUser("siti", "clerk", kHome);
    Laptop clerk(server, "siti");
    clerk.sync();
    // A clerk takes in an application for another kecamatan: the server refuses it.
    const std::string id = clerk.store->create("application", {{"service_code", "PBG"},
                                                               {"applicant_name", "Joko Sintetis"},
                                                               {"channel", "phone"},
                                                               {"kecamatan", kAway}});
    const auto summary = clerk.sync();
    CHECK(summary.refused > 0);
    CHECK_FALSE(clerk.store->find(id));
    CHECK_FALSE(server.store->value(id, "applicant_name"));
    CHECK(clerk.store->outboxSize() == 0);
    bool kept = false;
    for (const auto& n : model::RefusedChanges(*clerk.store).open())
        kept = kept || (n.recordId == id && n.field == "applicant_name" && n.value == "Joko Sintetis" && !n.held);
    CHECK(kept);
    // Its checklist rows went with it.
    model::ListQuery q;
    q.kind = "requirement";
    q.where = {{"application_id", id}};
    CHECK(clerk.store->list(q).empty());
    // Settling with --keep=local cannot bring back a record the server refused whole.
    const auto notice = model::RefusedChanges(*clerk.store).open().front();
    CHECK_THROWS_WITH(model::RefusedChanges(*clerk.store).settle(notice.id, "local"), Catch::Contains("--keep=remote"));
}

TEST_CASE("Refusal: a verifier's refused deletion of a task brings the task back on the laptop", "[sync][refusal]")
{
    TestServer server;
    server.addUser("budi", "manager");
    server.addUser("vera", "verifier");
    Laptop manager(server, "budi");
    const std::string app = manager.newApplication();
    const std::string task = manager.store->create("task", {{"application_id", app}, {"assigned_to", "vera"}});
    manager.sync();
    Laptop verifier(server, "vera");
    verifier.sync();
    REQUIRE(verifier.store->find(task));
    verifier.store->remove(task);
    verifier.store->update(app, {{"address", "Jl. Bukan Milik Verifikator"}});
    const auto summary = verifier.sync();
    CHECK(summary.refused == 2);
    REQUIRE(verifier.store->find(task));
    CHECK_FALSE(verifier.store->get(task).deleted());
    CHECK(verifier.store->get(app).value("address").empty());
    CHECK(server.store->value(app, "address").value_or("").empty());
    manager.sync();
    CHECK(visibleFields(manager.store->get(task)) == visibleFields(verifier.store->get(task)));
    CHECK(visibleFields(manager.store->get(app)) == visibleFields(verifier.store->get(app)));
}

TEST_CASE("Refusal: a clerk's refused edit of a shipped catalog service shows the seed again", "[sync][refusal]")
{
    TestServer server;
    server.addUser("siti", "clerk", kHome);
    Laptop clerk(server, "siti");
    clerk.sync();
    model::ListQuery q;
    q.kind = "service";
    const auto service = clerk.store->list(q).at(0);
    clerk.store->update(service.id, {{"name", "Nama Layanan Diubah"}});
    CHECK(clerk.sync().refused == 1);
    // The server never held the service: it answers with the seed every
    // laptop has, and the clerk's laptop shows it again.
    CHECK(clerk.store->get(service.id).value("name") == service.value("name"));
    CHECK(clerk.store->fieldStamp(clerk.store->get(service.id), "name").isZero());
    CHECK_FALSE(server.store->value(service.id, "name"));
    const auto notices = model::RefusedChanges(*clerk.store).open();
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].value == "Nama Layanan Diubah");
    CHECK(notices[0].held);
}

TEST_CASE("Refusal: the central office takes a checklist override from a manager only, whatever a laptop claims",
          "[sync][refusal][checklist]")
{
    ClerkOffice office;
    auto& server = office.server;
    Laptop& manager = *office.manager;
    Laptop& clerk = *office.clerk;
    const std::string id = office.id;
    CHECK(clerk.store->setting("role") == "clerk"); // as the server said at login

    // A laptop whose stored role was altered passes its own rule; the server's holds.
    clerk.store->setSetting("role", "manager");
    clerk.store->update(id, {{"checklist_override", "Ditandatangani sendiri"}});
    CHECK(clerk.sync().refused == 1);
    CHECK_FALSE(server.store->value(id, "checklist_override").has_value());
    CHECK(clerk.store->get(id).value("checklist_override").empty());
    const auto notices = model::RefusedChanges(*clerk.store).open();
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].code == "out_of_scope");
    CHECK(notices[0].reason == "only a manager may override the checklist");

    // A manager's reaches every laptop.
    manager.store->update(id, {{"checklist_override", "Asli diperiksa oleh kepala seksi"}});
    CHECK(manager.sync().refused == 0);
    clerk.sync();
    CHECK(clerk.store->get(id).value("checklist_override") == "Asli diperiksa oleh kepala seksi");
}
