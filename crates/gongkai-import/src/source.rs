//! Reading the file to import: a `.txt` in whatever encoding Windows saved
//! it in, a `.docx`, a `.doc` or a saved web page, into numbered
//! paragraphs of plain text.

use std::fmt;
use std::path::Path;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use gongkai_diagnostic::{Code, Diagnostic};

use super::document::{PageFacts, Para};
use super::{doc, docx, html, table};

/// How the file was stored, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Utf8,
    Utf8Bom,
    Utf16,
    Utf32,
    Gb18030,
    Docx,
    /// Word 97–2003 (`.doc`, `.wps`).
    Doc,
    /// A saved web page, and its charset.
    Html(html::Charset),
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Utf8 => "文本文件，UTF-8 编码",
            Format::Utf8Bom => "文本文件，UTF-8 编码（带 BOM）",
            Format::Utf16 => "文本文件，UTF-16（Unicode）编码",
            Format::Utf32 => "文本文件，UTF-32 编码",
            Format::Gb18030 => "文本文件，GBK/GB18030 编码",
            Format::Docx => "Word 文档（.docx）",
            Format::Doc => "Word 97–2003 文档（.doc）",
            Format::Html(html::Charset {
                used,
                declared: None,
            }) => return write!(f, "网页（.html，{used} 编码）"),
            Format::Html(html::Charset {
                used,
                declared: Some(declared),
            }) => {
                return write!(
                    f,
                    "网页（.html，按 {used} 编码读取：网页里写的 {declared} 与它的内容不符）"
                );
            }
        })
    }
}

/// The source, read.
#[derive(Debug, Clone)]
pub struct Source {
    pub format: Format,
    pub paras: Vec<Para>,
    /// What a web page said about the bulletin (meta tags, metadata table).
    pub page: PageFacts,
    /// A `.doc`'s footnotes, endnotes and text boxes, by part: kept out of
    /// the recognition (a text box is no signature) and put after the body.
    pub asides: Vec<(&'static str, Vec<Para>)>,
}

impl Source {
    /// The paragraphs of a file stored as `format`, with nothing besides.
    pub fn new(format: Format, paras: Vec<Para>) -> Source {
        Source {
            format,
            paras,
            page: PageFacts::default(),
            asides: Vec::new(),
        }
    }
}

impl Format {
    /// "第 3 行" in a text file, "第 3 段" in a Word document.
    pub fn unit(self) -> &'static str {
        match self {
            Format::Docx | Format::Doc | Format::Html(_) => "段",
            _ => "行",
        }
    }
}

/// Reads `path` as a Word document or a text file.
pub fn read(path: &Path) -> Result<Source, Diagnostic> {
    let io = |e: &std::io::Error| Diagnostic::io(Code::Io, path, "读取文件", e);
    // A pipe or a device would be read until it ends, which may be never.
    if !std::fs::metadata(path).map_err(|e| io(&e))?.is_file() {
        return Err(Diagnostic::error(
            Code::ImportFormat,
            path,
            "这不是普通文件（是文件夹、管道或设备），没有读取",
        )
        .help("导入 Word 文档（.docx）、文本文件（.txt）或保存下来的网页（.html）；导入整个文件夹请写文件夹的路径。"));
    }
    let bytes = std::fs::read(path).map_err(|e| io(&e))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match Kind::of(&ext, &bytes) {
        Kind::Doc => {
            let text = doc::read(&bytes).map_err(|e| {
                Diagnostic::error(Code::ImportFormat, path, format!("无法读取 Word 文档：{e}"))
                    .help("请在 Word 或 WPS 里打开它（有密码的先去掉密码），“另存为” Word 文档（.docx）再导入。")
            })?;
            Ok(Source {
                asides: text.asides,
                ..Source::new(Format::Doc, text.paras)
            })
        }
        Kind::Rtf => Err(Diagnostic::error(Code::ImportFormat, path, "不支持 RTF 格式")
            .help("请在 Word 或 WPS 里“另存为” Word 文档（.docx），或者把全文复制到记事本里存成 .txt，再导入。")),
        Kind::Mht => Err(Diagnostic::error(
            Code::ImportFormat,
            path,
            "这是“单个文件网页”（MHT），不支持",
        )
        .help("请用 Word 打开它，“另存为” Word 文档（.docx）；或在浏览器里打开，另存为“网页，仅 HTML”（.html），再导入。")),
        Kind::Docx => {
            let paras = docx::read(&bytes).map_err(|e| {
                Diagnostic::error(Code::ImportFormat, path, format!("无法读取 Word 文档：{e}"))
                    .help("文件可能已损坏，或者不是 .docx：请用 Word 打开后重新“另存为” .docx。")
            })?;
            Ok(Source::new(Format::Docx, paras))
        }
        Kind::Html => {
            let page = html::read(&bytes).map_err(|deep| {
                Diagnostic::error(
                    Code::ImportFormat,
                    path,
                    format!(
                        "网页的元素嵌套超过 {} 层，不像是保存下来的通报页面，没有读取",
                        html::MAX_NESTING
                    ),
                )
                .at(deep.line, deep.column)
                .help("在浏览器里打开这个网页，选中正文复制到记事本，存成 .txt 再导入。")
            })?;
            Ok(Source {
                page: page.facts,
                ..Source::new(Format::Html(page.charset), page.paras)
            })
        }
        Kind::Text => text(path, &bytes),
    }
}

