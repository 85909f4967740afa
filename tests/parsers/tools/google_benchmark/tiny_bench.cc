// A tiny Google Benchmark program for gatekeeper's real-tool tests (test_real_tools.py).
// Fixed iteration counts keep it fast and make the iteration figures predictable.
#include <benchmark/benchmark.h>

#include <string>

static void BM_StringCopy(benchmark::State& state) {
  const std::string source(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    std::string copy(source);
    benchmark::DoNotOptimize(copy);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetItemsProcessed(state.iterations());
  state.counters["length"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_StringCopy)->Arg(8)->Arg(4096)->Iterations(20000);

static void BM_Sum(benchmark::State& state) {
  for (auto _ : state) {
    int total = 0;
    for (int i = 0; i < 1000; ++i) benchmark::DoNotOptimize(total += i);
  }
}
BENCHMARK(BM_Sum)->Unit(benchmark::kMicrosecond)->Iterations(2000);

static void BM_NoDatabase(benchmark::State& state) {
  state.SkipWithError("no database");
  for (auto _ : state) {
  }
}
BENCHMARK(BM_NoDatabase)->Iterations(10);

BENCHMARK_MAIN();
