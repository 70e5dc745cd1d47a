#pragma once

#include "sync/SyncClient.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace berkas::desktop {

class Session;

/// Runs syncs on its own long-lived thread (a queue of one sync at a time),
/// with its own CaseStore from the window's Session and its own SyncClient
/// (one per thread, as they require), never on the UI thread. Reports
/// through @c post, called on the worker thread: the window hands each event
/// to a WindowToken (desktop/Background.h), as all work off the UI thread
/// does. Destroying the worker cancels a running sync and joins the thread,
/// so no event is posted after the destructor returns.
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

    SyncWorker(std::shared_ptr<const Session> session, std::function<void(const Event&)> post);
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

    std::shared_ptr<const Session> m_session;
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
