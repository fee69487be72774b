//! Every channel a bulletin goes out on besides its page: the attachments
//! it lists (copied, listed with type and size, checked, searchable, in the
//! open data), the notice-board sheet with its QR code, and the charts of
//! the dashboards, whose numbers are their tables'.

use std::path::Path;

use scraper::{Html, Selector};
use serde_json::Value;

use crate::support::*;
use gongkai::content::attachment::display_size;
use gongkai::diagnostic::Code;
use gongkai::pipeline::{Changes, Options, Pipeline};
use gongkai::search::{Filter, SearchIndex};
use gongkai::serve::{Outcome, Workspace};

/// The example site's notice with attachments, and its page.
const SHIFAN: &str = "content/shifan/2022-shifan-jiedao.md";
const SHIFAN_PAGE: &str = "notices/2022-shifan-jiedao/index.html";
const XLSX: &str = "content/shifan/附件/整改问题清单.xlsx";
const PDF: &str = "content/shifan/附件/整改工作方案.pdf";

/// The example site (a county's, with the attachments of `SHIFAN`).
fn example() -> SiteTest {
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

/// The first inline SVG QR code of `page`, read back: rasterized at 8
/// pixels a module, then decoded.
fn decode_qr(page: &str) -> String {
    let start = page.find("<svg class=\"qr\"").expect("a QR code");
    let end = start + page[start..].find("</svg>").unwrap() + "</svg>".len();
    // The page's SVG as a file of its own: the namespace is already there.
    let svg = &page[start..end];
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).unwrap();
    let scale = 8.0;
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale) as u32,
        (size.height() * scale) as u32,
    );
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let data = pixmap.data();
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
        data[(y * w as usize + x) * 4]
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("a QR code that reads").1
}

#[test]
fn the_board_sheet_carries_a_qr_code_of_the_notice_s_address() {
    let site = example();
    site.try_build(|o| o.base_url = Some("https://www.example.gov.cn/dwgk/".into()))
        .unwrap();
    let board = site.page("notices/xiangqiao-zhengxie-2021/board.html");
    assert_eq!(
        decode_qr(&board),
        "https://www.example.gov.cn/dwgk/notices/xiangqiao-zhengxie-2021/"
    );
    site.page_has(
        "notices/xiangqiao-zhengxie-2021/board.html",
        &[
            "关于巡察整改阶段性进展情况的通报",
            "整改问题17个，已完成17个",
            "<dt>纪检监察举报电话</dt><dd>12388</dd>",
            "<dt>本单位监督电话</dt><dd>0768-2100022</dd>",
            "aria-label=\"二维码：https://www.example.gov.cn/dwgk/notices/xiangqiao-zhengxie-2021/\"",
        ],
    )
    // The notice's page links to it.
    .page_has(
        "notices/xiangqiao-zhengxie-2021/index.html",
        &["<a href=\"../../notices/xiangqiao-zhengxie-2021/board.html\">打印公开栏版</a>"],
    );
    // A unit's notice gives the unit's phone.
    site.page_has(
        "notices/2022-shifan-jiedao/board.html",
        &["<dt>本单位监督电话</dt><dd>0768-0000000</dd>"],
    );
}

#[test]
fn without_a_base_url_the_board_sheet_says_why_it_has_no_qr_code() {
    let site = example();
    site.built()
        .page_has(
            "notices/xiangqiao-zhengxie-2021/board.html",
            &["base_url", "无法生成二维码"],
        )
        .page_lacks(
            "notices/xiangqiao-zhengxie-2021/board.html",
            &["class=\"qr\""],
        );
    // Board sheets print their notices: they are not in the sitemap.
    site.try_build(|o| o.base_url = Some("https://www.example.gov.cn/dwgk/".into()))
        .unwrap();
    site.page_lacks("sitemap.xml", &["board.html"]);
}

/// A chart's row as drawn: label, total and segments (key → value, read
/// from the SVG's `width`).
type Drawn = (String, u64, Vec<(String, u64)>);

