#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "model/PhotoExif.h"
#include "tests/model/StoreTestSupport.h"
#include "tests/support/TestPhotos.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>

using namespace berkas;

namespace {

std::string slurpFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string randomBytesOf(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng() & 0xFF);
    return s;
}

std::string newTask(model::CaseStore& store)
{
    const std::string app = store.create("application", {{"service_code", "PBG"},
                                                         {"applicant_name", "Rini Hapsari"},
                                                         {"nik", "3275094107900001"},
                                                         {"channel", "phone"},
                                                         {"kecamatan", "32.75.09"}});
    return store.create("task", {{"application_id", app}, {"assigned_to", "budi"}, {"scheduled_for", "2021-05-10"}});
}

} // namespace

TEST_CASE("PhotoExif: coordinates and time are read from a photo the test makes", "[model][attachment][exif]")
{
    test::TempDir dir;
    const std::string photo = dir.file("site.jpg");

    SECTION("south and east in Jatiasih, with the camera's offset")
    {
        test::writeFile(photo, test::photoJpeg({-6.3015, 106.9512, "2026:12:03 09:41:05", "+07:00"}));
        const model::PhotoExif exif = model::readPhotoExif(photo, "+08:00");
        REQUIRE(exif.hasLocation());
        CHECK(*exif.latitude == Approx(-6.3015).margin(1e-5));
        CHECK(*exif.longitude == Approx(106.9512).margin(1e-5));
        CHECK(exif.takenAt == "2026-12-03T09:41:05+07:00");
        CHECK_FALSE(exif.broken);
        CHECK_FALSE(exif.outsideIndonesia);
    }
    SECTION("north of the equator (Medan); no camera offset takes the office's")
    {
        test::writeFile(photo, test::photoJpeg({3.5952, 98.6722, "2026:11:30 16:05:00", ""}));
        const model::PhotoExif exif = model::readPhotoExif(photo, "+07:00");
        REQUIRE(exif.hasLocation());
        CHECK(*exif.latitude == Approx(3.5952).margin(1e-5));
        CHECK(*exif.longitude == Approx(98.6722).margin(1e-5));
        CHECK(exif.takenAt == "2026-11-30T16:05:00+07:00");
    }
    SECTION("a position outside Indonesia (Paris) is not kept as a location")
    {
        test::writeFile(photo, test::photoJpeg({48.8584, 2.2945, "", ""}));
        const model::PhotoExif exif = model::readPhotoExif(photo, "+07:00");
        CHECK_FALSE(exif.hasLocation());
        CHECK(exif.outsideIndonesia);
        REQUIRE(exif.rawLatitude);
        CHECK(*exif.rawLatitude == Approx(48.8584).margin(1e-5));
    }
    SECTION("broken EXIF: nothing is read and it says so")
    {
        test::writeFile(photo, test::brokenExifJpeg());
        const model::PhotoExif exif = model::readPhotoExif(photo, "+07:00");
        CHECK(exif.broken);
        CHECK_FALSE(exif.hasLocation());
        CHECK(exif.takenAt.empty());
    }
    SECTION("a JPEG without EXIF is simply without a location")
    {
        test::writeFile(photo, test::plainJpeg());
        const model::PhotoExif exif = model::readPhotoExif(photo, "+07:00");
        CHECK_FALSE(exif.broken);
        CHECK_FALSE(exif.hasLocation());
    }
}

TEST_CASE("AttachmentFiles: attaching a photo keeps its EXIF fields on the record", "[model][attachment]")
{
    test::StoreFixture f;
    const std::string task = newTask(*f.store);
    const std::string photo = f.dir.file("tampak-depan.jpg");
    test::writeFile(photo, test::photoJpeg({-6.3015, 106.9512, "2021:05:07 08:15:00", "+07:00"}));

    const model::AttachResult r = model::attachFile(*f.store, task, photo, {0, true});
    const model::Record a = f.store->get(r.id);
    CHECK(a.value("mime") == "image/jpeg");
    CHECK(a.value("taken_at") == "2021-05-07T08:15:00+07:00");
    CHECK(std::stod(a.value("latitude")) == Approx(-6.3015).margin(1e-5));
    CHECK(std::stod(a.value("longitude")) == Approx(106.9512).margin(1e-5));
    CHECK(a.value("sha256") == model::sha256OfFile(photo));
    CHECK(a.value("size") == std::to_string(slurpFile(photo).size()));

    SECTION("a photo with broken EXIF is still attached, without a location")
    {
        const std::string broken = f.dir.file("rusak.jpg");
        test::writeFile(broken, test::brokenExifJpeg());
        const model::AttachResult b = model::attachFile(*f.store, task, broken, {0, true});
        CHECK(b.exif.broken);
        CHECK(f.store->get(b.id).value("latitude").empty());
        CHECK(model::readAttachment(*f.store, model::sha256OfFile(broken)) == slurpFile(broken));
    }
    SECTION("coordinates outside Indonesia are not kept")
    {
        const std::string paris = f.dir.file("paris.jpg");
        test::writeFile(paris, test::photoJpeg({48.8584, 2.2945, "", ""}));
        const model::AttachResult p = model::attachFile(*f.store, task, paris, {0, true});
        CHECK(p.exif.outsideIndonesia);
        CHECK(f.store->get(p.id).value("latitude").empty());
        CHECK(f.store->get(p.id).value("longitude").empty());
    }
}

