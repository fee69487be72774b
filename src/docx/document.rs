//! `word/document.xml` from the blocks, with the section of GB/T 9704
//! (A4, its margins and grid, page numbers in the footers), and the two
//! footers: `— 1 —` on the right of odd pages, on the left of even ones.

use super::blocks::{Block, Para, Run, Style, Table};
use super::gbt9704::{self, mm, size};
use super::styles::W;
use super::xml::Xml;

const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The ids of the footers in `word/_rels/document.xml.rels`.
pub const ODD_FOOTER: &str = "rIdFooterOdd";
pub const EVEN_FOOTER: &str = "rIdFooterEven";

/// `word/document.xml`.
pub fn document(blocks: &[Block]) -> String {
    let mut x = Xml::new();
    x.open("w:document", &[("xmlns:w", W), ("xmlns:r", R)]);
    x.open("w:body", &[]);
    for block in blocks {
        match block {
            Block::Para(p) => paragraph(&mut x, p),
            Block::Table(t) => table(&mut x, t),
        }
    }
    section(&mut x);
    x.close("w:body").close("w:document");
    x.finish()
}

fn paragraph(x: &mut Xml, p: &Para) {
    x.open("w:p", &[]).open("w:pPr", &[]);
    x.empty("w:pStyle", &[("w:val", p.style.id())]);
    if let Some(right) = p.right_indent {
        x.empty(
            "w:ind",
            &[
                ("w:right", &right.to_string()),
                ("w:firstLineChars", "0"),
                ("w:firstLine", "0"),
            ],
        );
    }
    x.close("w:pPr");
    for run in &p.runs {
        self::run(x, run);
    }
    x.close("w:p");
}

fn run(x: &mut Xml, r: &Run) {
    let look = r.look;
    x.open("w:r", &[]);
    let styled = look.label || look.kai || look.bold || look.strike || look.size.is_some();
    if styled {
        x.open("w:rPr", &[]);
        if look.label {
            x.empty("w:rStyle", &[("w:val", "Label")]);
        } else if look.kai {
            x.empty("w:rStyle", &[("w:val", "Emphasis")]);
        }
        if look.bold {
            x.empty("w:b", &[]).empty("w:bCs", &[]);
        }
        if look.strike {
            x.empty("w:strike", &[]);
        }
        if let Some(size) = look.size {
            let v = size.to_string();
            x.empty("w:sz", &[("w:val", &v)]);
            x.empty("w:szCs", &[("w:val", &v)]);
        }
        x.close("w:rPr");
    }
    for (i, line) in r.text.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[]);
        }
        if !line.is_empty() {
            x.element("w:t", &[("xml:space", "preserve")], line);
        }
    }
    x.close("w:r");
}

/// A table as wide as the type area, its columns alike; the header row
/// bold and repeated on every page the table runs over.
fn table(x: &mut Xml, t: &Table) {
    let columns = t.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width = gbt9704::mm(gbt9704::TYPE_WIDTH_MM);
    let column = (width / columns as i64).to_string();
    x.open("w:tbl", &[]).open("w:tblPr", &[]);
    x.empty("w:tblStyle", &[("w:val", "TableGrid")]);
    x.empty("w:tblW", &[("w:w", &width.to_string()), ("w:type", "dxa")]);
    x.empty("w:jc", &[("w:val", "center")]);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.close("w:tblPr").open("w:tblGrid", &[]);
    for _ in 0..columns {
        x.empty("w:gridCol", &[("w:w", &column)]);
    }
    x.close("w:tblGrid");
    for (i, row) in t.rows.iter().enumerate() {
        let header = t.header && i == 0;
        x.open("w:tr", &[]);
        if header {
            x.open("w:trPr", &[])
                .empty("w:tblHeader", &[])
                .close("w:trPr");
        }
        for c in 0..columns {
            x.open("w:tc", &[]).open("w:tcPr", &[]);
            x.empty("w:tcW", &[("w:w", &column), ("w:type", "dxa")]);
            x.close("w:tcPr");
            let mut runs: Vec<Run> = row.get(c).cloned().unwrap_or_default();
            if header {
                for r in &mut runs {
                    r.look.bold = true;
                }
            }
            paragraph(x, &Para::new(Style::TableText, runs));
            x.close("w:tc");
        }
        x.close("w:tr");
    }
    x.close("w:tbl");
}

/// A4, the margins of the type area, the grid of 22 lines of 28
/// characters, and the footers.
fn section(x: &mut Xml) {
    x.open("w:sectPr", &[]);
    x.empty(
        "w:footerReference",
        &[("w:type", "default"), ("r:id", ODD_FOOTER)],
    );
    x.empty(
        "w:footerReference",
        &[("w:type", "even"), ("r:id", EVEN_FOOTER)],
    );
    let t = |v: i64| v.to_string();
    x.empty(
        "w:pgSz",
        &[
            ("w:w", &t(mm(gbt9704::PAGE_WIDTH_MM))),
            ("w:h", &t(mm(gbt9704::PAGE_HEIGHT_MM))),
        ],
    );
    // The footer's line (4号, about 5 mm) ends 7 mm under the type area
    // plus its own height: its base is that far above the page's edge.
    let footer = gbt9704::bottom() - mm(gbt9704::PAGE_NUMBER_BELOW_MM + 5.0);
    x.empty(
        "w:pgMar",
        &[
            ("w:top", &t(mm(gbt9704::TOP_MM))),
            ("w:right", &t(gbt9704::right())),
            ("w:bottom", &t(gbt9704::bottom())),
            ("w:left", &t(mm(gbt9704::LEFT_MM))),
            ("w:header", &t(mm(15.0))),
            ("w:footer", &t(footer)),
            ("w:gutter", "0"),
        ],
    );
    x.empty(
        "w:docGrid",
        &[
            ("w:type", "linesAndChars"),
            ("w:linePitch", &t(gbt9704::line_pitch())),
            ("w:charSpace", &t(gbt9704::char_space())),
        ],
    );
    x.close("w:sectPr");
}

/// A footer with the page number as `— 1 —`, one character (of its 4号)
/// in from the right edge (`odd`) or the left.
pub fn footer(odd: bool) -> String {
    let one = (i64::from(size::SI_HAO) * 10).to_string();
    let mut x = Xml::new();
    x.open("w:ftr", &[("xmlns:w", W), ("xmlns:r", R)]);
    x.open("w:p", &[]).open("w:pPr", &[]);
    x.empty("w:pStyle", &[("w:val", "Footer")]);
    let side = if odd { "w:right" } else { "w:left" };
    x.empty("w:ind", &[(side, &one)]);
    x.empty("w:jc", &[("w:val", if odd { "right" } else { "left" })]);
    x.close("w:pPr");
    x.open("w:r", &[])
        .element("w:t", &[("xml:space", "preserve")], "— ")
        .close("w:r");
    x.open("w:fldSimple", &[("w:instr", " PAGE ")]);
    x.open("w:r", &[]).element("w:t", &[], "1").close("w:r");
    x.close("w:fldSimple");
    x.open("w:r", &[])
        .element("w:t", &[("xml:space", "preserve")], " —")
        .close("w:r");
    x.close("w:p").close("w:ftr");
    x.finish()
}
