import Foundation

/// Runs the built `mediactl` where host names come from /etc/hosts only, so that a name lookup never leaves the
/// machine: the tests send nothing to any address but loopback, and the machine's resolver may point at a name
/// server elsewhere. The process runs in a user and mount namespace of its own (`unshare -rm`, no privileges
/// needed) with a file holding `hosts: files` bind-mounted over /etc/nsswitch.conf; glibc then answers
/// `localhost` from /etc/hosts and any other name with "not known", without asking DNS.
enum FilesOnlyHosts {
    /// The nsswitch.conf the namespace sees: one per test process.
    private static let nsswitch: String? = {
        let path = NSTemporaryDirectory() + "/mediactl-nsswitch-\(getpid()).conf"
        do {
            try "hosts: files\n".write(toFile: path, atomically: true, encoding: .utf8)
            return path
        } catch {
            return nil
        }
    }()

    /// `unshare -rm sh -c '<bind-mount, then exec>' sh PROGRAM ARGS...`.
    private static func commandLine(_ program: String, _ args: [String]) throws -> (String, [String]) {
        guard let nsswitch else { throw HarnessError("could not write the files-only nsswitch.conf") }
        let script = "mount --bind \"$NSSWITCH\" /etc/nsswitch.conf && exec \"$@\""
        return ("unshare", ["-rm", "env", "NSSWITCH=\(nsswitch)", "sh", "-c", script, "sh", program] + args)
    }

    /// Whether this machine lets an unprivileged user make such a namespace: a container without user namespaces
    /// (or without `unshare`) does not, and the tests that need it are then skipped. Checked by reading the
    /// nsswitch.conf the namespace sees, which looks nothing up.
    static let available: Bool = {
        guard let (program, args) = try? commandLine("cat", ["/etc/nsswitch.conf"]),
            let result = try? EndToEndTests.run(program, args, timeout: 10)
        else { return false }
        return result.exitCode == 0 && result.stdoutText == "hosts: files\n"
    }()

    /// Runs `mediactl ARGS` in the namespace to completion (see `run(_:_:stdin:environment:currentDirectory:timeout:)`).
    static func run(_ args: [String], environment: [String: String]? = nil, timeout: TimeInterval) throws -> RunResult {
        let (program, fullArgs) = try commandLine(try MediaCtl.path(), args)
        return try EndToEndTests.run(program, fullArgs, environment: environment, timeout: timeout)
    }

    /// Starts `mediactl ARGS` in the namespace in the background.
    static func start(_ args: [String], environment: [String: String]? = nil) throws -> BackgroundProcess {
        let (program, fullArgs) = try commandLine(try MediaCtl.path(), args)
        return try BackgroundProcess(program, fullArgs, environment: environment)
    }
}
