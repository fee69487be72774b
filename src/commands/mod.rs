//! The commands, beside the pipeline: each drives the stages it needs.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
