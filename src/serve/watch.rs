//! Watching the site's sources for changes, with notify and its full
//! debouncer (which pairs the halves of a rename and drops the noise of
//! editors that save in several steps).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{EventKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};

use crate::folders::{Part, WATCHED};

/// How long the debouncer waits for an editor to finish saving.
const SETTLE: Duration = Duration::from_millis(10);

/// A running watcher; dropping it stops it.
pub enum SiteWatcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

impl SiteWatcher {
    /// Watches the site at `root`; changed paths arrive on `changes`. With
    /// `poll`, files are checked every half second instead (for network
    /// drives and containers, where change notices do not arrive).
    pub fn start(
        root: &Path,
        poll: bool,
        changes: Sender<Vec<PathBuf>>,
    ) -> notify::Result<SiteWatcher> {
        let handler = move |result: DebounceEventResult| {
            if let Ok(events) = result {
                // Reading a file is an event too (and the update reads
                // files): only what changes a file counts.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| {
                        !matches!(
                            e.event.kind,
                            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
                        )
                    })
                    .flat_map(|e| e.event.paths)
                    .collect();
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            }
        };
        let mut watcher = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            SiteWatcher::Poll(new_debouncer_opt(
                SETTLE,
                None,
                handler,
                RecommendedCache::new(),
                config,
            )?)
        } else {
            SiteWatcher::Native(new_debouncer_opt(
                SETTLE,
                None,
                handler,
                RecommendedCache::new(),
                notify::Config::default(),
            )?)
        };
        // The root itself, not recursively: site.yaml, and the folders
        // below when they are created later.
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        for name in WATCHED {
            let dir = root.join(name);
            if dir.is_dir() {
                watcher.watch(&dir, RecursiveMode::Recursive)?;
            }
        }
        Ok(watcher)
    }

    /// Starts watching a folder that appeared after the start.
    pub fn added(&mut self, root: &Path, paths: &[PathBuf]) {
        for name in WATCHED {
            let dir = root.join(name);
            if paths.iter().any(|p| p == &dir) && dir.is_dir() {
                let _ = self.watch(&dir, RecursiveMode::Recursive);
            }
        }
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            SiteWatcher::Native(d) => d.watch(path, mode),
            SiteWatcher::Poll(d) => d.watch(path, mode),
        }
    }
}

/// Whether a changed path matters to the site (not the output folder,
/// not `target/` of a checkout).
pub fn matters(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    Part::of(rel) != Part::Other
}
