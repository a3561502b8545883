"""The weeks of `trendmix evaluate --protocol temporal-rolling` on DeskDrop, rebuilt from the raw CSV, for the
check and experiment scripts that look inside them.

Origins run weekly from the cut (the event before which the fraction F of the events lies) to the data's end;
training is the events before an origin; a case's relevant articles are a known reader's live articles new to
them in the next 7 days.
"""

import os
import sys

import numpy as np
import pandas as pd

DAY = 86400
WEEK = 7 * DAY


def load(path):
    """The CSV's timestamp, contentId and personId columns, and each article's first event time."""
    if not os.path.isfile(path):
        sys.exit(f"no DeskDrop CSV at {path}")
    df = pd.read_csv(path, usecols=["timestamp", "contentId", "personId"])
    return df, df.groupby("contentId").timestamp.min()


def weeks(df, fraction):
    """Per origin: (origin, training events, test week's events, each known reader's training articles, the
    relevant (reader, article) pairs)."""
    times = np.sort(df.timestamp.values)
    origin = times[min(len(times) - 1, max(1, int(len(times) * fraction)))]
    end = df.timestamp.max()
    while origin < end:
        train = df[df.timestamp < origin]
        test = df[(df.timestamp >= origin) & (df.timestamp < origin + WEEK)]
        seen = train.groupby("personId").contentId.agg(set).to_dict()
        live = set(train.contentId)
        pairs = {(u, a) for u, a in zip(test.personId, test.contentId)
                 if u in seen and a in live and a not in seen[u]}
        yield origin, train, test, seen, pairs
        origin += WEEK
