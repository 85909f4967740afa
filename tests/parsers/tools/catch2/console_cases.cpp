// Console-table cases for gatekeeper's catch2 fixtures: wrapped names, ms and s units,
// assertions that interrupt a benchmark, a failing REQUIRE inside one.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/benchmark/catch_benchmark.hpp>
#include <catch2/catch_test_macros.hpp>
#else
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_ENABLE_BENCHMARKING
#include <catch2/catch.hpp>
#endif
#include <chrono>
#include <thread>
static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static void nap(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
TEST_CASE("long names") {
  BENCHMARK("a benchmark with a rather long name that has to wrap onto more than one line") {
    return fib(5);
  };
  BENCHMARK("ABenchmarkNameWithoutSpacesThatCatchHasToBreak") { return fib(3); };
  BENCHMARK("path/like/name/that/is/long/enough/to/wrap") { return fib(2); };
}
TEST_CASE("units") {
  BENCHMARK("naps 3 ms") { nap(3); return 1; };
  BENCHMARK("naps 1.2 s") { nap(1200); return 1; };
}
static int calls = 0;
TEST_CASE("checks in a benchmark") {
  BENCHMARK("checking") { CHECK(++calls % 3000 != 1); return fib(5); };
  BENCHMARK("after the checking one") { return fib(3); };
}
TEST_CASE("requires in a benchmark") {
  BENCHMARK("requiring") { REQUIRE(fib(3) == 4); return 1; };
}
