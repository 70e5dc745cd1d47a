#pragma once

#include <stdexcept>
#include <string>

namespace berkas {

/// What went wrong, coarse enough for a caller to decide what to do next.
enum class ErrorCode
{
    NotFound,
    Conflict,
    InvalidData,
    Storage,
    Network,
    Unauthorized,
    Internal
};

/// The one exception type of Berkas. The message is a sentence a person can act
/// on ("nik: must be 16 digits, got 15"); foreign errors (sqlite3 codes,
/// Poco::Exception) are translated into it at the layer edge.
class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string& message)
        : std::runtime_error(message), m_code(code)
    {
    }

    ErrorCode code() const { return m_code; }

private:
    ErrorCode m_code;
};

} // namespace berkas
