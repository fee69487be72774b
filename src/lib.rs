//! gongkai (公开): a static site generator for Party-affairs disclosure
//! bulletins (党务公开通报).
//!
//! One [`pipeline`] drives four stages, each a module with one job:
//!
//! 1. **inputs**: [`config`] (`site.yaml`), the theme
//!    (`render::theme`), and the notices: `load` finds them under
//!    `content/`, parses and validates their front matter into
//!    [`content::Notice`]s (in parallel);
//! 2. **model** (`model`): which notices are published, the links between
//!    them, each notice's Markdown compiled (`markdown`), and the indexes
//!    by category, year, organization and tag, with the dashboard totals;
//! 3. **search** (`search`): the full-text index of every notice and
//!    problem, in files any static host (and `file://`) can serve;
//! 4. **render** (`render`): one tera context per page, rendered in
//!    parallel, then the open data, feed, sitemap and static files, into an
//!    output `output::Sink`: a staging folder swapped in only when
//!    everything succeeded (`build`), a probe that only looks (`check`), or
//!    the preview's own folder (`serve`).
//!
//! Every output path and URL is made in `routes`; every folder of a site
//! is named in `folders`; every mistake is a positioned
//! [`diagnostic::Diagnostic`] with a [`diagnostic::Code`].
//!
//! The [`commands`] are thin callers of the pipeline; `import` turns
//! existing bulletins into notices beside it, and [`docx`] writes a
//! notice back as a Word document (`export`, and `exports: [docx]` in a
//! build); [`deploy`] publishes a build to a zip, a folder or a bucket
//! and verifies it there.

pub mod cli;
pub mod commands;
pub mod config;
pub mod deploy;
pub mod docx;
mod files;
mod folders;
mod import;
mod lint;
pub mod load;
mod locate;
mod markdown;
pub mod memory;
mod model;
mod options;
mod output;
mod page_cache;
pub mod pipeline;
mod placeholder;
mod privacy;
mod read_ahead;
mod render;
mod routes;
pub mod search;
pub mod serve;
mod slug;
mod stopwatch;
mod yaml;

// The workspace's crates below this one, under the names the modules of
// this crate (and its users) know them by.
pub use gongkai_content as content;
use gongkai_content::text;
pub use gongkai_diagnostic as diagnostic;

pub use config::SiteConfig;

pub use diagnostic::{Diagnostic, Diagnostics};

#[cfg(test)]
mod testing;
