//! The in-memory site of `serve`: updates touch only what changed, and the
//! result is always what `build` writes.

use std::fs;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::support::*;
use gongkai::pipeline::{Changes, Options};
use gongkai::serve::workspace::Refreshed;
use gongkai::serve::{Outcome, Workspace};
use proptest::prelude::*;

fn open(root: &Path, out: &Path) -> (Workspace, Outcome) {
    Workspace::open(Options::new(root), out.to_path_buf())
}

/// Opens the preview as a big site's is opened (`stream_from`): every
/// notice's sources freed as soon as it is read.
fn open_lean(root: &Path, out: &Path) -> (Workspace, Outcome) {
    let mut options = Options::new(root);
    options.stream_from = 0;
    Workspace::open(options, out.to_path_buf())
}

fn change(ws: &mut Workspace, root: &Path, rel: &str) -> Outcome {
    let outcome = ws.update(&Changes::of(root, [root.join(rel)]));
    ws.finish();
    outcome
}

#[test]
fn editing_a_notice_renders_only_what_shows_it() {
    let site = SiteTest::basic();
    let out = site.path().join("serve");
    let (mut ws, outcome) = open(site.path(), &out);
    assert!(matches!(outcome, Outcome::Reload { .. }), "{outcome:?}");
    assert_same_as_build(site.path(), &out);

    let rel = "content/notices/2022-zuzhi-shenghuohui.md";
    let text = site.read(rel).replace("优秀 | 6", "优秀 | 7");
    site.write(rel, &text);
    let outcome = change(&mut ws, site.path(), rel);
    // Only its own page: its summary and title did not change.
    assert_eq!(outcome, Outcome::Reload { pages: 1 });
    assert_same_as_build(site.path(), &out);
    // Nor are the lists it is a line of made again to find that out.
    let mut rendered: Vec<&str> = ws.rendered().iter().map(String::as_str).collect();
    rendered.sort_unstable();
    assert_eq!(
        rendered,
        [
            "notices/2022-zuzhi-shenghuohui/board.html",
            "notices/2022-zuzhi-shenghuohui/index.html"
        ]
    );

    let text = text.replace("title: 关于2021年度", "title: 关于2021年");
    site.write(rel, &text);
    let Outcome::Reload { pages } = change(&mut ws, site.path(), rel) else {
        panic!()
    };
    assert!(
        pages > 1 && pages < 15,
        "the lists that show its title: {pages}"
    );
    assert_same_as_build(site.path(), &out);

    assert_eq!(change(&mut ws, site.path(), rel), Outcome::Unchanged);
}

#[test]
fn notices_come_and_go() {
    // Without the notice that links to the one moved below.
    let site = SiteTest::basic();
    site.remove(SECOND_NOTICE);
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let old = "content/notices/2022-shifan-jiedao.md";
    let new = "content/notices/moved/2022-shifan.md";
    fs::create_dir_all(site.path().join("content/notices/moved")).unwrap();
    fs::rename(site.path().join(old), site.path().join(new)).unwrap();
    // A rename is two paths: the old one gone, the new one there.
    let outcome = ws.update(&Changes::of(
        site.path(),
        [
            site.path().join(old),
            site.path().join("content/notices/moved"),
        ],
    ));
    ws.finish();
    assert!(matches!(outcome, Outcome::Reload { .. }), "{outcome:?}");
    assert!(out.join("notices/2022-shifan/index.html").exists());
    assert!(!out.join("notices/2022-shifan-jiedao").exists());
    assert!(read(&out, "categories/conduct/index.html").contains("notices/2022-shifan/index.html"));
    assert_same_as_build(site.path(), &out);

    fs::remove_file(site.path().join(new)).unwrap();
    change(&mut ws, site.path(), new);
    assert!(!read(&out, "categories/conduct/index.html").contains("2022-shifan"));
    assert_same_as_build(site.path(), &out);
}

#[test]
fn a_cancelled_refresh_leaves_whole_files_and_the_next_one_catches_up() {
    let site = SiteTest::basic();
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let before = fs::read(out.join("search/meta.js")).unwrap();
    let rel = "content/notices/2022-zuzhi-shenghuohui.md";
    site.write(
        rel,
        &site
            .read(rel)
            .replace("title: 关于2021年度", "title: 关于2021年"),
    );
    ws.update(&Changes::of(site.path(), [site.path().join(rel)]));

    // Cancelled before it began: nothing of the new site is written.
    let refresh = ws.refresh().expect("a good site to refresh");
    let cancelled = AtomicBool::new(true);
    assert!(matches!(refresh.run(&cancelled), Refreshed::Cancelled));
    assert_eq!(fs::read(out.join("search/meta.js")).unwrap(), before);
    // Handed over once: the same site is not refreshed twice.
    assert!(ws.refresh().is_none());

    // The next save's refresh brings every file up to date.
    site.write(
        rel,
        &site
            .read(rel)
            .replace("title: 关于2021年", "title: 关于二〇二一年"),
    );
    ws.update(&Changes::of(site.path(), [site.path().join(rel)]));
    let refresh = ws.refresh().expect("a good site to refresh");
    assert!(matches!(
        refresh.run(&AtomicBool::new(false)),
        Refreshed::Done
    ));
    assert_same_as_build(site.path(), &out);
}

