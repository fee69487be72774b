//! Word documents: the paragraphs of `word/document.xml`, with Word's
//! automatic numbering written out as the numbers the reader sees
//! (`（一）`, `1、`) and tables written as Markdown tables.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, Node};

use super::document::Para;
use super::numerals;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Parts larger than this are refused: a bulletin is a few hundred KB.
const MAX_PART: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("不是有效的 .docx（zip）文件：{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("文件里没有 {0}")]
    Missing(&'static str),
    #[error("{0} 太大了")]
    TooLarge(&'static str),
    #[error("{0} 无法读取：{1}")]
    Read(&'static str, std::io::Error),
    #[error("{0} 不是有效的 XML：{1}")]
    Xml(&'static str, roxmltree::Error),
    #[error("{0} 的元素嵌套超过 {MAX_DEPTH} 层，不像 Word 写出的文件")]
    TooDeep(&'static str),
}

/// Word nests a few dozen levels at most (tables in tables, text boxes);
/// anything deeper is refused before it is walked.
const MAX_DEPTH: usize = 256;

/// Parses a part of the document, refusing one nested too deeply for the
/// recursive walks below.
fn parse<'i>(name: &'static str, xml: &'i str) -> Result<Document<'i>, DocxError> {
    let doc = Document::parse(xml).map_err(|e| DocxError::Xml(name, e))?;
    // Nodes come in document order, each after its parent: one pass.
    let mut depth = vec![0usize; doc.descendants().count() + 1];
    for node in doc.descendants() {
        let d = node.parent().map_or(0, |p| depth[p.id().get_usize()] + 1);
        if d > MAX_DEPTH {
            return Err(DocxError::TooDeep(name));
        }
        depth[node.id().get_usize()] = d;
    }
    Ok(doc)
}

/// The paragraphs of the document body, in order.
pub fn read(bytes: &[u8]) -> Result<Vec<Para>, DocxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let document =
        part(&mut zip, "word/document.xml")?.ok_or(DocxError::Missing("word/document.xml"))?;
    let numbering = part(&mut zip, "word/numbering.xml")?;
    let styles = part(&mut zip, "word/styles.xml")?;

    let doc = parse("word/document.xml", &document)?;
    let numbering = match &numbering {
        Some(xml) => Numbering::parse(&parse("word/numbering.xml", xml)?),
        None => Numbering::default(),
    };
    let styles = match &styles {
        Some(xml) => StyleNumbers::parse(&parse("word/styles.xml", xml)?),
        None => StyleNumbers::default(),
    };
    let mut reader = Reader {
        numbering,
        styles,
        counters: HashMap::new(),
        paras: Vec::new(),
        no: 0,
    };
    if let Some(body) = child(doc.root_element(), "body") {
        reader.block(body);
    }
    Ok(reader.paras)
}

fn part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &'static str,
) -> Result<Option<String>, DocxError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if file.size() > MAX_PART {
        return Err(DocxError::TooLarge(name));
    }
    let mut text = String::new();
    file.take(MAX_PART)
        .read_to_string(&mut text)
        .map_err(|e| DocxError::Read(name, e))?;
    Ok(Some(text))
}

fn is_w(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is_w(*c, name))
}

fn val<'a>(node: Option<Node<'a, '_>>) -> Option<&'a str> {
    node?.attribute((W, "val"))
}

struct Reader {
    numbering: Numbering,
    styles: StyleNumbers,
    /// Per list (`w:num`), the current number at each level.
    counters: HashMap<String, [Option<u32>; 9]>,
    paras: Vec<Para>,
    /// Paragraphs and tables of the body so far.
    no: usize,
}

impl Reader {
    /// The paragraphs and tables under `node`, in order.
    fn block(&mut self, node: Node<'_, '_>) {
        for c in node.children().filter(Node::is_element) {
            if is_w(c, "p") {
                self.paragraph(c);
            } else if is_w(c, "tbl") {
                self.no += 1;
                self.paras.push(Para {
                    no: self.no,
                    text: table(c),
                    table: true,
                });
            } else if is_w(c, "sdt") || is_w(c, "customXml") || is_w(c, "sdtContent") {
                self.block(c);
            }
        }
    }

    fn paragraph(&mut self, p: Node<'_, '_>) {
        self.no += 1;
        let mut text = String::new();
        let mut boxes = Vec::new();
        inline_text(p, &mut text, &mut boxes);
        let label = self.number(p);
        if !text.trim().is_empty() {
            let text = format!("{}{text}", label.unwrap_or_default());
            // A manual line break (Shift+Enter) starts a new line of text.
            for line in text.split('\n') {
                self.paras.push(Para {
                    no: self.no,
                    text: line.to_string(),
                    table: false,
                });
            }
        }
        for b in boxes {
            self.block(b);
        }
    }

    /// The automatic number of a paragraph, as Word shows it, or `None`.
    fn number(&mut self, p: Node<'_, '_>) -> Option<String> {
        let ppr = child(p, "pPr");
        let numpr = ppr.and_then(|n| child(n, "numPr"));
        let style = val(ppr.and_then(|n| child(n, "pStyle")));
        let from_style = style.and_then(|s| self.styles.numbering(s));
        let num_id = val(numpr.and_then(|n| child(n, "numId")))
            .map(str::to_string)
            .or_else(|| from_style.as_ref().map(|(id, _)| id.clone()))?;
        let level: usize = val(numpr.and_then(|n| child(n, "ilvl")))
            .and_then(|v| v.parse().ok())
            .or_else(|| from_style.map(|(_, l)| l))
            .unwrap_or(0)
            .min(8);
        let levels = self.numbering.levels(&num_id)?;
        let counters = self.counters.entry(num_id.clone()).or_insert([None; 9]);
        let start = |l: usize| {
            levels
                .get(l)
                .map_or(1, |lv| self.numbering.start(&num_id, l, lv))
        };
        counters[level] =
            Some(counters[level].map_or_else(|| start(level), |n| n.saturating_add(1)));
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let lvl = levels.get(level)?;
        if lvl.format == "bullet" {
            return Some("• ".to_string());
        }
        let mut label = lvl.text.clone();
        for (l, lv) in levels.iter().enumerate().take(level + 1) {
            let n = counters[l].unwrap_or_else(|| start(l));
            label = label.replace(&format!("%{}", l + 1), &format_number(n, &lv.format));
        }
        if lvl.suffix_space {
            label.push(' ');
        }
        Some(label)
    }
}

/// The text of a paragraph's runs. Deleted text, field codes and the
/// fallback copies of drawings are skipped; text boxes are collected to be
/// read after the paragraph.
fn inline_text<'a, 'i>(node: Node<'a, 'i>, out: &mut String, boxes: &mut Vec<Node<'a, 'i>>) {
    for c in node.children().filter(Node::is_element) {
        let name = c.tag_name().name();
        if c.tag_name().namespace() == Some(MC) && name == "Fallback" {
            continue;
        }
        if c.tag_name().namespace() != Some(W) {
            inline_text(c, out, boxes);
            continue;
        }
        match name {
            "t" => out.push_str(c.text().unwrap_or("")),
            "tab" | "ptab" => out.push('\t'),
            "br" | "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "txbxContent" => boxes.push(c),
            "pPr" | "rPr" | "del" | "moveFrom" | "instrText" | "delText" | "footnoteReference"
            | "endnoteReference" => {}
            _ => inline_text(c, out, boxes),
        }
    }
}

/// A table as a Markdown table: the first row is the header; a cell's
/// paragraphs are joined with `<br>`.
fn table(tbl: Node<'_, '_>) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for tr in tbl.children().filter(|c| is_w(*c, "tr")) {
        let mut row = Vec::new();
        for tc in tr.children().filter(|c| is_w(*c, "tc")) {
            let mut lines = Vec::new();
            for p in tc.descendants().filter(|d| is_w(*d, "p")) {
                let mut text = String::new();
                let mut boxes = Vec::new();
                inline_text(p, &mut text, &mut boxes);
                let text = text.trim().to_string();
                if !text.is_empty() {
                    lines.push(text);
                }
            }
            row.push(lines.join("\n"));
            let span: usize = val(child(tc, "tcPr").and_then(|p| child(p, "gridSpan")))
                .and_then(|v| v.parse().ok())
                .map_or(1, |n: usize| n.clamp(1, crate::table::MAX_SPAN));
            // Padding stops at the widest table kept; text is never dropped.
            let padding = (span - 1).min(crate::table::MAX_COLUMNS.saturating_sub(row.len()));
            row.extend(std::iter::repeat_n(String::new(), padding));
        }
        rows.push(row);
    }
    crate::table::markdown(&rows)
}

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    suffix_space: bool,
}

