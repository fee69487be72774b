//! A notice's `attachments:`: each path read into the file of the site it
//! names, and, when the site folder is known, that file looked at with the
//! other fields (every mistake at once): it must be there, inside the
//! site; its size is read, and whether it is only a scan, which without a
//! text version in the notice is worth a warning.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::Notice;
use crate::content::attachment::{Attachment, AttachmentHome, FileKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::folders::{CONTENT, STATIC};
use crate::locate;
use crate::model::links::has_scheme;
use crate::routes;
use crate::yaml::Seg;

use super::raw::RawAttachment;
use super::validate::Checker;

const PATH_HELP: &str = "附件放在通报所在的文件夹里时，path 写相对于通报文件的路径（如 path: 附件/整改问题清单.xlsx），发布时复制到通报页旁边；放在站点的 static/ 里时写从网站根开始的路径（如 path: /files/整改问题清单.xlsx）。";

impl Checker<'_> {
    /// The attachments as the front matter lists them, each path read into
    /// the file it names; their size and kind of content are read later,
    /// by [`examine`].
    /// `slug` is the notice's: its Word copy is named after it.
    pub(super) fn attachments(&mut self, raws: Vec<RawAttachment>, slug: &str) -> Vec<Attachment> {
        let mut found: Vec<Attachment> = Vec::new();
        for (i, raw) in raws.into_iter().enumerate() {
            let at = |field| [Seg::Key("attachments"), Seg::Index(i), Seg::Key(field)];
            let title = self.required(
                raw.title,
                Code::MissingTitle,
                &at("title"),
                "附件没有写标题",
                "写上附件的名称，读者在页面上看到的就是它，例如 title: 整改问题清单",
            );
            let written = self.required(
                raw.path,
                Code::MissingAttachment,
                &at("path"),
                "附件没有写文件的路径",
                PATH_HELP,
            );
            if written.is_empty() {
                continue;
            }
            let Some((source, home)) = self.place(&written, &at("path"), slug) else {
                continue;
            };
            if let AttachmentHome::Notice(name) = &home
                && found.iter().any(|a| a.home == home)
            {
                self.error_on_value(
                    Code::AttachmentPath,
                    &at("path"),
                    &written,
                    format!("另一个附件也叫“{name}”，发布后两个文件会在同一个位置"),
                    "请给其中一个文件改个名字。".into(),
                );
                continue;
            }
            let mut attachment = Attachment {
                title,
                kind: FileKind::of(&written),
                written,
                source,
                home,
                bytes: 0,
                scan_only: false,
            };
            if let Some(root) = self.src.root
                && !self.look(root, &mut attachment, &at("path"))
            {
                continue;
            }
            found.push(attachment);
        }
        found
    }

    /// Looks at the file of attachment `a` in the site at `root`: its
    /// size, and whether it is only a scan. An error at `path` (and
    /// `false`) when it is not there, or not inside the site.
    fn look(&mut self, root: &Path, a: &mut Attachment, path: &[Seg<'_>]) -> bool {
        let shown = a.source.display().to_string();
        let (code, message, help) = if crate::files::inside(root, &a.source).is_err() {
            let message = format!("附件 {} 是指向站点以外或不存在的符号链接", a.written);
            let help = "站点只发布站点文件夹里的文件：请把附件复制进站点，而不是链接到外面。";
            (Code::Symlink, message, help)
        } else {
            match std::fs::metadata(root.join(&a.source)) {
                Ok(m) if m.is_file() => {
                    a.bytes = m.len();
                    a.scan_only = is_scan(root, &a.source, a.kind, m.len());
                    return true;
                }
                Ok(m) => {
                    let what = if m.is_dir() {
                        "一个文件夹"
                    } else {
                        "管道或设备，不是普通文件"
                    };
                    let message = format!("附件 {} 不是文件（{shown} 是{what}）", a.written);
                    (Code::AttachmentPath, message, PATH_HELP)
                }
                Err(_) => {
                    let message = format!("附件“{}”的文件不存在（找的是 {shown}）", a.title);
                    (Code::MissingAttachment, message, PATH_HELP)
                }
            }
        };
        let written = a.written.clone();
        self.error_on_value(code, path, &written, message, help.into());
        false
    }

    /// The file `written` names, relative to the site root, and where it
    /// is published; an error when it names no file inside `content/` or
    /// `static/`.
    fn place(
        &mut self,
        written: &str,
        path: &[Seg<'_>],
        slug: &str,
    ) -> Option<(PathBuf, AttachmentHome)> {
        let refuse = |this: &mut Self, why: &str| {
            this.error_on_value(
                Code::AttachmentPath,
                path,
                written,
                format!("附件的路径“{written}”{why}"),
                PATH_HELP.into(),
            );
            None
        };
        if has_scheme(written) || written.starts_with("//") {
            return refuse(self, "是网址或盘符，附件要是站点里的文件");
        }
        let slashed = written.replace('\\', "/");
        let dir = self.src.file.parent().unwrap_or(Path::new(CONTENT));
        let folder: Vec<String> = dir
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let (base, rest) = match slashed.strip_prefix('/') {
            Some(rest) => (vec![STATIC.to_string()], rest),
            None => (folder.clone(), slashed.as_str()),
        };
        let Some(parts) = resolve(base, rest) else {
            return refuse(self, "跑出了 content/ 或 static/ 文件夹");
        };
        let name = parts.last().cloned().unwrap_or_default();
        if rest.ends_with('/') || name.is_empty() {
            return refuse(self, "没有写文件名");
        }
        let source: PathBuf = parts.iter().collect();
        if source.extension().is_some_and(|e| e == "md") {
            return refuse(self, "是一篇通报（.md 文件），不能作为附件");
        }
        // Beside the page as beside the notice's file: a link in the text
        // written relative to the file (`附件/清单.xlsx`) finds it on the
        // page. A file from another folder goes beside the page by its name.
        let beside = match parts.strip_prefix(folder.as_slice()) {
            Some(inside) if !inside.is_empty() => inside.join("/"),
            _ => name,
        };
        let home = if parts[0] == STATIC {
            AttachmentHome::Static(parts[1..].join("/"))
        } else if let Some(made) = self.made_beside(slug, &beside) {
            let why = format!("发布后会和通报页旁生成的 {made} 用同一个文件名，请给附件换个名字");
            return refuse(self, &why);
        } else {
            AttachmentHome::Notice(beside)
        };
        Some((source, home))
    }
}

impl Checker<'_> {
    /// The file made beside notice `slug`'s page that an attachment
    /// published as `name` would take the place of, if any (compared
    /// without case: on Windows and macOS the two would be one file).
    fn made_beside(&self, slug: &str, name: &str) -> Option<String> {
        let word_copies = self.config.is_some_and(SiteConfig::word_copies);
        routes::made_beside_notice(slug, word_copies)
            .into_iter()
            .find(|made| made.eq_ignore_ascii_case(name))
    }
}

/// `rest` followed from the folders `base`: `None` when `..` leads out of
/// the first of them (`content` or `static`).
fn resolve(mut parts: Vec<String>, rest: &str) -> Option<Vec<String>> {
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." if parts.len() > 1 => {
                parts.pop();
            }
            ".." => return None,
            s => parts.push(s.to_string()),
        }
    }
    Some(parts)
}

