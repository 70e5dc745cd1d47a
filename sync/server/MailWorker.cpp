#include "sync/server/MailWorker.h"

#include "model/Error.h"
#include "model/Uuid.h"
#include "sync/server/MailQueue.h"
#include "sync/server/ServerStore.h"

#include <Poco/DigestEngine.h>
#include <Poco/Environment.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/SHA1Engine.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

namespace berkas::sync {

namespace {

/// A TLS client context for STARTTLS that verifies the SMTP server's chain
/// against @p caFile (else the system's authorities) and its name against
/// the host of --smtp; TLS 1.2 or newer.
Poco::Net::Context::Ptr startTlsContext(const std::string& caFile)
{
    Poco::Net::Context::Params params;
    params.caLocation = caFile;
    params.loadDefaultCAs = caFile.empty();
    // STRICT: with RELAXED, Poco skips the host name check for loopback hosts.
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    // Never the console handler that would ask on a terminal.
    static std::once_flag once;
    std::call_once(once, [&] {
        Poco::Net::SSLManager::instance().initializeClient(nullptr, new Poco::Net::RejectCertificateHandler(false),
                                                           context);
    });
    return context;
}

std::unique_ptr<Poco::Net::SMTPClientSession> connect(const MailSettings& settings)
{
    const Poco::Timespan timeout(settings.timeoutSeconds, 0);
    std::unique_ptr<Poco::Net::SMTPClientSession> session;
    if (settings.startTls)
    {
        auto secure = std::make_unique<Poco::Net::SecureSMTPClientSession>(settings.host, settings.port);
        secure->setTimeout(timeout);
        secure->login(); // EHLO, to learn whether STARTTLS is offered
        if (!secure->startTLS(startTlsContext(settings.caFile)))
            throw Poco::Net::SMTPException("the SMTP server does not offer STARTTLS");
        session = std::move(secure);
    }
    else
    {
        session = std::make_unique<Poco::Net::SMTPClientSession>(settings.host, settings.port);
        session->setTimeout(timeout);
    }
    if (settings.user.empty())
        session->login();
    else
        session->login(Poco::Net::SMTPClientSession::AUTH_PLAIN, settings.user, settings.password);
    return session;
}

/// The placeholders' values of @p mail with the office's.
std::map<std::string, std::string> valuesOf(const QueuedMail& mail, const MailSettings& settings)
{
    std::map<std::string, std::string> values;
    const auto object = Poco::JSON::Parser().parse(mail.values).extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, value] : *object)
        values[name] = value.isEmpty() ? std::string() : value.convert<std::string>();
    values["office_name"] = settings.officeName;
    values["office_address"] = settings.officeAddress;
    return values;
}

/// The same Message-ID on every attempt of one event.
std::string messageId(const QueuedMail& mail, const MailSettings& settings)
{
    Poco::SHA1Engine sha1;
    sha1.update(mail.eventKey);
    const std::string digest = Poco::DigestEngine::digestToHex(sha1.digest()).substr(0, 24);
    return "<berkas." + std::to_string(mail.id) + "." + digest + "@" + settings.from.substr(settings.from.find('@') + 1) +
           ">";
}

void compose(Poco::Net::MailMessage& m, const QueuedMail& mail, const MailTemplates::Message& text,
             const MailSettings& settings)
{
    m.setSender(Poco::Net::MailMessage::encodeWord(settings.officeName, "UTF-8") + " <" + settings.from + ">");
    m.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.recipient));
    m.setSubject(Poco::Net::MailMessage::encodeWord(text.subject, "UTF-8"));
    m.set("Message-ID", messageId(mail, settings));
    m.set("X-Berkas-Event", mail.event);
    m.setContentType("text/plain; charset=UTF-8");
    m.setContent(text.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
}

/// Whether the SMTP server refused the message for good: a 5xx answer to
/// its recipient. Anything else (no connection, 4xx, a refused login) is
/// tried again.
bool refusedForGood(const Poco::Net::SMTPException& e)
{
    return e.code() >= 500 && e.code() < 600 && e.message().find("Recipient rejected") != std::string::npos;
}

} // namespace

