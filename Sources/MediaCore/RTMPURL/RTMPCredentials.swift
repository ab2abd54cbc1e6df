/// The user name and password from an RTMP URL's userinfo (`rtmp://user:password@host/...`), percent-decoded.
///
/// They are never sent in `tcUrl`; they only answer an `authmod=adobe` or `authmod=llnw` challenge. Printing,
/// dumping or interpolating a value never shows the password.
public struct RTMPCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

extension RTMPCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "RTMPCredentials(user: \(user), password: ***)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["user": user, "password": "***"]) }
}
