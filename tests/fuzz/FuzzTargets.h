#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace berkas::fuzz {

/// What one input did: it was turned away as bad input (a berkas::Error, the
/// answer a client would get as 4xx), or it went all the way through.
enum class FuzzOutcome
{
    Rejected,
    Accepted
};

/// An input that broke a property the code promises (a round trip that does
/// not agree, a merge outcome its own rule forbids). The libFuzzer drivers
/// abort on it; the replay test reports it as a failure.
class PropertyViolation : public std::logic_error
{
public:
    using std::logic_error::logic_error;
};

/// A violation that is known and reported but not fixed yet (the code lives
/// where someone else is working). The libFuzzer drivers skip it so that a
/// run finds new problems; the replay test lists it as a warning. Once the
/// code is fixed, the harness throws PropertyViolation there again.
class KnownViolation : public PropertyViolation
{
public:
    using PropertyViolation::PropertyViolation;
};

/// The bytes as the body of POST /v1/push (raw JSON, or gzip when they start
/// with gzip's magic bytes), through the same checks as the server's handler,
/// then decodePush and ServerStore::push on a SQLite file in a temporary
/// folder made once per process (removed at exit). The last byte picks the
/// pusher: odd a clerk of kecamatan 32.75.09, even a manager. The device of
/// the body is enrolled for that user and its pushed change ids reset, as if
/// the token were its own. Catches berkas::Error only: any other exception
/// leaves, and is a bug.
FuzzOutcome fuzzPushBody(const std::uint8_t* data, std::size_t size);

/// The bytes as a pull answer: decodePullText, and when that succeeds, the
/// batch encoded again with encodePullText in every form and decoded again
/// must give the same batch (PropertyViolation otherwise).
FuzzOutcome fuzzPullBody(const std::uint8_t* data, std::size_t size);

/// The bytes drive a few field changes, states and contexts over the model's
/// kinds through sync::merge and pulledValueWins, checking the rules stated
/// in sync/Merge.h (PropertyViolation otherwise).
FuzzOutcome fuzzMerge(const std::uint8_t* data, std::size_t size);

/// Throws PropertyViolation with @p what unless @p condition holds.
inline void expect(bool condition, const std::string& what)
{
    if (!condition)
        throw PropertyViolation(what);
}

} // namespace berkas::fuzz
