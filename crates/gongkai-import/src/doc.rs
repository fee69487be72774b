//! Word 97–2003 documents (`.doc`; WPS writes its `.wps` the same way):
//! the text of the main document, paragraph by paragraph, and its tables
//! as Markdown tables, as `docx.rs` gives a `.docx`.
//!
//! The file is a compound file (`cfb`) whose `WordDocument` stream holds
//! the text in pieces, listed by the piece table (the `Clx`) in the table
//! stream ([MS-DOC] 2.4.1). Which paragraphs are in a table, and which
//! mark ends a row, is in each paragraph's properties (`PlcBtePapx`, the
//! pages of `PapxFkp`): without them a cell of two paragraphs could not be
//! told from a paragraph before the table. Formatting is not read; the
//! importer recognises a bulletin by its words. Every offset is checked
//! against the stream it points into: a damaged file is an error, never a
//! panic or a read past the end.

use std::io::{Cursor, Read};
use std::ops::Range;
use std::rc::Rc;

use encoding_rs::WINDOWS_1252;

use super::document::Para;

/// Why a `.doc` could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DocError {
    #[error("这不是 Word 97–2003 文档")]
    NotWord,
    #[error("文档设了打开密码")]
    Encrypted,
    #[error("这是 Word 95 或更早的格式")]
    TooOld,
    #[error("文档已损坏（{0}）")]
    Damaged(&'static str),
}

/// The text of a `.doc`.
#[derive(Debug)]
pub struct DocText {
    pub paras: Vec<Para>,
    /// The paragraphs of the footnotes, endnotes and text boxes, by the
    /// name of their part (`脚注`, `尾注`, `文本框`): where each belongs is
    /// in drawing data not read here.
    pub asides: Vec<(&'static str, Vec<Para>)>,
}

/// The paragraphs and tables of the main document of `bytes`.
pub fn read(bytes: &[u8]) -> Result<DocText, DocError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| DocError::NotWord)?;
    let word = stream(&mut file, "/WordDocument").ok_or(DocError::NotWord)?;
    let fib = Fib::read(&word)?;
    let table = stream(&mut file, fib.table_stream).ok_or(DocError::Damaged("没有表格流"))?;
    let pieces = pieces(&table, &fib)?;
    let marks = Marks::read(&word, &table, &fib, &Styles::read(&table, &fib));
    let chars = characters(&word, &pieces, fib.story(0))?;
    let lists = Lists::read(&table, &fib);
    let paras = paragraphs(&chars, &marks, lists.clone());
    let mut asides = Vec::new();
    for (i, name) in STORIES {
        let story = characters(&word, &pieces, fib.story(i))?;
        let story: Vec<Para> = paragraphs(&story, &marks, lists.clone())
            .into_iter()
            .filter(|p| !p.text.trim().is_empty())
            .collect();
        if !story.is_empty() {
            asides.push((name, story));
        }
    }
    Ok(DocText { paras, asides })
}