/// `word/numbering.xml`: the list definitions and the lists using them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// `w:num` id → its definition and per-level start overrides.
    nums: HashMap<String, (String, HashMap<usize, u32>)>,
}

impl Numbering {
    fn parse(doc: &Document<'_>) -> Numbering {
        let mut n = Numbering::default();
        for node in doc.root_element().children().filter(Node::is_element) {
            if is_w(node, "abstractNum") {
                let Some(id) = node.attribute((W, "abstractNumId")) else {
                    continue;
                };
                let mut levels = vec![Level::default(); 9];
                for lvl in node.children().filter(|c| is_w(*c, "lvl")) {
                    let Some(i) = lvl
                        .attribute((W, "ilvl"))
                        .and_then(|v| v.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    if let Some(level) = levels.get_mut(i) {
                        *level = Level {
                            start: val(child(lvl, "start"))
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1),
                            format: val(child(lvl, "numFmt")).unwrap_or("decimal").to_string(),
                            text: val(child(lvl, "lvlText")).unwrap_or("").to_string(),
                            suffix_space: val(child(lvl, "suff")) == Some("space"),
                        };
                    }
                }
                n.abstracts.insert(id.to_string(), levels);
            } else if is_w(node, "num") {
                let Some(id) = node.attribute((W, "numId")) else {
                    continue;
                };
                let Some(abs) = val(child(node, "abstractNumId")) else {
                    continue;
                };
                let mut starts = HashMap::new();
                for o in node.children().filter(|c| is_w(*c, "lvlOverride")) {
                    let level = o.attribute((W, "ilvl")).and_then(|v| v.parse().ok());
                    let start = val(child(o, "startOverride")).and_then(|v| v.parse().ok());
                    if let (Some(l), Some(s)) = (level, start) {
                        starts.insert(l, s);
                    }
                }
                n.nums.insert(id.to_string(), (abs.to_string(), starts));
            }
        }
        n
    }

