import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization
import Trendmix
import TrendmixCore

/// The Prometheus registry behind swift-metrics (bootstrapped once per process) and the model-age gauge.
enum ServerMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static let modelAge: Recorder = {
        _ = registry
        return Recorder(label: "trendmix_model_age_seconds", aggregate: false)
    }()
}
