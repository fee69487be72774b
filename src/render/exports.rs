//! Files that are not pages: open data (`problems.json`, `problems.csv`),
//! and, when the site has a base URL, `feed.xml` and `sitemap.xml`. The
//! feed and the sitemap are templates (`feed.xml`, `sitemap.xml`,
//! `sitemap_index.xml`) that a site may override like any page.

use serde::Serialize;

use super::{Templates, pages, write_error};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::Sink;
use crate::routes::{self, BaseUrl};

/// How many notices the Atom feed carries.
const FEED_ENTRIES: usize = 20;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

/// Templates for the files that are not pages; the built-in theme has them.
pub const TEMPLATES: &[&str] = &["feed.xml", "sitemap.xml", "sitemap_index.xml"];

pub fn write_all(
    site: &Site,
    templates: &Templates,
    out: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let write = |path: &str, bytes: &[u8], what: &str| {
        out.write(path, bytes, what)
            .map_err(|e| vec![write_error(e)])
    };
    let data = open_data(site);
    write(
        routes::PROBLEMS_JSON,
        &problems_json(site, &data),
        "open data",
    )?;
    write(routes::PROBLEMS_CSV, &problems_csv(&data), "open data")?;
    if let Some(base) = &site.config.base_url {
        let feed = templates
            .render("feed.xml", &feed(site, base))
            .map_err(|d| vec![d])?;
        write(routes::FEED, &feed, "feed")?;
        for (path, xml) in sitemaps(site, base, templates).map_err(|d| vec![d])? {
            write(&path, &xml, "sitemap")?;
        }
    }
    Ok(())
}

/// A notice as open data, with its problems.
#[derive(Serialize)]
struct NoticeData<'a> {
    slug: &'a str,
    title: &'a str,
    date: String,
    organization: &'a str,
    doc_number: Option<&'a str>,
    /// The notice page: pretty and absolute with a base URL, else relative.
    url: String,
    problems: Vec<ProblemData<'a>>,
}

#[derive(Serialize)]
struct ProblemData<'a> {
    number: u32,
    /// `problem-7`: `url#anchor` links to the problem.
    anchor: String,
    category: &'a str,
    #[serde(skip)]
    category_name: &'a str,
    title: &'a str,
    result: Option<&'a str>,
    /// completed, staged, in_progress, not_done; null without a result.
    state: Option<&'static str>,
    immediate: bool,
    long_term: bool,
    recovered_yuan: Option<&'a str>,
}

fn open_data(site: &Site) -> Vec<NoticeData<'_>> {
    let base = site.config.base_url.as_ref();
    site.notices
        .iter()
        .map(|n| NoticeData {
            slug: &n.slug,
            title: &n.title,
            date: n.date.day.iso(),
            organization: &n.organization,
            doc_number: n.doc_number.as_deref(),
            url: page_url(base, &routes::notice(&n.slug)),
            problems: n
                .problems
                .iter()
                .map(|p| {
                    let category = site.config.category(p.category);
                    ProblemData {
                        number: p.number,
                        anchor: p.anchor(),
                        category: &category.key,
                        category_name: &category.name,
                        title: &p.title,
                        result: p.result.as_deref(),
                        state: p.status.map(|s| s.state.key()),
                        immediate: p.status.is_some_and(|s| s.immediate),
                        long_term: p.status.is_some_and(|s| s.long_term),
                        recovered_yuan: p.recovered.as_ref().map(|y| y.written()),
                    }
                })
                .collect(),
        })
        .collect()
}

/// `problems.json`: notices with their problems, without repeating the
/// notice on every problem; compact, since browsers and tools indent it.
fn problems_json(site: &Site, notices: &[NoticeData<'_>]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Export<'a> {
        site: &'a str,
        generator: String,
        notice_count: usize,
        problem_count: usize,
        categories: &'a [crate::config::Category],
        notices: &'a [NoticeData<'a>],
    }
    let export = Export {
        site: &site.config.title,
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        notice_count: site.notices.len(),
        problem_count: site.tally.problems,
        categories: &site.config.categories,
        notices,
    };
    let mut bytes = serde_json::to_vec(&export).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// A page's address: pretty and absolute with a base URL, else relative.
fn page_url(base: Option<&BaseUrl>, path: &str) -> String {
    match base {
        Some(base) => base.url_of(path),
        None => path.to_string(),
    }
}

/// UTF-8 with a byte-order mark, so that Excel opens it with the right
/// encoding; headers in Chinese for the people who open it there.
fn problems_csv(notices: &[NoticeData<'_>]) -> Vec<u8> {
    // Writing into memory cannot fail, so the results are not checked.
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut bytes);
        let header = [
            "通报",
            "发布日期",
            "发布单位",
            "文号",
            "问题编号",
            "问题类别",
            "问题",
            "整改结果",
            "整改状态",
            "立行立改",
            "长期推进",
            "追回金额（元）",
            "链接",
        ];
        let _ = w.write_record(header);
        let yes_no = |b: bool| if b { "是" } else { "否" };
        for n in notices {
            for p in &n.problems {
                let _ = w.write_record([
                    n.title,
                    &n.date,
                    n.organization,
                    n.doc_number.unwrap_or(""),
                    &p.number.to_string(),
                    p.category_name,
                    p.title,
                    p.result.unwrap_or(""),
                    p.state.map_or("未注明", state_label),
                    yes_no(p.immediate),
                    yes_no(p.long_term),
                    p.recovered_yuan.unwrap_or(""),
                    &format!("{}#{}", n.url, p.anchor),
                ]);
            }
        }
        let _ = w.flush();
    }
    bytes
}

fn state_label(key: &str) -> &'static str {
    crate::content::State::ALL
        .into_iter()
        .find(|s| s.key() == key)
        .map_or("未注明", |s| s.label())
}

/// Text for XML 1.0, which allows no control characters but tab and line
/// breaks (the template escapes the rest).
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|c| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// What `feed.xml` shows: the newest notices.
#[derive(Serialize)]
struct Feed {
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

fn feed(site: &Site, base: &BaseUrl) -> Feed {
    let entries: Vec<FeedEntry> = site
        .notices
        .iter()
        .zip(&site.html)
        .take(FEED_ENTRIES)
        .map(|(n, html)| {
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
fn sitemaps(
    site: &Site,
    base: &BaseUrl,
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let urls: Vec<SitemapUrl> = pages::all(site)
        .into_iter()
        .filter(|p| *p != pages::Page::NotFound)
        .map(|p| SitemapUrl {
            loc: base.url_of(&p.path(site)),
            lastmod: match p {
                pages::Page::Notice { index } => Some(site.notices[index].updated().iso()),
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