    fn levels(&self, num_id: &str) -> Option<&Vec<Level>> {
        let (abs, _) = self.nums.get(num_id)?;
        self.abstracts.get(abs)
    }

    fn start(&self, num_id: &str, level: usize, def: &Level) -> u32 {
        self.nums
            .get(num_id)
            .and_then(|(_, starts)| starts.get(&level).copied())
            .unwrap_or(def.start)
    }
}

/// Paragraph styles that carry numbering (`List Number` and the like).
#[derive(Debug, Default)]
struct StyleNumbers {
    styles: HashMap<String, StyleNumber>,
}

/// A style's list (numId and level), and the style it is based on.
#[derive(Debug)]
struct StyleNumber {
    num: Option<(String, usize)>,
    based_on: Option<String>,
}

impl StyleNumbers {
    fn parse(doc: &Document<'_>) -> StyleNumbers {
        let mut styles = HashMap::new();
        for s in doc.root_element().children().filter(|c| is_w(*c, "style")) {
            let Some(id) = s.attribute((W, "styleId")) else {
                continue;
            };
            let numpr = child(s, "pPr").and_then(|p| child(p, "numPr"));
            let num = val(numpr.and_then(|n| child(n, "numId"))).map(|id| {
                let level = val(numpr.and_then(|n| child(n, "ilvl")))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                (id.to_string(), level)
            });
            let based = val(child(s, "basedOn")).map(str::to_string);
            styles.insert(
                id.to_string(),
                StyleNumber {
                    num,
                    based_on: based,
                },
            );
        }
        StyleNumbers { styles }
    }

    fn numbering(&self, style: &str) -> Option<(String, usize)> {
        let mut id = style;
        // basedOn chains are short; a loop in a broken file must not hang.
        for _ in 0..10 {
            let style = self.styles.get(id)?;
            if let Some(n) = &style.num {
                return (n.0 != "0").then(|| n.clone());
            }
            id = style.based_on.as_deref()?;
        }
        None
    }
}

