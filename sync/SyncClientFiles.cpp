// The file half of SyncClient (sync/PROTOCOL.md, "Files"): attachment files
// up and down in chunks, after the records.

#include "sync/SyncClient.h"

#include "model/AttachmentFiles.h"
#include "model/Database.h"
#include "model/Error.h"
#include "model/KeyRing.h"
#include "model/Sha256.h"
#include "sync/Protocol.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/NumberParser.h>
#include <Poco/Thread.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>

namespace berkas::sync {

namespace {

std::string sha256Of(const std::string& bytes)
{
    return model::Sha256::of(bytes);
}

/// Overwrites all of @p buffer's memory (a chunk of an attachment's
/// plaintext, or an earlier, longer one beyond its end) and gives it back.
void wipeBuffer(std::string& buffer)
{
    buffer.resize(buffer.capacity());
    model::wipeSecret(buffer);
    std::string().swap(buffer);
}

/// A chunk damaged on the way is sent or fetched again this many times.
constexpr int kChunkRetries = 5;

struct FileState
{
    std::int64_t size = 0;
    std::int64_t received = 0;
    bool complete = false;
};

FileState stateOf(const std::string& body)
{
    const auto o = parseObject(body);
    return {o->getValue<Poco::Int64>("size"), o->getValue<Poco::Int64>("received"), o->getValue<bool>("complete")};
}

/// @p part ("code" or "message") of an error answer's body; empty when it has none.
std::string errorPart(const std::string& body, const std::string& part)
{
    try
    {
        const auto o = parseObject(body);
        if (const auto e = o->getObject("error"))
            return e->optValue<std::string>(part, "");
    }
    catch (const Error&)
    {
    }
    return {};
}

} // namespace

SyncClient::FileLane::~FileLane()
{
    wipeBuffer(chunk);
    wipeBuffer(answer.body);
}

void SyncClient::fileRequest(FileLane& lane, const std::string& method, const std::string& path,
                             const std::string& body, const std::string& chunkSha256)
{
    if (m_options.beforeRequest)
        m_options.beforeRequest(path);
    if (!lane.session)
        lane.session = newSession(storedSetting("server_url"));
    auto& s = *lane.session;
    FileAnswer& answer = lane.answer;
    // A request's header and body go out in two writes before the answer is
    // read: with Nagle's algorithm the body's last segment would wait for
    // the delayed acknowledgement of the header, 40 ms a chunk.
    if (s.connected())
        s.socket().setNoDelay(true);
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    request.set("Authorization", "Bearer " + storedSetting("token"));
    if (!chunkSha256.empty())
        request.set("X-Berkas-Chunk-Sha256", chunkSha256);
    if (!body.empty())
        request.setContentType("application/octet-stream");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostream& out = s.sendRequest(request);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse response;
    std::istream& in = s.receiveResponse(response);
    answer.status = response.getStatus();
    answer.chunkSha256 = response.get("X-Berkas-Chunk-Sha256", "");
    // A chunk is at most the server's max_chunk; answers beyond 16 MiB are not ours.
    constexpr Poco::Int64 kLargestAnswer = 16 * 1024 * 1024;
    if (response.hasContentLength() && response.getContentLength64() <= kLargestAnswer)
    {
        // Read in place, not grown through copies.
        answer.body.resize(static_cast<std::size_t>(response.getContentLength64()));
        in.read(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
        if (in.gcount() != static_cast<std::streamsize>(answer.body.size()))
            throw Poco::Net::NetException("the answer ended before its Content-Length");
    }
    else
    {
        answer.body = readAll(in, kLargestAnswer);
        if (response.hasContentLength() && static_cast<Poco::Int64>(answer.body.size()) != response.getContentLength64())
            throw Poco::Net::NetException("the answer ended before its Content-Length");
    }
    if (m_options.afterAnswer)
        m_options.afterAnswer(path);
    noteServerTime(response);
}

const SyncClient::FileAnswer& SyncClient::fileCall(FileLane& lane, const std::string& method,
                                                   const std::string& path, SyncObserver* observer,
                                                   const std::string& body, const std::string& chunkSha256)
{
    std::string lastProblem;
    for (int attempt = 0; attempt < m_options.maxAttempts; ++attempt)
    {
        if (attempt > 0)
            waitBeforeRetry(attempt, observer);
        try
        {
            fileRequest(lane, method, path, body, chunkSha256);
            const FileAnswer& a = lane.answer;
            if (a.status == 429 || a.status >= 500)
            {
                lastProblem = "HTTP " + std::to_string(a.status);
                lane.session.reset();
                continue;
            }
            if (a.status == 401 || a.status == 403)
                throw Error(ErrorCode::Unauthorized, errorPart(a.body, "message"));
            return a;
        }
        catch (const Poco::Exception& e)
        {
            // Dropped, reset, timed out: the caller asks where the file
            // stands and goes on from there.
            lastProblem = e.displayText();
            lane.session.reset();
        }
    }
    throw Error(ErrorCode::Network, "cannot reach the central office (" + lastProblem + ")");
}

SyncClient::Upload SyncClient::uploadFile(FileLane& lane, const std::string& sha, SyncObserver* observer)
{
    const std::string path = "/v1/files/" + sha;
    model::AttachmentReader reader(model::dataDirOf(m_store), m_store.dataKey(), sha);
    const FileAnswer& a = fileCall(lane, "GET", path, observer); // each fileCall() below answers in it
    if (a.status != 200)
        return Upload::Waiting; // its record has not reached the server (refused, or outside the scope)
    FileState state = stateOf(a.body);
    const bool there = state.complete;
    int corrupt = 0;
    int resets = 0;
    while (!state.complete)
    {
        if (observer && observer->cancelled())
            return Upload::Waiting;
        std::string& chunk = lane.chunk;
        reader.read(state.received, m_options.fileChunk, chunk);
        if (chunk.empty())
            return Upload::Waiting; // the server expects more than this file has
        // A file in one chunk (a photo) is its own chunk: its SHA-256 is its
        // name, checked when it was stored here; the server checks the bytes.
        const bool oneChunk = state.received == 0 && static_cast<std::int64_t>(chunk.size()) == state.size;
        const std::string chunkSha = oneChunk ? sha : sha256Of(chunk);
        if (m_options.onFileChunk)
            m_options.onFileChunk(true, state.received, chunk);
        try
        {
            fileCall(lane, "PUT", path + "?offset=" + std::to_string(state.received), observer, chunk, chunkSha);
        }
        catch (const Error& e)
        {
            if (e.code() != ErrorCode::Network)
                throw;
            return Upload::Waiting;
        }
        const std::string code = a.status == 200 ? std::string() : errorPart(a.body, "code");
        if (a.status == 200)
        {
            state = stateOf(a.body);
            corrupt = 0;
            continue;
        }
        if (code == "chunk_corrupt" && ++corrupt <= kChunkRetries)
            continue; // damaged on the way: the same chunk again
        if ((code == "offset_mismatch" || code == "file_corrupt") && ++resets <= kChunkRetries)
        {
            // A retried chunk that had arrived after all, or a file that
            // did not match as a whole: ask where it stands.
            fileCall(lane, "GET", path, observer);
            if (a.status != 200)
                return Upload::Waiting;
            state = stateOf(a.body);
            continue;
        }
        return Upload::Waiting; // too large for the office, or keeps arriving damaged
    }
    return there ? Upload::AlreadyThere : Upload::Sent;
}

bool SyncClient::downloadFile(FileLane& lane, const std::string& sha, SyncObserver* observer)
{
    const std::string path = "/v1/files/" + sha;
    FileAnswer& a = lane.answer; // each fileCall() answers in it
    fileCall(lane, "GET", path, observer);
    if (a.status != 200)
        return false;
    const FileState state = stateOf(a.body);
    if (!state.complete)
        return false; // still on its way from the laptop that attached it
    model::AttachmentWriter writer(model::dataDirOf(m_store), m_store.dataKey(), sha);
    if (writer.received() > state.size)
        writer.discard();
    int corrupt = 0;
    int fromStart = 0;
    for (;;)
    {
        bool oneAnswer = false;
        while (writer.received() < state.size)
        {
            if (observer && observer->cancelled())
                return false;
            const std::int64_t offset = writer.received();
            try
            {
                fileCall(lane, "GET",
                         path + "/data?offset=" + std::to_string(offset) +
                             "&length=" + std::to_string(m_options.fileChunk),
                         observer);
            }
            catch (const Error& e)
            {
                if (e.code() != ErrorCode::Network)
                    throw;
                return false; // the part file keeps what came; the next sync goes on
            }
            if (a.status != 200)
                return false;
            if (m_options.onFileChunk)
                m_options.onFileChunk(false, offset, a.body);
            const bool fits = offset + static_cast<std::int64_t>(a.body.size()) <= state.size;
            // The whole file in one answer (a photo): its chunk hash is its
            // name, and the writer's check of the whole file checks the bytes
            // (one pass over them, not two).
            oneAnswer = offset == 0 && static_cast<std::int64_t>(a.body.size()) == state.size;
            const bool matches = oneAnswer ? a.chunkSha256 == sha : sha256Of(a.body) == a.chunkSha256;
            if (a.body.empty() || !fits || !matches)
            {
                if (++corrupt > kChunkRetries)
                    return false;
                continue; // damaged on the way: fetch it again
            }
            if (!oneAnswer)
                corrupt = 0;
            // Stored a model::kFileChunk at a time: a restart resumes at the last whole one.
            for (std::size_t at = 0; at < a.body.size(); at += model::kFileChunk)
                writer.append(a.body.substr(at, model::kFileChunk));
        }
        try
        {
            writer.finish();
            return true;
        }
        catch (const Error& e)
        {
            if (e.code() != ErrorCode::InvalidData)
                throw;
            // A file fetched in one answer and damaged on the way: fetched
            // again like a damaged chunk. Every chunk matched its own hash
            // yet the whole does not (a part file damaged on disk): fetched
            // once more from the start.
            if (oneAnswer ? ++corrupt > kChunkRetries : ++fromStart > 1)
                return false;
        }
    }
}

void SyncClient::transferFiles(SyncSummary& summary, SyncObserver* observer)
{
    const std::string dataDir = model::dataDirOf(m_store);
    std::vector<std::string> toSend;
    std::vector<std::string> toFetch;
    {
        model::Statement st(m_store.database(),
                            "SELECT DISTINCT a.sha256, u.sha256 IS NOT NULL FROM attachment a "
                            "LEFT JOIN file_uploaded u ON u.sha256 = a.sha256 "
                            "WHERE a.deleted = 0 AND a.sha256 IS NOT NULL ORDER BY a.created_at");
        while (st.step())
        {
            const std::string sha = st.text(0);
            if (!model::hasAttachmentFile(dataDir, sha))
                toFetch.push_back(sha);
            else if (st.integer(1) == 0)
                toSend.push_back(sha);
        }
    }
    if (toSend.empty() && toFetch.empty())
        return;
    // Two connections, the second on a thread of its own, each with the
    // buffers its chunks reuse (wiped when the files end, however they end).
    // The first takes over the records' connection: a laptop holds at most
    // two of the server's threads (a kept-alive connection holds one).
    FileLane lanes[2];
    lanes[0].session = std::move(m_session);
    // The office's limits, kept for `berkas attach` and the window.
    try
    {
        const FileAnswer& limits = fileCall(lanes[0], "GET", "/v1/files", observer);
        if (limits.status != 200)
        {
            summary.filesWaiting += static_cast<std::int64_t>(toSend.size() + toFetch.size());
            return; // a server without files
        }
        const auto o = parseObject(limits.body);
        m_store.setSetting("max_file_size", std::to_string(o->getValue<Poco::Int64>("max_file_size")));
        const auto maxChunk = static_cast<std::size_t>(o->getValue<Poco::Int64>("max_chunk"));
        m_options.fileChunk = std::max(model::kFileChunk, std::min(m_options.fileChunk, maxChunk) /
                                                              model::kFileChunk * model::kFileChunk);
    }
    catch (const Error& e)
    {
        if (e.code() == ErrorCode::Unauthorized)
            throw;
        summary.filesWaiting += static_cast<std::int64_t>(toSend.size() + toFetch.size());
        return;
    }
    const std::int64_t total = static_cast<std::int64_t>(toSend.size() + toFetch.size());
    // Files found complete at the office are noted in one transaction when
    // the uploads end, however they end (one commit a file would cost a
    // disk flush each); a note lost to a crash only means one more question.
    struct NoteUploaded
    {
        model::CaseStore& store;
        std::vector<std::string> shas;
        ~NoteUploaded()
        {
            try
            {
                model::Transaction tx(store.database());
                model::Statement st(store.database(), "INSERT OR REPLACE INTO file_uploaded(sha256, at) VALUES (?, ?)");
                const std::string now = store.nowIso();
                for (const auto& sha : shas)
                {
                    st.bind(1, sha).bind(2, now).run();
                    st.reset();
                }
                tx.commit();
            }
            catch (const Error&)
            {
            }
        }
    } uploaded{m_store, {}};

    // Two files move at once, one on each connection: while the office
    // checks and writes one chunk, the next is on its way, and this laptop
    // reads and decrypts (or checks, encrypts and writes) another, so the
    // work of both ends and of the network overlaps. Uploads are taken
    // first, then downloads, from one list. The second thread does not touch
    // the store: the settings it needs are read before, and the server time
    // it sees is folded in after.
    std::vector<Upload> sent(toSend.size(), Upload::Waiting);
    std::vector<char> fetched(toFetch.size(), 0);
    std::atomic<std::size_t> next{0};
    std::atomic<std::int64_t> done{0};
    const std::size_t count = toSend.size() + toFetch.size();
    const auto work = [&](FileLane& lane, bool reports) {
        for (std::size_t i = next++; i < count; i = next++)
        {
            if (i < toSend.size())
                sent[i] = uploadFile(lane, toSend[i], observer);
            else
                fetched[i - toSend.size()] = downloadFile(lane, toFetch[i - toSend.size()], observer) ? 1 : 0;
            const std::int64_t d = ++done;
            if (reports && observer)
                observer->progress({"files", d, total});
        }
    };
    m_detached = Detached{m_store.setting("server_url"), m_store.setting("token"), m_store.setting("server_epoch")};
    m_serverTimeSeen = 0;
    std::exception_ptr failed;
    {
        std::future<void> second;
        if (count > 1)
            second = std::async(std::launch::async, [&] { work(lanes[1], false); });
        try
        {
            work(lanes[0], true);
        }
        catch (...)
        {
            failed = std::current_exception();
            next = count; // the other connection stops after its file
        }
        if (second.valid())
        {
            try
            {
                second.get();
            }
            catch (...)
            {
                if (!failed)
                    failed = std::current_exception();
            }
        }
    }
    m_detached.reset();
    foldServerTime();
    for (std::size_t i = 0; i < toSend.size(); ++i)
    {
        if (sent[i] == Upload::Sent)
            ++summary.filesSent;
        else if (sent[i] == Upload::Waiting)
            ++summary.filesWaiting;
        if (sent[i] != Upload::Waiting)
            uploaded.shas.push_back(toSend[i]);
    }
    for (const char f : fetched)
        f ? ++summary.filesFetched : ++summary.filesWaiting;
    if (failed)
        std::rethrow_exception(failed);
    if (observer)
        observer->progress({"files", done, total}); // the second connection may have ended last
}

} // namespace berkas::sync
