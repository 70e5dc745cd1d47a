// berkas attach and berkas extract, through the real berkas binary against a
// temporary data folder, with photos the test makes (tests/support/TestPhotos.h).

#include "model/AttachmentFiles.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"
#include "tests/support/TestPhotos.h"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <catch2/catch.hpp>

#ifndef BERKAS_BINARY
#error "BERKAS_BINARY must name the berkas executable under test"
#endif

using namespace berkas;

namespace {

struct Laptop
{
    test::TempDir dir{"attach-cli"};

    test::ProcessResult run(std::vector<std::string> args) const
    {
        args.insert(args.begin(), "--data=" + dir.file("data"));
        return test::runProcess(BERKAS_BINARY, args);
    }
    std::string ok(const std::vector<std::string>& args) const
    {
        const auto r = run(args);
        INFO(r.err);
        REQUIRE(r.code == 0);
        return Poco::trim(r.out);
    }
    Poco::JSON::Object::Ptr json(const std::string& id) const
    {
        return Poco::JSON::Parser().parse(ok({"get", id, "--json"})).extract<Poco::JSON::Object::Ptr>();
    }
    std::string newTask() const
    {
        const std::string app = ok({"new", "application", "service_code=PBG", "applicant_name=Rini Hapsari",
                                    "nik=3275094107900001", "channel=phone", "kecamatan=32.75.09"});
        return ok({"new", "task", "application_id=" + app, "assigned_to=budi", "scheduled_for=2026-12-10"});
    }
    int attachments() const
    {
        return static_cast<int>(Poco::JSON::Parser()
                                    .parse(ok({"list", "attachment", "--json"}))
                                    .extract<Poco::JSON::Array::Ptr>()
                                    ->size());
    }
};

} // namespace

TEST_CASE("berkas attach: a photo's EXIF location and time land on the record and are offered for the visit",
          "[desktop][cli][attachment]")
{
    Laptop laptop;
    const std::string task = laptop.newTask();
    const std::string photo = laptop.dir.file("tampak-depan.jpg");
    test::writeFile(photo, test::photoJpeg({-6.3015, 106.9512, "2026:12:03 09:41:05", "+07:00"}));

    const auto r = laptop.run({"attach", task, photo});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const std::string id = Poco::trim(r.out);
    CHECK(id.size() == 36);
    CHECK_THAT(r.err, Catch::Contains("latitude=-6.301500 longitude=106.951200"));
    const auto a = laptop.json(id);
    CHECK(a->getValue<std::string>("parent_id") == task);
    CHECK(a->getValue<std::string>("mime") == "image/jpeg");
    CHECK(a->getValue<std::string>("taken_at") == "2026-12-03T09:41:05+07:00");
    CHECK(a->getValue<double>("latitude") == Approx(-6.3015).margin(1e-6));
    CHECK(a->getValue<double>("longitude") == Approx(106.9512).margin(1e-6));
    CHECK(a->getValue<std::string>("sha256") == model::sha256OfFile(photo));
    CHECK(laptop.json(task)->get("latitude").isEmpty()); // offered, not written

    SECTION("extract writes the same bytes")
    {
        const std::string out = laptop.dir.file("keluar.jpg");
        laptop.ok({"extract", id, "--to=" + out});
        CHECK(model::sha256OfFile(out) == model::sha256OfFile(photo));
    }
    SECTION("the same photo attached twice is stored once")
    {
        laptop.ok({"attach", task, photo});
        int files = 0;
        for (const auto& sub : {"attachments"})
        {
            std::vector<std::string> dirs;
            Poco::File(laptop.dir.file("data") + "/" + sub).list(dirs);
            for (const auto& d : dirs)
            {
                std::vector<std::string> names;
                Poco::File(laptop.dir.file("data") + "/" + sub + "/" + d).list(names);
                files += static_cast<int>(names.size());
            }
        }
        CHECK(files == 1);
        CHECK(laptop.attachments() == 2);
    }
}

TEST_CASE("berkas attach: bad input gives one sentence, exit 1 and nothing written", "[desktop][cli][attachment]")
{
    Laptop laptop;
    const std::string task = laptop.newTask();

    SECTION("broken EXIF: attached, without a location, with a warning")
    {
        const std::string photo = laptop.dir.file("rusak.jpg");
        test::writeFile(photo, test::brokenExifJpeg());
        const auto r = laptop.run({"attach", task, photo});
        REQUIRE(r.code == 0);
        CHECK(r.err == "warning: rusak.jpg: its EXIF data cannot be read; attached without a location or time\n");
        CHECK(laptop.json(Poco::trim(r.out))->get("latitude").isEmpty());
    }
    SECTION("coordinates outside Indonesia: attached, the location not kept, a clear message")
    {
        const std::string photo = laptop.dir.file("paris.jpg");
        test::writeFile(photo, test::photoJpeg({48.8584, 2.2945, "", ""}));
        const auto r = laptop.run({"attach", task, photo});
        REQUIRE(r.code == 0);
        CHECK_THAT(r.err, Catch::Contains("48.858400, 2.294500 from paris.jpg is outside Indonesia"));
        CHECK(laptop.json(Poco::trim(r.out))->get("latitude").isEmpty());
    }
    SECTION("a file named as a photo that is not an image")
    {
        const std::string fake = laptop.dir.file("foto.jpg");
        test::writeFile(fake, "%PDF-1.4\nsurat pernyataan");
        const auto r = laptop.run({"attach", task, fake});
        CHECK(r.code == 1);
        CHECK(r.err == "foto.jpg: is not an image (a photo must be JPEG, PNG, GIF, WebP or HEIC by its contents; "
                       "these bytes are application/pdf)\n");
        CHECK(r.out.empty());
        CHECK(laptop.attachments() == 0);
    }
    SECTION("a record that does not exist")
    {
        const std::string doc = laptop.dir.file("surat.pdf");
        test::writeFile(doc, "%PDF-1.4\nsurat");
        const auto r = laptop.run({"attach", "01a23b0f-0000-7000-8000-000000000000", doc});
        CHECK(r.code == 1);
        CHECK(laptop.attachments() == 0);
    }
    SECTION("extract without --to, and of an unknown attachment")
    {
        CHECK(laptop.run({"extract", "x"}).code == 2);
        const auto r = laptop.run({"extract", "01a23b0f-0000-7000-8000-000000000000", "--to=" + laptop.dir.file("o")});
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Catch::Contains("no attachment with id"));
    }
}
