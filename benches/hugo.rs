//! gongkai against Hugo on the same notices, in paired runs.
//!
//!     apt-get install hugo                 # Debian's Hugo 0.111
//!     cargo bench --bench hugo             # 10,000 notices, 3 pairs
//!     cargo bench --bench hugo -- 1000 5   # other size, other number of pairs
//!
//! Makes the synthetic site (as `cargo bench --bench build` does), and a
//! Hugo site with the same pages: every notice with its problems (causes
//! and measures as Markdown), the notice list paginated by 20, a page per
//! category, organization and tag (paginated), the home page with the
//! latest notices, and the lists of categories, organizations and tags.
//! Hugo gets neither the search index, the ledgers nor the open data that
//! gongkai also writes. Then it runs the two builds alternately, each into
//! a new empty folder on the same disk, and prints the median wall time
//! and peak memory of each, and their ratio. The outputs are removed only
//! at the end: on ext4, files made just after many were deleted are
//! slow to create, which would penalise whichever build comes next.
//! `BENCH_OUT=/dev/shm` puts the outputs in memory, to compare the work
//! without the disk.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongkai::SiteConfig;
use gongkai::load::Notices;

// Its outputs are named here, not by `fresh_output`.
#[allow(dead_code)]
#[path = "support/measure.rs"]
mod measure;
#[path = "support/synth.rs"]
mod synth;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(10_000);
    let pairs = args.get(1).copied().unwrap_or(3);
    let hugo_version = Command::new("hugo")
        .arg("version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| panic!("Hugo is needed: apt-get install hugo"));

    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    let site = synth::ensure(&base, n);
    // Named after gongkai's site: `BENCH_SERIES=0` makes another one.
    let name = site
        .file_name()
        .map_or_else(|| n.to_string(), |f| f.to_string_lossy().into_owned());
    let hugo_site = base.join(format!("hugo-{name}"));
    let stamp = hugo_site.join(".generated");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(synth::VERSION) {
        eprintln!("writing the Hugo site in {} ...", hugo_site.display());
        hugo_from(&site, &hugo_site);
        fs::write(&stamp, synth::VERSION).expect("write the stamp");
    }

    let out_base = std::env::var_os("BENCH_OUT").map_or_else(|| base.clone(), PathBuf::from);
    let mut gongkai_runs = Vec::new();
    let mut hugo_runs = Vec::new();
    let mut outs = Vec::new();
    for pair in 0..pairs {
        let out = out_base.join(format!("out-{}-{pair}", std::process::id()));
        gongkai_runs.push(measure::build(&site, &out.join("gongkai")));
        let mut hugo = Command::new("hugo");
        hugo.arg("--quiet")
            .arg("--source")
            .arg(&hugo_site)
            .arg("--destination")
            .arg(out.join("hugo"));
        hugo_runs.push(measure::run(hugo));
        let pages = |dir: &str| count_html(&out.join(dir));
        eprintln!(
            "pair {}: gongkai {:.2} s ({} HTML pages), hugo {:.2} s ({} HTML pages)",
            pair + 1,
            gongkai_runs[pair].wall.as_secs_f64(),
            pages("gongkai"),
            hugo_runs[pair].wall.as_secs_f64(),
            pages("hugo"),
        );
        outs.push(out);
    }
    for out in outs {
        fs::remove_dir_all(&out).expect("remove the outputs");
    }
    let (g, h) = (measure::median(&gongkai_runs), measure::median(&hugo_runs));
    println!("{hugo_version}");
    println!("| notices | gongkai | peak memory | Hugo | peak memory | Hugo ÷ gongkai |");
    println!("|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {n} | {:.2} s | {:.0} MiB | {:.2} s | {:.0} MiB | {:.2}× |",
        g.wall.as_secs_f64(),
        g.peak_kib as f64 / 1024.0,
        h.wall.as_secs_f64(),
        h.peak_kib as f64 / 1024.0,
        h.wall.as_secs_f64() / g.wall.as_secs_f64()
    );
}

fn count_html(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count()
}

/// Hugo's configuration: the pages gongkai makes without a base URL, and
/// no feeds or sitemap.
const CONFIG: &str = "\
baseURL: /
title: 党务公开（合成测试站点）
languageCode: zh-CN
hasCJKLanguage: true
disableKinds: [RSS, sitemap, robotsTXT]
paginate: 20
taxonomies:
  category: categories
  organization: organizations
  tag: tags
