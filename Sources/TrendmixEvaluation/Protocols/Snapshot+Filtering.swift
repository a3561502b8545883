public import TrendmixCore

extension Snapshot {
    /// The same snapshot (same indices) with only the events at `keep` positions; daily rows kept.
    public func filteringEvents(_ keep: (Int) -> Bool) -> Snapshot {
        var copy = self
        var kept = Events()
        for i in 0..<events.count where keep(i) {
            kept.append(
                article: events.article[i], reader: events.reader[i], session: events.session[i],
                type: events.type[i], time: events.time[i], value: events.value[i])
        }
        copy.events = kept
        return copy
    }

    /// The same snapshot with only events before `t` and daily rows of days before `t`'s day.
    public func filteringEvents(before t: Timestamp) -> Snapshot {
        var copy = filteringEvents { events.time[$0] < t.milliseconds }
        var daily = Daily()
        for i in 0..<self.daily.count where self.daily.day[i] < t.day {
            daily.append(
                article: self.daily.article[i], day: self.daily.day[i], views: self.daily.views[i],
                votes: self.daily.votes[i], score: self.daily.score[i], comments: self.daily.comments[i])
        }
        copy.daily = daily
        return copy
    }
}
