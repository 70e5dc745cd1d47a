#include "tests/support/TempDir.h"
#include "tests/sync/ScratchDatabase.h"

#include "model/Error.h"
#include "model/Hlc.h"
#include "model/Uuid.h"
#include "sync/server/BookingDesk.h"
#include "sync/server/MailSettings.h"
#include "sync/server/MailTemplates.h"
#include "sync/server/MailWorker.h"
#include "sync/server/ServerStore.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

using namespace berkas;
using Fields = std::vector<std::pair<std::string, std::optional<std::string>>>;

namespace {

constexpr std::int64_t kStartMs = 1796000000000; // 2026-11-29, a fixed fake clock

/// A central office store with the mail queue on, a fake clock and one
/// laptop whose pushes the test writes change by change.
struct MailOffice
{
    test::TempDir dir{"mail"};
    std::int64_t nowMs = kStartMs;
    sync::ServerStoreOptions options;
    std::unique_ptr<sync::ServerStore> store;
    model::HybridLogicalClock clock{[this] { return nowMs; }};
    std::string device = model::newUuidV7();
    std::int64_t nextSeq = 1;
    std::map<std::pair<std::string, std::string>, model::Stamp> held; ///< the laptop's stamps, bases of its next edits

    explicit MailOffice(bool queueMail = true, const std::string& database = "")
    {
        options = sync::ServerStore::optionsFor(database, dir.path);
        options.queueMail = queueMail;
        options.clockMs = [this] { return nowMs; };
        store = std::make_unique<sync::ServerStore>(options);
        sync::UserAccount budi;
        budi.name = "budi";
        budi.role = "manager";
        budi.passwordHash = "unused";
        budi.createdAt = "2026-11-29T08:00:00+07:00";
        store->addUser(budi);
        store->enrollDevice(device, "budi");
    }

    /// The laptop's changes of one record, stamped now.
    std::vector<sync::WireChange> edit(const std::string& kind, const std::string& id, const Fields& fields)
    {
        std::vector<sync::WireChange> out;
        for (const auto& [field, value] : fields)
        {
            sync::WireChange c;
            c.seq = nextSeq++;
            c.kind = kind;
            c.id = id;
            c.field = field;
            c.value = value;
            c.stamp = {clock.now(), device};
            c.base = held[{id, field}];
            held[{id, field}] = c.stamp;
            out.push_back(c);
        }
        return out;
    }

    std::vector<sync::PushResult> push(const std::vector<sync::WireChange>& batch)
    {
        nowMs += 1000;
        return store->push(device, "budi", store->lastSeq(), batch);
    }

    std::vector<sync::PushResult> push(const std::string& kind, const std::string& id, const Fields& fields)
    {
        return push(edit(kind, id, fields));
    }

    std::vector<sync::QueuedMail> mail() { return store->mail(); }
};

Fields newApplication(const std::optional<std::string>& email)
{
    return {{"service_code", "PBG"}, {"applicant_name", "Rina Wulandari"}, {"channel", "phone"},
            {"kecamatan", "32.75.09"}, {"status", "submitted"}, {"email", email}};
}

std::string valueOf(const sync::QueuedMail& m, const std::string& name)
{
    const auto o = Poco::JSON::Parser().parse(m.values).extract<Poco::JSON::Object::Ptr>();
    return o->optValue<std::string>(name, "");
}

void writeFile(const std::string& path, const std::string& text)
{
    Poco::FileOutputStream out(path);
    out << text;
}

} // namespace