/// A whole stream of the compound file, if it has one of that name.
fn stream(file: &mut cfb::CompoundFile<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut s = file.open_stream(name).ok()?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// What the importer needs of the File Information Block.
struct Fib {
    table_stream: &'static str,
    /// Characters of the main document (`ccpText`), then of the other
    /// stories, in the order they follow it: footnotes, headers, macros,
    /// comments, endnotes, text boxes.
    lengths: [u32; 7],
    clx: (u32, u32),
    papx: (u32, u32),
    /// The style sheet (`STSH`).
    styles: (u32, u32),
    /// The list definitions (`PlfLst`) and the lists (`PlfLfo`).
    lists: (u32, u32),
    overrides: (u32, u32),
}

/// The stories besides the main text that are read, by their index in
/// [`Fib::lengths`]. (Headers and footers are not: page numbers.)
const STORIES: [(usize, &str); 3] = [(1, "脚注"), (5, "尾注"), (6, "文本框")];

impl Fib {
    fn read(word: &[u8]) -> Result<Fib, DocError> {
        let damaged = DocError::Damaged("文件头不完整");
        if u16_at(word, 0) != Some(0xA5EC) {
            return Err(DocError::NotWord);
        }
        // Word 97 is 193 (0xC1); Word 6 and 95 wrote 101–105.
        if u16_at(word, 2).ok_or(DocError::NotWord)? < 0xC1 {
            return Err(DocError::TooOld);
        }
        let flags = u16_at(word, 0x0A).ok_or(DocError::NotWord)?;
        if flags & 0x0100 != 0 {
            return Err(DocError::Encrypted);
        }
        let table_stream = if flags & 0x0200 != 0 {
            "/1Table"
        } else {
            "/0Table"
        };
        // FibBase (32 bytes), then three arrays, each after its count.
        let words = usize::from(u16_at(word, 32).ok_or(damaged.clone())?);
        let longs_at = 34 + 2 * words + 2;
        let longs = usize::from(u16_at(word, longs_at - 2).ok_or(damaged.clone())?);
        let pairs_at = longs_at + 4 * longs + 2;
        let pairs = usize::from(u16_at(word, pairs_at - 2).ok_or(damaged.clone())?);
        // ccpText is the fourth of FibRgLw97; fcStshf/lcbStshf the 2nd pair
        // of FibRgFcLcb97, fcPlcfBtePapx/lcbPlcfBtePapx the 14th,
        // fcClx/lcbClx the 34th, fcPlfLst
        // and fcPlfLfo the 74th and 75th (absent from a short FIB: no lists).
        if longs < 4 || pairs < 34 {
            return Err(damaged);
        }
        let pair = |i: usize| -> Result<(u32, u32), DocError> {
            let at = pairs_at + 8 * i;
            match (u32_at(word, at), u32_at(word, at + 4)) {
                (Some(fc), Some(lcb)) if i < pairs => Ok((fc, lcb)),
                _ => Err(DocError::Damaged("文件头不完整")),
            }
        };
        // ccpText … ccpTxbx: the 4th to 10th of FibRgLw97.
        let mut lengths = [0; 7];
        for (i, length) in lengths.iter_mut().enumerate() {
            if 3 + i < longs {
                *length = u32_at(word, longs_at + 4 * (3 + i)).unwrap_or(0);
            }
        }
        Ok(Fib {
            table_stream,
            lengths,
            clx: pair(33)?,
            styles: pair(1)?,
            papx: pair(13)?,
            lists: pair(73).unwrap_or((0, 0)),
            overrides: pair(74).unwrap_or((0, 0)),
        })
    }

    /// The characters of story `i` of [`Fib::lengths`].
    fn story(&self, i: usize) -> Range<u32> {
        let start = self.lengths[..i]
            .iter()
            .fold(0u32, |a, &n| a.saturating_add(n));
        start..start.saturating_add(self.lengths[i])
    }
}

/// A run of text: characters `cp..cp + len`, stored from byte `fc` of the
/// `WordDocument` stream, one byte (Windows-1252) or two (UTF-16) each.
struct Piece {
    cp: u32,
    len: u32,
    fc: u32,
    compressed: bool,
}

/// The piece table, from the `Clx` in the table stream.
fn pieces(table: &[u8], fib: &Fib) -> Result<Vec<Piece>, DocError> {
    let damaged = DocError::Damaged("文字的位置表不完整");
    let (fc, lcb) = fib.clx;
    let clx = table
        .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
        .ok_or(damaged.clone())?;
    // Property modifiers (type 1) come first; the piece table (type 2) after.
    let mut at = 0;
    while clx.get(at) == Some(&1) {
        let size = u16_at(clx, at + 1).ok_or(damaged.clone())?;
        at += 3 + usize::from(size);
    }
    if clx.get(at) != Some(&2) {
        return Err(damaged);
    }
    let size = u32_at(clx, at + 1).ok_or(damaged.clone())? as usize;
    let plc = clx.get(at + 5..at + 5 + size).ok_or(damaged.clone())?;
    // n + 1 character positions, then n descriptors of 8 bytes.
    let n = plc.len().saturating_sub(4) / 12;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(start), Some(end), Some(raw)) = (
            u32_at(plc, 4 * i),
            u32_at(plc, 4 * i + 4),
            u32_at(plc, 4 * (n + 1) + 8 * i + 2),
        ) else {
            return Err(damaged);
        };
        if end < start {
            return Err(damaged);
        }
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp: start,
            len: end - start,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(pieces)
}

/// A character of the text, and where it is in the stream.
struct Char {
    c: char,
    fc: u32,
}

