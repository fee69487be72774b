//! Every output path and every URL of a site, made here and nowhere else.
//!
//! An output path is relative to the output folder and names a file:
//! `notices/<slug>/index.html`. Pages link to each other with relative
//! links that name the file (`../../notices/<slug>/index.html`), so that the
//! same output works at any sub-path of any host and from `file://`. Only
//! the feed, the sitemap and canonical links use absolute, pretty URLs
//! (`https://host/dwgk/notices/<slug>/`), and only when the site has a
//! [`BaseUrl`].

use std::fmt;

use url::Url;

/// The address a site is deployed at, parsed once. Always absolute
/// (`http` or `https` with a host), without query or fragment, and ending
/// with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

/// Why a text is not a base URL: the message, and how to write one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrlError {
    pub message: String,
    pub help: &'static str,
}

const BASE_URL_HELP: &str = "应以 http:// 或 https:// 开头并写明域名，末尾是网站所在的目录，例如 https://www.example.gov.cn/dwgk/";

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, BaseUrlError> {
        let fail = |why: &str| BaseUrlError {
            message: format!("base_url“{text}”{why}"),
            help: BASE_URL_HELP,
        };
        if text.contains(char::is_whitespace) {
            return Err(fail("里有空格"));
        }
        // The URL standard reads `https:///dwgk/` as the host `dwgk`: refuse
        // what the author cannot have meant instead of repairing it.
        let after_scheme = text.split_once("://").map_or("", |(_, rest)| rest);
        if after_scheme.is_empty() || after_scheme.starts_with('/') {
            return Err(fail("不是完整的网址"));
        }
        let mut url = Url::parse(text).map_err(|_| fail("不是完整的网址"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(fail("不是完整的网址"));
        }
        if url.query().is_some() {
            return Err(fail("带有查询参数（? 之后的部分）"));
        }
        if url.fragment().is_some() {
            return Err(fail("带有锚点（# 之后的部分）"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(fail("里有用户名或密码"));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(BaseUrl(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host, with its port when it has one: for the SiteDomain meta tag.
    pub fn domain(&self) -> String {
        let host = self.0.host_str().unwrap_or_default();
        match self.0.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    /// The path the site is mounted at: `/` or `/dwgk/`.
    pub fn path(&self) -> &str {
        self.0.path()
    }

    /// The pretty absolute URL of an output path:
    /// `notices/a/index.html` → `https://host/dwgk/notices/a/`.
    pub fn url_of(&self, path: &str) -> String {
        format!("{}{}", self.as_str(), pretty(path))
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `notices/a/index.html` → `notices/a/`; other files stay as they are.
pub fn pretty(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// The way back to the output root from a page: `""`, `../`, `../../`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The folders of a county's site at the top of the output, besides
/// [`SECTIONS`]: its units' columns and its rounds.
pub const COUNTY_SECTIONS: [&str; 2] = ["units", "rounds"];

/// The folders at the top of the output: every page but the home page
/// and `404.html` is in one of them (and the theme's files in `assets`).
/// The 404 page finds the site's root by them when it has no base URL.
pub const SECTIONS: [&str; 8] = [
    "notices",
    "archive",
    "categories",
    "organizations",
    "tags",
    "inspections",
    "search",
    "assets",
];

/// `base/index.html` for page 1, `base/page/N/index.html` after.
fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        format!("{base}/index.html")
    } else {
        format!("{base}/page/{page}/index.html")
    }
}

pub fn home() -> String {
    "index.html".into()
}

/// The list of all notices, page `page` (from 1).
pub fn notices(page: usize) -> String {
    paged("notices", page)
}

pub fn notice(slug: &str) -> String {
    format!("notices/{slug}/index.html")
}

/// A notice's Word copy, beside its page: `notices/<slug>/<slug>.docx`
/// (the file keeps a name that says which notice it is once downloaded).
pub fn notice_word(slug: &str) -> String {
    format!("notices/{slug}/{slug}.docx")
}

/// The notice-board sheet of a notice (公开栏版), to print and post.
pub fn board(slug: &str) -> String {
    format!("notices/{slug}/board.html")
}

/// The files made in the folder of notice `slug`'s page, by name: its
/// page, its notice-board sheet and, when the site makes them, its Word
/// copy. An attachment must not take one's place.
pub fn made_beside_notice(slug: &str, word_copies: bool) -> Vec<String> {
    let mut made = vec!["index.html".to_string(), "board.html".to_string()];
    if word_copies {
        made.extend(notice_word(slug).rsplit('/').next().map(str::to_string));
    }
    made
}

/// Where an attachment is published: beside its notice's page
/// (`notices/<slug>/清单.xlsx`), or where `static/` publishes it.
pub fn attachment(slug: &str, home: &crate::content::attachment::AttachmentHome) -> String {
    use crate::content::attachment::AttachmentHome;
    match home {
        AttachmentHome::Notice(name) => format!("notices/{slug}/{name}"),
        AttachmentHome::Static(path) => path.clone(),
    }
}

/// A path from the site root as a link: each segment percent-encoded
/// (`notices/a/整改清单.xlsx` → `notices/a/%E6%95%B4…`), so that a name
/// with spaces or `#` still names its file.
pub fn link_of(path: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    path.split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The anchor of a problem on its notice's page: `problem-7`.
pub fn problem_anchor(number: u32) -> String {
    format!("problem-{number}")
}

/// The ids the parts of a notice's page have (in the default theme), which
/// a heading of the notice's own text must not take.
pub fn notice_page_ids(categories: &[&str], problems: &[u32]) -> Vec<String> {
    let fixed = [
        "main",
        "header-q",
        "notice-title",
        "problems",
        "problems-title",
        "contact-title",
        "review-title",
        "revisions",
        "revisions-title",
        "series",
        "series-title",
        "attachments",
        "attachments-title",
    ];
    let mut ids: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    for key in categories {
        ids.push(format!("category-{key}"));
        ids.push(format!("category-{key}-title"));
    }
    for &n in problems {
        ids.push(problem_anchor(n));
        ids.push(format!("{}-title", problem_anchor(n)));
    }
    ids
}

/// A problem on its notice's page: `notices/<slug>/index.html#problem-7`.
pub fn problem(slug: &str, number: u32) -> String {
    format!("{}#{}", notice(slug), problem_anchor(number))
}

pub fn archive() -> String {
    "archive/index.html".into()
}

pub fn year(year: i16) -> String {
    format!("archive/{year}/index.html")
}

pub fn categories() -> String {
    "categories/index.html".into()
}

pub fn category(key: &str, page: usize) -> String {
    paged(&format!("categories/{key}"), page)
}

pub fn organizations() -> String {
    "organizations/index.html".into()
}

pub fn organization(slug: &str, page: usize) -> String {
    paged(&format!("organizations/{slug}"), page)
}

pub fn tags() -> String {
    "tags/index.html".into()
}

pub fn tag(slug: &str, page: usize) -> String {
    paged(&format!("tags/{slug}"), page)
}

/// The index of the inspection rounds' ledgers (整改台账).
pub fn inspections() -> String {
    "inspections/index.html".into()
}

/// The ledger of one inspection round.
pub fn inspection(slug: &str) -> String {
    format!("inspections/{slug}/index.html")
}

/// The anchor of a problem in its round's ledger: `item-3`, by its row.
pub fn ledger_anchor(row: usize) -> String {
    format!("item-{row}")
}

/// A problem in its round's ledger.
pub fn ledger_entry(slug: &str, row: usize) -> String {
    format!("{}#{}", inspection(slug), ledger_anchor(row))
}

/// The list of the county's units.
pub fn units() -> String {
    "units/index.html".into()
}

/// A unit's column, page `page` of its notices.
pub fn unit(slug: &str, page: usize) -> String {
    paged(&format!("units/{slug}"), page)
}

/// The list of a unit's ledgers, on its column's first page.
pub fn unit_ledgers(slug: &str) -> String {
    format!("{}#ledgers", unit(slug, 1))
}

/// The list of the county's inspection rounds.
pub fn county_rounds() -> String {
    "rounds/index.html".into()
}

/// One county round, across the units it inspected.
pub fn county_round(id: &str) -> String {
    format!("rounds/{id}/index.html")
}

pub fn not_found() -> String {
    "404.html".into()
}

pub fn search() -> String {
    "search/index.html".into()
}

/// The search index's first file, always loaded.
pub fn search_meta() -> String {
    "search/meta.js".into()
}

/// A shard of the search postings.
pub fn search_terms(shard: usize) -> String {
    format!("search/t/{shard}.js")
}

/// The search texts of one notice.
pub fn search_texts(notice: usize) -> String {
    format!("search/x/{notice}.js")
}

/// The dictionary the search texts are deflated against.
pub fn search_dictionary() -> String {
    "search/dict.js".into()
}

/// The folder of the search index, which the search page's script loads
/// its files from.
pub fn search_folder() -> String {
    "search/".into()
}

/// The paths of the site's sections and site-wide files, for templates:
/// they prefix each with `page.root` instead of spelling it themselves.
#[derive(Debug, Clone, serde::Serialize, Hash)]
pub struct SectionPaths {
    pub home: String,
    pub notices: String,
    pub archive: String,
    pub categories: String,
    pub organizations: String,
    pub tags: String,
    pub inspections: String,
    pub units: String,
    pub rounds: String,
    pub search: String,
    pub search_folder: String,
    pub search_meta: String,
    pub feed: &'static str,
    pub problems_json: &'static str,
    pub problems_csv: &'static str,
}

impl SectionPaths {
    pub fn new() -> SectionPaths {
        SectionPaths {
            home: home(),
            notices: notices(1),
            archive: archive(),
            categories: categories(),
            organizations: organizations(),
            tags: tags(),
            inspections: inspections(),
            units: units(),
            rounds: county_rounds(),
            search: search(),
            search_folder: search_folder(),
            search_meta: search_meta(),
            feed: FEED,
            problems_json: PROBLEMS_JSON,
            problems_csv: PROBLEMS_CSV,
        }
    }
}

impl Default for SectionPaths {
    fn default() -> SectionPaths {
        SectionPaths::new()
    }
}

pub const PROBLEMS_JSON: &str = "problems.json";
pub const PROBLEMS_CSV: &str = "problems.csv";
pub const INSPECTIONS_JSON: &str = "inspections.json";
pub const UNITS_JSON: &str = "units.json";
pub const ROUNDS_JSON: &str = "rounds.json";
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// A part of a sitemap too large for one file.
pub fn sitemap_part(index: usize) -> String {
    format!("sitemap-{}.xml", index + 1)
}

/// The file an author's site path names: `/notices/a/` → `notices/a/index.html`,
/// `/files/a.pdf` → `files/a.pdf`. `None` unless it starts with `/`.
pub fn file_of_site_path(site_path: &str) -> Option<String> {
    let rest = site_path.strip_prefix('/')?;
    Some(if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_string()
    })
}

/// The slug a site path names when it points at a notice page
/// (`/notices/<slug>/...`), and not at the lists under `/notices/page/`.
pub fn notice_slug_of_site_path(site_path: &str) -> Option<&str> {
    let slug = site_path.strip_prefix("/notices/")?.split('/').next()?;
    (!slug.is_empty() && !slug.contains('.') && slug != "page").then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_absolute_and_end_with_a_slash() {
        let b = BaseUrl::parse("https://www.example.gov.cn/dwgk").unwrap();
        assert_eq!(b.as_str(), "https://www.example.gov.cn/dwgk/");
        assert_eq!(b.path(), "/dwgk/");
        assert_eq!(b.domain(), "www.example.gov.cn");
        assert_eq!(
            b.url_of("notices/a/index.html"),
            "https://www.example.gov.cn/dwgk/notices/a/"
        );
        assert_eq!(b.url_of("index.html"), "https://www.example.gov.cn/dwgk/");
        assert_eq!(
            b.url_of("feed.xml"),
            "https://www.example.gov.cn/dwgk/feed.xml"
        );
        let root = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (root.as_str(), root.path()),
            ("http://127.0.0.1:8080/", "/")
        );
        assert_eq!(root.domain(), "127.0.0.1:8080");
    }

    #[test]
    fn what_is_not_a_base_url() {
        for bad in [
            "example.gov.cn",
            "/dwgk/",
            "ftp://example.gov.cn/",
            "https://",
            "https:///dwgk/",
            "https:example.gov.cn",
            "https://example.gov.cn/?from=rss",
            "https://example.gov.cn/#top",
            "https://a b.cn/",
            "https://user:pw@example.gov.cn/",
            "",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
        let e = BaseUrl::parse("https://example.gov.cn/?from=rss").unwrap_err();
        assert!(e.message.contains("查询参数"), "{}", e.message);
    }

    #[test]
    fn paths_name_files() {
        assert_eq!(notices(1), "notices/index.html");
        assert_eq!(notices(3), "notices/page/3/index.html");
        assert_eq!(category("policy", 2), "categories/policy/page/2/index.html");
        assert_eq!(problem("a", 7), "notices/a/index.html#problem-7");
        assert_eq!(ledger_entry("r", 3), "inspections/r/index.html#item-3");
        assert_eq!(root_of(&notice("a")), "../../");
        assert_eq!(notice_word("a"), "notices/a/a.docx");
        assert_eq!(made_beside_notice("a", true)[2], "a.docx");
        assert_eq!(made_beside_notice("a", false).len(), 2);
        assert_eq!(root_of("index.html"), "");
        assert_eq!(
            file_of_site_path("/notices/a/").as_deref(),
            Some("notices/a/index.html")
        );
        assert_eq!(file_of_site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            file_of_site_path("/files/a.pdf").as_deref(),
            Some("files/a.pdf")
        );
        assert_eq!(notice_slug_of_site_path("/notices/a/"), Some("a"));
        assert_eq!(notice_slug_of_site_path("/notices/page/2/"), None);
        assert_eq!(notice_slug_of_site_path("/notices/index.html"), None);
    }
}
