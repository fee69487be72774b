//! `gongkai export --format docx` and `exports: [docx]`: a notice's Word
//! copy in the GB/T 9704 layout, published beside its page, and read back
//! by `gongkai import` into the same notice, on the seed bulletin and on
//! every notice of the example site.

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Output;

use gongkai::SiteConfig;
use gongkai::commands::export::export;
use gongkai::content::{Notice, Problem};
use gongkai::diagnostic::Code;
use gongkai::load;
use gongkai::pipeline::{Changes, Options};
use gongkai::serve::Workspace;
use pulldown_cmark::{Event, Parser, TagEnd};

use crate::support::*;

#[track_caller]
fn succeeded(out: &Output) {
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The notice at `rel` of the site at `root`, as `build` reads it.
fn load_notice(root: &Path, rel: &Path) -> (Notice, SiteConfig) {
    let config = SiteConfig::load(root).unwrap();
    match load::load_file(root, rel, Some(&config)) {
        Ok((notice, _)) => (notice, config),
        Err(e) => panic!("{}", gongkai::Diagnostics(e)),
    }
}

/// `gongkai export` of the notice `rel` of the site at `root`, into `dir`.
fn export_docx(root: &Path, rel: &str, dir: &Path) -> PathBuf {
    let file = dir.join(format!("{}.docx", rel.replace('/', "_")));
    let out = gongkai(&[
        "export",
        rel,
        "--format",
        "docx",
        "--out",
        file.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    succeeded(&out);
    file
}

/// `gongkai import` of `file` into the site at `root`, which has no
/// notice yet; the path of the notice it wrote.
fn import_into(file: &Path, root: &Path) -> String {
    let out = gongkai(&[
        "import",
        file.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    succeeded(&out);
    let written: Vec<PathBuf> = fs::read_dir(root.join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let rel = written[0].strip_prefix(root).unwrap();
    rel.to_string_lossy().replace('\\', "/")
}

/// `gongkai import` of `docx` into a new site of the default categories;
/// the notice it wrote, as `build` reads it.
fn import_docx(docx: &Path) -> (Notice, SiteConfig) {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "site.yaml", "title: 党务公开\n");
    let rel = import_into(docx, site.path());
    load_notice(site.path(), Path::new(&rel))
}

/// The paragraphs of a Markdown field as a reader reads them: the text
/// of each block, without the marks and spaces that only format it.
fn paragraphs(markdown: Option<&str>) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    for event in Parser::new(markdown.unwrap_or("")) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                blocks.push(std::mem::take(&mut current))
            }
            _ => {}
        }
    }
    blocks.push(current);
    blocks
        .into_iter()
        .map(|b| b.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|b| !b.is_empty())
        .collect()
}

/// The problems of `n` in the order of their numbers.
fn by_number(n: &Notice) -> Vec<&Problem> {
    let mut problems: Vec<&Problem> = n.problems.iter().collect();
    problems.sort_by_key(|p| p.number);
    problems
}

/// The notice `back` (imported from the Word copy of `original`) is the
/// same notice: title, 文号, date, issuing body, and every problem with
/// its number, category, title, cause, measures, result, deadline and
/// money.
#[track_caller]
fn assert_same_notice(original: &(Notice, SiteConfig), back: &(Notice, SiteConfig)) {
    let ((a, a_site), (b, b_site)) = (original, back);
    let file = a.source.display();
    assert_eq!(a.title, b.title, "{file}");
    assert_eq!(a.doc_number, b.doc_number, "{file}");
    assert_eq!(a.date.day, b.date.day, "{file}");
    assert_eq!(a.organization, b.organization, "{file}");
    // By number: the copy groups the problems by category, as the page
    // does, so a notice that lists them otherwise comes back in the
    // page's order.
    let numbers = |n: &Notice| by_number(n).iter().map(|p| p.number).collect::<Vec<_>>();
    assert_eq!(numbers(a), numbers(b), "{file}");
    for (p, q) in by_number(a).into_iter().zip(by_number(b)) {
        let at = format!("{file}, problem {}", p.number);
        assert_eq!(
            a_site.category(p.category).key,
            b_site.category(q.category).key,
            "{at}"
        );
        assert_eq!(p.title, q.title, "{at}");
        assert_eq!(
            paragraphs(p.cause.as_deref()),
            paragraphs(q.cause.as_deref()),
            "{at}: cause"
        );
        assert_eq!(
            paragraphs(p.measures.as_deref()),
            paragraphs(q.measures.as_deref()),
            "{at}: measures"
        );
        assert_eq!(p.result, q.result, "{at}");
        assert_eq!(
            p.deadline.as_ref().map(|d| &d.written),
            q.deadline.as_ref().map(|d| &d.written),
            "{at}"
        );
        assert_eq!(
            p.recovered.as_ref().map(|y| y.fen()),
            q.recovered.as_ref().map(|y| y.fen()),
            "{at}: money"
        );
    }
}

#[test]
fn the_seed_comes_back_from_its_word_copy() {
    let site = SiteTest::basic();
    let rel = "content/notices/2021-xiangqiao-zhengxie.md";
    let docx = export_docx(site.path(), rel, site.path());
    let original = load_notice(site.path(), Path::new(rel));
    let back = import_docx(&docx);
    assert_same_notice(&original, &back);
    // What the story of the seed is about: 17 problems, three amounts.
    assert_eq!(back.0.problems.len(), 17);
    let money: Vec<i64> = back
        .0
        .problems
        .iter()
        .filter_map(|p| p.recovered.as_ref().map(|y| y.fen()))
        .collect();
    assert_eq!(money, [723030, 1020000, 3162600]);
    // Its contacts too, though the layout folds them into one paragraph.
    assert_eq!(back.0.contact, original.0.contact);
}

#[test]
fn the_seed_as_it_came_out_of_word_survives_import_then_export() {
    // The seed as Word exported it (with its flaws), imported; the Word
    // copy of that notice, imported again: the same notice.
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "site.yaml", "title: 党务公开\n");
    let seed = fixtures().join("import/xiangqiao-zhengxie-2021.txt");
    let rel = import_into(&seed, site.path());
    let docx = export_docx(site.path(), &rel, site.path());
    let back = import_docx(&docx);
    assert_eq!(back.0.problems.len(), 17);
    assert_same_notice(&load_notice(site.path(), Path::new(&rel)), &back);
}