TEST_CASE("MailEvents: a new application with an e-mail address queues its registration number once",
          "[sync][mail]")
{
    MailOffice office;
    const std::string id = model::newUuidV7();
    const auto batch = office.edit("application", id, newApplication("Rina.Wulandari@contoh.test"));
    for (const auto& r : office.push(batch))
        CHECK(r.outcome == sync::PushOutcome::Applied);
    auto mail = office.mail();
    REQUIRE(mail.size() == 1);
    CHECK(mail[0].event == "application_received");
    CHECK(mail[0].recordId == id);
    CHECK(mail[0].recipient == "Rina.Wulandari@contoh.test");
    CHECK(mail[0].status == "queued");
    const auto regNo = office.store->value(id, "reg_no");
    REQUIRE(regNo);
    CHECK(valueOf(mail[0], "reg_no") == *regNo);
    CHECK(valueOf(mail[0], "applicant_name") == "Rina Wulandari");
    CHECK(valueOf(mail[0], "status") == "submitted");

    SECTION("a retried push (its answer lost) queues nothing again")
    {
        const auto again = office.push(batch);
        REQUIRE(again.size() == batch.size());
        for (const auto& r : again)
            CHECK(r.outcome == sync::PushOutcome::Duplicate);
        CHECK(office.mail().size() == 1);
    }
    SECTION("a later edit of another field queues nothing")
    {
        office.push("application", id, {{"phone", "081234567890"}, {"address", "Jl. Mawar 3"}});
        CHECK(office.mail().size() == 1);
    }
}

TEST_CASE("MailEvents: a status change is told once, as the push leaves it", "[sync][mail]")
{
    MailOffice office;
    const std::string id = model::newUuidV7();
    office.push("application", id, newApplication("rina@contoh.test"));
    REQUIRE(office.mail().size() == 1);

    SECTION("moved twice in one push: one message with the last status")
    {
        office.push("application", id, {{"status", "document_check"}, {"status", "field_verification"}});
        const auto mail = office.mail();
        REQUIRE(mail.size() == 2);
        CHECK(mail[0].event == "application_status");
        CHECK(valueOf(mail[0], "status") == "field_verification");
    }
    SECTION("moved and back in one push: nothing")
    {
        office.push("application", id, {{"status", "document_check"}, {"status", "submitted"}});
        CHECK(office.mail().size() == 1);
    }
    SECTION("the e-mail address changed in the same push, after the status, is the one written to")
    {
        office.push("application", id, {{"status", "document_check"}, {"email", "rina.baru@contoh.test"}});
        const auto mail = office.mail();
        REQUIRE(mail.size() == 2);
        CHECK(mail[0].recipient == "rina.baru@contoh.test");
    }
    SECTION("the address removed in the same push: nothing")
    {
        office.push("application", id, {{"status", "document_check"}, {"email", std::nullopt}});
        CHECK(office.mail().size() == 1);
    }
    SECTION("a deleted application: nothing")
    {
        office.push("application", id, {{"status", "withdrawn"}, {"deleted", "1"}});
        CHECK(office.mail().size() == 1);
    }
}

TEST_CASE("MailEvents: an applicant without an e-mail address gets none", "[sync][mail]")
{
    MailOffice office;
    const std::string app = model::newUuidV7();
    office.push("application", app, newApplication(std::nullopt));
    office.push("application", app, {{"status", "document_check"}});
    const std::string booking = model::newUuidV7();
    office.push("booking", booking,
                {{"service_code", "PBG"}, {"location", "MPP Kota Contoh"}, {"date", "2026-12-14"}, {"slot", "09:30"},
                 {"applicant_name", "Agus Prasetyo"}, {"code", "KX7P4M"}, {"status", "confirmed"}});
    const std::string complaint = model::newUuidV7();
    office.push("complaint", complaint,
                {{"kind", "consultation"}, {"channel", "whatsapp"}, {"complainant_name", "Joko Susilo"},
                 {"contact", "+6281234567890"}, {"subject", "Syarat izin usaha"}, {"status", "received"}});
    office.push("complaint", complaint, {{"response", "KTP dan NIB."}, {"status", "responded"}});
    CHECK(office.mail().empty());

    SECTION("the complaint's contact becomes an e-mail address: its next answer is sent")
    {
        office.push("complaint", complaint, {{"contact", "joko.susilo@contoh.test"}, {"status", "in_progress"}});
        CHECK(office.mail().empty());
        office.push("complaint", complaint, {{"response", "KTP, NIB dan NPWP."}, {"status", "responded"}});
        const auto mail = office.mail();
        REQUIRE(mail.size() == 1);
        CHECK(mail[0].event == "complaint_responded");
        CHECK(mail[0].recipient == "joko.susilo@contoh.test");
        CHECK(valueOf(mail[0], "response") == "KTP, NIB dan NPWP.");
    }
}

