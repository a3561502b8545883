import ArgumentParser
import Foundation
import Trendmix

/// `trendmix sites list|rename|delete`.
struct SitesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sites", abstract: "List, rename or delete the partner sites of a database.",
        subcommands: [List.self, Rename.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each site with its counts.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print JSON.") var json = false

        func validate() throws { try database.requireExisting() }

        func run() async throws {
            try await reportingErrors {
                let stats = try Stores.open(database.db, readOnly: true).statistics()
                if json {
                    try printJSON(stats.sites)
                } else {
                    for site in stats.sites {
                        print(
                            "\(site.slug)\t\(terminalSafe(site.name))\t\(site.kind)\t\(site.articles) articles\t"
                                + "\(site.events) events\t\(site.readers) readers")
                    }
                }
            }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a site a new slug (and display name).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The site's slug.") var slug: String
        @Argument(help: "Its new slug (the same to change only the name).") var newSlug: String
        @Option(help: "Its new display name.") var name: String?

        func validate() throws { try database.requireExisting() }

        func run() async throws {
            try await reportingErrors {
                try Stores.open(database.db).renameSite(slug, to: newSlug, name: name)
                print("renamed \(slug) to \(newSlug)\(name.map { " (\(terminalSafe($0)))" } ?? "")")
                print("boxes show the new slug after the next 'trendmix build'")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Delete a site with its articles, events, daily counts, interactions and model rows, in one transaction."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The site's slug.") var slug: String
        @Flag(help: "Really delete (without it, nothing is changed).") var yes = false

        func validate() throws { try database.requireExisting() }

        func run() async throws {
            try await reportingErrors {
                let store = try Stores.open(database.db)
                guard yes else {
                    guard let site = try store.statistics().sites.first(where: { $0.slug == slug }) else {
                        throw SiteError.unknown(slug)
                    }
                    FileHandle.standardError.write(
                        Data(
                            ("would delete site '\(slug)' with \(site.articles) articles and \(site.events) events; "
                                + "nothing was changed: add --yes to delete\n").utf8))
                    throw ExitCode(1)
                }
                let deleted = try store.deleteSite(slug)
                print(
                    "deleted site '\(slug)': \(deleted.articles) articles, \(deleted.events) events, "
                        + "\(deleted.readers) readers no other site had")
            }
        }
    }
}
