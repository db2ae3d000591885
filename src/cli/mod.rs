//! The `extract` command line: flags, inputs, the batch runner and `extract check`.

pub mod args;
pub mod input;
pub mod run;

use std::path::Path;

/// A path relative to `dir`, with `/` separators (the id of a file found in a directory).
pub fn relative_id(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
