"""The embedded box in a real browser (issue 22): Debian's chromium, driven through chromedriver by selenium.

    python Tests/browser/embed_test.py TRENDMIX_BINARY DATABASE [--screenshot FILE]

DATABASE is a built Trendmix database (`trendmix demo` makes one). The script serves a partner's article page
from one local origin, starts `trendmix serve` on another (with that page's origin allowed by CORS), and opens the
page in headless Chromium. It then checks what a publisher would: the box renders below the article with the
server's items; nothing counts as seen while the box is below the fold; once scrolled into view, every item's
impression is stored with the page's placement and its position; a click on an item stores a click with the same
placement and position; and all of them carry the reader id the script keeps in the page's localStorage and
the A/B variant the server put the reader in (`serve --variant fresh=...:100%`). A second article page opened
next in the same tab asks for its box with the first article as the visit so far (`visit=site:id`), and that box
does not offer the first article again. Exits 0
and prints "browser test passed" when every check holds; prints what failed and exits 1 otherwise.
"""
import argparse
import http.server
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from urllib.parse import quote

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A partner article</title>
<style>body {{ font-family: Georgia, serif; max-width: 42em; margin: 2em auto; color: #222; }}
.filler {{ height: 1600px; }}</style></head>
<body><h1>An article on the partner site</h1>
<p>The article's text. The box of what is trending on the group's other sites sits below it.</p>
<div class="filler"></div>
<div id="box" data-trendmix-site="{site}" data-trendmix-article="{article}"
     data-trendmix-placement="below-article"></div>
<script src="{server}/v1/embed.js" async></script>
</body></html>
"""


def fail(message):
    print("FAILED: " + message)
    sys.exit(1)


def wait_for(what, check, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    fail("timed out waiting for " + what)


def interactions(db):
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT w.kind, w.placement, w.position, w.reader, a.external_id, s.slug, w.variant FROM widget_interaction w "
            "JOIN article a ON a.id = w.article_id JOIN site s ON s.id = w.host_site_id ORDER BY w.id"
        ).fetchall()


def box_requests(driver):
    """The URLs the browser asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("trendmix")
    parser.add_argument("database")
    parser.add_argument("--screenshot")
    args = parser.parse_args()

    with sqlite3.connect(args.database) as c:
        # The article with the fullest box (the most neighbour rows), and the next fullest on its site, read next.
        rows = c.execute(
            "SELECT s.slug, a.external_id FROM model_neighbour n JOIN article a ON a.id = n.article_id "
            "JOIN site s ON s.id = a.site_id GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 200"
        ).fetchall()
        if not rows:
            fail("the database has no model: run trendmix build first")
        c.execute("DELETE FROM widget_interaction")
    site, article = rows[0]
    second = next((a for s, a in rows[1:] if s == site), None)
    if second is None:
        fail("no second article with neighbours on " + site)

    folder = tempfile.mkdtemp(prefix="trendmix-page-")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=folder, **k)

        def log_message(self, *a):
            pass

    page_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    origin = "http://127.0.0.1:%d" % page_server.server_address[1]
    threading.Thread(target=page_server.serve_forever, daemon=True).start()

    # An A/B test with one arm for every reader: the box must say so, and its impressions and clicks carry it.
    variant = os.path.join(folder, "fresh.json")
    with open(variant, "w") as f:
        f.write('{"mix": {"freshness": 0.9}}')
    serve = subprocess.Popen(
        [args.trendmix, "serve", "--db", args.database, "--port", "0", "--log-level", "warning",
         "--cors-origin", origin, "--variant", "fresh=%s:100%%" % variant],
        stdout=subprocess.PIPE, text=True)
    driver = None
    try:
        line = serve.stdout.readline()
        if "listening on" not in line:
            fail("trendmix serve did not start: " + line)
        server = line.split()[-1]
        with open(os.path.join(folder, "article.html"), "w") as f:
            f.write(PAGE.format(site=site, article=article, server=server))
        with open(os.path.join(folder, "second.html"), "w") as f:
            f.write(PAGE.format(site=site, article=second, server=server))

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,800"):
            options.add_argument(flag)
        # The requests the page makes, to see what the box asked for.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.get(origin + "/article.html")

        box = driver.find_element(By.ID, "box")
        WebDriverWait(driver, 15).until(lambda d: box.get_attribute("data-trendmix-state") in ("shown", "failed"))
        if box.get_attribute("data-trendmix-state") != "shown":
            fail("the box did not render (data-trendmix-state=failed; see the browser console)")
        items = box.find_elements(By.CSS_SELECTOR, ".trendmix-item")
        if not items:
            fail("the box rendered no items")
        expected = [(i.get_attribute("data-article"), int(i.get_attribute("data-position"))) for i in items]
        if [p for _, p in expected] != list(range(1, len(items) + 1)):
            fail("positions are not 1..n: %r" % expected)
        heading = box.find_element(By.CSS_SELECTOR, ".trendmix-heading").text
        if box.find_element(By.CSS_SELECTOR, ".trendmix-widget").get_attribute("data-variant") != "fresh":
            fail("the box does not name its A/B variant (data-variant)")
        print("rendered %d items under '%s' for %s/%s" % (len(items), heading, site, article))
        # The default stylesheet is in force (the list has no bullets).
        if driver.execute_script(
            "return getComputedStyle(document.querySelector('.trendmix-items')).listStyleType") != "none":
            fail("/v1/widget.css is not applied")

        time.sleep(1.5)
        if interactions(args.database):
            fail("impressions were stored while the box was out of view")

        # Every item into view in turn (a box of tall cards is taller than the window).
        for item in items:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
            time.sleep(0.15)
        driver.execute_script("document.getElementById('box').scrollIntoView({block: 'start'})")
        rows = wait_for("impressions", lambda: [r for r in interactions(args.database) if r[0] == "impression"]
                        if len(interactions(args.database)) >= len(items) else None)
        reader = driver.execute_script("return localStorage.getItem('trendmix_reader')")
        if not reader:
            fail("no reader id in localStorage")
        seen = sorted((r[4], r[2]) for r in rows)
        if seen != sorted(expected):
            fail("impressions %r, expected %r" % (seen, sorted(expected)))
        if any(r[1] != "below-article" or r[3] != reader or r[5] != site or r[6] != "fresh" for r in rows):
            fail("impression rows without the placement, reader, host or variant: %r" % rows)
        print("impressions stored for positions %s with placement below-article, variant fresh and reader %s"
              % ([p for _, p in sorted(expected, key=lambda e: e[1])], reader))

        if args.screenshot:
            driver.save_screenshot(args.screenshot)

        first = box.find_element(By.CSS_SELECTOR, ".trendmix-item[data-position='1'] .trendmix-title")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
        first.click()
        clicks = wait_for("the click", lambda: [r for r in interactions(args.database) if r[0] == "click"])
        if [(c[4], c[2], c[1], c[3], c[6]) for c in clicks] != [(expected[0][0], 1, "below-article", reader, "fresh")]:
            fail("click rows %r, expected one at position 1 on %s" % (clicks, expected[0][0]))
        print("click stored at position 1 (%s) with placement below-article and variant fresh" % expected[0][0])

        # The next article in the same tab: its box is asked with the first as the visit so far.
        driver.get(origin + "/second.html")
        box = driver.find_element(By.ID, "box")
        WebDriverWait(driver, 15).until(lambda d: box.get_attribute("data-trendmix-state") in ("shown", "failed"))
        if box.get_attribute("data-trendmix-state") != "shown":
            fail("the second page's box did not render")
        asked = [u for u in box_requests(driver) if "/widget.html" in u]
        first_ask = [u for u in asked if "/articles/%s/" % quote(article, safe="") in u]
        second_ask = [u for u in asked if "/articles/%s/" % quote(second, safe="") in u]
        if not first_ask or any("visit=" in u for u in first_ask):
            fail("the first box was asked with a visit, or not seen asked: %r" % asked)
        visit = "visit=" + quote(site + ":" + article, safe="")
        if not second_ask or not all(visit in u for u in second_ask):
            fail("the second box was not asked with %s: %r" % (visit, second_ask))
        shown = [i.get_attribute("data-article") for i in box.find_elements(By.CSS_SELECTOR, ".trendmix-item")]
        if article in shown:
            fail("the second box offers the article read before it: %r" % shown)
        print("the next article's box was asked with %s and does not offer it" % visit)
        print("browser test passed")
    finally:
        if driver is not None:
            driver.quit()
        serve.terminate()
        serve.wait(timeout=10)
        page_server.shutdown()


if __name__ == "__main__":
    main()
