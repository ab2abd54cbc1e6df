import MediaCore
import MediaTransport
struct ProbeRequirements { var video: String?; var audio: String?; var minFPS: Double?; var minWidth: Int?; var minHeight: Int?; var minBitrate: Double?; var maxKeyframeInterval: Double?
    func check(_ r: ProbeResult) -> [String] { [] } }
struct ProbeReport { let url: RTMPURL; let result: ProbeResult; let failures: [String]
    var json: JSONValue { .object([JSONField("state", .string(result.state.rawValue))]) }
    var text: String { result.state.rawValue } }
