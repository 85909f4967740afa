// libtest benchmarks measured by test_cargo_bench_parser.py (RUSTC_BOOTSTRAP=1 cargo bench).
#![feature(test)]
extern crate test;
use test::{black_box, Bencher};

#[bench]
fn fib_10(b: &mut Bencher) { b.iter(|| benchy::fib(black_box(10))); }

#[bench]
fn fib_20(b: &mut Bencher) { b.iter(|| benchy::fib(black_box(20))); }

#[bench]
fn copy_4k(b: &mut Bencher) {
    let src = vec![7u8; 4096];
    b.bytes = 4096;
    b.iter(|| { let v: Vec<u8> = black_box(&src).clone(); v });
}

#[bench]
fn panics(_b: &mut Bencher) { panic!("built to fail"); }

#[test]
#[ignore]
fn slow_test() {}
