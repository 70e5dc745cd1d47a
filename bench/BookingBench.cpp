#include "bench/BookingBench.h"

#include "bench/BenchStore.h"
#include "model/CaseStore.h"
#include "model/Uuid.h"
#include "sync/Passwords.h"
#include "sync/SyncClient.h"
#include "sync/server/BookingDesk.h"
#include "sync/server/ServerStore.h"
#include "sync/server/SyncServer.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace berkas::bench {

namespace {

const char* const kPassword = "bench-password-1";
const char* const kCounter = "MPP Kota Bekasi";

using Folder = BenchFolder;

struct Device
{
    Folder folder;
    std::unique_ptr<model::CaseStore> store;
    std::unique_ptr<sync::SyncClient> client;
    std::vector<std::string> bookings;
    std::string error;
};

} // namespace

Poco::JSON::Object::Ptr benchBookingStorm(std::int64_t devices, std::int64_t perDevice, std::int64_t capacity,
                                          int threads)
{
    Folder serverFolder;
    sync::ServerStoreOptions so;
    so.connection = serverFolder.path + "/server.db";
    sync::ServerStore server(so);
    server.addUser({"bench", "manager", "", sync::Passwords::hash(kPassword, 1000), false, ""});
    sync::SyncServerOptions ho;
    ho.port = 0;
    ho.plainHttp = true;
    if (threads > 0)
        ho.threads = threads;
    sync::SyncServer http(server, ho);
    http.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(http.port());

    std::vector<std::unique_ptr<Device>> fleet;
    std::string day;
    for (std::int64_t d = 0; d < devices; ++d)
    {
        auto dev = std::make_unique<Device>();
        dev->store = std::make_unique<model::CaseStore>(benchStoreOptions(dev->folder.path));
        sync::SyncClientOptions co;
        co.unlockIterations = 1000;
        dev->client = std::make_unique<sync::SyncClient>(*dev->store, co);
        dev->client->enroll(url, "bench", kPassword);
        if (day.empty())
        {
            // A working day two weeks ahead, as the laptops' calendar has it.
            model::Date date = dev->store->today().addDays(14);
            while (!dev->store->calendar().isWorkingDay(date))
                date = date.addDays(1);
            day = date.toString();
            sync::CapacityRequest r{kCounter, "PBG", day, "", std::to_string(capacity), "08:00", "16:00"};
            server.setCapacity(r);
        }
        dev->store->inBatch([&] {
            for (std::int64_t i = 0; i < perDevice; ++i)
            {
                const int minutes = static_cast<int>((d * perDevice + i) % 480);
                const auto two = [](int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); };
                const std::string slot = two(8 + minutes / 60) + ":" + two(minutes % 60);
                dev->bookings.push_back(dev->store->create(
                    "booking", {{"service_code", "PBG"},
                                {"location", kCounter},
                                {"date", day},
                                {"slot", slot},
                                {"applicant_name", "Pemohon Sintetis " + std::to_string(d) + "-" + std::to_string(i)}}));
            }
        });
        fleet.push_back(std::move(dev));
    }

    // All at once: every thread waits at the gate, then pushes (and pulls).
    std::mutex m;
    std::condition_variable gate;
    bool open = false;
    std::vector<std::thread> storm;
    std::vector<double> perDeviceSeconds(fleet.size());
    for (std::size_t i = 0; i < fleet.size(); ++i)
        storm.emplace_back([&, i] {
            {
                std::unique_lock<std::mutex> lock(m);
                gate.wait(lock, [&] { return open; });
            }
            const auto start = std::chrono::steady_clock::now();
            try
            {
                fleet[i]->client->sync();
            }
            catch (const std::exception& e)
            {
                fleet[i]->error = e.what();
            }
            perDeviceSeconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        });
    const auto start = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(m);
        open = true;
    }
    gate.notify_all();
    for (auto& t : storm)
        t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::int64_t confirmed = 0, overbooked = 0, undecided = 0, failed = 0, disagree = 0;
    for (const auto& dev : fleet)
    {
        failed += dev->error.empty() ? 0 : 1;
        for (const auto& id : dev->bookings)
        {
            const std::string status = server.value(id, "status").value_or("");
            confirmed += status == "confirmed";
            overbooked += status == "overbooked";
            undecided += status != "confirmed" && status != "overbooked";
            // The device that made it holds the server's decision after its sync.
            disagree += dev->store->get(id).value("status") != status;
        }
    }
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("benchmark", "booking-storm");
    o->set("devices", devices);
    o->set("bookings_per_device", perDevice);
    o->set("capacity", capacity);
    o->set("server_threads", ho.threads);
    o->set("seconds", seconds);
    o->set("slowest_device_seconds", *std::max_element(perDeviceSeconds.begin(), perDeviceSeconds.end()));
    o->set("bookings_decided_per_second", static_cast<double>(confirmed + overbooked) / seconds);
    o->set("bookings_confirmed_per_second", static_cast<double>(confirmed) / seconds);
    o->set("confirmed", confirmed);
    o->set("overbooked", overbooked);
    o->set("undecided", undecided);
    o->set("confirmed_beyond_capacity", std::max<std::int64_t>(0, confirmed - capacity));
    o->set("devices_failed", failed);
    o->set("devices_disagreeing", disagree);
    http.stop();
    return o;
}

} // namespace berkas::bench
