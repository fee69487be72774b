//! A big site's build is streamed (`pipeline::STREAM_FROM`): its notices
//! are compiled, indexed and rendered a batch at a time. These sites are
//! small, so each test streams them on purpose, in batches of two
//! notices, and holds the result to the build that keeps everything.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;
use gongkai::commands::build::build;
use gongkai::diagnostic::Code;
use gongkai::pipeline::Options;

/// Builds `site` into `out`, streamed `batch` notices at a time or kept.
fn build_into(site: &Path, out: &Path, batch: Option<usize>) -> Result<usize, String> {
    let mut options = Options::new(site);
    options.output = Some(out.to_path_buf());
    options.base_url = Some("https://example.gov.cn/dwgk/".into());
    if let Some(batch) = batch {
        options.stream_from = 0;
        options.stream_batch = batch;
    }
    let report = build(&options).map_err(|e| e.to_string())?;
    // The streamed build times its own stage.
    let stage = report
        .stages
        .iter()
        .any(|(s, _)| s.contains("compile, index"));
    assert_eq!(stage, batch.is_some(), "streamed: {batch:?}");
    Ok(report.write.written)
}

/// Builds `site` kept and streamed (`batch` notices at a time); returns
/// the files written, having held the two builds to the same bytes.
#[track_caller]
fn assert_same_build(name: &str, site: &SiteTest, batch: usize) -> BTreeMap<String, Vec<u8>> {
    let (kept, streamed) = (site.path().join("kept"), site.path().join("streamed"));
    build_into(site.path(), &kept, None).unwrap();
    build_into(site.path(), &streamed, Some(batch)).unwrap();
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
    a
}

#[test]
fn a_streamed_build_writes_the_same_site() {
    // Every fixture site: rounds whose notices fall in different batches,
    // a county's units and rounds, attachments, Word copies, the board
    // sheet, search and open data.
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("sites"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in &names {
        let files = assert_same_build(name, &SiteTest::fixture(name), 2);
        if name == "county" {
            let has = |end: &str| files.keys().any(|f| f.ends_with(end));
            assert!(has(".docx") && has(".pdf") && has(".xlsx"), "{name}");
        }
    }
}

#[test]
fn a_streamed_search_index_of_many_notices_is_the_same() {
    // Enough text that the index is in files of their own, which the
    // streamed build starts to write part of the way through; more
    // notices than the dictionary samples, and sentences that recur in
    // some of them.
    let notices: Vec<(String, String)> = (0..300)
        .map(|i| {
            let mut body = String::new();
            if i % 3 == 0 {
                body.push_str("各党支部要以案为鉴、举一反三，切实抓好整改落实。\n\n");
            }
            for k in 0..30 {
                let c = char::from_u32(0x4E00 + ((i * 131 + k * 17) % 6000) as u32).unwrap();
                body.push_str(&format!(
                    "第{k}条：党支部按要求开展了{c}项检查并整改到位。\n\n"
                ));
            }
            let day = i % 28 + 1;
            let text = format!("---\ntitle: 第{i}号通报\ndate: 2022-01-{day:02}\n---\n{body}");
            (format!("n{i:03}.md"), text)
        })
        .collect();
    let site = SiteTest::with_generated(&notices);
    let files = assert_same_build("generated", &site, 16);
    let texts = files.keys().filter(|f| f.starts_with("search/x/")).count();
    assert_eq!(texts, 300);
    let dict = String::from_utf8_lossy(&files["search/dict.js"]).into_owned();
    assert!(dict.len() > 200, "{dict}");
}

#[test]
fn a_streamed_rebuild_writes_only_what_changed() {
    let site = SiteTest::basic();
    let out = site.path().join("out");
    build_into(site.path(), &out, Some(2)).unwrap();
    assert_eq!(
        build_into(site.path(), &out, Some(2)),
        Ok(0),
        "nothing changed"
    );
    site.edit("content/notices/2022-zuzhi-shenghuohui.md", |t| {
        t.replace("优秀 | 6", "优秀 | 7")
    });
    // The notice's page and the search index, which holds its text.
    assert_eq!(build_into(site.path(), &out, Some(2)), Ok(2));
}

#[test]
fn a_streamed_build_reports_mistakes_where_they_are() {
    let site = SiteTest::basic();
    site.edit("content/notices/2022-zuzhi-shenghuohui.md", |t| {
        format!("{t}\n见[另一篇](nope.md)。\n")
    });
    let out = site.path().join("out");
    let kept = build_into(site.path(), &out, None).unwrap_err();
    let streamed = build_into(site.path(), &out, Some(2)).unwrap_err();
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
