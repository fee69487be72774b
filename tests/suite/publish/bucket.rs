//! Deploying to an S3 bucket, through the `gongkai` program as a user runs
//! it, with the keys in its environment, against a real S3 server
//! ([`Moto`]) on 127.0.0.1.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "moto.rs"]
mod moto;

use super::EDITED;
use crate::support::{SiteTest, text};
use gongkai::diagnostic::Code;
use moto::{Moto, free_port};

const SECRET: &str = "s3cr3t-never-shown";

/// Runs `gongkai ARGS --root SITE` with these keys (or none).
fn gongkai(site: &SiteTest, args: &[&str], keys: Option<(&str, &str)>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    command
        .args(args)
        .arg("--root")
        .arg(site.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null());
    if let Some((id, secret)) = keys {
        command
            .env("AWS_ACCESS_KEY_ID", id)
            .env("AWS_SECRET_ACCESS_KEY", secret);
    }
    let output = command.output().expect("run gongkai");
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(!all.contains(SECRET), "a secret was printed:\n{all}");
    output
}

fn deploy(site: &SiteTest, moto: &Moto, extra: &[&str]) -> Output {
    let endpoint = moto.endpoint();
    let mut args = vec![
        "deploy",
        "--to",
        "s3://dwgk/site",
        "--endpoint",
        &endpoint,
        "--yes",
    ];
    args.extend_from_slice(extra);
    gongkai(site, &args, Some(("testing", SECRET)))
}

fn verify(site: &SiteTest, moto: &Moto) -> Output {
    let endpoint = moto.endpoint();
    gongkai(
        site,
        &["verify", "s3://dwgk/site", "--endpoint", &endpoint],
        Some(("testing", SECRET)),
    )
}

/// N in `上传 N 个文件` of a deploy's last lines.
fn uploaded(output: &Output) -> usize {
    let out = text(&output.stdout);
    assert!(output.status.success(), "{out}{}", text(&output.stderr));
    let after = out.split("：上传 ").nth(1).expect("a report of the upload");
    after.split(' ').next().unwrap().parse().unwrap()
}

fn has_code(output: &Output, code: Code) -> bool {
    text(&output.stderr).contains(&format!("[{}]", code.as_str()))
}

#[test]
#[ignore = "needs moto_server (installed by .ci/run)"]
fn a_bucket_gets_the_site_then_only_what_an_edit_changed() {
    let moto = Moto::start(false);
    moto.create_bucket("dwgk");
    let site = SiteTest::basic();
    let first = uploaded(&deploy(&site, &moto, &[]));
    assert!(first > 20);

    let page = moto.request("GET", "/dwgk/site/index.html", None);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let style = moto.request("GET", "/dwgk/site/assets/gongkai.css", None);
    assert_eq!(
        style.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(style.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(
        moto.request("GET", "/dwgk/site/gongkai-manifest.json", None)
            .status,
        200
    );

    site.edit(EDITED, |t| t.replacen("。", "。补充一句说明。", 1));
    let again = deploy(&site, &moto, &[]);
    let out = text(&again.stdout);
    let changed: Vec<&str> = out
        .lines()
        .filter(|l| l.trim_start().starts_with("修改  "))
        .collect();
    assert!(out.contains("新增 0 个文件，修改"), "{out}");
    assert_eq!(uploaded(&again), changed.len());
    assert!(changed.len() < first / 2, "{out}");

    let intact = verify(&site, &moto);
    assert!(intact.status.success(), "{}", text(&intact.stdout));
    assert!(text(&intact.stdout).starts_with("核对一致"));

    moto.request("PUT", "/dwgk/site/index.html", Some("<p>已被篡改</p>"));
    moto.request("DELETE", "/dwgk/site/404.html", None);
    moto.request("PUT", "/dwgk/site/evil.html", Some("<p>多出</p>"));
    let tampered = verify(&site, &moto);
    assert_eq!(tampered.status.code(), Some(1));
    let report = text(&tampered.stdout);
    for line in ["改动  index.html", "缺少  404.html", "多出  evil.html"] {
        assert!(report.lines().any(|l| l == line), "{line}: {report}");
    }
}

#[test]
#[ignore = "needs moto_server (installed by .ci/run)"]
fn deletes_in_a_bucket_stop_at_the_limit_unless_forced() {
    let moto = Moto::start(false);
    moto.create_bucket("dwgk");
    let site = SiteTest::basic();
    uploaded(&deploy(&site, &moto, &[]));
    let page = "/dwgk/site/notices/2022-zuzhi-shenghuohui/index.html";
    site.remove(EDITED);
    let refused = deploy(&site, &moto, &["--max-deletes", "1"]);
    assert!(
        has_code(&refused, Code::DeployDeletes),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(
        moto.request("GET", page, None).status,
        200,
        "nothing deleted"
    );
    let forced = deploy(&site, &moto, &["--max-deletes", "1", "--force"]);
    uploaded(&forced);
    assert!(text(&forced.stdout).contains("删除  notices/2022-zuzhi-shenghuohui/index.html"));
    assert_eq!(moto.request("GET", page, None).status, 404);
    assert!(verify(&site, &moto).status.success());
}

#[test]
#[ignore = "needs moto_server (installed by .ci/run)"]
fn wrong_keys_are_refused_before_anything_is_written() {
    let moto = Moto::start(true);
    let site = SiteTest::basic();
    let refused = deploy(&site, &moto, &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        has_code(&refused, Code::DeployDenied),
        "{}",
        text(&refused.stderr)
    );
    assert!(text(&refused.stderr).contains("访问密钥不对"));
    assert!(!site.path().join("发布记录.csv").exists());
}

#[test]
fn an_unreachable_endpoint_is_a_clear_error_within_seconds() {
    let site = SiteTest::basic();
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let started = Instant::now();
    let output = gongkai(
        &site,
        &[
            "deploy",
            "--to",
            "s3://dwgk/site",
            "--endpoint",
            &endpoint,
            "--yes",
        ],
        Some(("testing", SECRET)),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        has_code(&output, Code::DeployUnreachable),
        "{}",
        text(&output.stderr)
    );
    assert!(text(&output.stderr).contains("连不上"));
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_bucket_without_keys_is_refused_with_where_to_put_them() {
    let site = SiteTest::basic();
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let output = gongkai(
        &site,
        &[
            "deploy",
            "--to",
            "s3://dwgk/site",
            "--endpoint",
            &endpoint,
            "--yes",
        ],
        None,
    );
    assert!(
        has_code(&output, Code::DeployDenied),
        "{}",
        text(&output.stderr)
    );
    assert!(text(&output.stderr).contains("AWS_ACCESS_KEY_ID"));
}
