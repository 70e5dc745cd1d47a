#include "sync/server/ServerApp.h"
#include "sync/server/ClientAddress.h"

#include "model/Error.h"
#include "model/Version.h"
#include "sync/Passwords.h"
#include "sync/server/BookingDesk.h"
#include "sync/server/MailSettings.h"
#include "sync/server/MailTemplates.h"
#include "sync/server/MailWorker.h"
#include "sync/server/FileBackup.h"
#include "sync/server/ServerBackup.h"
#include "sync/server/ServerDatabase.h"
#include "sync/server/ServerStore.h"
#include "sync/server/SyncServer.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <cctype>
#include <iostream>
#include <memory>
#include <optional>

namespace berkas::sync {

namespace {

const std::vector<std::string> kRoles = {"admin", "manager", "clerk", "verifier"};

/// "256M", "1G", "500000000" as bytes (decimal units, as megabytes are
/// shown to users); nullopt for anything else or less than 1M.
std::optional<std::int64_t> parseFileSize(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    std::int64_t unit = 1;
    std::string digits = text;
    const char last = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
    if (last == 'K' || last == 'M' || last == 'G')
    {
        unit = last == 'K' ? 1000 : last == 'M' ? 1000 * 1000 : 1000 * 1000 * 1000;
        digits.pop_back();
    }
    Poco::UInt64 n = 0;
    if (digits.empty() || digits.size() > 12 || !Poco::NumberParser::tryParseUnsigned64(digits, n))
        return std::nullopt;
    const std::int64_t bytes = static_cast<std::int64_t>(n) * unit;
    return bytes >= 1000 * 1000 ? std::optional<std::int64_t>(bytes) : std::nullopt;
}

std::string defaultDataDir()
{
    if (const char* env = std::getenv("BERKAS_SERVER_DATA"); env && *env)
        return env;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/berkas-server";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/berkas-server";
    return "berkas-server-data";
}

} // namespace

void ServerApp::initialize(Poco::Util::Application& self)
{
    if (config().has("config-file"))
        loadConfiguration(config().getString("config-file"));
    ServerApplication::initialize(self);
}

void ServerApp::defineOptions(Poco::Util::OptionSet& options)
{
    ServerApplication::defineOptions(options);
    using Poco::Util::Option;
    options.addOption(Option("help", "h", "print this help").required(false).repeatable(false));
    options.addOption(Option("version", "", "print the version and exit").required(false).repeatable(false));
    options.addOption(Option("data", "", "data folder").argument("DIR").binding("data"));
    options.addOption(Option("port", "", "TCP port (default 8470)").argument("N").binding("port"));
    options.addOption(Option("bind", "", "address to listen on (default 127.0.0.1)").argument("ADDR").binding("bind"));
    options.addOption(Option("database", "", "database: sqlite:PATH (default: DATA/server.db) or postgresql://USER:PASSWORD@HOST:PORT/DBNAME").argument("URL").binding("database"));
    options.addOption(Option("tls-cert", "", "PEM certificate; with --tls-key serves HTTPS").argument("FILE").binding("tls.cert"));
    options.addOption(Option("tls-key", "", "PEM private key").argument("FILE").binding("tls.key"));
    options.addOption(Option("plain-http", "", "serve plain HTTP without TLS (a local demo or test network only); "
                                               "serving needs either this or --tls-cert and --tls-key")
                          .required(false)
                          .repeatable(false));
    options.addOption(Option("trusted-proxy", "", "behind a load balancer: its address(es), comma-separated, whose "
                                                  "X-Forwarded-For names the client").argument("ADDR").binding("trusted_proxies"));
    options.addOption(Option("smtp", "", "send applicants' e-mail through this SMTP server, smtp://[USER@]HOST:PORT "
                                         "(password: environment variable BERKAS_SMTP_PASSWORD)")
                          .argument("URL")
                          .binding("smtp"));
    options.addOption(Option("smtp-starttls", "", "switch the SMTP connection to TLS (STARTTLS) before logging in")
                          .required(false)
                          .repeatable(false));
    options.addOption(Option("smtp-ca", "", "STARTTLS: the certificate authorities (PEM) that vouch for the SMTP "
                                            "server (default: the system's)").argument("FILE").binding("smtp.ca"));
    options.addOption(Option("mail-from", "", "the sender's address of applicants' e-mail").argument("ADDRESS").binding("mail.from"));
    options.addOption(Option("office-name", "", "the office's name in applicants' e-mail").argument("TEXT").binding("office.name"));
    options.addOption(Option("office-address", "", "the office's address in applicants' e-mail").argument("TEXT").binding("office.address"));
    options.addOption(Option("file-dir", "", "where attachment files are kept (default: DATA/files)")
                          .argument("DIR")
                          .binding("files.dir"));
    options.addOption(Option("max-file-size", "", "the office's limit for one attachment file, e.g. 256M or 1G "
                                                  "(decimal: 1M = 1,000,000 bytes; default 256M)")
                          .argument("SIZE")
                          .binding("files.max_size"));
    options.addOption(Option("config", "", "configuration file (properties)").argument("FILE").binding("config-file"));
    options.addOption(Option("role", "", "user add: admin, manager, clerk or verifier").argument("ROLE").binding("user.role"));
    options.addOption(Option("kecamatan", "", "user add: the clerk's kecamatan code").argument("CODE").binding("user.kecamatan"));
    options.addOption(Option("user", "", "audit: only changes by this user").argument("NAME").binding("audit.user"));
    options.addOption(Option("since", "", "audit: only changes from this date (YYYY-MM-DD) on").argument("DATE").binding("audit.since"));
    options.addOption(Option("to", "", "backup: the file to write; capacity: the last day (YYYY-MM-DD)")
                          .argument("FILE|DATE")
                          .binding("to"));
    options.addOption(Option("device", "", "escrow: the counter device (see: device list)").argument("ID").binding("escrow.device"));
    options.addOption(Option("location", "", "capacity: the counter (e.g. \"MPP Kota Bekasi\")").argument("NAME").binding("capacity.location"));
    options.addOption(Option("service", "", "capacity: the service code").argument("CODE").binding("capacity.service"));
    options.addOption(Option("date", "", "capacity: the (first) day, YYYY-MM-DD").argument("DATE").binding("capacity.date"));
    options.addOption(Option("slots", "", "capacity: bookings the counter takes that day").argument("N").binding("capacity.slots"));
    options.addOption(Option("open", "", "capacity: the counter opens at HH:MM (with --close)").argument("HH:MM").binding("capacity.open"));
    options.addOption(Option("close", "", "capacity: the counter closes at HH:MM; a slot from then on is outside")
                          .argument("HH:MM")
                          .binding("capacity.close"));
    options.addOption(Option("from", "", "restore: the backup to put back").argument("FILE").binding("restore.from"));
    options.addOption(Option("backup-files", "", "backup, restore: the folder of attachment files kept with the backup "
                                                 "(default: FILE.files; one folder can serve every backup)")
                          .argument("DIR")
                          .binding("backup.files"));
    options.addOption(Option("region", "", "catalog import: only the rows of this kab/kota (e.g. 32.75)")
                          .argument("CODE")
                          .binding("catalog.region"));
    options.addOption(Option("reserve", "", "restore: registration numbers to skip in each year (default 1000)")
                          .argument("N")
                          .binding("restore.reserve"));
}

void ServerApp::handleOption(const std::string& name, const std::string& value)
{
    ServerApplication::handleOption(name, value);
    if (name == "plain-http")
        config().setBool("plain_http", true);
    if (name == "smtp-starttls")
        config().setBool("smtp.starttls", true);
    if (name == "help")
        m_help = true;
    if (name == "version")
        m_version = true;
    if (m_help || m_version)
        stopOptionsProcessing();
}

void ServerApp::printHelp()
{
    Poco::Util::HelpFormatter help(options());
    help.setUnixStyle(true);
    help.setCommand("berkas-server");
    help.setUsage("[--data=DIR] [--port=N] [--bind=ADDR] [--database=URL] --tls-cert=F --tls-key=F | --plain-http\n"
                  "       berkas-server [--data=DIR] user add NAME --role=admin|manager|clerk|verifier [--kecamatan=CODE]"
                  " (password on stdin)\n       berkas-server [--data=DIR] user list | user disable NAME\n"
                  "       berkas-server [--data=DIR] device list | device revoke ID\n"
                  "       berkas-server [--data=DIR] audit [--user=NAME] [--since=YYYY-MM-DD]\n"
                  "       berkas-server [--data=DIR] backup --to=FILE [--backup-files=DIR] (while serving)\n"
                  "       berkas-server [--data=DIR] capacity --location=NAME --service=CODE --date=YYYY-MM-DD"
                  " [--to=YYYY-MM-DD] --slots=N [--open=HH:MM --close=HH:MM] | capacity list\n"
                  "       berkas-server [--data=DIR] escrow --device=ID --location=NAME --service=CODE --date=YYYY-MM-DD"
                  " [--to=YYYY-MM-DD] --slots=N | escrow list\n"
                  "       berkas-server [--data=DIR] restore --from=FILE [--reserve=N] [--backup-files=DIR] (server stopped)\n"
                  "       berkas-server [--data=DIR] catalog import FILE.csv [--region=CODE] | catalog list\n"
                  "       berkas-server [--data=DIR] mail list | mail templates\n"
                  "       attachment files: [--file-dir=DIR] [--max-file-size=SIZE]\n"
                  "       serving with e-mail: --smtp=smtp://[USER@]HOST:PORT [--smtp-starttls] [--smtp-ca=FILE] "
                  "--mail-from=ADDRESS --office-name=TEXT [--office-address=TEXT]");
    help.setHeader("The Berkas central office server.");
    help.format(std::cout);
}

int ServerApp::main(const std::vector<std::string>& args)
{
    if (m_help)
    {
        printHelp();
        return Application::EXIT_OK;
    }
    if (m_version)
    {
        std::cout << "berkas-server " << model::version() << "\n";
        return Application::EXIT_OK;
    }
    try
    {
        if (!args.empty())
            return administer(args);

        SyncServerOptions options;
        options.tlsCert = config().getString("tls.cert", "");
        options.tlsKey = config().getString("tls.key", "");
        options.plainHttp = config().getBool("plain_http", false);
        if (const std::string problem = SyncServer::tlsProblem(options.tlsCert, options.tlsKey, options.plainHttp);
            !problem.empty())
        {
            std::cerr << problem << "\n";
            // No transport chosen at all is a missing setting (1); options
            // that contradict each other are wrong usage (2).
            const bool nothingChosen = options.tlsCert.empty() && options.tlsKey.empty() && !options.plainHttp;
            return nothingChosen ? 1 : 2;
        }

        // Checked before anything is created.
        try
        {
            options.trustedProxies = parseTrustedProxies(config().getString("trusted_proxies", ""));
        }
        catch (const Error& e)
        {
            std::cerr << e.what() << "\n";
            return 1;
        }

        options.statusPerMinute = config().getInt("limits.status_per_minute", options.statusPerMinute);
        if (options.statusPerMinute < 1)
        {
            std::cerr << "limits.status_per_minute: must be 1 or more, got " << options.statusPerMinute << "\n";
            return 1;
        }

        const std::string dataDir = config().getString("data", defaultDataDir());
        if (const auto limit = parseFileSize(config().getString("files.max_size", "256M")))
            options.maxFileSize = *limit;
        else
        {
            std::cerr << "max-file-size: must be a size such as 256M or 1G (at least 1M), got \""
                      << config().getString("files.max_size") << "\"\n";
            return 1;
        }
        options.fileDir = fileDir(dataDir);
        // Applicants' e-mail: settings and templates checked before anything is made.
        std::optional<MailSettings> mail;
        std::optional<MailTemplates> templates;
        if (config().has("smtp"))
        {
            try
            {
                mail = mailSettings(dataDir);
                templates = MailTemplates::load(mail->templateDirs);
            }
            catch (const Error& e)
            {
                std::cerr << e.what() << "\n";
                return 1;
            }
        }
        Poco::File(dataDir).createDirectories();
        ServerStoreOptions storeOptions = databaseOptions(dataDir);
        storeOptions.queueMail = mail.has_value();
        storeOptions.regNoTemplate = config().getString("reg_no.template", storeOptions.regNoTemplate);
        const auto keptScopes = config().getInt64("limits.kept_scopes", static_cast<Poco::Int64>(storeOptions.maxKeptScopes));
        if (keptScopes < 0)
        {
            std::cerr << "limits.kept_scopes: must be 0 or more\n";
            return 1;
        }
        storeOptions.maxKeptScopes = static_cast<std::size_t>(keptScopes);
        storeOptions.noShowGraceMinutes = config().getInt("bookings.no_show_grace_minutes", storeOptions.noShowGraceMinutes);
        if (storeOptions.noShowGraceMinutes < 0)
        {
            std::cerr << "bookings.no_show_grace_minutes: must be 0 or more\n";
            return 1;
        }
        ServerStore store(storeOptions);

        options.bind = config().getString("bind", options.bind);
        options.port = config().getInt("port", options.port);
        options.threads = config().getInt("threads", options.threads);
        options.maxBodyBytes = static_cast<std::size_t>(config().getInt64("limits.max_body_bytes", static_cast<Poco::Int64>(options.maxBodyBytes)));
        options.maxBatch = static_cast<std::size_t>(config().getInt("limits.max_batch", static_cast<int>(options.maxBatch)));
        SyncServer server(store, options);
        std::unique_ptr<MailWorker> mailWorker;
        if (mail)
        {
            mailWorker = std::make_unique<MailWorker>(store, *mail, *templates, logger());
            mailWorker->start();
            logger().information("applicants' e-mail through %s from %s", mail->describe(), mail->from);
        }
        server.start();
        logger().information("berkas-server listening on %s:%d (%s), data in %s", options.bind, server.port(),
                             std::string(server.tls() ? "https" : "plain http (--plain-http): use TLS outside a test network"), dataDir);
        // Tests and scripts read this line to learn the port.
        std::cout << "listening on " << options.bind << ":" << server.port() << std::endl;
        waitForTerminationRequest();
        logger().information("berkas-server stopping; finishing requests in flight");
        server.stop();
        if (mailWorker)
            mailWorker->stop();
        return Application::EXIT_OK;
    }
    catch (const Error& e)
    {
        std::cerr << e.what() << "\n";
        return Application::EXIT_SOFTWARE;
    }
}

int ServerApp::printAudit(const ServerStoreOptions& storeOptions)
{
    const std::string since = config().getString("audit.since", "");
    if (!since.empty() && (since.size() < 10 || since[4] != '-' || since[7] != '-'))
    {
        std::cerr << "since: must be a date YYYY-MM-DD, got \"" << since << "\"\n";
        return Application::EXIT_USAGE;
    }
    ServerStore store(storeOptions);
    const auto lines = store.audit(config().getString("audit.user", ""), since);
    // A table: one line per pushed change, values cut short so it stays readable.
    const auto cut = [](const std::optional<std::string>& v) {
        if (!v)
            return std::string("(null)");
        std::string t = v->size() > 40 ? v->substr(0, 40) + "..." : *v;
        for (char& c : t)
            if (c == '\t' || c == '\n' || c == '\r')
                c = ' ';
        return t;
    };
    std::cout << "at\tuser\tdevice\taddress\tkind\trecord\tfield\tvalue\toutcome\treason\n";
    for (const auto& l : lines)
        std::cout << l.at << "\t" << l.user << "\t" << l.device << "\t" << l.address << "\t" << l.kind << "\t"
                  << l.recordId << "\t" << l.field << "\t" << cut(l.value) << "\t" << l.outcome << "\t" << l.reason
                  << "\n";
    return Application::EXIT_OK;
}

MailSettings ServerApp::mailSettings(const std::string& dataDir)
{
    MailSettings mail = MailSettings::fromUrl(config().getString("smtp", ""));
    mail.startTls = config().getBool("smtp.starttls", false);
    mail.caFile = config().getString("smtp.ca", "");
    if (!mail.caFile.empty() && !Poco::File(mail.caFile).exists())
        throw Error(ErrorCode::InvalidData, "smtp-ca: no file " + mail.caFile);
    if (const char* password = std::getenv("BERKAS_SMTP_PASSWORD"))
        mail.password = password;
    mail.from = config().getString("mail.from", "");
    mail.officeName = config().getString("office.name", "");
    mail.officeAddress = config().getString("office.address", "");
    const auto number = [this](const std::string& name, int fallback, int min) {
        const std::string text = config().getString(name, std::to_string(fallback));
        int value = 0;
        if (!Poco::NumberParser::tryParse(text, value) || value < min)
            throw Error(ErrorCode::InvalidData,
                        name + ": must be a whole number of at least " + std::to_string(min) + ", got \"" + text + "\"");
        return value;
    };
    mail.retryFirstSeconds = number("mail.retry_first", mail.retryFirstSeconds, 1);
    mail.retryMaxSeconds = number("mail.retry_max", mail.retryMaxSeconds, 1);
    mail.pollMilliseconds = number("mail.poll_ms", mail.pollMilliseconds, 10);
    mail.timeoutSeconds = number("mail.timeout", mail.timeoutSeconds, 1);
    mail.leaseSeconds = number("mail.lease", mail.leaseSeconds, 2 * mail.timeoutSeconds);
    mail.templateDirs = {dataDir, "/etc/berkas"};
    if (const std::string problem = mail.check(); !problem.empty())
        throw Error(ErrorCode::InvalidData, problem);
    return mail;
}

int ServerApp::mailCommand(const std::vector<std::string>& args, const std::string& dataDir)
{
    if (args.size() == 2 && args[1] == "templates")
    {
        try
        {
            const MailTemplates templates = MailTemplates::load({dataDir, "/etc/berkas"});
            for (const auto& [event, path] : templates.sources())
                std::cout << event << "\t" << path << "\n";
        }
        catch (const Error& e)
        {
            std::cerr << e.what() << "\n";
            return 1;
        }
        return Application::EXIT_OK;
    }
    if (args.size() == 2 && args[1] == "list")
    {
        ServerStore store(databaseOptions(dataDir));
        std::cout << "id\tcreated_at\tevent\trecipient\tstatus\tattempts\tsent_at\tlast_error\n";
        for (const auto& m : store.mail())
            std::cout << m.id << "\t" << m.createdAt << "\t" << m.event << "\t" << m.recipient << "\t" << m.status << "\t"
                      << m.attempts << "\t" << m.sentAt << "\t" << m.lastError << "\n";
        return Application::EXIT_OK;
    }
    std::cerr << "berkas-server: expected mail list or mail templates\n";
    return Application::EXIT_USAGE;
}

ServerStoreOptions ServerApp::databaseOptions(const std::string& dataDir)
{
    return ServerStore::optionsFor(config().getString("database", ""), dataDir);
}

std::string ServerApp::fileDir(const std::string& dataDir)
{
    return config().getString("files.dir", Poco::Path(dataDir).makeDirectory().pushDirectory("files").toString());
}

namespace {

/// Why @p dir cannot be the folder of a backup's attachment files, as the
/// rule it breaks; "" when it can. A folder that is not there yet is made by
/// a backup; a restore given one by name needs it there.
std::string backupFilesProblem(const std::string& dir, bool mustExist)
{
    const Poco::File f(dir);
    if (f.exists() && !f.isDirectory())
        return "backup-files: " + dir + " is a file; name a folder for the attachment files";
    if (mustExist && !f.exists())
        return "backup-files: no folder " + dir;
    return "";
}

/// Copies the attachment files @p to lacks from @p from and says so; false
/// (after naming them) when files at @p from are damaged.
bool copyFiles(const std::string& from, const std::string& to)
{
    const FileCopy copy = copyMissingFiles(from, to);
    std::cout << "attachment files: " << copy.copied << " copied to " << to << " (" << copy.bytes << " bytes), "
              << copy.alreadyThere << " already there\n";
    for (const auto& sha : copy.damaged)
        std::cerr << "files: " << from << ": file " << sha
                  << " does not match its SHA-256 and was not copied\n";
    return copy.damaged.empty();
}

} // namespace

int ServerApp::backup(const ServerStoreOptions& storeOptions, const std::string& dataDir)
{
    const std::string to = config().getString("to", "");
    if (to.empty())
    {
        std::cerr << "to: is required: berkas-server backup --to=FILE\n";
        return 1;
    }
    const std::string files = config().getString("backup.files", defaultBackupFileDir(to));
    if (const std::string problem = backupFilesProblem(files, false); !problem.empty())
    {
        std::cerr << problem << "\n";
        return 1;
    }
    try
    {
        ServerBackup::backup(storeOptions, to);
        std::cout << "backed up " << ServerDatabase::describeConnection(storeOptions) << " to " << to << "\n";
        // After the database: every file it names was complete when it was
        // copied, and complete files never change or go.
        if (!copyFiles(fileDir(dataDir), files))
            return 1;
    }
    catch (const Error& e)
    {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return Application::EXIT_OK;
}

int ServerApp::restore(const ServerStoreOptions& storeOptions, const std::string& dataDir)
{
    const std::string from = config().getString("restore.from", "");
    if (from.empty())
    {
        std::cerr << "from: is required: berkas-server restore --from=FILE\n";
        return 1;
    }
    const std::string reserveText = config().getString("restore.reserve", "1000");
    unsigned reserve = 0;
    if (!Poco::NumberParser::tryParseUnsigned(reserveText, reserve) || reserveText.empty() ||
        !std::isdigit(static_cast<unsigned char>(reserveText[0])) || reserve > 100000000)
    {
        std::cerr << "reserve: must be a whole number from 0 to 100000000, got \"" << reserveText << "\"\n";
        return 1;
    }
    // A folder named by --backup-files must be there; the default one is
    // missing from backups made before files were kept with them.
    const std::string files = config().getString("backup.files", defaultBackupFileDir(from));
    if (const std::string problem = backupFilesProblem(files, config().has("backup.files")); !problem.empty())
    {
        std::cerr << problem << "\n";
        return 1;
    }
    try
    {
        const std::string epoch = ServerBackup::restore(storeOptions, from, reserve);
        std::cout << "restored " << from << " to " << ServerDatabase::describeConnection(storeOptions) << " (epoch " << epoch
                  << "); registration numbers go on " << reserve
                  << " past the backup's; laptops send back what the backup lacks at their next sync\n";
        // A file missing here after this is sent again by a laptop that holds it.
        if (Poco::File(files).exists())
            copyFiles(files, fileDir(dataDir));
        else
            std::cout << "attachment files: none kept at " << files
                      << "; laptops send again the files the server lacks\n";
    }
    catch (const Error& e)
    {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return Application::EXIT_OK;
}

int ServerApp::capacity(const std::vector<std::string>& args, const ServerStoreOptions& storeOptions)
{
    const bool escrow = args[0] == "escrow";
    // The days and slots as given; both commands check them in the store.
    CapacityRequest request;
    request.location = config().getString("capacity.location", "");
    request.serviceCode = config().getString("capacity.service", "");
    request.date = config().getString("capacity.date", "");
    request.to = config().getString("to", "");
    request.slots = config().getString("capacity.slots", "");
    request.open = config().getString("capacity.open", "");
    request.close = config().getString("capacity.close", "");
    if (escrow && args.size() == 2 && args[1] == "list")
    {
        ServerStore store(storeOptions);
        std::cout << "device\tlocation\tservice\tdate\tslots\tused\tstate\n";
        for (const auto& g : store.escrowGrants())
            std::cout << g.deviceId << "\t" << g.location << "\t" << g.serviceCode << "\t" << g.date << "\t" << g.slots
                      << "\t" << g.used << "\t" << (g.released ? "released" : "held") << "\n";
        return Application::EXIT_OK;
    }
    if (escrow)
    {
        if (args.size() != 1)
        {
            std::cerr << "berkas-server: expected escrow --device=ID --location=NAME --service=CODE --date=YYYY-MM-DD "
                         "[--to=YYYY-MM-DD] --slots=N, or escrow list\n";
            return Application::EXIT_USAGE;
        }
        const std::string device = config().getString("escrow.device", "");
        if (device.empty())
        {
            std::cerr << "device: is required (e.g. --device=ID, see: berkas-server device list)\n";
            return 1;
        }
        try
        {
            ServerStore store(storeOptions);
            const auto grants = store.grantEscrow(device, request);
            std::cout << "granted " << request.slots << " slots of " << request.serviceCode << " at " << request.location
                      << " to device " << device << " for " << grants.size() << (grants.size() == 1 ? " day" : " days")
                      << "\n";
        }
        catch (const Error& e)
        {
            std::cerr << e.what() << "\n";
            return 1;
        }
        return Application::EXIT_OK;
    }
    if (args.size() == 2 && args[1] == "list")
    {
        ServerStore store(storeOptions);
        std::cout << "location\tservice\tdate\tslots\topen\tclose\n";
        for (const auto& c : store.capacities())
            std::cout << c.location << "\t" << c.serviceCode << "\t" << c.date << "\t" << c.slots << "\t" << c.open
                      << "\t" << c.close << "\n";
        return Application::EXIT_OK;
    }
    if (args.size() != 1)
    {
        std::cerr << "berkas-server: expected capacity --location=NAME --service=CODE --date=YYYY-MM-DD [--to=YYYY-MM-DD] "
                     "--slots=N, or capacity list\n";
        return Application::EXIT_USAGE;
    }
    try
    {
        ServerStore store(storeOptions);
        const auto days = store.setCapacity(request);
        std::cout << "set " << request.slots << " slots of " << request.serviceCode << " at " << request.location
                  << " for " << days.size() << (days.size() == 1 ? " day" : " days") << " (" << days.front().date
                  << (days.size() > 1 ? " to " + days.back().date : std::string()) << ")"
                  << (request.open.empty() ? std::string() : ", open " + request.open + "-" + request.close) << "\n";
    }
    catch (const Error& e)
    {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return Application::EXIT_OK;
}

int ServerApp::catalog(const std::vector<std::string>& args, const ServerStoreOptions& storeOptions)
{
    if (args.size() == 2 && args[1] == "list")
    {
        ServerStore store(storeOptions);
        const model::OfficeCalendar calendar = store.officeCalendar();
        std::cout << "suspension\tregion\tfrom\tto\tsteps\tlocations\texempt\n";
        for (const auto& s : calendar.suspensions())
        {
            const auto list = [](const std::vector<std::string>& items) {
                std::string out;
                for (const auto& i : items)
                    out += (out.empty() ? "" : ";") + i;
                return out.empty() ? std::string("-") : out;
            };
            std::cout << s.title() << "\t" << (s.region.empty() ? "-" : s.region) << "\t" << s.from << "\t"
                      << (s.to.empty() ? "-" : s.to) << "\t" << list(s.steps) << "\t" << list(s.locations) << "\t"
                      << list(s.exempt) << "\n";
        }
        return Application::EXIT_OK;
    }
    if (args.size() != 3 || args[1] != "import")
    {
        std::cerr << "berkas-server: expected catalog import FILE.csv [--region=CODE], or catalog list\n";
        return Application::EXIT_USAGE;
    }
    try
    {
        // Every row is checked before the store is opened for writing.
        const auto records = readCatalogFile(args[2], config().getString("catalog.region", ""));
        ServerStore store(storeOptions);
        const auto [changed, moved] = store.importCatalog(records);
        std::cout << "imported " << records.size() << " " << (records.empty() ? "records" : records.front().kind + " records")
                  << " from " << args[2] << ": " << changed << " new or changed, " << moved
                  << " due dates computed again\n";
    }
    catch (const Error& e)
    {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return Application::EXIT_OK;
}

int ServerApp::administer(const std::vector<std::string>& args)
{
    const std::string dataDir = config().getString("data", defaultDataDir());
    if (args[0] == "backup" || args[0] == "restore")
    {
        // Nothing is made for a backup or a restore that cannot run.
        if (args.size() != 1)
        {
            std::cerr << "berkas-server: " << args[0] << " takes no arguments besides its options\n";
            return Application::EXIT_USAGE;
        }
        ServerStoreOptions storeOptions;
        try
        {
            storeOptions = databaseOptions(dataDir);
        }
        catch (const Error& e)
        {
            std::cerr << e.what() << "\n";
            return 1;
        }
        if (args[0] == "backup")
            return backup(storeOptions, dataDir);
        if (storeOptions.connector == "SQLite" && !Poco::File(Poco::Path(storeOptions.connection).parent()).exists())
        {
            std::cerr << "data: no folder " << Poco::Path(storeOptions.connection).parent().toString() << "\n";
            return 1;
        }
        return restore(storeOptions, dataDir);
    }
    Poco::File(dataDir).createDirectories();
    ServerStoreOptions storeOptions;
    storeOptions = databaseOptions(dataDir);
    if (args[0] == "audit" && args.size() == 1)
        return printAudit(storeOptions);
    if (args[0] == "mail")
        return mailCommand(args, dataDir);
    if (args[0] == "capacity" || args[0] == "escrow")
        return capacity(args, storeOptions);
    if (args[0] == "catalog")
        return catalog(args, storeOptions);
    if ((args[0] != "user" && args[0] != "device") || args.size() < 2)
    {
        std::cerr << "berkas-server: unknown command \"" << args[0] << "\" (see: berkas-server --help)\n";
        return Application::EXIT_USAGE;
    }
    ServerStore store(storeOptions);
    const std::string& verb = args[1];
    if (args[0] == "device")
    {
        if (verb == "list" && args.size() == 2)
        {
            std::cout << "id\tuser\tenrolled_at\tstate\tpushed\tpulled\n";
            for (const auto& d : store.devices())
                std::cout << d.id << "\t" << d.user << "\t" << d.enrolledAt << "\t" << (d.revoked ? "revoked" : "active")
                          << "\t" << d.pushedSeq << "\t" << d.pulledSeq << "\n";
            return Application::EXIT_OK;
        }
        if (verb == "revoke" && args.size() == 3)
        {
            try
            {
                store.revokeDevice(args[2]);
            }
            catch (const Error& e)
            {
                std::cerr << e.what() << "\n";
                return 1;
            }
            std::cout << "revoked " << args[2] << "; it is refused from its next request\n";
            return Application::EXIT_OK;
        }
        std::cerr << "berkas-server: expected device list or device revoke ID\n";
        return Application::EXIT_USAGE;
    }
    if (verb == "list" && args.size() == 2)
    {
        for (const auto& u : store.users())
            std::cout << u.name << "\t" << u.role << "\t" << u.kecamatan << "\t" << (u.disabled ? "disabled" : "active") << "\n";
        return Application::EXIT_OK;
    }
    if (verb == "disable" && args.size() == 3)
    {
        store.setUserDisabled(args[2], true);
        std::cout << "disabled " << args[2] << "\n";
        return Application::EXIT_OK;
    }
    if (verb == "add" && args.size() == 3)
    {
        UserAccount user;
        user.name = args[2];
        user.role = config().getString("user.role", "");
        user.kecamatan = config().getString("user.kecamatan", "");
        if (std::find(kRoles.begin(), kRoles.end(), user.role) == kRoles.end())
        {
            std::cerr << "role: must be one of admin, manager, clerk, verifier, got \"" << user.role << "\"\n";
            return 1;
        }
        if (user.role == "clerk" && user.kecamatan.empty())
        {
            std::cerr << "kecamatan: is required for a clerk (e.g. --kecamatan=32.75.09)\n";
            return 1;
        }
        std::string password;
        std::getline(std::cin, password);
        if (const std::string problem = Passwords::policyProblem(password, user.name); !problem.empty())
        {
            std::cerr << problem << "\n";
            return 1;
        }
        const unsigned iterations = static_cast<unsigned>(config().getInt("auth.pbkdf2_iterations", Passwords::kDefaultIterations));
        user.passwordHash = Passwords::hash(password, iterations);
        store.addUser(user);
        std::cout << "added " << user.name << " (" << user.role << ")\n";
        return Application::EXIT_OK;
    }
    std::cerr << "berkas-server: expected user add NAME --role=..., user list, user disable NAME, device list, "
                 "device revoke ID or audit\n";
    return Application::EXIT_USAGE;
}

} // namespace berkas::sync
