import NIOCore

/// Script data: the body of an FLV script tag (type 18) or of an RTMP AMF0 data message (type 18).
///
/// FLV spec v10.1 E.4.4.1 SCRIPTDATA: "Name SCRIPTDATAVALUE: Method or object name. SCRIPTDATAVALUE.Type = 2
/// (String)", then "Value SCRIPTDATAVALUE: AMF arguments or object properties. SCRIPTDATAVALUE.Type = 8 (ECMA
/// array)". Publishers send metadata over RTMP wrapped in `@setDataFrame`: ("@setDataFrame", "onMetaData", obj);
/// servers and files carry ("onMetaData", obj).
public enum ScriptData {
    /// The name publishers put in front of the real name so the server stores the data frame.
    public static let setDataFrame = "@setDataFrame"

    /// The name and value of a script data body, unwrapping `@setDataFrame`. Values after the first are not read
    /// (so trailing bytes after it are ignored).
    public static func parse(_ payload: ByteBuffer) throws -> (name: String, value: AMF0Value) {
        var buffer = payload
        guard case .string(var name) = try buffer.readAMF0Value() else {
            throw MediaError(.malformedInput, "script data does not start with a name string")
        }
        if name == setDataFrame {
            guard buffer.readableBytes > 0, case .string(let inner) = try buffer.readAMF0Value() else {
                throw MediaError(.malformedInput, "@setDataFrame script data without a name string after it")
            }
            name = inner
        }
        guard buffer.readableBytes > 0 else {
            throw MediaError(.malformedInput, "script data '\(name)' has no value")
        }
        return (name, try buffer.readAMF0Value())
    }

    /// Writes ("@setDataFrame", name, value) when `setDataFrame` (what an RTMP publisher sends), else (name, value)
    /// (what an FLV file holds).
    public static func encode(
        name: String = "onMetaData", value: AMF0Value, setDataFrame: Bool, into buffer: inout ByteBuffer
    ) {
        if setDataFrame { buffer.writeAMF0Value(.string(Self.setDataFrame)) }
        buffer.writeAMF0Value(.string(name))
        buffer.writeAMF0Value(value)
    }
}
