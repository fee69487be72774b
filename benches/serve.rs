//! Live preview speed on a synthetic site in inspection rounds (10,000
//! notices unless a size is given).
//!
//!     cargo bench --bench serve            # 10,000 notices
//!     cargo bench --bench serve -- 100000  # another size
//!
//! Makes the site if it is not there yet (as `cargo bench --bench build`
//! does: rounds of two to four notices, mean three, whose later notices
//! report the first's problems again). Starts the preview (the library's
//! `Server`, as `gongkai serve` does), and compares the time of its first,
//! full build with `gongkai build` into a new folder. Then two ways of
//! editing one notice (a problem's title and a line of its text):
//!
//! - **spaced saves**, five seconds apart, as a person who saves by hand;
//! - **auto-save**, one second apart, as VS Code saves with auto-save on
//!   (its default delay is one second).
//!
//! For each save it measures **edit → served**: the time until the
//! preview serves the notice's page with that save's text, as a browser
//! reloading on the live event would get it; and **up to date**: the time
//! until the preview tells that its search index, open data, feed and
//! sitemap are those of that save or a later one (the `indexed` live
//! event). Each is the median over the saves (`BENCH_SAVES`, 20 unless
//! set), with the slowest.
//!
//! Last, in this process, the part of a save that is the site model: the
//! pipeline reads the saved notice again and builds the model (the median
//! over as many saves).
//!
//! `BENCH_MODEL_ONLY=1` runs only that last part; `BENCH_REFRESH_ONLY=1`
//! only a save's two halves, one after the other in this process (not on
//! `serve`'s low-priority threads): the preview's pages, then its search
//! index, open data, feed and sitemap brought up to date (each a median,
//! the second with its processor time). With `BENCH_PAGES_ONLY=1` as
//! well, only the pages: at 100,000 notices the second half takes
//! seconds a save.

#[path = "support/synth.rs"]
mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gongkai::pipeline::{Changes, Options, Pipeline};
use gongkai::serve::workspace::Refreshed;
use gongkai::serve::{ServeOptions, Server, Workspace};

// As the `gongkai` program allocates, and maps its memory (below).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    gongkai::memory::no_huge_pages();
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let saves: usize = std::env::var("BENCH_SAVES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
        .max(3);
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-sites");
    let site = synth::ensure(&base, n);
    if std::env::var_os("BENCH_MODEL_ONLY").is_some() {
        model_case(&site, n, saves);
        return;
    }
    if std::env::var_os("BENCH_REFRESH_ONLY").is_some() {
        refresh_case(&site, n, saves);
        return;
    }

    let build = time_build(&site);
    let started = Instant::now();
    let server = Server::start(ServeOptions::local(&site, 0)).expect("start the preview");
    let first = started.elapsed();
    println!(
        "{n} notices: gongkai build {:.2} s; first build of gongkai serve {:.2} s",
        build.as_secs_f64(),
        first.as_secs_f64()
    );

    let notice = site.join(format!("content/notices/n{:06}.md", n / 2));
    let page = format!("/notices/n{:06}/index.html", n / 2);
    let original = pristine(&notice);
    let mut editor = Editor {
        port: server.port(),
        notice: &notice,
        page: &page,
        original: &original,
        events: listen(server.port()),
        next: 0,
    };
    // The first save builds nothing that a later one does not: wait for it.
    editor.saves(1, Duration::from_secs(5));
    for (case, gap) in [
        ("spaced saves, 5 s apart", Duration::from_secs(5)),
        (
            "auto-save, 1 s apart (VS Code's default delay)",
            Duration::from_secs(1),
        ),
    ] {
        let (served, indexed) = editor.saves(saves, gap);
        println!(
            "{case}, {saves} saves: edit → served {}; search and open data up to date {}",
            spread(&served, 0),
            spread(&indexed, 0),
        );
    }
    std::fs::write(&notice, &original).expect("restore the notice");
    std::thread::sleep(Duration::from_secs(3));
    server.stop();

    model_case(&site, n, saves);
}

/// The notice the benchmark edits, as generated: a run that was
/// interrupted leaves its edits in it (a title that starts with the save's
/// number, lines added at the end), which the next run would take for the
/// page of one of its own saves. Writes it back without them.
fn pristine(notice: &Path) -> String {
    let text = std::fs::read_to_string(notice).expect("read the notice");
    let mut clean = String::with_capacity(text.len());
    for line in text.lines() {
        if line.starts_with('第') && line.ends_with("次修改。") {
            continue;
        }
        clean.push_str(&without_save_number(line));
        clean.push('\n');
    }
    while clean.ends_with("\n\n") {
        clean.pop();
    }
    if clean != text {
        std::fs::write(notice, &clean).expect("restore the notice");
    }
    clean
}