/// The characters `cps` of the text (a story), piece after piece.
fn characters(word: &[u8], pieces: &[Piece], cps: Range<u32>) -> Result<Vec<Char>, DocError> {
    let damaged = DocError::Damaged("文字超出了文件");
    let mut chars = Vec::new();
    for piece in pieces {
        let from = piece.cp.max(cps.start);
        let to = piece.cp.saturating_add(piece.len).min(cps.end);
        if from >= to {
            continue;
        }
        let len = (to - from) as usize;
        // Pieces of a real file do not overlap, so their text is never
        // longer than the stream: a file whose pieces say otherwise would
        // have us make gigabytes of it.
        if chars.len() + len > word.len() {
            return Err(damaged);
        }
        let width = if piece.compressed { 1 } else { 2 };
        let fc = piece
            .fc
            .saturating_add((from - piece.cp).saturating_mul(width));
        let start = fc as usize;
        let bytes = word
            .get(start..start.saturating_add(len * width as usize))
            .ok_or(damaged.clone())?;
        if piece.compressed {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
            for (i, c) in text.chars().enumerate() {
                chars.push(Char {
                    c,
                    fc: fc + i as u32,
                });
            }
        } else {
            let units = bytes
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]));
            let mut i = 0;
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or('\u{FFFD}');
                chars.push(Char { c, fc: fc + 2 * i });
                i += c.len_utf16() as u32;
            }
        }
    }
    Ok(chars)
}

/// Paragraph end, cell end (or row end, by its properties), line break,
/// page or section break.
const PARAGRAPH: char = '\r';
const CELL: char = '\u{7}';
const LINE: char = '\u{B}';
const PAGE: char = '\u{C}';
/// A field: its code, then its result, which is what the page shows.
const FIELD_BEGIN: char = '\u{13}';
const FIELD_SEPARATOR: char = '\u{14}';
const FIELD_END: char = '\u{15}';

/// The properties of paragraphs the importer reads, by the stream offset
/// of their end.
#[derive(Default)]
struct Marks {
    /// Runs of the stream `from..to` and their paragraphs' properties.
    runs: Vec<(u32, u32, ParaProps)>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ParaProps {
    in_table: bool,
    /// The mark that ends a table row.
    row_end: bool,
    /// The list (1-based, in `PlfLfo`; 0 for none) and level of an
    /// automatic number, where the properties set them; those not set
    /// come from the paragraph's style.
    list: Option<u16>,
    level: Option<u8>,
    /// The paragraph's style (`istd`).
    style: u16,
}

/// `sprmPFInTable`, `sprmPFTtp`, `sprmPItap` (table depth), `sprmPIlfo`
/// (the list), `sprmPIlvl` (its level).
const IN_TABLE: u16 = 0x2416;
const ROW_END: u16 = 0x2417;
const DEPTH: u16 = 0x6649;
const LIST: u16 = 0x460B;
const LEVEL: u16 = 0x260A;

impl Marks {
    /// The paragraphs' properties; none when their properties cannot be
    /// read (the text is read all the same, its tables as paragraphs).
    fn read(word: &[u8], table: &[u8], fib: &Fib, styles: &Styles) -> Marks {
        let (fc, lcb) = fib.papx;
        let Some(plc) = table.get(fc as usize..(fc as usize).saturating_add(lcb as usize)) else {
            return Marks::default();
        };
        let n = plc.len().saturating_sub(4) / 8;
        let mut runs = Vec::new();
        // No more pages of properties than the stream has pages.
        for i in 0..n.min(word.len() / 512 + 1) {
            let Some(page) = u32_at(plc, 4 * (n + 1) + 4 * i) else {
                break;
            };
            let at = (page & 0x3F_FFFF) as usize * 512;
            if let Some(fkp) = word.get(at..at + 512) {
                runs.extend(fkp_runs(fkp));
            }
        }
        runs.sort_by_key(|r| r.0);
        for (_, _, props) in &mut runs {
            styles.number(props);
        }
        Marks { runs }
    }

