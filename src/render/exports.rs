//! Files that are not pages: open data (`problems.json`, `problems.csv`,
//! `inspections.json`), and, when the site has a base URL, `feed.xml`,
//! `sitemap.xml` and `robots.txt` (unless the site has its own). The
//! feed and the sitemap are templates (`feed.xml`, `sitemap.xml`,
//! `sitemap_index.xml`) that a site may override like any page.

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use super::{Templates, pages, write_error};
use crate::content::{Problem, Tally, Yuan, money};
use crate::diagnostic::Diagnostic;
use crate::model::rounds::Standing;
use crate::model::{ProblemRef, Round, Site};
use crate::output::Sink;
use crate::routes::{self, BaseUrl};

/// How many notices the Atom feed carries.
const FEED_ENTRIES: usize = 20;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

pub fn write_all(
    site: &Site,
    templates: &Templates,
    out: &dyn Sink,
    own_robots: bool,
) -> Result<(), Vec<Diagnostic>> {
    let write = |path: &str, bytes: &[u8], what: &str| {
        out.write(path, bytes, what)
            .map_err(|e| vec![write_error(e)])
    };
    // Each file on its own: the large ones take as long as pages do.
    let open_data = || {
        let data = open_data(site);
        let (json, csv) = rayon::join(
            || {
                write(
                    routes::PROBLEMS_JSON,
                    &problems_json(site, &data),
                    "open data",
                )
            },
            || write(routes::PROBLEMS_CSV, &problems_csv(&data), "open data"),
        );
        json.and(csv)
    };
    let inspections = || {
        write(
            routes::INSPECTIONS_JSON,
            &inspections_json(site),
            "open data",
        )
    };
    let feeds = || -> Result<(), Vec<Diagnostic>> {
        let Some(base) = &site.config.base_url else {
            return Ok(());
        };
        let feed = templates
            .render("feed.xml", &feed(site, base))
            .map_err(|d| vec![d])?;
        write(routes::FEED, &feed, "feed")?;
        for (path, xml) in sitemaps(site, base, templates).map_err(|d| vec![d])? {
            write(&path, &xml, "sitemap")?;
        }
        if !own_robots {
            let robots = format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                base.url_of(routes::SITEMAP)
            );
            write(routes::ROBOTS, robots.as_bytes(), "robots.txt")?;
        }
        Ok(())
    };
    let (a, (b, c)) = rayon::join(open_data, || rayon::join(inspections, feeds));
    a.and(b).and(c)
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

/// One report of a problem: a problem of one notice.
#[derive(Serialize)]
struct ProblemData<'a> {
    /// The problem across notices: `<round>/<row>` for a problem of an
    /// inspection round (the same on each of its reports), else
    /// `<notice>/<number>`.
    id: String,
    /// The inspection round, as in `inspections.json`.
    round: Option<&'a str>,
    number: u32,
    /// `problem-7`: `url#anchor` links to the problem.
    anchor: String,
    category: &'a str,
    #[serde(skip)]
    category_name: &'a str,
    title: &'a str,
    result: Option<&'a str>,
    #[serde(flatten)]
    state: StateData,
    /// As written: `2023年12月底前`.
    deadline: Option<&'a str>,
    /// The day it means, if it names one.
    deadline_date: Option<String>,
    #[serde(serialize_with = "yuan")]
    recovered_yuan: Option<&'a Yuan>,
    /// Whether this is the problem's newest report (a later notice may
    /// report it again): count only these to count each problem once.
    latest: bool,
}

/// Where a report says the rectification stands.
#[derive(Serialize)]
struct StateData {
    /// completed, staged, in_progress, not_done; null without a result.
    state: Option<&'static str>,
    immediate: bool,
    long_term: bool,
}

impl StateData {
    fn of(p: &Problem) -> StateData {
        StateData {
            state: p.status.map(|s| s.state.key()),
            immediate: p.status.is_some_and(|s| s.immediate),
            long_term: p.status.is_some_and(|s| s.long_term),
        }
    }
}

/// An amount as a JSON number of yuan: `50227`, `7230.3`.
fn yuan<S: Serializer>(y: &Option<&Yuan>, s: S) -> Result<S::Ok, S::Error> {
    match y {
        None => s.serialize_none(),
        Some(y) => money::serialize_fen_as_yuan(&y.fen(), s),
    }
}

/// The problem's identity across notices (see [`ProblemData::id`]).
fn problem_id(site: &Site, r: ProblemRef) -> String {
    match site.ledger.place(r) {
        Some((round, row)) => format!("{}/{}", site.ledger.rounds[round].slug, row + 1),
        None => format!("{}/{}", site.notices[r.notice].slug, site.problem(r).number),
    }
}

