public import TrendmixStore

// The store's types that a client of the facade names: values it reads, errors it handles, and the exporter.
// The command line and the server import Trendmix, never TrendmixStore; what they may use of it is listed here.

public typealias ArticleStore = TrendmixStore.ArticleStore
public typealias ModelStore = TrendmixStore.ModelStore
public typealias StoredModel = TrendmixStore.StoredModel
public typealias ModelStamp = TrendmixStore.ModelStamp
public typealias ImportSummary = TrendmixStore.ImportSummary
public typealias ImportError = TrendmixStore.ImportError
public typealias SourceLocation = TrendmixStore.SourceLocation
public typealias StoreError = TrendmixStore.StoreError
public typealias StoreStatistics = TrendmixStore.StoreStatistics
public typealias SiteError = TrendmixStore.SiteError
public typealias SiteDeletion = TrendmixStore.SiteDeletion
public typealias WidgetInteraction = TrendmixStore.WidgetInteraction
public typealias InteractionsRecorded = TrendmixStore.InteractionsRecorded
public typealias PlacementClicks = TrendmixStore.PlacementClicks
public typealias PruneSummary = TrendmixStore.PruneSummary
public typealias CanonicalExporter = TrendmixStore.CanonicalExporter
public typealias FieldRules = TrendmixStore.FieldRules
public typealias JSONFields = TrendmixStore.JSONFields
public typealias JSONFieldError = TrendmixStore.JSONFieldError
public typealias EventFeed = TrendmixStore.EventFeed
public typealias EventFollowing = TrendmixStore.EventFollowing
