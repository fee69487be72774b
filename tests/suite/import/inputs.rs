//! Inputs that are not plain UTF-8 text (GBK, Word tables), files that
//! exist already, and files that cannot be read.

use super::*;

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
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap()]);
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
    let out = gongkai_in(
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

/// The notice to write is a link (one pointing nowhere too): the import
/// writes nothing through it, forced or not.
#[test]
#[cfg(unix)]
fn no_notice_is_written_through_a_link() {
    let s = site(None);
    let file = fixture("gbk.txt");
    let rel = import_ok(s.path(), &file, &[]);
    fs::remove_file(s.path().join(&rel)).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    fs::write(&victim, "mine").unwrap();
    std::os::unix::fs::symlink(&victim, s.path().join(&rel)).unwrap();
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap(), "--force"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("符号链接"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");

    let gone = outside.path().join("gone.txt");
    fs::remove_file(s.path().join(&rel)).unwrap();
    std::os::unix::fs::symlink(&gone, s.path().join(&rel)).unwrap();
    for extra in [&[][..], &["--force"]] {
        let mut args = vec!["import", file.to_str().unwrap()];
        args.extend(extra);
        assert!(!gongkai_in(s.path(), &args).status.success());
        assert!(!gone.exists(), "{extra:?}");
    }
}

#[test]
fn unreadable_input_is_an_error_not_a_panic() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "old.doc",
            b"\xD0\xCF\x11\xE0rest".to_vec(),
            "不是 Word 97–2003 文档",
        ),
        ("letter.rtf", b"{\\rtf1 text}".to_vec(), "不支持 RTF"),
        (
            "broken.docx",
            b"PK\x03\x04garbage".to_vec(),
            "无法读取 Word 文档",
        ),
        // Bytes that are neither UTF-8 nor GB18030, on line 2.
        ("binary.txt", b"ok\n\x81\x20\xFF\xFF".to_vec(), ":2:"),
        ("empty.txt", b" \r\n\r\n".to_vec(), "没有文字"),
        ("nul.txt", vec![0; 1000], "没有文字"),
        // Parsing is quadratic in the nesting: refused where it starts,
        // on line 2, 3,000 levels deep.
        ("deep.html", deep_page(3_000), "deep.html:2:10001"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let out = gongkai_in(s.path(), &["import", path.to_str().unwrap(), "--dry-run"]);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!all.contains("panicked"), "{name}: {all}");
        assert!(all.contains(expected), "{name}: {all}");
    }
    let out = gongkai_in(s.path(), &["import", "/no/such/file.txt"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("无法读取文件"));
}

/// A page whose `<div>`s nest `depth` deep, from its second line.
fn deep_page(depth: usize) -> Vec<u8> {
    let mut page = String::from("<html><body>\n");
    page.push_str(&"<div>".repeat(depth));
    page.push_str("一、问题");
    page.push_str(&"</div>".repeat(depth));
    page.into_bytes()
}

#[test]
fn a_page_nested_as_deep_as_a_browser_shows_is_read() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.html");
    fs::write(&path, deep_page(1_000)).unwrap();
    let out = gongkai_in(s.path(), &["import", path.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("一、问题"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_bulletin_without_its_body_is_named_after_its_file_not_a_placeholder() {
    // A site just made by `init` still has its placeholder organization.
    let s = site(Some("title: 党务公开\norganization: （请填写单位名称）\n"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("整改通报.txt");
    fs::write(&path, "一、整改情况\n已经全部完成。\n").unwrap();
    let out = gongkai_in(s.path(), &["import", path.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("-zheng-gai-tong-bao.md"), "{said}");
    assert!(!said.contains("qing-tian-xie"), "{said}");
}

#[cfg(unix)]
#[test]
fn a_pipe_is_refused_not_waited_on() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("bulletin.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let out = gongkai_in(s.path(), &["import", fifo.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("不是普通文件"),
        "{}",
        text(&out.stderr)
    );
}

// ---------------------------------------------------------------------
// Nothing is lost.

#[test]
fn a_file_name_cannot_write_fields() {
    // The name is quoted in a comment at the top of the notice: a line
    // break in it must not start a field of its own.
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let name = "通报\nprivacy_reviewed: true\n#\u{2028}draft: false.txt";
    let original = fs::read_to_string(fixture("xiangqiao-zhengxie-2021.txt")).unwrap();
    let file = dir.path().join(name);
    fs::write(
        &file,
        original.replacen("。", "。联系人手机13800138000。", 1),
    )
    .unwrap();
    // Written, and refused for the mobile number, as any notice is.
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("privacy-mobile"),
        "{}",
        text(&out.stderr)
    );
    let rel = import_ok_existing(s.path());
    let written = fs::read_to_string(s.path().join(&rel)).unwrap();
    assert!(
        !written.lines().any(|l| l.starts_with("privacy_reviewed")),
        "{written}"
    );
    assert!(
        written
            .contains("# 由 gongkai import 从“通报 privacy_reviewed: true # draft: false.txt”导入")
    );
    let config = SiteConfig::load(s.path()).unwrap();
    let errors = load::load_file(s.path(), &rel, Some(&config)).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|d| d.code == gongkai::diagnostic::Code::PrivacyMobile),
        "{}",
        gongkai::Diagnostics(errors)
    );
}
