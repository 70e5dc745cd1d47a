#pragma once

#include "model/Hlc.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace berkas::sync {

class FieldTable;
class MailQueue;
class ServerDatabase;

/// Which writes of one push send an applicant e-mail, and the queueing of
/// those messages at the end of the push, in its transaction:
///
/// - application.reg_no first set (the central office numbers it):
///   application_received;
/// - application.status changed from an earlier status: application_status;
/// - booking.status changed to confirmed or overbooked, whoever wrote it (a
///   laptop's escrowed booking, the server's capacity decision):
///   booking_confirmed, booking_overbooked;
/// - complaint.status changed to responded: complaint_responded.
///
/// Each field is judged as the push leaves it against what the server held
/// before the push, so a status moved twice in one batch sends one message
/// and one moved and back sends none. The recipient is taken as the push
/// leaves the record (model::applicantEmail): a record without an e-mail
/// address, or deleted, queues nothing. The event key is the record, the
/// event and the stamp of the write, so a retried push (which writes
/// nothing) or a write sent again with its stamp queues nothing twice.
/// One per push; not thread-safe.
class MailEvents
{
public:
    /// @p enabled false (no --smtp): watches nothing and queues nothing.
    MailEvents(ServerDatabase& db, FieldTable& fields, MailQueue& queue, bool enabled);

    /// Whether a write of @p field of @p kind may cause e-mail, so the caller
    /// knows to pass the value it replaces.
    bool watches(const std::string& kind, const std::string& field) const;

    /// A field the push wrote: @p before as the server held it (nullopt: no
    /// value), @p value and @p stamp as written.
    void written(const std::string& kind, const std::string& id, const std::string& field,
                 const std::optional<std::string>& before, const std::optional<std::string>& value,
                 const model::Stamp& stamp);

    /// Queues the messages of this push's writes (MailQueue::enqueue);
    /// @p createdAt: the push's time in the office zone. Returns how many.
    std::size_t enqueue(const std::string& createdAt, std::int64_t nowMs);

private:
    struct Watched
    {
        std::string kind;
        std::optional<std::string> first; ///< before the push
        std::optional<std::string> last;  ///< as the push leaves it
        model::Stamp stamp;               ///< of the last write
    };

    std::string serviceName(const std::string& code);

    ServerDatabase& m_db;
    FieldTable& m_fields;
    MailQueue& m_queue;
    bool m_enabled;
    std::map<std::pair<std::string, std::string>, Watched> m_watched; ///< by (record id, field)
};

} // namespace berkas::sync
