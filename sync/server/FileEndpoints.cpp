#include "sync/server/FileEndpoints.h"

#include "sync/server/ApiErrors.h"
#include "sync/server/FileVault.h"
#include "sync/server/ServerStore.h"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <algorithm>
#include <cstring>
#include <istream>
#include <mutex>
#include <vector>

namespace berkas::sync {

namespace {

using Poco::Net::HTTPResponse;

std::string megabytes(std::int64_t bytes)
{
    return Poco::NumberFormatter::format(static_cast<double>(bytes) / 1e6, 1) + " MB";
}

std::int64_t queryNumber(const Poco::URI& uri, const std::string& name, bool required)
{
    for (const auto& [key, value] : uri.getQueryParameters())
    {
        if (key != name)
            continue;
        Poco::Int64 n = 0;
        if (!Poco::NumberParser::tryParse64(value, n) || n < 0)
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                            name + ": must be a whole number of bytes, 0 or more, got \"" + value + "\""};
        return n;
    }
    if (required)
        throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request", name + ": is required"};
    return -1;
}

/// A buffer for one chunk, taken from a small pool and given back after the
/// request: memory touched for the first time costs a page fault per 4 KiB,
/// so chunks reuse the memory of earlier ones. At most two buffers (16 MiB
/// with the default max_chunk) wait between requests; more are freed.
class ChunkBuffer
{
public:
    ChunkBuffer()
    {
        std::lock_guard<std::mutex> lock(poolLock());
        if (!pool().empty())
        {
            m_bytes = std::move(pool().back());
            pool().pop_back();
        }
    }
    ~ChunkBuffer()
    {
        std::lock_guard<std::mutex> lock(poolLock());
        if (pool().size() < 2)
            pool().push_back(std::move(m_bytes));
    }
    ChunkBuffer(const ChunkBuffer&) = delete;
    ChunkBuffer& operator=(const ChunkBuffer&) = delete;

    std::string& bytes() { return m_bytes; }

private:
    static std::mutex& poolLock()
    {
        static std::mutex m;
        return m;
    }
    static std::vector<std::string>& pool()
    {
        static std::vector<std::string> p;
        return p;
    }
    std::string m_bytes;
};

/// Reads a chunk's body, @p length bytes, into @p dest: the bytes the server
/// read with the header first, then straight from the socket (through TLS
/// when the server has it) in reads of up to 1 MiB. Poco's body stream
/// reads 4 KiB at a time, a system call and a copy each: a quarter of the
/// server's time on an upload. False when the body ends early or stalls
/// past the server's timeout. Bytes read with the header beyond the body
/// (a pipelined next request) cannot be put back, so the connection is
/// closed after the answer and the client sends that request again.
bool readBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, char* dest,
              std::size_t length)
{
    auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    Poco::Buffer<char> early(0);
    impl.session().drainBuffer(early);
    std::size_t got = std::min(early.size(), length);
    std::memcpy(dest, early.begin(), got);
    if (early.size() > length)
        response.setKeepAlive(false);
    try
    {
        while (got < length)
        {
            const int n = impl.socket().receiveBytes(dest + got, static_cast<int>(std::min<std::size_t>(length - got, 1 << 20)));
            if (n <= 0)
                return false;
            got += static_cast<std::size_t>(n);
        }
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
    return true;
}

Poco::JSON::Object::Ptr limits(const SyncServerOptions& options)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("max_file_size", options.maxFileSize);
    o->set("max_chunk", static_cast<Poco::Int64>(options.maxFileChunk));
    return o;
}

Poco::JSON::Object::Ptr stateOf(const std::string& sha, std::int64_t size, const FileVault::State& s)
{
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("sha256", sha);
    o->set("size", size);
    o->set("received", s.received);
    o->set("complete", s.complete);
    return o;
}

} // namespace

