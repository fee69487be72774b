//! `gongkai serve`: a live preview. The site is built into a folder of the
//! preview's own, served over HTTP (axum on tokio), and updated as its
//! sources change; open pages reload themselves, or show the errors over
//! the last good page.
//!
//! Four parts run side by side: the HTTP server (async, [`http`]), the
//! watcher (notify, [`watch`]), one thread that owns the [`Workspace`]
//! (the site's [`Pipeline`](crate::pipeline::Pipeline) and what it wrote)
//! and applies changes in order, and the [`refresh`] of the search index
//! and open data behind it, which no page waits for.

pub mod http;
pub mod live;
pub mod refresh;
pub mod watch;
pub mod workspace;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::pipeline::{Changes, Options};

pub use workspace::{Outcome, Workspace};

use self::live::Hub;
use self::refresh::Refresher;
use self::watch::SiteWatcher;
use crate::diagnostic::Diagnostics;

/// The port the preview uses unless told otherwise.
pub const DEFAULT_PORT: u16 = 1111;

/// What `gongkai serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site, and what it publishes.
    pub site: Options,
    pub bind: IpAddr,
    pub port: u16,
    /// The port was given: do not try the next ones when it is taken.
    pub port_given: bool,
    /// Poll for changes instead of waiting for change notices.
    pub poll: bool,
    /// Tell the user what happens (the terminal); tests turn it off.
    pub verbose: bool,
}

impl ServeOptions {
    /// On this computer only, at exactly `port` (0: any free one), without
    /// messages: what tests and benchmarks start.
    pub fn local(root: impl Into<PathBuf>, port: u16) -> ServeOptions {
        ServeOptions {
            site: Options::new(root),
            bind: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            port,
            port_given: true,
            poll: false,
            verbose: false,
        }
    }
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("端口 {port} 已被占用（{bind}）：换一个端口，例如 --port {next}；或关掉占用它的程序")]
    PortTaken { bind: IpAddr, port: u16, next: u16 },
    #[error("无法在 {addr} 上监听：{source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("无法监视文件变化：{0}（在网络磁盘或容器里请加 --poll）")]
    Watch(#[from] notify::Error),
    #[error("无法创建预览文件夹 {}：{source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("不能把预览写到 {}：{hint}", path.display())]
    Output { path: PathBuf, hint: String },
    #[error("无法启动预览服务：{0}")]
    Runtime(io::Error),
}

/// A running preview.
pub struct Server {
    addr: SocketAddr,
    mount: String,
    folder: PathBuf,
    /// The folder is the preview's own (not given with `--output`).
    own_folder: bool,
    runtime: Option<tokio::runtime::Runtime>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    worker: Option<JoinHandle<()>>,
    stop_worker: Option<mpsc::Sender<Vec<PathBuf>>>,
}

