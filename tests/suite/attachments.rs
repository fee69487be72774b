//! Attachments (附件): the files a notice lists, copied beside its page,
//! listed with type and size, checked where the front matter names them,
//! warned of when only scans, found by search, in the open data, and
//! followed by the preview.

use std::path::Path;

use serde_json::Value;

use crate::support::*;
use gongkai::content::attachment::display_size;
use gongkai::diagnostic::Code;
use gongkai::pipeline::{Changes, Options, Pipeline};
use gongkai::search::{Filter, SearchIndex};
use gongkai::serve::{Outcome, Workspace};

/// The example site's notice with attachments, and its page.
const SHIFAN: &str = "content/shifan/2022-shifan-jiedao.md";
pub(crate) const SHIFAN_PAGE: &str = "notices/2022-shifan-jiedao/index.html";
const XLSX: &str = "content/shifan/附件/整改问题清单.xlsx";
const PDF: &str = "content/shifan/附件/整改工作方案.pdf";

/// The example site (a county's, with the attachments of `SHIFAN`).
pub(crate) fn example() -> SiteTest {
    SiteTest::fixture("county")
}

/// The 1-based line of the first line of `rel` that contains `needle`.
fn line_of(site: &SiteTest, rel: &str, needle: &str) -> usize {
    let text = site.read(rel);
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} is not in {rel}"))
}

/// A one-page PDF that is only a picture of its page: an image and no font.
fn scanned_pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n\
        2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n\
        3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>> endobj\n\
        4 0 obj <</Type/XObject/Subtype/Image/Width 1/Height 1/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/DCTDecode/Length 4>>stream\n"
        .to_vec();
    pdf.extend(b"\xff\xd8\xff\xd9\nendstream endobj\n");
    pdf.extend(b"5 0 obj <</Length 30>>stream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream endobj\n");
    pdf.extend(b"trailer <</Root 1 0 R>>\n%%EOF\n");
    pdf
}

