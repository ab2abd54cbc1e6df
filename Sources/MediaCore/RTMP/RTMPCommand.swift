/// An AMF0 command message's contents (message type 20, section 7.1.1).
///
/// "A command message consists of command name, transaction ID, and command object that contains related
/// parameters." (section 7.1.1) "The sender sends a command message that consists of command name, transaction ID,
/// and command object that contains related parameters. [...] The receiver processes the command and sends back the
/// response with the same transaction ID. The response string is either _result, _error, or a method name"
/// (section 7.2). Everything after the command object (optional user arguments, a `_result`'s information object, a
/// stream id, `publish`'s name and type) is in `arguments`.
public struct RTMPCommand: Sendable, Equatable {
    /// "connect", "createStream", "publish", "_result", "_error", "onStatus", ...
    public var name: String
    /// "Transaction ID | Number" (section 7.2.1.1): 1 for connect, 0 when no answer is expected (section 7.2.1.2).
    public var transactionID: Double
    /// An object for connect and its answer; null for most others ("If there exists any command info this is set,
    /// else this is set to null type", section 7.2.1.2).
    public var commandObject: AMF0Value
    /// The values after the command object.
    public var arguments: [AMF0Value]

    public init(name: String, transactionID: Double, commandObject: AMF0Value = .null, arguments: [AMF0Value] = []) {
        self.name = name
        self.transactionID = transactionID
        self.commandObject = commandObject
        self.arguments = arguments
    }
}
