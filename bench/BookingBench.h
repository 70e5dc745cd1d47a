#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>

namespace berkas::bench {

/// `booking-storm`: @p devices laptops (each its own encrypted store and
/// device), each holding @p perDevice tentative bookings made offline for
/// the same counter day, push at once to a real server on 127.0.0.1 whose
/// capacity for that day is @p capacity slots. Prints bookings confirmed per
/// second, the wall time of the storm, how many were confirmed and
/// overbooked, and how many were confirmed beyond capacity (must be 0).
/// @p threads: the server's worker threads (0: berkas-server's default).
Poco::JSON::Object::Ptr benchBookingStorm(std::int64_t devices, std::int64_t perDevice, std::int64_t capacity,
                                          int threads = 0);

} // namespace berkas::bench