TEST_CASE("MailEvents: bookings confirmed or overbooked, whoever wrote the status", "[sync][mail]")
{
    MailOffice office;
    const Fields booking = {{"service_code", "PBG"}, {"location", "MPP Kota Contoh"}, {"date", "2026-12-14"},
                            {"slot", "09:30"}, {"applicant_name", "Sri Handayani"},
                            {"email", "sri.handayani@contoh.test"}};
    SECTION("created confirmed (a slot of the device's quota) and moved on: one message")
    {
        const std::string id = model::newUuidV7();
        Fields f = booking;
        f.push_back({"code", "HT3W9Q"});
        f.push_back({"status", "confirmed"});
        office.push("booking", id, f);
        office.push("booking", id, {{"status", "checked_in"}});
        const auto mail = office.mail();
        REQUIRE(mail.size() == 1);
        CHECK(mail[0].event == "booking_confirmed");
        CHECK(valueOf(mail[0], "booking_code") == "HT3W9Q");
        CHECK(valueOf(mail[0], "date") == "2026-12-14");
        CHECK(valueOf(mail[0], "slot") == "09:30");
        CHECK(valueOf(mail[0], "service") != "");
    }
    SECTION("tentative at a full counter: the server overbooks it, the request to reschedule")
    {
        sync::CapacityRequest full;
        full.location = "MPP Kota Contoh";
        full.serviceCode = "PBG";
        full.date = "2026-12-14";
        full.slots = "0";
        office.store->setCapacity(full);
        const std::string id = model::newUuidV7();
        Fields f = booking;
        f.push_back({"code", "MR7KXA"});
        f.push_back({"status", "tentative"});
        office.push("booking", id, f);
        CHECK(office.store->value(id, "status") == std::string("overbooked"));
        const auto mail = office.mail();
        REQUIRE(mail.size() == 1);
        CHECK(mail[0].event == "booking_overbooked");
        CHECK(valueOf(mail[0], "booking_code") == "MR7KXA");
    }
}

TEST_CASE("MailEvents: a server without --smtp queues nothing", "[sync][mail]")
{
    MailOffice office(false);
    office.push("application", model::newUuidV7(), newApplication("rina@contoh.test"));
    CHECK(office.mail().empty());
}

TEST_CASE("MailQueue: a claimed message is leased to one worker until its lease ends", "[sync][mail]")
{
    MailOffice office;
    office.push("application", model::newUuidV7(), newApplication("rina@contoh.test"));
    const auto a = office.store->claimMail("worker-a", 60000);
    REQUIRE(a);
    CHECK_FALSE(office.store->claimMail("worker-b", 60000));

    SECTION("sent by its holder: marked once, never claimed again")
    {
        CHECK(office.store->mailSent(a->id, "worker-a"));
        office.nowMs += 3600000;
        CHECK_FALSE(office.store->claimMail("worker-b", 60000));
        const auto mail = office.mail();
        REQUIRE(mail.size() == 1);
        CHECK(mail[0].status == "sent");
        CHECK_FALSE(mail[0].sentAt.empty());
    }
    SECTION("a worker that died: another claims it when the lease ends, and the first may no longer mark it")
    {
        office.nowMs += 60000;
        const auto b = office.store->claimMail("worker-b", 60000);
        REQUIRE(b);
        CHECK(b->id == a->id);
        CHECK_FALSE(office.store->mailSent(a->id, "worker-a"));
        CHECK(office.store->mailSent(b->id, "worker-b"));
    }
    SECTION("a failed attempt waits for its backoff, then counts")
    {
        office.store->mailRetry(a->id, "worker-a", office.nowMs + 30000, "Connection refused");
        CHECK_FALSE(office.store->claimMail("worker-b", 60000));
        office.nowMs += 30000;
        const auto b = office.store->claimMail("worker-b", 60000);
        REQUIRE(b);
        CHECK(b->attempts == 1);
        CHECK(b->lastError == "Connection refused");
    }
}

