//! A notice's attachments (附件): the files it lists in `attachments:`,
//! and what kind of file a name is. The kinds are named once here, for the
//! attachment list of a notice page and for `check`'s lint of links to
//! documents in the text (检查指标: 附件无法下载), so that both call the
//! same file the same thing.

use std::path::PathBuf;

/// One attachment of a notice, found in the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attachment {
    /// What the notice calls it: `整改问题清单`.
    pub title: String,
    /// The path as the front matter writes it.
    pub written: String,
    /// The file, relative to the site root (`content/notices/清单.xlsx`,
    /// `static/files/原件.pdf`).
    pub source: PathBuf,
    /// Where it is published.
    pub home: AttachmentHome,
    /// Its size in bytes.
    pub bytes: u64,
    pub kind: FileKind,
    /// Only pictures of pages, without text a reader or a screen reader
    /// could use: an image, or a PDF without text.
    pub scan_only: bool,
}

/// Where an attachment is published.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttachmentHome {
    /// Copied beside the notice's page, at this path from its folder: the
    /// path from the notice's file when the file is in the notice's
    /// folder (`附件/清单.xlsx`), else its name.
    Notice(String),
    /// A file of the site's `static/`, published there already (a path
    /// from the site's root, `/files/a.pdf`): this is its output path.
    Static(String),
}

impl AttachmentHome {
    /// The file's name, as a reader downloads it.
    pub fn file_name(&self) -> &str {
        match self {
            AttachmentHome::Notice(path) | AttachmentHome::Static(path) => {
                path.rsplit('/').next().unwrap_or(path)
            }
        }
    }
}

/// What kind of file a name is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Pdf,
    /// 版式文档 OFD (GB/T 33190), the official documents' own format.
    Ofd,
    Word,
    /// WPS 文字 (`.wps`).
    Wps,
    Excel,
    Presentation,
    Image,
    Archive,
    Text,
    Other,
}

impl FileKind {
    /// The kind of the file a name or a link names (`a/b.PDF#page=2` is a PDF).
    pub fn of(name: &str) -> FileKind {
        let path = name.split(['#', '?']).next().unwrap_or("");
        let file = path.rsplit(['/', '\\']).next().unwrap_or("");
        let Some((_, ext)) = file.rsplit_once('.') else {
            return FileKind::Other;
        };
        match ext.to_ascii_lowercase().as_str() {
            "pdf" => FileKind::Pdf,
            "ofd" => FileKind::Ofd,
            "doc" | "docx" => FileKind::Word,
            "wps" => FileKind::Wps,
            "xls" | "xlsx" | "et" => FileKind::Excel,
            "ppt" | "pptx" | "dps" => FileKind::Presentation,
            "jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp" => FileKind::Image,
            "zip" | "rar" | "7z" | "tar" | "gz" => FileKind::Archive,
            "txt" | "csv" => FileKind::Text,
            _ => FileKind::Other,
        }
    }

    /// A document to download rather than a page or a picture shown in
    /// it: what the spot checks count as an attachment.
    pub fn is_document(self) -> bool {
        !matches!(self, FileKind::Image | FileKind::Other)
    }

    /// The name a reader knows the kind by.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Ofd => "OFD",
            FileKind::Word => "Word",
            FileKind::Wps => "WPS",
            FileKind::Excel => "Excel",
            FileKind::Presentation => "演示文稿",
            FileKind::Image => "图片",
            FileKind::Archive => "压缩包",
            FileKind::Text => "文本",
            FileKind::Other => "文件",
        }
    }

    /// A stable key for styles and open data: `pdf`, `excel`, …
    pub fn key(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Ofd => "ofd",
            FileKind::Word => "word",
            FileKind::Wps => "wps",
            FileKind::Excel => "excel",
            FileKind::Presentation => "presentation",
            FileKind::Image => "image",
            FileKind::Archive => "archive",
            FileKind::Text => "text",
            FileKind::Other => "other",
        }
    }
}

/// A size as readers read it: `812 字节`, `35.2 KB`, `1.4 MB` (1 KB is
/// 1,024 bytes, one decimal).
pub fn display_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let tenths = |unit: u64| (bytes * 10 + unit / 2) / unit;
    let one_decimal = |t: u64| format!("{}.{}", t / 10, t % 10);
    if bytes < KB {
        format!("{bytes} 字节")
    } else if bytes < MB && tenths(KB) < 10240 {
        format!("{} KB", one_decimal(tenths(KB)))
    } else {
        format!("{} MB", one_decimal(tenths(MB)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(FileKind::of("清单.XLSX"), FileKind::Excel);
        assert_eq!(FileKind::of("/files/a.pdf#page=2"), FileKind::Pdf);
        assert_eq!(FileKind::of("原件.jpg"), FileKind::Image);
        assert_eq!(FileKind::of("a.ofd"), FileKind::Ofd);
        assert_eq!(FileKind::of("README"), FileKind::Other);
        assert_eq!(FileKind::of("notices/a/index.html"), FileKind::Other);
        assert!(FileKind::of("a.docx").is_document());
        assert!(!FileKind::of("a.png").is_document());
    }

    #[test]
    fn sizes_in_kb_and_mb() {
        assert_eq!(display_size(812), "812 字节");
        assert_eq!(display_size(1024), "1.0 KB");
        assert_eq!(display_size(36_045), "35.2 KB");
        assert_eq!(display_size(1024 * 1024 - 1), "1.0 MB");
        assert_eq!(display_size(1_468_006), "1.4 MB");
    }
}
