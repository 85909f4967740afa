// A tiny Catch2 program for gatekeeper's real-tool tests (test_real_tools.py) and the
// catch2 fixtures: benchmarks (one inside a SECTION, one that throws), a failing check,
// an unexpected exception and a test case that is expected to fail.
// Builds against Catch2 v3 (link Catch2Main and Catch2) or v2 (header only, main in here).
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/benchmark/catch_benchmark.hpp>
#include <catch2/catch_test_macros.hpp>
#else
#define CATCH_CONFIG_MAIN
#define CATCH_CONFIG_ENABLE_BENCHMARKING
#include <catch2/catch.hpp>
#endif

#include <stdexcept>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

TEST_CASE("fibonacci is right", "[math]") {
  REQUIRE(fib(10) == 55);
  BENCHMARK("fib 15") { return fib(15); };
  SECTION("small numbers") {
    BENCHMARK("fib 5") { return fib(5); };
  }
}

TEST_CASE("deliberately failing", "[fails]") { CHECK(fib(5) == 6); }

TEST_CASE("throws", "[fails]") { throw std::runtime_error("boom"); }

TEST_CASE("benchmark that throws", "[fails]") {
  BENCHMARK("exploding") {
    throw std::runtime_error("bang");
    return 1;
  };
}

TEST_CASE("expected to fail", "[!shouldfail]") { CHECK(fib(3) == 3); }

#if CATCH_VERSION_MAJOR >= 3
TEST_CASE("skipped at run time") { SKIP("not today"); }
#endif
