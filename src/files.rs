//! Reading the site's own files: configuration, notices, templates.
//!
//! Every file a user writes is UTF-8 text; a file that is not gets an
//! error at its first byte that is not, with a way out.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, line_col};

/// Reads bytes as UTF-8 text without a byte-order mark, or says where the
/// first byte that is not UTF-8 is.
pub fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let (line, column) = line_col(&prefix, prefix.len());
            let line_text: String = String::from_utf8_lossy(bytes)
                .lines()
                .nth(line - 1)
                .unwrap_or("")
                .to_string();
            let mut d = Diagnostic::error(Code::Encoding, file, "文件不是 UTF-8 编码，无法读取")
                .at(line, column)
                .help("请在编辑器里把文件另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）。Word 导出的 GBK 文本可用 gongkai import 转换。");
            d.source_line = Some(line_text);
            Err(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_points_at_bad_bytes() {
        let t = decode(Path::new("a.md"), b"\xEF\xBB\xBF---\n".to_vec()).unwrap();
        assert_eq!(t, "---\n");
        // 政 in GBK is 0xD5 0xFE, which is not UTF-8.
        let d = decode(Path::new("a.md"), b"---\ntitle: \xD5\xFE\n".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (2, 8));
        assert_eq!(d.code, Code::Encoding);
    }
}
