//! The Word copy of the seed bulletin: every part is well-formed XML, the
//! package is the same bytes each time, and the document holds what the
//! layout says, where GB/T 9704 puts it.

use std::io::{Cursor, Read};
use std::path::Path;

use roxmltree::Document;

use super::gbt9704::{self, mm};
use super::word_copy;
use crate::config::SiteConfig;
use crate::content::Notice;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn seed() -> (Notice, SiteConfig) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/basic");
    let config = SiteConfig::load(&root).expect("the basic site's site.yaml");
    let rel = Path::new("content/notices/2021-xiangqiao-zhengxie.md");
    let text = std::fs::read_to_string(root.join(rel)).expect("the seed notice");
    let (notice, _) = crate::load::parse_notice(rel, &text, Some(&config)).expect("it loads");
    (notice, config)
}

/// Every entry of the package, by name.
fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).expect("an entry");
            let mut text = String::new();
            file.read_to_string(&mut text).expect("UTF-8 text");
            (file.name().to_string(), text)
        })
        .collect()
}

fn part<'a>(entries: &'a [(String, String)], name: &str) -> &'a str {
    entries
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// The paragraphs of `document.xml` as (style, text).
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let doc = Document::parse(xml).expect("well-formed");
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .map(|p| {
            let style = p
                .descendants()
                .find(|n| n.has_tag_name((W, "pStyle")))
                .and_then(|s| s.attribute((W, "val")))
                .unwrap_or("")
                .to_string();
            let text = p
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|t| t.text())
                .collect();
            (style, text)
        })
        .collect()
}

#[test]
fn every_part_is_well_formed_and_the_bytes_are_the_same_each_time() {
    let (notice, config) = seed();
    let bytes = word_copy(&notice, &config).expect("a package");
    assert_eq!(bytes, word_copy(&notice, &config).expect("a package"));
    let entries = entries(&bytes);
    assert_eq!(entries[0].0, "[Content_Types].xml");
    for (name, xml) in &entries {
        assert!(name.ends_with(".xml") || name.ends_with(".rels"), "{name}");
        if let Err(e) = Document::parse(xml) {
            panic!("{name} is not well-formed: {e}");
        }
    }
    // Every part a relationship names is in the package, and has a type.
    let types = part(&entries, "[Content_Types].xml");
    for (rels, base) in [
        ("_rels/.rels", ""),
        ("word/_rels/document.xml.rels", "word/"),
    ] {
        let doc = Document::parse(part(&entries, rels)).expect("well-formed");
        for r in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
            let target = format!("{base}{}", r.attribute("Target").unwrap_or(""));
            assert!(entries.iter().any(|(n, _)| *n == target), "{target}");
            assert!(types.contains(&format!("\"/{target}\"")), "{target}");
        }
    }
}

#[test]
fn the_document_says_what_the_page_says_in_gb_t_9704_order() {
    let (notice, config) = seed();
    let entries = entries(&word_copy(&notice, &config).expect("a package"));
    let paras = paragraphs(part(&entries, "word/document.xml"));
    let texts: Vec<&str> = paras.iter().map(|(_, t)| t.as_str()).collect();
    // The seed has no 文号: no 版头, the title first.
    assert_eq!(
        paras[0],
        ("Title".into(), "关于巡察整改阶段性进展情况的通报".into())
    );
    let at = |text: &str| {
        texts
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| panic!("no paragraph {text:?} in {texts:#?}"))
    };
    let heading = at("（一）贯彻落实党的路线方针政策和党中央决策部署存在的问题");
    assert_eq!(paras[heading].0, "Heading2");
    let first = at(
        "1．针对学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神、习近平总书记有关政协工作的重要讲话和指示批示精神不深不透的问题",
    );
    assert_eq!(paras[first].0, "Heading3");
    assert!(texts[first + 1].starts_with("原因分析：政协机关能够始终牢固树立"));
    assert!(texts[first + 2].starts_with("整改情况：政协机关坚持把政治理论学习"));
    assert_eq!(texts[first + 3], "整改结果：整改完成，长期推进。");
    assert!(at("追回（退还）资金：7230.3元") > at("5．针对工作作风不严不实的问题"));
    // The sections around the problems, in the body's order.
    assert!(at("二、切实扛起政治责任，不折不扣落实区委巡察反馈意见") < heading);
    assert!(at("三、切实做到纠建结合，全面推动巡察成果转化") > first);
    assert_eq!(
        paras[at("一、切实提高政治站位，全面有序开展整改工作")].0,
        "Heading1"
    );
    // The contacts, then the signature, last.
    let n = texts.len();
    assert!(texts[n - 4].contains("（电话：0768-2100022；邮政信箱："));
    assert_eq!(texts[n - 3], "");
    assert_eq!(
        &paras[n - 2..],
        [
            ("Signature".into(), "潮州市湘桥区政协机关".into()),
            ("Signature".into(), "2021年11月26日".into())
        ]
    );
}

