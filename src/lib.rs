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
//! existing bulletins into notices beside it.

// Diagnostics travel only on the error path, where their size costs nothing
// that matters; boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostic;
mod files;
mod folders;
mod import;
mod lint;
pub mod load;
mod markdown;
mod model;
mod output;
pub mod pipeline;
mod privacy;
mod render;
mod routes;
pub mod search;
pub mod serve;
mod slug;
mod text;
mod yaml;

pub use config::SiteConfig;

/// How many cases each fuzzing property test tries: `GONGKAI_FUZZ_CASES`
/// when set (for long runs), else `default` (a few hundred, for CI).
#[cfg(test)]
pub(crate) fn fuzz_cases(default: u32) -> u32 {
    std::env::var("GONGKAI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Mutations for fuzzing text formats: each is a place (as a fraction of
/// the text) and what to do there.
#[cfg(test)]
pub(crate) mod mutate {
    use proptest::prelude::*;

    /// Pieces that break YAML, Markdown and XML in interesting ways.
    const PIECES: &[&str] = &[
        "\n",
        "\r",
        "\t",
        " ",
        ":",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "#",
        "&a ",
        "*a",
        "|",
        ">",
        "---",
        "...",
        "~",
        "!!str ",
        "%",
        "@",
        "`",
        "*",
        "**",
        "_",
        "~~",
        "<",
        ">",
        "</",
        "&",
        ";",
        "\\",
        "\u{0}",
        "\u{7}",
        "\u{feff}",
        "中",
        "：",
        "“",
        "（",
        "😀",
        "9999999999999999999",
        "-1",
        "0",
        "1e999",
        "2021-02-30",
        "<script>",
        "]]>",
        "<!--",
        "-->",
        "<w:p>",
        "</w:p>",
    ];

    /// One change to a text.
    #[derive(Debug, Clone)]
    pub enum Change {
        Insert(f64, &'static str),
        Delete(f64, usize),
        Repeat(f64, usize),
    }

    pub fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (0.0..1.0, prop::sample::select(PIECES)).prop_map(|(at, p)| Change::Insert(at, p)),
            (0.0..1.0, 1usize..40).prop_map(|(at, n)| Change::Delete(at, n)),
            (0.0..1.0, 1usize..30).prop_map(|(at, n)| Change::Repeat(at, n)),
        ]
    }

    /// `text` with `changes` made, in order.
    pub fn apply(text: &str, changes: &[Change]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for change in changes {
            let at = |f: f64| ((f * chars.len() as f64) as usize).min(chars.len());
            match change {
                Change::Insert(f, piece) => {
                    let i = at(*f);
                    chars.splice(i..i, piece.chars());
                }
                Change::Delete(f, n) => {
                    let i = at(*f);
                    let end = (i + n).min(chars.len());
                    chars.drain(i..end);
                }
                Change::Repeat(f, n) => {
                    let i = at(*f);
                    let end = (i + 8).min(chars.len());
                    let piece: Vec<char> = chars[i..end].to_vec();
                    for _ in 0..*n {
                        chars.splice(i..i, piece.iter().copied());
                    }
                }
            }
        }
        chars.into_iter().collect()
    }
}
pub use diagnostic::{Diagnostic, Diagnostics};
