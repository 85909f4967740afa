// The crate measured by tests/parsers/test_cargo_bench_parser.py.
pub fn fib(n: u64) -> u64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
