#pragma once

#include "model/CaseStore.h"
#include "sync/Protocol.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <atomic>
#include <functional>
#include <optional>
#include <memory>
#include <string>

namespace Poco::Net {
class HTTPClientSession;
class HTTPResponse;
}

namespace berkas::sync {

/// Where a sync is, for a progress bar.
struct SyncProgress
{
    std::string phase; ///< "push" or "pull"
    std::int64_t done = 0;
    std::int64_t total = -1; ///< -1 when unknown (pull)
};

/// What the window (or a test) hears from a running sync. Called on the
/// syncing thread; implementations post to their own thread. No wx types.
class SyncObserver
{
public:
    virtual ~SyncObserver() = default;
    virtual void progress(const SyncProgress&) {}
    /// Polled between batches and retries; true stops the sync cleanly
    /// (everything committed so far stays committed).
    virtual bool cancelled() { return false; }
};

/// The outcome of one sync.
struct SyncSummary
{
    std::int64_t pushed = 0;
    std::int64_t pulled = 0;
    std::int64_t conflicts = 0; ///< open conflicts on this laptop after the sync
    std::int64_t refused = 0;   ///< changes of this sync the central office refused (see `berkas conflicts`)
    std::int64_t renumbered = 0; ///< changes sent again under new ids (a laptop restored from a copy)
    std::int64_t replayed = 0;   ///< values sent back to a central office restored from a backup
    std::int64_t cursor = 0;
    bool cancelled = false;
    /// Attachment files (after the records, sync/PROTOCOL.md "Files"):
    std::int64_t filesSent = 0;    ///< uploaded whole in this sync
    std::int64_t filesFetched = 0; ///< downloaded whole in this sync
    std::int64_t filesWaiting = 0; ///< still on their way (either way), for the next sync
};

struct SyncClientOptions
{
    std::size_t pushBatch = 1000;
    std::size_t pullBatch = 50000;
    int maxAttempts = 5;
    int baseDelayMs = 250;      ///< first retry delay; doubles, with jitter
    int timeoutSeconds = 30;
    std::string caFile;         ///< trust only this CA (PEM) instead of the system store; kept at enroll
    /// Test hook: called before every HTTP request with its path; throwing
    /// from it simulates a dropped connection.
    std::function<void(const std::string& path)> beforeRequest;
    /// Test hook: called after the server answered, before the answer is
    /// used; throwing from it simulates a response lost on the way back.
    std::function<void(const std::string& path)> afterAnswer;
    /// Test hook: sees (and may damage) every chunk of a file before it is
    /// sent (@p upload) or after it arrived, before it is checked. The three
    /// hooks are called from both threads of the file transfers (two files
    /// move at once), never for one file from two.
    std::function<void(bool upload, std::int64_t offset, std::string& bytes)> onFileChunk;
    /// Bytes of a file per request, up and down (at most the server's
    /// max_chunk); a multiple of model::kFileChunk.
    std::size_t fileChunk = 8 * 1024 * 1024;
    /// PBKDF2 iterations of the offline unlock hash (tests lower it).
    unsigned unlockIterations = 600000;
};

/// The push body for outbox entries of @p store (used by the client and to
/// measure bytes on the wire).
Poco::JSON::Object::Ptr pushBody(model::CaseStore& store, const std::vector<model::OutboxEntry>& entries);

/// The laptop's side of sync/PROTOCOL.md: enroll, log in, then push the
/// outbox and pull after the cursor, in batches. Each pulled batch is applied
/// and the cursor moved in one local transaction, so a crash at any point
/// loses nothing and the next sync carries on. Connection errors, 429 and 5xx
/// are retried with exponential backoff and jitter. One SyncClient per
/// thread, over that thread's CaseStore.
class SyncClient
{
public:
    explicit SyncClient(model::CaseStore& store, SyncClientOptions options = {});
    ~SyncClient();

    /// Registers this laptop with the server as @p user and stores the server
    /// address, the token and a slow hash of the password for offline unlock
    /// (never the password itself). Throws Error(Unauthorized) on a wrong
    /// password, Error(Network) when unreachable.
    void enroll(const std::string& serverUrl, const std::string& user, const std::string& password);

    /// Logs in again. Returns false when the server could not be reached and
    /// the password matched the offline unlock hash (working offline); throws
    /// Error(Unauthorized) when the password is wrong either way.
    bool login(const std::string& user, const std::string& password);

    /// Push then pull; first, when the central office was restored from a
    /// backup since the last sync (its epoch changed), sends back every value
    /// this laptop holds and pulls again from the start. Throws Error(Network) when the server stays
    /// unreachable, Error(Unauthorized) when the token is refused (log in
    /// again), Error(InvalidData) when the server refuses a batch.
    SyncSummary sync(SyncObserver* observer = nullptr);

    bool enrolled();

    /// The file half of a sync, after the records (sync() calls it): sends
    /// the files of this laptop's attachments that the central office lacks
    /// and fetches those of attachment records whose bytes are not here, in
    /// chunks, each checked by SHA-256 and the whole file too, two files at
    /// once over two connections (the second on a thread of its own that
    /// does not touch the store); an upload or download cut off goes on
    /// where it stopped, at the next try or the next sync. Stores the
    /// office's limit as setting "max_file_size". Never throws for one file:
    /// what could not move is counted in filesWaiting. Throws
    /// Error(Unauthorized) like sync().
    void transferFiles(SyncSummary& summary, SyncObserver* observer = nullptr);

