#include "model/Sha256.h"

#include "model/Error.h"

#include <openssl/evp.h>

namespace berkas::model {

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free)
{
    if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::Internal, "SHA-256 is not available");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t size)
{
    if (size > 0 && EVP_DigestUpdate(m_ctx.get(), data, size) != 1)
        throw Error(ErrorCode::Internal, "SHA-256 failed");
}

std::string Sha256::hex()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_ctx.get(), digest, &length) != 1 ||
        EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::Internal, "SHA-256 failed");
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i)
    {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0F];
    }
    return out;
}

std::string Sha256::of(const std::string& bytes)
{
    Sha256 h;
    h.update(bytes);
    return h.hex();
}

} // namespace berkas::model
