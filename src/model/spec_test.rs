//! The CommonMark and GFM specifications, and pulldown-cmark's extension
//! specs, run through the path every notice's body takes: a notice file is
//! parsed, and its Markdown compiled with links resolved and headings
//! named. Every example must give the HTML the spec gives, apart from the
//! intended differences listed in [`INTENDED`], and those whose raw HTML
//! does not pair, which a notice pairs.
//!
//! The examples are those pulldown-cmark publishes with its crate (its
//! `tests/suite/*.rs`, made from the spec texts); the test finds them in
//! the crate's source through `cargo metadata`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::{Options, Parser, html};

use super::compile::compile;
use super::links::LinkTable;
use crate::content::Notice;

/// The spec files whose features a notice has (tables, strikethrough, task
/// lists, footnotes, heading attributes), by pulldown-cmark's names.
const FILES: &[&str] = &[
    "spec.rs",
    "gfm_table.rs",
    "gfm_strikethrough.rs",
    "gfm_tasklist.rs",
    "table.rs",
    "strikethrough.rs",
    "footnotes.rs",
    "heading_attrs.rs",
];

/// Examples whose HTML differs on purpose, and why.
const INTENDED: &[(&str, &str)] = &[];

/// One example: where it is, its Markdown, the HTML the spec gives.
struct Example {
    name: String,
    markdown: String,
    html: String,
}

/// The directory of the pulldown-cmark crate this build uses: its
/// version from `Cargo.lock`, its source in Cargo's registry (where the
/// build downloaded it, whichever platform cargo metadata would ask for).
fn pulldown_dir() -> Option<PathBuf> {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).ok()?;
    let at = lock.find("name = \"pulldown-cmark\"\nversion = \"")?;
    let rest = &lock[at..];
    let version = rest.split('"').nth(3)?;
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let name = format!("pulldown-cmark-{version}");
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .filter_map(Result::ok)
        .map(|index| index.path().join(&name))
        .find(|dir| dir.join("Cargo.toml").is_file())
}

/// The examples of one generated test file: `let original = r##"..."##;`,
/// `let expected = r##"..."##;`, and the options of the call, of which only
/// the examples with none of the optional features are kept.
fn examples(file: &str, text: &str) -> Vec<Example> {
    let raw = |s: &str, key: &str| -> Option<String> {
        let pattern = format!("let {key} = r##\"");
        let start = s.find(&pattern)? + pattern.len();
        let end = s[start..].find("\"##;")? + start;
        Some(s[start..end].to_string())
    };
    text.split("#[test]")
        .skip(1)
        .filter_map(|t| {
            let name = t.split("fn ").nth(1)?.split('(').next()?.trim().to_string();
            let plain = t.contains("false, false, false, false, false, false);");
            Some(Example {
                name: format!("{file}:{name}"),
                markdown: raw(t, "original")?,
                html: raw(t, "expected")?,
            })
            .filter(|_| plain)
        })
        .collect()
}

/// pulldown-cmark alone, with a notice's options.
fn plain(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// The body of a notice made of `markdown`, as a build compiles it.
fn as_notice(markdown: &str) -> Option<String> {
    let text =
        format!("---\ntitle: 规范示例\ndate: 2022-01-01\norganization: 某单位\n---\n{markdown}");
    let (notice, _) = crate::load::parse_notice(Path::new("content/spec.md"), &text, None).ok()?;
    let notice: Arc<Notice> = Arc::new(notice);
    let published = [notice.clone()];
    let links = LinkTable::new(&published, &[], &[], None);
    let (html, _, _) = compile(&notice, &links, &[]);
    Some(html.body_before.as_str().to_string())
}

/// The same HTML in the forms the spec tests allow, and without what a
/// notice adds on purpose: heading ids, and links from the site root made
/// relative to the notice's page.
fn normalize(html: &str) -> String {
    let out = html
        .replace("<br>", "<br />")
        .replace("<hr>", "<hr />")
        .replace(">\n<", "><")
        .replace("=\"../../", "=\"/");
    crate::testing::without_heading_ids(&out)
}

#[test]
fn every_spec_example_renders_as_the_spec_says() {
    let Some(dir) = pulldown_dir() else {
        panic!("cargo metadata did not find pulldown-cmark's source");
    };
    let mut checked = 0;
    let mut paired = 0;
    let mut differ = Vec::new();
    for file in FILES {
        let text = std::fs::read_to_string(dir.join("tests/suite").join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        for example in examples(file, &text) {
            // Examples of options a notice does not have (math, superscript)
            // are not about notices.
            if normalize(&plain(&example.markdown)) != normalize(&example.html) {
                continue;
            }
            // Raw HTML that does not pair is paired on purpose
            // (`markdown::balance`, tested there).
            if !crate::markdown::unbalanced(&example.markdown).is_empty() {
                paired += 1;
                continue;
            }
            checked += 1;
            let ours = as_notice(&example.markdown).unwrap_or_default();
            if normalize(&ours) != normalize(&example.html) {
                differ.push(format!(
                    "{}\n--- markdown\n{}\n--- spec\n{}\n--- notice\n{}",
                    example.name, example.markdown, example.html, ours
                ));
            }
        }
    }
    assert!(checked > 700, "only {checked} examples");
    // The spec's few examples of stray or unclosed tags, not more.
    assert!(
        paired < 40,
        "{paired} examples have HTML that does not pair"
    );
    eprintln!(
        "{checked} spec examples checked, {} differ on purpose",
        differ.len()
    );
    let unexpected: Vec<&String> = differ
        .iter()
        .filter(|d| {
            !INTENDED
                .iter()
                .any(|(name, _)| d.starts_with(&format!("{name}\n")))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} of {checked} examples differ:\n\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
