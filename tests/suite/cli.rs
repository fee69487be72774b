//! The `gongkai` command line, run as a program.

use crate::support::*;

#[test]
fn help_explains_every_option_in_both_languages() {
    let out = gongkai(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(
        help.contains("党务公开") && help.contains("Build the whole site"),
        "{help}"
    );
    let out = gongkai(&["build", "--help"]);
    let help = text(&out.stdout);
    for option in ["--root", "--output", "--base-url", "--drafts", "--verbose"] {
        assert!(help.contains(option), "{option} in {help}");
    }
    assert!(
        help.contains("站点根目录") && help.contains("Site folder"),
        "{help}"
    );
    let out = gongkai(&["import", "--help"]);
    let help = text(&out.stdout);
    for option in ["--root", "--out", "--category-map", "--dry-run", "--force"] {
        assert!(help.contains(option), "{option} in {help}");
    }
    assert!(help.contains("导入") || help.contains("转换"), "{help}");
    assert!(help.contains("Import a bulletin"), "{help}");
}

#[test]
fn build_reports_what_it_did() {
    let site = SiteTest::basic().with_draft();
    let root = site.path().to_str().unwrap();
    let out = gongkai(&["build", "--root", root, "--verbose"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("已生成网站：3 篇通报，22 个问题"),
        "{stdout}"
    );
    assert!(stdout.contains("读取通报"), "{stdout}");
    assert!(text(&out.stderr).contains("未发布：content/notices/2022-shifan-jiedao-di-er-ci.md"));
    assert!(site.path().join("public/index.html").exists());
}

#[test]
fn a_failed_build_exits_1_and_says_where() {
    let site = SiteTest::basic();
    let root = site.path().to_str().unwrap();
    assert!(gongkai(&["build", "--root", root]).status.success());
    let before = tree(&site.path().join("public"));
    let notice = site
        .path()
        .join("content/notices/2021-xiangqiao-zhengxie.md");
    let text_before = std::fs::read_to_string(&notice).unwrap();
    std::fs::write(
        &notice,
        text_before.replacen("category: conduct", "category: condcut", 1),
    )
    .unwrap();
    let out = gongkai(&["build", "--root", root]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--> content/notices/2021-xiangqiao-zhengxie.md:"),
        "{stderr}"
    );
    assert!(stderr.contains("是不是想写 conduct"), "{stderr}");
    assert!(stderr.contains("生成失败：共 1 个错误"), "{stderr}");
    assert_eq!(tree(&site.path().join("public")), before);
}

#[test]
fn a_bad_base_url_is_refused() {
    let site = SiteTest::basic();
    let root = site.path().to_str().unwrap();
    let out = gongkai(&["build", "--root", root, "--base-url", "www.example.gov.cn"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--base-url"),
        "{}",
        text(&out.stderr)
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let out = gongkai(&["build", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn mistakes_on_the_command_line_are_explained_in_chinese() {
    let out = gongkai(&["biuld"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("错误：没有“biuld”这个命令"), "{err}");
    assert!(err.contains("是不是想写 build"), "{err}");
    let err = text(&gongkai(&["import"]).stderr);
    assert!(err.contains("缺少必须写的参数 <文件>"), "{err}");
    assert!(
        err.contains("用法 Usage: gongkai import [选项] <文件>"),
        "{err}"
    );
    let err = text(&gongkai(&["check", "--format", "xml"]).stderr);
    assert!(err.contains("“xml”不对，可用的值：text、json"), "{err}");
    let err = text(&gongkai(&["build", "--bogus"]).stderr);
    assert!(err.contains("不认识的选项“--bogus”"), "{err}");
}

#[test]
fn help_has_no_english_only_lines() {
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["import", "-h"],
        &["export", "--help"],
    ] {
        let out = gongkai(args);
        assert!(out.status.success(), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("用法 Usage: gongkai"), "{help}");
        assert!(help.contains("显示帮助 Print help"), "{help}");
        for english in [
            "\nUsage:",
            "\nOptions:",
            "\nCommands:",
            "[default:",
            "[possible values",
            "[OPTIONS]",
        ] {
            assert!(!help.contains(english), "{english} in {args:?}:\n{help}");
        }
    }
    let version = text(&gongkai(&["--version"]).stdout);
    assert!(version.starts_with("gongkai "), "{version}");
}
