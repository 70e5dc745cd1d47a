#pragma once

#include "model/Record.h"
#include "model/Regions.h"

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace berkas::bench {

inline const std::vector<std::string> kFirstNames = {
    "Adi",   "Ayu",   "Bagus",  "Citra", "Dewi",  "Eko",    "Fitri", "Gilang", "Hendra", "Indah", "Joko",  "Kartika",
    "Lestari", "Made", "Nur",   "Oki",   "Putri", "Rahmat", "Sari",  "Teguh",  "Umi",    "Wahyu", "Yudi",  "Zahra",
    "Rina",  "Agus",  "Bayu",   "Dian",  "Fajar", "Galih",  "Hana",  "Intan",  "Kurnia", "Lukman", "Maya", "Nanda"};
inline const std::vector<std::string> kLastNames = {
    "Santoso", "Wijaya",   "Lestari", "Saputra", "Rahmawati", "Hidayat",  "Kusuma",    "Pratama",
    "Siregar", "Nasution", "Hutapea", "Setiawan", "Permana",  "Anggraini", "Wibowo",   "Susanto",
    "Maharani", "Firmansyah", "Nugroho", "Purnama", "Sitompul", "Halim",   "Gunawan",  "Utami"};
inline const std::vector<std::string> kChannels = {"portal", "phone", "email", "whatsapp", "social_media", "counter", "oss"};

/// Synthetic applicants for Kota Bekasi with valid NIKs, deterministic for a seed.
class Applicants
{
public:
    explicit Applicants(std::uint32_t seed) : m_rng(seed)
    {
        for (const auto& d : model::Regions::standard().districtsOf("32.75"))
            m_districts.push_back(d.first);
    }

    model::FieldMap next(const std::string& serviceCode, std::size_t i)
    {
        const std::string& district = m_districts[m_rng() % m_districts.size()];
        std::string nik;
        for (char c : district)
            if (c != '.')
                nik += c;
        char tail[16];
        const int day = 1 + static_cast<int>(m_rng() % 28) + (m_rng() % 2 ? 40 : 0);
        std::snprintf(tail, sizeof tail, "%02d%02d%02d%04d", day, 1 + static_cast<int>(m_rng() % 12),
                      static_cast<int>(60 + m_rng() % 40), 1 + static_cast<int>(m_rng() % 9999));
        nik += tail;
        char phone[16];
        std::snprintf(phone, sizeof phone, "+6281%09u", static_cast<unsigned>(m_rng() % 1000000000));
        return {
            {"service_code", serviceCode},
            {"applicant_name", pick(kFirstNames) + " " + pick(kLastNames)},
            {"nik", nik},
            {"phone", phone},
            {"email", "pemohon" + std::to_string(i) + "@contoh.id"},
            {"address", "Jl. Melati No. " + std::to_string(1 + m_rng() % 200)},
            {"kecamatan", district},
            {"channel", pick(kChannels)},
        };
    }

    /// The kecamatan codes of Kota Bekasi the applicants live in.
    const std::vector<std::string>& districts() const { return m_districts; }
    std::mt19937& rng() { return m_rng; }
    const std::string& pick(const std::vector<std::string>& v) { return v[m_rng() % v.size()]; }

private:
    std::mt19937 m_rng;
    std::vector<std::string> m_districts;
};

} // namespace berkas::bench
