//! `gongkai import` and `gongkai new` in a county's site: a folder of
//! bulletins from several units (Word, text copied from the county's
//! site-cluster pages, a saved page), each placed in its unit's folder by
//! one of its names, in its county round (read or inferred), with its
//! 索引号; bodies that are no unit proposed as units; the proposals
//! applied and the site built.
//!
//! The fixtures (tests/fixtures/import/county/) are modelled on real
//! pages, listed in its SOURCES.md.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use gongkai::SiteConfig;
use gongkai::commands::build::build;
use gongkai::commands::new::{NewOptions, Number, create};
use gongkai::content::{Day, InspectionKind, Notice};
use gongkai::diagnostic::Code;
use gongkai::load;
use gongkai::pipeline::Options;
use serde_json::Value;

use crate::support::{gongkai_in, text};

fn county() -> PathBuf {
    crate::support::fixtures().join("import/county")
}

/// A copy of the county's site in a temp folder.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::support::copy_dir(&county().join("site"), dir.path());
    dir
}

/// Imports `what` (a folder or file) with `--format json`: the records.
fn import_json(root: &Path, what: &Path, extra: &[&str]) -> (Output, Vec<Value>) {
    let mut args = vec!["import", what.to_str().unwrap(), "--format", "json"];
    args.extend(extra);
    let out = gongkai_in(root, &args);
    let records: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", text(&out.stdout), text(&out.stderr)));
    (out, records.as_array().unwrap().clone())
}

/// The record of the file whose name ends with `name`.
fn record<'r>(records: &'r [Value], name: &str) -> &'r Value {
    records
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} is not in the report"))
}

/// The notice a record wrote, relative to the site.
fn written(root: &Path, r: &Value) -> PathBuf {
    let path = PathBuf::from(r["notice"].as_str().unwrap());
    path.strip_prefix(root).unwrap_or(&path).to_path_buf()
}

/// The notice as `build` reads it.
fn load(root: &Path, rel: &Path) -> Notice {
    let config = SiteConfig::load(root).unwrap();
    match load::load_file(root, rel, Some(&config)) {
        Ok((notice, _)) => notice,
        // A body that is no unit yet: the one mistake until site.yaml
        // declares it, as the report proposes.
        Err(e) if e.iter().all(|d| d.code == Code::UnknownUnit) => load::load_file(root, rel, None)
            .map_or_else(|e| panic!("{}", gongkai::Diagnostics(e)), |(n, _)| n),
        Err(e) => panic!("{}", gongkai::Diagnostics(e)),
    }
}

/// The import went through but for the bodies that are no unit yet: each
/// is reported (`unknown-unit`, which fails the run) with a unit proposed,
/// and nothing else is wrong.
fn only_unknown_units(out: &Output, records: &[Value]) {
    assert!(
        !out.status.success(),
        "the bodies that are no unit fail the run"
    );
    for r in records {
        let codes: Vec<&str> = r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        if r["proposed_unit"].is_object() {
            assert_eq!(codes, ["unknown-unit"], "{r}");
        } else {
            assert!(codes.is_empty(), "{r}");
        }
    }
}

fn iso(d: Option<Day>) -> Option<String> {
    d.map(Day::iso)
}

