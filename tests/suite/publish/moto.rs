//! A real S3 server for the tests: moto's `moto_server` (from PyPI,
//! installed by `.ci/run`), started on a free port of 127.0.0.1 and
//! stopped when dropped. It keeps everything in memory.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::http::{self, Response};

/// moto tells S3 requests from others by their credential scope; with
/// authentication off it checks nothing else.
const S3_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

pub struct Moto {
    pub port: u16,
    child: Child,
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Moto {
    /// Starts a server; with `auth`, every request must be signed with the
    /// keys of a user the server knows (there is none: all are refused).
    pub fn start(auth: bool) -> Moto {
        let port = free_port();
        let mut command = Command::new("moto_server");
        command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if auth {
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", "0");
        }
        let child = command
            .spawn()
            .expect("moto_server (pip install 'moto[server]'; .ci/run installs it)");
        let server = Moto { port, child };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a bucket.
    pub fn create_bucket(&self, name: &str) {
        let r = self.request("PUT", &format!("/{name}"), None);
        assert_eq!(r.status, 200, "create bucket: {}", r.text());
    }

    /// An S3 request, path style (`/bucket/key`), as any S3 client would
    /// send it, with a body if given.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Response {
        let headers = [("Authorization", S3_AUTHORIZATION)];
        http::request(self.port, method, path, &headers, body)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
