//! A document as read, before it is recognised: numbered paragraphs, and
//! what a web page said about the bulletin. The readers (`source`, `docx`,
//! `html`) make them and `chrome` reads them, so they live here, below all
//! of them.

use gongkai_content::Day;

/// One paragraph of the source: a line of a text file, a paragraph of a
/// Word document (split at its manual line breaks), or a whole table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Para {
    /// 1-based line (text file) or paragraph (Word document) number.
    pub no: usize,
    pub text: String,
    /// A table, already written as Markdown: kept as it is.
    pub table: bool,
}

/// What the page said about the bulletin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFacts {
    /// `发布机构`, else `来源`.
    pub organization: Option<String>,
    /// `发布日期`, `发布时间`, `公开日期`: the day it went on the web.
    pub published: Option<Day>,
    /// `成文日期`, `发文日期`: the day the document was signed.
    pub written: Option<Day>,
    /// `索引号`, `信息索引号`: the number the old site gave it.
    pub index_number: Option<String>,
    /// `文件名称` / `标题` of the metadata table.
    pub title: Option<String>,
    /// `文号`.
    pub doc_number: Option<String>,
}
