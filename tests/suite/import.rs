//! `gongkai import`: real bulletins of several shapes, as text and as Word
//! documents, imported into fresh sites, checked field by field, built,
//! and checked for lost text.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongkai::SiteConfig;
use gongkai::commands::build::build;
use gongkai::content::{InspectionKind, Notice, State};
use gongkai::load;
use gongkai::pipeline::Options;
use regex::Regex;

fn fixture(name: &str) -> PathBuf {
    crate::support::repo()
        .join("tests/fixtures/import")
        .join(name)
}

/// A new site with the default categories, or with `site_yaml`.
fn site(site_yaml: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let yaml = site_yaml.unwrap_or("title: 党务公开\n");
    fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    dir
}

fn gongkai(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Imports `file` into `root`; returns the path of the notice written.
fn import_ok(root: &Path, file: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend(extra);
    let out = gongkai(root, &args);
    assert!(
        out.status.success(),
        "import failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let notices: Vec<PathBuf> = fs::read_dir(root.join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    notices[0].strip_prefix(root).unwrap().to_path_buf()
}

/// The notice as `build` reads it.
fn load(root: &Path, rel: &Path) -> Notice {
    let config = SiteConfig::load(root).unwrap();
    match load::load_file(root, rel, Some(&config)) {
        Ok((notice, _)) => notice,
        Err(e) => panic!("{}", gongkai::Diagnostics(e)),
    }
}

/// Builds the site with drafts (an imported notice is a draft); returns
/// the HTML of the notice's page.
fn build_page(root: &Path, notice: &Notice) -> String {
    let options = Options {
        drafts: true,
        ..Options::new(root)
    };
    if let Err(e) = build(&options) {
        panic!("build failed:\n{e}");
    }
    let page = crate::support::read(
        &root.join("public"),
        &format!("notices/{}/index.html", notice.slug),
    );
    // And without drafts: the draft stays out, the build still succeeds.
    if let Err(e) = build(&Options::new(root)) {
        panic!("build failed:\n{e}");
    }
    page
}

fn categories(root: &Path, n: &Notice) -> Vec<String> {
    let config = SiteConfig::load(root).unwrap();
    n.problems
        .iter()
        .map(|p| config.category(p.category).key.clone())
        .collect()
}

fn counts(keys: &[String]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for k in keys {
        match out.last_mut() {
            Some((last, n)) if last == k => *n += 1,
            _ => out.push((k.clone(), 1)),
        }
    }
    out
}

fn day(d: Option<gongkai::content::Day>) -> Option<String> {
    d.map(|d| d.iso())
}

#[test]
fn the_seed_bulletin_imports_whole() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("xiangqiao-zhengxie-2021.txt"), &[]);
    let n = load(s.path(), &rel);

    assert_eq!(n.title, "关于巡察整改阶段性进展情况的通报");
    assert_eq!(n.organization, "潮州市湘桥区政协机关");
    assert!(n.draft, "an imported notice waits for review");
    assert_eq!(n.problems.len(), 17);
    let numbers: Vec<u32> = n.problems.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=17).collect::<Vec<_>>());
    assert_eq!(
        counts(&categories(s.path(), &n)),
        [
            ("policy".to_string(), 4),
            ("conduct".to_string(), 5),
            ("team".to_string(), 8)
        ]
    );

    // Every result phrase as written, and the status it means.
    let expected: Vec<(&str, bool, bool)> = (1..=17)
        .map(|i| match i {
            1..=5 => ("整改完成，长期推进。", false, true),
            6 | 10..=17 => ("整改完成，长期推进", false, true),
            7 | 8 => ("立行立改，整改完成。", true, false),
            9 => ("立行立改，整改完成，长期推进。", true, true),
            _ => unreachable!(),
        })
        .collect();
    for (p, (result, immediate, long_term)) in n.problems.iter().zip(expected) {
        assert_eq!(p.result.as_deref(), Some(result), "problem {}", p.number);
        let status = p.status.unwrap();
        assert_eq!(status.state, State::Completed, "problem {}", p.number);
        assert_eq!(
            (status.immediate, status.long_term),
            (immediate, long_term),
            "problem {}",
            p.number
        );
    }
    // Problem 1's result is the one written `整改情况：` by mistake.
    assert!(
        !n.problems[0]
            .measures
            .as_deref()
            .unwrap()
            .contains("整改完成，长期推进")
    );

    let recovered: Vec<(u32, String)> = n
        .problems
        .iter()
        .filter_map(|p| {
            p.recovered
                .as_ref()
                .map(|y| (p.number, y.written().to_string()))
        })
        .collect();
    assert_eq!(
        recovered,
        [
            (5, "7230.3".to_string()),
            (7, "10200".to_string()),
            (9, "31626".to_string())
        ]
    );

    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.kind, InspectionKind::Xuncha);
    assert_eq!(i.group.as_deref(), Some("区委第一巡察组"));
    assert_eq!(day(i.start).as_deref(), Some("2021-04-28"));
    assert_eq!(day(i.end).as_deref(), Some("2021-08-26"));
    assert_eq!(day(i.feedback).as_deref(), Some("2021-08-26"));

    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0768-2100022"));
    assert_eq!(
        c.address.as_deref(),
        Some("湘桥区党政办公大楼4楼区政协办公室（409室）")
    );
    assert_eq!(c.postcode.as_deref(), Some("521000"));
    assert_eq!(c.email.as_deref(), Some("xiangqiaozhengxie@126.com"));
    assert!(c.note.as_deref().unwrap().contains("czxqxcb@126.com"));

    // The Word artifact is gone; the sections stay in the body, in order.
    let written = fs::read_to_string(s.path().join(&rel)).unwrap();
    assert!(!written.contains("bookmark"));
    let one = n.text.body().find("## 一、切实提高政治站位").unwrap();
    let marker = n.text.body().find("<!-- problems -->").unwrap();
    let three = n.text.body().find("## 三、切实做到纠建结合").unwrap();
    assert!(one < marker && marker < three);

    let page = build_page(s.path(), &n);
    assert_eq!(
        crate::support::count(&page, "<article class=\"problem\" id=\"problem-"),
        17
    );
    assert!(page.contains("7230.3"));
}