fn write_bytes(site: &SiteTest, rel: &str, bytes: &[u8]) {
    let path = site.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A notice of one line of front matter more, its attachments.
fn notice_with(attachments: &str, body: &str) -> String {
    format!(
        "---\ntitle: 关于巡察整改的公告\ndate: 2022-05-01\nattachments:\n{attachments}---\n{body}"
    )
}

#[test]
fn attachments_are_copied_beside_their_notice_and_listed_with_type_and_size() {
    let site = example();
    site.built();
    let out = site.public();
    for (source, name) in [(XLSX, "整改问题清单.xlsx"), (PDF, "整改工作方案.pdf")] {
        let copied = std::fs::read(out.join("notices/2022-shifan-jiedao/附件").join(name)).unwrap();
        assert_eq!(
            copied,
            std::fs::read(site.path().join(source)).unwrap(),
            "{name}"
        );
    }
    let size = |rel: &str| display_size(std::fs::metadata(site.path().join(rel)).unwrap().len());
    site.page_has(
        SHIFAN_PAGE,
        &[
            "<h2 id=\"attachments-title\">附件</h2>",
            ">巡察整改问题清单</a>",
            &format!("Excel，{}", size(XLSX)),
            ">示范街道党工委巡察整改工作方案</a>",
            &format!("PDF，{}", size(PDF)),
        ],
    );
    // Each link leads to its file, and nothing on the site leads nowhere.
    let page = site.page(SHIFAN_PAGE);
    let links: Vec<String> = attr_values(&page, "href")
        .into_iter()
        .filter(|h| h.contains("%E9%99%84%E4%BB%B6"))
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    for link in &links {
        let file = out
            .join("notices/2022-shifan-jiedao")
            .join(percent_decode(link));
        assert!(file.is_file(), "{link}");
    }
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
    // A notice without attachments lists none.
    site.page_lacks(
        "notices/xiangqiao-zhengxie-2021/index.html",
        &["attachments-title"],
    );
}

#[test]
fn the_open_data_lists_each_notice_s_attachments() {
    let site = example();
    site.try_build(|o| o.base_url = Some("https://www.example.gov.cn/dwgk/".into()))
        .unwrap();
    let data: Value = serde_json::from_str(&site.page("problems.json")).unwrap();
    let notices = data["notices"].as_array().unwrap();
    let shifan = notices
        .iter()
        .find(|n| n["slug"] == "2022-shifan-jiedao")
        .unwrap();
    let listed = shifan["attachments"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["title"], "巡察整改问题清单");
    assert_eq!(listed[0]["type"], "excel");
    let bytes = std::fs::metadata(site.path().join(XLSX)).unwrap().len();
    assert_eq!(listed[0]["bytes"], bytes);
    assert_eq!(listed[1]["type"], "pdf");
    assert_eq!(listed[1]["scan_only"], false);
    let url = listed[1]["url"].as_str().unwrap();
    assert_eq!(
        percent_decode(url),
        "https://www.example.gov.cn/dwgk/notices/2022-shifan-jiedao/附件/整改工作方案.pdf"
    );
    // Notices without attachments have no such field.
    let others = notices.iter().filter(|n| n["slug"] != "2022-shifan-jiedao");
    assert!(others.into_iter().all(|n| n.get("attachments").is_none()));
}

#[test]
fn search_finds_an_attachment_by_its_title() {
    let site = example();
    let mut pipeline = Pipeline::open(Options::new(site.path()));
    let (model, errors) = pipeline.model(pipeline.publish()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let index = SearchIndex::build(&model.site, model.texts);
    let hits = index.query("示范街道党工委巡察整改工作方案", Filter::default());
    let paths: Vec<&str> = hits
        .iter()
        .map(|h| index.notices[h.notice].path.as_str())
        .collect();
    assert_eq!(paths, [SHIFAN_PAGE], "{hits:?}");
}

#[test]
fn a_missing_attachment_fails_the_build_at_its_path() {
    let file = "content/notices/2022-gonggao.md";
    let listed = "  - title: 整改方案\n    path: 附件/整改方案.pdf\n";
    let site = SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(listed, "正文。\n"))]);
    site.build_fails_with(&[error(Code::MissingAttachment, file, 6)]);
    // The file comes: the notice builds.
    write_bytes(
        &site,
        "content/notices/附件/整改方案.pdf",
        b"%PDF-1.4 /Font",
    );
    site.built()
        .page_has("notices/2022-gonggao/index.html", &[">整改方案</a>"]);
}

#[test]
fn an_attachment_must_be_a_file_inside_the_site() {
    let file = "content/notices/2022-gonggao.md";
    let attachments = "  - title: 站点配置\n    path: ../../site.yaml\n\
        \x20 - title: 网上的文件\n    path: https://www.example.gov.cn/a.pdf\n\
        \x20 - title: 页面\n    path: index.html\n\
        \x20 - title: 文件夹\n    path: 附件/\n";
    let site =
        SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(attachments, "正文。\n"))]);
    site.build_fails_with(&[
        error(Code::AttachmentPath, file, 6),
        error(Code::AttachmentPath, file, 8),
        error(Code::AttachmentPath, file, 10),
        error(Code::AttachmentPath, file, 12),
    ]);
}

#[test]
fn an_attachment_may_not_take_the_word_copy_s_place() {
    // Named as the notice's Word copy (`<slug>.docx`, in any case), which
    // only a site that makes Word copies writes beside the page.
    let file = "content/notices/2022-gonggao.md";
    let attachments = "  - title: 通报原文\n    path: 2022-Gonggao.docx\n";
    let site =
        SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(attachments, "正文。\n"))]);
    site.write("content/notices/2022-Gonggao.docx", "Word");
    site.built()
        .page_has("notices/2022-gonggao/index.html", &[">通报原文</a>"]);
    site.edit("site.yaml", |t| format!("{t}exports: [docx]\n"));
    site.build_fails_with(&[error(Code::AttachmentPath, file, 6)]);
}

