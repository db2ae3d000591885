//! Arbitrary bytes, decoded as the binary's `--lossy` does, through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    common::check_text("fuzz.txt", &text);
});