/// `    title: 第3次针对…` (or `第3次刷新针对…`) as generated: `    title: 针对…`.
fn without_save_number(line: &str) -> String {
    let Some(rest) = line.strip_prefix("    title: 第") else {
        return line.to_string();
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let after = &rest[digits..];
    match after
        .strip_prefix("次刷新针对")
        .or_else(|| after.strip_prefix("次针对"))
    {
        Some(tail) if digits > 0 => format!("    title: 针对{tail}"),
        _ => line.to_string(),
    }
}

/// The site model on a save, alone (`BENCH_MODEL_ONLY=1` runs only this).
fn model_case(site: &Path, n: usize, saves: usize) {
    let notice = site.join(format!("content/notices/n{:06}.md", n / 2));
    let original = pristine(&notice);
    let saved = Saved {
        site,
        notice: &notice,
        original: &original,
    };
    let (models, cpu) = model_on_save(&saved, saves);
    let cpu = cpu.map_or_else(String::new, |cpu| {
        format!("; processor time median {:.1} ms", ms(median(&cpu)))
    });
    println!(
        "site model on a save, {saves} saves: {}{cpu}",
        spread(&models, 1)
    );
    std::fs::write(&notice, &original).expect("restore the notice");
}

/// A save's two halves, alone (`BENCH_REFRESH_ONLY=1`): the preview's
/// pages, then the search index, open data, feed, sitemap, attachments and
/// static files brought up to date in its folder, one after the other.
/// The median of each over the saves, and the second's processor time.
fn refresh_case(site: &Path, n: usize, saves: usize) {
    let notice = site.join(format!("content/notices/n{:06}.md", n / 2));
    let original = pristine(&notice);
    let output = site.join(format!("preview-refresh-bench-{}", std::process::id()));
    let (mut workspace, _) = Workspace::open(Options::new(site), output.clone());
    let mut pages = Vec::new();
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let pages_only = std::env::var_os("BENCH_PAGES_ONLY").is_some();
    for i in 0..saves {
        let text = original.replacen("    title: 针对", &format!("    title: 第{i}次刷新针对"), 1);
        std::fs::write(&notice, format!("{text}\n第 {i} 次修改。\n")).expect("save");
        let started = Instant::now();
        workspace.update(&Changes::of(site, [notice.clone()]));
        pages.push(started.elapsed());
        if pages_only {
            continue;
        }
        let refresh = workspace.refresh().expect("a good site to refresh");
        let cpu_before = processor_time();
        let started = Instant::now();
        let ended = refresh.run(&AtomicBool::new(false));
        times.push(started.elapsed());
        if let (Some(before), Some(after)) = (cpu_before, processor_time()) {
            cpu_times.push(after.saturating_sub(before));
        }
        assert!(matches!(ended, Refreshed::Done), "{ended:?}");
    }
    pages.sort();
    times.sort();
    cpu_times.sort();
    println!(
        "pages on a save (model, pages), {saves} saves: {}",
        spread(&pages, 0)
    );
    if !pages_only {
        let cpu = if cpu_times.len() == times.len() {
            format!("; processor time median {:.0} ms", ms(median(&cpu_times)))
        } else {
            String::new()
        };
        println!(
            "search index and open data on a save, {saves} saves: {}{cpu}",
            spread(&times, 0)
        );
    }
    std::fs::write(&notice, &original).expect("restore the notice");
    let _ = std::fs::remove_dir_all(&output);
}

/// What [`model_on_save`] edits.
struct Saved<'a> {
    site: &'a Path,
    notice: &'a Path,
    original: &'a str,
}

/// The time of the site model after each save, sorted: the notice read
/// again, then the model built with the others from the caches. Also the
/// processor time of all threads, where the system tells it (Linux): other
/// programs on the machine lengthen the first, hardly the second.
fn model_on_save(saved: &Saved, saves: usize) -> (Vec<Duration>, Option<Vec<Duration>>) {
    let mut pipeline = Pipeline::open(Options::new(saved.site));
    let publish = pipeline.publish();
    drop(pipeline.model(publish));
    let mut cpu_times = Vec::new();
    let mut times: Vec<Duration> = (0..saves)
        .map(|i| {
            let text = saved.original.replacen(
                "    title: 针对",
                &format!("    title: 第{i}次模型针对"),
                1,
            );
            std::fs::write(saved.notice, text).expect("save");
            let changes = Changes::of(saved.site, [saved.notice.to_path_buf()]);
            let cpu_before = processor_time();
            let started = Instant::now();
            pipeline.reread(&changes);
            let model = pipeline.model(publish);
            let took = started.elapsed();
            if let (Some(before), Some(after)) = (cpu_before, processor_time()) {
                cpu_times.push(after.saturating_sub(before));
            }
            assert!(model.is_some_and(|(_, errors)| errors.is_empty()));
            took
        })
        .collect();
    times.sort();
    cpu_times.sort();
    let cpu = (cpu_times.len() == times.len()).then_some(cpu_times);
    (times, cpu)
}

