import Foundation

/// A chart's value axis from 0: a round step (1, 2, 2.5 or 5 × 10ⁿ) and the fewest gridlines that reach the
/// highest value, so that every label is a number a reader would write (0.25, not 0.24 or 0.2425).
struct AxisScale: Equatable, Sendable {
    /// The distance between two gridlines.
    let step: Double
    /// The number of steps from 0 to the top.
    let steps: Int
    /// Decimals that print every gridline's value exactly (3 for a step of 0.025).
    let decimals: Int

    /// The top of the axis: the first gridline at or above the highest value.
    var top: Double { step * Double(steps) }

    /// The gridline values, 0 first.
    var ticks: [Double] { (0...steps).map { step * Double($0) } }

    /// Gridline `i`'s label.
    func label(_ i: Int) -> String { String(format: "%.\(decimals)f", step * Double(i)) }

    /// - Parameters:
    ///   - highest: the largest value drawn; 0, a negative or a non-finite value draws the axis 0 to 1.
    ///   - minSteps, maxSteps: how many gridlines above 0 are acceptable. Of the round steps that reach `highest`
    ///     within them, the one with the lowest top wins (the least empty space), then the one with fewer steps.
    init(highest: Double, minSteps: Int = 3, maxSteps: Int = 6) {
        let h = highest.isFinite && highest > 0 ? highest : 1
        let magnitude = pow(10, (log10(h / Double(maxSteps))).rounded(.down))
        var best: (step: Double, steps: Int, mantissa: Double, exponent: Int)?
        for exponent in 0...2 {
            for mantissa in [1.0, 2, 2.5, 5] {
                let step = mantissa * magnitude * pow(10, Double(exponent))
                // The small tolerance keeps a value that is a whole number of steps from gaining one.
                let steps = max(1, Int((h / step - 1e-9).rounded(.up)))
                guard steps >= minSteps, steps <= maxSteps else { continue }
                if let b = best, step * Double(steps) > b.step * Double(b.steps) * (1 + 1e-12) { continue }
                if let b = best, abs(step * Double(steps) - b.step * Double(b.steps)) <= b.step * 1e-9,
                    steps >= b.steps
                {
                    continue
                }
                best = (step, steps, mantissa, exponent)
            }
        }
        // No round step fits the range (it cannot happen for 3 to 6 steps; it can for a narrow custom range):
        // the smallest round step at or above highest / maxSteps.
        let chosen =
            best
            ?? {
                let raw = h / Double(maxSteps)
                let mantissa = [1.0, 2, 2.5, 5, 10].first { $0 * magnitude >= raw * (1 - 1e-12) } ?? 10
                let step = mantissa * magnitude
                return (step, max(1, Int((h / step - 1e-9).rounded(.up))), mantissa, 0)
            }()
        step = chosen.step
        steps = chosen.steps
        let places = -Int(log10(chosen.step).rounded(.down)) + (chosen.mantissa == 2.5 ? 1 : 0)
        decimals = max(0, places)
    }
}