Poco::JSON::Object::Ptr answerFileRequest(ServerStore& store, const SyncServerOptions& options,
                                          const Principal& principal, Poco::Net::HTTPServerRequest& request,
                                          Poco::Net::HTTPServerResponse& response)
{
    // An answer's header and body are two writes: with Nagle's algorithm the
    // body's last segment would wait for the laptop's delayed
    // acknowledgement of the header, 40 ms a chunk.
    static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().setNoDelay(true);
    const Poco::URI uri(request.getURI());
    const std::string& method = request.getMethod();
    std::string rest = uri.getPath().substr(std::string("/v1/files").size());
    if ((rest.empty() || rest == "/") && method == "GET")
        return limits(options);
    rest = rest.substr(1);
    const bool data = rest.size() > 5 && rest.compare(rest.size() - 5, 5, "/data") == 0;
    const std::string sha = data ? rest.substr(0, rest.size() - 5) : rest;
    if (!FileVault::isSha256(sha))
        throw HttpError{HTTPResponse::HTTP_NOT_FOUND, "not_found", "no such endpoint: " + uri.getPath()};
    // Files of records outside the principal's scope do not exist for them.
    const auto size = store.readableFile(principal, sha);
    if (!size)
        throw HttpError{HTTPResponse::HTTP_NOT_FOUND, "not_found",
                        "file " + sha + ": no attachment of yours names it (push its record first)"};
    if (options.fileDir.empty())
        throw HttpError{HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "no_files",
                        "this server keeps no attachment files (berkas-server --file-dir)"};
    FileVault vault(options.fileDir);

    if (!data && method == "GET")
        return stateOf(sha, *size, vault.state(sha));

    if (!data && method == "PUT")
    {
        if (options.maxFileSize > 0 && *size > options.maxFileSize)
            throw HttpError{HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "file_too_large",
                            "size: " + megabytes(*size) + " is over the office's limit of " +
                                megabytes(options.maxFileSize) + " for one file"};
        const std::int64_t offset = queryNumber(uri, "offset", true);
        const std::string chunkSha = request.get("X-Berkas-Chunk-Sha256", "");
        if (!FileVault::isSha256(chunkSha))
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                            "X-Berkas-Chunk-Sha256: must be the chunk's SHA-256 in lowercase hex"};
        const std::streamsize length = request.getContentLength64();
        if (length <= 0 || static_cast<std::size_t>(length) > options.maxFileChunk)
            throw HttpError{HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "chunk_too_large",
                            "Content-Length: a chunk must have 1 to " + std::to_string(options.maxFileChunk) +
                                " bytes, got " + std::to_string(length)};
        ChunkBuffer buffer;
        std::string& bytes = buffer.bytes();
        bytes.resize(static_cast<std::size_t>(length));
        if (!readBody(request, response, bytes.data(), bytes.size()))
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request", "the chunk ended before its Content-Length"};
        switch (vault.write(sha, *size, offset, bytes, chunkSha))
        {
        case FileVault::Written::ChunkCorrupt:
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "chunk_corrupt",
                            "the chunk at offset " + std::to_string(offset) +
                                " does not match its X-Berkas-Chunk-Sha256; send it again"};
        case FileVault::Written::FileCorrupt:
            throw HttpError{HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "file_corrupt",
                            "file " + sha + ": the bytes received do not match its SHA-256; send it again from 0"};
        case FileVault::Written::OffsetMismatch:
            throw HttpError{HTTPResponse::HTTP_CONFLICT, "offset_mismatch",
                            "offset: the central office holds " + std::to_string(vault.state(sha).received) +
                                " bytes of this file; ask GET /v1/files/" + sha + " and go on from there"};
        default:
            return stateOf(sha, *size, vault.state(sha));
        }
    }

    if (data && method == "GET")
    {
        const FileVault::State s = vault.state(sha);
        if (!s.complete)
            throw HttpError{HTTPResponse::HTTP_NOT_FOUND, "not_arrived",
                            "file " + sha + " has not reached the central office yet"};
        const std::int64_t offset = queryNumber(uri, "offset", true);
        std::int64_t length = queryNumber(uri, "length", false);
        if (length < 0 || length > static_cast<std::int64_t>(options.maxFileChunk))
            length = static_cast<std::int64_t>(options.maxFileChunk);
        if (offset > s.received)
            throw HttpError{HTTPResponse::HTTP_BAD_REQUEST, "bad_request",
                            "offset: must be at most the file's size " + std::to_string(s.received)};
        length = std::min(length, s.received - offset);
        ChunkBuffer buffer;
        const std::string& bytes = buffer.bytes();
        vault.read(sha, offset, static_cast<std::size_t>(length), buffer.bytes());
        // The whole file in one answer (a photo): its SHA-256 is its name,
        // checked when it completed here, so it is not hashed again.
        const bool whole = offset == 0 && static_cast<std::int64_t>(bytes.size()) == s.received;
        response.setStatusAndReason(HTTPResponse::HTTP_OK);
        response.setContentType("application/octet-stream");
        response.set("X-Berkas-Chunk-Sha256", whole ? sha : FileVault::sha256Of(bytes));
        response.set("X-Berkas-Server-Time", std::to_string(store.nowMs()));
        response.setContentLength64(static_cast<Poco::Int64>(bytes.size()));
        response.send().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return nullptr;
    }
    throw HttpError{HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                    method + " is not an action on " + uri.getPath()};
}

} // namespace berkas::sync
