public import ArgumentParser
public import Trendmix

// The library's types that options take, parsed by the library's own rules.

extension ImportFormat: ExpressibleByArgument {}
