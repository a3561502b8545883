"""Do a SQLite store and a PostgreSQL store hold the same model? Issue 21's check.

Reads the stored model of each (neighbour rows of both indexes, per-article scores, reader affinities and the
model's header), keys every row by site slug and external ids rather than by row id (two stores number their
rows alike only when they saw the same imports, failures included), and compares: the same rows, and every
number within 1e-12 (relative to its size where it is above 1).

    python3 Evaluation/checks/same_model.py trendmix.sqlite postgres://user@host:port/dbname

Needs `sqlite3` and `psql` on the PATH; standard library only.
"""

import csv
import io
import subprocess
import sys

QUERIES = {
    "neighbours": """
        SELECT s.slug, a.external_id, m.rank, b.external_id, m.similarity, m.count
        FROM {table} m JOIN article a ON a.id = m.article_id JOIN article b ON b.id = m.neighbour_id
        JOIN site s ON s.id = a.site_id""",
    "articles": """
        SELECT s.slug, a.external_id, m.occurrences, m.trending, m.recent_rate, m.baseline_rate, m.site_prior,
               m.session_occurrences, m.total, m.first_seen, m.reach
        FROM model_article m JOIN article a ON a.id = m.article_id JOIN site s ON s.id = a.site_id""",
    "affinity": """
        SELECT r.external_id, s.slug, a.external_id, m.weight
        FROM model_affinity m JOIN reader r ON r.id = m.reader_id JOIN article a ON a.id = m.article_id
        JOIN site s ON s.id = a.site_id""",
    "model": """
        SELECT built_for, configuration_hash, basket_count, window_start, window_end, session_basket_count,
               calibration FROM model""",
}
KEYS = {"neighbours": 3, "articles": 2, "affinity": 3, "model": 0}


def rows(db, sql):
    if db.startswith(("postgres://", "postgresql://")):
        out = subprocess.run(["psql", db, "-X", "-q", "-A", "-F", "\t", "-t", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]
    out = subprocess.run(["sqlite3", "-csv", db, sql], check=True, capture_output=True, text=True).stdout
    return list(csv.reader(io.StringIO(out)))


def same(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-12 * max(1.0, abs(x), abs(y))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    left, right = sys.argv[1:]
    failures = 0
    for name, sql in QUERIES.items():
        tables = ["model_neighbour", "model_session_neighbour"] if name == "neighbours" else [None]
        for table in tables:
            query = sql.format(table=table)
            label = table or name
            a = {tuple(r[:KEYS[name]]): r[KEYS[name]:] for r in rows(left, query)}
            b = {tuple(r[:KEYS[name]]): r[KEYS[name]:] for r in rows(right, query)}
            missing = set(a) ^ set(b)
            differ = [k for k in set(a) & set(b)
                      if len(a[k]) != len(b[k]) or not all(same(x, y) for x, y in zip(a[k], b[k]))]
            ok = not missing and not differ
            failures += not ok
            print(f"{label}: {len(a)} rows against {len(b)}; {len(missing)} in one only, {len(differ)} differ"
                  + ("" if ok else f" (e.g. {sorted(missing or differ)[:2]})"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