#[cfg(unix)]
#[test]
fn an_attachment_linked_out_of_the_site_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), b"%PDF-1.4 /Font").unwrap();
    let file = "content/notices/2022-gonggao.md";
    let attachments = "  - title: 原件\n    path: 原件.pdf\n";
    let site =
        SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(attachments, "正文。\n"))]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.pdf"),
        site.path().join("content/notices/原件.pdf"),
    )
    .unwrap();
    site.build_fails_with(&[
        error(Code::Symlink, file, 6),
        error(Code::Symlink, "content/notices/原件.pdf", 0),
    ]);
}

#[test]
fn an_attachment_in_static_is_linked_where_static_publishes_it() {
    let site = SiteTest::with_notices(&[(
        "2022-gonggao.md",
        &notice_with(
            "  - title: 整改方案\n    path: /files/方案.pdf\n",
            "正文。\n",
        ),
    )]);
    write_bytes(&site, "static/files/方案.pdf", b"%PDF-1.4 /Font");
    site.built().page_has(
        "notices/2022-gonggao/index.html",
        &[
            "href=\"../../files/%E6%96%B9%E6%A1%88.pdf\"",
            "PDF，14 字节",
        ],
    );
    assert!(site.public().join("files/方案.pdf").is_file());
    assert!(!site.public().join("notices/2022-gonggao/方案.pdf").exists());
}

#[test]
fn a_scan_without_a_text_version_is_worth_a_warning() {
    let file = "content/notices/2022-gonggao.md";
    let scans =
        "  - title: 盖章原件\n    path: 原件.jpg\n  - title: 扫描件\n    path: 扫描件.pdf\n";
    let site = SiteTest::with_notices(&[(
        "2022-gonggao.md",
        &notice_with(scans, "<!-- problems -->\n"),
    )]);
    write_bytes(&site, "content/notices/原件.jpg", b"\xff\xd8\xff\xd9");
    write_bytes(&site, "content/notices/扫描件.pdf", &scanned_pdf());
    let codes = [Code::ScanOnlyAttachment];
    site.check_finds_of(
        &codes,
        &[
            warning(Code::ScanOnlyAttachment, file, 6),
            warning(Code::ScanOnlyAttachment, file, 8),
        ],
    );
    site.built()
        .page_has("notices/2022-gonggao/index.html", &["扫描件</span>"]);
    // With the text in the notice, the scans are only the originals.
    site.edit(file, |t| {
        t.replace("<!-- problems -->", "现将整改情况公告如下：……")
    })
    .check_finds_of(&codes, &[]);
    // Or with a version that has text beside them.
    site.edit(file, |t| t.replace("现将整改情况公告如下：……", ""));
    let example = example();
    write_bytes(
        &site,
        "content/notices/方案.pdf",
        &std::fs::read(example.path().join(PDF)).unwrap(),
    );
    site.edit(file, |t| {
        t.replace(
            "attachments:\n",
            "attachments:\n  - title: 文字版\n    path: 方案.pdf\n",
        )
    })
    .check_finds_of(&codes, &[]);
}

#[test]
fn a_link_in_the_text_to_an_attachment_finds_its_copy() {
    let site = example();
    site.edit(SHIFAN, |t| {
        t.replace(
            "<!-- problems -->",
            "问题清单见[附件1](附件/整改问题清单.xlsx)。\n\n<!-- problems -->",
        )
    })
    .check_finds_of(&[Code::MissingAttachment, Code::BrokenLink], &[]);
    // A link to a document that is not there is the same mistake.
    site.edit(SHIFAN, |t| {
        t.replace("(附件/整改问题清单.xlsx)", "(附件/清单.xlsx)")
    });
    let line = line_of(&site, SHIFAN, "(附件/清单.xlsx)");
    site.check_finds_of(
        &[Code::MissingAttachment, Code::BrokenLink],
        &[error(Code::MissingAttachment, SHIFAN, line)],
    );
}