/// The notice without its first comment line, which names the source file.
fn dry_run(root: &Path, file: &Path) -> String {
    let out = gongkai(root, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!root.join("content").exists(), "--dry-run writes nothing");
    let notice = text(&out.stdout);
    let (first, rest) = notice.split_once('\n').unwrap();
    assert!(first.starts_with("---"), "{first}");
    let (_, rest) = rest.split_once('\n').unwrap();
    rest.to_string()
}

#[test]
fn the_word_documents_give_the_same_notice() {
    let s = site(None);
    let from_text = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021.txt"));
    let from_word = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021.docx"));
    let numbered = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021-numbering.docx"));
    assert!(from_text.contains("number: 17"));
    assert_eq!(from_word, from_text);
    assert_eq!(numbered, from_text);
}

#[test]
fn ascii_punctuation() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("ascii-punctuation.txt"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.organization, "中共潮州市档案馆党组");
    assert_eq!(n.date.day.iso(), "2022-09-30");
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "conduct", "team"]
    );
    let states: Vec<State> = n.problems.iter().map(|p| p.status.unwrap().state).collect();
    assert_eq!(
        states,
        [
            State::Staged,
            State::Completed,
            State::Completed,
            State::InProgress
        ]
    );
    assert_eq!(n.problems[0].result.as_deref(), Some("阶段性完成,长期坚持"));
    assert_eq!(
        n.problems[2].recovered.as_ref().map(|y| y.fen()),
        Some(150_000)
    );
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.group.as_deref(), Some("十二届市委第一巡察组"));
    assert_eq!(day(i.end).as_deref(), Some("2022-05-10"));
    assert_eq!(day(i.feedback).as_deref(), Some("2022-07-08"));
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0768-1234567"));
    assert_eq!(c.email.as_deref(), Some("jubao@example.cn"));
    build_page(s.path(), &n);
}

