//! The in-memory site of `serve`: updates touch only what changed, and the
//! result is always what `build` writes.

mod common;

use std::fs;
use std::path::Path;

use common::*;
use gongkai::commands::build::{BuildOptions, build};
use gongkai::workspace::{Changes, Outcome, Workspace, WorkspaceOptions};

fn open(root: &Path, out: &Path) -> (Workspace, Outcome) {
    Workspace::open(WorkspaceOptions {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
        drafts: false,
    })
}

/// The workspace's output equals a fresh build of the same site.
fn assert_same_as_build(root: &Path, out: &Path) {
    let built = tempfile::tempdir().unwrap();
    let mut options = BuildOptions::new(root);
    options.output = Some(built.path().join("public"));
    build(&options).unwrap();
    let expected = tree(&built.path().join("public"));
    let actual = tree(out);
    let missing: Vec<_> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .collect();
    let extra: Vec<_> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    for (path, bytes) in &expected {
        assert!(bytes == &actual[path], "{path} differs");
    }
}

fn change(ws: &mut Workspace, root: &Path, rel: &str) -> Outcome {
    let outcome = ws.update(&Changes::of(root, [root.join(rel)]));
    ws.finish();
    outcome
}

#[test]
fn editing_a_notice_renders_only_what_shows_it() {
    let site = example_site();
    let out = site.path().join("serve");
    let (mut ws, outcome) = open(site.path(), &out);
    assert!(matches!(outcome, Outcome::Reload { .. }), "{outcome:?}");
    assert_same_as_build(site.path(), &out);

    let rel = "content/notices/2022-zuzhi-shenghuohui.md";
    let text = read(site.path(), rel).replace("优秀 | 6", "优秀 | 7");
    write(site.path(), rel, &text);
    let outcome = change(&mut ws, site.path(), rel);
    // Only its own page: its summary and title did not change.
    assert_eq!(outcome, Outcome::Reload { pages: 1 });
    assert_same_as_build(site.path(), &out);

    let text = text.replace("title: 关于2021年度", "title: 关于2021年");
    write(site.path(), rel, &text);
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
    let site = example_site();
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
fn errors_keep_the_last_good_site_until_fixed() {
    let site = example_site();
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let before = tree(&out);
    let rel = "content/notices/2022-zuzhi-shenghuohui.md";
    let good = read(site.path(), rel);
    write(
        site.path(),
        rel,
        &good.replace("date: 2022-02-18", "date: 2022-02-30"),
    );
    let Outcome::Failed(errors) = change(&mut ws, site.path(), rel) else {
        panic!()
    };
    let d = errors.errors().next().unwrap();
    assert_eq!((d.file.to_str(), d.line), (Some(rel), 3));
    assert_eq!(tree(&out), before, "the last good site stays");

    write(
        site.path(),
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
    write(site.path(), rel, &good);
    assert!(matches!(
        change(&mut ws, site.path(), rel),
        Outcome::Unchanged | Outcome::Reload { .. }
    ));
    assert_same_as_build(site.path(), &out);
}

#[test]
fn templates_render_everything_again_and_config_reloads() {
    let site = example_site();
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    write(
        site.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>改过的404</h1>{% endblock content %}",
    );
    assert_eq!(
        change(&mut ws, site.path(), "templates/404.html"),
        Outcome::Reload { pages: 1 }
    );
    assert!(read(&out, "404.html").contains("改过的404"));
    let config = read(site.path(), "site.yaml").replace("title: 党务公开", "title: 党务公开网");
    write(site.path(), "site.yaml", &config);
    assert!(matches!(
        change(&mut ws, site.path(), "site.yaml"),
        Outcome::Reload { .. }
    ));
    assert!(read(&out, "index.html").contains("党务公开网"));
    assert_same_as_build(site.path(), &out);
}

#[test]
fn a_stylesheet_change_is_only_a_stylesheet_change() {
    let site = example_site();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    let out = site.path().join("serve");
    let (mut ws, _) = open(site.path(), &out);
    let css = "themes/default/static/assets/gongkai.css";
    let text = read(site.path(), css) + "\n.x { color: red; }\n";
    write(site.path(), css, &text);
    assert_eq!(
        change(&mut ws, site.path(), css),
        Outcome::Stylesheets(vec!["assets/gongkai.css".into()])
    );
    assert!(read(&out, "assets/gongkai.css").ends_with(".x { color: red; }\n"));
    write(site.path(), "static/files/a.txt", "附件");
    assert_eq!(
        change(&mut ws, site.path(), "static/files/a.txt"),
        Outcome::Reload { pages: 0 }
    );
    assert_same_as_build(site.path(), &out);
}
