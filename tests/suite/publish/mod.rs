//! `gongkai deploy` and `gongkai verify`: a fixture site deployed to a
//! folder, a zip and (see [`bucket`]) a bucket; an edit, a redeploy, a
//! tampered target, and the mistakes a user makes. Everything here runs
//! with Rust alone: the site verified over HTTP is served in-process.

mod bucket;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::support::http::StaticServer;
use crate::support::*;
use gongkai::Diagnostics;
use gongkai::commands::build::build;
use gongkai::content::Day;
use gongkai::deploy::manifest::MANIFEST_FILE;
use gongkai::deploy::sync::{Control, Progress, Step};
use gongkai::deploy::verify::{Checked, VerifyOptions, verify_site};
use gongkai::deploy::{DeployOptions, Deployed, Outcome, deploy};
use gongkai::diagnostic::Code;
use gongkai::pipeline::Options;

/// The notice a redeploy changes.
const EDITED: &str = "content/notices/2022-zuzhi-shenghuohui.md";

/// A place outside the site to deploy to.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        Place {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn folder(&self) -> String {
        format!("folder:{}", self.path("usb").display())
    }
}

fn options(site: &SiteTest, to: &str) -> DeployOptions {
    let mut o = DeployOptions::new(site.path(), to);
    o.today = Day::parse("2026-01-01").unwrap();
    o
}

/// Deploys, saying yes, with `change` made to the options.
fn deploy_with(
    site: &SiteTest,
    to: &str,
    change: impl FnOnce(&mut DeployOptions),
) -> Result<Deployed, Diagnostics> {
    let mut o = options(site, to);
    change(&mut o);
    let stop = AtomicBool::new(false);
    let control = Control {
        stop: &stop,
        progress: &|_| {},
    };
    deploy(&o, &mut |_| true, &control)
}

fn deploy_ok(site: &SiteTest, to: &str) -> Deployed {
    deploy_with(site, to, |_| {}).unwrap_or_else(|e| panic!("deploy failed:\n{e}"))
}

fn codes(errors: &Diagnostics) -> Vec<Code> {
    errors.0.iter().map(|d| d.code).collect()
}

fn uploaded(deployed: &Deployed) -> usize {
    match &deployed.outcome {
        Outcome::Done { synced, .. } => synced.uploaded,
        other => panic!("not deployed: {other:?}"),
    }
}

fn verify(site: &SiteTest, target: &str) -> Checked {
    let options = VerifyOptions {
        root: site.path().to_path_buf(),
        target: Some(target.to_string()),
        ..VerifyOptions::default()
    };
    verify_site(&options).unwrap_or_else(|e| panic!("verify failed:\n{e}"))
}

/// A fresh build of the site (as published), into a new folder.
fn fresh_build(site: &SiteTest) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut o = Options::new(site.path());
    o.output = Some(out.path().join("public"));
    build(&o).unwrap();
    out
}

/// The deployed folder holds exactly a fresh build, and the manifest.
fn assert_mirror(site: &SiteTest, folder: &Path) {
    let built = fresh_build(site);
    let mut deployed = tree(folder);
    assert!(deployed.remove(MANIFEST_FILE).is_some(), "no manifest");
    let expected = tree(&built.path().join("public"));
    assert_eq!(
        deployed.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert!(&deployed[path] == bytes, "{path} differs");
    }
}

#[test]
fn a_first_deploy_mirrors_the_site_and_records_it() {
    let site = SiteTest::basic();
    let place = Place::new();
    let deployed = deploy_ok(&site, &place.folder());
    assert!(deployed.plan.first);
    assert_eq!(deployed.plan.added.len(), deployed.files);
    assert_eq!(uploaded(&deployed), deployed.files);
    assert_mirror(&site, &place.path("usb"));
    assert!(!site.public().exists(), "a deploy builds on its own");

    let log = site.read("发布记录.csv");
    let line = log.lines().nth(1).expect("one record");
    assert!(line.contains(&format!("folder:{}", place.path("usb").display())));
    assert!(
        line.contains(&format!("sha256:{}", deployed.digest)),
        "{line}"
    );
    assert!(line.contains("全站"));
    let checked = verify(&site, &place.folder());
    assert!(checked.verified.is_intact(), "{}", checked.verified);
    assert_eq!(
        checked.verified.record.unwrap().digest,
        format!("sha256:{}", deployed.digest)
    );

    let again = deploy_ok(&site, &place.folder());
    assert_eq!(again.outcome, Outcome::UpToDate);
    assert_eq!(
        site.read("发布记录.csv").lines().count(),
        2,
        "nothing done, nothing recorded"
    );
}

