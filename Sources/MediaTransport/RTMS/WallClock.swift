#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Unix time from `CLOCK_REALTIME`: what the RTMS session takes as `now` and a recording as arrival time.
enum WallClock {
    struct Reading {
        var seconds: Double
        var micros: UInt64
    }

    static func now() -> Reading {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let micros = UInt64(max(ts.tv_sec, 0)) * 1_000_000 + UInt64(max(ts.tv_nsec, 0)) / 1000
        return Reading(seconds: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9, micros: micros)
    }
}
