//! How gongkai's memory is mapped: the two settings it changes.
//!
//! - **No transparent huge pages** ([`no_huge_pages`]), for the whole
//!   process, from its start.
//! - **Freed memory kept** ([`keep_freed_memory`]): by default mimalloc
//!   hands memory that stays free back to the system after a short delay.
//!   Whatever is allocated next then has every page mapped and zeroed by
//!   the kernel again, which on a virtual machine costs more than the work
//!   done in it.
//!
//! And one way of freeing: [`free_in_background`].

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

/// Turns transparent huge pages off for this process (Linux; elsewhere
/// it does nothing). Called first thing in `main`.
///
/// mimalloc asks for huge pages (2 MiB) for its arenas. On a virtual
/// machine whose host takes back the memory a guest frees (free page
/// reporting, as on Firecracker, where this was measured), each huge page
/// faulted in costs the kernel a large, zeroed, contiguous block to find:
/// a 10,000-notice build run 12 s after the last one spent 2.1–3.5 s in
/// the kernel with them and 1.0–1.2 s without, and took 5.8–7.0 s
/// instead of 5.4–5.6 s (3 runs each, alternated). Run back to back, the
/// two took the same time; with small pages the peak memory is about
/// 30 MB lower and the user time about 3 % higher (more TLB misses).
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes a flag and no pointers; it only
    // changes how the kernel maps this process's memory. A kernel that
    // does not know it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Frees `value` on a thread of its own: what a finished build leaves
/// (its site model, every notice and its compiled pages) takes one thread
/// about 0.1 s to free at 10,000 notices, and nothing waits for it. When
/// the process ends first, the system takes the memory back at once.
pub fn free_in_background<T: Send + 'static>(value: T) {
    // A thread that cannot be started leaves the freeing to this one.
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}
