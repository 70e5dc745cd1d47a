#pragma once

#include "sync/SyncClient.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace berkas::desktop {

/// Runs syncs on its own thread, with its own CaseStore and SyncClient (one
/// per thread, as they require), never on the UI thread. Reports through
/// @c post, called on the worker thread: the window forwards each event with
/// CallAfter. Destroying the worker cancels a running sync and joins the
/// thread, so no event is posted after the destructor returns.
class SyncWorker
{
public:
    struct Event
    {
        enum class Type
        {
            Started,
            Progress,
            Finished,
            Failed
        } type = Type::Started;
        sync::SyncProgress progress;
        sync::SyncSummary summary;
        std::string error;   ///< one sentence, for Failed
        bool offline = false; ///< Failed because the server could not be reached
        bool loginNeeded = false;
    };

    SyncWorker(std::string dataDir, std::function<void(const Event&)> post);
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    /// Asks for a sync; ignored while one is running.
    void requestSync();
    /// Stops a running sync between batches.
    void cancel();
    bool busy() const { return m_busy; }

private:
    void run();

    std::string m_dataDir;
    std::function<void(const Event&)> m_post;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stop = false;
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_busy{false};
    std::thread m_thread;
};

} // namespace berkas::desktop
