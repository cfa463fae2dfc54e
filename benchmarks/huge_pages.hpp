// Large benchmark inputs and outputs in the memory leadkit gives its own large
// random-access arrays (src/core/huge_pages.hpp: 2 MiB or more, aligned to
// 2 MiB and advised to use transparent huge pages), which numpy gives any
// array of 4 MiB or more on Linux. On a machine whose THP setting is "madvise"
// (Debian's default), a plain std::vector of 512 MiB gets 4 KiB pages and
// streams slower (TLB misses) than the same bytes in a numpy array, so the
// C API rows and the Python rows of compare_peers.py would otherwise measure
// different memory, and so would the limits. A host application that streams
// large feature matrices through leadkit gains the same way from allocating
// them like this.
#pragma once

#include "core/huge_pages.hpp"

namespace leadkit_bench {

template <typename T>
using HugeVector = leadkit::engine::HugeVector<T>;

}  // namespace leadkit_bench