/// What the county import should make of a bulletin.
struct Placed {
    file: &'static str,
    folder: &'static str,
    /// The organization written.
    organization: &'static str,
    /// The county round, and whether it was inferred.
    round: Option<(&'static str, bool)>,
    index_number: Option<&'static str>,
}

const PLACED: &[Placed] = &[
    Placed {
        file: "a-wenlv-second.docx",
        folder: "content/wenlv",
        organization: "中共某某县文化和旅游局党组",
        round: Some(("14-6", true)),
        index_number: Some("11441234MB2C12345X/2024-00003"),
    },
    Placed {
        file: "b-wenlv-first.txt",
        folder: "content/wenlv",
        organization: "中共某某县文化和旅游局党组",
        round: Some(("14-6", false)),
        index_number: Some("11441234MB2C12345X/2024-00002"),
    },
    Placed {
        file: "c-jiaoyu-web.txt",
        folder: "content/jiaoyu",
        organization: "中共某某县教育局党组",
        round: Some(("14-6", true)),
        index_number: Some("11441234MB2C23456Y/2024-00001"),
    },
    Placed {
        file: "d-zhen.html",
        folder: "content/xiangzhen",
        organization: "中共某某县某某镇委员会",
        round: Some(("14-7", false)),
        index_number: None,
    },
    Placed {
        file: "e-ziranziyuan.txt",
        folder: "content/notices",
        organization: "中共某某县自然资源局党组",
        round: Some(("14-7", false)),
        index_number: None,
    },
    Placed {
        file: "f-weijian-dangwei.txt",
        folder: "content/notices",
        organization: "中共某某县卫生健康局党委",
        round: Some(("14-7", true)),
        index_number: None,
    },
    Placed {
        file: "g-ducha.txt",
        folder: "content/notices",
        organization: "某某县生态环境保护督察整改工作领导小组办公室",
        round: None,
        index_number: None,
    },
    Placed {
        file: "h-weijian.txt",
        folder: "content/weijian",
        organization: "中共某某县卫生健康局党组",
        round: Some(("14-6", false)),
        index_number: Some("11441234MB2C34567Z/2024-00001"),
    },
];

#[test]
fn a_countys_folder_lands_in_its_units_and_rounds() {
    let s = site();
    let (out, records) = import_json(s.path(), &county().join("bulletins"), &[]);
    only_unknown_units(&out, &records);
    assert_eq!(records.len(), PLACED.len());
    for Placed {
        file,
        folder,
        organization,
        round,
        index_number: number,
    } in PLACED
    {
        let r = record(&records, file);
        assert_eq!(r["imported"], true, "{file}: {r}");
        let rel = written(s.path(), r);
        assert_eq!(rel.parent().unwrap(), Path::new(folder), "{file}");
        let n = load(s.path(), &rel);
        assert_eq!(n.organization, *organization, "{file}");
        assert!(n.draft, "{file}: an imported notice waits for review");
        assert_eq!(n.index_number.as_deref(), *number, "{file}");
        assert_eq!(r["index_number"].as_str(), *number, "{file}");
        let yaml = fs::read_to_string(s.path().join(&rel)).unwrap();
        match round {
            Some((id, inferred)) => {
                assert_eq!(r["round"].as_str(), Some(*id), "{file}");
                assert_eq!(r["round_inferred"], *inferred, "{file}");
                assert!(
                    yaml.contains(&format!("  round: {id}   # ")),
                    "{file}\n{yaml}"
                );
            }
            None => {
                assert!(r["round"].is_null(), "{file}");
                assert!(!yaml.contains("  round:"), "{file}");
            }
        }
        let unit = folder.strip_prefix("content/").unwrap();
        match unit {
            "notices" => assert!(
                r["unit"].is_null() && r["proposed_unit"].is_object(),
                "{file}"
            ),
            unit => assert_eq!(r["unit"].as_str(), Some(unit), "{file}"),
        }
    }

    // By a short name or an alias: the unit's full name is written, with
    // the bulletin's own beside it.
    let a = fs::read_to_string(
        s.path()
            .join(written(s.path(), record(&records, "a-wenlv-second.docx"))),
    )
    .unwrap();
    assert!(
        a.contains("organization: 中共某某县文化和旅游局党组   # 原文写作“县文旅局”"),
        "{a}"
    );
    // A near name is no match: proposed, with the unit it may be.
    let f = &record(&records, "f-weijian-dangwei.txt")["proposed_unit"];
    assert_eq!(f["slug"], "wei-sheng-jian-kang-ju");
    assert_eq!(f["closest"], "weijian");
    let e = &record(&records, "e-ziranziyuan.txt")["proposed_unit"];
    assert_eq!(e["slug"], "zi-ran-zi-yuan-ju");
    assert!(e["closest"].is_null(), "{e}");
    // A unit without a code, and a body that is no unit: no number, and why.
    let d = record(&records, "d-zhen.html");
    assert!(
        d["index_number_missing"]
            .as_str()
            .unwrap()
            .contains("xiangzhen 没有 code"),
        "{d}"
    );
    let g = record(&records, "g-ducha.txt");
    assert!(
        g["index_number_missing"]
            .as_str()
            .unwrap()
            .contains("还不是 site.yaml 里的单位"),
        "{g}"
    );

    // The report in text says the same, and ends with the units to add.
    let t = site();
    let out = gongkai_in(
        t.path(),
        &[
            "import",
            county().join("bulletins").to_str().unwrap(),
            "--dry-run",
        ],
    );
    let said = text(&out.stdout);
    for line in [
        "单位：wenlv（中共某某县文化和旅游局党组），原文写作“县文旅局”（这个单位的简称或别名）",
        "巡察轮次：14-6（十四届县委第六轮巡察），按巡察开始日期 2024-03-04 推断，请核对",
        "巡察轮次：14-7（十四届县委第七轮巡察），原文写明“十四届县委第七轮巡察”",
        "“中共某某县卫生健康局党委”不是 site.yaml 里任何单位的名称、简称或别名，通报暂时写在 content/notices/（仍是草稿）",
        "它也可能是单位 weijian（中共某某县卫生健康局党组）的另一种写法",
        "索引号：11441234MB2C12345X/2024-00002（新编）",
        "有 3 个发布单位不是 site.yaml 里的单位",
        "  - slug: zi-ran-zi-yuan-ju\n    name: 中共某某县自然资源局党组\n",
    ] {
        assert!(said.contains(line), "{line}\n{said}");
    }
    // The round the text names wins over the dates, and says so.
    assert!(said.contains("巡察开始日期 2024-09-09 不在十四届县委第六轮巡察的时间（2024-03-01 至 2024-05-31）里，轮次按原文写"), "{said}");
    assert!(
        !t.path().join("content/jiaoyu").exists(),
        "--dry-run writes nothing"
    );

    // The proposals applied as the report says: the units pasted into
    // site.yaml, the notices moved into their folders. The county builds.
    let mut units = String::new();
    for r in &records {
        let Some(p) = r["proposed_unit"].as_object() else {
            continue;
        };
        units.push_str(p["yaml"].as_str().unwrap());
        let from = written(s.path(), r);
        let to = Path::new("content").join(p["slug"].as_str().unwrap());
        fs::create_dir_all(s.path().join(&to)).unwrap();
        fs::rename(
            s.path().join(&from),
            s.path().join(to.join(from.file_name().unwrap())),
        )
        .unwrap();
    }
    let yaml = fs::read_to_string(s.path().join("site.yaml")).unwrap();
    fs::write(
        s.path().join("site.yaml"),
        yaml.replace("rounds:\n", &format!("{units}rounds:\n")),
    )
    .unwrap();
    let config = SiteConfig::load(s.path()).unwrap();
    assert_eq!(config.units.len(), 7);
    assert!(config.unit_names.find("中共某某县卫生健康局党委").is_some());
    let options = Options {
        drafts: true,
        ..Options::new(s.path())
    };
    let report = build(&options).unwrap_or_else(|e| panic!("the county does not build:\n{e}"));
    assert_eq!(report.notices, PLACED.len() + 1);
}

#[test]
fn index_numbers_follow_publication_and_never_change() {
    let s = site();
    let bulletins = county().join("bulletins");
    let (out, first) = import_json(s.path(), &bulletins, &[]);
    only_unknown_units(&out, &first);
    let numbers = |records: &[Value]| -> Vec<(String, Option<String>)> {
        let mut n: Vec<_> = records
            .iter()
            .map(|r| {
                let rel = written(s.path(), r);
                (rel.display().to_string(), load(s.path(), &rel).index_number)
            })
            .collect();
        n.sort();
        n
    };
    let before = numbers(&first);
    // The second of the unit's notices sorts first by name, but was
    // published later: it gets the later number. The one the site had
    // keeps its own.
    assert_eq!(
        load(s.path(), Path::new("content/wenlv/2024-05-10-wenlv.md"))
            .index_number
            .as_deref(),
        Some("11441234MB2C12345X/2024-00001")
    );

    // Again: nothing is replaced, nothing renumbered.
    let (out, again) = import_json(s.path(), &bulletins, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        again
            .iter()
            .all(|r| r["imported"] == false && r["diagnostics"][0]["code"] == "import-exists")
    );
    assert_eq!(numbers(&first), before);

    // Replaced on purpose: each keeps the number it was published with.
    let (out, forced) = import_json(s.path(), &bulletins, &["--force"]);
    only_unknown_units(&out, &forced);
    assert_eq!(numbers(&forced), before);
    assert!(
        forced
            .iter()
            .filter(|r| !r["index_number"].is_null())
            .all(|r| r["index_number_missing"].is_null())
    );

    // A later notice of the unit: the next number, none reused; and the
    // round is followed within the unit, whatever name it signs with.
    let third = tempfile::tempdir().unwrap();
    let file = third.path().join("wenlv-third.txt");
    fs::copy(county().join("sources/wenlv-third.txt"), &file).unwrap();
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("索引号：11441234MB2C12345X/2024-00004（新编）"),
        "{said}"
    );
    assert!(said.contains("同一轮巡察在站点里已有 2 篇通报"), "{said}");
    assert!(said.contains("第1项 → 2024年12月20日通报第1项"), "{said}");
    let n = load(s.path(), Path::new("content/wenlv/2024-12-25-wenlv.md"));
    assert_eq!(
        n.index_number.as_deref(),
        Some("11441234MB2C12345X/2024-00004")
    );
}