#[test]
fn errors_keep_the_last_good_site_until_fixed() {
    let site = SiteTest::basic();
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let before = tree(&out);
    let rel = "content/notices/2022-zuzhi-shenghuohui.md";
    let good = site.read(rel);
    site.write(rel, &good.replace("date: 2022-02-18", "date: 2022-02-30"));
    let Outcome::Failed(errors) = change(&mut ws, site.path(), rel) else {
        panic!()
    };
    let d = errors.errors().next().unwrap();
    assert_eq!((d.file.to_str(), d.line), (Some(rel), 3));
    assert_eq!(tree(&out), before, "the last good site stays");

    site.write(
        "templates/notice.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope }}{% endblock content %}",
    );
    assert!(matches!(
        change(&mut ws, site.path(), "templates/notice.html"),
        Outcome::Failed(_)
    ));
    fs::remove_file(site.path().join("templates/notice.html")).unwrap();
    assert!(
        matches!(
            change(&mut ws, site.path(), "templates/notice.html"),
            Outcome::Failed(_)
        ),
        "the notice is still wrong"
    );
    site.write(rel, &good);
    assert!(matches!(
        change(&mut ws, site.path(), rel),
        Outcome::Unchanged | Outcome::Reload { .. }
    ));
    assert_same_as_build(site.path(), &out);
}

#[test]
fn templates_render_everything_again_and_config_reloads() {
    let site = SiteTest::basic();
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>改过的404</h1>{% endblock content %}",
    );
    assert_eq!(
        change(&mut ws, site.path(), "templates/404.html"),
        Outcome::Reload { pages: 1 }
    );
    assert!(read(&out, "404.html").contains("改过的404"));
    let config = site
        .read("site.yaml")
        .replace("title: 党务公开", "title: 党务公开网");
    site.write("site.yaml", &config);
    assert!(matches!(
        change(&mut ws, site.path(), "site.yaml"),
        Outcome::Reload { .. }
    ));
    assert!(read(&out, "index.html").contains("党务公开网"));
    assert_same_as_build(site.path(), &out);
}

#[test]
fn a_stylesheet_change_is_only_a_stylesheet_change() {
    let site = SiteTest::basic();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let css = "themes/default/static/assets/gongkai.css";
    let text = site.read(css) + "\n.x { color: red; }\n";
    site.write(css, &text);
    assert_eq!(
        change(&mut ws, site.path(), css),
        Outcome::Stylesheets(vec!["assets/gongkai.css".into()])
    );
    assert!(read(&out, "assets/gongkai.css").ends_with(".x { color: red; }\n"));
    site.write("static/files/a.txt", "附件");
    assert_eq!(
        change(&mut ws, site.path(), "static/files/a.txt"),
        Outcome::Reload { pages: 0 }
    );
    assert_same_as_build(site.path(), &out);
}

#[test]
fn a_stylesheet_saved_while_the_last_refresh_copies_is_still_swapped() {
    let site = SiteTest::basic();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let notice = "content/notices/2022-zuzhi-shenghuohui.md";
    site.write(notice, &site.read(notice).replace("公示", "公告"));
    ws.update(&Changes::of(site.path(), [site.path().join(notice)]));
    let refresh = ws.refresh().expect("a good site to refresh");

    // The stylesheet is saved before that notice's refresh copies the
    // static files: the refresh copies the new one, before the update
    // that the save brings.
    let css = "themes/default/static/assets/gongkai.css";
    site.write(css, &(site.read(css) + "\nh1 { color: rgb(1, 2, 3); }\n"));
    assert!(matches!(
        refresh.run(&AtomicBool::new(false)),
        Refreshed::Done
    ));
    assert!(read(&out, "assets/gongkai.css").ends_with("rgb(1, 2, 3); }\n"));

    // The page must still be told: what was saved is what changed.
    assert_eq!(
        change(&mut ws, site.path(), css),
        Outcome::Stylesheets(vec!["assets/gongkai.css".into()])
    );
    assert_same_as_build(site.path(), &out);
}

