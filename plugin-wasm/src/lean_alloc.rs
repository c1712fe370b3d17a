//! The allocator of the widget's lean modules (built without `full`): one free list per power-of-two
//! size class, blocks carved from pages the module grows. dlmalloc, the default, was about 8 KB of
//! each lean module's code for a page that maps one order at a time; this is a few hundred bytes.
//! The full module keeps dlmalloc: Node backfills map millions of records, where a power-of-two
//! class (up to half of a block unused) and never giving memory back would cost more than bytes.
//! Node's speed module puts this heap in front of dlmalloc for small blocks only (speed_alloc.rs).
//!
//! Why it is sound (the `GlobalAlloc` contract):
//! - One thread: wasm32 without the `atomics` target feature cannot run two threads in one
//!   instance, so the state in the `UnsafeCell` is never touched by two calls at once, and no call
//!   re-enters (none of it allocates). The allocator is only declared for that target.
//! - Alignment: a block of class `k` is `2^k` bytes at an address that is a multiple of `2^k`, and a
//!   layout gets a class with `2^k >= max(size, align)`. Classes up to one page (64 KiB) are carved
//!   from pages, which are 64 KiB-aligned, at the next multiple of their size; larger ones are whole
//!   runs of fresh pages. An alignment above 64 KiB is refused (null), which the contract allows.
//! - No overlap: every byte the allocator hands out was grown once and carved into exactly one
//!   block; a freed block goes onto its class's list (its link in its own first bytes, which are
//!   the caller's no longer) and is handed out again only from there. `dealloc` and `realloc` are
//!   given the layout the block was allocated with, so they find the same class.
//!
//! The logic is `Heap`, over any source of pages, so the tests run it natively on a fake memory.

#[cfg(any(test, not(feature = "full")))]
use std::cell::UnsafeCell;

pub(crate) const PAGE: usize = 1 << 16;
/// Classes 3 (8 bytes, room for the free-list link) to 31.
const MIN_CLASS: u32 = 3;
const CLASSES: usize = usize::BITS as usize;

/// Where pages come from: `grow(n)` adds `n` pages and returns the first one's index, or `None`.
pub trait Pages {
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

pub struct Heap<P> {
    pages: P,
    /// The unused rest of the last page taken for small blocks: `[next, end)`.
    next: usize,
    end: usize,
    /// The first free block of each class (0: none); a free block holds the next one's address.
    free: [usize; CLASSES],
}

impl<P: Pages> Heap<P> {
    pub const fn new(pages: P) -> Self {
        Heap {
            pages,
            next: 0,
            end: 0,
            free: [0; CLASSES],
        }
    }

    /// The class of a block that fits `size` bytes at `align`, `None` past the address space.
    fn class(size: usize, align: usize) -> Option<u32> {
        let bytes = size.max(align).checked_next_power_of_two()?;
        Some(bytes.trailing_zeros().max(MIN_CLASS))
    }

    /// The address of a free block of `size` bytes aligned to `align`, or 0.
    ///
    /// # Safety
    /// The memory `Pages` hands out is this heap's alone, readable and writable.
    pub unsafe fn alloc(&mut self, size: usize, align: usize) -> usize {
        if align > PAGE {
            return 0;
        }
        let Some(class) = Self::class(size, align) else {
            return 0;
        };
        let head = self.free[class as usize];
        if head != 0 {
            // SAFETY: `head` is a free block of this class; its first word is the link `dealloc` wrote.
            self.free[class as usize] = unsafe { (head as *const usize).read() };
            return head;
        }
        let bytes = 1usize << class;
        if bytes >= PAGE {
            return self.pages.grow(bytes / PAGE).map_or(0, |page| page * PAGE);
        }
        // Pages are PAGE-aligned and `bytes` divides PAGE, so a block that starts at a multiple
        // of `bytes` inside the current page also ends inside it or exactly at its end.
        let start = self.next.next_multiple_of(bytes);
        if start + bytes > self.end {
            let Some(page) = self.pages.grow(1) else {
                return 0;
            };
            self.next = page * PAGE + bytes;
            self.end = page * PAGE + PAGE;
            return page * PAGE;
        }
        self.next = start + bytes;
        start
    }

    /// Gives back the block at `ptr`, allocated with this `size` and `align`.
    ///
    /// # Safety
    /// `ptr` came from `alloc` (or `realloc`) with the same size and alignment, and is not used again.
    pub unsafe fn dealloc(&mut self, ptr: usize, size: usize, align: usize) {
        if let Some(class) = Self::class(size, align) {
            // SAFETY: the block is at least 8 bytes, aligned to them, and the caller's no longer.
            unsafe { (ptr as *mut usize).write(self.free[class as usize]) };
            self.free[class as usize] = ptr;
        }
    }