/// A list number in one of Word's formats.
pub(crate) fn format_number(n: u32, format: &str) -> String {
    let from = |first: u32, count: u32| {
        (1..=count)
            .contains(&n)
            .then(|| char::from_u32(first + n - 1))
            .flatten()
            .map_or_else(|| n.to_string(), String::from)
    };
    let cycle = |list: &[char]| list[(n.max(1) as usize - 1) % list.len()].to_string();
    match format {
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => from('①' as u32, 20),
        "decimalEnclosedParen" => from('⑴' as u32, 20),
        "decimalEnclosedFullstop" => from('⒈' as u32, 20),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting" => numerals::write(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|c| {
                "〇一二三四五六七八九"
                    .chars()
                    .nth(c as usize - '0' as usize)
                    .unwrap_or(c)
            })
            .collect(),
        "chineseLegalSimplified" => {
            let w = numerals::write(n);
            w.chars()
                .map(|c| match c {
                    '一' => '壹',
                    '二' => '贰',
                    '三' => '叁',
                    '四' => '肆',
                    '五' => '伍',
                    '六' => '陆',
                    '七' => '柒',
                    '八' => '捌',
                    '九' => '玖',
                    '十' => '拾',
                    '百' => '佰',
                    c => c,
                })
                .collect()
        }
        "ideographTraditional" => {
            cycle(&['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'])
        }
        "ideographZodiac" => cycle(&[
            '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
        ]),
        // aaa… of a number set absurdly high by a broken file stays short.
        "lowerLetter" | "upperLetter" if n <= 26 * 30 => {
            let letters = "abcdefghijklmnopqrstuvwxyz";
            let i = (n.max(1) - 1) as usize;
            let letter = letters.chars().nth(i % 26).unwrap_or('a');
            let s = letter.to_string().repeat(i / 26 + 1);
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" => {
            let r = roman(n);
            if format == "upperRoman" {
                r
            } else {
                r.to_lowercase()
            }
        }
        "none" => String::new(),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            s.push_str(letters);
            n -= value;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_numbers_in_words_formats() {
        assert_eq!(format_number(3, "decimal"), "3");
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(2, "decimalEnclosedCircle"), "②");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(11, "chineseLegalSimplified"), "拾壹");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
    }

    /// A .docx holding only `word/document.xml` with `xml`.
    fn docx(xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let n = 100_000;
        let xml = format!(
            "<w:document xmlns:w=\"{W}\"><w:body>{}<w:p><w:r><w:t>深</w:t></w:r></w:p>{}</w:body></w:document>",
            "<w:sdt>".repeat(n),
            "</w:sdt>".repeat(n)
        );
        let error = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || read(&docx(&xml)).err().map(|e| e.to_string()))
            .unwrap()
            .join()
            .unwrap();
        assert!(error.is_some_and(|e| e.contains("嵌套")));
        let shallow = format!(
            "<w:document xmlns:w=\"{W}\"><w:body><w:sdt><w:p><w:r><w:t>浅</w:t></w:r></w:p></w:sdt></w:body></w:document>"
        );
        assert_eq!(read(&docx(&shallow)).unwrap()[0].text, "浅");
    }

    /// A cell may claim to span any number of columns; the table keeps at
    /// most [`crate::table::MAX_SPAN`] per cell and its text.
    #[test]
    fn a_huge_grid_span_is_capped_not_a_crash() {
        for span in ["18446744073709551615", "2147483647", "0", "-3", "x"] {
            let xml = format!(
                r#"<w:document xmlns:w="{W}"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#
            );
            let paras = read(&docx(&xml)).unwrap();
            let table = &paras[0].text;
            let columns = table.lines().next().unwrap().matches(" |").count();
            assert!(columns <= crate::table::MAX_COLUMNS, "{span}: {columns}");
            assert!(
                table.contains('甲') && table.contains('乙'),
                "{span}: {table}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(gongkai_testing::fuzz_cases(200)))]

        /// Any mangling of a document's XML: paragraphs or an error, never
        /// a panic, soon.
        #[test]
        fn mangled_document_xml_never_panics(
            changes in proptest::collection::vec(gongkai_testing::mutate::change(), 1..8)
        ) {
            let seed = format!(
                "<?xml version=\"1.0\"?><w:document xmlns:w=\"{W}\"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>一、问题</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:sdt><w:sdtContent><w:p><w:r><w:t xml:space=\"preserve\"> 整改完成</w:t><w:br/></w:r></w:p></w:sdtContent></w:sdt></w:body></w:document>"
            );
            let xml = gongkai_testing::mutate::apply(&seed, &changes);
            let started = std::time::Instant::now();
            let _ = read(&docx(&xml));
            proptest::prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
    }
}