#[test]
fn three_levels_of_numbering() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("three-levels.txt"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.problems.len(), 4);
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "conduct", "team"]
    );
    // The （1）（2） items stay inside the measures, as paragraphs.
    let m = n.problems[0].measures.as_deref().unwrap();
    assert!(
        m.contains("（1）制定《区林长制工作实施方案》") && m.contains("（2）开展巡林护林"),
        "{m}"
    );
    assert_eq!(n.problems[0].title, "落实林长制工作不够扎实的问题");
    assert_eq!(
        n.problems[2]
            .recovered
            .as_ref()
            .map(|y| y.written().to_string()),
        Some("50227".into())
    );
    assert_eq!(n.problems[3].status.unwrap().state, State::InProgress);
    // Sections 一 and 三 stay in the body, around the problems.
    assert!(n.text.body().contains("## 一、整改工作的组织开展情况"));
    assert!(n.text.body().contains("**（一）持续巩固整改成果。**"));
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.address.as_deref(), Some("潮州市湘桥区林业局办公室"));
    assert_eq!(c.postcode.as_deref(), Some("521000"));
    build_page(s.path(), &n);
}

/// `1.关于……` over `(1)`, `(2)` beside a `1.关于……` with labels of its
/// own: every labelled number is a problem, the numbers above them stay as
/// headings, and the outer heading decides the category.
#[test]
fn problem_clusters_beside_problems_of_their_own() {
    let s = site(None);
    let file = fixture("corpus/nested-clusters-wenlv.txt");
    let rel = import_ok(s.path(), &file, &[]);
    let n = load(s.path(), &rel);
    let titles: Vec<&str> = n.problems.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            // A full stop inside the quotes does not end the title.
            "关于“学习党的创新理论不深不透。局党组未按计划开展专题学习,结合文旅工作实际不够”问题的整改",
            "关于“意识形态工作责任制落实不到位”问题的整改",
            "关于“文物安全巡查不到位”问题的整改",
            "关于“干部交流轮岗不及时”问题的整改",
        ]
    );
    assert_eq!(
        n.problems.iter().map(|p| p.number).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "policy", "team"]
    );
    // The result closing the measures is the result.
    let states: Vec<State> = n.problems.iter().map(|p| p.status.unwrap().state).collect();
    assert_eq!(
        states,
        [
            State::Completed,
            State::InProgress,
            State::Completed,
            State::Completed
        ]
    );
    // The headings are kept, in order, above their problems.
    let written = fs::read_to_string(s.path().join(&rel)).unwrap();
    let headings: Vec<&str> = written
        .lines()
        .filter_map(|l| l.strip_prefix("  # "))
        .collect();
    assert_eq!(
        headings,
        [
            "(一)在“贯彻落实上级决策部署不够有力”方面",
            "1.关于“理论学习和重大决策部署落实不够到位”问题的整改",
            "(二)在“选人用人和班子建设有差距”方面",
        ]
    );
    build_page(s.path(), &n);
}

#[test]
fn four_categories_worded_with_focus() {
    let s = site(Some(
        &fs::read_to_string(fixture("four-categories-site.yaml")).unwrap(),
    ));
    let rel = import_ok(s.path(), &fixture("four-categories.txt"), &[]);
    let n = load(s.path(), &rel);
    // The bulletin's order differs from site.yaml's: matched by wording.
    assert_eq!(
        categories(s.path(), &n),
        ["conduct", "conduct", "policy", "rectify", "party"]
    );
    let numbers: Vec<u32> = n.problems.iter().map(|p| p.number).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 4, 5],
        "numbers restarting per category become one sequence"
    );
    assert_eq!(n.organization, "中共某省水利厅党组");
    assert_eq!(n.date.day.iso(), "2023-12-20");
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.kind, InspectionKind::Xunshi);
    assert_eq!(i.group.as_deref(), Some("省委第二巡视组"));
    assert_eq!(day(i.feedback).as_deref(), Some("2023-09-12"));
    assert_eq!(
        n.problems[0].recovered.as_ref().map(|y| y.fen()),
        Some(86_000_000)
    );
    build_page(s.path(), &n);
}

