import Foundation
import Testing
import Trendmix
import TrendmixTestSupport

/// Issue 21, item 5: `trendmix build --partition i/n` on n workers, joined by `--from-partitions`, stores the
/// model one process builds, row for row; parts of another snapshot are refused.
@Suite(.serialized) struct PartitionedBuildTests {
    @Test func partsOneTwoAndFourJoinIntoTheModelOfOneProcess() async throws {
        let dir = try TemporaryDirectory("partitions")
        let generated = try await CLIRunner.run(
            [
                "generate", "--out", dir.file("data"), "--events", "3000", "--articles", "120", "--readers", "300",
                "--sites", "3",
            ])
        #expect(generated.status == 0, "\(generated.stderr)")
        let now = "2026-01-01T00:00:00Z"
        let whole = dir.file("whole.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("data"), "--db", whole]).status == 0)
        let one = try await CLIRunner.run(["build", "--db", whole, "--now", now])
        #expect(one.status == 0, "\(one.stderr)")
        let expected = try #require(try await Stores.open(whole).loadModel())
        #expect(expected.learned.neighbours.neighbours.count > 100)
        #expect(expected.learned.sessionNeighbours.neighbours.count > 10)
        for n in [1, 2, 4] {
            let db = dir.file("parts-\(n).sqlite")
            #expect(try await CLIRunner.run(["import", "canonical", dir.file("data"), "--db", db]).status == 0)
            var files: [String] = []
            for i in 1...n {
                let file = dir.file("part-\(n)-\(i)")
                let part = try await CLIRunner.run(
                    ["build", "--db", db, "--now", now, "--partition", "\(i)/\(n)", "--partition-out", file])
                #expect(part.status == 0, "\(part.stderr)")
                files.append(file)
            }
            #expect(try await Stores.open(db).loadModel() == nil)
            let joined = try await CLIRunner.run(["build", "--db", db, "--from-partitions"] + files.reversed())
            #expect(joined.status == 0, "\(joined.stderr)")
            let model = try #require(try await Stores.open(db).loadModel())
            #expect(model.learned == expected.learned, "\(n) parts")
            #expect(model.stamp.builtFor == expected.stamp.builtFor)
            #expect(model.stamp.configurationHash == expected.stamp.configurationHash)
        }
    }

    @Test func partsOfAnotherSnapshotOrAMissingPartAreRefused() async throws {
        let dir = try TemporaryDirectory("partitions-bad")
        for (name, text) in Fixtures.canonical { try dir.write("data/\(name)", text) }
        let db = dir.file("t.sqlite")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("data"), "--db", db]).status == 0)
        let now = "2024-03-01T00:00:00Z"
        for i in 1...2 {
            let part = try await CLIRunner.run(
                ["build", "--db", db, "--now", now, "--partition", "\(i)/2", "--partition-out", dir.file("p\(i)")])
            #expect(part.status == 0, "\(part.stderr)")
        }
        let missing = try await CLIRunner.run(["build", "--db", db, "--from-partitions", dir.file("p1")])
        #expect(missing.status == 65)
        #expect(missing.stderr.contains("expected parts 1 to 2 once each"), "\(missing.stderr)")
        let otherMoment = try await CLIRunner.run(
            ["build", "--db", db, "--now", "2024-02-29T00:00:00Z", "--from-partitions", dir.file("p1"), dir.file("p2")])
        #expect(otherMoment.status == 65)
        #expect(otherMoment.stderr.contains("was built for"), "\(otherMoment.stderr)")
        // An event imported after the parts were computed: their snapshot is not the store's any more.
        try dir.write("more/events.csv", "id,site,article,type,time\nlate1,news,n1,view,2024-02-29T12:00:00Z\n")
        #expect(try await CLIRunner.run(["import", "canonical", dir.file("more"), "--db", db]).status == 0)
        let stale = try await CLIRunner.run(["build", "--db", db, "--from-partitions", dir.file("p1"), dir.file("p2")])
        #expect(stale.status == 65)
        #expect(stale.stderr.contains("run every part again"), "\(stale.stderr)")
        #expect(try await Stores.open(db).loadModel() == nil)
        // Not a part file at all.
        try dir.write("junk", "hello\n")
        let junk = try await CLIRunner.run(["build", "--db", db, "--from-partitions", dir.file("junk")])
        #expect(junk.status == 65)
        #expect(junk.stderr.contains("not a partition of a Trendmix build"), "\(junk.stderr)")
        let bad = try await CLIRunner.run(["build", "--db", db, "--now", now, "--partition", "3/2"])
        #expect(bad.status == 64)
    }
}
