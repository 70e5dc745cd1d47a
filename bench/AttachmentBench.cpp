#include "bench/AttachmentBench.h"

#include "bench/BenchStore.h"
#include "bench/PeakMemory.h"
#include "model/AttachmentFiles.h"
#include "model/CaseStore.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/SyncClient.h"
#include "sync/server/ServerStore.h"
#include "sync/server/SyncServer.h"

#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <random>

namespace berkas::bench {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr std::int64_t kPhotoBytes = 5 * 1000 * 1000;
constexpr const char* kPassword = "kata-sandi-bench-1";

/// The plain transfer: PUT streams the body into a file, GET streams it
/// back; nothing checked, nothing chunked.
class PlainHandler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit PlainHandler(std::string path) : m_path(std::move(path)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        if (request.getMethod() == "PUT")
        {
            std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
            Poco::StreamCopier::copyStream(request.stream(), out, 1024 * 1024);
            response.setContentLength(0);
            response.send();
            return;
        }
        std::ifstream in(m_path, std::ios::binary);
        response.setContentType("application/octet-stream");
        response.setContentLength64(static_cast<Poco::Int64>(Poco::File(m_path).getSize()));
        Poco::StreamCopier::copyStream(in, response.send(), 1024 * 1024);
    }

private:
    std::string m_path;
};

class PlainFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit PlainFactory(std::string path) : m_path(std::move(path)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new PlainHandler(m_path);
    }

private:
    std::string m_path;
};

} // namespace

Poco::JSON::Object::Ptr benchAttachmentSync(std::int64_t megabytes)
{
    const std::string root = Poco::Path::temp() + "berkas-bench-" + model::newUuidV7();
    Poco::File(root).createDirectories();
    struct Cleanup
    {
        std::string path;
        ~Cleanup()
        {
            try
            {
                Poco::File(path).remove(true);
            }
            catch (...)
            {
            }
        }
    } cleanup{root};
    const auto sub = [&](const std::string& name) {
        const std::string p = Poco::Path(root).append(name).toString();
        Poco::File(p).createDirectories();
        return p;
    };

    // The central office.
    sync::ServerStore server(sync::ServerStore::optionsFor("", sub("server")));
    server.addUser({"kepala", "manager", "", sync::Passwords::hash(kPassword, 1000), false, ""});
    server.addUser({"budi", "verifier", "", sync::Passwords::hash(kPassword, 1000), false, ""});
    sync::SyncServerOptions options;
    options.port = 0;
    options.plainHttp = true;
    options.fileDir = sub("server") + "/files";
    options.maxFileSize = 0;
    sync::SyncServer http(server, options);
    http.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(http.port());

    // The laptop that attaches, and the verifier's that fetches.
    sync::SyncClientOptions clientOptions;
    clientOptions.unlockIterations = 1000;
    model::CaseStore a(benchStoreOptions(sub("a"), "kepala"));
    model::CaseStore b(benchStoreOptions(sub("b"), "budi"));
    sync::SyncClient clientA(a, clientOptions);
    sync::SyncClient clientB(b, clientOptions);
    clientA.enroll(url, "kepala", kPassword);
    clientB.enroll(url, "budi", kPassword);
    const std::string app = a.create("application", {{"service_code", "PBG"},
                                                     {"applicant_name", "Rini Hapsari"},
                                                     {"nik", "3275094107900001"},
                                                     {"channel", "phone"},
                                                     {"kecamatan", "32.75.09"}});
    const std::string task =
        a.create("task", {{"application_id", app}, {"assigned_to", "budi"}, {"scheduled_for", "2026-12-10"}});

    // Photos of random bytes (incompressible, like JPEG data) after a JPEG start.
    const std::int64_t photos = std::max<std::int64_t>(1, megabytes * 1000 * 1000 / kPhotoBytes);
    const std::string photoDir = sub("photos");
    std::mt19937_64 rng(20261203);
    std::string buffer(static_cast<std::size_t>(kPhotoBytes), '\0');
    const std::string everything = photoDir + "/all.bin"; // the same bytes, one file, for the plain transfer
    {
        std::ofstream all(everything, std::ios::binary);
        for (std::int64_t i = 0; i < photos; ++i)
        {
            for (std::size_t k = 0; k + 8 <= buffer.size(); k += 8)
            {
                const std::uint64_t v = rng();
                std::memcpy(buffer.data() + k, &v, 8);
            }
            buffer[0] = '\xFF';
            buffer[1] = '\xD8';
            buffer[2] = '\xFF';
            const std::string path = photoDir + "/foto-" + std::to_string(i) + ".jpg";
            std::ofstream(path, std::ios::binary).write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            all.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            model::attachFile(a, task, path);
        }
    }
    const double totalMb = static_cast<double>(photos * kPhotoBytes) / 1e6;

    const bool peakResettable = resetPeakRss();
    const long baseKb = peakRssKb();
    auto start = Clock::now();
    const auto up = clientA.sync();
    const double upSeconds = secondsSince(start);
    start = Clock::now();
    const auto down = clientB.sync();
    const double downSeconds = secondsSince(start);
    const long peakKb = peakRssKb();

    // The plain transfer of the same bytes, same loopback, same disk.
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(options.queue);
    Poco::Net::HTTPServer plain(new PlainFactory(sub("plain") + "/all.bin"), socket, params);
    plain.start();
    Poco::Net::HTTPClientSession session("127.0.0.1", socket.address().port());
    session.setTimeout(Poco::Timespan(120, 0));
    start = Clock::now();
    {
        Poco::Net::HTTPRequest put("PUT", "/all", Poco::Net::HTTPMessage::HTTP_1_1);
        put.setContentLength64(static_cast<Poco::Int64>(Poco::File(everything).getSize()));
        std::ifstream in(everything, std::ios::binary);
        Poco::StreamCopier::copyStream(in, session.sendRequest(put), 1024 * 1024);
        Poco::Net::HTTPResponse response;
        std::string ignored;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
    }
    const double plainUpSeconds = secondsSince(start);
    start = Clock::now();
    {
        Poco::Net::HTTPRequest get("GET", "/all", Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(get);
        Poco::Net::HTTPResponse response;
        std::ofstream out(sub("plain-down") + "/all.bin", std::ios::binary);
        Poco::StreamCopier::copyStream(session.receiveResponse(response), out, 1024 * 1024);
    }
    const double plainDownSeconds = secondsSince(start);
    plain.stop();
    http.stop();

    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("benchmark", "attachment-sync");
    o->set("encrypted", !benchKey().empty());
    o->set("files", photos);
    o->set("megabytes", totalMb);
    o->set("files_sent", up.filesSent);
    o->set("files_fetched", down.filesFetched);
    o->set("upload_mb_per_s", totalMb / upSeconds);
    o->set("plain_upload_mb_per_s", totalMb / plainUpSeconds);
    o->set("upload_ratio", plainUpSeconds / upSeconds);
    o->set("download_mb_per_s", totalMb / downSeconds);
    o->set("plain_download_mb_per_s", totalMb / plainDownSeconds);
    o->set("download_ratio", plainDownSeconds / downSeconds);
    o->set("target_ratio", 0.7);
    o->set("peak_rss_mb", static_cast<double>(peakKb) / 1024.0);
    o->set("peak_rss_above_start_mb", static_cast<double>(peakKb - baseKb) / 1024.0);
    o->set("peak_rss_is_transfer_only", peakResettable);
    return o;
}

} // namespace berkas::bench
