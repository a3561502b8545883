/// Indices `0..<count` grouped by key, a stable counting sort: group g holds the indices `i` with `key(i) == g`,
/// in ascending order, at `items[offsets[g]..<offsets[g + 1]]`. Indices whose key is negative are left out.
/// Baskets, reader affinities and trending's reach each walk events reader by reader (or basket by basket).
/// - Parameter groups: the number of groups; every key must be below it.
/// - Complexity: O(count + groups), two calls of `key` per index.
func grouped(count: Int, groups: Int, key: (Int) -> Int) -> (offsets: [Int], items: [Int32]) {
    var offsets = [Int](repeating: 0, count: groups + 1)
    for i in 0..<count {
        let g = key(i)
        if g >= 0 { offsets[g + 1] += 1 }
    }
    for g in 0..<groups { offsets[g + 1] += offsets[g] }
    var cursor = offsets
    var items = [Int32](repeating: 0, count: offsets[groups])
    for i in 0..<count {
        let g = key(i)
        guard g >= 0 else { continue }
        items[cursor[g]] = Int32(i)
        cursor[g] += 1
    }
    return (offsets, items)
}
