//! The allocator of Node's speed module (feature `speed`, which scripts/build-npm sets for
//! `ledgerbridge_wasm_fast.wasm` only): blocks of up to [`SMALL`] bytes from the lean modules'
//! power-of-two free lists ([`Heap`]), larger ones from the default allocator (dlmalloc). Mapping
//! an order makes some fifty small allocations, and dlmalloc spent about a hundred instructions on
//! each allocate-and-free; a free list spends a pop and a push. Large blocks (a backfill's 1 MiB
//! chunks and its output) stay with dlmalloc, which coalesces and reuses them; the small ones are
//! reused by class, so what they hold is at most what one block's mapping had live at once,
//! rounded up to powers of two.
//!
//! Why it is sound (the `GlobalAlloc` contract):
//! - The small side is `Heap`, whose contract lean_alloc.rs argues, over pages it takes from the
//!   large side: 64 KiB-aligned blocks that are never given back, so never handed out twice.
//! - Each block goes back to the side that made it: `dealloc` and `realloc` get the layout the
//!   block was allocated with, and the side is a function of that layout alone. A `realloc` that
//!   crosses [`SMALL`] allocates on the other side, copies and frees.
//! - One thread, no re-entry: as lean_alloc.rs, and the large allocator never calls this one.

use crate::lean_alloc::{Heap, Pages, PAGE};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

/// The largest block (size or alignment) the free lists serve.
pub const SMALL: usize = 1024;

fn is_small(size: usize, align: usize) -> bool {
    size.max(align) <= SMALL
}

/// Pages carved out of another allocator, as `Heap` wants them: the index of the first one.
pub struct PagesFrom<A>(A);

impl<A: GlobalAlloc> Pages for PagesFrom<A> {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        let layout = Layout::from_size_align(pages.checked_mul(PAGE)?, PAGE).ok()?;
        if layout.size() == 0 {
            return None;
        }
        // SAFETY: a layout of non-zero size; the block is never freed, so it stays the heap's.
        let ptr = unsafe { self.0.alloc(layout) };
        (!ptr.is_null()).then_some(ptr as usize / PAGE)
    }
}

/// Small blocks from free lists, the rest from `large`.
pub struct Split<A: GlobalAlloc + Copy> {
    large: A,
    small: UnsafeCell<Heap<PagesFrom<A>>>,
}

impl<A: GlobalAlloc + Copy> Split<A> {
    pub const fn new(large: A) -> Self {
        Split {
            large,
            small: UnsafeCell::new(Heap::new(PagesFrom(large))),
        }
    }
}

// SAFETY: only instantiated on wasm32 without atomics, where there is one thread (module comment).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for Split<std::alloc::System> {}

// SAFETY: the module comment; the cell is never borrowed twice at once.
unsafe impl<A: GlobalAlloc + Copy> GlobalAlloc for Split<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if is_small(layout.size(), layout.align()) {
            unsafe { (*self.small.get()).alloc(layout.size(), layout.align()) as *mut u8 }
        } else {
            unsafe { self.large.alloc(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if is_small(layout.size(), layout.align()) {
            unsafe { (*self.small.get()).dealloc(ptr as usize, layout.size(), layout.align()) }
        } else {
            unsafe { self.large.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        match (is_small(size, align), is_small(new_size, align)) {
            (true, true) => unsafe {
                (*self.small.get()).realloc(ptr as usize, size, align, new_size) as *mut u8
            },
            (false, false) => unsafe { self.large.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: the contract makes `new_size` at this alignment a valid layout.
                let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, align) };
                // SAFETY: a fresh block of the other side, distinct from `ptr`'s; `ptr` is freed
                // with its own layout after its first bytes are copied.
                unsafe {
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, size.min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "speed"
))]
#[global_allocator]
static ALLOCATOR: Split<std::alloc::System> = Split::new(std::alloc::System);

#[cfg(test)]
mod tests {
    use super::{Split, SMALL};
    use crate::lean_alloc::PAGE;
    use std::alloc::{GlobalAlloc, Layout, System};

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap_or_else(|_| unreachable!())
    }

    /// Writes `seed`-derived bytes over a block and checks them later: no two live blocks overlap.
    fn fill(ptr: *mut u8, len: usize, seed: u8) {
        for i in 0..len {
            // SAFETY: `ptr` is a live block of at least `len` bytes.
            unsafe { ptr.add(i).write(seed.wrapping_add(i as u8)) };
        }
    }
    fn intact(ptr: *const u8, len: usize, seed: u8) -> bool {
        // SAFETY: as `fill`.
        (0..len).all(|i| unsafe { ptr.add(i).read() } == seed.wrapping_add(i as u8))
    }

    #[test]
    fn small_blocks_come_from_pages_and_are_reused_large_ones_from_the_large_allocator() {
        let split = Split::new(System);
        // SAFETY: each block is used within its size and freed once with its own layout.
        unsafe {
            let a = split.alloc(layout(24, 8));
            let b = split.alloc(layout(24, 8));
            assert_eq!(
                b as usize,
                a as usize + 32,
                "one 32-byte class, carved in a row"
            );
            assert_eq!(a as usize % PAGE, 0, "the first block starts its page");
            split.dealloc(a, layout(24, 8));
            assert_eq!(
                split.alloc(layout(20, 4)),
                a,
                "a freed block is the next of its class"
            );
            let big = split.alloc(layout(SMALL + 1, 8));
            assert!(!big.is_null());
            assert!(
                (big as usize) < a as usize || big as usize >= a as usize + PAGE,
                "a large block is not in the small blocks' page"
            );
            split.dealloc(big, layout(SMALL + 1, 8));
            split.dealloc(a, layout(20, 4));
            split.dealloc(b, layout(24, 8));
        }
    }

    /// Blocks of every size around the boundary grown and shrunk across it, many live at once:
    /// contents kept, alignment kept, no two live blocks overlapping.
    #[test]
    fn realloc_across_the_boundary_keeps_contents_and_alignment() {
        let split = Split::new(System);
        let sizes = [
            1,
            7,
            8,
            9,
            100,
            511,
            512,
            513,
            SMALL - 1,
            SMALL,
            SMALL + 1,
            3000,
            70_000,
        ];
        let mut live: Vec<(*mut u8, usize, usize, u8)> = Vec::new();
        // SAFETY: as above; every block is freed once, with the layout it has then.
        unsafe {
            for (n, &from) in sizes.iter().enumerate() {
                for (m, &to) in sizes.iter().enumerate() {
                    let align = [1, 8, 16][(n + m) % 3];
                    let seed = (n * sizes.len() + m) as u8;
                    let ptr = split.alloc(layout(from, align));
                    assert!(!ptr.is_null() && ptr as usize % align == 0);
                    fill(ptr, from, seed);
                    let moved = split.realloc(ptr, layout(from, align), to);
                    assert!(
                        !moved.is_null() && moved as usize % align == 0,
                        "{from} → {to}"
                    );
                    assert!(
                        intact(moved, from.min(to), seed),
                        "{from} → {to} kept its bytes"
                    );
                    fill(moved, to, seed);
                    live.push((moved, to, align, seed));
                }
            }
            for &(ptr, len, _, seed) in &live {
                assert!(intact(ptr, len, seed), "a live block was written over");
            }
            for (ptr, len, align, _) in live {
                split.dealloc(ptr, layout(len, align));
            }
        }
    }
}