    /// The properties of the paragraph whose end is at `fc`.
    fn at(&self, fc: u32) -> ParaProps {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        match i.checked_sub(1).and_then(|i| self.runs.get(i)) {
            Some(&(_, to, mark)) if fc < to => mark,
            _ => ParaProps::default(),
        }
    }
}

/// The paragraph runs of one 512-byte page of paragraph properties.
fn fkp_runs(fkp: &[u8]) -> Vec<(u32, u32, ParaProps)> {
    let count = usize::from(fkp[511]);
    let mut runs = Vec::with_capacity(count);
    for i in 0..count {
        let (Some(from), Some(to)) = (u32_at(fkp, 4 * i), u32_at(fkp, 4 * i + 4)) else {
            break;
        };
        // After the count + 1 offsets, a 13-byte entry per paragraph whose
        // first byte is where its properties are, in words.
        let Some(&offset) = fkp.get(4 * (count + 1) + 13 * i) else {
            break;
        };
        let at = usize::from(offset) * 2;
        let mark = if offset == 0 {
            ParaProps::default()
        } else {
            papx_props(fkp, at)
        };
        runs.push((from, to, mark));
    }
    runs
}

/// The properties read at `at` of a page (`PapxInFkp`).
fn papx_props(fkp: &[u8], at: usize) -> ParaProps {
    let (start, size) = match fkp.get(at) {
        Some(&0) => match fkp.get(at + 1) {
            Some(&cb) => (at + 2, 2 * usize::from(cb)),
            None => return ParaProps::default(),
        },
        Some(&cb) => (at + 1, 2 * usize::from(cb) - 1),
        None => return ParaProps::default(),
    };
    // The paragraph style (2 bytes), then the property modifiers.
    match fkp.get(start..start + size) {
        Some(props) if props.len() >= 2 => ParaProps {
            style: u16::from_le_bytes([props[0], props[1]]),
            ..grpprl_props(&props[2..])
        },
        _ => ParaProps::default(),
    }
}

/// Reads the table and list modifiers from a list of property modifiers.
fn grpprl_props(grpprl: &[u8]) -> ParaProps {
    let mut mark = ParaProps::default();
    each_sprm(grpprl, |sprm, operand| {
        let value = grpprl.get(operand).copied().unwrap_or(0);
        match sprm {
            IN_TABLE => mark.in_table = value != 0,
            ROW_END => mark.row_end = value != 0,
            DEPTH => mark.in_table |= u32_at(grpprl, operand).is_some_and(|d| d > 0),
            LIST => mark.list = Some(u16_at(grpprl, operand).unwrap_or(0)),
            LEVEL => mark.level = Some(value.min(8)),
            _ => {}
        }
    });
    mark
}

/// Calls `f` with each property modifier of `grpprl` and where its
/// operand is; stops at one whose size it cannot tell.
fn each_sprm(grpprl: &[u8], mut f: impl FnMut(u16, usize)) {
    let mut at = 0;
    while let Some(sprm) = u16_at(grpprl, at) {
        let operand = at + 2;
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            // sprmTDefTable: a 2-byte size, one more than the rest.
            _ if sprm == 0xD608 || sprm == 0xD606 => match u16_at(grpprl, operand) {
                Some(cb) => 1 + usize::from(cb),
                None => break,
            },
            // sprmPChgTabs has its own layout when its size byte is 255.
            _ => match grpprl.get(operand) {
                Some(&255) if sprm == 0xC615 => break,
                Some(&cb) => 1 + usize::from(cb),
                None => break,
            },
        };
        f(sprm, operand);
        at = operand + size;
    }
}

/// The numbering that paragraph styles carry (`标题 1` linked to a
/// multilevel list): a style's properties (`UpxPapx`) hold only what it
/// changes from the style it is based on.
#[derive(Default)]
struct Styles {
    /// By `istd`: the style it is based on, and its list modifiers.
    styles: Vec<Option<(u16, ParaProps)>>,
}

impl Styles {
    /// The style sheet (`STSH`); none when it cannot be read.
    fn read(table: &[u8], fib: &Fib) -> Styles {
        let (fc, lcb) = fib.styles;
        let stsh = table
            .get(fc as usize..(fc as usize).saturating_add(lcb as usize))
            .unwrap_or_default();
        let (Some(header), Some(count)) = (u16_at(stsh, 0), u16_at(stsh, 2)) else {
            return Styles::default();
        };
        let base_size = usize::from(u16_at(stsh, 4).unwrap_or(10));
        let mut at = 2 + usize::from(header);
        let mut styles = Vec::new();
        // Each style after its size; a size of 0 is an empty slot.
        for _ in 0..count {
            let Some(size) = u16_at(stsh, at).map(usize::from) else {
                break;
            };
            let std = stsh.get(at + 2..at + 2 + size).unwrap_or_default();
            styles.push(style_props(std, base_size));
            at += 2 + size;
        }
        Styles { styles }
    }

    /// Fills in the list and level that `props` does not set from its
    /// style and the styles that one is based on.
    fn number(&self, props: &mut ParaProps) {
        let mut istd = props.style;
        // Based-on chains are short; a damaged one may loop.
        for _ in 0..16 {
            if props.list.is_some() && props.level.is_some() {
                return;
            }
            // No style has `istdBase` 0x0FFF: the chain ends there.
            let Some(Some((base, style))) = self.styles.get(usize::from(istd)) else {
                return;
            };
            props.list = props.list.or(style.list);
            props.level = props.level.or(style.level);
            istd = *base;
        }
    }
}

