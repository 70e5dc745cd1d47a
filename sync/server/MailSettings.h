#pragma once

#include <string>
#include <vector>

namespace berkas::sync {

/// How berkas-server sends applicants' e-mail (sync/server/README.md, "E-mail
/// to applicants"): the SMTP server of `--smtp=smtp://[USER@]HOST:PORT`, its
/// password (environment variable BERKAS_SMTP_PASSWORD), STARTTLS, the
/// sender, the office named in every message, where the templates are, and
/// the worker's timing. A plain value; check() names the first problem.
struct MailSettings
{
    std::string host;
    unsigned short port = 0;
    std::string user;     ///< empty: no login
    std::string password; ///< from BERKAS_SMTP_PASSWORD
    bool startTls = false;
    /// PEM file or folder of the certificate authorities that vouch for the
    /// SMTP server under STARTTLS; empty: the system's.
    std::string caFile;

    std::string from;          ///< the sender's address (mail.from)
    std::string officeName;    ///< office.name, in every message
    std::string officeAddress; ///< office.address, in every message

    /// Folders whose mail/EVENT.txt replace the shipped templates, first
    /// found wins (the data folder, then /etc/berkas); assets/mail last.
    std::vector<std::string> templateDirs;

    int retryFirstSeconds = 30;  ///< the wait after the first failed attempt
    int retryMaxSeconds = 3600;  ///< the longest wait between attempts
    int pollMilliseconds = 2000; ///< how often the worker looks for due messages
    int timeoutSeconds = 30;     ///< per SMTP command
    int leaseSeconds = 600;      ///< a claimed message's lease (more than a send can take)

    /// The settings of an `--smtp` value: `smtp://[USER@]HOST:PORT`.
    /// Throws Error(InvalidData) with one sentence naming the option
    /// ("smtp: must be smtp://[USER@]HOST:PORT, got ...").
    static MailSettings fromUrl(const std::string& url);

    /// The first problem of the settings as one sentence naming the option
    /// ("mail-from: must contain exactly one @, got ..."); empty when usable.
    /// A login (a user) needs STARTTLS unless the host is a loopback address.
    std::string check() const;

    /// "smtp://user@host:port" (never the password), for the log.
    std::string describe() const;
};

} // namespace berkas::sync
