import ArgumentParser

extension MediaCtl {
    struct Transponder: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transponder",
            abstract: "List, stop, mute and mix sound into running RTMP republishers (transponders), with no daemon.",
            discussion: """
                A transponder is a running process that republishes a source to an RTMP server: `rtmp push` (a file \
                or stdin), `rtms replay --push` and `rtms listen --push` (RTMS audio and video, encoded on the fly). \
                Each registers itself while it runs in a per-user runtime directory ($MEDIACTL_RUNTIME_DIR, else \
                $XDG_RUNTIME_DIR/mediactl, else /tmp/mediactl-UID; mode 0700, refused when another user owns it or \
                can enter it) and answers control requests on a Unix socket there. `ls` asks every one of them; \
                entries of processes that have ended (SIGKILL included) are removed on sight. Other users can \
                neither see nor control them.

                A second transponder for the same source and destination (scheme, host, port, app and stream \
                name) is refused: the command that would start it exits with status 5 and names the one running.

                Stream names are stream keys at most services: they are never printed (`***`, as in every URL \
                mediactl prints); `ls --stream NAME` still finds a transponder by name.
                """,
            subcommands: [List.self, Stop.self, Mute.self, Unmute.self, Sound.self, SoundOff.self]
        )
    }
}
