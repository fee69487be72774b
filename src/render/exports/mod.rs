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
    // Each file on its own: the large ones take as long as pages do.
    let open_data = || {
        let data = problems::open_data(site);
        let (json, csv) = rayon::join(
            || {
                write(
                    routes::PROBLEMS_JSON,
                    &problems::problems_json(site, &data, pieces),
                    "open data",
                )
            },
            || {
                write(
                    routes::PROBLEMS_CSV,
                    &problems::problems_csv(&data, site.config.is_county(), pieces),
                    "open data",
                )
            },
        );
        json.and(csv)
    };
    let inspections = || {
        write(
            routes::INSPECTIONS_JSON,
            &inspections::inspections_json(site, pieces),
            "open data",
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

/// `value` as a JSON file. The large files are mostly `pieces`, copied
/// once into a buffer of about their size rather than into one grown
/// (and copied) again and again.
pub(super) fn json_file<T: Serialize>(value: &T, pieces: &[Arc<RawValue>]) -> Vec<u8> {
    // The pieces, their commas, and room for the rest of the file.
    let size: usize = pieces.iter().map(|p| p.get().len() + 1).sum();
    let mut bytes = Vec::with_capacity(size + 64 * 1024);
    let _ = serde_json::to_writer(&mut bytes, value);
    bytes.push(b'\n');
    bytes
}

/// A page's address: pretty and absolute with a base URL, else relative.
pub(super) fn page_url(base: Option<&BaseUrl>, path: &str) -> String {
    match base {
        Some(base) => base.url_of(path),
        None => path.to_string(),
    }
}
