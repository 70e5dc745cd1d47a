#include "tests/fuzz/FuzzDriver.h"

BERKAS_FUZZ_DRIVER(berkas::fuzz::fuzzMerge)
