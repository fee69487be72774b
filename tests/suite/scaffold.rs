//! `gongkai init` and `gongkai new`: from nothing to a site that builds.

use std::fs;
use std::process::Command;

use crate::support::*;
use gongkai::commands::build::build;
use gongkai::commands::check::check;
use gongkai::commands::init::{InitOptions, init};
use gongkai::commands::new::{NewOptions, new_notice};
use gongkai::content::Day;
use gongkai::pipeline::Options;

fn day() -> Day {
    Day::parse("2024-06-30").unwrap()
}

fn options(dir: &std::path::Path, force: bool) -> InitOptions {
    InitOptions {
        dir: dir.to_path_buf(),
        organization: Some("某区某局".into()),
        force,
        date: day(),
    }
}

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("新站点");
    let files = init(&options(&dir, false)).unwrap();
    assert!(files.iter().any(|f| f.ends_with("site.yaml")));
    assert!(dir.join("static").is_dir());
    assert!(read(&dir, ".gitignore").contains("/public/"));
    let config = read(&dir, "site.yaml");
    for field in [
        "title:",
        "organization:",
        "base_url:",
        "contact:",
        "footer:",
        "icp:",
        "police:",
        "site_id_code:",
        "categories:",
        "notices_per_page:",
        "problems_per_page:",
        "require_review:",
        "theme:",
    ] {
        assert!(config.contains(field), "site.yaml explains {field}");
    }
    let report = build_ok(&dir);
    assert_eq!(report.notices, 1);
    assert!(read(&dir, "public/index.html").contains("某区某局"));
    let found = check(&dir, day());
    assert!(found.errors().next().is_none(), "{found}");
    // Its placeholders are not ready to publish: each is a warning at
    // its line, in site.yaml and in the example notice.
    let placeholders: Vec<(String, usize)> = found
        .warnings()
        .filter(|d| d.code == gongkai::diagnostic::Code::Placeholder)
        .map(|d| (d.file.display().to_string(), d.line))
        .collect();
    let in_config = |needle: &str| {
        let line = config.lines().position(|l| l.contains(needle)).unwrap() + 1;
        ("site.yaml".to_string(), line)
    };
    for needle in [
        "0000-0000000",
        "（请填写邮政信箱或地址）",
        "example@example.gov.cn",
        "（请填写ICP备案号）",
    ] {
        assert!(
            placeholders.contains(&in_config(needle)),
            "{needle}: {placeholders:?}"
        );
    }
    assert!(
        placeholders
            .iter()
            .any(|(f, _)| f.starts_with("content/notices/")),
        "the example notice: {placeholders:?}"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("我的文件.txt"), "x").unwrap();
    let e = init(&options(tmp.path(), false)).unwrap_err();
    assert!(e.help.unwrap().contains("--force"));
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "nothing was written"
    );
    init(&options(tmp.path(), true)).unwrap();
    assert!(tmp.path().join("我的文件.txt").exists());
    build_ok(tmp.path());

    // A folder with only a fresh git repository counts as empty.
    let git = tempfile::tempdir().unwrap();
    fs::create_dir(git.path().join(".git")).unwrap();
    init(&options(git.path(), false)).unwrap();
}

