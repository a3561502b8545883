import ArgumentParser

/// The database every subcommand works on.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (created if missing).")
    var db: String
}