fn open_data(site: &Site) -> Vec<NoticeData<'_>> {
    let base = site.config.base_url.as_ref();
    site.notices
        .par_iter()
        .enumerate()
        .map(|(ni, n)| NoticeData {
            slug: &n.slug,
            title: &n.title,
            date: n.date.day.iso(),
            organization: &n.organization,
            doc_number: n.doc_number.as_deref(),
            url: page_url(base, &routes::notice(&n.slug)),
            problems: n
                .problems
                .iter()
                .enumerate()
                .map(|(pi, p)| {
                    let category = site.config.category(p.category);
                    let r = ProblemRef {
                        notice: ni,
                        problem: pi,
                    };
                    ProblemData {
                        id: problem_id(site, r),
                        round: site.ledger.entry(r).map(|(round, _)| round.slug.as_str()),
                        number: p.number,
                        anchor: routes::problem_anchor(p.number),
                        category: &category.key,
                        category_name: &category.name,
                        title: &p.title,
                        result: p.result.as_deref(),
                        state: StateData::of(p),
                        deadline: p.deadline.as_ref().map(|d| d.written.as_str()),
                        deadline_date: p.deadline.as_ref().and_then(|d| d.day()).map(|d| d.iso()),
                        recovered_yuan: p.recovered.as_ref(),
                        latest: site.ledger.is_latest(r),
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
        /// Each problem once (reports of one problem count once).
        problem_count: usize,
        categories: &'a [crate::config::Category],
        notices: Vec<Box<RawValue>>,
    }
    let export = Export {
        site: &site.config.title,
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        notice_count: site.notices.len(),
        problem_count: site.tally.problems,
        categories: &site.config.categories,
        notices: json_pieces(notices),
    };
    json_file(&export, &export.notices)
}

/// Each of `items` as JSON, made in parallel, to be placed as it is in a
/// larger document by [`json_file`]. (Plain structures cannot fail to
/// serialize; if one did, the list would be empty, never short.)
fn json_pieces<T: Serialize + Sync>(items: &[T]) -> Vec<Box<RawValue>> {
    items
        .par_iter()
        .map(serde_json::value::to_raw_value)
        .collect::<Result<_, _>>()
        .unwrap_or_default()
}

/// `value` as a JSON file. The large files are mostly `pieces`, copied
/// once into a buffer of about their size rather than into one grown
/// (and copied) again and again.
fn json_file<T: Serialize>(value: &T, pieces: &[Box<RawValue>]) -> Vec<u8> {
    // The pieces, their commas, and room for the rest of the file.
    let size: usize = pieces.iter().map(|p| p.get().len() + 1).sum();
    let mut bytes = Vec::with_capacity(size + 64 * 1024);
    let _ = serde_json::to_writer(&mut bytes, value);
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
    const HEADER: [&str; 18] = [
        "问题标识",
        "巡察轮次",
        "是否最新",
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
        "整改时限",
        "整改时限日期",
        "链接",
    ];
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(csv_rows(|w| w.write_record(HEADER)));
    // Each notice's rows are made in parallel, then copied into place.
    let rows: Vec<Vec<u8>> = notices.par_iter().map(notice_rows).collect();
    bytes.reserve_exact(rows.iter().map(Vec::len).sum());
    for r in rows {
        bytes.extend_from_slice(&r);
    }
    bytes
}

/// The CSV rows of one notice's problems.
fn notice_rows(n: &NoticeData<'_>) -> Vec<u8> {
    let yes_no = |b: bool| if b { "是" } else { "否" };
    csv_rows(|w| {
        for p in &n.problems {
            let recovered = p.recovered_yuan.map(|y| y.written()).unwrap_or("");
            w.write_record([
                p.id.as_str(),
                p.round.unwrap_or(""),
                yes_no(p.latest),
                n.title,
                &n.date,
                n.organization,
                n.doc_number.unwrap_or(""),
                &p.number.to_string(),
                p.category_name,
                p.title,
                p.result.unwrap_or(""),
                p.state.state.map_or("未注明", state_label),
                yes_no(p.state.immediate),
                yes_no(p.state.long_term),
                recovered,
                p.deadline.unwrap_or(""),
                p.deadline_date.as_deref().unwrap_or(""),
                &format!("{}#{}", n.url, p.anchor),
            ])?;
        }
        Ok(())
    })
}

/// What `write` writes, as CSV. Writing into memory cannot fail, so
/// the result is not checked.
fn csv_rows(write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = write(&mut w);
    w.into_inner().unwrap_or_default()
}

fn state_label(key: &str) -> &'static str {
    crate::content::State::ALL
        .into_iter()
        .find(|s| s.key() == key)
        .map_or("未注明", |s| s.label())
}

/// `inspections.json`: each inspection round, its figures (each problem
/// once) and each problem's history across the round's notices.
fn inspections_json(site: &Site) -> Vec<u8> {
    #[derive(Serialize)]
    struct Export<'a> {
        site: &'a str,
        generator: String,
        inspections: Vec<Box<RawValue>>,
    }
    let rounds: Vec<RoundData> = site
        .ledger
        .rounds
        .par_iter()
        .map(|r| RoundData::new(site, r))
        .collect();
    let export = Export {
        site: &site.config.title,
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        inspections: json_pieces(&rounds),
    };
    json_file(&export, &export.inspections)
}

#[derive(Serialize)]
struct RoundData<'a> {
    id: &'a str,
    /// The round's ledger page.
    url: String,
    organization: &'a str,
    /// 巡察 or 巡视
    kind: &'static str,
    group: Option<&'a str>,
    start: Option<String>,
    end: Option<String>,
    feedback: Option<String>,
    /// The date of its newest notice: what the figures are as of.
    as_of: String,
    /// Its notices' slugs, oldest first.
    notices: Vec<&'a str>,
    /// Each problem once, at its latest report.
    tally: &'a Tally,
    /// Past deadline and not complete, as of `as_of`.
    overdue: usize,
    problems: Vec<EntryData<'a>>,
}

