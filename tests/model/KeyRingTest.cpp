#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "tests/model/StoreTestSupport.h"

#include <Poco/File.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace berkas;
using model::KeyRing;

namespace {

constexpr unsigned kFast = 1000; // PBKDF2 iterations in tests; production uses KeyRing::kIterations

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

unsigned iterationsOf(const std::string& dataDir, const std::string& user)
{
    std::ifstream in(KeyRing::path(dataDir));
    Poco::JSON::Parser parser;
    const auto ring = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
    return ring->getObject("users")->getObject(user)->getValue<unsigned>("iterations");
}

} // namespace

TEST_CASE("KeyRing: every enrolled user unlocks the same data key with their own password", "[model][keys]")
{
    test::TempDir dir;
    KeyRing ring(dir.path, kFast);
    REQUIRE_FALSE(ring.exists());
    const std::string key = ring.create("siti", "sandi-siti-1");
    CHECK(key.size() == KeyRing::kKeyBytes);
    ring.addUser("budi", "sandi-budi-2", key);

    CHECK(ring.users() == std::vector<std::string>{"budi", "siti"});
    CHECK(KeyRing(dir.path).unlock("siti", "sandi-siti-1") == key);
    CHECK(KeyRing(dir.path).unlock("budi", "sandi-budi-2") == key);

    SECTION("a wrong password, another user's password or an unknown user is refused in one sentence")
    {
        CHECK_THROWS_WITH(ring.unlock("siti", "salah"), "password: does not unlock the data on this laptop for user \"siti\"");
        CHECK_THROWS_AS(ring.unlock("siti", "sandi-budi-2"), Error);
        CHECK_THROWS_AS(ring.unlock("dewi", "sandi-siti-1"), Error);
        try
        {
            ring.unlock("siti", "salah");
        }
        catch (const Error& e)
        {
            CHECK(e.code() == ErrorCode::Unauthorized);
            CHECK(std::string(e.what()).find("salah") == std::string::npos);
        }
    }
    SECTION("keys.json holds neither the key nor a password, and a wrap cannot be moved to another user")
    {
        const std::string text = slurp(KeyRing::path(dir.path));
        CHECK(text.find("sandi-siti-1") == std::string::npos);
        CHECK(text.find(key) == std::string::npos);
        CHECK(iterationsOf(dir.path, "siti") == kFast);
        // Copy siti's entry over budi's: the user name is authenticated data.
        std::string moved = text;
        const auto sitiAt = moved.find("\"siti\"");
        const auto budiAt = moved.find("\"budi\"");
        REQUIRE(sitiAt != std::string::npos);
        REQUIRE(budiAt != std::string::npos);
        std::swap(moved[sitiAt + 1], moved[budiAt + 1]);
        std::swap(moved[sitiAt + 2], moved[budiAt + 2]);
        std::swap(moved[sitiAt + 3], moved[budiAt + 3]);
        std::swap(moved[sitiAt + 4], moved[budiAt + 4]);
        std::ofstream(KeyRing::path(dir.path), std::ios::trunc) << moved;
        CHECK_THROWS_AS(KeyRing(dir.path).unlock("siti", "sandi-budi-2"), Error);
        CHECK_THROWS_AS(KeyRing(dir.path).unlock("budi", "sandi-siti-1"), Error);
    }
    SECTION("a password change replaces only that user's wrap; a removed user no longer unlocks")
    {
        ring.addUser("siti", "sandi-baru-3", key);
        CHECK(ring.unlock("siti", "sandi-baru-3") == key);
        CHECK_THROWS_AS(ring.unlock("siti", "sandi-siti-1"), Error);
        ring.removeUser("budi");
        CHECK_THROWS_AS(ring.unlock("budi", "sandi-budi-2"), Error);
        CHECK(ring.unlock("siti", "sandi-baru-3") == key);
    }
    SECTION("a second create would orphan the data and is refused")
    {
        CHECK_THROWS_AS(ring.create("dewi", "sandi-dewi-4"), Error);
        CHECK(ring.unlock("siti", "sandi-siti-1") == key);
    }
}

TEST_CASE("KeyRing: new wraps use PBKDF2 with 600,000 iterations by default", "[model][keys]")
{
    test::TempDir dir;
    KeyRing ring(dir.path);
    const std::string key = ring.create("siti", "sandi-siti-1");
    CHECK(iterationsOf(dir.path, "siti") == 600000);
    CHECK(ring.unlock("siti", "sandi-siti-1") == key);
}

TEST_CASE("KeyRing: sealed bytes authenticate, and fail under another key or when changed", "[model][keys]")
{
    const std::string key = model::randomBytes(32);
    const std::string plain = "NIK 3275094107900001 Ani Lestari";
    const std::string sealed = model::sealBytes(key, plain);
    CHECK(model::looksSealed(sealed));
    CHECK(sealed.find("3275094107900001") == std::string::npos);
    CHECK(model::sealBytes(key, plain) != sealed); // a fresh nonce each time
    CHECK(model::openSealedBytes(key, sealed) == plain);
    CHECK_THROWS_AS(model::openSealedBytes(model::randomBytes(32), sealed), Error);
    std::string flipped = sealed;
    flipped[20] = static_cast<char>(flipped[20] ^ 1);
    CHECK_THROWS_AS(model::openSealedBytes(key, flipped), Error);
    CHECK_THROWS_AS(model::openSealedBytes(key, sealed.substr(0, 20)), Error);
    CHECK(model::openSealedBytes(key, model::sealBytes(key, "")).empty());
}

TEST_CASE("AttachmentFiles: with a data key, the stored copy is encrypted and named by the plaintext's SHA-256",
          "[model][keys][attachment]")
{
    test::TempDir dir;
    const std::string photo = dir.file("ktp-ani.jpg");
    std::ofstream(photo, std::ios::binary) << "JFIF... NIK 3275094107900001 Ani Lestari, Jl. Kenanga No. 3";
    const std::string sha = model::sha256OfFile(photo);
    test::TempDir data;
    model::StoreOptions o;
    o.dataDir = data.path;
    o.dataKey = model::randomBytes(32);
    std::string parent;
    {
        model::CaseStore store(o);
        parent = store.create("application", {{"service_code", "PBG"},
                                              {"applicant_name", "Ani Lestari"},
                                              {"nik", "3275094107900001"},
                                              {"channel", "phone"},
                                              {"kecamatan", "32.75.09"}});
        const std::string id = model::addAttachment(store, parent, photo);
        CHECK(store.get(id).value("sha256") == sha);
        const std::string stored = slurp(model::attachmentPath(data.path, sha));
        CHECK(model::looksSealed(stored));
        CHECK(stored.find("3275094107900001") == std::string::npos);
        CHECK(stored.find("Ani Lestari") == std::string::npos);
        CHECK(model::readAttachment(store, sha) == slurp(photo));
    }
    SECTION("another key cannot open the folder; without a key it is refused")
    {
        model::StoreOptions other = o;
        other.dataKey = model::randomBytes(32);
        CHECK_THROWS_AS(model::CaseStore(other), Error);
        other.dataKey.clear();
        CHECK_THROWS_WITH(model::CaseStore(other), Catch::Contains("unlock"));
    }
    SECTION("the stored copy does not open under another key")
    {
        CHECK_THROWS_AS(model::openSealedBytes(model::randomBytes(32), slurp(model::attachmentPath(data.path, sha))),
                        Error);
    }
}
