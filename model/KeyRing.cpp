#include "model/KeyRing.h"

#include "model/DurableFile.h"

#include "model/Error.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

namespace berkas::model {

namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kSaltBytes = 16;
constexpr char kMagic[] = "BKS1";
constexpr std::size_t kMagicBytes = 4;
constexpr const char* kWrapContext = "berkas keyring v1 user=";

/// Overwrites a secret before its memory is freed.
struct Wipe
{
    std::string& secret;
    ~Wipe() { OPENSSL_cleanse(secret.data(), secret.size()); }
};

std::string base64(const std::string& bytes)
{
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string unbase64(const std::string& text)
{
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string out;
    Poco::StreamCopier::copyToString(decoder, out);
    return out;
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

/// AES-256-GCM encryption; returns ciphertext, fills @p tag.
std::string gcmEncrypt(const std::string& key, const std::string& nonce, const std::string& aad,
                       const std::string& plaintext, std::string& tag)
{
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    std::string out(plaintext.size(), '\0');
    int len = 0;
    int total = 0;
    tag.assign(kTagBytes, '\0');
    const auto* k = reinterpret_cast<const unsigned char*>(key.data());
    const auto* n = reinterpret_cast<const unsigned char*>(nonce.data());
    if (!ctx || key.size() != KeyRing::kKeyBytes ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, k, n) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                          reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) != 1)
        throw Error(ErrorCode::Internal, "encryption: AES-256-GCM is not available");
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + total, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1)
        throw Error(ErrorCode::Internal, "encryption: AES-256-GCM failed");
    out.resize(static_cast<std::size_t>(total + len));
    return out;
}

/// AES-256-GCM decryption; false when the tag does not verify.
bool gcmDecrypt(const std::string& key, const std::string& nonce, const std::string& aad,
                const std::string& ciphertext, const std::string& tag, std::string& plaintext)
{
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    plaintext.assign(ciphertext.size(), '\0');
    int len = 0;
    std::string tagCopy = tag;
    if (!ctx || key.size() != KeyRing::kKeyBytes || tag.size() != kTagBytes ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                           reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &len,
                          reinterpret_cast<const unsigned char*>(ciphertext.data()),
                          static_cast<int>(ciphertext.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tagCopy.data()) != 1)
        return false;
    const int total = len;
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + total, &len) != 1)
    {
        OPENSSL_cleanse(plaintext.data(), plaintext.size());
        plaintext.clear();
        return false;
    }
    plaintext.resize(static_cast<std::size_t>(total + len));
    return true;
}

std::string deriveKey(const std::string& password, const std::string& salt, unsigned iterations)
{
    std::string key(KeyRing::kKeyBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                          static_cast<int>(iterations), EVP_sha256(), static_cast<int>(key.size()),
                          reinterpret_cast<unsigned char*>(key.data())) != 1)
        throw Error(ErrorCode::Internal, "encryption: PBKDF2 failed");
    return key;
}

Poco::JSON::Object::Ptr readRing(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return nullptr;
    try
    {
        Poco::JSON::Parser parser;
        auto ring = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
        if (!ring || ring->optValue<int>("version", 0) != 1 || !ring->getObject("users"))
            throw Error(ErrorCode::Storage, "keys: " + file + " is not a Berkas key ring");
        return ring;
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "keys: cannot read " + file + ": " + e.displayText());
    }
}

void writeRing(const std::string& file, const Poco::JSON::Object::Ptr& ring)
{
    std::ostringstream text;
    ring->stringify(text, 1);
    // A crash leaves the old ring or the new one, never half of one.
    writeFileDurably(file, text.str(), "keys");
}

Poco::JSON::Object::Ptr wrap(const std::string& user, const std::string& password, const std::string& dataKey,
                             unsigned iterations)
{
    const std::string salt = randomBytes(kSaltBytes);
    const std::string nonce = randomBytes(kNonceBytes);
    std::string kek = deriveKey(password, salt, iterations);
    Wipe wipe{kek};
    std::string tag;
    const std::string wrapped = gcmEncrypt(kek, nonce, kWrapContext + user, dataKey, tag);
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("salt", base64(salt));
    entry->set("iterations", iterations);
    entry->set("nonce", base64(nonce));
    entry->set("wrapped_key", base64(wrapped));
    entry->set("tag", base64(tag));
    return entry;
}

} // namespace

KeyRing::KeyRing(std::string dataDir, unsigned iterations) : m_dataDir(std::move(dataDir)), m_iterations(iterations)
{
}

std::string KeyRing::path(const std::string& dataDir)
{
    Poco::Path p(dataDir);
    p.makeDirectory();
    p.setFileName("keys.json");
    return p.toString();
}

bool KeyRing::exists() const
{
    return Poco::File(path(m_dataDir)).exists();
}

std::vector<std::string> KeyRing::users() const
{
    std::vector<std::string> out;
    if (const auto ring = readRing(path(m_dataDir)))
        ring->getObject("users")->getNames(out);
    std::sort(out.begin(), out.end());
    return out;
}

