//! What the fuzz targets share: the allocation bound of `-malloc_limit_mb`, held by the targets
//! themselves so that it holds in a build without a sanitizer too.
//!
//! libFuzzer sees allocations only through a sanitizer's malloc hooks
//! (`__sanitizer_install_malloc_and_free_hooks`, `FuzzerLoop.cpp`): a target built with
//! `cargo fuzz build --sanitizer none` (`scripts/fuzz --no-sanitizer`: 9 times the executions
//! per second on `extract`, BENCHMARKS.md, without AddressSanitizer's memory checks) would take `-malloc_limit_mb` and check nothing. [`Capped`], the targets' global
//! allocator, applies the same flag with libFuzzer's rule (`FuzzerLoop.cpp`, `MallocHook`): one
//! allocation of `-malloc_limit_mb` MiB or more is reported on stderr and the process aborts,
//! which libFuzzer records as a crash and keeps its input in the artifact directory. Under
//! AddressSanitizer both checks apply, at the same size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The bound in MiB; 0 (before [`init`] has read the flag, or without it) checks nothing.
static LIMIT_MB: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, refusing any single allocation (or reallocation) of `-malloc_limit_mb`
/// MiB or more by aborting the process.
pub struct Capped;

/// Every target's allocator: a target links this crate by calling [`init`].
#[global_allocator]
static ALLOCATOR: Capped = Capped;

/// Reads `-malloc_limit_mb=N` from the command line (libFuzzer's own flag, so that the script's
/// limit table stays the one source): called once, before any input, by each target's
/// `fuzz_target!(init: lajna_fuzz::init(), …)`.
pub fn init() {
    let limit = std::env::args()
        .find_map(|arg| arg.strip_prefix("-malloc_limit_mb=").and_then(|n| n.parse::<usize>().ok()))
        .unwrap_or(0);
    LIMIT_MB.store(limit, Ordering::Relaxed);
}

fn check(size: usize) {
    let limit = LIMIT_MB.load(Ordering::Relaxed);
    if limit > 0 && size >> 20 >= limit {
        // Formatting an integer to stderr does not allocate.
        let _ = writeln!(
            std::io::stderr(),
            "==lajna-fuzz== ERROR: out-of-memory (malloc({size})): one allocation of -malloc_limit_mb={limit} MiB or more"
        );
        std::process::abort();
    }
}

// SAFETY: every call is passed on unchanged to `System`, after a check that allocates nothing.
unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: the caller's contract for `alloc` is `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (every allocation goes there).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        // SAFETY: as for `dealloc`; `new_size` is the caller's, unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
