import Testing

@testable import Trendmix

@Suite struct RecommendedItemTests {
    @Test(arguments: [
        (1.2346, "1.235"), (0.5, "0.500"), (0, "0.000"), (-0.0049, "-0.005"), (0.0004, "0.000"),
        (-0.0004, "0.000"), (-1.5, "-1.500"), (0.0996, "0.100"), (12_345.6789, "12345.679"), (1e-3, "0.001"),
        (.nan, "?"), (.infinity, "?"), (-1e300, "?"),
    ])
    func explanationsShowThreeDecimals(value: Double, text: String) {
        #expect(RecommendedItem.threeDecimals(value) == text)
    }
}
