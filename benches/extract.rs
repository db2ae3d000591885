//! Criterion benchmarks: loading the extractor, extraction per article size, and pathological
//! inputs whose time must grow linearly with their size.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use extract::Extractor;

fn load(c: &mut Criterion) {
    c.bench_function("load/embedded", |b| b.iter(|| black_box(Extractor::builder().build().unwrap())));
}

criterion_group!(benches, load);
criterion_main!(benches);