TEST_CASE("MailQueue on PostgreSQL: workers of two server processes never claim one message twice",
          "[sync][mail][postgres]")
{
    const char* admin = std::getenv("BERKAS_TEST_POSTGRES");
    if (!admin || !*admin)
    {
        WARN("BERKAS_TEST_POSTGRES is not set: claims on PostgreSQL were not tested here (.ci/run sets it)");
        return;
    }
    test::ScratchDatabase db(admin);
    MailOffice office(true, db.url);
    constexpr int kMessages = 60;
    std::vector<sync::WireChange> batch;
    for (int i = 0; i < kMessages; ++i)
    {
        auto f = newApplication("pemohon" + std::to_string(i) + "@contoh.test");
        const auto changes = office.edit("application", model::newUuidV7(), f);
        batch.insert(batch.end(), changes.begin(), changes.end());
    }
    office.push(batch);
    REQUIRE(office.mail().size() == static_cast<std::size_t>(kMessages));

    // A second process's store on the same database.
    sync::ServerStoreOptions other = sync::ServerStore::optionsFor(db.url, "");
    other.queueMail = true;
    other.clockMs = [&office] { return office.nowMs; }; // one clock for both processes' leases
    sync::ServerStore second(other);
    std::mutex m;
    std::multiset<std::int64_t> claimed;
    const auto work = [&](sync::ServerStore& store, const std::string& owner) {
        while (const auto mail = store.claimMail(owner, 600000))
        {
            {
                std::lock_guard<std::mutex> lock(m);
                claimed.insert(mail->id);
            }
            store.mailSent(mail->id, owner);
        }
    };
    std::thread a([&] { work(*office.store, "process-a"); });
    std::thread b([&] { work(second, "process-b"); });
    a.join();
    b.join();
    CHECK(claimed.size() == static_cast<std::size_t>(kMessages));
    CHECK(std::set<std::int64_t>(claimed.begin(), claimed.end()).size() == static_cast<std::size_t>(kMessages));
    for (const auto& mail : office.mail())
        CHECK(mail.status == "sent");
}

TEST_CASE("MailTemplates: the shipped Indonesian texts with the record's values in words", "[sync][mail]")
{
    test::TempDir dir("templates");
    const auto templates = sync::MailTemplates::load({dir.path});
    for (const auto& event : sync::MailTemplates::events())
        CHECK(templates.sources().at(event).find("assets/mail/" + event + ".txt") != std::string::npos);
    const auto m = templates.render("booking_confirmed", {{"booking_code", "KX7P4M"},
                                                          {"applicant_name", "Sri Handayani"},
                                                          {"date", "2026-12-14"},
                                                          {"slot", "09:30"},
                                                          {"location", "MPP Kota Contoh"},
                                                          {"service", "Persetujuan Bangunan Gedung"},
                                                          {"office_name", "DPMPTSP Kota Contoh"},
                                                          {"office_address", "Jl. Merdeka No. 1"}});
    CHECK(m.subject == "Jadwal kunjungan Anda dikonfirmasi - kode KX7P4M");
    CHECK(m.body.find("Senin, 14 Desember 2026") != std::string::npos);
    CHECK(m.body.find("DPMPTSP Kota Contoh\nJl. Merdeka No. 1") != std::string::npos);
    CHECK(m.body.find('{') == std::string::npos);
    const auto s = templates.render("application_status", {{"reg_no", "2026/PBG/000007"}, {"status", "field_verification"}});
    CHECK(s.subject == "Status permohonan 2026/PBG/000007: Verifikasi Lapangan");

    SECTION("the administrator's file replaces the shipped one")
    {
        Poco::File(dir.file("mail")).createDirectories();
        writeFile(dir.file("mail/application_status.txt"), "Subject: {reg_no} kini {status}\n\nSampai {due_date}.\n");
        const auto mine = sync::MailTemplates::load({dir.path}).render(
            "application_status", {{"reg_no", "2026/PBG/000007"}, {"status", "approved"}, {"due_date", "2027-01-04"}});
        CHECK(mine.subject == "2026/PBG/000007 kini Disetujui");
        CHECK(mine.body == "Sampai Senin, 4 Januari 2027.\n");
    }
    SECTION("an unknown placeholder is refused, naming the file")
    {
        Poco::File(dir.file("mail")).createDirectories();
        writeFile(dir.file("mail/booking_overbooked.txt"), "Subject: Kode {kode}\n\nYth.\n");
        CHECK_THROWS_WITH(sync::MailTemplates::load({dir.path}),
                          Catch::StartsWith(dir.file("mail/booking_overbooked.txt") + ": unknown placeholder {kode}"));
    }
    SECTION("a template without its subject line is refused")
    {
        Poco::File(dir.file("mail")).createDirectories();
        writeFile(dir.file("mail/complaint_responded.txt"), "Yth. {applicant_name}\n");
        CHECK_THROWS_WITH(sync::MailTemplates::load({dir.path}),
                          dir.file("mail/complaint_responded.txt") +
                              ": must start with a line \"Subject: ...\" and then the body");
    }
}