#[test]
fn a_redeploy_after_one_edit_uploads_only_what_changed() {
    let site = SiteTest::basic();
    let place = Place::new();
    let first = deploy_ok(&site, &place.folder());
    site.edit(EDITED, |t| t.replacen("。", "。补充一句说明。", 1));
    let second = deploy_ok(&site, &place.folder());
    let changed: Vec<String> = second.plan.changed.iter().map(|p| p.to_string()).collect();
    assert!(
        changed.contains(&"notices/2022-zuzhi-shenghuohui/index.html".to_string()),
        "{changed:?}"
    );
    assert!(second.plan.added.is_empty() && second.plan.removed.is_empty());
    assert_eq!(uploaded(&second), changed.len());
    assert!(
        changed.len() < first.files / 2,
        "{} of {}",
        changed.len(),
        first.files
    );
    assert_eq!(second.plan.unchanged + changed.len(), second.files);
    assert_mirror(&site, &place.path("usb"));
    assert_ne!(first.digest, second.digest);
    assert!(verify(&site, &place.folder()).verified.is_intact());
}

#[test]
fn deletes_stop_at_the_limit_unless_forced() {
    let site = SiteTest::basic();
    let place = Place::new();
    deploy_ok(&site, &place.folder());
    site.remove(EDITED);
    let refused = deploy_with(&site, &place.folder(), |o| o.max_deletes = Some(0)).unwrap_err();
    assert_eq!(codes(&refused), [Code::DeployDeletes]);
    assert!(
        place
            .path("usb/notices/2022-zuzhi-shenghuohui/index.html")
            .exists(),
        "nothing was deleted"
    );
    assert!(
        verify(&site, &place.folder()).verified.is_intact(),
        "nor changed"
    );

    let dry = deploy_with(&site, &place.folder(), |o| o.dry_run = true).unwrap();
    assert_eq!(dry.outcome, Outcome::DryRun);
    let removed: Vec<String> = dry.plan.removed.iter().map(|p| p.to_string()).collect();
    assert!(removed.contains(&"notices/2022-zuzhi-shenghuohui/index.html".to_string()));

    let forced = deploy_with(&site, &place.folder(), |o| {
        o.max_deletes = Some(0);
        o.force = true;
    })
    .unwrap();
    match forced.outcome {
        Outcome::Done { synced, .. } => assert_eq!(synced.deleted, removed.len()),
        other => panic!("{other:?}"),
    }
    assert!(!place.path("usb/notices/2022-zuzhi-shenghuohui").exists());
    assert_mirror(&site, &place.path("usb"));
}

/// Deploys, asking to stop (as Ctrl-C does) once `when` says so.
fn deploy_stopped(
    site: &SiteTest,
    to: &str,
    when: impl Fn(Progress) -> bool + Sync,
) -> Diagnostics {
    let stop = AtomicBool::new(false);
    let progress = |p: Progress| {
        if when(p) {
            stop.store(true, Ordering::SeqCst);
        }
    };
    let control = Control {
        stop: &stop,
        progress: &progress,
    };
    deploy(&options(site, to), &mut |_| true, &control).unwrap_err()
}

#[test]
fn a_deploy_cut_off_mid_way_leaves_whole_pages_and_is_finished_next_time() {
    let site = SiteTest::basic();
    let place = Place::new();
    deploy_ok(&site, &place.folder());
    site.edit(EDITED, |t| t.replacen("。", "。补充。", 1));
    site.write("static/files/new.txt", "新附件");
    let puts = AtomicUsize::new(0);
    let errors = deploy_stopped(&site, &place.folder(), |p| {
        p.step == Step::Upload && puts.fetch_add(1, Ordering::SeqCst) == 1
    });
    assert_eq!(codes(&errors), [Code::DeployInterrupted]);
    let usb = place.path("usb");
    assert!(usb.join("files/new.txt").exists(), "assets went first");
    assert!(broken_links(&usb).is_empty(), "{:?}", broken_links(&usb));
    let between = verify(&site, &place.folder()).verified;
    assert!(!between.is_intact(), "the manifest is still the old one");

    let finished = deploy_ok(&site, &place.folder());
    assert!(uploaded(&finished) > 0);
    assert_mirror(&site, &usb);
    assert!(verify(&site, &place.folder()).verified.is_intact());
}

