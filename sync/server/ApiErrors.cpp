#include "sync/server/ApiErrors.h"

#include <cctype>
#include <cstdlib>
#include <set>
#include <vector>

namespace berkas::sync {

using Poco::Net::HTTPResponse;

void prescanJson(const std::string& text, std::size_t maxDepth)
{
    struct Level
    {
        bool object;
        std::set<std::string> keys;
    };
    std::vector<Level> stack;
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '{' || c == '[')
        {
            if (stack.size() >= maxDepth)
                throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                                "body: nested deeper than " + std::to_string(maxDepth) + " levels"};
            stack.push_back({c == '{', {}});
        }
        else if ((c == '}' || c == ']') && !stack.empty())
            stack.pop_back();
        else if (c == '"')
        {
            const std::size_t start = ++i;
            while (i < text.size() && text[i] != '"')
            {
                if (text[i] == '\\' && i + 5 < text.size() && text[i + 1] == 'u')
                {
                    // A UTF-16 surrogate escape must come as a high-low pair.
                    const unsigned unit = static_cast<unsigned>(std::strtoul(text.substr(i + 2, 4).c_str(), nullptr, 16));
                    if (unit >= 0xD800 && unit <= 0xDFFF)
                    {
                        const bool pairs = unit <= 0xDBFF && i + 11 < text.size() && text[i + 6] == '\\' &&
                                           text[i + 7] == 'u';
                        const unsigned low =
                            pairs ? static_cast<unsigned>(std::strtoul(text.substr(i + 8, 4).c_str(), nullptr, 16)) : 0;
                        if (!pairs || low < 0xDC00 || low > 0xDFFF)
                            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data",
                                            "body: strings must be valid UTF-8 (a lone UTF-16 surrogate escape)"};
                        i += 12;
                        continue;
                    }
                    i += 6;
                    continue;
                }
                i += text[i] == '\\' ? 2 : 1;
            }
            if (i >= text.size())
                return; // unterminated: the parser says so
            std::size_t j = i + 1;
            while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])))
                ++j;
            if (j < text.size() && text[j] == ':' && !stack.empty() && stack.back().object &&
                !stack.back().keys.insert(text.substr(start, i - start)).second)
                throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                                "body: the key \"" + text.substr(start, std::min<std::size_t>(i - start, 40)) +
                                    "\" appears twice in one object"};
        }
    }
}

HttpError fromError(const Error& e)
{
    switch (e.code())
    {
    case ErrorCode::NotFound: return {HTTPResponse::HTTP_NOT_FOUND, "not_found", e.what()};
    case ErrorCode::Unauthorized: return {HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", e.what()};
    case ErrorCode::Conflict: return {HTTPResponse::HTTP_CONFLICT, "conflict", e.what()};
    case ErrorCode::InvalidData: return {HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "invalid_data", e.what()};
    default: return {HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal", "the server could not complete the request"};
    }
}

} // namespace berkas::sync