/// What a file to import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Doc,
    Docx,
    Rtf,
    /// Word's or a browser's "single file web page".
    Mht,
    Html,
    Text,
}

impl Kind {
    /// By the file's first bytes, then by its extension: a file is often
    /// named for what it was meant to be, and a web system's "Word" download
    /// is as often a web page named `.doc`.
    fn of(ext: &str, bytes: &[u8]) -> Kind {
        let head = &bytes[..bytes.len().min(1024)];
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        let start = lower.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        let word_named = matches!(ext, "doc" | "wps");
        let web_named = matches!(ext, "html" | "htm" | "shtml" | "xhtml");
        if bytes.starts_with(&OLE) {
            Kind::Doc
        } else if bytes.starts_with(b"PK\x03\x04") {
            Kind::Docx
        } else if start.starts_with("{\\rtf") {
            Kind::Rtf
        } else if matches!(ext, "mht" | "mhtml")
            || ["mime-version:", "from:", "content-type:"]
                .iter()
                .any(|t| start.starts_with(t))
                && lower.contains("multipart/related")
        {
            Kind::Mht
        } else if web_named
            || (word_named
                && ["<html", "<!doctype", "<head", "<meta"]
                    .iter()
                    .any(|t| start.starts_with(t)))
        {
            Kind::Html
        } else if word_named {
            Kind::Doc
        } else if ext == "docx" {
            Kind::Docx
        } else if ext == "rtf" {
            Kind::Rtf
        } else {
            Kind::Text
        }
    }
}

/// A text file, in whatever encoding it was saved in.
fn text(path: &Path, bytes: &[u8]) -> Result<Source, Diagnostic> {
    let (text, format) = decode(path, bytes)?;
    let mut paras = lines(&text);
    table::from_tabs(&mut paras);
    Ok(Source::new(format, paras))
}

/// How a compound file (a `.doc`) begins.
const OLE: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

/// UTF-8 (with or without BOM), UTF-16 with BOM (Notepad's "Unicode"), or
/// else GB18030, which covers GBK and GB2312: what Chinese Windows saves.
fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Format), Diagnostic> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), Format::Utf8Bom))
            .map_err(|e| bad_bytes(path, rest, e.valid_up_to(), "UTF-8"));
    }
    // Before UTF-16: the little-endian marks begin alike.
    if let Some(text) = utf32(bytes) {
        return text.map(|t| (t, Format::Utf32)).ok_or_else(|| {
            Diagnostic::error(Code::Encoding, path, "文件标明是 UTF-32 编码，但内容不完整")
                .help("请用记事本打开，另存为时编码选“UTF-8”。")
        });
    }
    for (bom, encoding) in [(&b"\xFF\xFE"[..], UTF_16LE), (&b"\xFE\xFF"[..], UTF_16BE)] {
        if bytes.starts_with(bom) {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[2..]);
            if had_errors {
                return Err(Diagnostic::error(
                    Code::Encoding,
                    path,
                    "文件标明是 UTF-16 编码，但内容不完整",
                )
                .help("请用记事本打开，另存为时编码选“UTF-8”。"));
            }
            return Ok((text.into_owned(), Format::Utf16));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Format::Utf8)),
        Err(utf8) => {
            let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                Err(bad_bytes(path, bytes, utf8.valid_up_to(), "UTF-8 或 GBK"))
            } else {
                Ok((text.into_owned(), Format::Gb18030))
            }
        }
    }
}