/// One problem of a round: where it stands, and every report of it.
#[derive(Serialize)]
struct EntryData<'a> {
    /// As `id` in `problems.json`.
    id: String,
    title: &'a str,
    category: &'a str,
    #[serde(flatten)]
    state: StateData,
    deadline: Option<&'a str>,
    deadline_date: Option<String>,
    overdue: bool,
    /// As last stated.
    #[serde(serialize_with = "yuan")]
    recovered_yuan: Option<&'a Yuan>,
    history: Vec<ReportData<'a>>,
}

#[derive(Serialize)]
struct ReportData<'a> {
    notice: &'a str,
    date: String,
    number: u32,
    /// Only when this report words the title otherwise than the latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    result: Option<&'a str>,
    #[serde(flatten)]
    state: StateData,
    /// The problem on its notice's page.
    url: String,
}

impl<'a> RoundData<'a> {
    fn new(site: &'a Site, round: &'a Round) -> RoundData<'a> {
        let base = site.config.base_url.as_ref();
        let i = &round.inspection;
        RoundData {
            id: &round.slug,
            url: page_url(base, &routes::inspection(&round.slug)),
            organization: &round.organization,
            kind: round.kind.label(),
            group: i.group.as_deref(),
            start: i.start.map(|d| d.iso()),
            end: i.end.map(|d| d.iso()),
            feedback: i.feedback.map(|d| d.iso()),
            as_of: round.as_of.iso(),
            notices: round
                .notices
                .iter()
                .map(|&n| site.notices[n].slug.as_str())
                .collect(),
            tally: &round.tally,
            overdue: round.overdue,
            problems: round
                .entries
                .iter()
                .enumerate()
                .map(|(row, e)| {
                    let s = Standing::of(&site.notices, e);
                    EntryData {
                        id: format!("{}/{}", round.slug, row + 1),
                        title: &s.problem.title,
                        category: &site.config.category(s.problem.category).key,
                        state: StateData::of(s.problem),
                        deadline: s.deadline.map(|d| d.written.as_str()),
                        deadline_date: s.deadline.and_then(|d| d.day()).map(|d| d.iso()),
                        overdue: s.is_overdue(round.as_of),
                        recovered_yuan: s.recovered,
                        history: e
                            .reports
                            .iter()
                            .map(|&r| {
                                let n = &site.notices[r.notice];
                                let p = site.problem(r);
                                ReportData {
                                    notice: &n.slug,
                                    date: n.date.day.iso(),
                                    number: p.number,
                                    title: (p.title != s.problem.title).then_some(p.title.as_str()),
                                    result: p.result.as_deref(),
                                    state: StateData::of(p),
                                    url: format!(
                                        "{}#{}",
                                        page_url(base, &routes::notice(&n.slug)),
                                        routes::problem_anchor(p.number)
                                    ),
                                }
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
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
