#pragma once

#include "model/Error.h"

#include <Poco/Net/HTTPResponse.h>

#include <cstddef>
#include <string>

namespace berkas::sync {

/// An answer other than 200, with the JSON error body of PROTOCOL.md.
struct HttpError
{
    Poco::Net::HTTPResponse::HTTPStatus status;
    std::string code;
    std::string message;
    int retryAfterSeconds = 0; ///< for 429: the Retry-After header
};

/// The HttpError a Berkas error answers as (422 for invalid data, 500 with a
/// general message for what the client cannot mend).
HttpError fromError(const Error& e);

/// Rejects what Poco's parser would accept but Berkas does not: nesting
/// deeper than @p maxDepth (a stack-exhaustion attack) and a key given twice
/// in one object (which value counts would be ambiguous). Strings are
/// skipped with their escapes; the parser judges everything else.
/// Throws HttpError (400, or 422 for a lone UTF-16 surrogate escape).
void prescanJson(const std::string& text, std::size_t maxDepth);

} // namespace berkas::sync
