//! A big site's build is streamed (`pipeline::STREAM_FROM`): its notices
//! are compiled, indexed and rendered a batch at a time. These sites are
//! small, so each test streams them on purpose, in batches of two
//! notices, and holds the result to the build that keeps everything.

use std::path::Path;

use crate::support::*;
use gongkai::commands::build::build;
use gongkai::diagnostic::Code;
use gongkai::pipeline::Options;

/// Builds `site` into `out`, streamed two notices at a time or not.
fn build_into(site: &Path, out: &Path, streamed: bool) -> Result<usize, String> {
    let mut options = Options::new(site);
    options.output = Some(out.to_path_buf());
    options.base_url = Some("https://example.gov.cn/dwgk/".into());
    if streamed {
        options.stream_from = 0;
        options.stream_batch = 2;
    }
    let report = build(&options).map_err(|e| e.to_string())?;
    // The streamed build times its own stage.
    let stage = report
        .stages
        .iter()
        .any(|(s, _)| s.contains("compile, index"));
    assert_eq!(stage, streamed, "streamed: {streamed}");
    Ok(report.write.written)
}

#[track_caller]
fn assert_same_site(name: &str) {
    let site = SiteTest::fixture(name);
    let (kept, streamed) = (site.path().join("kept"), site.path().join("streamed"));
    build_into(site.path(), &kept, false).unwrap();
    build_into(site.path(), &streamed, true).unwrap();
    let (a, b) = (tree(&kept), tree(&streamed));
    assert!(a.len() > 20, "{name}: {} files", a.len());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{name}: the same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{name}: {path} differs when streamed");
    }
}

#[test]
fn a_streamed_build_writes_the_same_site() {
    // With rounds whose notices fall in different batches, a county's
    // units and rounds, and search.
    for name in ["basic", "series", "county", "small"] {
        assert_same_site(name);
    }
}

#[test]
fn a_streamed_rebuild_writes_only_what_changed() {
    let site = SiteTest::basic();
    let out = site.path().join("out");
    build_into(site.path(), &out, true).unwrap();
    assert_eq!(
        build_into(site.path(), &out, true),
        Ok(0),
        "nothing changed"
    );
    site.edit("content/notices/2022-zuzhi-shenghuohui.md", |t| {
        t.replace("优秀 | 6", "优秀 | 7")
    });
    // The notice's page and the search index, which holds its text.
    assert_eq!(build_into(site.path(), &out, true), Ok(2));
}

#[test]
fn a_streamed_build_reports_mistakes_where_they_are() {
    let site = SiteTest::basic();
    site.edit("content/notices/2022-zuzhi-shenghuohui.md", |t| {
        format!("{t}\n见[另一篇](nope.md)。\n")
    });
    let out = site.path().join("out");
    let kept = build_into(site.path(), &out, false).unwrap_err();
    let streamed = build_into(site.path(), &out, true).unwrap_err();
    assert!(kept.contains("nope.md"), "{kept}");
    assert_eq!(streamed, kept);
    assert!(!out.exists(), "a failed build writes nothing");
    let errors = site.try_build(|o| o.stream_from = 0).unwrap_err();
    assert!(
        errors
            .0
            .iter()
            .any(|d| d.code == Code::BrokenLink && d.line > 0)
    );
}