#[test]
fn an_unmatched_category_is_guessed_reported_and_settled_with_a_map() {
    let s = site(None);
    let file = fixture("four-categories.txt");
    // Headings that are none of the site's categories are placed by their
    // wording; the report and the notice say so, for the reviewer.
    let out = gongkai(s.path(), &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    assert!(
        report.contains("第 13 行：类别标题“（二）聚焦落实党中央决策部署和上级部署要求方面”不是站点的问题类别，按措辞（含“决策部署”“党中央”）把它下面的问题归入 policy"),
        "{report}"
    );
    assert!(
        report.contains("第 18 行：类别标题“（三）聚焦巡视整改和成果运用方面”"),
        "{report}"
    );
    let notice = text(&out.stdout);
    assert_eq!(notice.matches("推断，请核对").count(), 2, "{notice}");
    assert!(!s.path().join("content").exists(), "nothing written");

    let rel = import_ok(
        s.path(),
        &file,
        &[
            "--category-map",
            "policy=落实党中央决策部署",
            "--category-map",
            "team=巡视整改和成果运用",
        ],
    );
    let n = load(s.path(), &rel);
    assert_eq!(
        categories(s.path(), &n),
        ["conduct", "conduct", "policy", "team", "team"]
    );

    let out = gongkai(
        s.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--category-map",
            "nope=巡视",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("未知的问题类别“nope”"));
}

#[test]
fn no_cause_analysis_and_results_in_prose() {
    let s = site(None);
    let file = fixture("no-cause.txt");
    let out = gongkai(s.path(), &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    // Each unsure place is reported with its line.
    assert!(
        report.contains("第 8 行：第 2 项问题没有整改结果"),
        "{report}"
    );
    assert!(
        report.contains("第 17 行：整改结果“通过清理规范"),
        "{report}"
    );

    let rel = import_ok_existing(s.path());
    let n = load(s.path(), &rel);
    assert!(n.problems.iter().all(|p| p.cause.is_none()));
    // A deadline is not a status: it is the problem's deadline, and no
    // result is invented.
    assert_eq!(n.problems[1].result, None);
    assert_eq!(
        n.problems[1].deadline.as_ref().map(|d| d.written.as_str()),
        Some("2023年12月底前")
    );
    assert!(!n.problems[1].measures.as_deref().unwrap().contains("时限"));
    assert_eq!(n.problems[2].result.as_deref(), Some("已完成整改。"));
    assert_eq!(
        n.problems[2].recovered.as_ref().map(|y| y.fen()),
        Some(3_200_000)
    );
    // A result in prose keeps its words; its status is stated beside it.
    assert_eq!(n.problems[3].status.unwrap().state, State::Completed);
    assert_eq!(n.problems[4].status.unwrap().state, State::Staged);
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.group.as_deref(), Some("县委巡察二组"));
    assert_eq!(day(i.start).as_deref(), Some("2023-03-01"));
    assert_eq!(day(i.end).as_deref(), Some("2023-04-28"));
    assert_eq!(day(i.feedback).as_deref(), Some("2023-05-20"));
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0768-5550000"));
    assert_eq!(c.address.as_deref(), Some("某县供销合作社联合社办公室"));
    assert_eq!(c.postcode.as_deref(), Some("515000"));
    assert_eq!(
        c.intro.as_deref(),
        Some("欢迎广大党员、干部和群众对整改情况进行监督。")
    );
    build_page(s.path(), &n);
}

fn import_ok_existing(root: &Path) -> PathBuf {
    let notices: Vec<PathBuf> = fs::read_dir(root.join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    notices[0].strip_prefix(root).unwrap().to_path_buf()
}

#[test]
fn a_gbk_encoded_file() {
    let bytes = fs::read(fixture("gbk.txt")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is not UTF-8"
    );
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("gbk.txt"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.title, "关于区委专项巡察反馈意见整改落实情况的通报");
    assert_eq!(n.organization, "潮州市湘桥区卫生健康局党组");
    assert_eq!(categories(s.path(), &n), ["policy", "team"]);
    assert_eq!(
        n.problems[0].recovered.as_ref().map(|y| y.fen()),
        Some(2_350_000)
    );
    assert_eq!(
        n.inspection.as_ref().unwrap().group.as_deref(),
        Some("区委专项巡察组")
    );
    assert_eq!(
        n.contact.as_ref().unwrap().phone.as_deref(),
        Some("0768-2888999")
    );
    build_page(s.path(), &n);
}

#[test]
fn a_word_table_becomes_a_markdown_table() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("table.docx"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.organization, "中共潮州市湘桥区档案馆支部委员会");
    assert_eq!(n.date.day.iso(), "2022-09-30");
    assert_eq!(categories(s.path(), &n), ["team"]);
    assert!(
        n.text
            .body()
            .contains("| 问题 | 责任人 | 状态 |\n| --- | --- | --- |"),
        "{}",
        n.text.body()
    );
    let page = build_page(s.path(), &n);
    assert!(
        page.contains("<table>") && page.contains("组织委员|副书记"),
        "the escaped bar is a bar"
    );
}

#[test]
fn existing_files_need_force() {
    let s = site(None);
    let file = fixture("gbk.txt");
    let rel = import_ok(s.path(), &file, &[]);
    fs::write(s.path().join(&rel), "edited by hand").unwrap();
    let out = gongkai(s.path(), &["import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--force"));
    assert_eq!(
        fs::read_to_string(s.path().join(&rel)).unwrap(),
        "edited by hand"
    );
    import_ok(s.path(), &file, &["--force"]);
    assert_ne!(
        fs::read_to_string(s.path().join(&rel)).unwrap(),
        "edited by hand"
    );

    let out_file = s.path().join("elsewhere.md");
    let out = gongkai(
        s.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(fs::read_to_string(&out_file).unwrap().starts_with("---\n"));
}

#[test]
fn unreadable_input_is_an_error_not_a_panic() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("old.doc", b"\xD0\xCF\x11\xE0rest".to_vec(), "另存为"),
        (
            "broken.docx",
            b"PK\x03\x04garbage".to_vec(),
            "无法读取 Word 文档",
        ),
        // Bytes that are neither UTF-8 nor GB18030, on line 2.
        ("binary.txt", b"ok\n\x81\x20\xFF\xFF".to_vec(), ":2:"),
        ("empty.txt", b" \r\n\r\n".to_vec(), "没有文字"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let out = gongkai(s.path(), &["import", path.to_str().unwrap(), "--dry-run"]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains("panicked"), "{name}: {all}");
        assert!(all.contains(expected), "{name}: {all}");
    }
    let out = gongkai(s.path(), &["import", "/no/such/file.txt"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("无法读取文件"));
}

// ---------------------------------------------------------------------
// Nothing is lost.

/// Every fixture with the plain text a reader sees in it.
fn sources() -> Vec<(PathBuf, Option<&'static str>, String)> {
    let mut all = Vec::new();
    for name in [
        "xiangqiao-zhengxie-2021.txt",
        "ascii-punctuation.txt",
        "three-levels.txt",
        "no-cause.txt",
        "four-categories.txt",
    ] {
        let site = (name == "four-categories.txt").then_some("four-categories-site.yaml");
        all.push((
            fixture(name),
            site,
            fs::read_to_string(fixture(name)).unwrap(),
        ));
    }
    let gbk = fs::read(fixture("gbk.txt")).unwrap();
    let (decoded, _, bad) = encoding_rs::GBK.decode(&gbk);
    assert!(!bad);
    all.push((fixture("gbk.txt"), None, decoded.into_owned()));
    for name in [
        "xiangqiao-zhengxie-2021.docx",
        "xiangqiao-zhengxie-2021-numbering.docx",
        "table.docx",
    ] {
        all.push((fixture(name), None, docx_text(&fixture(name))));
    }
    all
}

/// The text runs of a Word document, one line per paragraph: read here
/// with a bare pattern, independently of the importer's reader.
fn docx_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let run = Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|</w:p>").unwrap();
    let mut out = String::new();
    for c in run.captures_iter(&xml) {
        match c.get(1) {
            Some(t) => out.push_str(&t.as_str().replace("&amp;", "&").replace("&lt;", "<")),
            None => out.push('\n'),
        }
    }
    out
}

/// What the importer may drop: Word artifacts, the field and contact
/// labels it recognised, the numbers of list items (kept as `number:`
/// or as the problem order), and the signature date (kept as `date:`).
fn strip_recognised(source: &str) -> String {
    let patterns = [
        r"\[bookmark: [^\]]*\]",
        r"(?:原因分析|问题原因|整改情况|整改措施|整改进展|整改结果|整改成效|整改时限)\s*[：:]",
        r"(?:联系电话|监督电话|电话|邮政信箱|通讯地址|地址|邮政编码|邮编|电子邮箱)\s*[：:]",
        r"(?m)^\s*(?:\d+\s*[、.．]|[（(]\d+[）)])",
        r"(?m)^\s*(?:\d{4}[年.]\d{1,2}[月.]\d{1,2}日?|[〇一二三四五六七八九十]+年[一二三四五六七八九十]+月[一二三四五六七八九十]+日)\s*\z",
    ];
    let mut s = source.trim_end().to_string();
    for p in patterns {
        s = Regex::new(p).unwrap().replace_all(&s, "").into_owned();
    }
    s
}

/// Letters, digits and Han characters: the words. Spaces and punctuation
/// between recognised parts (the 、 after a number, the ； between two
/// contacts) are layout.
fn word_chars(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        *m.entry(c).or_default() += 1;
    }
    m
}