#[test]
fn the_openings_that_went_unread_are_read() {
    let s = site();
    let (out, records) = import_json(s.path(), &county().join("bulletins"), &[]);
    only_unknown_units(&out, &records);

    // 督察: its kind and group.
    let g = load(
        s.path(),
        &written(s.path(), record(&records, "g-ducha.txt")),
    );
    let i = g.inspection.as_ref().unwrap();
    assert_eq!(i.kind, InspectionKind::Ducha);
    assert_eq!(i.group.as_deref(), Some("省第二生态环境保护督察组"));
    assert_eq!(iso(i.start).as_deref(), Some("2023-11-22"));
    assert_eq!(iso(i.feedback).as_deref(), Some("2024-03-15"));

    // A feedback day without a year, in the paragraph after the opening:
    // the year of the inspection's period. The page's date is the
    // 发布日期; the one under the signature, the 成文日期.
    let d = load(
        s.path(),
        &written(s.path(), record(&records, "d-zhen.html")),
    );
    let i = d.inspection.as_ref().unwrap();
    assert_eq!(iso(i.end).as_deref(), Some("2024-11-29"));
    assert_eq!(iso(i.feedback).as_deref(), Some("2024-12-30"));
    assert_eq!(d.date.day.iso(), "2025-04-02");
    assert_eq!(iso(d.written).as_deref(), Some("2025-03-28"));

    // The metadata list of a web copy, each value on the line after its
    // label: read, and out of the text. Its opening names no year.
    let r = record(&records, "c-jiaoyu-web.txt");
    let rel = written(s.path(), r);
    let c = load(s.path(), &rel);
    assert_eq!(c.date.day.iso(), "2024-08-26");
    assert_eq!(iso(c.written).as_deref(), Some("2024-08-20"));
    assert_eq!(r["written"], "2024-08-20");
    let i = c.inspection.as_ref().unwrap();
    assert_eq!(iso(i.start).as_deref(), Some("2024-03-11"));
    assert_eq!(iso(i.feedback).as_deref(), Some("2024-06-28"));
    let yaml = fs::read_to_string(s.path().join(&rel)).unwrap();
    let body = yaml.rsplit("---\n").next().unwrap();
    for chrome in [
        "索引号",
        "11441234MB2D00000A",
        "发布机构",
        "成文日期",
        "内容概述",
        "首页",
    ] {
        assert!(
            !body.contains(chrome),
            "{chrome} is left in the body:\n{body}"
        );
    }
    // The old site's number is kept as a comment, beside the new one.
    assert!(
        yaml.contains("# 原网页的索引号：11441234MB2D00000A/2024-00031"),
        "{yaml}"
    );
    let removed = r["removed"].as_array().unwrap().len();
    assert_eq!(removed, 14, "{r}");
}

