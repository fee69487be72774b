//! `problems.json` and `problems.csv`: every report of every problem,
//! with its identity across notices, so that counting the rows marked
//! latest counts each problem once.

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use std::ops::Range;

use super::{Pieces, json_parts, page_url, parts};
use crate::content::{Problem, Yuan, money};
use crate::model::{NoticeId, ProblemRef, Site};
use crate::routes;

/// A notice as open data, with its problems.
#[derive(Serialize, Hash)]
pub(super) struct NoticeData<'a> {
    slug: &'a str,
    title: &'a str,
    date: String,
    organization: &'a str,
    doc_number: Option<&'a str>,
    /// 索引号 and 成文日期, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    index_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    written: Option<String>,
    /// The unit (its slug), on a county's site.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    /// The notice page: pretty and absolute with a base URL, else relative.
    url: String,
    problems: Vec<ProblemData<'a>>,
    /// Its attachments (附件), when it has any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<AttachmentData<'a>>,
}

/// An attachment as open data.
#[derive(Serialize, Hash)]
struct AttachmentData<'a> {
    title: &'a str,
    /// The file: absolute with a base URL, else relative to the site root.
    url: String,
    /// `pdf`, `ofd`, `word`, `excel`, `image`…
    #[serde(rename = "type")]
    kind: &'static str,
    bytes: u64,
    /// Only pictures of pages (an image, a PDF without text).
    scan_only: bool,
}

/// One report of a problem: a problem of one notice.
#[derive(Serialize, Hash)]
struct ProblemData<'a> {
    /// The problem across notices: `<round>/<row>` for a problem of an
    /// inspection round (the same on each of its reports), else
    /// `<notice>/<number>`.
    id: String,
    /// The inspection round, as in `inspections.json`.
    round: Option<&'a str>,
    /// The county round its inspection is in, as in `rounds.json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    county_round: Option<&'a str>,
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
#[derive(Serialize, Hash)]
pub(super) struct StateData {
    /// completed, staged, in_progress, not_done; null without a result.
    state: Option<&'static str>,
    immediate: bool,
    long_term: bool,
}

impl StateData {
    pub(super) fn of(p: &Problem) -> StateData {
        StateData {
            state: p.status.map(|s| s.state.key()),
            immediate: p.status.is_some_and(|s| s.immediate),
            long_term: p.status.is_some_and(|s| s.long_term),
        }
    }
}

/// An amount as a JSON number of yuan: `50227`, `7230.3`.
pub(super) fn yuan<S: Serializer>(y: &Option<&Yuan>, s: S) -> Result<S::Ok, S::Error> {
    match y {
        None => s.serialize_none(),
        Some(y) => money::serialize_fen_as_yuan(&y.fen(), s),
    }
}

/// The problem's identity across notices (see [`ProblemData::id`]).
pub(super) fn problem_id(site: &Site, r: ProblemRef) -> String {
    match site.ledger.place(r) {
        Some((round, row)) => format!("{}/{}", site.ledger.rounds[round].slug, row + 1),
        None => format!("{}/{}", site.notice(r.notice).slug, site.problem(r).number),
    }
}

/// The notices of `range` as open data.
pub(super) fn open_data(site: &Site, range: Range<usize>) -> Vec<NoticeData<'_>> {
    let base = site.config.base_url.as_ref();
    let first = range.start;
    site.notices.raw[range]
        .par_iter()
        .enumerate()
        .map(|(ni, row)| (NoticeId::from(first + ni), &row.notice))
        .map(|(ni, n)| NoticeData {
            slug: &n.slug,
            title: &n.title,
            date: n.date.day.iso(),
            organization: &n.organization,
            doc_number: n.doc_number.as_deref(),
            index_number: n.index_number.as_deref(),
            written: n.written.map(|d| d.iso()),
            unit: n.unit.map(|u| site.config.unit(u).slug.as_str()),
            url: page_url(base, &routes::notice(&n.slug)),
            attachments: n
                .attachments
                .iter()
                .map(|a| AttachmentData {
                    title: &a.title,
                    url: page_url(
                        base,
                        &routes::link_of(&routes::attachment(&n.slug, &a.home)),
                    ),
                    kind: a.kind.key(),
                    bytes: a.bytes,
                    scan_only: a.scan_only,
                })
                .collect(),
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
                        county_round: site
                            .ledger
                            .place(r)
                            .and_then(|(round, _)| site.county.round_of[round])
                            .map(|(c, _)| site.config.county_round(c).id.as_str()),
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
pub(super) fn problems_json<'a>(
    site: &'a Site,
    pieces: &'a Pieces,
) -> Box<dyn Iterator<Item = Vec<u8>> + 'a> {
    #[derive(Serialize)]
    struct Export<'a> {
        site: &'a str,
        generator: String,
        notice_count: usize,
        /// Each problem once (reports of one problem count once).
        problem_count: usize,
        categories: &'a [crate::config::Category],
        /// Empty: [`json_parts`] adds the notices.
        notices: [(); 0],
    }
    let export = Export {
        site: &site.config.title,
        generator: format!("gongkai {}", env!("CARGO_PKG_VERSION")),
        notice_count: site.notices.len(),
        problem_count: site.tally.problems,
        categories: &site.config.categories,
        notices: [],
    };
    json_parts(&export, parts(site.notices.len(), pieces), |range| {
        pieces.notices(&open_data(site, range))
    })
}

/// UTF-8 with a byte-order mark, so that Excel opens it with the right
/// encoding; headers in Chinese for the people who open it there.
/// A county's site adds the unit, the county round and the 索引号.
pub(super) fn problems_csv<'a>(
    site: &'a Site,
    pieces: &'a Pieces,
) -> Box<dyn Iterator<Item = Vec<u8>> + 'a> {
    let county = site.config.is_county();
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
    const COUNTY: [&str; 3] = ["单位", "县巡察轮次", "索引号"];
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    let header = HEADER
        .iter()
        .chain(county.then_some(&COUNTY).into_iter().flatten());
    bytes.extend(csv_rows(|w| w.write_record(header)));
    // Each notice's rows are made in parallel, then copied into place.
    let parts = parts(site.notices.len(), pieces).map(move |range| {
        let data = open_data(site, range);
        let notices: Vec<(bool, &NoticeData)> = data.iter().map(|n| (county, n)).collect();
        let rows = pieces.rows(&notices, |(county, n)| notice_rows(n, *county));
        let mut part = Vec::with_capacity(rows.iter().map(|r| r.len()).sum());
        for r in rows {
            part.extend_from_slice(&r);
        }
        part
    });
    Box::new(std::iter::once(bytes).chain(parts))
}

/// The CSV rows of one notice's problems.
fn notice_rows(n: &NoticeData<'_>, county: bool) -> Vec<u8> {
    let yes_no = |b: bool| if b { "是" } else { "否" };
    csv_rows(|w| {
        for p in &n.problems {
            let recovered = p.recovered_yuan.map(|y| y.written()).unwrap_or("");
            let county_cells = [
                n.unit.unwrap_or(""),
                p.county_round.unwrap_or(""),
                n.index_number.unwrap_or(""),
            ];
            let cells = [
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
            ];
            let county_cells = county.then_some(county_cells);
            w.write_record(cells.iter().chain(county_cells.iter().flatten()))?;
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