TEST_CASE("MailSettings: --smtp is smtp://[USER@]HOST:PORT", "[sync][mail]")
{
    const auto ok = sync::MailSettings::fromUrl("smtp://kantor@mail.contoh.go.id:587");
    CHECK(ok.user == "kantor");
    CHECK(ok.host == "mail.contoh.go.id");
    CHECK(ok.port == 587);
    CHECK(sync::MailSettings::fromUrl("smtp://127.0.0.1:25").user.empty());
    for (const auto& [url, why] : std::vector<std::pair<std::string, std::string>>{
             {"mail.contoh.go.id:25", "the scheme is smtp://"},
             {"smtps://mail.contoh.go.id:465", "the scheme is smtp://"},
             {"smtp://mail.contoh.go.id", "no port"},
             {"smtp://mail.contoh.go.id:", "no port"},
             {"smtp://mail.contoh.go.id:2x5", "no port"},
             {"smtp://:25", "no host"},
             {"smtp://kantor:rahasia@mail.contoh.go.id:25",
              "the password goes in the environment variable BERKAS_SMTP_PASSWORD, not in the URL"},
             {"smtp://mail.contoh.go.id:25/inbox", "nothing after the port"},
             {"smtp://mail.contoh.go.id:0", "the port is a number from 1 to 65535"},
             {"smtp://mail.contoh.go.id:70000", "the port is a number from 1 to 65535"},
         })
    {
        CAPTURE(url);
        CHECK_THROWS_WITH(sync::MailSettings::fromUrl(url),
                          "smtp: must be smtp://[USER@]HOST:PORT (" + why + "), got \"" + url + "\"");
    }
    sync::MailSettings s = ok;
    s.from = "layanan@dpmptsp-contoh.go.id";
    s.officeName = "DPMPTSP Kota Contoh";
    s.password = "rahasia";
    CHECK(s.check() == "smtp-starttls: logging in to mail.contoh.go.id needs --smtp-starttls, so that the password "
                       "does not cross the network in clear");
    s.startTls = true;
    CHECK(s.check().empty());
    s.password.clear();
    CHECK(s.check() == "smtp: the user kantor needs the password in the environment variable BERKAS_SMTP_PASSWORD");
    s.password = "rahasia";
    s.from = "layanan@contoh";
    CHECK(s.check() == "mail-from: must have a domain with a dot after the @, like kantor.go.id, got \"layanan@contoh\"");
}

TEST_CASE("MailWorker: the wait between attempts doubles up to its bound", "[sync][mail]")
{
    sync::MailSettings s;
    s.retryFirstSeconds = 30;
    s.retryMaxSeconds = 3600;
    CHECK(sync::MailWorker::backoffMs(s, 1) == 30000);
    CHECK(sync::MailWorker::backoffMs(s, 2) == 60000);
    CHECK(sync::MailWorker::backoffMs(s, 5) == 480000);
    CHECK(sync::MailWorker::backoffMs(s, 8) == 3600000);
    CHECK(sync::MailWorker::backoffMs(s, 1000) == 3600000);
}