/// Each row of the page's charts.
fn chart_rows(page: &str) -> Vec<Drawn> {
    let html = Html::parse_document(page);
    let row = Selector::parse(".chart-row").unwrap();
    let label = Selector::parse(".chart-label").unwrap();
    let value = Selector::parse(".chart-value").unwrap();
    let seg = Selector::parse("rect.seg").unwrap();
    let text = |e: scraper::ElementRef| e.text().collect::<String>();
    html.select(&row)
        .map(|r| {
            let segments = r
                .select(&seg)
                .map(|s| {
                    let class = s.value().attr("class").unwrap();
                    let key = class.trim_start_matches("seg seg-").to_string();
                    let width = s.value().attr("width").unwrap().parse().unwrap();
                    (key, width)
                })
                .collect();
            let total = text(r.select(&value).next().unwrap()).parse().unwrap();
            (text(r.select(&label).next().unwrap()), total, segments)
        })
        .collect()
}

/// The rows of the page's table `table`: the row header's short name
/// (or its text), then each cell as a number.
fn table_rows(page: &str, table: &str) -> Vec<(String, Vec<u64>)> {
    let html = Html::parse_document(page);
    let rows = Selector::parse(&format!("{table} tbody tr")).unwrap();
    let th = Selector::parse("th").unwrap();
    let short = Selector::parse(".name-short").unwrap();
    let td = Selector::parse("td").unwrap();
    html.select(&rows)
        .map(|r| {
            let head = r.select(&th).next().unwrap();
            let name = head.select(&short).next().unwrap_or(head);
            let cells = r
                .select(&td)
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .trim()
                        .trim_end_matches('%')
                        .parse()
                        .unwrap_or(0)
                })
                .collect();
            (name.text().collect::<String>().trim().to_string(), cells)
        })
        .collect()
}

/// What a segment of `segments` counts, 0 when it is not drawn.
fn of(segments: &[(String, u64)], key: &str) -> u64 {
    segments
        .iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, v)| *v)
}

#[test]
fn each_chart_draws_the_numbers_of_its_table() {
    let site = example();
    site.built();
    // The dashboards: problems, completed, staged, in progress, not done.
    for page in [
        "index.html",
        "units/shifan/index.html",
        "categories/index.html",
    ] {
        let html = site.page(page);
        let chart = chart_rows(&html);
        let table = table_rows(&html, ".tally-table");
        assert_eq!(chart.len(), table.len(), "{page}");
        assert!(!chart.is_empty(), "{page}");
        for ((label, total, segments), (name, cells)) in chart.iter().zip(&table) {
            assert_eq!(label, name, "{page}");
            let drawn = [
                *total,
                of(segments, "completed"),
                of(segments, "staged"),
                of(segments, "in-progress"),
                of(segments, "not-done"),
            ];
            assert_eq!(drawn[..], cells[..5], "{page}: {label}");
        }
    }
    // Units and county rounds: problems, completed, not yet.
    for (page, first) in [("units/index.html", 1), ("rounds/2022-1/index.html", 0)] {
        let html = site.page(page);
        let chart = chart_rows(&html);
        let table = table_rows(&html, ".units-table");
        assert_eq!(chart.len(), table.len(), "{page}");
        for ((label, total, segments), (name, cells)) in chart.iter().zip(&table) {
            assert_eq!(label, name, "{page}");
            let drawn = [*total, of(segments, "completed"), of(segments, "open")];
            assert_eq!(drawn[..], cells[first..first + 3], "{page}: {label}");
        }
    }
}

