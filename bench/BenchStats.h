#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace berkas::bench {

/// The nearest-rank @p p percentile (0 < p <= 1) of @p values; values must
/// not be empty.
inline double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace berkas::bench
