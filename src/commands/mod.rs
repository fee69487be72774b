//! Every command's entry point. `build`, `check` and `serve` are thin
//! callers of the [`pipeline`](crate::pipeline); `import`, `new` and `init`
//! sit beside it and reuse its loader; `export` writes one notice's Word
//! copy with [`docx`](crate::docx); `deploy` and `verify` call
//! [`deploy`](crate::deploy).

pub mod build;
pub mod check;
pub mod deploy;
pub mod export;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;
pub mod verify;