    /// True when this laptop was enrolled with an http:// address: its
    /// traffic (token, NIKs, addresses) is not encrypted in transit.
    bool plainHttp();
    /// plainHttp() to a host other than the loopback: worth a warning.
    bool plainHttpOverNetwork();

private:
    SyncSummary syncOnce(SyncObserver* observer);
    /// One request of the file endpoints: raw bytes up and down, the
    /// status, the answer's X-Berkas-Chunk-Sha256. Poco exceptions pass.
    struct FileAnswer
    {
        int status = 0;
        std::string body;
        std::string chunkSha256;
    };
    /// One connection of the file transfers, on one thread, with the last
    /// answer and the chunk being sent: their memory is reused from one
    /// chunk and one file to the next (memory touched for the first time
    /// costs a page fault per 4 KiB), and wiped when the files end.
    struct FileLane
    {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        FileAnswer answer;
        std::string chunk;
        ~FileLane();
    };
    void fileRequest(FileLane& lane, const std::string& method, const std::string& path, const std::string& body,
                     const std::string& chunkSha256);
    /// A file request retried across dropped connections (with backoff);
    /// throws Error(Network) when the server stays unreachable. The answer
    /// is the lane's, valid until its next request.
    const FileAnswer& fileCall(FileLane& lane, const std::string& method, const std::string& path,
                               SyncObserver* observer, const std::string& body = "",
                               const std::string& chunkSha256 = "");
    /// Where one file ends up after uploadFile().
    enum class Upload
    {
        Sent,         ///< complete at the central office, sent (at least in part) by this call
        AlreadyThere, ///< the central office had it whole: nothing sent
        Waiting,      ///< not complete there yet (cut off, refused, too large)
    };
    Upload uploadFile(FileLane& lane, const std::string& sha256, SyncObserver* observer);
    /// True when the file is complete here afterwards.
    bool downloadFile(FileLane& lane, const std::string& sha256, SyncObserver* observer);
    /// After push and pull: tells the server which granted slots this
    /// device stopped using and stores the grants it answers
    /// (sync/PROTOCOL.md, "Escrow"). A server without escrow (404) is fine.
    void exchangeEscrow(SyncObserver* observer);
    /// Sends every value this laptop holds, with its stamp, to a central
    /// office restored from a backup (POST /v1/replay), then takes its new
    /// epoch and sets the pull cursor to 0. Returns how many values it sent.
    std::int64_t replayHeld(SyncObserver* observer);
    /// Stores @p epoch as the central office's when none is stored yet.
    void adoptEpoch(const std::string& epoch);
    Poco::JSON::Object::Ptr call(const std::string& method, const std::string& path,
                                 const Poco::JSON::Object::Ptr& body, bool authenticated, SyncObserver* observer);
    /// One request; the answer's text (gunzipped) and status. Folds the
    /// server's clock in from the X-Berkas-Server-Time header.
    std::string callOnce(const std::string& method, const std::string& path, const std::string& body,
                         bool authenticated, int& status);
    /// Waits before retry @p attempt (1, 2, ...): exponential backoff with
    /// full jitter, in steps of 50 ms that stop when @p observer cancels
    /// (Error(Network) "sync cancelled").
    void waitBeforeRetry(int attempt, SyncObserver* observer) const;
    /// With retries; the text of a 200 answer. Other answers throw.
    std::string callText(const std::string& method, const std::string& path, const std::string& body,
                         bool authenticated, SyncObserver* observer);
    /// Applies the changes, moving their values out.
    void applyPulled(std::vector<WireChange>& changes, std::int64_t cursor);
    /// Purges the records of batch.gone, then applies the changes; stores the scope ack.
    void applyPulled(PullBatch& batch, std::int64_t cursor);
    Poco::Net::HTTPClientSession& session();
    /// A new connection (not yet open) to the server at @p url.
    std::unique_ptr<Poco::Net::HTTPClientSession> newSession(const std::string& url) const;
    /// One pull request, decoded: with @p applied, the cursor committed so
    /// far when the request runs ahead of it.
    PullBatch fetchPull(std::int64_t cursor, std::int64_t ack, std::int64_t applied, SyncObserver* observer);
    std::string storedSetting(const std::string& key);
    /// Folds the server time seen by a detached request into the clock.
    void foldServerTime();
    /// Takes the server's clock from an answer's X-Berkas-Server-Time: into
    /// the store's clock, or, detached, into the highest time seen.
    void noteServerTime(const Poco::Net::HTTPResponse& response);
    /// Takes a push answer for @p entries in one local transaction: refused
    /// changes put the server's state back and leave a notice, ids the
    /// server saw before are numbered again, the rest is dropped from the
    /// outbox. Returns the id to read the outbox after.
    std::int64_t takePushAnswer(const Poco::JSON::Object::Ptr& answer,
                                const std::vector<model::OutboxEntry>& entries, SyncSummary& summary);
    /// Moves this laptop's numbering past the server's marks of it, when an
    /// answer carries them ("device").
    void takeDeviceMarks(const Poco::JSON::Object::Ptr& answer);

    model::CaseStore& m_store;
    SyncClientOptions m_options;
    std::unique_ptr<Poco::Net::HTTPClientSession> m_session;
    std::string m_sessionUrl;
    /// While pulling, requests may run on a second thread, which must not
    /// touch the store (one connection, one thread): the settings they need
    /// are read once before, and the server time they see waits here for
    /// the store's thread to fold it in.
    struct Detached
    {
        std::string url;
        std::string token;
        std::string epoch; ///< the central office's epoch as stored
    };
    std::optional<Detached> m_detached;
    std::atomic<std::int64_t> m_serverTimeSeen{0};
    /// The answer form asked for; a server that does not know it is asked
    /// for the one before (set before the pull's second thread starts).
    PullForm m_pullForm = PullForm::Compact;
};

} // namespace berkas::sync
