//! `extract` reads news articles and returns structured data about **sanctions, attributions,
//! accusations, affiliations and denials**: who sanctioned whom and with what measures, who is
//! said to be behind a cyber operation and who says so, who accuses whom of what, who is tied to
//! whom, and who denies it.
//!
//! # Overview
//!
//! [`Extractor::extract`] runs these stages on one text:
//! 1. [`tokenize`]: tokens and sentences with exact byte and code-point offsets ([`text::Span`]);
//! 2. [`gazetteer`]: known names from the lists in `gazetteers/` (patterns found by a hash built
//!    byte by byte over the folded text; leftmost-longest on token boundaries);
//! 3. [`entities`]: names no list has, found by form and context, and in-document coreference
//!    (short forms, acronyms, country adjectives and capitals, definite descriptions);
//! 4. [`relations`]: the rules of `rules/relations.toml` over tokens and entities;
//! 5. [`model`]: the output document of contract v1 (`extract/1`).
//!
//! Loading can fail ([`Error`]); extraction cannot. An [`Extractor`] is `Send + Sync`: build
//! it once and share it across threads.
//!
//! # Example
//!
//! ```
//! let extractor = extract::Extractor::builder().build()?;
//! let text = "Britain sanctioned two hackers on Monday. The men, Ivan Petrov and Oleg \
//!             Sokolov, are believed to be part of APT28. Russia denied the accusations.";
//! let doc = extractor.extract("example.txt", text);
//! assert_eq!(doc.schema, "extract/1");
//! let sanction = doc.relations.iter().find(|r| r.kind == "sanction").unwrap();
//! let targets: Vec<&str> = sanction.arguments.iter()
//!     .filter(|a| a.role == "target")
//!     .filter_map(|a| a.entity.as_deref())
//!     .map(|id| doc.entities.iter().find(|e| e.id == id).unwrap().name.as_str())
//!     .collect();
//! assert_eq!(targets, ["Ivan Petrov", "Oleg Sokolov"]);
//! println!("{}", extract::model::to_json_pretty(&doc));
//! # Ok::<(), extract::Error>(())
//! ```
#![deny(missing_docs)]

pub mod check;
pub mod entities;
pub mod error;
pub mod gazetteer;
pub mod model;
mod pipeline;
pub mod relations;
pub mod text;
pub mod tokenize;
pub mod words;

pub use error::Error;
pub use model::{to_json_line, to_json_pretty, Document, ErrorDocument};
pub use pipeline::{Extractor, ExtractorBuilder};
