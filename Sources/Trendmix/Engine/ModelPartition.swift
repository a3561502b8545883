public import Foundation
public import TrendmixCore

/// One worker's share of a partitioned build (`trendmix build --partition i/n`): the neighbour rows, over reader
/// baskets and over sessions, of the i-th of n contiguous ranges of the catalogue's articles, computed from one
/// snapshot. ``RecommendationEngine/build(store:configuration:now:partitions:)`` joins the n parts into the
/// model a single process would have built, row for row, and stores it in one transaction.
///
/// Each part names what it was computed from (the moment, the configuration's hash and a digest of the snapshot:
/// its articles and events), so that parts of different snapshots (events imported between two workers' reads)
/// are refused rather than joined.
public struct ModelPartition: Sendable, Equatable {
    /// 1-based, as on the command line.
    public var part: Int
    public var of: Int
    public var articles: Range<Int>
    public var builtFor: Timestamp
    public var configurationHash: String
    public var snapshotDigest: String
    public var neighbours: NeighbourIndex
    public var sessionNeighbours: NeighbourIndex

    /// The articles of part `part` (1-based) of `n` over `count` articles: ⌊count·(part−1)/n⌋ up to ⌊count·part/n⌋.
    public static func range(part: Int, of n: Int, count: Int) -> Range<Int> {
        (count * (part - 1) / n)..<(count * part / n)
    }

    /// What the snapshot holds that the neighbour rows depend on: its article keys and every event's article,
    /// reader, session, type, time and value, hashed (FNV-1a, 64 bits).
    public static func digest(_ snapshot: Snapshot) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func feed<T>(_ values: [T]) {
            values.withUnsafeBytes { bytes in
                for byte in bytes {
                    h ^= UInt64(byte)
                    h = h &* 0x0000_0100_0000_01B3
                }
            }
        }
        feed([Int64(snapshot.articles.count), Int64(snapshot.events.count)])
        feed(snapshot.articleKeys)
        let e = snapshot.events
        feed(e.article)
        feed(e.reader)
        feed(e.session)
        feed(e.type.map(\.rawValue))
        feed(e.time)
        feed(e.value.map(\.bitPattern))
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Why the parts of a partitioned build could not be joined, or a part file not read.
public enum PartitionError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case mismatch(String)
    case notPartitionable(String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): not a partition of a Trendmix build: \(reason)"
        case .mismatch(let reason): "the partitions cannot be joined: \(reason)"
        case .notPartitionable(let reason): "this build cannot be partitioned: \(reason)"
        }
    }
}

// MARK: - The file

extension ModelPartition {
    private static let magic = "trendmix-partition/1"

    private struct Header: Codable {
        var part: Int
        var of: Int
        var first: Int
        var end: Int
        var articleCount: Int
        var builtFor: Int64
        var configurationHash: String
        var snapshotDigest: String
        var basketCount: Int
        var sessionBasketCount: Int
        var rows: Int
        var sessionRows: Int
    }

    /// The part as a file: a line naming the format, a line of JSON (what it was computed from, and the sizes),
    /// then the rows of its articles as little-endian arrays.
    public func encoded() throws -> Data {
        let header = Header(
            part: part, of: of, first: articles.lowerBound, end: articles.upperBound,
            articleCount: neighbours.articleCount, builtFor: builtFor.milliseconds,
            configurationHash: configurationHash, snapshotDigest: snapshotDigest,
            basketCount: neighbours.basketCount, sessionBasketCount: sessionNeighbours.basketCount,
            rows: rowCount(neighbours), sessionRows: rowCount(sessionNeighbours))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = Data((Self.magic + "\n").utf8)
        data.append(try encoder.encode(header))
        data.append(10)
        for index in [neighbours, sessionNeighbours] {
            let rows = articles.map { a in index.offsets[a]..<index.offsets[a + 1] }
            append(rows.map { Int32($0.count) }, to: &data)
            let flat = rows.flatMap { Array($0) }
            append(flat.map { index.neighbours[$0] }, to: &data)
            append(flat.map { index.similarity[$0].bitPattern }, to: &data)
            append(flat.map { index.count[$0] }, to: &data)
            append(index.occurrences, to: &data)
        }
        return data
    }

