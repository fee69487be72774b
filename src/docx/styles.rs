//! The parts that say how the document looks, made from the measures of
//! [`gbt9704`](super::gbt9704): `styles.xml` (one style per
//! [`Style`](super::blocks::Style), two character styles for a field's
//! label and for emphasis), `fontTable.xml` (each font with the one Word
//! falls back to) and `settings.xml`.

use super::gbt9704::{self, CHAR, FANGSONG, Font, HEITI, KAITI, SONGTI, XIAOBIAOSONG, size};
use super::xml::Xml;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `w:rFonts` naming one font for every script, so that digits and Latin
/// letters match the Chinese around them.
fn fonts(x: &mut Xml, font: Font) {
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", font.name),
            ("w:eastAsia", font.name),
            ("w:hAnsi", font.name),
            ("w:cs", font.name),
            ("w:hint", "eastAsia"),
        ],
    );
}

fn sz(x: &mut Xml, half_points: u32) {
    let v = half_points.to_string();
    x.empty("w:sz", &[("w:val", &v)]);
    x.empty("w:szCs", &[("w:val", &v)]);
}

/// What a paragraph style sets.
struct Para<'a> {
    id: &'a str,
    name: &'a str,
    font: Option<Font>,
    size: Option<u32>,
    bold: bool,
    color: Option<&'a str>,
    /// `both`, `center`, `right`, `left`.
    align: &'a str,
    /// The first line's indent, in characters of the text.
    first_line_chars: i64,
    /// Exact spacing of the text's grid; `false`: single, for larger type.
    exact: bool,
    /// Empty lines after, in lines of the grid.
    lines_after: i64,
    outline: Option<u8>,
    keep_next: bool,
    /// The red 分隔线 of the 版头 under the paragraph.
    rule_below: bool,
}

const BASE: Para<'static> = Para {
    id: "",
    name: "",
    font: None,
    size: None,
    bold: false,
    color: None,
    align: "both",
    first_line_chars: 0,
    exact: true,
    lines_after: 0,
    outline: None,
    keep_next: false,
    rule_below: false,
};

/// The paragraph styles, by [`Style::id`](super::blocks::Style::id).
const PARAGRAPHS: [Para<'static>; 9] = [
    Para {
        id: "Body",
        name: "正文段落",
        first_line_chars: 2,
        ..BASE
    },
    Para {
        id: "Title",
        name: "Title",
        font: Some(XIAOBIAOSONG),
        size: Some(size::ER_HAO),
        align: "center",
        exact: false,
        lines_after: 1,
        keep_next: true,
        ..BASE
    },
    Para {
        id: "OrgMark",
        name: "发文机关标志",
        font: Some(XIAOBIAOSONG),
        size: Some(size::YI_HAO),
        color: Some(gbt9704::RED),
        align: "center",
        exact: false,
        lines_after: 1,
        keep_next: true,
        ..BASE
    },
    Para {
        id: "DocNumber",
        name: "发文字号",
        align: "center",
        lines_after: 2,
        keep_next: true,
        rule_below: true,
        ..BASE
    },
    Para {
        id: "Heading1",
        name: "heading 1",
        font: Some(HEITI),
        first_line_chars: 2,
        outline: Some(0),
        keep_next: true,
        ..BASE
    },
    Para {
        id: "Heading2",
        name: "heading 2",
        font: Some(KAITI),
        first_line_chars: 2,
        outline: Some(1),
        keep_next: true,
        ..BASE
    },
    Para {
        id: "Heading3",
        name: "heading 3",
        bold: true,
        first_line_chars: 2,
        outline: Some(2),
        keep_next: true,
        ..BASE
    },
    Para {
        id: "Signature",
        name: "发文机关署名",
        align: "right",
        keep_next: true,
        ..BASE
    },
    Para {
        id: "TableText",
        name: "表格文字",
        size: Some(size::SI_HAO),
        align: "left",
        exact: false,
        ..BASE
    },
];

/// `word/styles.xml`.
pub fn styles() -> String {
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", W)]);
    defaults(&mut x);
    x.open(
        "w:style",
        &[
            ("w:type", "paragraph"),
            ("w:default", "1"),
            ("w:styleId", "Normal"),
        ],
    );
    x.empty("w:name", &[("w:val", "Normal")])
        .empty("w:qFormat", &[]);
    x.close("w:style");
    for p in &PARAGRAPHS {
        paragraph_style(&mut x, p);
    }
    character_style(&mut x, "Label", "小标签", HEITI);
    character_style(&mut x, "Emphasis", "强调", KAITI);
    footer_style(&mut x);
    table_style(&mut x);
    x.close("w:styles");
    x.finish()
}

/// The text's font and size, the grid's line spacing, Chinese.
fn defaults(x: &mut Xml) {
    let line = gbt9704::line_pitch().to_string();
    x.open("w:docDefaults", &[]).open("w:rPrDefault", &[]);
    x.open("w:rPr", &[]);
    fonts(x, FANGSONG);
    x.empty("w:kern", &[("w:val", "2")]);
    sz(x, size::SAN_HAO);
    x.empty(
        "w:lang",
        &[
            ("w:val", "en-US"),
            ("w:eastAsia", "zh-CN"),
            ("w:bidi", "ar-SA"),
        ],
    );
    x.close("w:rPr").close("w:rPrDefault");
    x.open("w:pPrDefault", &[]).open("w:pPr", &[]);
    x.empty("w:spacing", &[("w:line", &line), ("w:lineRule", "exact")]);
    x.empty("w:jc", &[("w:val", "both")]);
    x.close("w:pPr")
        .close("w:pPrDefault")
        .close("w:docDefaults");
}

