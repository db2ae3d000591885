//! Pathological inputs at two sizes, N and 2N (issue 6): if extraction is linear, each case's
//! throughput (bytes/s) is the same at both sizes and the time doubles; a quadratic stage shows
//! as the time growing about four times.
//!
//! Run with `cargo bench --bench pathological` (a couple of minutes; `-- NAME` runs the groups
//! whose name contains NAME). After criterion's report, a table gives the time ratio 2N / N of
//! each case (best of five runs); a ratio well above 2 means a superlinear stage.
//! `scripts/linearity.sh` does the same with the release binary at full size (a 50 MB line).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use extract::Extractor;

/// Repeats `unit` (a function of the repetition index) until the text reaches `bytes`.
fn repeat_to(bytes: usize, unit: impl Fn(usize) -> String) -> String {
    let mut s = String::with_capacity(bytes + 256);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&unit(i));
        i += 1;
    }
    s
}

const WORDS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
];
const NAMES: &[&str] = &[
    "China",
    "Russia",
    "Iran",
    "North Korea",
    "Britain",
    "the United States",
    "France",
    "Japan",
];

/// One pathological shape: a name, its size N in bytes, and how to make a text of a size.
struct Case {
    name: &'static str,
    n: usize,
    make: fn(usize) -> String,
}

fn cases() -> Vec<Case> {
    vec![
        // One sentence of plain words: no punctuation, no line break.
        Case {
            name: "long_line",
            n: 1 << 20,
            make: |b| repeat_to(b, |i| format!("{} ", WORDS[i % WORDS.len()])),
        },
        // "Mr. Mr. Mr. ...": titles that never end a sentence and never reach a name.
        Case {
            name: "mr_repeated",
            n: 256 << 10,
            make: |b| repeat_to(b, |_| "Mr. ".to_string()),
        },
        // One sentence listing thousands of entity names.
        Case {
            name: "entity_list_sentence",
            n: 128 << 10,
            make: |b| {
                let mut s = "Britain sanctioned ".to_string();
                s.push_str(&repeat_to(b, |i| format!("{}, ", NAMES[i % NAMES.len()])));
                s.push_str("the Foreign Office said.");
                s
            },
        },
        // The same few names in many sentences (coreference and restated relations).
        Case {
            name: "repeated_names",
            n: 256 << 10,
            make: |b| {
                repeat_to(b, |_| {
                    "Zhao Guangzong met Ni Gaobin in Beijing. APT31 denied it. ".to_string()
                })
            },
        },
        // Deeply nested and unbalanced brackets and quotes.
        Case {
            name: "nested_brackets",
            n: 256 << 10,
            make: |b| {
                let half = b / 2;
                let mut s = repeat_to(half, |i| ["(", "[", "“", "‘", "«", "\""][i % 6].to_string());
                s.push_str("Britain sanctioned Russia");
                s.push_str(&repeat_to(b - half, |i| {
                    [")", "]", "”", "’", "»", "'"][i % 6].to_string()
                }));
                s
            },
        },
        // A long Chinese text (no spaces, multi-byte, CJK punctuation).
        Case {
            name: "cjk_text",
            n: 256 << 10,
            make: |b| {
                repeat_to(b, |_| {
                    "中华人民共和国外交部发言人表示，中国坚决反对美国的制裁。".to_string()
                })
            },
        },
        // Many relation triggers in one sentence.
        Case {
            name: "triggers_in_one_sentence",
            n: 256 << 10,
            make: |b| repeat_to(b, |_| "Britain sanctioned Russia ".to_string()),
        },
        // Sanctions and measures in one sentence.
        Case {
            name: "sanctions_with_measures_in_one_sentence",
            n: 256 << 10,
            make: |b| {
                repeat_to(b, |_| {
                    "Britain sanctioned Russia with an asset freeze and ".to_string()
                })
            },
        },
        // Accusations and denials in one sentence.
        Case {
            name: "accusations_in_one_sentence",
            n: 256 << 10,
            make: |b| {
                repeat_to(b, |_| {
                    "China accused Russia of hacking and Russia denied it and ".to_string()
                })
            },
        },
        // The same accusation restated and denied sentence after sentence.
        Case {
            name: "restated_accusations",
            n: 256 << 10,
            make: |b| {
                repeat_to(b, |_| {
                    "China accused Russia of hacking. Russia denied the accusations. ".to_string()
                })
            },
        },
        // Definite descriptions with no compatible antecedent ("the company" after countries).
        Case {
            name: "descriptions_without_antecedent",
            n: 256 << 10,
            make: |b| repeat_to(b, |_| "China the company ".to_string()),
        },
    ]
}

fn extractor() -> Extractor {
    Extractor::builder()
        .build()
        .expect("embedded gazetteers and rules load")
}

fn bench(c: &mut Criterion, ex: &Extractor) {
    for case in cases() {
        let mut g = c.benchmark_group(case.name);
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(2));
        for size in [case.n, 2 * case.n] {
            let text = (case.make)(size);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::from_parameter(size), &text, |b, t| {
                b.iter(|| ex.extract("bench", black_box(t)))
            });
        }
        g.finish();
    }
}

/// Best of five wall-clock times of one extraction, after one unmeasured run.
fn best_time(ex: &Extractor, text: &str) -> Duration {
    black_box(ex.extract("bench", black_box(text)));
    (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(ex.extract("bench", black_box(text)));
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn ratio_table(ex: &Extractor, filter: Option<&str>) {
    println!("\nLinearity (best of 5): time at 2N / time at N; linear ~2, quadratic ~4");
    println!(
        "{:<42} {:>10} {:>12} {:>12} {:>7}",
        "case", "N bytes", "time N", "time 2N", "ratio"
    );
    for case in cases() {
        if filter.is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        let a = (case.make)(case.n);
        let b = (case.make)(2 * case.n);
        let (ta, tb) = (best_time(ex, &a), best_time(ex, &b));
        let ratio = tb.as_secs_f64() / ta.as_secs_f64().max(1e-9);
        let flag = if ratio > 2.8 { "  SUPERLINEAR" } else { "" };
        println!(
            "{:<42} {:>10} {:>12.2?} {:>12.2?} {:>7.2}{flag}",
            case.name,
            a.len(),
            ta,
            tb,
            ratio
        );
    }
}

fn main() {
    let ex = extractor();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &ex);
    c.final_summary();
    // `cargo test --benches` runs each benchmark once in test mode: no table then.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test" || a == "--list") {
        let filter = args
            .iter()
            .skip(1)
            .find(|a| !a.starts_with('-'))
            .map(String::as_str);
        ratio_table(&ex, filter);
    }
}