    private func rowCount(_ index: NeighbourIndex) -> Int {
        articles.isEmpty ? 0 : index.offsets[articles.upperBound] - index.offsets[articles.lowerBound]
    }

    private func append<T: FixedWidthInteger>(_ values: [T], to data: inout Data) {
        values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
    }

    /// Reads a part file.
    /// - Throws: ``PartitionError/unreadable(file:reason:)`` naming what is wrong.
    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PartitionError.unreadable(file: path, reason: "cannot read it (\(error.localizedDescription))")
        }
        var reader = PartReader(data: data, file: path)
        guard try reader.line() == Self.magic else {
            throw PartitionError.unreadable(file: path, reason: "it does not start with '\(Self.magic)'")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: Data(try reader.line().utf8))
        } catch let error as PartitionError {
            throw error
        } catch {
            throw PartitionError.unreadable(file: path, reason: "its header is not the expected JSON")
        }
        guard header.of >= 1, (1...header.of).contains(header.part), 0 <= header.first, header.first <= header.end,
            header.end <= header.articleCount, header.rows >= 0, header.sessionRows >= 0
        else { throw PartitionError.unreadable(file: path, reason: "its header's part, range or sizes are invalid") }
        let range = header.first..<header.end
        var indexes: [NeighbourIndex] = []
        for (rows, baskets) in [(header.rows, header.basketCount), (header.sessionRows, header.sessionBasketCount)] {
            let lengths: [Int32] = try reader.array(range.count)
            let neighbours: [Int32] = try reader.array(rows)
            let similarity: [UInt64] = try reader.array(rows)
            let count: [Int32] = try reader.array(rows)
            let occurrences: [Int32] = try reader.array(header.articleCount)
            var offsets = [Int](repeating: 0, count: header.first + 1)
            for length in lengths { offsets.append(offsets[offsets.count - 1] + Int(length)) }
            offsets += [Int](repeating: offsets[offsets.count - 1], count: header.articleCount - header.end)
            guard offsets.last == rows, lengths.allSatisfy({ $0 >= 0 }),
                neighbours.allSatisfy({ (0..<Int32(header.articleCount)).contains($0) })
            else { throw PartitionError.unreadable(file: path, reason: "its rows do not match its header") }
            indexes.append(
                NeighbourIndex(
                    offsets: offsets, neighbours: neighbours, similarity: similarity.map(Double.init(bitPattern:)),
                    count: count, occurrences: occurrences, basketCount: baskets))
        }
        guard reader.atEnd else { throw PartitionError.unreadable(file: path, reason: "it has bytes after its rows") }
        self.init(
            part: header.part, of: header.of, articles: range, builtFor: Timestamp(milliseconds: header.builtFor),
            configurationHash: header.configurationHash, snapshotDigest: header.snapshotDigest,
            neighbours: indexes[0], sessionNeighbours: indexes[1])
    }
}

/// Reads a part file front to back.
private struct PartReader {
    let data: Data
    let file: String
    var position = 0

    var atEnd: Bool { position == data.count }

    mutating func line() throws -> String {
        guard let end = data[position...].firstIndex(of: 10) else {
            throw PartitionError.unreadable(file: file, reason: "it ends before its header")
        }
        defer { position = end + 1 }
        return String(decoding: data[position..<end], as: UTF8.self)
    }

    mutating func array<T: FixedWidthInteger>(_ count: Int) throws -> [T] {
        let size = count * MemoryLayout<T>.size
        guard count >= 0, data.count - position >= size else {
            throw PartitionError.unreadable(file: file, reason: "it ends before its rows do")
        }
        var values = [T](repeating: 0, count: count)
        values.withUnsafeMutableBytes { out in
            _ = data.copyBytes(to: out, from: (data.startIndex + position)..<(data.startIndex + position + size))
        }
        position += size
        return values.map { T(littleEndian: $0) }
    }
}
