//! Files that are not pages: open data (`problems.json`, `problems.csv`),
//! and, when the site has a base URL, `feed.xml` and `sitemap.xml`.

use serde::Serialize;

use super::pages;
use super::view::notice_path;
use crate::output::{Sink, WriteError};
use crate::site::Site;

/// How many notices the Atom feed carries.
const FEED_ENTRIES: usize = 20;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

pub fn write_all(site: &Site, out: &dyn Sink) -> Result<(), WriteError> {
    let data = open_data(site);
    out.write("problems.json", &problems_json(site, &data), "open data")?;
    out.write("problems.csv", &problems_csv(&data), "open data")?;
    if let Some(base) = site.config.base_url() {
        out.write("feed.xml", feed(site, &base).as_bytes(), "feed")?;
        for (name, xml) in sitemaps(site, &base) {
            out.write(&name, xml.as_bytes(), "sitemap")?;
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
    let base = site.config.base_url();
    site.notices
        .iter()
        .map(|n| NoticeData {
            slug: &n.slug,
            title: &n.title,
            date: n.date.day.iso(),
            organization: &n.organization,
            doc_number: n.doc_number.as_deref(),
            url: page_url(base.as_deref(), &notice_path(&n.slug)),
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
fn page_url(base: Option<&str>, path: &str) -> String {
    match base {
        Some(base) => url(base, path),
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

/// Escapes text for XML.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Pretty URL of a page: `https://x/dwgk/notices/slug/`.
fn url(base: &str, path: &str) -> String {
    format!("{base}{}", path.strip_suffix("index.html").unwrap_or(path))
}

fn feed(site: &Site, base: &str) -> String {
    let updated = site
        .notices
        .iter()
        .map(|n| n.date)
        .max_by_key(|d| d.instant)
        .map_or_else(|| "1970-01-01T00:00:00+08:00".to_string(), |d| d.rfc3339());
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&site.config.language)
    ));
    s.push_str(&format!("  <title>{}</title>\n", xml(&site.config.title)));
    if let Some(d) = &site.config.description {
        s.push_str(&format!("  <subtitle>{}</subtitle>\n", xml(d)));
    }
    s.push_str(&format!(
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        xml(base)
    ));
    s.push_str(&format!(
        "  <link href=\"{}feed.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        xml(base)
    ));
    s.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        xml(base)
    ));
    s.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(site
            .config
            .organization
            .as_deref()
            .unwrap_or(&site.config.title))
    ));
    s.push_str(&format!(
        "  <generator>gongkai {}</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    for (i, n) in site.notices.iter().take(FEED_ENTRIES).enumerate() {
        let link = url(base, &notice_path(&n.slug));
        let updated = n
            .revisions
            .iter()
            .map(|r| r.date)
            .max()
            .filter(|d| *d > n.date.day);
        let updated = updated.map_or_else(
            || n.date.rfc3339(),
            |d| crate::content::PublishDate::from_day(d).rfc3339(),
        );
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", xml(&n.title)));
        s.push_str(&format!(
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
            xml(&link)
        ));
        s.push_str(&format!("    <id>{}</id>\n", xml(&link)));
        s.push_str(&format!(
            "    <published>{}</published>\n",
            n.date.rfc3339()
        ));
        s.push_str(&format!("    <updated>{updated}</updated>\n"));
        s.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            xml(&n.organization)
        ));
        s.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml(&site.html[i].summary)
        ));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// `sitemap.xml`, or an index of `sitemap-N.xml` files past 50,000 URLs.
fn sitemaps(site: &Site, base: &str) -> Vec<(String, String)> {
    let entries: Vec<(String, Option<String>)> = pages::all(site)
        .into_iter()
        .filter(|p| *p != pages::Page::NotFound)
        .map(|p| {
            let lastmod = match p {
                pages::Page::Notice { index } => Some(site.notices[index].updated().iso()),
                _ => None,
            };
            (url(base, &p.path(site)), lastmod)
        })
        .collect();
    let urlset = |chunk: &[(String, Option<String>)]| {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (loc, lastmod) in chunk {
            s.push_str(&format!("  <url><loc>{}</loc>", xml(loc)));
            if let Some(m) = lastmod {
                s.push_str(&format!("<lastmod>{m}</lastmod>"));
            }
            s.push_str("</url>\n");
        }
        s.push_str("</urlset>\n");
        s
    };
    if entries.len() <= SITEMAP_URLS {
        return vec![("sitemap.xml".into(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in entries.chunks(SITEMAP_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml(&format!("{base}{name}"))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_and_drops_control_characters() {
        assert_eq!(xml("<a & \"b\">\u{1}"), "&lt;a &amp; &quot;b&quot;&gt;");
    }

    #[test]
    fn urls_are_pretty() {
        assert_eq!(
            url("https://x.cn/dwgk/", "notices/a/index.html"),
            "https://x.cn/dwgk/notices/a/"
        );
        assert_eq!(url("https://x.cn/", "index.html"), "https://x.cn/");
    }
}