fn new_options(root: &Path, unit: Option<&str>, org: Option<&str>) -> NewOptions {
    NewOptions {
        root: root.to_path_buf(),
        title: "关于巡察整改进展情况的通报".into(),
        organization: org.map(Into::into),
        unit: unit.map(Into::into),
        category: None,
        date: Day::parse("2024-12-28").unwrap(),
    }
}

#[test]
fn new_puts_a_notice_in_its_unit_with_the_next_number() {
    let s = site();
    let made = create(&new_options(s.path(), Some("wenlv"), None)).unwrap();
    assert_eq!(made.path, Path::new("content/wenlv/2024-12-28-wenlv.md"));
    assert_eq!(
        made.number,
        Some(Number::Assigned("11441234MB2C12345X/2024-00002".into()))
    );
    let n = load(s.path(), &made.path);
    assert_eq!(n.organization, "中共某某县文化和旅游局党组");
    assert_eq!(
        n.index_number.as_deref(),
        Some("11441234MB2C12345X/2024-00002")
    );
    // The next one of the unit: the next number and another file.
    let next = create(&new_options(s.path(), Some("wenlv"), None)).unwrap();
    assert_eq!(next.path, Path::new("content/wenlv/2024-12-28-wenlv-2.md"));
    assert_eq!(
        next.number,
        Some(Number::Assigned("11441234MB2C12345X/2024-00003".into()))
    );
    // By one of the unit's names.
    let by_name = create(&new_options(s.path(), None, Some("县教育局"))).unwrap();
    assert_eq!(
        by_name.path,
        Path::new("content/jiaoyu/2024-12-28-jiaoyu.md")
    );
    // A unit without a code: no number, and the file says why.
    let zhen = create(&new_options(s.path(), Some("xiangzhen"), None)).unwrap();
    assert!(matches!(zhen.number, Some(Number::Missing(_))));
    let zhen_text = fs::read_to_string(s.path().join(&zhen.path)).unwrap();
    assert!(
        zhen_text.contains("# index_number: 没有编：单位 xiangzhen 没有 code"),
        "{zhen_text}"
    );
    assert!(
        zhen_text.contains("# round: 14-6"),
        "the rounds are listed:\n{zhen_text}"
    );

    // No unit named: the units there are.
    let errors = create(&new_options(s.path(), None, None)).unwrap_err();
    assert_eq!(errors[0].code, gongkai::diagnostic::Code::UnknownUnit);
    let help = errors[0].help.as_deref().unwrap();
    assert!(
        help.contains("wenlv（中共某某县文化和旅游局党组）") && help.contains("xiangzhen"),
        "{help}"
    );
    let errors = create(&new_options(s.path(), Some("wenhua"), None)).unwrap_err();
    assert_eq!(errors[0].code, gongkai::diagnostic::Code::UnknownUnit);
    let errors = create(&new_options(
        s.path(),
        None,
        Some("中共某某县卫生健康局党委"),
    ))
    .unwrap_err();
    assert!(
        errors[0]
            .help
            .as_deref()
            .unwrap()
            .contains("最接近的是 weijian"),
        "{:?}",
        errors[0].help
    );

    // From the command line, the number is said.
    let out = gongkai_in(
        s.path(),
        &["new", "关于巡察整改进展情况的通报", "--unit", "weijian"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("索引号：11441234MB2C34567Z/"),
        "{}",
        text(&out.stderr)
    );

    // Everything new wrote builds (as drafts).
    let options = Options {
        drafts: true,
        ..Options::new(s.path())
    };
    build(&options).unwrap_or_else(|e| panic!("{e}"));
}