/// The processor time this process's threads have had so far: the sum
/// of the first field of each thread's `schedstat` (nanoseconds).
fn processor_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// `gongkai build` into a new folder, which is then removed.
fn time_build(site: &Path) -> Duration {
    let output = site.join(format!("public-serve-bench-{}", std::process::id()));
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--root"])
        .arg(site)
        .arg("--output")
        .arg(&output)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run gongkai build");
    assert!(status.success());
    let build = started.elapsed();
    let _ = std::fs::remove_dir_all(&output);
    // Removing a gigabyte of files keeps the disk busy for seconds.
    std::thread::sleep(Duration::from_secs(5));
    build
}

/// Saves one notice again and again, and sees what the preview serves.
struct Editor<'a> {
    port: u16,
    notice: &'a Path,
    page: &'a str,
    original: &'a str,
    events: mpsc::Receiver<(String, Instant)>,
    /// The number of the next save: each save's text is its own.
    next: usize,
}

impl Editor<'_> {
    /// Makes `count` saves `gap` apart; returns, sorted, each save's time
    /// until its page was served and until the site-wide files were up to
    /// date.
    fn saves(&mut self, count: usize, gap: Duration) -> (Vec<Duration>, Vec<Duration>) {
        let first = self.next;
        self.next += count;
        let started = Instant::now();
        let saved: Vec<Instant> = (0..count).map(|k| started + gap * k as u32).collect();
        // What the page showed after each reload, and each `indexed` event.
        let mut shown: Vec<(usize, Instant)> = Vec::new();
        let mut indexed: Vec<Instant> = Vec::new();
        let mut k = 0;
        let last = first + count - 1;
        let deadline = saved[count - 1] + Duration::from_secs(60);
        loop {
            if k < count && Instant::now() >= saved[k] {
                self.save(first + k);
                k += 1;
                continue;
            }
            let wait = if k < count {
                saved[k].saturating_duration_since(Instant::now())
            } else {
                deadline.saturating_duration_since(Instant::now())
            };
            match self.events.recv_timeout(wait) {
                Ok((event, _)) if event == "reload" => {
                    // As a browser reloads: the page as served now.
                    if let Some(save) = self.served_save() {
                        shown.push((save, Instant::now()));
                    }
                }
                Ok((event, at)) if event == "indexed" => {
                    indexed.push(at);
                    let done = shown.last().is_some_and(|&(s, _)| s == last);
                    if k == count && done {
                        break;
                    }
                }
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) if k == count => {
                    panic!("the last save was not served and indexed within a minute")
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the event stream ended"),
            }
        }
        let mut served_times = Vec::new();
        let mut indexed_times = Vec::new();
        for (i, &at) in saved.iter().enumerate() {
            let Some(&(_, served)) = shown.iter().find(|&&(s, _)| s >= first + i) else {
                panic!("save {} never served", first + i);
            };
            served_times.push(served - at);
            let Some(&done) = indexed.iter().find(|&&t| t >= served) else {
                panic!("save {} never indexed", first + i);
            };
            indexed_times.push(done - at);
        }
        served_times.sort();
        indexed_times.sort();
        (served_times, indexed_times)
    }

    /// Saves the notice with the marks of save `i`.
    fn save(&self, i: usize) {
        let text = self
            .original
            .replacen("    title: 针对", &format!("    title: 第{i}次针对"), 1);
        std::fs::write(self.notice, format!("{text}\n第 {i} 次修改。\n")).expect("save");
    }

    /// The number of the save whose text the notice's page shows.
    fn served_save(&self) -> Option<usize> {
        let page = get(self.port, self.page);
        let at = page.find("次针对")?;
        let digits: String = page[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().ok()
    }
}

/// The body of a page of the preview, as text.
fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    String::from_utf8_lossy(&response).into_owned()
}

/// The names of the live events, with the time each arrived.
fn listen(port: u16) -> mpsc::Receiver<(String, Instant)> {
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
                && tx.send((event.to_string(), Instant::now())).is_err()
            {
                break;
            }
        }
    });
    rx
}

/// "median 12 ms (fastest 9, slowest 30)" of `sorted` times, with
/// `digits` decimals.
fn spread(sorted: &[Duration], digits: usize) -> String {
    format!(
        "median {:.digits$} ms (fastest {:.digits$}, slowest {:.digits$})",
        ms(median(sorted)),
        ms(sorted[0]),
        ms(sorted[sorted.len() - 1]),
    )
}

fn median(sorted: &[Duration]) -> Duration {
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
