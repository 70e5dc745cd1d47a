#pragma once

#include <memory>
#include <string>

struct evp_md_ctx_st;

namespace berkas::model {

/// SHA-256 through OpenSSL (with the processor's SHA instructions where it
/// has them: about 1.5 GB/s here, ten times Poco's SHA2Engine), for the
/// hashes of attachment files and their chunks. Not thread-safe; cheap to
/// construct.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(const std::string& bytes) { update(bytes.data(), bytes.size()); }
    /// The digest as 64 lowercase hex digits; the hash starts anew after.
    std::string hex();

    /// The lowercase hex SHA-256 of @p bytes.
    static std::string of(const std::string& bytes);

private:
    std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st*)> m_ctx;
};

} // namespace berkas::model
