import Foundation
import MediaCore

/// One stream's recording on disk: its files (one or more `.mrtms`, read one after the other in name order) and
/// the stream named in the first file's header.
public struct RTMSRecordedStream: Sendable {
    public var files: [String]
    /// The directory holding the files, nil when RECORDING named a file.
    public var directory: String?
    public var header: RTMSRecordingHeader

    /// `rtms_stream_id` from the header, else the directory's name, else the file's name.
    public var streamID: String {
        header.descriptor?.streamID
            ?? URL(fileURLWithPath: directory ?? files.first ?? "recording").deletingPathExtension().lastPathComponent
    }

    /// The product for naming events (meeting when the header does not say).
    public var product: RTMSProduct { header.descriptor?.product ?? .meeting }
}

/// Finds the recordings RECORDING names: a recording file; a stream's directory (its `.mrtms` files); or a whole
/// `rtms listen --record` directory (one sub-directory per stream).
public enum RTMSRecordingLocator {
    public static let fileExtension = "mrtms"

    /// The streams at `path`, sorted by stream id; with `streamID`, only that stream (matched against the header's
    /// `rtms_stream_id` and the directory name). Throws `.inputMissing` when there is nothing to read, `.notFound`
    /// for an unknown `streamID`.
    public static func streams(at path: String, streamID: String? = nil) async throws -> [RTMSRecordedStream] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MediaError(.inputMissing, "no such recording: '\(path)'")
        }
        var streams: [RTMSRecordedStream] = []
        if !isDirectory.boolValue {
            streams = [RTMSRecordedStream(files: [path], directory: nil, header: try await RTMSRecordingFileReader.header(of: path))]
        } else {
            let own = try recordingFiles(in: path)
            if !own.isEmpty {
                streams = [try await stream(files: own, directory: path)]
            } else {
                for entry in try entries(of: path) {
                    let sub = (path as NSString).appendingPathComponent(entry)
                    var subIsDirectory: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: sub, isDirectory: &subIsDirectory), subIsDirectory.boolValue
                    else { continue }
                    let files = try recordingFiles(in: sub)
                    guard !files.isEmpty else { continue }
                    streams.append(try await stream(files: files, directory: sub))
                }
            }
            guard !streams.isEmpty else {
                throw MediaError(
                    .inputMissing,
                    "no recording in '\(path)': expected .\(fileExtension) files, or directories of them (one per stream)")
            }
        }
        streams.sort { $0.streamID < $1.streamID }
        guard let streamID else { return streams }
        let chosen = streams.filter {
            $0.streamID == streamID || $0.directory.map { URL(fileURLWithPath: $0).lastPathComponent == streamID } == true
        }
        guard !chosen.isEmpty else {
            throw MediaError(
                .notFound,
                "no stream \(streamID) in '\(path)' (streams: \(streams.map(\.streamID).joined(separator: ", ")))")
        }
        return chosen
    }

    /// The files of one stream, oldest first by their headers' `created_us` (a recording made after a restart is
    /// `stream-2.mrtms`, which sorts before `stream.mrtms` by name), then by name.
    private static func stream(files: [String], directory: String) async throws -> RTMSRecordedStream {
        var headers: [(file: String, header: RTMSRecordingHeader)] = []
        for file in files { headers.append((file, try await RTMSRecordingFileReader.header(of: file))) }
        headers.sort { ($0.header.createdMicros ?? 0, $0.file) < ($1.header.createdMicros ?? 0, $1.file) }
        return RTMSRecordedStream(files: headers.map(\.file), directory: directory, header: headers[0].header)
    }

    private static func entries(of directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw MediaError(.io, "cannot list '\(directory)': \(error.localizedDescription)")
        }
    }

    private static func recordingFiles(in directory: String) throws -> [String] {
        try entries(of: directory).filter { $0.hasSuffix(".\(fileExtension)") && !$0.hasPrefix(".") }
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}