TEST_CASE("AttachmentFiles: bad files are refused with nothing written", "[model][attachment]")
{
    test::StoreFixture f;
    const std::string task = newTask(*f.store);
    const auto attachmentCount = [&] { return test::countRows(f.store->database(), "attachment"); };

    SECTION("a file over the office's limit names the limit")
    {
        const std::string big = f.dir.file("denah.pdf");
        test::writeFile(big, "%PDF-1.4\n" + std::string(3'000'000, 'x'));
        CHECK_THROWS_WITH(model::attachFile(*f.store, task, big, {2'000'000, false}),
                          "denah.pdf: 3.0 MB is over the office's limit of 2.0 MB for one file");
        CHECK(attachmentCount() == 0);
        CHECK_FALSE(Poco::File(Poco::Path(f.dir.path).append("attachments").toString()).exists());
    }
    SECTION("a document where a photo is required is refused by its bytes, whatever its name")
    {
        const std::string fake = f.dir.file("foto-lokasi.jpg");
        test::writeFile(fake, "%PDF-1.4\nnot a photo");
        CHECK_THROWS_WITH(model::attachFile(*f.store, task, fake, {0, true}),
                          Catch::Contains("foto-lokasi.jpg: is not an image") &&
                              Catch::Contains("application/pdf"));
        CHECK(attachmentCount() == 0);
    }
    SECTION("an empty file")
    {
        const std::string empty = f.dir.file("kosong.pdf");
        test::writeFile(empty, "");
        CHECK_THROWS_WITH(model::attachFile(*f.store, task, empty), "kosong.pdf: the file is empty");
        CHECK(attachmentCount() == 0);
    }
}

TEST_CASE("AttachmentFiles: an encrypted file of several chunks is stored chunk by chunk and read back",
          "[model][attachment][keys]")
{
    test::TempDir dir;
    test::TempDir data;
    const std::string file = dir.file("rekaman.bin");
    const std::string bytes = randomBytesOf(model::kFileChunk * 3 + 12345, 17);
    test::writeFile(file, bytes);
    model::StoreOptions o;
    o.dataDir = data.path;
    o.dataKey = model::randomBytes(32);
    model::CaseStore store(o);
    const std::string task = newTask(store);
    const std::string id = model::addAttachment(store, task, file);
    const std::string sha = model::sha256OfFile(file);
    const std::string stored = slurpFile(model::attachmentPath(data.path, sha));
    CHECK(stored.size() == bytes.size() + 4 * 32); // one sealed block per chunk
    CHECK(stored.find(bytes.substr(100, 64)) == std::string::npos);

    model::AttachmentReader reader(data.path, o.dataKey, sha);
    CHECK(reader.size() == static_cast<std::int64_t>(bytes.size()));
    CHECK(reader.read(model::kFileChunk - 10, 20) == bytes.substr(model::kFileChunk - 10, 20));

    const std::string out = dir.file("keluar.bin");
    model::extractAttachment(store, id, out);
    CHECK(model::sha256OfFile(out) == sha);

    SECTION("a swapped pair of blocks is caught by the file's hash")
    {
        std::string swapped = stored;
        const std::size_t block = model::kFileChunk + 32;
        std::swap_ranges(swapped.begin(), swapped.begin() + static_cast<long>(block),
                         swapped.begin() + static_cast<long>(block));
        test::writeFile(model::attachmentPath(data.path, sha), swapped);
        CHECK_THROWS_WITH(model::extractAttachment(store, id, dir.file("x.bin")), Catch::Contains("SHA-256"));
        CHECK_FALSE(Poco::File(dir.file("x.bin")).exists());
    }
}

TEST_CASE("AttachmentWriter: a part file resumes at its last whole chunk and is checked whole",
          "[model][attachment]")
{
    test::TempDir data;
    const std::string bytes = randomBytesOf(model::kFileChunk * 2 + 777, 5);
    const std::string sha = [&] {
        test::TempDir d;
        test::writeFile(d.file("f"), bytes);
        return model::sha256OfFile(d.file("f"));
    }();
    for (const std::string& key : {std::string(), model::randomBytes(32)})
    {
        {
            model::AttachmentWriter w(data.path, key, sha);
            w.append(bytes.substr(0, model::kFileChunk));
        }
        // A crash in the middle of the second chunk's write.
        {
            std::ofstream(model::attachmentPath(data.path, sha) + ".part", std::ios::binary | std::ios::app)
                << bytes.substr(model::kFileChunk, 1000);
        }
        model::AttachmentWriter w(data.path, key, sha);
        CHECK(w.received() == static_cast<std::int64_t>(model::kFileChunk));
        w.append(bytes.substr(model::kFileChunk, model::kFileChunk));
        w.append(bytes.substr(2 * model::kFileChunk));
        w.finish();
        model::AttachmentReader r(data.path, key, sha);
        CHECK(r.read(0, bytes.size()) == bytes);
        Poco::File(model::attachmentPath(data.path, sha)).remove();

        SECTION("a wrong chunk fails the whole-file check and leaves nothing")
        {
            model::AttachmentWriter bad(data.path, key, sha);
            bad.append(std::string(model::kFileChunk, 'x'));
            CHECK_THROWS_AS(bad.finish(), Error);
            CHECK_FALSE(model::hasAttachmentFile(data.path, sha));
            CHECK(model::AttachmentWriter(data.path, key, sha).received() == 0);
        }
    }
}