#[test]
fn a_deploy_cut_off_before_its_deletes_deletes_them_next_time() {
    let site = SiteTest::basic();
    let place = Place::new();
    deploy_ok(&site, &place.folder());
    site.remove(EDITED);
    let errors = deploy_stopped(&site, &place.folder(), |p| p.step == Step::Manifest);
    assert_eq!(codes(&errors), [Code::DeployInterrupted]);
    let old_page = place.path("usb/notices/2022-zuzhi-shenghuohui/index.html");
    assert!(old_page.exists(), "stopped before deleting");

    let finished = deploy_ok(&site, &place.folder());
    assert!(
        finished
            .plan
            .removed
            .iter()
            .any(|p| p.as_str().starts_with("notices/2022-zuzhi"))
    );
    assert!(!old_page.exists());
    assert_mirror(&site, &place.path("usb"));
    assert!(verify(&site, &place.folder()).verified.is_intact());
}

#[test]
fn verify_names_a_tampered_a_missing_and_an_extra_file() {
    let site = SiteTest::basic();
    let place = Place::new();
    deploy_ok(&site, &place.folder());
    let usb = place.path("usb");
    write(&usb, "index.html", "<p>已被篡改</p>");
    std::fs::remove_file(usb.join("404.html")).unwrap();
    write(&usb, "notices/hack.html", "<p>多出来的</p>");
    let verified = verify(&site, &place.folder()).verified;
    assert!(!verified.is_intact());
    let names = |v: &[gongkai::deploy::manifest::SitePath]| {
        v.iter().map(|p| p.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(names(&verified.changed), ["index.html"]);
    assert_eq!(names(&verified.missing), ["404.html"]);
    assert_eq!(verified.extra, ["notices/hack.html"]);
    let report = verified.to_string();
    let first = report.lines().next().unwrap();
    assert!(
        first.starts_with("核对不一致") && first.contains("改动 1 个，缺少 1 个，多出 1 个"),
        "{first}"
    );
    assert!(
        report.contains("改动  index.html\n") && report.contains("多出  notices/hack.html\n"),
        "{report}"
    );
}

#[test]
fn verify_reads_a_site_over_http_and_catches_a_changed_manifest() {
    let site = SiteTest::basic();
    let place = Place::new();
    deploy_ok(&site, &place.folder());
    let usb = place.path("usb");
    let server = StaticServer::start(&usb, "/dwgk/");
    let url = format!("http://127.0.0.1:{}/dwgk/", server.port);
    let live = verify(&site, &url).verified;
    assert!(live.is_intact(), "{live}");
    assert!(!live.listed, "a web site cannot be listed");

    write(&usb, "notices/index.html", "<p>已被篡改</p>");
    std::fs::remove_file(usb.join("assets/gongkai.js")).unwrap();
    let tampered = verify(&site, &url).verified;
    assert_eq!(tampered.changed.len(), 1);
    assert_eq!(tampered.missing.len(), 1);
    assert!(!tampered.manifest_differs);

    // Someone who changes a file and the manifest with it is caught by the
    // digest the 发布记录 kept.
    let manifest = read(&usb, MANIFEST_FILE);
    let forged = manifest.replacen("\"size\": ", "\"size\": 1", 1);
    write(&usb, MANIFEST_FILE, &forged);
    let forged = verify(&site, &url).verified;
    assert!(forged.manifest_differs, "{forged}");
    assert!(forged.to_string().contains("清单与发布记录不符"));
}

#[test]
fn the_gate_refuses_a_draft_and_a_placeholder() {
    let place = Place::new();
    let drafted = SiteTest::basic().with_draft();
    let errors = deploy_with(&drafted, &place.folder(), |_| {}).unwrap_err();
    assert!(codes(&errors).contains(&Code::DeployGate), "{errors}");
    let placeholder = SiteTest::basic();
    placeholder.edit("site.yaml", |t| t.replace("0768-2100022", "0000-0000000"));
    let errors = deploy_with(&placeholder, &place.folder(), |_| {}).unwrap_err();
    assert!(codes(&errors).contains(&Code::Placeholder), "{errors}");
    assert!(codes(&errors).contains(&Code::DeployGate));
    assert!(!place.path("usb").exists(), "nothing was written");
    assert!(!drafted.path().join("发布记录.csv").exists());
}

#[test]
fn a_zip_is_flat_has_its_manifest_and_is_the_same_every_time() {
    let site = SiteTest::basic();
    let place = Place::new();
    let first = place.path("dwgk.zip");
    deploy_ok(&site, &format!("zip:{}", first.display()));
    let other = place.path("again.zip");
    deploy_ok(&site, &format!("zip:{}", other.display()));
    let bytes = std::fs::read(&first).unwrap();
    assert!(
        bytes == std::fs::read(&other).unwrap(),
        "two runs, two different archives"
    );
    let rewritten = deploy_ok(&site, &format!("zip:{}", first.display()));
    assert_eq!(
        rewritten.plan.unchanged, rewritten.files,
        "compared with the old archive"
    );
    assert!(
        bytes == std::fs::read(&first).unwrap(),
        "rewritten the same"
    );

    let archive = zip::ZipArchive::new(std::fs::File::open(&first).unwrap()).unwrap();
    let names: Vec<&str> = archive.file_names().collect();
    assert!(names.contains(&"index.html") && names.contains(&MANIFEST_FILE));
    assert!(
        names
            .iter()
            .all(|n| !n.split('/').any(|s| s.starts_with('.'))),
        "{names:?}"
    );
    assert_eq!(names.len(), rewritten.files + 1);
    let checked = verify(&site, &format!("zip:{}", first.display())).verified;
    assert!(checked.is_intact(), "{checked}");
}

#[test]
fn a_manifest_that_leads_out_of_the_target_is_refused() {
    let site = SiteTest::basic();
    let place = Place::new();
    deploy_ok(&site, &place.folder());
    write(&place.path(""), "outside.txt", "keep me");
    let usb = place.path("usb");
    let manifest = read(&usb, MANIFEST_FILE).replacen("\"404.html\"", "\"../outside.txt\"", 1);
    write(&usb, MANIFEST_FILE, &manifest);
    site.remove(EDITED);
    let errors = deploy_with(&site, &place.folder(), |_| {}).unwrap_err();
    assert_eq!(codes(&errors), [Code::DeployManifest]);
    assert_eq!(read(&place.path(""), "outside.txt"), "keep me");
    assert!(
        usb.join("notices/2022-zuzhi-shenghuohui/index.html")
            .exists()
    );
}

#[test]
fn mistakes_in_the_target_are_told_before_anything_is_built() {
    let site = SiteTest::basic();
    for (to, code) in [
        ("ftp://example.gov.cn/", Code::DeployTarget),
        ("s3://Bad_Name/x", Code::DeployTarget),
        ("https://www.example.gov.cn/", Code::DeployTarget),
        ("folder:content/x", Code::DeployFailed),
        (
            "folder:/nonexistent-usb-stick/dwgk",
            Code::DeployUnreachable,
        ),
    ] {
        let to = to.replace("content/", &format!("{}/content/", site.path().display()));
        let errors = deploy_with(&site, &to, |_| {}).unwrap_err();
        assert_eq!(codes(&errors), [code], "{to}: {errors}");
    }
    let errors = deploy_with(&site, "", |o| o.to = None).unwrap_err();
    assert_eq!(codes(&errors), [Code::DeployTarget]);
}

#[test]
fn the_target_can_be_set_in_site_yaml() {
    let site = SiteTest::basic();
    let place = Place::new();
    let to = place.folder();
    site.edit("site.yaml", |t| format!("{t}\ndeploy:\n  to: \"{to}\"\n"));
    let deployed = deploy_with(&site, "", |o| o.to = None).unwrap();
    assert_eq!(deployed.target, to);
    let checked = verify_site(&VerifyOptions {
        root: site.path().to_path_buf(),
        ..VerifyOptions::default()
    })
    .unwrap();
    assert!(checked.verified.is_intact());
}
