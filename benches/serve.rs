//! Live preview speed on the synthetic 10,000-notice site.
//!
//!     cargo bench --bench build -- 10000   # makes the site, if not yet there
//!     cargo bench --bench serve
//!
//! Starts the preview (the library's `Server`, as `gongkai serve` does),
//! and compares the time of its first, full build with `gongkai build`
//! into a new folder. Then, twenty times, saves a change to one notice and
//! measures the time until the reload event arrives over the event stream,
//! as a browser would receive it; between saves it waits, as a person
//! editing would, for the preview to finish the search index and open data.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gongkai::serve::{ServeOptions, Server};

// As the `gongkai` program allocates.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/site.rs"]
mod bench_site;

fn main() {
    let (n, site) = bench_site::existing();

    let output = site.join(format!("public-serve-bench-{}", std::process::id()));
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&output)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run gongkai build");
    assert!(status.success());
    let build = started.elapsed();
    // Removing a gigabyte of files keeps ext4 busy for seconds afterwards:
    // the built folder goes when the measurement is over, not before serve.
    std::thread::sleep(Duration::from_secs(5));

    let started = Instant::now();
    let server = Server::start(ServeOptions::local(&site, 0)).expect("start the preview");
    let first = started.elapsed();
    println!(
        "gongkai build: {:.2} s; first build of gongkai serve: {:.2} s",
        build.as_secs_f64(),
        first.as_secs_f64()
    );

    let events = listen(server.port());
    let notice = site.join(format!("content/notices/n{:06}.md", n / 2));
    let original = std::fs::read_to_string(&notice).expect("read the notice");
    let mut times = Vec::new();
    for i in 0..20 {
        std::thread::sleep(Duration::from_secs(5));
        let started = Instant::now();
        std::fs::write(&notice, format!("{original}\n第 {i} 次修改。\n")).expect("save");
        loop {
            match events.recv_timeout(Duration::from_secs(20)) {
                Ok(event) if event == "reload" => break,
                Ok(_) => continue,
                Err(_) => panic!("no reload event"),
            }
        }
        times.push(started.elapsed());
    }
    std::fs::write(&notice, original).expect("restore the notice");
    std::thread::sleep(Duration::from_secs(3));
    server.stop();
    let _ = std::fs::remove_dir_all(&output);
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "save → reload event, {} saves: median {:.0} ms, fastest {:.0} ms, slowest {:.0} ms",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
}

/// The names of the live events, as they arrive.
fn listen(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__gongkai/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("request");
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(event) = line.strip_prefix("event: ")
                && tx.send(event.to_string()).is_err()
            {
                break;
            }
        }
    });
    rx
}