/// One edit an author might make while `serve` runs.
#[derive(Debug, Clone)]
enum Edit {
    /// A new notice, in one of a few shapes.
    Add(u8),
    /// A notice rewritten in another shape (title, date, results, tags).
    Change(usize, u8),
    Delete(usize),
    Rename(usize),
    /// A problem moved to another category.
    Recategorize(usize),
    /// The 404 template overridden, or the override removed.
    Template(bool),
    /// A front matter broken (the site has errors until it is fixed).
    Break(usize),
    /// Every broken notice fixed.
    Fix,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u8..6).prop_map(Edit::Add),
        (any::<usize>(), 0u8..6).prop_map(|(i, v)| Edit::Change(i, v)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Rename),
        any::<usize>().prop_map(Edit::Recategorize),
        any::<bool>().prop_map(Edit::Template),
        any::<usize>().prop_map(Edit::Break),
        Just(Edit::Fix),
    ]
}

#[test]
fn a_big_sites_preview_reads_a_notice_again_to_compile_it() {
    // Every fixture site (the county's has Word copies, attachments and
    // rounds): nothing of a notice is missing though its text was freed.
    for name in ["basic", "county", "series", "small"] {
        let site = SiteTest::fixture(name);
        let out = site.path().join("serve");
        let (_, outcome) = open_lean(site.path(), &out);
        assert!(
            matches!(outcome, Outcome::Reload { .. }),
            "{name}: {outcome:?}"
        );
        assert_same_as_build(site.path(), &out);
    }

    // A notice that links to another is compiled again when the notices
    // change, from its file: its text is no longer in memory.
    let site = SiteTest::with_notices(&[
        ("n1.md", &shaped_notice(1, 1)),
        (
            "n2.md",
            "---\ntitle: 第二次通报\ndate: 2022-05-01\nproblems:\n  - category: policy\n    title: 问题\n    cause: 原因是[上一期](n1.md)所说的**制度**。\n    measures: 已按[上一期](n1.md)整改。\n---\n正文见[上一期](n1.md)。\n",
        ),
    ]);
    site.edit("site.yaml", |t| format!("{t}exports: [docx]\n"));
    let out = site.path().join("serve");
    let (mut ws, _) = open_lean(site.path(), &out);
    assert_same_as_build(site.path(), &out);
    site.write("content/notices/n3.md", &shaped_notice(3, 2));
    let outcome = change(&mut ws, site.path(), "content/notices/n3.md");
    assert!(matches!(outcome, Outcome::Reload { .. }), "{outcome:?}");
    assert!(ws.rendered().contains("notices/n2/index.html"));
    assert_same_as_build(site.path(), &out);
    let page = site.read("serve/notices/n2/index.html");
    assert!(page.contains("<strong>制度</strong>"), "{page}");
}