markup:
  goldmark:
    renderer:
      unsafe: true
";

/// Templates that show what gongkai's default theme shows.
const LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">{{ .Site.Title }}</a><nav><a href="/notices/">全部通报</a> <a href="/categories/">问题分类</a> <a href="/organizations/">发布单位</a> <a href="/tags/">标签</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ range .Params.organizations }}<a href="{{ "organizations/" | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }} <time>{{ .Date.Format "2006年1月2日" }}</time> {{ .Params.doc_number }}</p>
{{ with .Params.inspection }}<dl><dt>巡察</dt><dd>{{ .group }} {{ .start }} {{ .end }}</dd></dl>{{ end }}
<div>{{ .Content }}</div>
<section><h2>整改问题清单</h2>
{{ range .Params.problems }}<article id="problem-{{ .number }}"><h4>{{ .number }} {{ .title }}</h4><p>{{ .category }}</p>
{{ with .cause }}<section><h5>原因分析</h5>{{ . | markdownify }}</section>{{ end }}
{{ with .measures }}<section><h5>整改情况</h5>{{ . | markdownify }}</section>{{ end }}
<section><h5>整改结果</h5><p>{{ .result }}</p></section></article>{{ end }}
</section>
<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</article>{{ end }}"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}
<ul>{{ range $p.Pages }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p><time>{{ .Date.Format "2006年1月2日" }}</time> {{ range .Params.organizations }}{{ . }}{{ end }}</p><p>{{ .Summary | plainify | truncate 120 }}</p><p>共 {{ len .Params.problems }} 个问题</p></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}"#,
    ),
    (
        "_default/terms.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }} 篇</li>{{ end }}</ul>{{ end }}"#,
    ),
    (
        "index.html",
        r#"{{ define "main" }}<h1>{{ .Site.Title }}</h1><p>{{ len .Site.RegularPages }} 篇通报</p>
<ul>{{ range first 10 .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006年1月2日" }}</time><p>{{ .Summary | plainify | truncate 120 }}</p></li>{{ end }}</ul>{{ end }}"#,
    ),
];

/// Writes the Hugo site of the notices of `site` into `dir`.
fn hugo_from(site: &Path, dir: &Path) {
    if dir.exists() {
        fs::remove_dir_all(dir).expect("empty the Hugo site");
    }
    let notices_dir = dir.join("content/notices");
    fs::create_dir_all(&notices_dir).expect("make the Hugo site");
    fs::write(dir.join("hugo.yaml"), CONFIG).expect("write hugo.yaml");
    fs::write(
        dir.join("content/notices/_index.md"),
        "---\ntitle: 全部通报\n---\n",
    )
    .expect("write the section");
    for (name, text) in LAYOUTS {
        let path = dir.join("layouts").join(name);
        fs::create_dir_all(path.parent().expect("a folder")).expect("make layouts");
        fs::write(path, text).expect("write a layout");
    }
    let config = SiteConfig::load(site).expect("the synthetic site's config");
    let notices = Notices::read_all(site, Some(&config)).into_valid();
    for n in &notices {
        let mut problems = Vec::new();
        for p in &n.problems {
            problems.push(serde_json::json!({
                "number": p.number,
                "category": config.category(p.category).key,
                "title": p.title,
                "cause": p.cause,
                "measures": p.measures,
                "result": p.result,
            }));
        }
        let mut categories: Vec<&str> = n
            .problems
            .iter()
            .map(|p| config.category(p.category).key.as_str())
            .collect();
        categories.dedup();
        let front = serde_json::json!({
            "title": n.title,
            "date": n.date.day.iso(),
            "doc_number": n.doc_number,
            "organizations": [n.organization],
            "tags": n.tags,
            "categories": categories,
            "inspection": n.inspection.as_ref().map(|i| serde_json::json!({
                "group": i.group,
                "start": i.start.map(|d| d.iso()),
                "end": i.end.map(|d| d.iso()),
            })),
            "problems": problems,
        });
        // JSON front matter, which Hugo reads as it is.
        let mut page = serde_json::to_string(&front).expect("front matter");
        page.push_str("\n\n");
        let _ = write!(page, "{}", n.text.body().replace("<!-- problems -->", ""));
        fs::write(notices_dir.join(format!("{}.md", n.slug)), page).expect("write a notice");
    }
}
