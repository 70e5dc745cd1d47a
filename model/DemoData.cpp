#include "model/DemoData.h"

#include "model/CaseStore.h"
#include "model/Regions.h"
#include "model/Workflow.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace berkas::model {

namespace {

const std::vector<std::string> kFirstNames = {
    "Adi", "Ayu", "Bagus", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hendra", "Indah", "Joko", "Kartika",
    "Lestari", "Made", "Nur", "Oki", "Putri", "Rahmat", "Sari", "Teguh", "Umi", "Wahyu", "Yudi", "Zahra",
    "Rina", "Agus", "Bayu", "Dian", "Fajar", "Galih", "Hana", "Intan", "Kurnia", "Lukman", "Maya", "Nanda"};
const std::vector<std::string> kLastNames = {
    "Santoso", "Wijaya", "Lestari", "Saputra", "Rahmawati", "Hidayat", "Kusuma", "Pratama", "Siregar",
    "Nasution", "Hutapea", "Setiawan", "Permana", "Anggraini", "Wibowo", "Susanto", "Maharani", "Firmansyah",
    "Nugroho", "Purnama", "Sitompul", "Halim", "Gunawan", "Utami"};
const std::vector<std::string> kStreets = {"Jl. Melati", "Jl. Kenanga", "Jl. Cendana", "Jl. Merpati",
                                           "Jl. Raya Jatiasih", "Jl. Pramuka", "Jl. Cut Meutia", "Jl. Nusantara"};
const std::vector<std::string> kServices = {"PBG", "KKPR", "SIPD", "SIPB", "SIPP", "REK", "IOS", "SIA", "TDUP", "SKRK"};
const std::vector<std::string> kChannels = {"portal", "phone", "email", "whatsapp", "social_media", "counter", "oss"};
const std::vector<std::string> kComplaintChannels = {"call_center", "whatsapp", "social_media", "email",
                                                     "sp4n_lapor", "walk_in"};
const std::vector<std::string> kCategories = {"pelayanan", "persyaratan", "biaya", "waktu", "informasi"};
const std::vector<std::string> kSubjects = {"Berkas belum diproses", "Pertanyaan persyaratan PBG",
                                            "Status permohonan SIP", "Jadwal verifikasi lapangan",
                                            "Petugas sulit dihubungi", "Cara daftar OSS"};
const std::vector<std::string> kVerifiers = {"verif.andi", "verif.siti", "verif.bambang"};

/// The path an application takes to each end state, one move at a time.
const std::vector<std::vector<std::string>> kPaths = {
    {"draft"},
    {"submitted"},
    {"submitted", "document_check"},
    {"submitted", "document_check", "field_verification"},
    {"submitted", "document_check", "recommendation"},
    {"submitted", "document_check", "approved"},
    {"submitted", "document_check", "approved", "issued"},
    {"submitted", "document_check", "field_verification", "approved", "issued"},
    {"submitted", "rejected"},
    {"submitted", "document_check", "withdrawn"},
};

template <typename T> const T& pick(std::mt19937& rng, const std::vector<T>& v)
{
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

std::string twoDigits(int n)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n % 100);
    return buf;
}

std::string syntheticNik(std::mt19937& rng, const std::string& district)
{
    // District digits, birth date DDMMYY (day + 40 for women), serial.
    std::string nik;
    for (char c : district)
        if (c != '.')
            nik += c;
    const bool woman = rng() % 2;
    const int day = 1 + static_cast<int>(rng() % 28);
    const int month = 1 + static_cast<int>(rng() % 12);
    const int year = 60 + static_cast<int>(rng() % 45);
    nik += twoDigits(day + (woman ? 40 : 0)) + twoDigits(month) + twoDigits(year);
    char serial[8];
    std::snprintf(serial, sizeof serial, "%04d", 1 + static_cast<int>(rng() % 9999));
    return nik + serial;
}

std::string mobile(std::mt19937& rng)
{
    std::string p = "08";
    p += "1" + std::to_string(1 + rng() % 9);
    for (int i = 0; i < 8; ++i)
        p += static_cast<char>('0' + rng() % 10);
    return p;
}

} // namespace

