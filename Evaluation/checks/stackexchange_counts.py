#!/usr/bin/env python3
"""Independent count of what `trendmix import stackexchange` must store for each dump folder.

Written separately from the Swift importer (xml.etree, no shared code) so that the expected counts in
Tests/TrendmixStoreTests/SharedDataTests.swift are checked by a second implementation of the documented rules:
questions -> articles; question owners (post), answer owners (answer), commenters (comment) and favourites
(vote type 5 with a user) -> events, unless the user is missing or the Community bot (AccountId -1);
anonymous up/down votes and user-less comments -> one daily row per (question, UTC day);
PostLinks between two questions -> links (type 1 related, 3 duplicate).

Usage: python3 Evaluation/checks/stackexchange_counts.py ../shared/data/stackexchange/*/
"""
import sys
import xml.etree.ElementTree as ET
from collections import Counter


def rows(folder, name):
    return (el.attrib for el in ET.parse(f"{folder}/{name}").getroot().iter("row"))


def count(folder):
    account = {}
    for u in rows(folder, "Users.xml"):
        uid = int(u["Id"])
        acc = u.get("AccountId")
        account[uid] = int(acc) if acc is not None else uid

    def is_reader(user):
        if user is None:
            return False
        user = int(user)
        return account.get(user, user) >= 0

    posts = list(rows(folder, "Posts.xml"))
    question_of = {}
    events = Counter()
    tags = set()
    for p in posts:
        if p["PostTypeId"] == "1":
            question_of[int(p["Id"])] = int(p["Id"])
            raw = p.get("Tags", "")
            parts = raw[1:-1].split("><") if raw.startswith("<") else [t for t in raw.split("|") if t]
            tags.update(t.strip().lower() for t in parts if t)
            if is_reader(p.get("OwnerUserId")):
                events["post"] += 1
    for p in posts:
        if p["PostTypeId"] == "2" and int(p["ParentId"]) in question_of:
            question_of[int(p["Id"])] = int(p["ParentId"])
            if is_reader(p.get("OwnerUserId")):
                events["answer"] += 1
    daily = set()
    for c in rows(folder, "Comments.xml"):
        q = question_of.get(int(c["PostId"]))
        if q is None:
            continue
        if c.get("UserId") is None:
            daily.add((q, c["CreationDate"][:10]))
        elif is_reader(c["UserId"]):
            events["comment"] += 1
    for v in rows(folder, "Votes.xml"):
        q = question_of.get(int(v["PostId"]))
        if q is None:
            continue
        if v["VoteTypeId"] in ("2", "3"):
            daily.add((q, v["CreationDate"][:10]))
        elif v["VoteTypeId"] == "5" and is_reader(v.get("UserId")):
            events["favorite"] += 1
    links = set()
    for l in rows(folder, "PostLinks.xml"):
        a, b = int(l["PostId"]), int(l["RelatedPostId"])
        if question_of.get(a) == a and question_of.get(b) == b:
            links.add((a, b, l["LinkTypeId"]))
    questions = sum(1 for k, v in question_of.items() if k == v)
    return questions, events, len(daily), len(links), len(tags)


for folder in sys.argv[1:]:
    folder = folder.rstrip("/")
    q, e, d, l, t = count(folder)
    print(f"{folder.split('/')[-1]}: articles={q} events={sum(e.values())} "
          f"post={e['post']} answer={e['answer']} comment={e['comment']} favorite={e['favorite']} "
          f"daily={d} links={l} tags={t}")