#[test]
fn every_notice_of_the_example_site_comes_back() {
    let repo = repo();
    let dir = tempfile::tempdir().unwrap();
    let (notices, _) = load::discover(&repo).unwrap();
    assert!(notices.len() >= 7, "{notices:?}");
    let (mut problems, mut with_money, mut with_deadline) = (0, 0, 0);
    for rel in notices {
        let name = rel.to_string_lossy().replace('\\', "/");
        let docx = export_docx(&repo, &name, dir.path());
        let original = load_notice(&repo, &rel);
        assert_same_notice(&original, &import_docx(&docx));
        let ps = &original.0.problems;
        problems += ps.len();
        with_money += ps.iter().filter(|p| p.recovered.is_some()).count();
        with_deadline += ps.iter().filter(|p| p.deadline.is_some()).count();
    }
    // The example's notices, with their deadlines and money, all compared.
    assert_eq!((problems, with_money, with_deadline), (36, 6, 8));
}

#[test]
fn a_notice_with_a_document_number_keeps_it_and_its_issuing_body() {
    let site = SiteTest::basic();
    let rel = "content/notices/2021-xiangqiao-zhengxie.md";
    site.edit(rel, |t| {
        t.replace(
            "organization: 潮州市湘桥区政协机关\n",
            "organization: 潮州市湘桥区政协机关\ndoc_number: 湘政协〔2021〕12号\n",
        )
    });
    let docx = export_docx(site.path(), rel, site.path());
    let back = import_docx(&docx);
    assert_eq!(back.0.doc_number.as_deref(), Some("湘政协〔2021〕12号"));
    assert_same_notice(&load_notice(site.path(), Path::new(rel)), &back);
}

/// Every part of the `.docx` at `path`, parsed: it is well-formed.
fn parts_of(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut xml = String::new();
        file.read_to_string(&mut xml).unwrap();
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{} is not well-formed: {e}", file.name());
        }
        names.push(file.name().to_string());
    }
    names
}