/// A paragraph style's base and list modifiers, from its `STD`.
fn style_props(std: &[u8], base_size: usize) -> Option<(u16, ParaProps)> {
    // stk (the kind: 1 for a paragraph style) and istdBase share a word.
    let kind_and_base = u16_at(std, 2)?;
    if kind_and_base & 0x000F != 1 {
        return None;
    }
    // The name: its length in characters, the characters and a 0.
    let name_chars = usize::from(u16_at(std, base_size)?);
    let upx = base_size + 2 + 2 * name_chars + 2;
    // The paragraph properties come first: their size, the style's own
    // number, then the modifiers.
    let size = usize::from(u16_at(std, upx)?);
    let grpprl = std.get(upx + 4..upx + 2 + size)?;
    Some((kind_and_base >> 4, grpprl_props(grpprl)))
}

/// The most characters of a list number's text that are kept.
const MAX_NUMBER_TEXT: usize = 32;

/// One level of a list definition (`LVL`).
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    /// Word's name of the number format, as `docx.rs` knows them.
    format: &'static str,
    /// The number's text; a character below 9 stands for that level's
    /// number.
    text: Vec<u16>,
    /// A space (not a tab or nothing) follows the number.
    space: bool,
}

/// The lists of the document: for each list (`LFO`, 1-based as
/// paragraphs name them) its levels and its counters so far.
#[derive(Default, Clone)]
struct Lists {
    lists: Vec<List>,
}

#[derive(Clone)]
struct List {
    /// Shared with the other lists of the same definition, copied only
    /// when a list overrides a level's format.
    levels: Rc<Vec<Level>>,
    counters: [Option<u32>; 9],
}

impl Lists {
    /// The lists, or none when they cannot be read (the text is read all
    /// the same, without its automatic numbers).
    fn read(table: &[u8], fib: &Fib) -> Lists {
        let slice = |(fc, lcb): (u32, u32)| {
            table.get(fc as usize..(fc as usize).saturating_add(lcb as usize))
        };
        // The levels follow the PlfLst, outside the size the FIB gives it.
        let (lst_fc, lst_lcb) = fib.lists;
        let (Some(lst), Some(lfo)) = (table.get(lst_fc as usize..), slice(fib.overrides)) else {
            return Lists::default();
        };
        if lst_lcb == 0 {
            return Lists::default();
        }
        let definitions = definitions(lst);
        Lists {
            lists: overrides(lfo, &definitions).unwrap_or_default(),
        }
    }

    /// The next number of `level` in the list `list`, as Word shows it.
    fn number(&mut self, list: u16, level: u8) -> String {
        let Some(l) = usize::from(list)
            .checked_sub(1)
            .and_then(|i| self.lists.get_mut(i))
        else {
            return String::new();
        };
        let level = usize::from(level);
        let start = |levels: &[Level], i: usize| levels.get(i).map_or(1, |lv| lv.start);
        l.counters[level] = Some(
            l.counters[level].map_or_else(|| start(&l.levels, level), |n| n.saturating_add(1)),
        );
        for deeper in l.counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let Some(lvl) = l.levels.get(level) else {
            return String::new();
        };
        if lvl.format == "bullet" {
            return "• ".to_string();
        }
        let mut label = String::new();
        for unit in char::decode_utf16(lvl.text.iter().copied()) {
            match unit {
                Ok(c) if (c as u32) < 9 => {
                    let i = c as usize;
                    let n = l.counters[i].unwrap_or_else(|| start(&l.levels, i));
                    let format = l.levels.get(i).map_or("decimal", |lv| lv.format);
                    label.push_str(&super::docx::format_number(n, format));
                }
                Ok(c) => label.push(c),
                Err(_) => {}
            }
        }
        if lvl.space {
            label.push(' ');
        }
        label
    }
}

/// The list definitions (`PlfLst`, and the levels after it): each one's
/// id and levels.
fn definitions(lst: &[u8]) -> Vec<(u32, Rc<Vec<Level>>)> {
    let Some(count) = u16_at(lst, 0) else {
        return Vec::new();
    };
    let count = usize::from(count).min(lst.len() / 28);
    // The fixed parts (28 bytes each) first, then every one's levels.
    let mut at = 2 + 28 * count;
    let mut definitions = Vec::with_capacity(count);
    for i in 0..count {
        let Some(id) = u32_at(lst, 2 + 28 * i) else {
            break;
        };
        let simple = lst.get(2 + 28 * i + 26).is_some_and(|f| f & 1 != 0);
        let mut levels = Vec::new();
        for _ in 0..if simple { 1 } else { 9 } {
            match level(lst, at) {
                Some((lv, next)) => {
                    levels.push(lv);
                    at = next;
                }
                None => return definitions,
            }
        }
        definitions.push((id, Rc::new(levels)));
    }
    definitions
}

