import Testing
import TrendmixCore

@Suite struct URLNormalizerTests {
    @Test(arguments: [
        ("HTTPS://News.Example.com/a/?utm_source=x&id=3#top", "https://news.example.com/a?id=3"),
        ("https://news.example.com/a?id=3", "https://news.example.com/a?id=3"),
        ("http://news.example.com:80/A/", "http://news.example.com/A"),
        ("https://news.example.com:443/?fbclid=1&gclid=2", "https://news.example.com"),
        ("https://news.example.com/a?b=1&utm_medium=m&c=2", "https://news.example.com/a?b=1&c=2"),
        ("https://ja.example.com/東京/", "https://ja.example.com/東京"),
        ("not a url", "not a url"),
        ("ftp://x.example/A/", "ftp://x.example/A/"),
    ])
    func givesOneSpellingPerPage(url: String, key: String) {
        #expect(URLNormalizer.normalize(url) == key)
    }
}