#[test]
fn exports_docx_publishes_a_word_copy_beside_every_notice() {
    let site = SiteTest::basic();
    site.edit("site.yaml", |t| format!("{t}exports: [docx]\n"));
    site.built();
    let (notices, _) = load::discover(site.path()).unwrap();
    for rel in &notices {
        let (n, _) = load_notice(site.path(), rel);
        if n.draft {
            continue;
        }
        let docx = format!("notices/{0}/{0}.docx", n.slug);
        site.page_has(
            &format!("notices/{}/index.html", n.slug),
            &[&format!("href=\"../../{docx}\""), "下载 Word 版"],
        );
        let bytes = fs::read(site.public().join(&docx)).unwrap();
        assert!(parts_of(&bytes).contains(&"word/document.xml".to_string()));
        // The same bytes as `gongkai export` writes.
        let exported = export_docx(site.path(), &rel.to_string_lossy(), site.path());
        assert_eq!(fs::read(exported).unwrap(), bytes, "{docx}");
    }
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
    // The check sees the copies: no link to an attachment that is missing.
    site.check_finds_of(&[Code::MissingAttachment, Code::BrokenLink], &[]);
}

#[test]
fn without_exports_the_site_has_no_word_copies() {
    let site = SiteTest::basic();
    site.built();
    let docx: Vec<String> = tree(&site.public())
        .into_keys()
        .filter(|k| k.ends_with(".docx"))
        .collect();
    assert_eq!(docx, Vec::<String>::new());
    site.page_lacks(
        "notices/xiangqiao-zhengxie-2021/index.html",
        &["Word 版", ".docx"],
    );
}

#[test]
fn an_unknown_export_is_a_mistake_of_site_yaml() {
    let site = SiteTest::basic();
    let line = site.read("site.yaml").lines().count() + 2;
    site.edit("site.yaml", |t| format!("{t}exports:\n  - docx\n  - pdf\n"));
    site.build_fails_with(&[error(Code::Config, "site.yaml", line + 1)]);
}

#[test]
fn serve_keeps_the_word_copies_as_build_writes_them() {
    let site = SiteTest::basic();
    site.edit("site.yaml", |t| format!("{t}exports: [docx]\n"));
    let out = site.path().join("serve");
    let (mut ws, _) = Workspace::open(Options::new(site.path()), out.clone());
    ws.finish();
    assert_same_as_build(site.path(), &out);
    let rel = "content/notices/2021-xiangqiao-zhengxie.md";
    site.edit(rel, |t| {
        t.replace("整改完成，长期推进。", "整改完成，长期坚持。")
    });
    ws.update(&Changes::of(site.path(), [site.path().join(rel)]));
    ws.finish();
    assert_same_as_build(site.path(), &out);
    // A notice gone: its copy goes with its page.
    let gone = "content/notices/2022-zuzhi-shenghuohui.md";
    let copy = out.join("notices/2022-zuzhi-shenghuohui/2022-zuzhi-shenghuohui.docx");
    assert!(copy.exists());
    site.remove(gone);
    ws.update(&Changes::of(site.path(), [site.path().join(gone)]));
    ws.finish();
    assert!(!copy.exists());
    assert_same_as_build(site.path(), &out);
}

#[test]
fn export_names_what_is_wrong() {
    let site = SiteTest::basic();
    let out = site.path().join("a.docx");
    // Not a notice of the site.
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "a.md", &seed_notice());
    let errors = export(site.path(), &elsewhere.path().join("a.md"), Some(&out)).unwrap_err();
    assert_eq!(errors[0].code, Code::Io);
    let errors = export(
        site.path(),
        Path::new("content/notices/none.md"),
        Some(&out),
    )
    .unwrap_err();
    assert_eq!(errors[0].code, Code::Io);
    // A notice with a mistake: the mistake, where it is, as `build` says it.
    let rel = "content/notices/2021-xiangqiao-zhengxie.md";
    site.edit(rel, |t| t.replace("date: 2021-11-26", "date: 2021-11-31"));
    let errors = export(site.path(), Path::new(rel), Some(&out)).unwrap_err();
    assert_eq!(
        (errors[0].code, errors[0].line),
        (Code::InvalidDate, 3),
        "{errors:?}"
    );
    assert!(!out.exists());
}
