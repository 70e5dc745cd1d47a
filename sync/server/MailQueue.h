#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace berkas::sync {

class ServerDatabase;

/// One message of the mail queue (table mail_queue).
struct QueuedMail
{
    std::int64_t id = 0;
    std::string eventKey;   ///< unique per event: "RECORD_ID/EVENT/HLC@DEVICE"
    std::string event;      ///< application_received, ... (MailTemplates::events())
    std::string recordKind;
    std::string recordId;
    std::string recipient;
    std::string values;     ///< the placeholders' values as a JSON object, taken when queued
    std::string createdAt;  ///< ISO 8601 in the office zone
    std::string status;     ///< queued, sent, failed
    int attempts = 0;       ///< failed attempts so far
    std::int64_t nextAttemptMs = 0;
    std::string sentAt;
    std::string lastError;
};

/// The server's queue of applicants' e-mail: a message is queued in the
/// transaction of the change that causes it (MailEvents), at most once per
/// event key, and a worker (MailWorker) claims, sends and marks it.
///
/// Claims are leases: claim() gives one due message to one worker until the
/// lease ends, so two workers (two server processes on one PostgreSQL, which
/// claims with SELECT ... FOR UPDATE SKIP LOCKED) never send the same message
/// while the lease holds; a worker that dies leaves it to be claimed again
/// when its lease ends. Not thread-safe: ServerStore calls it under its lock.
class MailQueue
{
public:
    static constexpr const char* kQueued = "queued";
    static constexpr const char* kSent = "sent";
    static constexpr const char* kFailed = "failed";

    explicit MailQueue(ServerDatabase& db);

    /// Queues one message inside the caller's transaction; nothing when a
    /// message of @p eventKey was queued before (a retried push). Returns
    /// whether it queued.
    bool enqueue(const QueuedMail& mail, std::int64_t nowMs);

    /// The oldest queued message due at @p nowMs whose lease is free, leased
    /// to @p owner until @p nowMs + @p leaseMs; nothing when none is due.
    std::optional<QueuedMail> claim(const std::string& owner, std::int64_t nowMs, std::int64_t leaseMs);

    /// Marks a claimed message sent at @p at; false (and nothing changed)
    /// when @p owner no longer holds its lease.
    bool markSent(std::int64_t id, const std::string& owner, const std::string& at);
    /// A failed attempt: due again at @p nextAttemptMs, the lease given back.
    void retryLater(std::int64_t id, const std::string& owner, std::int64_t nextAttemptMs, const std::string& error);
    /// A message the SMTP server refused for good (its recipient rejected):
    /// kept as failed with the server's answer, never sent.
    void markFailed(std::int64_t id, const std::string& owner, const std::string& error);

    /// The newest messages first, at most @p limit.
    std::vector<QueuedMail> list(std::size_t limit);

private:
    ServerDatabase& m_db;
};

} // namespace berkas::sync
