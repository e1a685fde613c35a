#!/usr/bin/env python3
"""Synthetic organisation for the EYES benchmark: customers, orders and events with real structure.

    python3 bench/eyes_data.py --customers 100000 --seed 7 --out target/bench-eyes/100000

Writes OUT/customers.csv (customer_id,created_at), OUT/orders.csv (customer_id,date,amount) and
OUT/events.csv (customer_id,event_type,occurred_at,channel,spend,content_id,campaign_id).

The history covers the two years ending 2026-06-30 00:00 UTC (the benchmark's cutoff). Each
customer belongs to one of five behavioural groups and buys by a buy-till-you-die process (the
one BG/NBD assumes):

* a personal purchase rate lambda ~ Gamma(shape, mean / shape) of the group; the first purchase
  comes Exp(lambda) after sign-up, later ones at Exp(lambda) gaps;
* after every purchase the customer drops out with a personal probability p ~ Beta(a, b) of the
  group, so a customer makes Geometric(p) purchases in all (cut off at the end of the history);
* order values are log-normal around the group's median (a personal median, then per order);
* while alive (from sign-up until a fade-out of Exp(15 days) after the dropout purchase, or to the
  end) the customer produces events as a Poisson process of a personal rate; event types and
  channels depend on the group, and half the orders come with an add_to_cart event shortly before.

The groups (shares, sign-up cohorts, rates, values: GROUPS below) are loyal high-value frequent
buyers, bargain hunters (many small orders, email and ads), one-time buyers, new sign-ups (the
last 90 days, browsing a lot) and lapsed customers (an old cohort that bought for a while and
left). They differ enough in recency, frequency, value, tenure and activity for clustering to
find them (k-means reaches a silhouette of about 0.45 at k = 6 on 10k customers), and about ten
orders and ten events per customer come out on average.

So churn (no order and no event in the next 30/60/90 days) follows from whether the customer has
dropped out, which recency, frequency and engagement reveal but do not give away: a customer
alive but slow can go quiet for months, and a customer who just dropped out still looks recent.

Rows are written in time order (as an export would be), not grouped by customer. The CSV text is
built with numpy byte arithmetic, so a million customers (~20M rows) take well under a minute.
Needs numpy only.
"""

import argparse
import os
import sys
import time
from datetime import datetime, timedelta, timezone

import numpy as np

END = datetime(2026, 6, 30, tzinfo=timezone.utc)
HISTORY_DAYS = 730
START = END - timedelta(days=HISTORY_DAYS)
START_UNIX = int(START.timestamp())

EVENT_TYPES = ["page_view", "email_open", "email_click", "ad_click", "add_to_cart", "sms_click"]
PAGE_VIEW, EMAIL_OPEN, EMAIL_CLICK, AD_CLICK, ADD_TO_CART, SMS_CLICK = range(6)
CHANNELS = ["web", "email", "sms", "paid_social", "search"]
WEB, EMAIL, SMS, PAID_SOCIAL, SEARCH = range(5)
CONTENT_ITEMS = 600
CAMPAIGNS = 40

# name, share, sign-up window (days from START), purchase rate (mean per day, gamma shape),
# dropout Beta(a, b), order value (median, personal sigma, per-order sigma), event rate (mean per
# day, gamma shape), event type weights (as EVENT_TYPES, add_to_cart aside: that comes with orders).
GROUPS = [
    dict(name="loyal", share=0.17, signup=(0, 180), rate=(1 / 20, 16.0), dropout=(1.0, 400.0),
         value=(120.0, 0.15, 0.15), events=(0.03, 8.0), types=[0.55, 0.25, 0.12, 0.02, 0.0, 0.06]),
    dict(name="bargain_hunter", share=0.26, signup=(180, 400), rate=(1 / 30, 12.0), dropout=(1.0, 150.0),
         value=(14.0, 0.15, 0.25), events=(0.015, 8.0), types=[0.15, 0.40, 0.25, 0.12, 0.0, 0.08]),
    dict(name="one_time", share=0.24, signup=(300, 640), rate=(1 / 45, 4.0), dropout=(40.0, 2.0),
         value=(60.0, 0.20, 0.20), events=(0.01, 4.0), types=[0.60, 0.20, 0.05, 0.15, 0.0, 0.0]),
    dict(name="new_signup", share=0.13, signup=(640, 730), rate=(1 / 18, 6.0), dropout=(2.0, 30.0),
         value=(35.0, 0.20, 0.20), events=(0.15, 6.0), types=[0.50, 0.20, 0.10, 0.15, 0.0, 0.05]),
    dict(name="lapsed", share=0.20, signup=(0, 150), rate=(1 / 12, 12.0), dropout=(30.0, 120.0),
         value=(45.0, 0.20, 0.20), events=(0.03, 6.0), types=[0.45, 0.30, 0.15, 0.05, 0.0, 0.05]),
]
ADD_TO_CART_SHARE = 0.5  # of orders that come with an add_to_cart event shortly before
FADE_DAYS = 15.0  # mean days a dropped-out customer still shows activity after the last order


