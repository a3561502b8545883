import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization
import Trendmix
import TrendmixCore

/// The Prometheus registry behind swift-metrics (bootstrapped once per process), the model-age and heap gauges.
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

    /// The bytes the C allocator has handed out (glibc's count, read at each scrape): steady while the process's
    /// RSS grows means memory held free by the allocator, growing means a leak.
    static let heapInUse: Metrics.Gauge = {
        _ = registry
        return Metrics.Gauge(label: "trendmix_heap_in_use_bytes")
    }()
}
