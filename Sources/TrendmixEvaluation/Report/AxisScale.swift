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

    /// Between 3 and 6 steps; of the round steps that reach `highest` within them, the one with the lowest top
    /// wins (the least empty space), then the one with fewer steps.
    /// - Parameter highest: the largest value drawn; 0, a negative or a non-finite value draws the axis 0 to 1.
    init(highest: Double) {
        let (fewest, most) = (3, 6)
        let h = highest.isFinite && highest > 0 ? highest : 1
        let magnitude = pow(10, log10(h / Double(most)).rounded(.down))
        func count(_ step: Double) -> Int {
            // The small tolerance keeps a value that is a whole number of steps from gaining one.
            max(1, Int((h / step - 1e-9).rounded(.up)))
        }
        // Consecutive round steps are at most 2.5 apart, so one of them always gives 3 to 6 steps; the fallback only
        // stands for a value within rounding of a boundary.
        let fitting = (0...2).flatMap { exponent in
            [1.0, 2, 2.5, 5].map { mantissa in
                let step = mantissa * magnitude * pow(10, Double(exponent))
                return (step: step, steps: count(step), mantissa: mantissa)
            }
        }.filter { (fewest...most).contains($0.steps) }
        let best =
            fitting.min { a, b in
                let (topA, topB) = (a.step * Double(a.steps), b.step * Double(b.steps))
                return abs(topA - topB) > min(a.step, b.step) * 1e-9 ? topA < topB : a.steps < b.steps
            } ?? (10 * magnitude, count(10 * magnitude), 1)
        step = best.step
        steps = best.steps
        decimals = max(0, -Int(log10(best.step).rounded(.down)) + (best.mantissa == 2.5 ? 1 : 0))
    }
}
