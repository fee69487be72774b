//! A headless Chromium driven through ChromeDriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them) with the `fantoccini`
//! WebDriver client. Tests that use it are
//! `#[ignore = "needs Chromium and ChromeDriver: ..."]`.
//!
//! The tests are synchronous: the browser keeps a small runtime of its own
//! and waits for each command.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::runtime::Runtime;

/// Why a browser test is ignored by plain `cargo test`.
pub const NEEDED: &str = "needs Chromium and ChromeDriver: apt-get install chromium chromium-driver, then cargo test -- --include-ignored";

/// A browser session through ChromeDriver; closed when dropped.
pub struct Browser {
    runtime: Runtime,
    /// Taken when the session is closed.
    client: Option<Client>,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium session.
    pub fn start() -> Browser {
        Browser::start_with(json!({}))
    }

    /// Like [`Browser::start`], with Chromium preferences set (as a
    /// profile's `Preferences` has them), e.g. one that blocks site data.
    pub fn start_with(prefs: Value) -> Browser {
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
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium(),
                "prefs": prefs,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("the capabilities are an object")
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // ChromeDriver speaks plain HTTP on the loopback: no TLS connector.
        let client = runtime
            .block_on(
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities)
                    .connect(&format!("http://127.0.0.1:{port}")),
            )
            .unwrap_or_else(|e| panic!("no session: {e}"));
        Browser {
            runtime,
            client: Some(client),
            driver,
            _profile: profile,
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open")
    }

    pub fn open(&self, url: &str) {
        self.runtime
            .block_on(self.client().goto(url))
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Makes the page `width` CSS pixels wide (headless: the window is
    /// the viewport).
    pub fn resize(&self, width: u32, height: u32) {
        self.runtime
            .block_on(self.client().set_window_size(width, height))
            .unwrap_or_else(|e| panic!("resize to {width}×{height}: {e}"));
    }

    /// Presses and releases `key` on whatever has the focus, as a keyboard
    /// would: `press(Key::Tab)`, `press(Key::Enter)`, `press(' ')`.
    pub fn press(&self, key: impl Into<char>) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let value = key.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.runtime
            .block_on(self.client().perform_actions(keys))
            .unwrap_or_else(|e| panic!("press {value:?}: {e}"));
    }

    /// Clicks the first element `css` selects, as a mouse would.
    pub fn click(&self, css: &str) {
        let client = self.client();
        self.runtime
            .block_on(async {
                client
                    .find(fantoccini::Locator::Css(css))
                    .await?
                    .click()
                    .await
            })
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// A PNG of what the page shows.
    pub fn screenshot(&self) -> Vec<u8> {
        self.runtime
            .block_on(self.client().screenshot())
            .unwrap_or_else(|e| panic!("screenshot: {e}"))
    }

    /// What `script` returns; a script that throws fails the test.
    pub fn eval(&self, script: &str) -> Value {
        self.try_eval(script)
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    fn try_eval(&self, script: &str) -> Result<Value, fantoccini::error::CmdError> {
        self.runtime
            .block_on(self.client().execute(script, Vec::new()))
    }

    /// Evaluates `script` until it returns `want`; a script that throws
    /// (the page is still loading) is tried again.
    pub fn wait_for(&self, script: &str, want: Value) {
        let started = Instant::now();
        loop {
            let got = match self.try_eval(script) {
                Ok(got) if got == want => return,
                Ok(got) => got.to_string(),
                Err(e) => e.to_string(),
            };
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
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
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
