//! The measures of GB/T 9704-2012《党政机关公文格式》, in the units of
//! WordprocessingML: the page, the type area, the lines and characters of
//! the grid, the sizes of type, and the fonts with what Word falls back to
//! where they are not installed.
//!
//! - A4 paper; 天头 (top margin) 37 mm, 订口 (left margin) 28 mm, a type
//!   area (版心) of 156 × 225 mm (§5.2.1);
//! - 22 lines of 28 characters to a page (§5.2.2), in 3号仿宋 (§5.2.2 and
//!   §7.3.3: 正文用3号仿宋体字);
//! - 标题 in 2号小标宋 (§7.3.1); the levels of headings in 黑体, 楷体, then
//!   仿宋 (§7.3.3: 一般第一层用黑体字、第二层用楷体字、第三层和第四层用仿宋体字);
//! - the 发文机关标志 in red 小标宋 and a red 分隔线 under the 发文字号
//!   (§7.2);
//! - page numbers in 4号 宋体, `— 1 —`, odd pages on the right and even
//!   pages on the left, one character in from the edge (§7.5).

/// Twentieths of a point (twips): the unit of page measures.
pub type Twips = i64;

/// Twips in one millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// `mm` millimetres in twips, rounded.
pub fn mm(mm: f64) -> Twips {
    (mm * TWIPS_PER_MM).round() as Twips
}

pub const PAGE_WIDTH_MM: f64 = 210.0;
pub const PAGE_HEIGHT_MM: f64 = 297.0;
/// 天头: from the top edge to the type area.
pub const TOP_MM: f64 = 37.0;
/// 订口: from the left edge to the type area.
pub const LEFT_MM: f64 = 28.0;
pub const TYPE_WIDTH_MM: f64 = 156.0;
pub const TYPE_HEIGHT_MM: f64 = 225.0;
pub const LINES_PER_PAGE: u32 = 22;
pub const CHARS_PER_LINE: u32 = 28;
/// The page number's rule (一字线) is 7 mm below the type area.
pub const PAGE_NUMBER_BELOW_MM: f64 = 7.0;

/// The margin right of the type area (26 mm), so that the type area is
/// exactly its width in twips.
pub fn right() -> Twips {
    mm(PAGE_WIDTH_MM) - mm(LEFT_MM) - mm(TYPE_WIDTH_MM)
}

/// The margin below the type area (35 mm), likewise.
pub fn bottom() -> Twips {
    mm(PAGE_HEIGHT_MM) - mm(TOP_MM) - mm(TYPE_HEIGHT_MM)
}

/// Sizes of type, in half-points (`w:sz`).
pub mod size {
    /// 一号: 26 pt.
    pub const YI_HAO: u32 = 52;
    /// 二号: 22 pt, the title.
    pub const ER_HAO: u32 = 44;
    /// 三号: 16 pt, the text.
    pub const SAN_HAO: u32 = 32;
    /// 四号: 14 pt, page numbers and the text of tables.
    pub const SI_HAO: u32 = 28;
}

/// The width of one character of the text (三号, 16 pt), in twips: the
/// unit of indents (`首行缩进2字` is two of them).
pub const CHAR: Twips = (size::SAN_HAO as Twips) * 10;

/// The distance between lines: the type area's height over 22 lines
/// (28.95 pt).
pub fn line_pitch() -> Twips {
    mm(TYPE_HEIGHT_MM) / Twips::from(LINES_PER_PAGE)
}

/// `w:charSpace` of the document grid: what each character's advance
/// differs from the text's size, in 4096ths of a point, so that 28 of them
/// fill the type area's width.
pub fn char_space() -> i64 {
    let width_pt = TYPE_WIDTH_MM / 25.4 * 72.0;
    let pitch_pt = width_pt / f64::from(CHARS_PER_LINE);
    let text_pt = f64::from(size::SAN_HAO) / 2.0;
    ((pitch_pt - text_pt) * 4096.0).round() as i64
}

/// A font as the standard names it, and the one Word uses where it is not
/// installed (`w:altName` in the font table; the fonts of GB2312 came with
/// older Windows, their successors 仿宋 and 楷体 come with every Chinese
/// Windows since Vista).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Font {
    pub name: &'static str,
    pub fallback: &'static str,
    /// The PANOSE number, which Word also matches a substitute by.
    pub panose: &'static str,
    /// `roman` (serif), `modern` (fixed pitch), `swiss` (sans serif),
    /// `script`.
    pub family: &'static str,
    pub pitch: &'static str,
}

/// 仿宋_GB2312: the text.
pub const FANGSONG: Font = Font {
    name: "仿宋_GB2312",
    fallback: "仿宋",
    panose: "02010609030101010101",
    family: "modern",
    pitch: "fixed",
};

/// 方正小标宋简体: titles and the 发文机关标志. Without it, 华文中宋 (which
/// comes with Microsoft Office) is the nearest.
pub const XIAOBIAOSONG: Font = Font {
    name: "方正小标宋简体",
    fallback: "华文中宋",
    panose: "02000000000000000000",
    family: "script",
    pitch: "variable",
};

/// 黑体: the first level of headings, and the labels of a problem.
pub const HEITI: Font = Font {
    name: "黑体",
    fallback: "SimHei",
    panose: "02010609060101010101",
    family: "modern",
    pitch: "fixed",
};

/// 楷体_GB2312: the second level of headings.
pub const KAITI: Font = Font {
    name: "楷体_GB2312",
    fallback: "楷体",
    panose: "02010609030101010101",
    family: "modern",
    pitch: "fixed",
};

/// 宋体: page numbers.
pub const SONGTI: Font = Font {
    name: "宋体",
    fallback: "SimSun",
    panose: "02010600030101010101",
    family: "auto",
    pitch: "variable",
};

/// Every font the document names, for its font table.
pub const FONTS: [Font; 5] = [FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI];

/// The red of the 版头 (the 发文机关标志 and the 分隔线).
pub const RED: &str = "FF0000";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_area_is_the_standards() {
        // 210 − 28 − 156 and 297 − 37 − 225, within a twip.
        assert!((right() - mm(26.0)).abs() <= 1);
        assert!((bottom() - mm(35.0)).abs() <= 1);
        assert_eq!(mm(PAGE_WIDTH_MM), 11906);
        assert_eq!(mm(PAGE_HEIGHT_MM), 16838);
        // 22 lines fill the 225 mm, 28 characters the 156 mm.
        assert_eq!(line_pitch(), 579);
        let pitch = 16.0 + char_space() as f64 / 4096.0;
        let line_mm = pitch * 28.0 / 72.0 * 25.4;
        assert!((line_mm - 156.0).abs() < 0.05, "{line_mm}");
    }
}