/// `new` and `init --force` write only inside the site: never through a
/// link that leads out of it, nor into the file a link points at.
#[test]
#[cfg(unix)]
fn nothing_is_written_through_a_link() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let site = SiteTest::basic();
    fs::rename(
        site.path().join("content/notices"),
        outside.path().join("notices"),
    )
    .unwrap();
    symlink(
        outside.path().join("notices"),
        site.path().join("content/notices"),
    )
    .unwrap();
    let before = fs::read_dir(outside.path().join("notices"))
        .unwrap()
        .count();
    let notice = NewOptions {
        root: site.path().to_path_buf(),
        title: "关于巡察整改进展情况的通报".into(),
        organization: None,
        unit: None,
        category: None,
        date: day(),
    };
    let errors = new_notice(&notice).unwrap_err();
    assert!(errors[0].message.contains("站点以外"), "{errors:?}");
    let after = fs::read_dir(outside.path().join("notices"))
        .unwrap()
        .count();
    assert_eq!(before, after);

    let tmp = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("victim.txt"), "mine").unwrap();
    symlink(
        outside.path().join("victim.txt"),
        tmp.path().join("site.yaml"),
    )
    .unwrap();
    let e = init(&options(tmp.path(), true)).unwrap_err();
    assert!(e.message.contains("符号链接"), "{e:?}");
    assert_eq!(
        fs::read_to_string(outside.path().join("victim.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_creates_a_draft_notice_that_builds() {
    let site = SiteTest::basic();
    let options = NewOptions {
        root: site.path().to_path_buf(),
        title: "关于巡察整改阶段性进展情况的通报（第三次）".into(),
        organization: Some("潮州市湘桥区示范街道党工委".into()),
        unit: None,
        category: Some("team".into()),
        date: day(),
    };
    let rel = new_notice(&options).unwrap();
    let name = rel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("2024-06-30-guan-yu-xun-cha-zheng-gai"),
        "{name}"
    );
    assert!(rel.starts_with("content/notices"));
    let text = site.read(rel.to_str().unwrap());
    assert!(text.contains("category: team"));
    assert!(text.contains("organization: 潮州市湘桥区示范街道党工委"));
    assert!(
        text.contains("# 发布日期"),
        "fields are explained in Chinese"
    );

    // A second notice of the same title gets another file.
    let second = new_notice(&options).unwrap();
    assert_ne!(rel, second);

    site.build();
    let mut preview = Options::new(site.path());
    preview.drafts = true;
    let report = build(&preview).unwrap();
    assert_eq!(report.notices, 6);
    let slug = name.trim_end_matches(".md");
    assert!(
        site.page(&format!("notices/{slug}/index.html"))
            .contains("第三次")
    );
    // What the author has still to write is pointed out.
    let found = site.check();
    let lines: Vec<usize> = found
        .warnings()
        .filter(|d| d.code == gongkai::diagnostic::Code::Placeholder && d.file == rel)
        .map(|d| d.line)
        .collect();
    let placeholder_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            !l.trim_start().starts_with('#')
                && ["（请填写", "针对……的问题", "一是……", "根据……"]
                    .iter()
                    .any(|p| l.contains(p))
                || l.trim() == "……"
        })
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!placeholder_lines.is_empty());
    assert_eq!(lines, placeholder_lines, "{found}");
    assert!(
        !text.contains("欢迎广大干部群众"),
        "the theme says it already"
    );
}

#[test]
fn new_refuses_an_unknown_category() {
    let site = SiteTest::basic();
    let options = NewOptions {
        root: site.path().to_path_buf(),
        title: "通报".into(),
        organization: None,
        unit: None,
        category: Some("nope".into()),
        date: day(),
    };
    let errors = new_notice(&options).unwrap_err();
    assert!(errors[0].help.as_deref().unwrap().contains("policy"));
}

#[test]
fn new_refuses_a_title_that_would_not_build() {
    let site = SiteTest::basic();
    for title in ["\u{200b}", "关于\u{1}通报", "关于\u{2028}通报"] {
        let options = NewOptions {
            root: site.path().to_path_buf(),
            title: title.into(),
            organization: None,
            unit: None,
            category: None,
            date: day(),
        };
        let errors = new_notice(&options).unwrap_err();
        assert_eq!(
            errors[0].code,
            gongkai::diagnostic::Code::MissingTitle,
            "{title:?}"
        );
    }
    // Nothing was written: the site still builds.
    site.build();
}

#[test]
fn the_commands_print_what_they_made() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let out = Command::new(bin)
        .args(["init", dir.to_str().unwrap(), "--org", "某单位"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("site.yaml"));
    let out = Command::new(bin)
        .args(["new", "关于示例的通报", "--root", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(std::path::Path::new(&path).exists(), "{path}");
    assert!(path.ends_with("-guan-yu-shi-li-de-tong-bao.md"), "{path}");
    let out = Command::new(bin)
        .args(["build", "--root", dir.to_str().unwrap(), "--drafts"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The build shows the placeholders as warnings; check --strict fails.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("警告[placeholder]") && stderr.contains("site.yaml:"),
        "{stderr}"
    );
    let strict = Command::new(bin)
        .args(["check", "--strict", "--root", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let said = String::from_utf8_lossy(&strict.stdout);
    assert!(said.contains("警告[placeholder]"), "{said}");
    // And says which notices are drafts, not to be published.
    assert!(said.contains("不会发布：content/notices/"), "{said}");
    let again = Command::new(bin)
        .args(["init", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
}
