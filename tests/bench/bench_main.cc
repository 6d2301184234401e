// The one main() of atende_bench: every tests/bench/*.cc registers its
// benchmarks with BENCHMARK(...) and defines no main of its own.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
