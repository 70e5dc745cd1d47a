#include "model/CaseStore.h"

#include <catch2/catch.hpp>

TEST_CASE("CaseStore: placeholder", "[model][store]")
{
    CHECK(true);
}
