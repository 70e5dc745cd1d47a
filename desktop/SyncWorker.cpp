#include "desktop/SyncWorker.h"

#include "desktop/Session.h"
#include "model/CaseStore.h"
#include "model/Error.h"

#include <memory>

namespace berkas::desktop {

namespace {

class Observer : public sync::SyncObserver
{
public:
    Observer(std::function<void(const SyncWorker::Event&)>& post, std::atomic<bool>& cancel)
        : m_post(post), m_cancel(cancel)
    {
    }
    void progress(const sync::SyncProgress& p) override
    {
        SyncWorker::Event e;
        e.type = SyncWorker::Event::Type::Progress;
        e.progress = p;
        m_post(e);
    }
    bool cancelled() override { return m_cancel; }

private:
    std::function<void(const SyncWorker::Event&)>& m_post;
    std::atomic<bool>& m_cancel;
};

} // namespace

SyncWorker::SyncWorker(std::shared_ptr<const Session> session, std::function<void(const Event&)> post)
    : m_session(std::move(session)), m_post(std::move(post)), m_thread([this] { run(); })
{
}

SyncWorker::~SyncWorker()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_cancel = true;
    m_wake.notify_all();
    m_thread.join();
}

void SyncWorker::requestSync()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_busy)
            return;
        m_requested = true;
    }
    m_wake.notify_all();
}

void SyncWorker::cancel()
{
    m_cancel = true;
}

void SyncWorker::run()
{
    std::unique_ptr<model::CaseStore> store;
    std::unique_ptr<sync::SyncClient> client;
    for (;;)
    {
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [this] { return m_requested || m_stop; });
            if (m_stop)
                return;
            m_requested = false;
            m_busy = true;
            m_cancel = false;
        }
        Event started;
        m_post(started);
        Event done;
        try
        {
            if (!store)
            {
                store = m_session->openStore();
                client = std::make_unique<sync::SyncClient>(*store);
            }
            Observer observer(m_post, m_cancel);
            done.summary = client->sync(&observer);
            done.type = Event::Type::Finished;
        }
        catch (const Error& e)
        {
            // Worker threads catch everything and hand it to the window.
            done.type = Event::Type::Failed;
            done.error = e.what();
            done.offline = e.code() == ErrorCode::Network;
            done.loginNeeded = e.code() == ErrorCode::Unauthorized;
        }
        catch (const std::exception& e)
        {
            done.type = Event::Type::Failed;
            done.error = e.what();
        }
        m_busy = false;
        m_post(done);
    }
}

} // namespace berkas::desktop
