#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berkas::model {

/// Indonesian administrative areas with Kemendagri codes, read from the CSV
/// files in assets/reference/regions: provinces "32", regencies (kab/kota)
/// "32.75", districts (kecamatan) "32.75.09", villages (kelurahan/desa)
/// "32.75.09.1001". Codes are always written with dots. Immutable after
/// loading, so one instance may be shared between threads.
class Regions
{
public:
    using Entry = std::pair<std::string, std::string>; ///< (code, name)

    /// The shipped reference data, loaded once on first use (thread-safe).
    /// The folder is assetsDir()/reference/regions (model/Assets.h).
    /// Throws like load(); a later call tries again.
    static const Regions& standard();

    /// Reads provinces.csv, regencies.csv, districts.csv and villages.csv from
    /// @p dir. Throws Error(Storage) naming the file when one cannot be read,
    /// Error(InvalidData) naming file and line for a malformed row.
    static Regions load(const std::string& dir);

    bool hasProvince(std::string_view code) const;
    bool hasRegency(std::string_view code) const;
    bool hasDistrict(std::string_view code) const;
    bool hasVillage(std::string_view code) const;

    /// The name of the area with @p code at any level; empty when unknown.
    std::string name(std::string_view code) const;

    /// The regencies of a province, sorted by code.
    std::vector<Entry> regenciesOf(std::string_view provinceCode) const;

    /// The districts of a regency ("32.75"), sorted by code; empty when unknown.
    std::vector<Entry> districtsOf(std::string_view regencyCode) const;

    /// The villages of a district ("32.75.09"), sorted by code; empty when unknown.
    std::vector<Entry> villagesOf(std::string_view districtCode) const;

    std::size_t provinceCount() const { return m_provinces.size(); }
    std::size_t regencyCount() const { return m_regencies.size(); }
    std::size_t districtCount() const { return m_districts.size(); }
    std::size_t villageCount() const { return m_villages.size(); }

private:
    Regions() = default;

    const std::vector<Entry>* levelOf(std::string_view code) const;

    std::vector<Entry> m_provinces; // each sorted by code
    std::vector<Entry> m_regencies;
    std::vector<Entry> m_districts;
    std::vector<Entry> m_villages;
};

} // namespace berkas::model
