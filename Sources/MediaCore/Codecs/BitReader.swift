import NIOCore

/// Reads a raw byte sequence payload (RBSP) bit by bit, most significant bit first, for H.264/H.265 parameter sets
/// and the AudioSpecificConfig. Every read checks the remaining bits and throws `.malformedInput` past the end.
struct BitReader {
    private let bytes: [UInt8]
    private(set) var bitOffset = 0
    /// What is being read, for error messages ("H.264 SPS").
    let context: String

    init(bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    /// The RBSP of a NAL unit: H.264 7.4.1 "emulation_prevention_three_byte is a byte equal to 0x03. When an
    /// emulation_prevention_three_byte is present in the NAL unit, it shall be discarded by the decoding process."
    /// (a 0x03 that follows two zero bytes).
    init(nalUnit buffer: ByteBuffer, context: String) {
        var out: [UInt8] = []
        out.reserveCapacity(buffer.readableBytes)
        var zeros = 0
        for byte in buffer.readableBytesView {
            if zeros >= 2 && byte == 0x03 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            out.append(byte)
        }
        self.init(bytes: out, context: context)
    }

    var bitsLeft: Int { bytes.count * 8 - bitOffset }

    mutating func skip(_ count: Int) throws {
        guard count <= bitsLeft else { throw truncated() }
        bitOffset += count
    }

    mutating func bit() throws -> Bool {
        try bits(1) == 1
    }

    /// u(n) for n <= 32.
    mutating func bits(_ count: Int) throws -> UInt32 {
        precondition(count <= 32)
        guard count <= bitsLeft else { throw truncated() }
        var value: UInt32 = 0
        for _ in 0..<count {
            let byte = bytes[bitOffset >> 3]
            let bit = (byte >> (7 - UInt8(bitOffset & 7))) & 1
            value = value << 1 | UInt32(bit)
            bitOffset += 1
        }
        return value
    }

    /// ue(v), H.264 9.1: "leadingZeroBits ... codeNum = 2^leadingZeroBits − 1 + read_bits(leadingZeroBits)".
    /// More than 31 leading zeros cannot be a 32-bit value and is rejected.
    mutating func ue() throws -> UInt32 {
        var leadingZeros = 0
        while try !bit() {
            leadingZeros += 1
            guard leadingZeros <= 31 else {
                throw MediaError(.malformedInput, "\(context): Exp-Golomb code longer than 32 bits at bit \(bitOffset)")
            }
        }
        if leadingZeros == 0 { return 0 }
        let suffix = try bits(leadingZeros)
        return UInt32((UInt64(1) << leadingZeros) - 1 + UInt64(suffix))
    }

    /// se(v), H.264 9.1.1: codeNum k maps to (−1)^(k+1) × Ceil(k ÷ 2).
    mutating func se() throws -> Int32 {
        let k = Int64(try ue())
        let magnitude = (k + 1) / 2
        return Int32(k % 2 == 1 ? magnitude : -magnitude)
    }

    private func truncated() -> MediaError {
        MediaError(.malformedInput, "\(context): truncated at bit \(bitOffset) of \(bytes.count * 8)")
    }
}

/// A FourCC as text: each byte one character (Latin-1), so any four bytes give a printable key.
func fourCCString(_ value: UInt32) -> String {
    String(
        String.UnicodeScalarView(
            [24, 16, 8, 0].map { Unicode.Scalar(UInt8(truncatingIfNeeded: value >> UInt32($0))) }))
}
