//! The `extract` command line: flags, inputs, the batch runner and `extract check`.

pub mod args;
pub mod input;
pub mod run;