    /// A block for `new_size` bytes holding the first bytes of the block at `ptr`: the same block
    /// when the size stays in its class (a `Vec` growing within it copies nothing).
    ///
    /// # Safety
    /// As `dealloc` for `ptr`, `size` and `align`.
    pub unsafe fn realloc(
        &mut self,
        ptr: usize,
        size: usize,
        align: usize,
        new_size: usize,
    ) -> usize {
        if Self::class(size, align) == Self::class(new_size, align) {
            return ptr;
        }
        // SAFETY: as the caller promises for `ptr`; the new block is a distinct one of its own.
        unsafe {
            let new = self.alloc(new_size, align);
            if new != 0 {
                std::ptr::copy_nonoverlapping(ptr as *const u8, new as *mut u8, size.min(new_size));
                self.dealloc(ptr, size, align);
            }
            new
        }
    }
}

/// The instance's own memory (memory 0), grown page by page.
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    not(feature = "full")
))]
pub struct Memory;

#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    not(feature = "full")
))]
impl Pages for Memory {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        match core::arch::wasm32::memory_grow(0, pages) {
            usize::MAX => None,
            page => Some(page),
        }
    }
}

/// `Heap` as the global allocator; see the module comment for why a cell without a lock is sound.
#[cfg(any(test, not(feature = "full")))]
pub struct Global<P>(UnsafeCell<Heap<P>>);

#[cfg(any(test, not(feature = "full")))]
impl<P: Pages> Global<P> {
    pub const fn new(pages: P) -> Self {
        Global(UnsafeCell::new(Heap::new(pages)))
    }
}

// SAFETY: only instantiated on wasm32 without atomics, where there is one thread (module comment).
#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    not(feature = "full")
))]
unsafe impl Sync for Global<Memory> {}

// SAFETY: `Heap` keeps the contract (module comment); the cell is never borrowed twice at once.
#[cfg(any(test, not(feature = "full")))]
unsafe impl<P: Pages> std::alloc::GlobalAlloc for Global<P> {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        unsafe { (*self.0.get()).alloc(layout.size(), layout.align()) as *mut u8 }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { (*self.0.get()).dealloc(ptr as usize, layout.size(), layout.align()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        unsafe {
            (*self.0.get()).realloc(ptr as usize, layout.size(), layout.align(), new_size)
                as *mut u8
        }
    }
}

#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    not(feature = "full")
))]
#[global_allocator]
static ALLOCATOR: Global<Memory> = Global::new(Memory);

#[cfg(test)]
mod tests {
    use super::{Heap, Pages, PAGE};
    use std::alloc::{alloc_zeroed, dealloc, Layout};

    /// A fake wasm memory: `limit` pages of one host allocation, aligned as wasm pages are
    /// (a page's index is its host address over the page size, so blocks are host addresses).
    struct Fake {
        base: *mut u8,
        used: usize,
        limit: usize,
    }

    impl Fake {
        fn new(limit: usize) -> Fake {
            let layout =
                Layout::from_size_align(limit * PAGE, PAGE).unwrap_or_else(|_| unreachable!());
            // SAFETY: non-zero size.
            let base = unsafe { alloc_zeroed(layout) };
            assert!(!base.is_null());
            Fake {
                base,
                used: 0,
                limit,
            }
        }
    }

    impl Drop for Fake {
        fn drop(&mut self) {
            let layout =
                Layout::from_size_align(self.limit * PAGE, PAGE).unwrap_or_else(|_| unreachable!());
            // SAFETY: allocated in `new` with this layout.
            unsafe { dealloc(self.base, layout) }
        }
    }

    impl Pages for Fake {
        fn grow(&mut self, pages: usize) -> Option<usize> {
            if self.used + pages > self.limit {
                return None;
            }
            self.used += pages;
            Some(self.base as usize / PAGE + self.used - pages)
        }
    }

    /// The host pointer of a heap address.
    fn at(heap: &Heap<Fake>, addr: usize) -> *mut u8 {
        let base = heap.pages.base as usize;
        assert!(addr >= base && addr < base + heap.pages.limit * PAGE);
        addr as *mut u8
    }

