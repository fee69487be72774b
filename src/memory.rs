//! The one setting of the allocator (mimalloc) that gongkai changes: how
//! soon the memory it frees goes back to the system.
//!
//! By default mimalloc hands memory that stays free back to the system
//! after a short delay. Whatever is allocated next then has every page
//! mapped and zeroed by the kernel again, which on a virtual machine
//! costs more than the work done in it.

/// mimalloc's `mi_option_purge_delay` (the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the memory this process frees for what it allocates next,
/// instead of handing it back to the system.
///
/// - **A build or a check that holds its site in memory** (below
///   [`STREAM_FROM`](crate::pipeline::STREAM_FROM) notices) frees its
///   notices' sources, search documents and pages as it goes, and
///   allocates as much again in the next stage. At 10,000 notices the
///   build took 5.36 s instead of 5.75 s (medians of 4 runs; system time
///   1.36 s instead of 1.92 s), its peak memory about 15 MB more. A
///   streamed build keeps the default: its peak memory is what it is
///   bounded by (at 100,000 notices it rose from about 1,800 to 1,865
///   MiB, too near 2 GiB, for no time that could be told from the noise).
/// - **The preview**, once its first build is done (what that build
///   frees, gigabytes at 100,000 notices, goes back to the system): a save
///   seconds after the last one would otherwise have every page it
///   allocates mapped again. At 10,000 notices, saves 5 s apart were
///   served in 89 ms with the default and 62 ms without (medians of 3
///   runs). Its memory stays at its peak instead.
pub fn keep_freed_memory() {
    // SAFETY: sets one option, a word mimalloc reads without locking, to
    // a value it documents (-1: never purge); the threads that allocate
    // read it each time they would purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}
