//! Times each stage of the pipeline over a JSON Lines corpus (`{"text": ...}` per line), one
//! thread: `cargo run --release --example stages -- corpus.jsonl`. For profiling work; the
//! whole-run figures come from `scripts/bench_run.py`.

use std::time::{Duration, Instant};

use extract::{entities, tokenize, Extractor};

fn main() {
    let path = std::env::args().nth(1).expect("usage: stages CORPUS.jsonl");
    let corpus = std::fs::read_to_string(&path).expect("readable corpus");
    let texts: Vec<String> = corpus
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t0 = Instant::now();
    let ex = Extractor::builder().build().expect("embedded data loads");
    let load = t0.elapsed();
    let mut time = [Duration::ZERO; 5];
    for text in &texts {
        let t = Instant::now();
        let a = tokenize::tokenize(text);
        time[0] += t.elapsed();
        let t = Instant::now();
        let hits = ex.gazetteer().find(&a);
        time[1] += t.elapsed();
        let t = Instant::now();
        let ents = entities::resolve(&a, ex.gazetteer(), &hits);
        time[2] += t.elapsed();
        let t = Instant::now();
        let found = ex.rules().apply(&a, &ents);
        time[3] += t.elapsed();
        std::hint::black_box(found);
        let t = Instant::now();
        let doc = ex.extract("x", text);
        let line = extract::to_json_line(&doc);
        std::hint::black_box(line);
        time[4] += t.elapsed();
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{} docs, {mb:.1} MB, load {:.1} ms",
        texts.len(),
        load.as_secs_f64() * 1e3
    );
    let names = [
        "tokenize",
        "gazetteer",
        "entities",
        "relations",
        "whole doc+json",
    ];
    for (n, d) in names.iter().zip(time) {
        println!(
            "{n:>16}: {:7.3} s  {:8.1} MB/s",
            d.as_secs_f64(),
            mb / d.as_secs_f64()
        );
    }
}
