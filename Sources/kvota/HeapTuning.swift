#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator gives big blocks back to the kernel as soon as they are freed. An analysis at scale L builds
/// arrays of tens of megabytes for every request (a year of customer-months is half a million rows), and taking those
/// pages from the kernel again — a fault and a zeroed page every 4 KiB — was a third of a director's retention on
/// PostgreSQL. The server keeps freed blocks up to glibc's largest heap block (32 MiB) in its heap, and trims the heap
/// only past 512 MiB of free space: resident memory stays at its high-water mark instead of going up and down with
/// every report (docs/performance.md, "PostgreSQL at L within the budget").
enum HeapTuning {
    static func keepFreedBlocks() {
        #if canImport(Glibc)
        // malloc.h is not part of Swift's Glibc module, so mallopt is looked up by name; -3 and -1 are glibc's
        // M_MMAP_THRESHOLD and M_TRIM_THRESHOLD. Another C library simply has no such symbol.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 32 << 20)
        _ = mallopt(-1, 512 << 20)
        #endif
    }
}
