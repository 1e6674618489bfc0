#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator gives big blocks back to the kernel as soon as they are freed. An analysis at scale L builds
/// arrays of tens of megabytes for every request (a year of customer-months is half a million rows), and taking those
/// pages from the kernel again — a fault and a zeroed page every 4 KiB — was a third of a director's retention on
/// PostgreSQL. The server keeps freed blocks up to glibc's largest heap block (32 MiB) in its heap, and trims the heap
/// only past 128 MiB of free space, about what a report at L builds: the next report finds its memory there, and a
/// day of reports does not keep the high-water mark of two at once (docs/performance.md, "PostgreSQL at L within the
/// budget" and "One heap").
///
/// And one heap for every thread. glibc gives a thread that finds the heap busy a heap of its own, up to eight per
/// core, and each keeps its own freed memory: a report served on another thread than the last one built its working
/// set anew in another heap, and eight retention reports at L held 850 MiB. In one heap the next report reuses what
/// the last one freed (360 MiB), at no cost measured to throughput: small blocks come from each thread's own cache
/// without the heap's lock (docs/performance.md, "One heap").
enum HeapTuning {
    static func keepFreedBlocks() {
        #if canImport(Glibc)
        // malloc.h is not part of Swift's Glibc module, so mallopt is looked up by name; -3, -1 and -8 are glibc's
        // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD and M_ARENA_MAX. Another C library simply has no such symbol.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 32 << 20)
        _ = mallopt(-1, 128 << 20)
        _ = mallopt(-8, 1)
        #endif
    }
}
