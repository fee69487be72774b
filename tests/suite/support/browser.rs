//! A headless Chromium driven through ChromeDriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them). Tests that use it are
//! `#[ignore = "needs Chromium and ChromeDriver: ..."]`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http::request;

/// Standard base64, as WebDriver returns screenshots and PDFs.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .map(value)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for quad in digits.chunks(4) {
        let n = quad
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
        for k in 0..quad.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * k)) as u8);
        }
    }
    out
}

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

    /// Makes the page `width` CSS pixels wide (headless: the window is
    /// the viewport).
    pub fn resize(&self, width: u32, height: u32) {
        self.command("window/rect", json!({ "width": width, "height": height }));
    }

    /// A PNG of what the page shows.
    pub fn screenshot(&self) -> Vec<u8> {
        let r = request(
            self.port,
            "GET",
            &format!("/session/{}/screenshot", self.session),
            None,
        );
        let value: Value = serde_json::from_slice(&r.body).unwrap();
        base64_decode(value["value"].as_str().unwrap_or(""))
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