#[test]
fn nothing_is_lost() {
    for (file, site_yaml, source) in sources() {
        let yaml = site_yaml.map(|f| fs::read_to_string(fixture(f)).unwrap());
        let s = site(yaml.as_deref());
        let rel = import_ok(s.path(), &file, &[]);
        let output = fs::read_to_string(s.path().join(rel)).unwrap();
        let have = word_chars(&output);
        let mut missing = Vec::new();
        for (c, n) in word_chars(&strip_recognised(&source)) {
            let got = have.get(&c).copied().unwrap_or(0);
            if got < n {
                missing.push(format!("{c}×{}", n - got));
            }
        }
        missing.sort();
        assert!(
            missing.is_empty(),
            "{}: characters lost: {}",
            file.display(),
            missing.join(" ")
        );
    }
}

#[test]
fn the_nothing_lost_check_catches_a_lost_paragraph() {
    // The check itself: a notice missing one paragraph of the source fails it.
    let source = fs::read_to_string(fixture("three-levels.txt")).unwrap();
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("three-levels.txt"), &[]);
    let output = fs::read_to_string(s.path().join(rel)).unwrap();
    let damaged = output.replace("把整改中形成的好做法固化为制度，推动标本兼治。", "");
    assert_ne!(damaged, output);
    let have = word_chars(&damaged);
    let lost = word_chars(&strip_recognised(&source))
        .into_iter()
        .any(|(c, n)| have.get(&c).copied().unwrap_or(0) < n);
    assert!(lost);
}

