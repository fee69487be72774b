//! Every command's entry point. `build`, `check` and `serve` are thin
//! callers of the [`pipeline`](crate::pipeline); `import`, `new` and `init`
//! sit beside it and reuse its loader.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