#[test]
fn a_site_without_units_has_its_charts_only_on_its_dashboards() {
    let site = SiteTest::fixture("small");
    site.built();
    assert_eq!(count(&site.page("index.html"), "class=\"chart-row\""), 3);
    assert!(!Path::new(&site.public().join("units")).exists());
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

/// Prints `page` of `out` as a reader's browser does, with the page's own
/// @page rules; returns what `pdfinfo` and `pdftotext` say of the PDF.
fn print(out: &Path, page: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("board.pdf");
    let printed = std::process::Command::new(crate::support::browser::chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", file.display()))
        .arg(crate::theme::url(out, page))
        .output()
        .expect("chromium");
    assert!(
        file.exists(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let run = |tool: &str, args: &[&str]| {
        let output = std::process::Command::new(tool)
            .args(args)
            .arg(&file)
            .args(if tool == "pdftotext" {
                &["-"][..]
            } else {
                &[][..]
            })
            .output()
            .unwrap_or_else(|_| panic!("{tool} (poppler-utils) is needed"));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    (run("pdfinfo", &[]), run("pdftotext", &[]))
}

/// `Pages:` and `Page size:` of `pdfinfo`'s answer.
fn pages_and_size(info: &str) -> (u32, String) {
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {info}"))
            .trim()
            .to_string()
    };
    (field("Pages:").parse().unwrap(), field("Page size:"))
}

#[test]
#[ignore = "needs Chromium and pdftotext: apt-get install chromium poppler-utils fonts-noto-cjk"]
fn the_seed_s_board_sheet_prints_on_one_sheet_of_a4_or_a3() {
    let site = example();
    site.try_build(|o| o.base_url = Some("https://www.example.gov.cn/dwgk/".into()))
        .unwrap();
    let board = "notices/xiangqiao-zhengxie-2021/board.html";
    let (info, text) = print(&site.public(), board);
    let (pages, size) = pages_and_size(&info);
    assert_eq!(pages, 1, "{text}");
    assert!(size.contains("(A4)"), "{size}");
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for printed in [
        "潮州市湘桥区政协机关",
        "关于巡察整改阶段性进展情况的通报",
        "整改问题17个，已完成17个",
        "问题类别",
        "合计",
        "12388",
        "0768-2100022",
        "扫码看全文",
        "https://www.example.gov.cn/dwgk/notices/xiangqiao-zhengxie-2021/",
    ] {
        assert!(
            squeezed.contains(printed),
            "{printed} is not printed:\n{text}"
        );
    }
    for web in ["跳到正文", "关怀版", "无障碍", "A3版", "搜索通报"] {
        assert!(!squeezed.contains(web), "{web} is printed:\n{text}");
    }
    // Opened as its A3 version, the same sheet fills one page of A3.
    let (info, _) = print(&site.public(), &format!("{board}#a3"));
    let (pages, size) = pages_and_size(&info);
    assert_eq!((pages, size.contains("(A3)")), (1, true), "{info}");
}

#[test]
#[ignore = "needs Chromium, ChromeDriver and axe-core: see .ci/run"]
fn the_charts_and_the_board_pass_axe_and_fit_a_320_pixel_phone() {
    use crate::support::browser::Browser;
    let site = example();
    site.built();
    let out = site.public();
    let axe = crate::theme::axe_source();
    let browser = Browser::start();
    browser.resize(320, 900);
    let mut found = Vec::new();
    for (care, mode) in crate::theme::MODES {
        for page in [
            "index.html",
            "units/index.html",
            "units/shifan/index.html",
            "rounds/2022-1/index.html",
            SHIFAN_PAGE,
            "notices/2022-shifan-jiedao/board.html",
        ] {
            crate::theme::open_with(&browser, &out, page, if care { "care" } else { "" });
            let (past, elements) = crate::toolbar::overflow(&browser);
            if past > 0 {
                found.push(format!("{page} ({mode}) scrolls sideways: {elements}"));
            }
            let rules = "{ type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }";
            for v in crate::theme::axe_run(&browser, &axe, rules).0 {
                found.push(format!("{page} ({mode}): {v}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
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
        (
            "  - title: 方案\n    path: \"a\\0b.pdf\"\n",
            vec![at(Code::MissingAttachment, 6)],
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
