//! gongkai (公开): a static site generator for Party-affairs disclosure
//! bulletins (党务公开通报).
//!
//! The build is one pipeline of four stages, each a module with one job:
//!
//! 1. [`load`]: find the notices under `content/`, parse and validate their
//!    front matter into [`content::Notice`]s (in parallel);
//! 2. [`site`]: the site model: published notices in order, the indexes by
//!    category, year, organization and tag, the dashboard totals, and every
//!    notice's Markdown compiled to HTML (in parallel);
//! 3. [`render`]: one tera context per page, rendered (in parallel);
//! 4. [`output`]: written to a staging folder beside the output and swapped
//!    in only when everything succeeded.
//!
//! The commands in [`commands`] sit beside the pipeline and drive it.

// Diagnostics travel only on the error path, where their size costs nothing
// that matters; boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod import;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod output;
pub mod privacy;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod text;
pub mod workspace;
pub mod yaml;

pub use config::SiteConfig;
pub use diagnostic::{Diagnostic, Diagnostics};
