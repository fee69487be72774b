//! Files that are not pages: open data (`problems.json`, `problems.csv`,
//! `inspections.json`), and, when the site has a base URL, `feed.xml`,
//! `sitemap.xml` and `robots.txt` (unless the site has its own). The
//! feed and the sitemap are templates (`feed.xml`, `sitemap.xml`,
//! `sitemap_index.xml`) that a site may override like any page.
//!
//! - [`problems`]: every problem of every notice, as JSON and CSV;
//! - [`inspections`]: every round with each problem once and its history;
//! - [`county`]: a county's units and rounds (`units.json`, `rounds.json`);
//! - [`feeds`]: the Atom feed, the sitemap and `robots.txt`.

mod county;
mod feeds;
mod inspections;
mod pieces;
mod problems;

pub use pieces::Pieces;

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

use super::{Templates, write_error};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::Sink;
use crate::routes::{self, BaseUrl};

pub fn write_all(
    site: &Site,
    templates: &Templates,
    out: &dyn Sink,
    own_robots: bool,
    pieces: &Pieces,
) -> Result<(), Vec<Diagnostic>> {
    let write = |path: &str, bytes: &[u8], what: &str| {
        out.write(path, bytes, what)
            .map_err(|e| vec![write_error(e)])
    };
    // The large files are written a part at a time, never whole.
    let write_parts = |path: &str, mut parts: Box<dyn Iterator<Item = Vec<u8>> + '_>| {
        out.write_parts(path, &mut parts, "open data")
            .map_err(|e| vec![write_error(e)])
    };
    // Each file on its own: the large ones take as long as pages do.
    let open_data = || {
        let (json, csv) = rayon::join(
            || write_parts(routes::PROBLEMS_JSON, problems::problems_json(site, pieces)),
            || write_parts(routes::PROBLEMS_CSV, problems::problems_csv(site, pieces)),
        );
        json.and(csv)
    };
    let inspections = || {
        write_parts(
            routes::INSPECTIONS_JSON,
            inspections::inspections_json(site, pieces),
        )
    };
    let feeds = || -> Result<(), Vec<Diagnostic>> {
        let Some(base) = &site.config.base_url else {
            return Ok(());
        };
        let feed = templates
            .render("feed.xml", &feeds::feed(site, base))
            .map_err(|d| vec![d])?;
        write(routes::FEED, &feed, "feed")?;
        for (path, xml) in feeds::sitemaps(site, base, templates).map_err(|d| vec![d])? {
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
    let county = || -> Result<(), Vec<Diagnostic>> {
        if !site.config.is_county() {
            return Ok(());
        }
        let totals = site.county_totals();
        write(
            routes::UNITS_JSON,
            &county::units_json(site, &totals),
            "open data",
        )?;
        write(
            routes::ROUNDS_JSON,
            &county::rounds_json(site, &totals),
            "open data",
        )
    };
    let (a, (b, (c, d))) = rayon::join(open_data, || {
        rayon::join(inspections, || rayon::join(feeds, county))
    });
    a.and(b).and(c).and(d)
}

/// How many notices (or rounds) make one part of a large file.
const PART: usize = 1024;

/// The ranges of `count` items that make the parts of a large file:
/// [`PART`] items each, or all of them in one when `pieces` are kept
/// (`serve`, which holds every piece anyway, and keeps them by one call
/// over all items).
pub(super) fn parts(count: usize, pieces: &Pieces) -> impl Iterator<Item = Range<usize>> {
    let size = if pieces.keeps() { count.max(1) } else { PART };
    (0..count)
        .step_by(size)
        .map(move |start| start..(start + size).min(count))
}

/// A JSON file whose last field is a long list, in parts: `value` (with
/// that list empty) up to the list, then the list's items a part at a
/// time ([`parts`]), as `items` makes them for each range, then the end.
/// The same bytes as `value` with every item in the list.
pub(super) fn json_parts<'a, T: Serialize>(
    value: &T,
    ranges: impl Iterator<Item = Range<usize>> + 'a,
    items: impl Fn(Range<usize>) -> Vec<Arc<RawValue>> + 'a,
) -> Box<dyn Iterator<Item = Vec<u8>> + 'a> {
    let mut head = serde_json::to_vec(value).unwrap_or_default();
    // `…,"list":[]}` without its `]}`.
    head.truncate(head.len().saturating_sub(2));
    let body = ranges.map(move |range| {
        let first = range.start == 0;
        let pieces = items(range);
        let mut part = Vec::with_capacity(pieces.iter().map(|p| p.get().len() + 1).sum());
        for (i, piece) in pieces.iter().enumerate() {
            if !first || i > 0 {
                part.push(b',');
            }
            part.extend_from_slice(piece.get().as_bytes());
        }
        part
    });
    Box::new(
        std::iter::once(head)
            .chain(body)
            .chain(std::iter::once(b"]}\n".to_vec())),
    )
}

/// A page's address: pretty and absolute with a base URL, else relative.
pub(super) fn page_url(base: Option<&BaseUrl>, path: &str) -> String {
    match base {
        Some(base) => base.url_of(path),
        None => path.to_string(),
    }
}
