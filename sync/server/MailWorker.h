#pragma once

#include "sync/server/MailSettings.h"
#include "sync/server/MailTemplates.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace Poco {
class Logger;
}

namespace berkas::sync {

class ServerStore;
struct QueuedMail;

/// Sends the server's queued applicants' e-mail (MailQueue.h) through the
/// SMTP server of MailSettings, on a thread of its own.
///
/// A message is claimed (a lease, so that another server process on the same
/// PostgreSQL does not send it too), rendered from its template, sent, and
/// marked sent in the database as soon as the SMTP server has accepted it.
/// When the SMTP server cannot be reached or answers with an error, the
/// message stays queued and is tried again after a wait that doubles from
/// MailSettings::retryFirstSeconds up to retryMaxSeconds, for as long as it
/// takes: nothing is lost while the mail server is down. A recipient the SMTP
/// server rejects for good (a 5xx answer to RCPT TO) marks that message
/// failed, with the answer kept.
///
/// At least once, not exactly once: if the process dies (or the database
/// cannot be written) between the SMTP server's acceptance and the mark, the
/// message is sent again when its lease ends. Each message carries a
/// Message-ID made from its event, the same on every attempt, so a mail
/// system that drops duplicates by Message-ID drops that one.
class MailWorker
{
public:
    MailWorker(ServerStore& store, MailSettings settings, MailTemplates templates, Poco::Logger& log);
    ~MailWorker();
    MailWorker(const MailWorker&) = delete;
    MailWorker& operator=(const MailWorker&) = delete;

    /// Starts the thread: it sends what is due every pollMilliseconds.
    void start();
    /// Stops the thread after the message in flight. Idempotent.
    void stop();

    /// Sends every message due now on the calling thread until none is due
    /// or an attempt fails; returns how many were sent. Throws Error(Storage)
    /// when the database fails.
    std::size_t sendDue();

    /// The wait before the next attempt after @p attempts failed ones:
    /// retryFirstSeconds, doubled each time, at most retryMaxSeconds.
    static std::int64_t backoffMs(const MailSettings& settings, int attempts);

private:
    void run();

    ServerStore& m_store;
    MailSettings m_settings;
    MailTemplates m_templates;
    Poco::Logger& m_log;
    std::string m_owner; ///< this worker's name on its leases
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace berkas::sync