/// A warning at each scan-only attachment of a notice that has no text
/// version of it: no body text, no problems, no attachment with text.
pub(super) fn scan_warnings(notice: &Notice) -> Vec<Diagnostic> {
    let has_text = has_body_text(notice.text.body())
        || !notice.problems.is_empty()
        || notice
            .attachments
            .iter()
            .any(|a| a.kind.is_document() && !a.scan_only);
    if has_text {
        return Vec::new();
    }
    notice
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| a.scan_only)
        .map(|(i, a)| {
            let at = [Seg::Key("attachments"), Seg::Index(i), Seg::Key("path")];
            let what = if a.kind == FileKind::Image { "图片" } else { "没有文字层的 PDF（扫描件）" };
            let message = format!("附件“{}”只是{what}，通报里又没有它的文字", a.title);
            locate::field(Code::ScanOnlyAttachment, notice, &at, Some(&a.written), message)
                .as_warning()
                .help("读者无法复制、搜索，读屏软件也读不出扫描件：请把原文的文字写进通报正文，或再附一份有文字的版本（Word、带文字层的 PDF）。")
        })
        .collect()
}

/// Whether a Markdown body says anything, once its comments (such as
/// `<!-- problems -->`) are left out.
fn has_body_text(body: &str) -> bool {
    let mut rest = body;
    while let Some(start) = rest.find("<!--") {
        if !rest[..start].trim().is_empty() {
            return true;
        }
        rest = rest[start..]
            .find("-->")
            .map_or("", |end| &rest[start + end + 3..]);
    }
    !rest.trim().is_empty()
}

