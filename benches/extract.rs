//! Criterion benchmarks: building the extractor (loading every embedded gazetteer and the
//! rules), extraction per article size, and a batch over all fixtures with rayon.
//!
//! `cargo bench --bench extract`; throughput is reported in bytes of text per second.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rayon::prelude::*;

use extract::Extractor;

fn fixtures() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    extract::check::cases(&root)
        .unwrap()
        .into_iter()
        .map(|p| {
            (
                extract::check::case_id(&root, &p),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("embedded gazetteers and rules", |b| {
        b.iter(|| black_box(Extractor::builder().build().unwrap()))
    });
    g.finish();
}

fn extract(c: &mut Criterion) {
    let ex = Extractor::builder().build().unwrap();
    let all = fixtures();
    // Three article sizes: the smallest and largest fixture, and all of them as one text.
    let mut by_size: Vec<&(String, String)> = all.iter().collect();
    by_size.sort_by_key(|(_, t)| t.len());
    let joined: String = all
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let cases = [
        ("smallest", by_size[0].1.as_str()),
        ("largest", by_size[by_size.len() - 1].1.as_str()),
        ("all-fixtures-joined", joined.as_str()),
    ];
    let mut g = c.benchmark_group("extract");
    for (name, text) in cases {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new(name, text.len()), text, |b, text| {
            b.iter(|| black_box(extract::to_json_line(&ex.extract("bench", black_box(text)))))
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let ex = Extractor::builder().build().unwrap();
    let all = fixtures();
    let bytes: usize = all.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("fixtures (rayon, ordered)", |b| {
        b.iter(|| {
            let out: Vec<String> = all
                .par_iter()
                .map(|(id, t)| extract::to_json_line(&ex.extract(id, t)))
                .collect();
            black_box(out)
        })
    });
    g.finish();
}

criterion_group!(benches, load, extract, batch);
criterion_main!(benches);