def digits(values, width):
    """Right-aligned ASCII digits of non-negative integers as an (n, width) uint8 matrix, with
    leading positions zero bytes (dropped when the text is assembled)."""
    v = np.asarray(values, dtype=np.int64)
    out = np.empty((len(v), width), dtype=np.uint8)
    x = v.copy()
    for j in range(width - 1, -1, -1):
        out[:, j] = (x % 10 + 48).astype(np.uint8)
        x //= 10
    if (x != 0).any():
        raise ValueError(f"value too wide for {width} digits")
    count = np.ones(len(v), dtype=np.int64)
    for k in range(1, width):
        count += v >= 10**k
    out[np.arange(width)[None, :] < (width - count)[:, None]] = 0
    return out


def money(cents):
    """`12.50`-style amounts (cents >= 0)."""
    cents = np.asarray(cents, dtype=np.int64)
    whole = digits(cents // 100, 7)
    frac = digits(cents % 100 + 100, 3)[:, 1:]
    dot = np.full((len(cents), 1), ord("."), dtype=np.uint8)
    return np.hstack([whole, dot, frac])


def lookup(table, index):
    """Fixed-width NUL-padded byte strings table[index] as a uint8 matrix."""
    arr = np.asarray(table, dtype="S")
    width = arr.dtype.itemsize
    return arr[index].view(np.uint8).reshape(len(index), width)


def write_csv(path, header, columns_of, n, chunk=1_000_000):
    """Writes n rows; columns_of(lo, hi) gives the uint8 matrices of rows lo..hi, one per column.
    Zero bytes (padding, empty fields) are dropped."""
    with open(path, "wb") as f:
        f.write((header + "\n").encode())
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            parts = []
            for i, col in enumerate(columns_of(lo, hi)):
                if i:
                    parts.append(np.full((hi - lo, 1), ord(","), dtype=np.uint8))
                parts.append(col)
            parts.append(np.full((hi - lo, 1), ord("\n"), dtype=np.uint8))
            block = np.hstack(parts).ravel()
            f.write(block[block != 0].tobytes())


def generate(n, seed):
    rng = np.random.default_rng(seed)
    shares = np.array([g["share"] for g in GROUPS])
    group = rng.choice(len(GROUPS), size=n, p=shares / shares.sum())
    param = lambda f: np.array([f(g) for g in GROUPS], dtype=np.float64)[group]

    lo, hi = param(lambda g: g["signup"][0]), param(lambda g: g["signup"][1])
    signup = lo + rng.random(n) * (hi - lo)
    shape = param(lambda g: g["rate"][1])
    lam = rng.gamma(shape, param(lambda g: g["rate"][0]) / shape)
    p = rng.beta(param(lambda g: g["dropout"][0]), param(lambda g: g["dropout"][1]))
    median = param(lambda g: g["value"][0]) * np.exp(rng.normal(0, param(lambda g: g["value"][1])))
    ev_shape = param(lambda g: g["events"][1])
    mu = rng.gamma(ev_shape, param(lambda g: g["events"][0]) / ev_shape)

    # --- orders: first purchase Exp(lam) after sign-up, Geometric(p) purchases at Exp(lam) gaps
    first = signup + rng.exponential(1.0, n) / lam
    purchases = rng.geometric(p)
    room = np.maximum(HISTORY_DAYS - first, 0.0) * lam
    cap = np.ceil(room + 6 * np.sqrt(room) + 5).astype(np.int64)  # more cannot fit before the end
    k = np.where(first > HISTORY_DAYS, 0, np.minimum(purchases, cap))
    total = int(k.sum())
    owner = np.repeat(np.arange(n), k)
    starts = np.cumsum(k) - k
    gaps = rng.exponential(1.0, total) / lam[owner]
    gaps[starts[k > 0]] = 0.0
    run = np.cumsum(gaps)
    t = first[owner] + run - run[starts[owner]]
    # The dropout purchase (the last of `purchases`) happened before the end: dead afterwards.
    has = k > 0
    last_t = np.full(n, np.inf)
    last_t[has] = t[(starts + k - 1)[has]]
    dropped = has & (purchases <= cap) & (last_t <= HISTORY_DAYS)
    alive_until = np.where(dropped, last_t + rng.exponential(FADE_DAYS, n), HISTORY_DAYS)
    alive_until = np.minimum(alive_until, HISTORY_DAYS)
    keep = t <= HISTORY_DAYS
    o_owner, o_t = owner[keep], t[keep]
    o_value = median[o_owner] * np.exp(rng.normal(0, param(lambda g: g["value"][2])[o_owner]))
    o_cents = np.maximum(np.round(o_value * 100), 1).astype(np.int64)

    # --- events: Poisson(mu) while alive, plus add_to_cart before most orders
    span = np.maximum(alive_until - signup, 0.0)
    counts = rng.poisson(mu * span)
    e_owner = np.repeat(np.arange(n), counts)
    e_t = signup[e_owner] + rng.random(len(e_owner)) * span[e_owner]
    weights = np.array([g["types"] for g in GROUPS])
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(e_owner))
    e_type = (u[:, None] > cum[group[e_owner]]).sum(axis=1)
    e_type = np.minimum(e_type, len(EVENT_TYPES) - 1)
    cart = rng.random(len(o_owner)) < ADD_TO_CART_SHARE
    c_owner = o_owner[cart]
    c_t = np.maximum(o_t[cart] - rng.random(c_owner.size) * (2 / 24), signup[c_owner])
    e_owner = np.concatenate([e_owner, c_owner])
    e_t = np.concatenate([e_t, c_t])
    e_type = np.concatenate([e_type, np.full(c_owner.size, ADD_TO_CART)])
    m = len(e_owner)

    # channels by type
    r = rng.random(m)
    channel = np.select(
        [e_type == PAGE_VIEW, (e_type == EMAIL_OPEN) | (e_type == EMAIL_CLICK), e_type == AD_CLICK, e_type == SMS_CLICK],
        [np.where(r < 0.7, WEB, SEARCH), EMAIL, np.where(r < 0.6, PAID_SOCIAL, SEARCH), SMS],
        default=WEB,
    )
    # content: page views and email clicks, Zipf-like popularity
    has_content = (e_type == PAGE_VIEW) | (e_type == EMAIL_CLICK) | (e_type == ADD_TO_CART)
    popularity = 1.0 / np.arange(1, CONTENT_ITEMS + 1) ** 1.1
    content = rng.choice(CONTENT_ITEMS, size=m, p=popularity / popularity.sum())
    # campaigns: email, sms and ads
    has_campaign = np.isin(e_type, [EMAIL_OPEN, EMAIL_CLICK, AD_CLICK, SMS_CLICK])
    campaign = rng.integers(0, CAMPAIGNS, m)
    # spend: cost per ad click
    spend = np.where(e_type == AD_CLICK, np.round(rng.lognormal(np.log(0.6), 0.5, m) * 100), -1).astype(np.int64)

    return dict(group=group, signup=signup, dropped=dropped, alive_until=alive_until,
                o_owner=o_owner, o_t=o_t, o_cents=o_cents,
                e_owner=e_owner, e_t=e_t, e_type=e_type, channel=channel,
                content=np.where(has_content, content, -1), campaign=np.where(has_campaign, campaign, -1),
                spend=spend)