#[test]
fn the_preview_follows_an_attachment_s_file() {
    let file = "content/notices/2022-gonggao.md";
    let listed = "  - title: 整改方案\n    path: 附件/整改方案.pdf\n  - title: 制度\n    path: /files/制度.pdf\n";
    let site = SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(listed, "正文。\n"))]);
    write_bytes(&site, "static/files/制度.pdf", b"%PDF-1.4 /Font");
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("preview");
    let (mut ws, outcome) = Workspace::open(Options::new(site.path()), out.clone());
    assert!(matches!(outcome, Outcome::Failed(_)), "the file is missing");
    // The file comes: the notice is read again, and the preview is the build.
    let pdf = "content/notices/附件/整改方案.pdf";
    write_bytes(&site, pdf, b"%PDF-1.4 /Font");
    let outcome = ws.update(&Changes::of(site.path(), [site.path().join(pdf)]));
    assert!(matches!(outcome, Outcome::Reload { .. }), "{outcome:?}");
    ws.finish();
    assert_same_as_build(site.path(), &out);
    // A larger file: its size on the page changes with it.
    write_bytes(&site, pdf, &[b'%'; 2048]);
    ws.update(&Changes::of(site.path(), [site.path().join(pdf)]));
    ws.finish();
    assert!(read(&out, "notices/2022-gonggao/index.html").contains("PDF，2.0 KB"));
    assert_same_as_build(site.path(), &out);
    // And a file of static/ that a notice lists.
    let rule = "static/files/制度.pdf";
    std::fs::remove_file(site.path().join(rule)).unwrap();
    let outcome = ws.update(&Changes::of(site.path(), [site.path().join(rule)]));
    let Outcome::Failed(errors) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(errors.0[0].code, Code::MissingAttachment);
    assert_eq!(
        (errors.0[0].file.as_path(), errors.0[0].line),
        (Path::new(file), 8)
    );
}

#[test]
fn malformed_attachments_are_reported_at_their_field_all_at_once() {
    let file = "content/notices/2022-gonggao.md";
    let at = |code, line| error(code, file, line);
    for (attachments, expected) in [
        ("  整改方案.pdf\n", vec![at(Code::Yaml, 5)]),
        ("  - 整改方案.pdf\n", vec![at(Code::Yaml, 5)]),
        (
            "  - title: 方案\n    size: 3\n",
            vec![at(Code::MissingAttachment, 5), at(Code::Yaml, 6)],
        ),
        (
            "  - path: 方案.pdf\n",
            vec![at(Code::MissingTitle, 5), at(Code::MissingAttachment, 5)],
        ),
        (
            "  - title: 方案\n    path: 2022\n",
            vec![at(Code::MissingAttachment, 6)],
        ),
        // A NUL written as an escape is no file name, nor any text.
        (
            "  - title: 方案\n    path: \"a\\0b.pdf\"\n",
            vec![at(Code::Yaml, 6)],
        ),
        (
            "  - title: 方案\n    path: C:\\files\\a.pdf\n",
            vec![at(Code::AttachmentPath, 6)],
        ),
        (
            "  - title: 方案\n    path: /../content/a.pdf\n",
            vec![at(Code::AttachmentPath, 6)],
        ),
        (
            "  - title: 方案\n    path: 2022-gonggao.md\n",
            vec![at(Code::AttachmentPath, 6)],
        ),
        (
            "  - title: 甲\n    path: a.pdf\n  - title: 乙\n    path: ./a.pdf\n",
            vec![at(Code::AttachmentPath, 8)],
        ),
    ] {
        let site =
            SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(attachments, "正文。\n"))]);
        write_bytes(&site, "content/notices/a.pdf", b"%PDF-1.4 /Font");
        let started = std::time::Instant::now();
        site.build_fails_with(&expected);
        assert!(started.elapsed().as_secs() < 10, "{attachments}");
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_listed_as_an_attachment_is_not_read() {
    let file = "content/notices/2022-gonggao.md";
    let listed = "  - title: 管道\n    path: pipe.pdf\n";
    let site = SiteTest::with_notices(&[("2022-gonggao.md", &notice_with(listed, "正文。\n"))]);
    let path = site.path().join("content/notices/pipe.pdf");
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid, NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    site.build_fails_with(&[
        error(Code::AttachmentPath, file, 6),
        error(Code::Io, "content/notices/pipe.pdf", 0),
    ]);
}
