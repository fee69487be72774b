//! The notice-board sheet (公开栏版) with its QR code, read back, and
//! printed on one sheet; the charts of the dashboards, whose numbers are
//! their tables'; both accessible and fitting a phone.

use std::path::Path;

use scraper::{Html, Selector};

use crate::attachments::{SHIFAN_PAGE, example};
use crate::support::*;

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
