import Foundation
public import TrendmixCore

/// Microsoft Recommenders' SAR, run from its own Python package (`Evaluation/peers/sar_peer.py`) on exactly the
/// split Trendmix sees: the training events as Trendmix weighs them, the same cases, the same `now`.
///
/// Personalised cases ask `recommend_k_items(remove_seen=True)`; session cases ask SAR's item-to-item
/// `get_item_based_topk` for the seed. Articles and readers are passed as dense indices, so ids need not be
/// unique across sites.
public struct SARPeer: Sendable {
    public var python: String
    public var script: String
    public var weights: EventWeights
    public var halfLife: Duration
    public var similarity: String

    public init(
        python: String, script: String, weights: EventWeights, halfLife: Duration = .days(30),
        similarity: String = "jaccard"
    ) {
        self.python = python
        self.script = script
        self.weights = weights
        self.halfLife = halfLife
        self.similarity = similarity
    }

    /// Why SAR could not be run.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Writes the split, runs the script and reads SAR's lists back as a system.
    /// - Throws: ``Failure`` when the script cannot run or fails, with its error output.
    public func system(for split: Split, k: Int, workdir: String) throws -> EvaluatedSystem {
        try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        try writeInputs(split, to: workdir)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script, workdir, "--k", String(k), "--half-life-days", String(halfLife.inDays),
            "--similarity", similarity, "--now", String(split.now.milliseconds / 1000),
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw Failure(description: "cannot start \(python): \(error)") }
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: stderr, as: UTF8.self).split(separator: "\n").suffix(5).joined(separator: "\n")
            throw Failure(description: "\(script) exited with \(process.terminationStatus):\n\(text)")
        }
        let lists = try readLists(workdir + "/sar_lists.csv", cases: split.cases.count)
        return EvaluatedSystem(
            name: "SAR", kind: .peer,
            summary:
                "Microsoft Recommenders' SAR 1.2.1 from its PyPI package: \(similarity), \(Int(halfLife.inDays))-day time decay, remove seen",
            lists: lists)
    }

    /// `train.csv` (reader, article, weight, Unix seconds; events with a reader and a positive weight) and
    /// `cases.csv` (case, reader, seed; -1 for none).
    func writeInputs(_ split: Split, to folder: String) throws {
        var train = "reader,article,weight,timestamp\n"
        let e = split.train.events
        for i in 0..<e.count where e.reader[i] >= 0 {
            let w = weights.weight(e.type[i], value: e.value[i])
            guard w > 0 else { continue }
            train += "\(e.reader[i]),\(e.article[i]),\(w),\(Timestamp(milliseconds: e.time[i]).seconds)\n"
        }
        try train.write(toFile: folder + "/train.csv", atomically: true, encoding: .utf8)
        var cases = "case,reader,seed\n"
        for (i, c) in split.cases.enumerated() { cases += "\(i),\(c.reader ?? -1),\(c.seed ?? -1)\n" }
        try cases.write(toFile: folder + "/cases.csv", atomically: true, encoding: .utf8)
    }

    func readLists(_ path: String, cases: Int) throws -> [[Int32]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure(description: "SAR wrote no \(path)")
        }
        var lists = [[Int32]](repeating: [], count: cases)
        for (n, line) in text.split(separator: "\n").enumerated().dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count >= 3, let c = Int(fields[0]), c >= 0, c < cases, let a = Int32(fields[2]) else {
                throw Failure(description: "\(path):\(n + 1): expected case,rank,article")
            }
            lists[c].append(a)
        }
        return lists
    }
}
