#pragma once

#include "sync/server/ServerStore.h"

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace berkas::sync {

struct MailSettings;
struct ServerStoreOptions;

/// berkas-server: serves the /v1/ API (SyncServer over a ServerStore) until
/// SIGTERM or SIGINT, prints its version (--version), or administers users
/// (`user add|list|disable`), devices (`device list|revoke`), prints the audit
/// (`audit [--user=] [--since=]`), backs the database up (`backup --to=`) and
/// restores it (`restore --from=`), lists the mail queue (`mail list`) and
/// checks the mail templates (`mail templates`). With --smtp it sends
/// applicants' e-mail (MailWorker) while it serves.
/// Options come from the command line and an optional configuration file
/// (--config=FILE, properties format: port, bind, data, database, tls.cert,
/// tls.key, threads, limits.max_body_bytes, limits.max_batch, limits.status_per_minute,
/// auth.pbkdf2_iterations, smtp, smtp.starttls, smtp.ca, mail.from, office.name, office.address,
/// mail.retry_first, mail.retry_max, mail.poll_ms, mail.timeout, mail.lease).
class ServerApp : public Poco::Util::ServerApplication
{
protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& args) override;

private:
    int administer(const std::vector<std::string>& args);
    /// The storage --database names, or SQLite in the data folder.
    ServerStoreOptions databaseOptions(const std::string& dataDir);
    /// Where attachment files are kept: --file-dir, or DATA/files.
    std::string fileDir(const std::string& dataDir);
    int printAudit(const ServerStoreOptions& storeOptions);
    /// The e-mail settings of --smtp and the options beside it; throws
    /// Error(InvalidData) naming the option of the first problem.
    MailSettings mailSettings(const std::string& dataDir);
    /// mail list (the queue) | mail templates (each event's template file, checked).
    int mailCommand(const std::vector<std::string>& args, const std::string& dataDir);
    /// backup --to=FILE: a consistent copy of the database while it serves,
    /// then the attachment files the backup's file folder lacks.
    int backup(const ServerStoreOptions& storeOptions, const std::string& dataDir);
    /// berkas-server capacity ... (set) and capacity list.
    int capacity(const std::vector<std::string>& args, const ServerStoreOptions& storeOptions);
    int catalog(const std::vector<std::string>& args, const ServerStoreOptions& storeOptions);
    /// restore --from=FILE [--reserve=N]: the server stopped; then the
    /// backup's attachment files the server's file folder lacks.
    int restore(const ServerStoreOptions& storeOptions, const std::string& dataDir);
    void printHelp();

    bool m_help = false;
    bool m_version = false;
};

} // namespace berkas::sync
