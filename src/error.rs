//! The library's error type: what can go wrong while loading gazetteers and rules.
//!
//! Extraction itself cannot fail; only building an [`crate::Extractor`] can.

use std::path::PathBuf;

/// An error from loading gazetteers or rules.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A gazetteer line is malformed, or two lines contradict each other.
    #[error("{path}:{line}: {message}")]
    Gazetteer {
        /// The gazetteer file (as given, or `embedded:NAME` for a built-in list).
        path: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A relation rule file is malformed or a rule is invalid.
    #[error("rules {path}: {message}")]
    Rules {
        /// The rules file (or `embedded:NAME`).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A file or directory could not be read.
    #[error("reading {}: {source}", path.display())]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}
