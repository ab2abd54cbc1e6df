public enum MediaCoreVersion { public static let string = "0.1.0" }
