public import TrendmixCore

/// Small, fixed inputs shared by tests.
public enum Fixtures {
    /// 2024-03-01T12:00:00Z.
    public static let now = Timestamp(milliseconds: 1_709_294_400_000)

    /// A canonical folder: three sites, five articles, eight events, two daily rows, one link.
    public static let canonical: [String: String] = [
        "sites.csv": """
        slug,name,kind,base_url
        news,Daily News,news,https://news.example.com
        travel,Travel Guide,travel,https://travel.example.com
        blog,The Blog,blog,https://blog.example.com

        """,
        "articles.csv": """
        site,id,url,title,published_at,language,tags
        news,n1,https://news.example.com/n1,"Trash Talk: A Guide to Garbage Disposal, in Japan",2024-02-28T09:00:00Z,en,japan|living
        news,n2,https://news.example.com/n2,"A ""quoted"" headline",2024-02-29T10:30:00+01:00,en,
        travel,t1,https://travel.example.com/t1,Half Moon Lake,2024-01-15,en,nature|Japan
        travel,t2,,Untitled draft,,,
        blog,b1,https://blog.example.com/b1,"Where To Buy Plus Size Clothes
        In Japan",1709200000,en,fashion

        """,
        "events.csv": """
        id,site,article,reader,session,type,time,value
        e1,news,n1,alice,s1,view,2024-02-28T10:00:00Z,
        e2,news,n2,alice,s1,view,2024-02-28T10:05:00Z,
        e3,travel,t1,alice,s2,like,2024-02-29T08:00:00Z,
        e4,news,n1,bob,,comment,2024-02-29T09:00:00Z,
        e5,blog,b1,bob,s3,share,2024-02-29T09:30:00Z,
        e6,blog,b1,,,view,2024-02-29T11:00:00Z,
        e7,travel,t1,carol,s4,vote,1709200000,
        e8,travel,t2,carol,s4,rating,1709200100,4.5

        """,
        "daily.csv": """
        site,article,day,views,votes,score,comments
        news,n1,2024-02-28,120,3,1,2
        travel,t1,2024-02-29,40,0,0,0

        """,
        "links.csv": """
        site,from,to,kind
        news,n1,n2,related

        """,
    ]
}