/// Text in UTF-32 with its byte-order mark: `None` when there is no
/// mark, `Some(None)` when what follows it is not whole UTF-32.
fn utf32(bytes: &[u8]) -> Option<Option<String>> {
    let big = if bytes.starts_with(b"\xFF\xFE\x00\x00") {
        false
    } else if bytes.starts_with(b"\x00\x00\xFE\xFF") {
        true
    } else {
        return None;
    };
    let body = &bytes[4..];
    if !body.len().is_multiple_of(4) {
        return Some(None);
    }
    Some(
        body.chunks_exact(4)
            .map(|c| {
                let word = [c[0], c[1], c[2], c[3]];
                char::from_u32(if big {
                    u32::from_be_bytes(word)
                } else {
                    u32::from_le_bytes(word)
                })
            })
            .collect(),
    )
}

fn bad_bytes(path: &Path, bytes: &[u8], at: usize, expected: &str) -> Diagnostic {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    Diagnostic::error(
        Code::Encoding,
        path,
        format!("第 {line} 行有无法识别的字符：文件既不是 {expected} 编码"),
    )
    .at(line, column)
    .help("请用记事本打开这个文件，“另存为”时编码选“UTF-8”，再导入。")
}

/// One paragraph per line, numbered as an editor numbers lines (`\r\n`,
/// `\n` and a lone `\r` each end one).
fn lines(text: &str) -> Vec<Para> {
    text.replace("\r\n", "\n")
        .split(['\n', '\r'])
        .enumerate()
        .map(|(i, t)| Para {
            no: i + 1,
            text: t.to_string(),
            table: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, Format) {
        decode(Path::new("a.txt"), bytes).unwrap()
    }

    #[test]
    fn detects_the_encodings_windows_saves() {
        let text = "关于巡察整改进展情况的通报";
        assert_eq!(decoded(text.as_bytes()), (text.to_string(), Format::Utf8));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decoded(&bom), (text.to_string(), Format::Utf8Bom));
        let (gbk, _, _) = GB18030.encode(text);
        assert_eq!(decoded(&gbk), (text.to_string(), Format::Gb18030));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decoded(&utf16), (text.to_string(), Format::Utf16));
        for big in [false, true] {
            let mut utf32: Vec<u8> = if big {
                vec![0, 0, 0xFE, 0xFF]
            } else {
                vec![0xFF, 0xFE, 0, 0]
            };
            utf32.extend(text.chars().flat_map(|c| {
                if big {
                    u32::from(c).to_be_bytes()
                } else {
                    u32::from(c).to_le_bytes()
                }
            }));
            assert_eq!(decoded(&utf32), (text.to_string(), Format::Utf32));
            utf32.pop();
            assert!(decode(Path::new("a.txt"), &utf32).is_err());
        }
    }

    #[test]
    fn undecodable_bytes_are_located() {
        let d = decode(Path::new("a.txt"), b"ok\nab\xFF\xFF\xFF\xFF").unwrap_err();
        assert_eq!((d.line, d.column), (2, 3), "{d}");
    }

    #[test]
    fn a_file_is_what_its_first_bytes_say_then_what_its_name_says() {
        let page = "<html xmlns:w=\"urn:schemas-microsoft-com:office:word\"><body>一</body></html>";
        assert_eq!(Kind::of("doc", page.as_bytes()), Kind::Html);
        assert_eq!(Kind::of("doc", b"\xEF\xBB\xBF<!DOCTYPE html>"), Kind::Html);
        assert_eq!(Kind::of("doc", b"plain words"), Kind::Doc);
        assert_eq!(Kind::of("txt", &OLE), Kind::Doc);
        assert_eq!(Kind::of("doc", b"PK\x03\x04"), Kind::Docx);
        assert_eq!(Kind::of("doc", b"{\\rtf1 x}"), Kind::Rtf);
        let mht = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x";
        assert_eq!(Kind::of("doc", mht.as_bytes()), Kind::Mht);
        assert_eq!(Kind::of("mht", b"anything"), Kind::Mht);
        assert_eq!(Kind::of("txt", "<html>一</html>".as_bytes()), Kind::Text);
        assert_eq!(Kind::of("htm", b"x"), Kind::Html);
        assert_eq!(
            Kind::of("txt", "通报里写着 multipart/related".as_bytes()),
            Kind::Text
        );
    }

    #[test]
    fn lines_are_numbered_as_an_editor_shows_them() {
        let ps = lines("一\r\n二\r\n\r\n三\n四\r五");
        let got: Vec<(usize, &str)> = ps.iter().map(|p| (p.no, p.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "一"),
                (2, "二"),
                (3, ""),
                (4, "三"),
                (5, "四"),
                (6, "五")
            ]
        );
    }
}
