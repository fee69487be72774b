//! The Atom feed, the sitemap (split past 50,000 URLs) and `robots.txt`,
//! only for a site with a base URL: they need absolute addresses.

use serde::Serialize;

use super::super::{Templates, pages};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::routes::{self, BaseUrl};

/// How many notices the Atom feed carries.
const FEED_ENTRIES: usize = 20;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

/// Text for XML 1.0, which allows no control characters but tab and line
/// breaks (the template escapes the rest).
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// What `feed.xml` shows: the newest notices.
#[derive(Serialize)]
pub(super) struct Feed {
    /// The newest date of the entries (revisions count).
    updated: String,
    /// The issuing body of the site, or its title.
    author: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    published: String,
    updated: String,
    author: String,
    summary: String,
}

pub(super) fn feed(site: &Site, base: &BaseUrl) -> Feed {
    let entries: Vec<FeedEntry> = site
        .notices
        .iter()
        .take(FEED_ENTRIES)
        .map(|row| {
            let (n, html) = (&row.notice, &row.html);
            let revised = n
                .revisions
                .iter()
                .map(|r| r.date)
                .max()
                .filter(|d| *d > n.date.day)
                .map(crate::content::PublishDate::from_day);
            FeedEntry {
                title: xml_text(&n.title),
                url: base.url_of(&routes::notice(&n.slug)),
                published: n.date.rfc3339(),
                updated: revised.unwrap_or(n.date).rfc3339(),
                author: xml_text(&n.organization),
                summary: xml_text(&html.summary),
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00+08:00")
        .to_string();
    Feed {
        updated,
        author: xml_text(
            site.config
                .organization
                .as_deref()
                .unwrap_or(&site.config.title),
        ),
        entries,
    }
}

/// One address of the sitemap.
#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// `sitemap.xml`, or an index of `sitemap-N.xml` files past 50,000 URLs.
pub(super) fn sitemaps(
    site: &Site,
    base: &BaseUrl,
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let urls: Vec<SitemapUrl> = pages::all(site)
        .into_iter()
        // The board sheets print what their notices' pages say.
        .filter(|p| !matches!(p, pages::Page::NotFound | pages::Page::Board { .. }))
        .map(|p| SitemapUrl {
            loc: base.url_of(&p.path(site)),
            lastmod: match p {
                pages::Page::Notice { id } => Some(site.notice(id).updated().iso()),
                _ => None,
            },
        })
        .collect();
    #[derive(Serialize)]
    struct UrlSet<'a> {
        urls: &'a [SitemapUrl],
    }
    if urls.len() <= SITEMAP_URLS {
        let xml = templates.render("sitemap.xml", &UrlSet { urls: &urls })?;
        return Ok(vec![(routes::SITEMAP.to_string(), xml)]);
    }
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (i, chunk) in urls.chunks(SITEMAP_URLS).enumerate() {
        let path = routes::sitemap_part(i);
        parts.push(base.url_of(&path));
        files.push((
            path,
            templates.render("sitemap.xml", &UrlSet { urls: chunk })?,
        ));
    }
    #[derive(Serialize)]
    struct Index {
        sitemaps: Vec<String>,
    }
    let index = templates.render("sitemap_index.xml", &Index { sitemaps: parts })?;
    files.push((routes::SITEMAP.to_string(), index));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_drops_control_characters() {
        assert_eq!(xml_text("<a & \"b\">\u{1}\n"), "<a & \"b\">\n");
    }
}
