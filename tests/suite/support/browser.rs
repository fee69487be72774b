//! A headless Chromium driven through ChromeDriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them). Tests that use it are
//! `#[ignore = "needs Chromium and ChromeDriver: ..."]`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::request;

/// Why a browser test is ignored by plain `cargo test`.
pub const NEEDED: &str = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver, then cargo test -- --include-ignored";

/// A browser session through ChromeDriver; closed when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium session.
    pub fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(NEEDED);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let r = request(port, "POST", "/session", Some(&capabilities.to_string()));
        let value: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        let session = value["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {}", r.text()))
            .to_string();
        Browser {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    pub fn command(&self, path: &str, body: Value) -> Value {
        let r = request(
            self.port,
            "POST",
            &format!("/session/{}/{path}", self.session),
            Some(&body.to_string()),
        );
        let value: Value = serde_json::from_slice(&r.body).unwrap();
        value["value"].clone()
    }

    pub fn open(&self, url: &str) {
        self.command("url", json!({ "url": url }));
    }

    pub fn eval(&self, script: &str) -> Value {
        self.command("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Evaluates `script` until it returns `want`.
    pub fn wait_for(&self, script: &str, want: Value) {
        let started = Instant::now();
        loop {
            let got = self.eval(script);
            if got == want {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{script} stayed {got}, wanted {want}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = request(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The Chromium binary.
pub fn chromium() -> String {
    for name in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(name).exists() {
            return name.to_string();
        }
    }
    "chromium".to_string()
}
