import ArgumentParser

@main
struct TrendmixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trendmix",
        abstract: "Cross-site content recommendations: a mix of what's trending on the partner sites.",
        subcommands: [
            DemoCommand.self, ImportCommand.self, StatsCommand.self, GenerateCommand.self, ExportCommand.self,
            BuildCommand.self, RecommendCommand.self, TrendingCommand.self, WidgetsCommand.self, EvaluateCommand.self,
            ServeCommand.self, PeerExportCommand.self, SitesCommand.self, ReportCommand.self, PruneCommand.self,
            BackupCommand.self,
        ])
}