/// Whether a file is only pictures of pages: an image, or a PDF without a
/// text layer (see [`pdf_has_text`]). A file that cannot be read, or a PDF
/// too large to read through at every build, counts as having text: no
/// warning is better than a wrong one.
fn is_scan(root: &Path, source: &Path, kind: FileKind, bytes: u64) -> bool {
    const LARGEST_PDF_READ: u64 = 64 * 1024 * 1024;
    match kind {
        FileKind::Image => true,
        FileKind::Pdf if bytes <= LARGEST_PDF_READ => {
            crate::files::read(root, source).is_ok_and(|b| !pdf_has_text(&b))
        }
        _ => false,
    }
}

/// Whether a PDF has a text layer, told cheaply: text in a PDF is drawn
/// with a font, so a page with text names a font resource (`/Font`) in
/// its resources; a PDF made only of scanned pages names none. The name is
/// looked for in the file's bytes, then inside its Flate-compressed
/// streams (from PDF 1.5 on, objects may sit in compressed object
/// streams, `/ObjStm`). Not told apart: text drawn as shapes, and a PDF
/// whose font only draws a stamp on scanned pages (counted as text).
pub fn pdf_has_text(bytes: &[u8]) -> bool {
    const FONT: &[u8] = b"/Font";
    // At most this much of any one stream is inflated.
    const LIMIT: u64 = 16 * 1024 * 1024;
    if find(bytes, FONT).is_some() {
        return true;
    }
    let mut rest = bytes;
    while let Some(i) = find(rest, b"stream") {
        let starts_stream = i < 3 || &rest[i - 3..i] != b"end";
        rest = &rest[i + b"stream".len()..];
        if !starts_stream {
            continue;
        }
        let data = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        let end = find(data, b"endstream").unwrap_or(data.len());
        let mut inflated = Vec::new();
        let reader = flate2::read::ZlibDecoder::new(&data[..end]);
        // A stream that is not Flate (a JPEG of a scan) fails at once;
        // what inflated before a failure is still looked at.
        let _ = reader.take(LIMIT).read_to_end(&mut inflated);
        if find(&inflated, FONT).is_some() {
            return true;
        }
        rest = &data[end..];
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_has_text_when_it_names_a_font_even_compressed() {
        let plain = b"%PDF-1.4\n1 0 obj <</Type/Page/Resources<</Font<</F1 2 0 R>>>>>> endobj";
        assert!(pdf_has_text(plain));
        let scan = b"%PDF-1.4\n1 0 obj <</Resources<</XObject<</Im0 2 0 R>>>>>> endobj\n2 0 obj <</Filter/DCTDecode/Length 4>>stream\n\xff\xd8\xff\xe0\nendstream endobj";
        assert!(!pdf_has_text(scan));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, b"<</Resources<</Font<</F1 3 0 R>>>>>>").unwrap();
        let mut packed =
            b"%PDF-1.5\n4 0 obj <</Type/ObjStm/Filter/FlateDecode>>stream\r\n".to_vec();
        packed.extend(z.finish().unwrap());
        packed.extend(b"\r\nendstream endobj");
        assert!(pdf_has_text(&packed));
    }

    #[test]
    fn paths_stay_in_their_folder() {
        let base = || vec!["content".to_string(), "notices".to_string()];
        assert_eq!(
            resolve(base(), "../files/./a.pdf"),
            Some(vec!["content".into(), "files".into(), "a.pdf".into()])
        );
        assert_eq!(resolve(base(), "../../site.yaml"), None);
        assert_eq!(resolve(vec!["static".into()], "../content/a.pdf"), None);
    }

    #[test]
    fn a_body_of_comments_says_nothing() {
        assert!(!has_body_text("\n<!-- problems -->\n\n"));
        assert!(has_body_text("<!-- problems -->\n见附件。"));
        assert!(!has_body_text("  "));
    }
}
