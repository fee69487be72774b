//! The built site works at a sub-path of a web server: crawl every page
//! from the home page and follow every link.

use std::collections::{BTreeSet, VecDeque};

use crate::support::http::{StaticServer, encode_path, get};
use crate::support::*;
use gongkai::commands::build::build;
use gongkai::pipeline::Options;

/// Resolves a link found on the page at `base` (a path like /dwgk/a/b.html).
fn resolve(base: &str, link: &str) -> Option<String> {
    let link = link.split('#').next()?.split('?').next()?;
    if link.is_empty()
        || link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("tel:")
    {
        return None;
    }
    let joined = if link.starts_with('/') {
        link.to_string()
    } else {
        format!("{}{link}", &base[..base.rfind('/')? + 1])
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn crawl(port: u16, start: &str) -> (BTreeSet<String>, Vec<String>) {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = VecDeque::from([start.to_string()]);
    let mut broken = Vec::new();
    while let Some(path) = queue.pop_front() {
        let response = get(port, &encode_path(&path));
        if response.status != 200 {
            broken.push(format!("{path}: {}", response.status));
            continue;
        }
        if !path.ends_with(".html") {
            continue;
        }
        let html = response.text();
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if let Some(next) = resolve(&path, &link)
                && seen.insert(next.clone())
            {
                queue.push_back(next);
            }
        }
    }
    (seen, broken)
}

#[test]
fn the_site_works_at_a_sub_path() {
    let site = SiteTest::basic();
    let mut options = Options::new(site.path());
    options.base_url = Some("https://www.example.gov.cn/dwgk/".into());
    build(&options).unwrap();
    let server = StaticServer::start(&site.path().join("public"), "/dwgk/");
    let (seen, broken) = crawl(server.port, "/dwgk/index.html");
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(seen.len() > 20, "{seen:#?}");
    for page in [
        "/dwgk/categories/team/index.html",
        "/dwgk/notices/xiangqiao-zhengxie-2021/index.html",
        "/dwgk/problems.csv",
        "/dwgk/assets/gongkai.css",
    ] {
        assert!(seen.contains(page), "{page} reached");
    }
    // A missing page gets the site's 404 page, whose links work from any depth.
    let missing = get(server.port, "/dwgk/no/such/page.html");
    assert_eq!(missing.status, 404);
    let (_, broken) = crawl(server.port, "/dwgk/404.html");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_site_works_without_a_base_url_at_any_path() {
    let site = SiteTest::basic();
    site.build();
    for mount in ["/", "/a/deeper/path/"] {
        let server = StaticServer::start(&site.path().join("public"), mount);
        let (seen, broken) = crawl(server.port, &format!("{mount}index.html"));
        assert!(broken.is_empty(), "{mount}: {broken:#?}");
        assert!(seen.len() > 20, "{seen:#?}");
    }
}
