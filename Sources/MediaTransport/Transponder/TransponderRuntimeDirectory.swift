import MediaCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-user directory that holds the transponder registry: one entry file, one control socket and one lock
/// file per transponder. No daemon: every publishing process writes its own, `ls` reads them all.
///
/// Where: `$MEDIACTL_RUNTIME_DIR` when set (tests, several independent registries), else
/// `$XDG_RUNTIME_DIR/mediactl` (the XDG Base Directory Specification: "a user-specific non-essential runtime
/// directory ... The directory MUST be owned by the user, and he MUST be the only one having read and write
/// access to it. Its Unix access mode MUST be 0700."), else `/tmp/mediactl-<uid>`.
///
/// Created with mode 0700. An existing one is used only if it is a real directory (not a symbolic link), owned
/// by this user, and closed to group and others: anything else could let another user read the registry,
/// plant entries or sockets, or answer control requests, so it is refused with `MediaError(.io)` saying why.
public struct TransponderRuntimeDirectory: Sendable, Equatable {
    public static let environmentVariable = "MEDIACTL_RUNTIME_DIR"

    public let path: String

    /// The path to use for this user and environment (not checked, not created).
    public static func path(environment: [String: String], uid: uid_t = geteuid()) -> String {
        if let explicit = environment[environmentVariable], !explicit.isEmpty { return explicit }
        // XDG: "If $XDG_RUNTIME_DIR is not set applications should fall back to a replacement directory with
        // similar capabilities"; a relative value is invalid and ignored, as the spec says for all its variables.
        if let xdg = environment["XDG_RUNTIME_DIR"], xdg.hasPrefix("/") { return xdg + "/mediactl" }
        return "/tmp/mediactl-\(uid)"
    }

    /// The directory for a process that registers: created when missing, checked when present.
    public static func prepare(environment: [String: String]) throws -> TransponderRuntimeDirectory {
        let path = path(environment: environment)
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            let code = errno
            throw MediaError(.io, "cannot create the transponder runtime directory \(path): \(String(cString: strerror(code)))")
        }
        try check(path)
        return TransponderRuntimeDirectory(path: path)
    }

    /// The directory for `ls` and the control commands: nil when it does not exist (no transponder ever ran),
    /// checked when present. Never created.
    public static func existing(environment: [String: String]) throws -> TransponderRuntimeDirectory? {
        let path = path(environment: environment)
        var info = stat()
        if lstat(path, &info) != 0 && errno == ENOENT { return nil }
        try check(path)
        return TransponderRuntimeDirectory(path: path)
    }

    init(path: String) {
        self.path = path
    }

    static func check(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            throw MediaError(.io, "cannot use the transponder runtime directory \(path): \(String(cString: strerror(code)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw MediaError(.io, "refusing the transponder runtime directory \(path): it is not a directory (a symbolic link?)")
        }
        guard info.st_uid == geteuid() else {
            throw MediaError(
                .io,
                "refusing the transponder runtime directory \(path): it belongs to uid \(info.st_uid), not to you (uid \(geteuid())); remove it or set \(environmentVariable)"
            )
        }
        guard info.st_mode & 0o077 == 0 else {
            throw MediaError(
                .io,
                "refusing the transponder runtime directory \(path): mode \(String(info.st_mode & 0o777, radix: 8)) lets group or others in; run chmod 700 \(path)"
            )
        }
    }

    /// `sockaddr_un.sun_path` holds 108 bytes on Linux (104 on the BSDs), the terminating NUL included.
    static let maxSocketPathBytes = 107

    public func file(_ name: String) -> String { path + "/" + name }

    /// `<id>.sock`, refused when the path does not fit a Unix socket address.
    func socketPath(for id: TransponderID) throws -> String {
        let socket = file(TransponderEntry.socketName(for: id))
        guard socket.utf8.count <= Self.maxSocketPathBytes else {
            throw MediaError(
                .io,
                "the transponder runtime directory \(path) is too long for a Unix socket path (\(socket.utf8.count) of at most \(Self.maxSocketPathBytes) bytes); set \(Self.environmentVariable) to a shorter one"
            )
        }
        return socket
    }

    /// `<key>.lock`.
    func lockPath(for key: TransponderKey) -> String { file(key.rawValue + ".lock") }
}