    /// A small deterministic generator (xorshift), so a failure replays.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    struct Live {
        addr: usize,
        size: usize,
        align: usize,
        tag: u8,
    }

    fn fill(heap: &Heap<Fake>, b: &Live) {
        // SAFETY: the block is `size` bytes of the fake memory, ours while live.
        unsafe { std::ptr::write_bytes(at(heap, b.addr), b.tag, b.size) }
    }

    fn intact(heap: &Heap<Fake>, b: &Live, len: usize) -> bool {
        // SAFETY: as in `fill`.
        let bytes = unsafe { std::slice::from_raw_parts(at(heap, b.addr), len) };
        bytes.iter().all(|x| *x == b.tag)
    }

    /// Random allocations, frees and resizes: every block aligned, none overlapping another live
    /// one (each holds its own tag until freed), resizes keep the contents, and a second round of
    /// the same work reuses the freed blocks instead of growing memory.
    #[test]
    fn blocks_are_aligned_disjoint_kept_and_reused() {
        let mut heap = Heap::new(Fake::new(4096));
        let mut grown_after_first = 0;
        for round in 0..2 {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
            let mut live: Vec<Live> = Vec::new();
            for step in 0..20_000u32 {
                let pick = rng.next();
                match pick % 4 {
                    0 | 1 => {
                        let size = match pick >> 8 & 15 {
                            0 => 70_000 + (pick >> 16) as usize % 200_000,
                            1..=3 => 1 + (pick >> 16) as usize % 5_000,
                            _ => 1 + (pick >> 16) as usize % 64,
                        };
                        let align = 1 << ((pick >> 40) % 8);
                        // SAFETY: the fake memory is the heap's alone.
                        let addr = unsafe { heap.alloc(size, align) };
                        assert_ne!(addr, 0, "out of memory at step {step}");
                        assert_eq!(addr % align, 0, "{size} bytes at {align}");
                        let b = Live {
                            addr,
                            size,
                            align,
                            tag: step as u8 | 1,
                        };
                        fill(&heap, &b);
                        live.push(b);
                    }
                    2 if !live.is_empty() => {
                        let b = live.swap_remove((pick >> 8) as usize % live.len());
                        assert!(intact(&heap, &b, b.size), "block overwritten");
                        // SAFETY: allocated with this size and alignment, not used again.
                        unsafe { heap.dealloc(b.addr, b.size, b.align) };
                    }
                    3 if !live.is_empty() => {
                        let i = (pick >> 8) as usize % live.len();
                        let new_size = 1 + (pick >> 20) as usize % 9_000;
                        let b = &live[i];
                        assert!(intact(&heap, b, b.size), "block overwritten");
                        // SAFETY: as for `dealloc`; the old address is replaced below.
                        let addr = unsafe { heap.realloc(b.addr, b.size, b.align, new_size) };
                        assert_ne!(addr, 0);
                        assert_eq!(addr % b.align, 0);
                        let moved = Live {
                            addr,
                            size: new_size,
                            align: b.align,
                            tag: b.tag,
                        };
                        assert!(intact(&heap, &moved, b.size.min(new_size)), "contents lost");
                        fill(&heap, &moved);
                        live[i] = moved;
                    }
                    _ => {}
                }
            }
            for b in live.drain(..) {
                assert!(intact(&heap, &b, b.size), "block overwritten");
                // SAFETY: as above.
                unsafe { heap.dealloc(b.addr, b.size, b.align) };
            }
            if round == 0 {
                grown_after_first = heap.pages.used;
            }
        }
        assert_eq!(
            heap.pages.used, grown_after_first,
            "the second round grew memory"
        );
    }

    /// Through `GlobalAlloc`, as the module uses it: a `Layout`'s size and alignment reach `Heap`.
    #[test]
    fn as_the_global_allocator() {
        use std::alloc::GlobalAlloc;
        let global = super::Global::new(Fake::new(8));
        let layout = Layout::from_size_align(24, 16).unwrap_or_else(|_| unreachable!());
        // SAFETY: the fake memory is the heap's alone; each block is freed with its own layout.
        unsafe {
            let a = global.alloc(layout);
            assert_eq!(a, global.0.get().as_ref().map_or(a, |h| h.pages.base));
            let b = global.realloc(a, layout, 30);
            assert_eq!(b, a, "24 and 30 bytes are one class");
            let c = global.realloc(
                b,
                Layout::from_size_align(30, 16).unwrap_or_else(|_| unreachable!()),
                40,
            );
            assert_eq!(c, a.wrapping_add(64), "the next 64-byte slot of the page");
            global.dealloc(
                c,
                Layout::from_size_align(40, 16).unwrap_or_else(|_| unreachable!()),
            );
            assert_eq!(
                global.alloc(Layout::from_size_align(64, 1).unwrap_or_else(|_| unreachable!())),
                c
            );
        }
    }

    #[test]
    fn refusals() {
        let mut heap = Heap::new(Fake::new(4));
        // SAFETY: the fake memory is the heap's alone.
        unsafe {
            assert_eq!(heap.alloc(16, 2 * PAGE), 0, "alignment above a page");
            assert_eq!(
                heap.alloc(usize::MAX / 2 + 2, 8),
                0,
                "past the address space"
            );
            assert_eq!(heap.alloc(8 * PAGE, 8), 0, "more pages than memory has");
            let a = heap.alloc(1, 1);
            let b = heap.alloc(1, 1);
            assert_eq!(b, a + 8, "small blocks share a page");
            assert_eq!(a, heap.pages.base as usize);
        }
    }
}