MailWorker::MailWorker(ServerStore& store, MailSettings settings, MailTemplates templates, Poco::Logger& log)
    : m_store(store), m_settings(std::move(settings)), m_templates(std::move(templates)), m_log(log),
      m_owner(Poco::Environment::nodeName() + "/" + model::newUuidV7())
{
}

MailWorker::~MailWorker()
{
    stop();
}

std::int64_t MailWorker::backoffMs(const MailSettings& settings, int attempts)
{
    std::int64_t seconds = settings.retryFirstSeconds;
    for (int i = 1; i < attempts && seconds < settings.retryMaxSeconds; ++i)
        seconds *= 2;
    return std::min<std::int64_t>(seconds, settings.retryMaxSeconds) * 1000;
}

void MailWorker::start()
{
    m_thread = std::thread([this] { run(); });
}

void MailWorker::stop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void MailWorker::run()
{
    for (;;)
    {
        try
        {
            sendDue();
        }
        catch (const std::exception& e)
        {
            // A database that fails now may answer at the next round; the
            // messages stay queued meanwhile.
            m_log.error("mail: %s", std::string(e.what()));
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        if (m_wake.wait_for(lock, std::chrono::milliseconds(m_settings.pollMilliseconds), [this] { return m_stopping; }))
            return;
    }
}

std::size_t MailWorker::sendDue()
{
    const std::int64_t leaseMs = static_cast<std::int64_t>(m_settings.leaseSeconds) * 1000;
    std::unique_ptr<Poco::Net::SMTPClientSession> session;
    std::size_t sent = 0;
    const auto stopping = [this] {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_stopping;
    };
    while (!stopping())
    {
        const auto mail = m_store.claimMail(m_owner, leaseMs);
        if (!mail)
            break;
        MailTemplates::Message text;
        try
        {
            text = m_templates.render(mail->event, valuesOf(*mail, m_settings));
        }
        catch (const std::exception& e)
        {
            m_store.mailFailed(mail->id, m_owner, std::string("cannot render the message: ") + e.what());
            m_log.error("mail %Ld (%s to %s): cannot render: %s", static_cast<Poco::Int64>(mail->id), mail->event,
                        mail->recipient, std::string(e.what()));
            continue;
        }
        try
        {
            if (!session)
                session = connect(m_settings);
            Poco::Net::MailMessage message;
            compose(message, *mail, text, m_settings);
            session->sendMessage(message);
        }
        catch (const Poco::Exception& e)
        {
            const auto* smtp = dynamic_cast<const Poco::Net::SMTPException*>(&e);
            if (smtp && refusedForGood(*smtp))
            {
                m_store.mailFailed(mail->id, m_owner, e.displayText());
                m_log.error("mail %Ld (%s to %s) refused for good: %s", static_cast<Poco::Int64>(mail->id), mail->event,
                            mail->recipient, e.displayText());
                // The session is in the middle of a refused transaction: start anew.
                session.reset();
                continue;
            }
            const std::int64_t wait = backoffMs(m_settings, mail->attempts + 1);
            m_store.mailRetry(mail->id, m_owner, m_store.nowMs() + wait, e.displayText());
            m_log.warning("mail %Ld (%s to %s) not sent, trying again in %Ld s: %s",
                          static_cast<Poco::Int64>(mail->id), mail->event, mail->recipient,
                          static_cast<Poco::Int64>(wait / 1000), e.displayText());
            // The SMTP server is down or unwell: the other due messages wait
            // for the next round rather than each failing now.
            break;
        }
        // Accepted: mark it at once, so that only a crash right here sends it twice.
        if (m_store.mailSent(mail->id, m_owner))
            ++sent;
        else
            m_log.warning("mail %Ld (%s to %s) was sent after its lease ended; another worker may send it too",
                          static_cast<Poco::Int64>(mail->id), mail->event, mail->recipient);
        m_log.information("mail %Ld (%s) sent to %s", static_cast<Poco::Int64>(mail->id), mail->event, mail->recipient);
    }
    if (session)
    {
        try
        {
            session->close();
        }
        catch (const Poco::Exception&)
        {
        }
    }
    return sent;
}

} // namespace berkas::sync