def write(data, n, out):
    os.makedirs(out, exist_ok=True)
    width = max(7, len(str(n - 1)))
    ids = np.array([f"c{i:0{width}d}" for i in range(n)], dtype="S")
    day_names = np.array([(START + timedelta(days=d)).strftime("%Y-%m-%d") for d in range(HISTORY_DAYS + 1)], dtype="S")

    signup_day = np.floor(data["signup"]).astype(np.int64)
    idx = np.arange(n)
    write_csv(os.path.join(out, "customers.csv"), "customer_id,created_at",
              lambda a, b: [lookup(ids, idx[a:b]), lookup(day_names, signup_day[a:b])], n)

    order = np.argsort(data["o_t"])
    o_owner, o_day, o_cents = data["o_owner"][order], np.floor(data["o_t"][order]).astype(np.int64), data["o_cents"][order]
    write_csv(os.path.join(out, "orders.csv"), "customer_id,date,amount",
              lambda a, b: [lookup(ids, o_owner[a:b]), lookup(day_names, o_day[a:b]), money(o_cents[a:b])], len(o_owner))

    order = np.argsort(data["e_t"])
    e = {k: data[k][order] for k in ["e_owner", "e_t", "e_type", "channel", "content", "campaign", "spend"]}
    secs = START_UNIX + np.floor(e["e_t"] * 86400).astype(np.int64)
    types = np.array(EVENT_TYPES, dtype="S")
    channels = np.array(CHANNELS, dtype="S")
    contents = np.array([b""] + [f"p{i}".encode() for i in range(CONTENT_ITEMS)], dtype="S")
    campaigns = np.array([b""] + [f"cmp{i}".encode() for i in range(CAMPAIGNS)], dtype="S")

    def spend_col(s):
        col = money(np.maximum(s, 0))
        col[s < 0] = 0
        return col

    write_csv(os.path.join(out, "events.csv"), "customer_id,event_type,occurred_at,channel,spend,content_id,campaign_id",
              lambda a, b: [lookup(ids, e["e_owner"][a:b]), lookup(types, e["e_type"][a:b]), digits(secs[a:b], 10),
                            lookup(channels, e["channel"][a:b]), spend_col(e["spend"][a:b]),
                            lookup(contents, e["content"][a:b] + 1), lookup(campaigns, e["campaign"][a:b] + 1)],
              len(e["e_owner"]))