/// The level (`LVL`) at `at`, and where the next begins.
fn level(bytes: &[u8], at: usize) -> Option<(Level, usize)> {
    let start = u32_at(bytes, at)?;
    let format = number_format(*bytes.get(at + 4)?);
    let follow = *bytes.get(at + 15)?;
    let chpx = usize::from(*bytes.get(at + 24)?);
    let papx = usize::from(*bytes.get(at + 25)?);
    let text_at = at + 28 + papx + chpx;
    let count = usize::from(u16_at(bytes, text_at)?);
    // A number's text is a few characters (`（%1）`): a broken file's
    // longer one is cut, so that no list costs much memory.
    let text = bytes
        .get(text_at + 2..text_at + 2 + 2 * count)?
        .chunks_exact(2)
        .take(MAX_NUMBER_TEXT)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    let level = Level {
        // A broken file's absurd start stays a number.
        start: start.min(100_000),
        format,
        text,
        space: follow == 1,
    };
    Some((level, text_at + 2 + 2 * count))
}

/// The lists (`PlfLfo`): each one's definition, by its id, with the
/// levels whose start it overrides.
fn overrides(lfo: &[u8], definitions: &[(u32, Rc<Vec<Level>>)]) -> Option<Vec<List>> {
    let count = (u32_at(lfo, 0)? as usize).min(lfo.len() / 16);
    let mut lists = Vec::with_capacity(count);
    let mut counts = Vec::with_capacity(count);
    for i in 0..count {
        let at = 4 + 16 * i;
        let id = u32_at(lfo, at)?;
        counts.push(usize::from(*lfo.get(at + 12)?));
        let levels = definitions
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, levels)| Rc::clone(levels))
            .unwrap_or_default();
        lists.push(List {
            levels,
            counters: [None; 9],
        });
    }
    // Then, for each list, its overrides of some levels.
    let mut at = 4 + 16 * count;
    for (list, overridden) in lists.iter_mut().zip(counts) {
        at += 4;
        for _ in 0..overridden {
            let start = u32_at(lfo, at)?;
            let flags = u32_at(lfo, at + 4)?;
            at += 8;
            let which = (flags & 0xF) as usize;
            if flags & 0x20 != 0 {
                let (lv, next) = level(lfo, at)?;
                if let Some(slot) = Rc::make_mut(&mut list.levels).get_mut(which) {
                    *slot = lv;
                }
                at = next;
            } else if flags & 0x10 != 0
                && let Some(slot) = Rc::make_mut(&mut list.levels).get_mut(which)
            {
                slot.start = start.min(100_000);
            }
        }
    }
    Some(lists)
}

/// Word's name of a number format code (`nfc`), as `docx.rs` formats it.
fn number_format(nfc: u8) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        10 => "ideographDigital",
        11 => "japaneseCounting",
        14 | 19 => "decimalFullWidth",
        17 => "japaneseDigitalTenThousand",
        18 | 28 => "decimalEnclosedCircle",
        22 => "decimalZero",
        23 => "bullet",
        26 => "decimalEnclosedFullstop",
        27 => "decimalEnclosedParen",
        30 => "ideographTraditional",
        31 => "ideographZodiac",
        33 | 35 => "taiwaneseCounting",
        36 => "taiwaneseDigital",
        37 | 39 => "chineseCounting",
        38 => "chineseLegalSimplified",
        255 => "none",
        _ => "decimal",
    }
}

