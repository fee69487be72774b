//! Carrying out a plan on a target, in the one order that keeps the site
//! whole at every moment:
//!
//! 1. the assets (styles, scripts, search data, open data, files), so that
//!    no page can point at a file not there yet;
//! 2. the pages;
//! 3. the manifest, listing the files to delete as `retired`;
//! 4. the deletes, and the manifest once more without them.
//!
//! A deploy cut off anywhere (Ctrl-C, a lost connection) leaves the old
//! pages working; the next run reads the manifest there and finishes the
//! job: before step 3 it uploads again, after it, it deletes what is left.
//! Requests run in parallel within a step, never across steps.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::manifest::{MANIFEST_FILE, Manifest, SitePath};
use super::plan::{Plan, ordered};
use super::targets::{Target, TargetError};
use crate::output::Outbox;

/// What a sync is doing, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Upload,
    Manifest,
    Delete,
}

/// Progress of a step: `done` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub step: Step,
    pub done: usize,
    pub total: usize,
}

/// What a finished sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Synced {
    pub uploaded: usize,
    pub deleted: usize,
}

/// Why a sync stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// Asked to stop (Ctrl-C); `uploaded` files went up before.
    Interrupted { uploaded: usize },
    /// The target refused or failed.
    Failed(TargetError),
}

/// The callers' side of a sync: when to stop, where progress goes.
pub struct Control<'a> {
    pub stop: &'a AtomicBool,
    pub progress: &'a (dyn Fn(Progress) + Sync),
}

/// Carries out `plan`, which leads to `manifest`, with the files kept in
/// `outbox`.
pub fn sync(
    target: &dyn Target,
    plan: &Plan,
    manifest: &Manifest,
    outbox: &Outbox,
    control: &Control<'_>,
) -> Result<Synced, Halt> {
    let whole = target.rewrites_all();
    let uploads = if whole {
        ordered(manifest.files.keys())
    } else {
        plan.uploads()
    };
    let (assets, pages): (Vec<_>, Vec<_>) = uploads.iter().partition(|p| !p.is_page());
    let total = uploads.len();
    let done = AtomicUsize::new(0);
    let upload = |path: &&SitePath| {
        let file = outbox.file(path.as_str());
        let bytes = std::fs::read(&file).map_err(|e| {
            TargetError::new(
                super::targets::Failure::Failed,
                format!("读不了待上传的 {path}：{e}"),
            )
        })?;
        target.put(path.as_str(), bytes)?;
        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
        (control.progress)(Progress {
            step: Step::Upload,
            done: n,
            total,
        });
        Ok(())
    };
    let halted = |e: Halt| match e {
        Halt::Interrupted { .. } => Halt::Interrupted {
            uploaded: done.load(Ordering::SeqCst),
        },
        failed => failed,
    };
    for group in [&assets, &pages] {
        each(group, target.parallel(), control.stop, &upload).map_err(halted)?;
    }
    let uploaded = done.load(Ordering::SeqCst);

    let deletes: Vec<SitePath> = if whole {
        Vec::new()
    } else {
        plan.removed.clone()
    };
    let with_retired = Manifest {
        files: manifest.files.clone(),
        retired: deletes.clone(),
    };
    stop_if_asked(control.stop, uploaded)?;
    put_manifest(target, &with_retired, control)?;
    let deleted = AtomicUsize::new(0);
    let delete = |path: &SitePath| {
        target.delete(path)?;
        let n = deleted.fetch_add(1, Ordering::SeqCst) + 1;
        (control.progress)(Progress {
            step: Step::Delete,
            done: n,
            total: deletes.len(),
        });
        Ok(())
    };
    each(&deletes, target.parallel(), control.stop, &delete).map_err(|e| match e {
        Halt::Interrupted { .. } => Halt::Interrupted { uploaded },
        failed => failed,
    })?;
    if !deletes.is_empty() {
        put_manifest(target, &manifest.settled(), control)?;
    }
    target.finish().map_err(Halt::Failed)?;
    Ok(Synced {
        uploaded,
        deleted: deleted.load(Ordering::SeqCst),
    })
}

fn put_manifest(
    target: &dyn Target,
    manifest: &Manifest,
    control: &Control<'_>,
) -> Result<(), Halt> {
    target
        .put(MANIFEST_FILE, manifest.to_bytes())
        .map_err(Halt::Failed)?;
    (control.progress)(Progress {
        step: Step::Manifest,
        done: 1,
        total: 1,
    });
    Ok(())
}

fn stop_if_asked(stop: &AtomicBool, uploaded: usize) -> Result<(), Halt> {
    if stop.load(Ordering::SeqCst) {
        Err(Halt::Interrupted { uploaded })
    } else {
        Ok(())
    }
}

/// Runs `job` on every item, `parallel` at a time, until all are done, one
/// fails (the others then start nothing new) or `stop` is set.
pub fn each<T: Sync>(
    items: &[T],
    parallel: usize,
    stop: &AtomicBool,
    job: &(dyn Fn(&T) -> Result<(), TargetError> + Sync),
) -> Result<(), Halt> {
    let next = AtomicUsize::new(0);
    let failed: Mutex<Option<TargetError>> = Mutex::new(None);
    let give_up = AtomicBool::new(false);
    let worker = || {
        loop {
            if stop.load(Ordering::SeqCst) || give_up.load(Ordering::SeqCst) {
                return;
            }
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(item) = items.get(i) else {
                return;
            };
            if let Err(e) = job(item) {
                give_up.store(true, Ordering::SeqCst);
                let mut first = failed.lock().unwrap_or_else(|p| p.into_inner());
                first.get_or_insert(e);
                return;
            }
        }
    };
    let threads = parallel.clamp(1, items.len().max(1));
    if threads == 1 {
        worker();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(worker);
            }
        });
    }
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(Halt::Failed(e));
    }
    if next.load(Ordering::SeqCst) < items.len() {
        return Err(Halt::Interrupted { uploaded: 0 });
    }
    Ok(())
}
