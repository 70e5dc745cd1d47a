#pragma once

#include "model/Date.h"
#include "model/DeviceSettings.h"

#include <string>
#include <vector>

namespace berkas::model {

/// Counter slots the central office granted this device ahead of time
/// (escrow, sync/PROTOCOL.md "Escrow"), kept in the device settings: a
/// booking inside the grant is confirmed at once, offline, and can never be
/// overbooked, because the server took those slots out of its pool when it
/// granted them.
///
/// A grant for day D may be used while the office's today is at least two
/// days before D; from the day before D on it is released: this device
/// stops using it, and at its next sync (after the push that carries every
/// booking made under it) tells the server, which returns the unused slots
/// to the pool. A device that does not sync keeps its slots reserved.
/// Reads and writes the settings on the store's thread; the caller's
/// transaction holds the writes.
class EscrowLedger
{
public:
    struct Grant
    {
        std::string location;
        std::string serviceCode;
        std::string date; ///< YYYY-MM-DD
        int slots = 0;
        int used = 0; ///< as the server counted them at the last answer
    };

    explicit EscrowLedger(DeviceSettings& settings) : m_settings(settings) {}

    /// Whether a new booking of @p location, @p serviceCode on @p date may be
    /// confirmed from the grant, on office day @p today.
    bool available(const std::string& location, const std::string& serviceCode, const std::string& date, Date today);
    /// Counts one booking confirmed from the grant.
    void use(const std::string& location, const std::string& serviceCode, const std::string& date);

    /// Marks every grant whose day is tomorrow or earlier on @p today as
    /// released (no booking uses it from now on). Call before a push.
    void releaseDue(Date today);
    /// The released grants (location, service, date) to tell the server;
    /// told again at every sync until the server no longer lists them.
    std::vector<Grant> released();

    /// The grants the server's last answer listed, replacing the ones held.
    void replace(const std::vector<Grant>& grants);
    std::vector<Grant> grants();

private:
    static std::string key(const std::string& location, const std::string& serviceCode, const std::string& date);

    DeviceSettings& m_settings;
};

} // namespace berkas::model
