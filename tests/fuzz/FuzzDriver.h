#pragma once

// The libFuzzer entry point around one of the per-input functions of
// FuzzTargets.h. Included once by each berkas-fuzz-* executable.

#include "tests/fuzz/FuzzTargets.h"

#include <Poco/Exception.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <typeinfo>

#define BERKAS_FUZZ_DRIVER(function)                                                                         \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)                         \
    {                                                                                                        \
        try                                                                                                  \
        {                                                                                                    \
            function(data, size);                                                                            \
        }                                                                                                    \
        catch (const berkas::fuzz::KnownViolation&)                                                          \
        {                                                                                                    \
        }                                                                                                    \
        catch (const Poco::Exception& e)                                                                     \
        {                                                                                                    \
            std::fprintf(stderr, "berkas-fuzz: uncaught %s: %s\n", typeid(e).name(), e.displayText().c_str()); \
            std::abort();                                                                                    \
        }                                                                                                    \
        catch (const std::exception& e)                                                                      \
        {                                                                                                    \
            std::fprintf(stderr, "berkas-fuzz: uncaught %s: %s\n", typeid(e).name(), e.what());               \
            std::abort();                                                                                    \
        }                                                                                                    \
        return 0;                                                                                            \
    }