/// The document's paragraphs, its tables each one paragraph of Markdown.
fn paragraphs(chars: &[Char], marks: &Marks, lists: Lists) -> Vec<Para> {
    let mut out = Paragraphs {
        lists,
        ..Paragraphs::default()
    };
    let mut text = String::new();
    // For each field open: whether its code is still being read.
    let mut fields: Vec<bool> = Vec::new();
    for ch in chars {
        match ch.c {
            FIELD_BEGIN => fields.push(true),
            FIELD_SEPARATOR => {
                if let Some(code) = fields.last_mut() {
                    *code = false;
                }
            }
            FIELD_END => {
                fields.pop();
            }
            // A field's code never runs past its paragraph: a damaged
            // file's unclosed field hides no more than the rest of one.
            c if fields.iter().any(|code| *code) && !matches!(c, PARAGRAPH | CELL | PAGE) => {}
            PARAGRAPH | CELL | PAGE => {
                fields.retain(|code| !*code);
                let mark = marks.at(ch.fc);
                out.end(std::mem::take(&mut text), ch.c == CELL, mark);
            }
            LINE => text.push('\n'),
            '\u{1E}' => text.push('-'),
            '\t' => text.push('\t'),
            // Pictures, drawn objects, notes' marks, optional hyphens.
            c if c < ' ' => {}
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.end(text, false, ParaProps::default());
    }
    out.finish()
}

/// Paragraphs as they end, gathered into tables where they are in one.
#[derive(Default)]
struct Paragraphs {
    paras: Vec<Para>,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: Vec<String>,
    lists: Lists,
}

impl Paragraphs {
    fn end(&mut self, mut text: String, cell_mark: bool, mark: ParaProps) {
        if let Some(list) = mark.list.filter(|&l| l != 0)
            && !mark.row_end
            && !text.trim().is_empty()
        {
            let number = self.lists.number(list, mark.level.unwrap_or(0));
            text.insert_str(0, &number);
        }
        if !mark.in_table {
            self.close_table();
            // A line break in a paragraph is a line of its own, as in a
            // text file copied from Word.
            for line in text.split('\n') {
                self.push(line.to_string(), false);
            }
            return;
        }
        if mark.row_end {
            self.rows.push(std::mem::take(&mut self.row));
            return;
        }
        self.cell.push(text);
        if cell_mark {
            let cell = std::mem::take(&mut self.cell).join("\n");
            self.row.push(cell);
        }
    }

    fn close_table(&mut self) {
        if !self.cell.is_empty() {
            let cell = std::mem::take(&mut self.cell).join("\n");
            self.row.push(cell);
        }
        if !self.row.is_empty() {
            self.rows.push(std::mem::take(&mut self.row));
        }
        if !self.rows.is_empty() {
            let rows = std::mem::take(&mut self.rows);
            self.push(crate::table::markdown(&rows), true);
        }
    }

    fn push(&mut self, text: String, table: bool) {
        let no = self.paras.len() + 1;
        self.paras.push(Para { no, text, table });
    }

    fn finish(mut self) -> Vec<Para> {
        self.close_table();
        self.paras
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_word_document() {
        assert_eq!(read(b"plain text").unwrap_err(), DocError::NotWord);
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0]).unwrap_err(),
            DocError::NotWord
        );
    }

    #[test]
    fn property_modifiers_give_the_table_marks() {
        // sprmPFInTable 1, a 2-byte modifier, sprmPFTtp 1.
        let grpprl = [0x16, 0x24, 1, 0x00, 0x46, 0, 0, 0x17, 0x24, 1];
        assert_eq!(
            grpprl_props(&grpprl),
            ParaProps {
                in_table: true,
                row_end: true,
                ..ParaProps::default()
            }
        );
        // A size that runs past the end stops the reading, no panic.
        assert_eq!(
            grpprl_props(&[0x08, 0xD6, 0xFF, 0xFF]),
            ParaProps::default()
        );
    }

    /// A bulletin LibreOffice saved as Word 97, with a table and lists.
    const SAVED: &[u8] =
        include_bytes!("../../../tests/fixtures/import/xiangqiao-zhengxie-2021-numbering.doc");

    /// A footnote and a text box, saved by LibreOffice as Word 97.
    const NOTES: &[u8] = include_bytes!("../../../tests/fixtures/import/notes-and-text-box.doc");

    #[test]
    fn reads_a_saved_document() {
        let text = read(SAVED).unwrap();
        assert!(text.asides.is_empty());
        let paras = text.paras;
        let texts: Vec<&str> = paras.iter().map(|p| p.text.trim()).collect();
        assert!(
            texts.contains(&"关于巡察整改阶段性进展情况的通报"),
            "{texts:?}"
        );
        // Numbered by Word's lists, not in the text.
        assert!(
            texts.iter().any(|t| t.starts_with("一、切实提高政治站位")),
            "{texts:?}"
        );
    }

    /// The seed bulletin, its problems numbered by a paragraph style
    /// linked to a list (saved by LibreOffice, which also writes the list
    /// on each paragraph).
    const STYLED: &[u8] =
        include_bytes!("../../../tests/fixtures/import/xiangqiao-zhengxie-2021-styles.doc");

    /// `doc` with every paragraph's own list (`sprmPIlfo`) turned into a
    /// modifier of the same size that is not read (`sprmPDxaRight`), as
    /// Word saves a paragraph numbered by its style alone; and how many
    /// were turned.
    fn without_paragraph_lists(doc: &[u8]) -> (Vec<u8>, usize) {
        use std::io::{Read, Write};
        let mut file = cfb::CompoundFile::open(Cursor::new(doc.to_vec())).unwrap();
        let mut read_stream = |name: &str| {
            let mut bytes = Vec::new();
            file.open_stream(name)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        };
        let mut word = read_stream("/WordDocument");
        let fib = Fib::read(&word).unwrap();
        let table = read_stream(fib.table_stream);
        let plc = &table[fib.papx.0 as usize..(fib.papx.0 + fib.papx.1) as usize];
        let pages = (plc.len() - 4) / 8;
        let mut turned = 0;
        for i in 0..pages {
            let page = u32_at(plc, 4 * (pages + 1) + 4 * i).unwrap() as usize * 512;
            let fkp = &mut word[page..page + 512];
            let count = usize::from(fkp[511]);
            for p in 0..count {
                let at = usize::from(fkp[4 * (count + 1) + 13 * p]) * 2;
                if at == 0 {
                    continue;
                }
                let (start, size) = match fkp[at] {
                    0 => (at + 2, 2 * usize::from(fkp[at + 1])),
                    cb => (at + 1, 2 * usize::from(cb) - 1),
                };
                let grpprl = start + 2..start + size;
                let mut lists = Vec::new();
                each_sprm(&fkp[grpprl.clone()], |sprm, operand| {
                    if sprm == LIST {
                        lists.push(grpprl.start + operand - 2);
                    }
                });
                for sprm in lists {
                    fkp[sprm..sprm + 2].copy_from_slice(&0x840Eu16.to_le_bytes());
                    turned += 1;
                }
            }
        }
        file.create_stream("/WordDocument")
            .unwrap()
            .write_all(&word)
            .unwrap();
        file.flush().unwrap();
        (file.into_inner().into_inner(), turned)
    }

    #[test]
    fn a_paragraph_style_numbers_its_paragraphs() {
        let numbers = |doc: &[u8]| -> Vec<String> {
            read(doc)
                .unwrap()
                .paras
                .into_iter()
                .filter(|p| p.text.starts_with(|c: char| c.is_ascii_digit()))
                .map(|p| p.text)
                .collect()
        };
        let saved = numbers(STYLED);
        assert_eq!(saved.len(), 17, "{saved:?}");
        assert!(saved[0].starts_with("1、"), "{saved:?}");
        let (by_style_alone, turned) = without_paragraph_lists(STYLED);
        assert!(turned > 0, "the paragraphs had lists of their own");
        assert_eq!(numbers(&by_style_alone), saved);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(gongkai_testing::fuzz_cases(200)))]

        /// Any bytes of a saved document changed: paragraphs or an error,
        /// never a panic, soon.
        #[test]
        fn mangled_documents_never_panic(
            seed in 0..2usize,
            // Half of them in the compound file's header and the FIB.
            changes in proptest::collection::vec(
                (proptest::prop_oneof![0..4096usize, 0..SAVED.len()], proptest::prelude::any::<u8>()),
                1..16,
            )
        ) {
            let mut bytes = [SAVED, NOTES][seed].to_vec();
            for (at, byte) in changes {
                let at = at % bytes.len();
                bytes[at] = byte;
            }
            let started = std::time::Instant::now();
            let _ = read(&bytes);
            proptest::prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
    }

    #[test]
    fn fields_show_their_result_and_marks_end_paragraphs() {
        let text = "前\u{13} HYPERLINK \"x\" \u{14}链接\u{15}后\r下一段\u{b}换行\r";
        let chars: Vec<Char> = text
            .chars()
            .enumerate()
            .map(|(i, c)| Char { c, fc: i as u32 })
            .collect();
        let got: Vec<String> = paragraphs(&chars, &Marks::default(), Lists::default())
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(got, ["前链接后", "下一段", "换行"]);

        // A field never closed hides only the rest of its paragraph.
        let chars: Vec<Char> = "甲\u{13}乙\r丙\r"
            .chars()
            .map(|c| Char { c, fc: 0 })
            .collect();
        let got: Vec<String> = paragraphs(&chars, &Marks::default(), Lists::default())
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(got, ["甲", "丙"]);
    }
}
