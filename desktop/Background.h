#pragma once

#include <wx/window.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

namespace berkas::desktop {

/// A window as the address for results of work on other threads. Made on
/// the UI thread; copies may go to any thread. post() runs a function on the
/// UI thread later (CallAfter), and only if the window still exists then
/// (STYLE.md), so a result that arrives after its window closed is dropped.
class WindowToken
{
public:
    explicit WindowToken(wxWindow* window);

    /// Any thread. @p fn runs on the UI thread, or never when the window is
    /// gone by the time it gets there (or the application is ending).
    void post(std::function<void()> fn) const;

    /// UI thread only: the window still exists.
    bool alive() const;

private:
    struct Target;
    std::shared_ptr<Target> m_target;
};

/// The thread of one runInBackground() call. Destroying it (or join())
/// waits for the thread to end: keep it in the window that asked for the
/// work, so the thread never outlives what it reads (a cancel flag, the
/// Session). The thread never waits for the UI thread, so joining on the UI
/// thread cannot deadlock.
class BackgroundJob
{
public:
    BackgroundJob() = default;
    explicit BackgroundJob(std::thread thread) : m_thread(std::move(thread)) {}
    ~BackgroundJob() { join(); }
    BackgroundJob(BackgroundJob&&) = default;
    /// Waits for the current thread first.
    BackgroundJob& operator=(BackgroundJob&& other) noexcept
    {
        join();
        m_thread = std::move(other.m_thread);
        return *this;
    }

    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    std::thread m_thread;
};

/// The one way the window runs work off the UI thread: @p work runs on a
/// thread of its own; its result goes to @p done, or the message of an
/// exception that escaped it to @p failed, on the UI thread and only while
/// @p owner exists. @p work must not touch wx windows; it should hand back
/// plain data (translate on the UI thread). @p done and @p failed may be
/// destroyed on either thread: capture pointers and values, not wx objects.
/// Keep the returned job in @p owner (see BackgroundJob).
template <typename T>
[[nodiscard]] BackgroundJob runInBackground(wxWindow* owner, std::function<T()> work, std::function<void(T)> done,
                                            std::function<void(const std::string&)> failed)
{
    WindowToken token(owner);
    return BackgroundJob(std::thread([token, work = std::move(work), done = std::move(done),
                                      failed = std::move(failed)]() mutable {
        // Worker threads catch everything and hand it to the window.
        std::optional<T> result;
        std::string error;
        try
        {
            result.emplace(work());
        }
        catch (const std::exception& e)
        {
            error = e.what();
        }
        catch (...)
        {
            error = "unexpected error";
        }
        if (result)
            token.post([done = std::move(done), value = std::move(*result)]() mutable { done(std::move(value)); });
        else
            token.post([failed = std::move(failed), error] { failed(error); });
    }));
}

} // namespace berkas::desktop