#[test]
fn the_page_the_grid_and_the_fonts_are_the_standards() {
    let (notice, config) = seed();
    let entries = entries(&word_copy(&notice, &config).expect("a package"));
    let doc = Document::parse(part(&entries, "word/document.xml")).expect("well-formed");
    let attr = |tag: &str, name: &str| -> i64 {
        doc.descendants()
            .find(|n| n.has_tag_name((W, tag)))
            .and_then(|n| n.attribute((W, name)))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {tag} {name}"))
    };
    assert_eq!(attr("pgSz", "w"), mm(210.0));
    assert_eq!(attr("pgSz", "h"), mm(297.0));
    assert_eq!(attr("pgMar", "top"), mm(37.0));
    assert_eq!(attr("pgMar", "left"), mm(28.0));
    // The type area: 156 × 225 mm.
    assert_eq!(
        mm(210.0) - attr("pgMar", "left") - attr("pgMar", "right"),
        mm(156.0)
    );
    assert_eq!(
        mm(297.0) - attr("pgMar", "top") - attr("pgMar", "bottom"),
        mm(225.0)
    );
    assert_eq!(attr("docGrid", "linePitch"), gbt9704::line_pitch());

    let fonts = Document::parse(part(&entries, "word/fontTable.xml")).expect("well-formed");
    let fallback = |name: &str| {
        fonts
            .descendants()
            .find(|n| n.has_tag_name((W, "font")) && n.attribute((W, "name")) == Some(name))
            .and_then(|f| f.children().find(|c| c.has_tag_name((W, "altName"))))
            .and_then(|a| a.attribute((W, "val")))
            .map(str::to_string)
    };
    assert_eq!(fallback("仿宋_GB2312").as_deref(), Some("仿宋"));
    assert_eq!(fallback("楷体_GB2312").as_deref(), Some("楷体"));
    assert!(fallback("方正小标宋简体").is_some());

    // The text is 3号仿宋_GB2312, its first line two characters in.
    let styles = part(&entries, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"仿宋_GB2312\""));
    assert!(styles.contains("<w:sz w:val=\"32\"/>"));
    assert!(styles.contains("w:firstLineChars=\"200\" w:firstLine=\"640\""));
}

#[test]
fn a_notice_with_a_document_number_has_the_red_head() {
    let (mut notice, config) = seed();
    notice.doc_number = Some("湘政协〔2021〕12号".into());
    let entries = entries(&word_copy(&notice, &config).expect("a package"));
    let paras = paragraphs(part(&entries, "word/document.xml"));
    assert_eq!(
        &paras[..3],
        [
            ("OrgMark".into(), "潮州市湘桥区政协机关".into()),
            ("DocNumber".into(), "湘政协〔2021〕12号".into()),
            ("Title".into(), "关于巡察整改阶段性进展情况的通报".into()),
        ]
    );
    let styles = part(&entries, "word/styles.xml");
    assert!(styles.contains("w:color=\"FF0000\""), "the 分隔线 is red");
}
