//! A synthetic county: the notices of `synth` given to 300 units, with
//! 20 county rounds and a 索引号 each, as a county office's site would
//! hold them.
//!
//! Every notice is the one `synth` writes for the same `n`, with these
//! changes: its `organization` is its unit's name (the rounds of `synth`
//! are spread over the units), every other unit's notices are in the
//! unit's folder `content/<slug>/` rather than `content/notices/`, and it
//! has an `index_number`; one in three names its county round
//! (`inspection.round`), the others are placed by date. The county's
//! rounds are two a year over the years `synth` writes.
//!
//! `generate(dir, n, false)` writes the same notices with a `site.yaml`
//! that declares no units, rounds or 索引号 pattern (and without the
//! `inspection.round` lines, which need rounds): the same work without
//! the county, to measure what the county costs.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Units in the county.
pub const UNITS: usize = 300;
/// County rounds: two a year from 2016.
pub const ROUNDS: usize = 20;
/// Changes when the generated sites do.
const VERSION: &str = "county 1";

/// The county site and its twin without units, of `n` notices, under
/// `base`; generated unless there already.
pub fn ensure(base: &Path, n: usize) -> (PathBuf, PathBuf) {
    let pair = [true, false].map(|county| {
        let site = base.join(if county {
            format!("{n}-county")
        } else {
            format!("{n}-county-plain")
        });
        let stamp = site.join(".generated");
        if fs::read_to_string(&stamp).ok().as_deref() != Some(VERSION) {
            eprintln!("generating {n} notices in {} ...", site.display());
            generate(&site, n, county).expect("generate the synthetic county");
            fs::write(&stamp, VERSION).expect("write the stamp");
        }
        site
    });
    let [county, plain] = pair;
    (county, plain)
}

/// Writes the county of `n` notices into `dir`; with `county` false, the
/// same notices on a site that declares no units.
pub fn generate(dir: &Path, n: usize, county: bool) -> io::Result<()> {
    super::synth::generate(dir, n, true)?;
    let notices = dir.join("content/notices");
    let file = |i: usize| format!("n{i:06}.md");
    let texts = (0..n)
        .map(|i| fs::read_to_string(notices.join(file(i))))
        .collect::<io::Result<Vec<String>>>()?;
    let units: Vec<usize> = texts.iter().map(|t| unit_of(t)).collect();
    // Every other unit's notices in the unit's folder.
    let folder = |i: usize| match units[i] % 2 {
        0 => slug(units[i]),
        _ => "notices".to_string(),
    };
    for (i, text) in texts.iter().enumerate() {
        let mut text = into_unit(text, i, units[i], county);
        if i > 0 {
            // `synth` links each notice to the previous one by file name.
            let previous = file(i - 1);
            text = text.replace(
                &format!("]({previous})"),
                &format!("](../{}/{previous})", folder(i - 1)),
            );
        }
        let to = dir.join("content").join(folder(i));
        fs::create_dir_all(&to)?;
        if folder(i) != "notices" {
            fs::remove_file(notices.join(file(i)))?;
        }
        fs::write(to.join(file(i)), text)?;
    }
    fs::write(dir.join("site.yaml"), site_yaml(county))
}

/// The unit of a notice: one for each of `synth`'s rounds (organisation,
/// group and start), spread over the units.
fn unit_of(text: &str) -> usize {
    let key: String = text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("organization:") || l.starts_with("group:") || l.starts_with("start:")
        })
        .collect();
    key.bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
        % UNITS
}

fn slug(unit: usize) -> String {
    format!("u{unit:03}")
}

fn name(unit: usize) -> String {
    format!("中共某某县第{unit:03}局党组")
}

/// The notice with its unit's name and its 索引号, and on the county site
/// (one in three) the county round its inspection is in.
fn into_unit(text: &str, i: usize, unit: usize, county: bool) -> String {
    let mut out = String::with_capacity(text.len() + 128);
    let mut year = "2016";
    for line in text.lines() {
        if let Some(date) = line.strip_prefix("date: ") {
            year = date.get(..4).unwrap_or(year);
        }
        if line.starts_with("organization: ") {
            out.push_str(&format!("organization: {}\n", name(unit)));
            out.push_str(&format!(
                "index_number: {}/{year}-{:05}\n",
                code(unit),
                i + 1
            ));
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if let Some(start) = line.strip_prefix("  start: ")
            && county
            && i.is_multiple_of(3)
        {
            out.push_str(&format!("  round: {}\n", round_of(start)));
        }
    }
    out
}

fn code(unit: usize) -> String {
    format!("1144{unit:010}X")
}

/// The county round of an inspection starting on `start` (`2019-07-03`).
fn round_of(start: &str) -> String {
    let year: usize = start[..4].parse().unwrap_or(2016);
    let month: usize = start[5..7].parse().unwrap_or(1);
    format!("{year}-{}", if month <= 6 { 1 } else { 2 })
}

fn site_yaml(county: bool) -> String {
    let mut s = String::from(
        "title: 党务公开（合成的县）\norganization: 中共某某县委巡察工作领导小组办公室\ncontact:\n  phone: 0768-2100022\n  email: test@example.gov.cn\n",
    );
    if !county {
        return s;
    }
    s.push_str("units:\n");
    for unit in 0..UNITS {
        s.push_str(&format!(
            "  - slug: {}\n    name: {}\n    short: 第{unit:03}局\n    code: \"{}\"\n",
            slug(unit),
            name(unit),
            code(unit)
        ));
    }
    s.push_str("rounds:\n");
    for r in 0..ROUNDS {
        let (year, half) = (2016 + r / 2, r % 2 + 1);
        let (start, end) = if half == 1 {
            ("01-01", "06-30")
        } else {
            ("07-01", "12-31")
        };
        s.push_str(&format!(
            "  - id: {year}-{half}\n    name: 县委{year}年第{half}轮巡察\n    start: {year}-{start}\n    end: {year}-{end}\n"
        ));
    }
    s.push_str("index_number: \"{unit.code}/{year}-{seq:05}\"\n");
    s
}