fn paragraph_style(x: &mut Xml, p: &Para<'_>) {
    x.open("w:style", &[("w:type", "paragraph"), ("w:styleId", p.id)]);
    x.empty("w:name", &[("w:val", p.name)]);
    x.empty("w:basedOn", &[("w:val", "Normal")]);
    x.empty("w:next", &[("w:val", "Body")]);
    x.empty("w:qFormat", &[]);
    x.open("w:pPr", &[]);
    if p.keep_next {
        x.empty("w:keepNext", &[]);
    }
    if p.rule_below {
        // 发文字号之下4mm处……红色分隔线 (w:space is in points, at most 31).
        let space = (4.0 / 25.4 * 72.0_f64).round().to_string();
        x.open("w:pBdr", &[]);
        x.empty(
            "w:bottom",
            &[
                ("w:val", "single"),
                ("w:sz", "12"),
                ("w:space", &space),
                ("w:color", gbt9704::RED),
            ],
        );
        x.close("w:pBdr");
    }
    let pitch = gbt9704::line_pitch();
    let after = (p.lines_after * pitch).to_string();
    let line = pitch.to_string();
    if p.exact {
        x.empty(
            "w:spacing",
            &[
                ("w:after", &after),
                ("w:line", &line),
                ("w:lineRule", "exact"),
            ],
        );
    } else {
        x.empty(
            "w:spacing",
            &[
                ("w:after", &after),
                ("w:line", "240"),
                ("w:lineRule", "auto"),
            ],
        );
    }
    let chars = (p.first_line_chars * 100).to_string();
    let twips = (p.first_line_chars * CHAR).to_string();
    x.empty(
        "w:ind",
        &[("w:firstLineChars", &chars), ("w:firstLine", &twips)],
    );
    x.empty("w:jc", &[("w:val", p.align)]);
    if let Some(level) = p.outline {
        x.empty("w:outlineLvl", &[("w:val", &level.to_string())]);
    }
    x.close("w:pPr");
    x.open("w:rPr", &[]);
    if let Some(font) = p.font {
        fonts(x, font);
    }
    if p.bold {
        x.empty("w:b", &[]).empty("w:bCs", &[]);
    }
    if let Some(color) = p.color {
        x.empty("w:color", &[("w:val", color)]);
    }
    if let Some(size) = p.size {
        sz(x, size);
    }
    x.close("w:rPr").close("w:style");
}

fn character_style(x: &mut Xml, id: &str, name: &str, font: Font) {
    x.open("w:style", &[("w:type", "character"), ("w:styleId", id)]);
    x.empty("w:name", &[("w:val", name)])
        .empty("w:qFormat", &[]);
    x.open("w:rPr", &[]);
    fonts(x, font);
    x.close("w:rPr").close("w:style");
}

/// Page numbers: 4号 宋体.
fn footer_style(x: &mut Xml) {
    x.open(
        "w:style",
        &[("w:type", "paragraph"), ("w:styleId", "Footer")],
    );
    x.empty("w:name", &[("w:val", "footer")]);
    x.empty("w:basedOn", &[("w:val", "Normal")]);
    x.open("w:pPr", &[]);
    x.empty("w:spacing", &[("w:line", "240"), ("w:lineRule", "auto")]);
    x.close("w:pPr").open("w:rPr", &[]);
    fonts(x, SONGTI);
    sz(x, size::SI_HAO);
    x.close("w:rPr").close("w:style");
}

/// Tables with a thin rule around every cell.
fn table_style(x: &mut Xml) {
    x.open(
        "w:style",
        &[("w:type", "table"), ("w:styleId", "TableGrid")],
    );
    x.empty("w:name", &[("w:val", "Table Grid")]);
    x.open("w:tblPr", &[]).open("w:tblBorders", &[]);
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        x.empty(
            &format!("w:{side}"),
            &[
                ("w:val", "single"),
                ("w:sz", "4"),
                ("w:space", "0"),
                ("w:color", "000000"),
            ],
        );
    }
    x.close("w:tblBorders");
    x.open("w:tblCellMar", &[]);
    x.empty("w:left", &[("w:w", "108"), ("w:type", "dxa")]);
    x.empty("w:right", &[("w:w", "108"), ("w:type", "dxa")]);
    x.close("w:tblCellMar").close("w:tblPr").close("w:style");
}

/// `word/fontTable.xml`: each font with the one Word falls back to
/// (`w:altName`), its character set (GB2312, 86) and PANOSE number.
pub fn font_table() -> String {
    let mut x = Xml::new();
    x.open("w:fonts", &[("xmlns:w", W)]);
    for font in gbt9704::FONTS {
        x.open("w:font", &[("w:name", font.name)]);
        x.empty("w:altName", &[("w:val", font.fallback)]);
        x.empty("w:panose1", &[("w:val", font.panose)]);
        x.empty("w:charset", &[("w:val", "86")]);
        x.empty("w:family", &[("w:val", font.family)]);
        x.empty("w:pitch", &[("w:val", font.pitch)]);
        x.close("w:font");
    }
    x.close("w:fonts");
    x.finish()
}

/// `word/settings.xml`: odd and even pages numbered apart, punctuation not
/// compressed (the grid spaces it), Chinese as the East Asian language.
pub fn settings() -> String {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", W)]);
    x.empty("w:zoom", &[("w:percent", "100")]);
    x.empty("w:evenAndOddHeaders", &[]);
    x.empty("w:defaultTabStop", &[("w:val", &(2 * CHAR).to_string())]);
    x.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close("w:compat");
    x.empty(
        "w:themeFontLang",
        &[("w:val", "en-US"), ("w:eastAsia", "zh-CN")],
    );
    x.close("w:settings");
    x.finish()
}