impl Server {
    /// Builds the site, then serves it and watches its sources.
    pub fn start(mut options: ServeOptions) -> Result<Server, ServeError> {
        // Change notices name absolute paths: compare them with an absolute root.
        let root = &options.site.root;
        options.site.root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let listener = bind(&options)?;
        let addr = listener.local_addr().map_err(ServeError::Runtime)?;
        // The preview's own folder, removed when it stops, unless one was
        // given (`--output`): that one is kept, as a build would leave it.
        let (folder, own_folder) = match &options.site.output {
            Some(given) => {
                crate::output::refuse_unsafe(&options.site.root, given).map_err(|d| {
                    ServeError::Output {
                        path: given.clone(),
                        hint: d.help.unwrap_or_default(),
                    }
                })?;
                (given.clone(), false)
            }
            None => {
                let temp = std::env::temp_dir().join(format!(
                    "gongkai-serve-{}-{}",
                    std::process::id(),
                    addr.port()
                ));
                if temp.exists() {
                    let _ = std::fs::remove_dir_all(&temp);
                }
                (temp, true)
            }
        };
        std::fs::create_dir_all(&folder).map_err(|source| ServeError::Folder {
            path: folder.clone(),
            source,
        })?;
        let real_folder = folder.canonicalize().unwrap_or_else(|_| folder.clone());

        let started = Instant::now();
        let (workspace, outcome) = Workspace::open(options.site.clone(), folder.clone());
        // What the first build freed goes back to the system; what the
        // preview frees from now on is kept for the next save.
        crate::memory::keep_freed_memory();
        let hub = Arc::new(Hub::default());
        hub.publish(&outcome);
        if options.verbose {
            match &outcome {
                Outcome::Failed(_) => report(&outcome, started, "生成网站"),
                _ => println!("已生成网站（{} 毫秒）", started.elapsed().as_millis()),
            }
        }
        let mount = workspace.mount();

        let (changes_in, changes_out) = mpsc::channel::<Vec<PathBuf>>();
        let watcher = SiteWatcher::start(&options.site.root, options.poll, changes_in.clone())?;
        let worker = spawn_worker(
            workspace,
            watcher,
            changes_out,
            hub.clone(),
            options.clone(),
        );

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)?;
        let app = Arc::new(http::App {
            dir: real_folder,
            mount: mount.clone(),
            hub,
        });
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?
        };
        runtime.spawn(async move {
            let server = axum::serve(listener, http::router(app)).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            let _ = server.await;
        });
        Ok(Server {
            addr,
            mount,
            folder,
            own_folder,
            runtime: Some(runtime),
            shutdown: Some(shutdown),
            worker: Some(worker),
            stop_worker: Some(changes_in),
        })
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        let host = match self.addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        format!("http://{host}:{}{}", self.addr.port(), self.mount)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The folder the preview is built in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Stops serving and watching, and removes the preview folder.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(2));
        }
        // An empty batch asks the worker to stop.
        if let Some(tx) = self.stop_worker.take() {
            let _ = tx.send(Vec::new());
        }
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
        if self.own_folder {
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Binds the port, or (unless it was given) one of the next ones.
fn bind(options: &ServeOptions) -> Result<TcpListener, ServeError> {
    let tries = if options.port_given { 1 } else { 20 };
    let mut last = None;
    for port in (options.port..).take(tries) {
        let addr = SocketAddr::new(options.bind, port);
        match TcpListener::bind(addr) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(port),
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    let port = last.unwrap_or(options.port);
    Err(ServeError::PortTaken {
        bind: options.bind,
        port,
        next: port.saturating_add(1),
    })
}

/// The thread that owns the workspace: applies each batch of changes, tells
/// the pages, then hands the site-wide files to the refresher.
fn spawn_worker(
    mut workspace: Workspace,
    mut watcher: SiteWatcher,
    changes: mpsc::Receiver<Vec<PathBuf>>,
    hub: Arc<Hub>,
    options: ServeOptions,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let refresher = Refresher::start(hub.clone(), options.verbose);
        let root = options.site.root.clone();
        while let Ok(mut paths) = changes.recv() {
            if paths.is_empty() {
                break;
            }
            // Take everything that is waiting, as one update.
            while let Ok(more) = changes.try_recv() {
                if more.is_empty() {
                    return;
                }
                paths.extend(more);
            }
            let paths: Vec<PathBuf> = paths
                .into_iter()
                .map(|p| p.strip_prefix(&root).map(Path::to_path_buf).unwrap_or(p))
                .filter(|p| watch::matters(Path::new(""), p))
                .collect();
            watcher.added(
                &options.site.root,
                &paths
                    .iter()
                    .map(|p| options.site.root.join(p))
                    .collect::<Vec<_>>(),
            );
            let changes = Changes::of(Path::new(""), paths.iter().cloned());
            if changes.is_empty() {
                continue;
            }
            let started = Instant::now();
            let outcome = workspace.update(&changes);
            hub.publish(&outcome);
            if options.verbose {
                let mut what: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                what.dedup();
                let more = if what.len() > 3 {
                    format!(" 等 {} 处", what.len())
                } else {
                    String::new()
                };
                what.truncate(3);
                report(&outcome, started, &format!("{}{more}", what.join("、")));
            }
            match workspace.refresh() {
                Some(refresh) => refresher.submit(refresh),
                None if !workspace.finish_errors().is_empty() => {
                    let failed = Outcome::Failed(Diagnostics(workspace.finish_errors().to_vec()));
                    hub.publish(&failed);
                }
                None => {}
            }
        }
    })
}

/// Tells the terminal what an update did.
fn report(outcome: &Outcome, started: Instant, what: &str) {
    let ms = started.elapsed().as_millis();
    match outcome {
        Outcome::Unchanged => println!("{what}：没有页面需要更新（{ms} 毫秒）"),
        Outcome::Reload { pages } => println!("{what}：已更新 {pages} 个页面（{ms} 毫秒）"),
        Outcome::Stylesheets(files) => {
            println!("{what}：已更新样式 {}（{ms} 毫秒）", files.join("、"))
        }
        Outcome::Failed(errors) => {
            eprint!("{errors}");
            eprintln!(
                "{what}：有 {} 个错误，浏览器里显示的仍是上一次成功的网站。",
                errors.error_count()
            );
        }
    }
}
