#include "sync/Passwords.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/PBKDF2Engine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace berkas::sync {

namespace {

/// SHA-256 with the constants HMACEngine expects of its digest.
class Sha256Engine : public Poco::SHA2Engine
{
public:
    enum
    {
        BLOCK_SIZE = 64,
        DIGEST_SIZE = 32
    };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

std::string derive(const std::string& password, const std::string& salt, unsigned iterations)
{
    Poco::PBKDF2Engine<Poco::HMACEngine<Sha256Engine>> engine(salt, iterations, 32);
    engine.update(password);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

} // namespace

std::string Passwords::hash(const std::string& password, unsigned iterations)
{
    std::string salt(16, '\0');
    Poco::RandomInputStream random;
    random.read(salt.data(), static_cast<std::streamsize>(salt.size()));
    const Poco::DigestEngine::Digest saltBytes(salt.begin(), salt.end());
    const std::string saltHex = Poco::DigestEngine::digestToHex(saltBytes);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + saltHex + "$" + derive(password, saltHex, iterations);
}

bool Passwords::verify(const std::string& password, const std::string& stored)
{
    const Poco::StringTokenizer parts(stored, "$");
    if (parts.count() != 4 || parts[0] != "pbkdf2-sha256")
        return false;
    unsigned long iterations = 0;
    try
    {
        iterations = std::stoul(parts[1]);
    }
    catch (const std::exception&)
    {
        return false;
    }
    if (iterations == 0 || iterations > 10000000)
        return false;
    const std::string actual = derive(password, parts[2], static_cast<unsigned>(iterations));
    const std::string& expected = parts[3];
    if (actual.size() != expected.size())
        return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < actual.size(); ++i)
        diff |= static_cast<unsigned char>(actual[i] ^ expected[i]);
    return diff == 0;
}

std::string Passwords::policyProblem(const std::string& password, const std::string& userName)
{
    if (password.size() < 10)
        return "password: must be at least 10 characters, got " + std::to_string(password.size());
    if (password.size() > 256)
        return "password: must be at most 256 characters";
    std::string lower = password;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string lowerUser = userName;
    std::transform(lowerUser.begin(), lowerUser.end(), lowerUser.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!lowerUser.empty() && lower.find(lowerUser) != std::string::npos)
        return "password: must not contain the user name";
    // NIST SP 800-63B 5.1.1.2: refuse passwords known to be common. A short
    // list of what people here pick first, not a full breach corpus.
    static const std::set<std::string> kCommon = {
        "1234567890", "12345678910", "0123456789", "1234554321", "1q2w3e4r5t", "qwertyuiop", "password123",
        "password1234", "passw0rd123", "iloveyou123", "katasandi123", "rahasia123", "indonesia123",
        "bismillah123", "bismillah1", "sayang12345", "admin12345", "administrator", "welcome123",
        "qwerty12345", "asdfghjkl1", "abc1234567", "berkas12345", "dpmptsp123", "dpmptsp2024", "dpmptsp2025",
        "dpmptsp2026", "merdeka1945", "jakarta123", "bekasi12345"};
    if (kCommon.count(lower))
        return "password: is too common; choose a longer phrase of your own";
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
        return "password: must not repeat one character";
    return {};
}

} // namespace berkas::sync