std::string KeyRing::create(const std::string& user, const std::string& password)
{
    if (exists())
        throw Error(ErrorCode::Conflict, "keys: " + path(m_dataDir) + " already exists; unlock it instead");
    std::string dataKey = randomBytes(kKeyBytes);
    Poco::JSON::Object::Ptr ring = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    ring->set("version", 1);
    ring->set("kdf", "pbkdf2-hmac-sha256");
    ring->set("cipher", "aes-256-gcm");
    Poco::JSON::Object::Ptr users = new Poco::JSON::Object;
    users->set(user, wrap(user, password, dataKey, m_iterations));
    ring->set("users", users);
    ring->set("last_user", user);
    writeRing(path(m_dataDir), ring);
    return dataKey;
}

std::string KeyRing::lastUser() const
{
    const auto ring = readRing(path(m_dataDir));
    return ring ? ring->optValue<std::string>("last_user", "") : "";
}

void KeyRing::setLastUser(const std::string& user)
{
    auto ring = readRing(path(m_dataDir));
    if (!ring || !ring->getObject("users")->has(user) || ring->optValue<std::string>("last_user", "") == user)
        return;
    ring->set("last_user", user);
    writeRing(path(m_dataDir), ring);
}

std::string KeyRing::unlock(const std::string& user, const std::string& password) const
{
    const auto ring = readRing(path(m_dataDir));
    const auto entry = ring ? ring->getObject("users")->getObject(user) : nullptr;
    const std::string refused = "password: does not unlock the data on this laptop for user \"" + user + "\"";
    if (!entry)
        throw Error(ErrorCode::Unauthorized, refused);
    try
    {
        std::string kek = deriveKey(password, unbase64(entry->getValue<std::string>("salt")),
                                    entry->getValue<unsigned>("iterations"));
        Wipe wipe{kek};
        std::string dataKey;
        if (!gcmDecrypt(kek, unbase64(entry->getValue<std::string>("nonce")), kWrapContext + user,
                        unbase64(entry->getValue<std::string>("wrapped_key")),
                        unbase64(entry->getValue<std::string>("tag")), dataKey) ||
            dataKey.size() != kKeyBytes)
            throw Error(ErrorCode::Unauthorized, refused);
        return dataKey;
    }
    catch (const Poco::Exception& e)
    {
        throw Error(ErrorCode::Storage, "keys: the entry of \"" + user + "\" in " + path(m_dataDir) +
                                            " is damaged: " + e.displayText());
    }
}

void KeyRing::addUser(const std::string& user, const std::string& password, const std::string& dataKey)
{
    auto ring = readRing(path(m_dataDir));
    if (!ring)
        throw Error(ErrorCode::NotFound, "keys: " + path(m_dataDir) + " does not exist");
    ring->getObject("users")->set(user, wrap(user, password, dataKey, m_iterations));
    ring->set("last_user", user);
    writeRing(path(m_dataDir), ring);
}

void KeyRing::removeUser(const std::string& user)
{
    auto ring = readRing(path(m_dataDir));
    if (!ring)
        return;
    auto users = ring->getObject("users");
    users->remove(user);
    // Whose password unlocks by default must still be able to.
    if (ring->optValue<std::string>("last_user", "") == user)
    {
        if (users->size() > 0)
            ring->set("last_user", users->getNames().front());
        else
            ring->remove("last_user");
    }
    writeRing(path(m_dataDir), ring);
}

std::string randomBytes(std::size_t n)
{
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw Error(ErrorCode::Internal, "encryption: no random numbers available");
    return out;
}

std::string sealBytes(const std::string& key, const std::string& plaintext)
{
    const std::string nonce = randomBytes(kNonceBytes);
    std::string tag;
    const std::string magic(kMagic, kMagicBytes);
    const std::string body = gcmEncrypt(key, nonce, magic, plaintext, tag);
    return magic + nonce + body + tag;
}

std::string openSealedBytes(const std::string& key, const std::string& sealed)
{
    if (!looksSealed(sealed) || sealed.size() < kMagicBytes + kNonceBytes + kTagBytes)
        throw Error(ErrorCode::Storage, "attachment: not an encrypted Berkas file");
    const std::string nonce = sealed.substr(kMagicBytes, kNonceBytes);
    const std::size_t bodyBytes = sealed.size() - kMagicBytes - kNonceBytes - kTagBytes;
    std::string plaintext;
    if (!gcmDecrypt(key, nonce, std::string(kMagic, kMagicBytes), sealed.substr(kMagicBytes + kNonceBytes, bodyBytes),
                    sealed.substr(sealed.size() - kTagBytes), plaintext))
        throw Error(ErrorCode::Storage, "attachment: the encrypted file is damaged or belongs to another laptop");
    return plaintext;
}

bool looksSealed(const std::string& bytes)
{
    return bytes.compare(0, kMagicBytes, kMagic, kMagicBytes) == 0;
}

void wipeSecret(std::string& secret)
{
    OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

} // namespace berkas::model