def summary(data, n, gen_s, write_s, out):
    group = data["group"]
    orders_per = np.bincount(data["o_owner"], minlength=n)
    events_per = np.bincount(data["e_owner"], minlength=n)
    spend = np.bincount(data["o_owner"], weights=data["o_cents"] / 100, minlength=n)
    last_activity = np.full(n, -np.inf)
    np.maximum.at(last_activity, data["o_owner"], data["o_t"])
    np.maximum.at(last_activity, data["e_owner"], data["e_t"])
    print(f"EYES synthetic organisation: {n:,} customers, {len(data['o_owner']):,} orders, "
          f"{len(data['e_owner']):,} events, history {START.date()} .. {END.date()}")
    print(f"{'group':<16}{'share':>7}{'orders/c':>10}{'events/c':>10}{'AOV':>8}{'spend/c':>9}"
          f"{'no order':>9}{'dropped':>9}{'quiet 90d':>10}")
    for gi, g in enumerate(GROUPS):
        m = group == gi
        c = max(int(m.sum()), 1)
        aov = spend[m].sum() / max(orders_per[m].sum(), 1)
        print(f"{g['name']:<16}{m.sum() / n:>7.1%}{orders_per[m].mean() if m.any() else 0:>10.1f}"
              f"{events_per[m].mean() if m.any() else 0:>10.1f}{aov:>8.2f}{spend[m].sum() / c:>9.1f}"
              f"{(orders_per[m] == 0).mean() if m.any() else 0:>9.1%}{data['dropped'][m].mean() if m.any() else 0:>9.1%}"
              f"{(last_activity[m] <= HISTORY_DAYS - 90).mean() if m.any() else 0:>10.1%}")
    sizes = ", ".join(f"{f} {os.path.getsize(os.path.join(out, f)) / 1e6:.1f} MB"
                      for f in ["customers.csv", "orders.csv", "events.csv"])
    print(f"generated in {gen_s:.1f} s, written in {write_s:.1f} s: {sizes}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--customers", type=int, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.customers < 1:
        sys.exit("--customers must be at least 1")
    t0 = time.perf_counter()
    data = generate(args.customers, args.seed)
    t1 = time.perf_counter()
    write(data, args.customers, args.out)
    t2 = time.perf_counter()
    summary(data, args.customers, t1 - t0, t2 - t1, args.out)


if __name__ == "__main__":
    main()