#[test]
fn a_big_sites_preview_places_its_mistakes_in_their_text() {
    // The mistake is found in n1.md, which the lean preview has freed the
    // text of: it reads that notice again to quote it, as a small site's
    // preview would.
    let first = shaped_notice(1, 1).replacen("---\n", "---\nslug: first\n", 1);
    let site = SiteTest::with_notices(&[("n1.md", &first), ("n2.md", &shaped_notice(2, 2))]);
    let (mut kept, _) = open(site.path(), &site.path().join("kept"));
    let (mut lean, _) = open_lean(site.path(), &site.path().join("lean"));
    let same = shaped_notice(0, 3).replacen("---\n", "---\nslug: first\n", 1);
    site.write("content/notices/a0.md", &same);
    let rel = "content/notices/a0.md";
    let (Outcome::Failed(expected), Outcome::Failed(found)) = (
        change(&mut kept, site.path(), rel),
        change(&mut lean, site.path(), rel),
    ) else {
        panic!("a duplicate slug is a mistake");
    };
    let slug = found
        .0
        .iter()
        .find(|d| d.file.ends_with("n1.md"))
        .expect("the mistake is n1.md's");
    assert_eq!((slug.line, slug.column), (2, 7), "{found}");
    assert_eq!(found.to_string(), expected.to_string());

    // Mended, the preview goes on from its last good site, which is what
    // a build writes.
    site.remove(rel);
    let outcome = change(&mut lean, site.path(), rel);
    assert!(!matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert_same_as_build(site.path(), &site.path().join("lean"));
}

/// A notice in shape `v`: its title, date, tags, results and links vary.
fn shaped_notice(id: usize, v: u8) -> String {
    let categories = ["policy", "conduct", "team"];
    let results = [
        "整改完成",
        "正在整改",
        "阶段性完成，长期推进",
        "立行立改，整改完成",
    ];
    let link = if v.is_multiple_of(3) {
        "见[首页](/)。"
    } else {
        ""
    };
    // Half the shapes report on an inspection: the notices of one body
    // that do form a round, and their problems are followed by number.
    let inspection = if v.is_multiple_of(2) {
        "inspection:\n  kind: 巡察\n  group: 第一巡察组\n  start: 2021-03-01\n"
    } else {
        ""
    };
    format!(
        "---\ntitle: 第{id}号通报（{v}）\ndate: 2022-0{}-1{}\ntags: [标签{}]\norganization: 单位{}\n{inspection}problems:\n  - category: {}\n    title: 问题甲{v}\n    result: {}\n    recovered_yuan: {}\n  - category: {}\n    title: 问题乙\n    result: {}\n---\n第{id}号通报的正文{v}。{link}\n",
        1 + v % 9,
        id % 10,
        v % 3,
        id % 2,
        categories[v as usize % 3],
        results[v as usize % 4],
        100 + v as usize,
        categories[(id + 1) % 3],
        results[id % 4],
    )
}

/// The notice files of the site, by name.
fn notice_files(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("content/notices"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Applies `edit` to the site; returns the paths it touched.
fn apply(site: &SiteTest, edit: &Edit, next: &mut usize) -> Vec<String> {
    let files = notice_files(site.path());
    let pick = |i: usize| files.get(i % files.len().max(1)).cloned();
    let notice = |name: &str| format!("content/notices/{name}");
    match edit {
        Edit::Add(v) => {
            *next += 1;
            let rel = notice(&format!("n{next}.md"));
            site.write(&rel, &shaped_notice(*next, *v));
            vec![rel]
        }
        Edit::Change(i, v) => pick(*i).map_or(vec![], |name| {
            let digits: String = name.chars().filter(char::is_ascii_digit).collect();
            let id = digits.parse().unwrap_or(0);
            site.write(&notice(&name), &shaped_notice(id, *v));
            vec![notice(&name)]
        }),
        Edit::Delete(i) => pick(*i).map_or(vec![], |name| {
            site.remove(&notice(&name));
            vec![notice(&name)]
        }),
        Edit::Rename(i) => pick(*i).map_or(vec![], |name| {
            *next += 1;
            let to = notice(&format!("r{next}.md"));
            fs::rename(site.path().join(notice(&name)), site.path().join(&to)).unwrap();
            vec![notice(&name), to]
        }),
        Edit::Recategorize(i) => pick(*i).map_or(vec![], |name| {
            site.edit(&notice(&name), |t| {
                t.replacen("category: policy", "category: team", 1)
            });
            vec![notice(&name)]
        }),
        Edit::Template(on) => {
            let rel = "templates/404.html";
            if *on {
                site.write(
                    rel,
                    "{% extends \"base.html\" %}{% block content %}<h1>没有这一页</h1>{% endblock content %}",
                );
            } else if site.path().join(rel).exists() {
                site.remove(rel);
            }
            vec![rel.to_string()]
        }
        Edit::Break(i) => pick(*i).map_or(vec![], |name| {
            site.edit(&notice(&name), |t| t.replacen("date: ", "date: [", 1));
            vec![notice(&name)]
        }),
        Edit::Fix => files
            .iter()
            .filter(|name| site.read(&notice(name)).contains("date: ["))
            .map(|name| {
                site.edit(&notice(name), |t| t.replace("date: [", "date: "));
                notice(name)
            })
            .collect(),
    }
}

/// How many random edit sequences to try: `GONGKAI_SERVE_CASES`, else 12.
fn serve_cases() -> u32 {
    std::env::var("GONGKAI_SERVE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: serve_cases(),
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    /// After every edit, what `serve` shows equals a fresh build; while
    /// the site has errors, both refuse it. Whether the preview holds the
    /// notices' sources or, as a big site's, reads them again.
    #[test]
    fn serve_equals_a_fresh_build_after_any_edits(
        edits in prop::collection::vec(edit(), 1..7),
        lean in any::<bool>(),
    ) {
        let site = SiteTest::with_notices(&[
            ("n1.md", &shaped_notice(1, 0)),
            ("n2.md", &shaped_notice(2, 1)),
            ("n3.md", &shaped_notice(3, 2)),
        ]);
        let out = site.path().join("serve");
        let (mut ws, _) = if lean {
            open_lean(site.path(), &out)
        } else {
            open(site.path(), &out)
        };
        let mut next = 3;
        for edit in &edits {
            let touched = apply(&site, edit, &mut next);
            let paths = touched.iter().map(|rel| site.path().join(rel));
            let outcome = ws.update(&Changes::of(site.path(), paths));
            ws.finish();
            let fresh = site.path().join("fresh");
            let built = site.try_build(|o| o.output = Some(fresh.clone()));
            match (&outcome, built) {
                (Outcome::Failed(_), Err(_)) => {}
                (Outcome::Failed(e), Ok(_)) => prop_assert!(false, "serve failed, build did not: {e}"),
                (_, Err(e)) => prop_assert!(false, "build failed, serve did not: {e}"),
                (_, Ok(_)) => assert_same_files(&fresh, &out),
            }
        }
    }
}
