//! Deploy speed against a local S3 server, on a synthetic site.
//!
//!     cargo bench --bench deploy            # 10,000 notices
//!     cargo bench --bench deploy -- 1000    # another size
//!
//! Starts moto's S3 server (`pip install 'moto[server]'`; `.ci/run`
//! installs it) on 127.0.0.1, then runs the release `gongkai` as a user
//! would, each run as a child process: `check --strict` alone (the gate)
//! and `build` alone, for comparison, then the first deploy into an empty bucket, a redeploy
//! after one notice was changed, and a redeploy with nothing changed. It
//! prints the wall time of each and how many files went up.
//!
//! The site is the generator's without inspection rounds (as with
//! `BENCH_SERIES=0`): its rounds with series give `check` warnings on
//! purpose (renumbered problems, status going backwards), and a deploy
//! refuses a site that `check --strict` does not pass.

#[path = "support/synth.rs"]
mod synth;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    // SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("BENCH_SERIES", "0") };
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    let site = synth::ensure(&base, n);
    let log = site.join("发布记录.csv");
    let _ = std::fs::remove_file(&log);
    let server = Moto::start();
    server.create_bucket("bench");
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    let deploy = || {
        gongkai(
            &site,
            &[
                "deploy",
                "--to",
                "s3://bench/site",
                "--endpoint",
                &endpoint,
                "--yes",
                "--verbose",
            ],
        )
    };

    let (check, _) = gongkai(&site, &["check", "--strict"]);
    let scratch = site.join(format!("public-deploy-bench-{}", std::process::id()));
    let scratch_arg = scratch.to_string_lossy().into_owned();
    let (build, _) = gongkai(&site, &["build", "--output", &scratch_arg]);
    let _ = std::fs::remove_dir_all(&scratch);
    let (first, first_out) = deploy();
    let edit = Edit::new(&site);
    let (second, second_out) = deploy();
    drop(edit);
    let (restored, restored_out) = deploy();
    let (idle, idle_out) = deploy();
    let _ = std::fs::remove_file(&log);

    println!("| {n} notices | wall time | files uploaded |");
    println!("|---|---:|---:|");
    println!(
        "| check --strict (the gate alone) | {:.2} s | |",
        check.as_secs_f64()
    );
    println!(
        "| build into a new folder (for comparison) | {:.2} s | |",
        build.as_secs_f64()
    );
    let row = |what: &str, time: Duration, out: &str| {
        println!(
            "| {what} | {:.2} s | {} |",
            time.as_secs_f64(),
            uploaded(out)
        );
    };
    row("first deploy, empty bucket", first, &first_out);
    row("redeploy, one notice changed", second, &second_out);
    row("redeploy, the change undone", restored, &restored_out);
    row("redeploy, nothing changed", idle, &idle_out);
    println!("\nredeploy, one notice changed, step by step (gongkai deploy --verbose):");
    for line in second_out.lines().filter(|l| l.contains(" 秒  ")) {
        println!("{line}");
    }
    let files = uploaded(&first_out).parse::<f64>().unwrap_or(0.0);
    println!(
        "\nfirst deploy: {:.0} files/s; files: {}",
        files / first.as_secs_f64(),
        files
    );
}

/// Runs the release `gongkai` with test keys; returns its wall time and
/// what it printed. Panics if it fails.
fn gongkai(site: &Path, args: &[&str]) -> (Duration, String) {
    let started = Instant::now();
    let output: Output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(site)
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .expect("run gongkai");
    let elapsed = started.elapsed();
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "gongkai {args:?} failed:\n{}{out}",
        String::from_utf8_lossy(&output.stderr)
    );
    (elapsed, out)
}

/// N of `上传 N 个文件`, or 0 when nothing was uploaded.
fn uploaded(out: &str) -> String {
    out.split("：上传 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or("0")
        .to_string()
}

/// One notice with a sentence added; put back when dropped.
struct Edit {
    path: PathBuf,
    original: String,
}

impl Edit {
    fn new(site: &Path) -> Edit {
        let path = site.join("content/notices/n000001.md");
        let original = std::fs::read_to_string(&path).expect("read a notice");
        std::fs::write(&path, format!("{original}\n基准测试改动的一句话。\n"))
            .expect("change a notice");
        Edit { path, original }
    }
}

impl Drop for Edit {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.original);
    }
}

/// moto's S3 server on a free port, stopped when dropped.
struct Moto {
    port: u16,
    child: Child,
}

impl Moto {
    fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server: pip install 'moto[server]'");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { port, child }
    }

    fn create_bucket(&self, name: &str) {
        use std::io::{Read, Write};
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "PUT /{name} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        )
        .expect("create the bucket");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