#[test]
fn a_later_bulletin_of_a_round_in_the_site_continues_its_problems() {
    // The site has the round's first notice; its second comes from Word.
    let site = crate::support::SiteTest::fixture("series");
    for later in ["2023-a-second.md", "2024-a-third.md"] {
        site.remove(&format!("content/notices/{later}"));
    }
    site.edit("site.yaml", |t| {
        t.replace("organization: 某区某局", "organization: 某区某局党组")
    });
    let first = "content/notices/2023-a-first.md";
    site.edit(first, |t| {
        t.replacen("date:", "organization: 某区某局党组\ndate:", 1)
    });
    let out = gongkai(
        site.path(),
        &["import", fixture("mou-ju-di-er-ci.txt").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    // By wording where the number differs, by number where both agree, and
    // a problem the round has not had.
    for line in [
        "同一轮巡察在站点里已有 1 篇通报",
        "第1项 → 2023年6月30日通报第3项“针对食堂采购不规范的问题”（按内容对应）",
        "第2项 → 2023年6月30日通报第4项“针对干部培训不足的问题”（按内容对应）",
        "第3项 → 新问题，前面的通报里没有",
        "第4项 → 2023年6月30日通报第1项“针对理论学习不深入的问题”（按内容对应）",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }

    let written = fs::read_dir(site.path().join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            !p.ends_with("2023-a-first.md")
                && !p.ends_with("2022-c.md")
                && !p.ends_with("2021-b.md")
        })
        .unwrap();
    let notice = fs::read_to_string(&written).unwrap();
    assert!(notice.contains("follows: 2023-a-first#3"), "{notice}");
    assert!(notice.contains("follows: 2023-a-first#4"), "{notice}");
    assert!(
        notice.contains("follows: 无"),
        "number 3 of the round is another problem"
    );
    assert!(notice.contains("follows: 2023-a-first#1"), "{notice}");

    // Published, the ledger follows the imported problems.
    fs::write(&written, notice.replace("draft: true\n", "")).unwrap();
    site.build();
    let inspections: serde_json::Value =
        serde_json::from_str(&site.page("inspections.json")).unwrap();
    let round = inspections["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["notices"].as_array().unwrap().len() == 2)
        .expect("the round has both notices");
    let followed: Vec<usize> = round["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["history"].as_array().unwrap().len())
        .collect();
    // Five problems of the first notice (1, 3, 4 reported again), one new.
    assert_eq!(followed, [2, 1, 2, 2, 1, 1]);
}

/// The corpus of bulletins in the styles organisations publish (web copies
/// with half-width punctuation and page chrome, 巡视 problem clusters, no
/// category headings, a 督察 report and its opening, saved web pages in
/// UTF-8 and GBK):
/// file, issuing body, date, problems, inspection group (if it names one).
const CORPUS: &[(&str, &str, &str, usize, Option<&str>)] = &[
    (
        "bureau-halfparen.txt",
        "中共某县财政局党组",
        "2023-11-20",
        3,
        Some("县委第二巡察组"),
    ),
    (
        "district-xunshi-headings.txt",
        "中共某区委员会",
        "2023-12-29",
        5,
        Some("市委第一巡视组"),
    ),
    (
        "ducha-ecology.txt",
        "某市生态环境保护督察整改工作领导小组办公室",
        "2022-12-30",
        3,
        Some("中央第三生态环境保护督察组"),
    ),
    (
        "gbk-halfwidth-nongye.txt",
        "中共某县农业农村局党组",
        "2023-07-07",
        3,
        Some("县委第四巡察组"),
    ),
    (
        "hospital-no-year.txt",
        "中共某市第二人民医院委员会",
        "2023-06-30",
        3,
        Some("市委第五巡察组"),
    ),
    (
        "huitoukan.txt",
        "中共某区市场监督管理局党组",
        "2023-11-28",
        3,
        Some("区委第三巡察组"),
    ),
    (
        "labels-variants.txt",
        "中共某镇委员会",
        "2023-04-12",
        3,
        Some("县委第二巡察组"),
    ),
    (
        "nested-clusters-wenlv.txt",
        "中共某区文化和旅游局党组",
        "2023-05-08",
        4,
        Some("区委第一巡察组"),
    ),
    (
        "no-headings-jizhong.txt",
        "中共某县人民医院委员会",
        "2023-10-16",
        4,
        Some("县委第一巡察组"),
    ),
    (
        "page-gbk-trs.html",
        "中共某县水务局党组",
        "2022-12-26",
        3,
        Some("县委第三巡察组"),
    ),
    (
        "page-only-html-td.html",
        "中共某街道工作委员会",
        "2023-12-15",
        3,
        Some("区委第五巡察组"),
    ),
    (
        "page-utf8-zoom.html",
        "中共某区交通运输局党组",
        "2023-08-18",
        3,
        Some("区委第一巡察组"),
    ),
    (
        "web-chrome-metadata.txt",
        "中共某区卫生健康局党组",
        "2023-09-15",
        3,
        Some("区委第四巡察组"),
    ),
    (
        "web-halfwidth-no-year.txt",
        "中共某区教育局委员会",
        "2023-09-28",
        3,
        Some("区委第二巡察组"),
    ),
    (
        "web-halfwidth-wenlvti.txt",
        "中共某区文化广电旅游体育局党组",
        "2023-04-20",
        4,
        Some("区委第二巡察组"),
    ),
    (
        "working-committee-handun.txt",
        "中共某经济开发区工作委员会",
        "2023-06-08",
        3,
        Some("市委第三巡察组"),
    ),
    (
        "xunshi-clusters-city.txt",
        "中共某市委员会",
        "2022-12-28",
        4,
        Some("省委第六巡视组"),
    ),
];

#[test]
fn a_whole_column_of_real_styles_imports_in_one_command() {
    let s = site(None);
    let folder = fixture("corpus");
    let out = gongkai(
        s.path(),
        &["import", folder.to_str().unwrap(), "--format", "json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = report.as_array().unwrap();
    assert_eq!(records.len(), CORPUS.len(), "one record per file");
    let mut notices = Vec::new();
    for (file, organization, date, problems, group) in CORPUS {
        let r = records
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("{file} is not in the report"));
        assert_eq!(r["imported"], true, "{file}: {r}");
        let rel = PathBuf::from(r["notice"].as_str().unwrap());
        let rel = rel.strip_prefix(s.path()).unwrap_or(&rel).to_path_buf();
        let n = load(s.path(), &rel);
        assert_eq!(n.organization, *organization, "{file}");
        assert_eq!(n.date.day.iso(), *date, "{file}");
        assert_eq!(n.problems.len(), *problems, "{file}");
        // The opening formula is read whenever it names the group.
        match group {
            Some(g) => {
                let i = n
                    .inspection
                    .as_ref()
                    .unwrap_or_else(|| panic!("{file}: no inspection"));
                assert_eq!(i.group.as_deref(), Some(*g), "{file}");
                assert!(i.start.is_some() && i.end.is_some(), "{file}: {i:?}");
                let kind = match () {
                    _ if g.contains("督察") => InspectionKind::Ducha,
                    _ if g.contains("巡视") => InspectionKind::Xunshi,
                    _ => InspectionKind::Xuncha,
                };
                assert_eq!(i.kind, kind, "{file}");
            }
            None => assert!(n.inspection.is_none(), "{file}"),
        }
        // Every problem has a category, and every guess says so.
        let written = fs::read_to_string(s.path().join(&rel)).unwrap();
        let guessed = r["guessed"].as_array().unwrap().len();
        assert!(written.matches("，请核对\n").count() >= guessed, "{file}");
        notices.push((file, rel, written));
    }
    // Nothing of the text files is lost but labels and the page chrome the
    // report lists.
    let label = Regex::new(
        r"(?:原因分析|问题原因|整改情况|整改措施|整改结果|整改成效|整改进展|完成情况|联系电话|电话|邮政信箱|邮政编码|电子邮箱)\s*[：:]|^\s*(?:\d+\s*[、.．)）]|[（(]\d+[）)]|问题\d+[：:]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])|^\s*\d{4}年\d{1,2}月\d{1,2}日\s*$",
    )
    .unwrap();
    for (file, _, written) in &notices {
        if !file.ends_with(".txt") || file.starts_with("gbk") {
            continue;
        }
        let r = records
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(*file))
            .unwrap();
        let removed: Vec<&str> = r["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[1].as_str().unwrap())
            .collect();
        let have = count_words(written);
        for line in fs::read_to_string(fixture("corpus").join(file))
            .unwrap()
            .lines()
        {
            if removed.contains(&line.trim()) {
                continue;
            }
            for (c, n) in count_words(&label.replace_all(line, "")) {
                assert!(
                    have.get(&c).copied().unwrap_or(0) >= n,
                    "{file}: lost {c} of {line:?}"
                );
            }
        }
    }
    // All of them build.
    let options = Options {
        drafts: true,
        ..Options::new(s.path())
    };
    if let Err(e) = build(&options) {
        panic!("the imported column does not build:\n{e}");
    }
}

fn count_words(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        *m.entry(c).or_default() += 1;
    }
    m
}

#[test]
fn a_failing_file_does_not_stop_the_others_and_names_clash_no_more() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let corpus = fixture("corpus");
    // The same bulletin twice, and a file that is no bulletin at all.
    for name in ["a.txt", "b.txt"] {
        fs::copy(corpus.join("huitoukan.txt"), dir.path().join(name)).unwrap();
    }
    fs::write(
        dir.path().join("broken.docx"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    let out = gongkai(s.path(), &["import", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a file failed");
    let said = text(&out.stdout);
    assert!(
        said.contains("共 3 个文件：2 篇已导入，1 个有错误"),
        "{said}"
    );
    assert!(said.contains("与本次导入的另一个文件同名"), "{said}");
    let written: Vec<_> = fs::read_dir(s.path().join("content/notices"))
        .unwrap()
        .collect();
    assert_eq!(written.len(), 2, "both copies are written, under two names");
}