DemoCounts generateDemoData(CaseStore& store, const DemoOptions& options)
{
    std::mt19937 rng(options.seed);
    DemoCounts counts;
    const std::int64_t today = options.todayMs ? options.todayMs : HybridLogicalClock::systemMs();
    const std::int64_t day = 24LL * 3600 * 1000;
    const auto districts = Regions::standard().districtsOf("32.75");
    std::vector<std::vector<std::pair<std::string, std::string>>> villages;
    for (const auto& d : districts)
        villages.push_back(Regions::standard().villagesOf(d.first));

    std::int64_t clock = today - 120 * day;
    // Never past "today": stamps from the future would be refused by the
    // central office.
    store.setWallClock([&clock, today] { return std::min(clock, today); });
    store.inBatch([&] {
        for (int i = 0; i < options.applications; ++i)
        {
            // Spread creations over the period; each record's later moves
            // happen a few days after it was created.
            clock = today - 120 * day + (120 * day * i) / std::max(1, options.applications);
            const std::size_t d = rng() % districts.size();
            const std::string name = pick(rng, kFirstNames) + " " + pick(rng, kLastNames);
            FieldMap f = {
                {field::kServiceCode, pick(rng, kServices)},
                {field::kApplicantName, name},
                {field::kNik, syntheticNik(rng, districts[d].first)},
                {field::kPhone, mobile(rng)},
                {field::kEmail, "pemohon" + std::to_string(i + 1) + "@contoh.id"},
                {field::kAddress, pick(rng, kStreets) + " No. " + std::to_string(1 + rng() % 200)},
                {field::kKecamatan, districts[d].first},
                {field::kChannel, pick(rng, kChannels)},
            };
            if (!villages[d].empty())
                f[field::kKelurahan] = pick(rng, villages[d]).first;
            if (f[field::kServiceCode] == "TDUP" || f[field::kServiceCode] == "REK" ||
                f[field::kServiceCode] == "KKPR")
            {
                std::string nib;
                for (int k = 0; k < 13; ++k)
                    nib += static_cast<char>('0' + (k == 0 ? 1 + rng() % 9 : rng() % 10));
                f[field::kNib] = nib;
            }
            const auto& path = pick(rng, kPaths);
            if (path.front() == "submitted")
                f[field::kStatus] = "submitted";
            const std::string id = store.create(kind::kApplication, f);
            ++counts.applications;
            for (std::size_t step = 1; step < path.size(); ++step)
            {
                clock += day * static_cast<std::int64_t>(1 + rng() % 4);
                if (clock > today)
                    clock = today;
                if (path[step - 1] == "document_check" && path[step] != "rejected" && path[step] != "withdrawn" &&
                    path[step] != "submitted")
                {
                    // The documents were checked before the file moved on.
                    ListQuery items;
                    items.kind = kind::kRequirement;
                    items.where = {{field::kApplicationId, id}};
                    for (const auto& item : store.list(items))
                        store.update(item.id, {{field::kFulfilled, "1"}, {field::kCheckedBy, "demo"}});
                }
                if (path[step] != "field_verification")
                    store.update(id, {{field::kStatus, path[step]}});
                else
                {
                    // The move brings the verifier's task (WriteRules), for
                    // the verifier the file is assigned to.
                    store.update(id,
                                 {{field::kStatus, path[step]}, {field::kAssignedTo, pick(rng, kVerifiers)}});
                    ListQuery tasks;
                    tasks.kind = kind::kTask;
                    tasks.where = {{field::kApplicationId, id}};
                    tasks.limit = 1;
                    const std::string taskId = store.list(tasks).front().id;
                    ++counts.tasks;
                    if (step + 1 < path.size())
                    {
                        // The visit happened before the file moved on: a
                        // finding near Bekasi's centre (-6.24, 106.99).
                        clock += day;
                        char lat[16];
                        char lon[16];
                        std::snprintf(lat, sizeof lat, "%.5f", -6.24 - 0.001 * static_cast<double>(rng() % 90));
                        std::snprintf(lon, sizeof lon, "%.5f", 106.99 + 0.001 * static_cast<double>(rng() % 90));
                        store.update(taskId, {{field::kStatus, "in_progress"}});
                        store.update(taskId, {{field::kStatus, "done"},
                                              {field::kResult, "compliant"},
                                              {field::kFindings, "Lokasi sesuai dengan dokumen permohonan."},
                                              {field::kLatitude, lat},
                                              {field::kLongitude, lon}});
                    }
                }
            }
            if (i % 4 == 0)
            {
                clock = today - 90 * day + (90 * day * i) / std::max(1, options.applications);
                const std::string complaintId = store.create(
                    kind::kComplaint,
                    {{field::kKind, rng() % 3 ? "complaint" : "consultation"},
                     {field::kChannel, pick(rng, kComplaintChannels)},
                     {field::kComplainantName, pick(rng, kFirstNames) + " " + pick(rng, kLastNames)},
                     {field::kContact, mobile(rng)},
                     {field::kSubject, pick(rng, kSubjects)},
                     {field::kBody, "Mohon informasi tindak lanjut atas permohonan saya."},
                     {field::kCategory, pick(rng, kCategories)},
                     {field::kKecamatan, districts[d].first}});
                ++counts.complaints;
                // Most complaints get an answer within a few working days;
                // some are still open, a few answered late.
                const int fate = static_cast<int>(rng() % 10);
                if (fate >= 3)
                {
                    clock += day * static_cast<std::int64_t>(rng() % 3);
                    store.update(complaintId, {{field::kStatus, "in_progress"}});
                }
                if (fate >= 5)
                {
                    clock += day * static_cast<std::int64_t>(1 + rng() % (fate == 9 ? 12 : 4));
                    if (clock > today)
                        clock = today;
                    store.update(complaintId,
                                 {{field::kStatus, "responded"},
                                  {field::kResponse,
                                   "Terima kasih. Permohonan Anda sedang kami proses sesuai jadwal."}});
                }
                if (fate >= 7)
                    store.update(complaintId, {{field::kStatus, "closed"}});
            }
            if (i % 5 == 0)
            {
                clock = today - 10 * day + (10 * day * i) / std::max(1, options.applications);
                const Date date = Date::fromDays(today / day + 1 + static_cast<long>(rng() % 10));
                // A day the counter serves: bookings on weekends and holidays are refused.
                Date bookingDay = date;
                while (!store.calendar().isWorkingDay(bookingDay))
                    bookingDay = bookingDay.addDays(1);
                const int hour = 8 + static_cast<int>(rng() % 7);
                store.create(kind::kBooking, {{field::kServiceCode, pick(rng, kServices)},
                                              {field::kLocation, "MPP Kota Bekasi"},
                                              {field::kDate, bookingDay.toString()},
                                              {field::kSlot, twoDigits(hour) + (rng() % 2 ? ":30" : ":00")},
                                              {field::kApplicantName, name},
                                              {field::kPhone, mobile(rng)}});
                ++counts.bookings;
            }
        }
    });
    store.setWallClock(nullptr);
    return counts;
}

} // namespace berkas::model
