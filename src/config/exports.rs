//! `exports:` of `site.yaml`: the formats each notice is published in
//! beside its page.

use serde::Deserialize;

/// A format a notice is also published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Export {
    /// `docx`: its Word copy in the GB/T 9704 layout, linked from its page
    /// as 下载 Word 版.
    Docx,
}
