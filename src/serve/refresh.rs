//! The background refresh of the site-wide files (search index, open
//! data, feed, sitemap, static files), so that no page waits for them.
//!
//! After each good update the worker hands the [`Refresh`] of its site to
//! the [`Refresher`], and goes back to the next save at once. The refresher
//! runs one refresh at a time, on threads of its own below the worker's
//! priority: on two cores, a page rebuild goes first. A newer site cancels
//! the running refresh (it stops at the next file; the search index is
//! written whole or not at all, so a query never mixes two saves), unless
//! the one before was cancelled too: saves a second apart then still get
//! their files, at most one refresh behind. Refreshes waiting behind the
//! running one are dropped for the newest.
//!
//! The pages are told (the `indexed` live event) when the files are those
//! of the pages served, and shown the errors of a refresh that failed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use thread_priority::{ThreadPriority, ThreadPriorityValue};

use super::live::Hub;
use super::workspace::{Outcome, Refresh, Refreshed};
use crate::diagnostic::Diagnostics;

/// Runs refreshes, the newest first, one at a time.
pub struct Refresher {
    state: Arc<Mutex<State>>,
    jobs: Option<mpsc::Sender<(u64, Refresh)>>,
    thread: Option<JoinHandle<()>>,
}

/// What the worker and the refresher share.
#[derive(Debug, Default)]
struct State {
    /// The number of the newest refresh handed over.
    latest: u64,
    /// The one running, and how to cancel it.
    running: Option<Arc<AtomicBool>>,
    /// The last refresh that ended was cancelled.
    cancelled_last: bool,
}

impl Refresher {
    /// Starts the refresher's thread; it tells `hub` what each refresh did,
    /// and the terminal too when `verbose`.
    pub fn start(hub: Arc<Hub>, verbose: bool) -> Refresher {
        let state = Arc::new(Mutex::new(State::default()));
        let (jobs, waiting) = mpsc::channel();
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name("gongkai-refresh".into())
            .spawn(move || {
                lower_priority();
                run(&waiting, &shared, &hub, verbose);
            })
            .ok();
        Refresher {
            state,
            jobs: Some(jobs),
            thread,
        }
    }

    /// Refreshes the files for a newer site: the running refresh is
    /// cancelled, unless the one before it was too.
    pub fn submit(&self, refresh: Refresh) {
        let number = {
            let mut state = lock(&self.state);
            state.latest += 1;
            if let Some(running) = &state.running
                && !state.cancelled_last
            {
                running.store(true, Ordering::Relaxed);
            }
            state.latest
        };
        match (&self.jobs, &self.thread) {
            (Some(jobs), Some(_)) => {
                let _ = jobs.send((number, refresh));
            }
            // No thread could be started: refresh here.
            _ => {
                let _ = refresh.run(&AtomicBool::new(false));
            }
        }
    }
}

impl Drop for Refresher {
    /// Cancels the running refresh and waits for it to stop.
    fn drop(&mut self) {
        if let Some(running) = &lock(&self.state).running {
            running.store(true, Ordering::Relaxed);
        }
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The refresher's thread: each refresh, the newest of those waiting.
fn run(waiting: &mpsc::Receiver<(u64, Refresh)>, state: &Mutex<State>, hub: &Hub, verbose: bool) {
    // Threads of its own for the parallel parts, below the pages' priority.
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("gongkai-refresh-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .ok();
    while let Ok(mut job) = waiting.recv() {
        while let Ok(newer) = waiting.try_recv() {
            job = newer;
        }
        let (number, refresh) = job;
        let cancelled = Arc::new(AtomicBool::new(false));
        lock(state).running = Some(cancelled.clone());
        let started = Instant::now();
        let ended = match &pool {
            Some(pool) => pool.install(|| refresh.run(&cancelled)),
            None => refresh.run(&cancelled),
        };
        let newest = {
            let mut state = lock(state);
            state.running = None;
            state.cancelled_last = matches!(ended, Refreshed::Cancelled);
            state.latest == number
        };
        // A refresh of an older site tells nothing about the pages served.
        if !newest {
            continue;
        }
        match ended {
            Refreshed::Done => {
                hub.indexed();
                if verbose && started.elapsed().as_millis() > 300 {
                    println!(
                        "搜索索引和开放数据已更新（{} 毫秒）",
                        started.elapsed().as_millis()
                    );
                }
            }
            Refreshed::Failed(errors) => {
                let failed = Outcome::Failed(Diagnostics(errors));
                hub.publish(&failed);
                if verbose {
                    super::report(&failed, started, "搜索索引和开放数据");
                }
            }
            Refreshed::Cancelled => {}
        }
    }
}

/// Below normal priority, where the system allows it (as `nice` 9 on
/// Linux): the page rebuilds and other programs go first.
fn lower_priority() {
    if let Ok(value) = ThreadPriorityValue::try_from(25u8) {
        let _ = thread_priority::set_current_thread_priority(ThreadPriority::Crossplatform(value));
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}
