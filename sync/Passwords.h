#pragma once

#include <string>

namespace berkas::sync {

/// Salted slow password hashes: PBKDF2-HMAC-SHA256 (Poco::PBKDF2Engine). OWASP's
/// password storage cheat sheet (2023) asks for 600,000 iterations of
/// PBKDF2-HMAC-SHA256; that is the default. The hash records its own
/// iteration count, so raising the default later keeps old hashes valid.
class Passwords
{
public:
    static constexpr unsigned kDefaultIterations = 600000;

    /// "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" with a random 16-byte salt.
    static std::string hash(const std::string& password, unsigned iterations = kDefaultIterations);

    /// Constant-time comparison against a stored hash; false for malformed ones.
    static bool verify(const std::string& password, const std::string& stored);

    /// Empty when acceptable, else the rule it breaks ("password: must be at
    /// least 10 characters"). NIST SP 800-63B: length, not composition rules.
    static std::string policyProblem(const std::string& password, const std::string& userName);
};

} // namespace berkas::sync
