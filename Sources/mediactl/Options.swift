import ArgumentParser
import MediaTransport

struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON on stdout (one object, or NDJSON events) instead of text.")
    var json = false

    @Flag(name: [.short, .long], help: "Print nothing on stderr but errors.")
    var quiet = false
}

struct TLSFlags: ParsableArguments {
    @Option(name: .customLong("ca-file"), help: ArgumentHelp("Trust the CA certificates in this PEM file instead of the system store.", valueName: "path"))
    var caFile: String?

    @Flag(help: "Do not verify the server's TLS certificate (rtmps://).")
    var insecure = false

    var options: TLSOptions { TLSOptions(caFile: caFile, insecure: insecure) }
}
