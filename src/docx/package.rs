//! The package around the document (Open Packaging Conventions): the
//! content types, the relationships, the document's properties (title,
//! issuing body, dates), all in a zip whose every entry carries the same
//! fixed time, so that the same notice always gives the same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::document::{EVEN_FOOTER, ODD_FOOTER};
use super::xml::Xml;

const TYPES: &str = "http://schemas.openxmlformats.org/package/2006/content-types";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// What the document's properties say (`docProps/core.xml`).
#[derive(Debug, Clone)]
pub struct Properties<'a> {
    pub title: &'a str,
    /// The issuing body, as the document's author.
    pub creator: &'a str,
    /// `2021-11-26`: the day it was published.
    pub created: &'a str,
    /// The day of its last revision.
    pub modified: &'a str,
}

/// The parts of one document: its own, and those every document shares.
pub struct Parts<'a> {
    pub document: String,
    pub common: &'a Common,
}

/// The parts that are the same in every document: how it looks.
pub struct Common {
    pub styles: String,
    pub fonts: String,
    pub settings: String,
    pub odd_footer: String,
    pub even_footer: String,
}

/// The `.docx` file. The entries are stored in this order, the content
/// types first, as Word itself writes them.
pub fn zip(parts: Parts<'_>, properties: &Properties<'_>) -> zip::result::ZipResult<Vec<u8>> {
    let (types, rels, doc_rels) = (content_types(), package_rels(), document_rels());
    let (core, app) = (core(properties), app());
    let common = parts.common;
    let entries: [(&str, &str); 11] = [
        ("[Content_Types].xml", &types),
        ("_rels/.rels", &rels),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", &app),
        ("word/document.xml", &parts.document),
        ("word/_rels/document.xml.rels", &doc_rels),
        ("word/styles.xml", &common.styles),
        ("word/fontTable.xml", &common.fonts),
        ("word/settings.xml", &common.settings),
        ("word/footer1.xml", &common.odd_footer),
        ("word/footer2.xml", &common.even_footer),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // 1980-01-01 00:00, the earliest time a zip can say: no clock in the
    // bytes.
    // The fastest level of deflate: the XML still shrinks to less than
    // half, in less time than the default level takes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, xml) in entries {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

fn content_types() -> String {
    let mut x = Xml::new();
    x.open("Types", &[("xmlns", TYPES)]);
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    let word = |part: &str| format!("{MAIN}.{part}+xml");
    let overrides = [
        ("/word/document.xml", word("document.main")),
        ("/word/styles.xml", word("styles")),
        ("/word/settings.xml", word("settings")),
        ("/word/fontTable.xml", word("fontTable")),
        ("/word/footer1.xml", word("footer")),
        ("/word/footer2.xml", word("footer")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".to_string(),
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string(),
        ),
    ];
    for (part, kind) in &overrides {
        x.empty("Override", &[("PartName", part), ("ContentType", kind)]);
    }
    x.close("Types");
    x.finish()
}

fn relationships(rels: &[(&str, String, &str)]) -> String {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", RELS)]);
    for (id, kind, target) in rels {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", kind), ("Target", target)],
        );
    }
    x.close("Relationships");
    x.finish()
}

fn package_rels() -> String {
    relationships(&[
        (
            "rId1",
            format!("{OFFICE_RELS}/officeDocument"),
            "word/document.xml",
        ),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .to_string(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{OFFICE_RELS}/extended-properties"),
            "docProps/app.xml",
        ),
    ])
}

fn document_rels() -> String {
    relationships(&[
        ("rIdStyles", format!("{OFFICE_RELS}/styles"), "styles.xml"),
        (
            "rIdSettings",
            format!("{OFFICE_RELS}/settings"),
            "settings.xml",
        ),
        (
            "rIdFonts",
            format!("{OFFICE_RELS}/fontTable"),
            "fontTable.xml",
        ),
        (ODD_FOOTER, format!("{OFFICE_RELS}/footer"), "footer1.xml"),
        (EVEN_FOOTER, format!("{OFFICE_RELS}/footer"), "footer2.xml"),
    ])
}

fn core(p: &Properties<'_>) -> String {
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    x.element("dc:title", &[], p.title);
    x.element("dc:creator", &[], p.creator);
    x.element("dc:language", &[], "zh-CN");
    let w3cdtf = [("xsi:type", "dcterms:W3CDTF")];
    x.element(
        "dcterms:created",
        &w3cdtf,
        &format!("{}T00:00:00Z", p.created),
    );
    x.element(
        "dcterms:modified",
        &w3cdtf,
        &format!("{}T00:00:00Z", p.modified),
    );
    x.close("cp:coreProperties");
    x.finish()
}

fn app() -> String {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    );
    x.element("Application", &[], "gongkai");
    x.close("Properties");
    x.finish()
}
