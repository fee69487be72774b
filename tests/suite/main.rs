//! The integration tests: one binary, one module per part of gongkai.
//! Each test tells a story with a [`support::SiteTest`]: a fixture site,
//! an edit, a build, a look at a page or a diagnostic.
//!
//! Tests that need a browser are `#[ignore]`d: run them with
//! `cargo test -- --include-ignored` after
//! `apt-get install chromium chromium-driver`.

mod attachments;
mod board;
mod browser;
mod build;
mod check;
mod cli;
mod county;
mod county_import;
mod deploy;
mod errors;
mod export;
mod external;
mod hostile;
mod import;
mod publish;
mod readme;
mod scaffold;
mod search;
mod series;
mod serve;
mod snapshots;
mod spotcheck;
mod stream;
mod support;
mod theme;
mod toolbar;
mod workspace;
