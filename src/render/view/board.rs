//! The notice-board sheet of a notice (公开栏版): what is printed and
//! posted on the 公开栏 of a community, a school or a hospital. Its title,
//! its problems counted by category and status, the supervision channels,
//! and a QR code to the notice's page on the site (码上巡察), drawn at
//! build time.

use qrcode::{EcLevel, QrCode};
use serde::Serialize;

use super::{CategoryView, ContactView, NoticeSummary, TallyView};
use crate::content::Tally;
use crate::model::{NoticeId, Site};
use crate::routes;

/// What a board sheet shows.
#[derive(Serialize, Hash)]
pub struct BoardView<'a> {
    #[serde(flatten)]
    pub summary: NoticeSummary<'a>,
    /// The notice's problems by category, in the site's order, with
    /// each category's counts by status.
    pub categories: Vec<BoardCategory<'a>>,
    /// The notice's supervision contact: its own, its unit's or the site's.
    pub contact: Option<ContactView<'a>>,
    /// The notice's address on the site, when the site has a base URL.
    pub url: Option<String>,
    /// The QR code of `url`, as inline SVG.
    pub qr: Option<String>,
}

/// A category of problems on the sheet.
#[derive(Serialize, Hash)]
pub struct BoardCategory<'a> {
    pub category: CategoryView<'a>,
    pub tally: TallyView,
}

impl<'a> BoardView<'a> {
    pub fn new(site: &'a Site, id: NoticeId) -> BoardView<'a> {
        let n = site.notice(id);
        let categories = site
            .config
            .categories
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| {
                let of = n.problems.iter().filter(|p| p.category.0 == ci);
                let tally = Tally::of(of);
                (tally.problems > 0).then(|| BoardCategory {
                    category: CategoryView::new(c),
                    tally: (&tally).into(),
                })
            })
            .collect();
        let url = site
            .config
            .base_url
            .as_ref()
            .map(|base| base.url_of(&routes::notice(&n.slug)));
        BoardView {
            summary: NoticeSummary::new(site, id),
            categories,
            contact: n
                .contact
                .as_ref()
                .or(n.unit.and_then(|u| site.config.unit(u).contact.as_ref()))
                .or(site.config.contact.as_ref())
                .map(ContactView::new),
            qr: url.as_deref().and_then(qr_svg),
            url,
        }
    }
}

/// `text` as a QR code in inline SVG, one unit a module, with its quiet
/// zone; medium error correction, so that a scuffed or wrinkled print
/// still reads. `None` for a text too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    // Inline in the page: no XML declaration, and a name for readers.
    let svg = svg.trim_start_matches(|c| c != '>').trim_start_matches('>');
    let label = format!("二维码：{}", escape(text));
    Some(svg.replacen(
        "<svg ",
        &format!("<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" "),
        1,
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::qr_svg;

    #[test]
    fn a_qr_code_is_inline_svg_with_a_name() {
        let svg = qr_svg("https://www.example.gov.cn/dwgk/notices/a/").unwrap();
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\""), "{svg}");
        assert!(svg.contains("aria-label=\"二维码：https://www.example.gov.cn/dwgk/notices/a/\""));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
    }
}
