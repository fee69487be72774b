//! The Word copy of a notice (`gongkai export --format docx`, and
//! `exports: [docx]` in `site.yaml`): a `.docx` in the layout of GB/T 9704
//! 《党政机关公文格式》, which `gongkai import` reads back into the same
//! notice.
//!
//! WordprocessingML is written here by hand, into the `zip` crate the
//! workspace already uses (as the importer reads it). The Rust crates that
//! write `.docx` (docx-rs, docx-rust) are large, model far more than a
//! bulletin needs, and would still leave the parts that matter here to us:
//! the GB/T 9704 grid, the East Asian fonts with their fallbacks in the
//! font table, and output that is the same bytes for the same notice. A
//! bulletin needs a dozen elements; they are written in one place each:
//!
//! - `gbt9704`: the standard's measures and fonts;
//! - `notice`: what the document says, in order (版头, title, text,
//!   problems, contacts, signature), as `blocks`;
//! - `blocks`: paragraphs, runs and tables, and Markdown read into them;
//! - `document`: `document.xml` and the footers;
//! - `styles`: `styles.xml`, `fontTable.xml`, `settings.xml`;
//! - `package`: content types, relationships, properties, the zip;
//! - `xml`: escaping.

mod blocks;
mod document;
mod gbt9704;
mod notice;
mod package;
mod styles;
mod xml;

use std::sync::LazyLock;

use crate::config::SiteConfig;
use crate::content::Notice;

pub use zip::result::ZipError;

/// The parts every Word copy shares, made once.
static COMMON: LazyLock<package::Common> = LazyLock::new(|| package::Common {
    styles: styles::styles(),
    fonts: styles::font_table(),
    settings: styles::settings(),
    odd_footer: document::footer(true),
    even_footer: document::footer(false),
});

/// The `.docx` of `n`, a notice of the site `config` describes (its
/// categories' names, its units' contacts). It needs the notice's
/// Markdown: a build that writes Word copies keeps it.
pub fn word_copy(n: &Notice, config: &SiteConfig) -> Result<Vec<u8>, ZipError> {
    let blocks = notice::blocks(n, config);
    let parts = package::Parts {
        document: document::document(&blocks),
        common: &COMMON,
    };
    let created = n.date.day.iso();
    let modified = n.updated().iso();
    let properties = package::Properties {
        title: &n.title,
        creator: &n.organization,
        created: &created,
        modified: &modified,
    };
    package::zip(parts, &properties)
}

#[cfg(test)]
mod tests;
