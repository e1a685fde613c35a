#!/usr/bin/env python3
"""The EYES pipeline (features, segmentation, churn) in pandas / numpy / scikit-learn, as the
reference the Rust engine is benchmarked against (bench/eyes.sh).

    python3 bench/eyes_sklearn.py --customers DIR/customers.csv --orders DIR/orders.csv \
        --events DIR/events.csv --cutoff 2026-06-30 --seed 7

Prints one JSON object: per-stage wall times in ms (load, features, segmentation, churn, total),
the silhouette of each clustering algorithm and the winner, and the held-out ROC AUC of each churn
model at 30/60/90 days.

What is the same as the Rust side (src/eyes):
* Features: the eleven of src/eyes/features.rs with the same definitions (customers without
  orders get recency = mean inter-purchase time = tenure, spend consistency 0; tenure counts from
  the earliest of sign-up, first order and first event; engagement = events in the 30 days up to
  the cutoff). Sign-up dates are combined with first activity exactly as src/eyes/files.rs does.
* Scaling for clustering: sign(x)·log1p(|x|) on the heavy-tailed columns (recency, frequency,
  monetary, avg order value, inter-purchase time, events/day, engagement, content diversity),
  then z-scores with the population standard deviation.
* Segmentation: one seeded sample (--sample, default 10,000) whose distance matrix is computed once
  serves to choose k and to score every silhouette. k-means (k-means++, n_init=4) for k = 2..8 on
  the sample, k by silhouette, then Lloyd iterations on every customer from the sample's centres;
  Ward on the sample, cut at k = 2..8, k by silhouette, every customer assigned to the nearest
  Ward centroid; DBSCAN on a larger sample (--dbscan-sample, default 20,000, containing the first)
  with min_pts = 2 × 11 (the point itself included, as in Rust) and eps at the knee (Kneedle:
  farthest below the normalised chord) of the sorted k-distance curve, every customer labelled by
  the nearest core point within eps (else noise). Each algorithm's labelling of all customers is
  scored by silhouette on the sample (noise left out).
* Selection, with Rust's rules (src/eyes/segment/evaluate.rs, select.rs): a k whose smallest
  cluster holds under 2 % of the sample is never chosen; an algorithm is eligible with 2..8
  clusters, at most 25 % noise and every cluster at least 2 % of all customers; the winner has the
  best silhouette with noise counted as 0 ("selection_score"), so DBSCAN cannot win by leaving the
  hard cases out. The best silhouette under the looser rule (noise left out, no size floor) is
  reported too, as "best_ungated".
* Churn per horizon h: train on features at C - 2h for customers existing then, label "no order
  and no event in (C - 2h, C - h]"; evaluate on features at C - h, labels over (C - h, C]. Training
  windows are subsampled to 200,000 rows (seeded; Rust: 100,000). Logistic regression (L2, C = 1,
  on z-scored raw features, like Rust's IRLS model) and HistGradientBoostingClassifier (100 trees,
  learning rate 0.1, 31 leaves, depth 8, 40 rows per leaf, L2 1.0, 255 bins, no early stopping) on
  every training row. Rust's trees are cheaper: learning rate 0.2, depth 6, early stopping after
  10 trees without gain, on at most 60,000 training rows. The better one by held-out AUC is
  refitted on the evaluation window and scores every customer existing at C, as Rust does. A
  recency-only baseline AUC is reported.

Differences (kept small on purpose, listed so the comparison stays honest):
* Sample sizes are flags (defaults 10,000 and 20,000 for DBSCAN). The Rust engine's library
  defaults are a 3,000-customer sample to choose k and score silhouettes
  (SegmentOptions::sample_size) and a 20,000-customer sample for DBSCAN (dbscan_sample_size), drawn
  separately; compare runs with the report's "samples" in mind.
* DBSCAN: both use radius queries (scikit-learn its tree, Rust a k-d tree) on a 20,000-point sample;
  Rust labels border points by their nearest core point, scikit-learn by the first cluster that
  reaches them. Ward: scipy's exact Ward on the sample, Rust agglomerates micro-clusters.
* Rust also runs every algorithm on a column-shuffled sample (the "no structure" baseline gate)
  and explains the segments; this script does not, so its segmentation does less work.
* Rust fits a BG/NBD baseline for churn and a CLV stage (BG/NBD + Gamma-Gamma); scikit-learn has
  neither, so there is no clv stage here ("clv": null) and no BG/NBD baseline.
* Channel and content diversity are counted from each (customer, channel/content) pair's first
  occurrence, found once, instead of re-scanning every history at every cutoff: same numbers,
  less work, the idiomatic vectorised way.
* numpy / scikit-learn use all cores (OpenMP, BLAS) like Rust's rayon; nothing is pinned.
"""

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, ward
from sklearn.cluster import DBSCAN, KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances, roc_auc_score, silhouette_score
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DAY = 86_400
FEATURES = [
    "recency_days", "frequency", "monetary", "tenure_days", "avg_order_value", "mean_interpurchase_days",
    "events_per_day", "channel_diversity", "engagement", "spend_consistency", "content_diversity",
]
LOG_SCALE = np.array([True, True, True, False, True, True, True, False, True, False, True])
ENGAGEMENT_DAYS = 30
HORIZONS = [30, 60, 90]
K_RANGE = range(2, 9)
MAX_NOISE_SHARE = 0.25
MIN_SEGMENT_SHARE = 0.02  # SegmentOptions::min_segment_share
MAX_TRAIN_ROWS = 200_000


def pick(columns, names, what, file, required=True):
    """The column of `columns` matching one of `names` (case-insensitive, as src/eyes/files.rs)."""
    normal = {c.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_"): c for c in columns}
    for n in names:
        if n in normal:
            return normal[n]
    if required:
        sys.exit(f"{file}: missing column {what} (accepted names: {', '.join(names)})")
    return None


def to_seconds(col):
    """Unix seconds from integer seconds or date / date-time text (parsed once per distinct value)."""
    if pd.api.types.is_integer_dtype(col):
        return col.to_numpy(np.int64)
    cat = col.astype("category")
    parsed = pd.to_datetime(cat.cat.categories, utc=True, format="ISO8601")
    secs = ((parsed - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).to_numpy(np.int64)
    return secs[cat.cat.codes.to_numpy()]


def header(path):
    return list(pd.read_csv(path, nrows=0).columns)


def load(customers_path, orders_path, events_path):
    """Everything as integer arrays, orders and events sorted by (customer, time)."""
    cols = header(orders_path)
    o_id = pick(cols, ["customer_id", "customer", "customerid"], "customer_id", orders_path)
    o_date = pick(cols, ["date", "ordered_at", "order_date", "created_at", "time", "timestamp"], "date", orders_path)
    o_amt = pick(cols, ["amount", "total", "value", "revenue"], "amount", orders_path)
    orders = pd.read_csv(orders_path, usecols=[o_id, o_date, o_amt], dtype={o_id: "category"}, low_memory=False)

    cols = header(events_path)
    e_id = pick(cols, ["customer_id", "customer", "customerid"], "customer_id", events_path)
    e_type = pick(cols, ["event_type", "type", "event", "event_name"], "event_type", events_path)
    e_time = pick(cols, ["occurred_at", "time", "date", "timestamp", "created_at"], "occurred_at", events_path)
    e_ch = pick(cols, ["channel"], "channel", events_path, required=False)
    e_ct = pick(cols, ["content_id", "content"], "content_id", events_path, required=False)
    use = [c for c in [e_id, e_type, e_time, e_ch, e_ct] if c]
    events = pd.read_csv(events_path, usecols=use, dtype={c: "category" for c in [e_id, e_type, e_ch, e_ct] if c},
                         low_memory=False)

    customers = None
    if customers_path:
        cols = header(customers_path)
        c_id = pick(cols, ["customer_id", "customer", "customerid", "id"], "customer_id", customers_path)
        c_created = pick(cols, ["created_at", "signup_date", "signed_up_at", "signup_at", "created"], "created_at",
                         customers_path, required=False)
        customers = pd.read_csv(customers_path, usecols=[c for c in [c_id, c_created] if c], dtype={c_id: "category"})

    # One numbering of customers across the files.
    cats = [orders[o_id].cat.categories, events[e_id].cat.categories]
    if customers is not None:
        cats.append(customers[c_id].cat.categories)
    ids = pd.Index(pd.unique(np.concatenate([np.asarray(c, dtype=object) for c in cats])))
    n = len(ids)

    def codes(series):
        remap = ids.get_indexer(series.cat.categories).astype(np.int64)
        return remap[series.cat.codes.to_numpy()]

    oc, ot = codes(orders[o_id]), to_seconds(orders[o_date])
    ocents = np.round(orders[o_amt].to_numpy(np.float64) * 100).astype(np.int64)
    ec, et = codes(events[e_id]), to_seconds(events[e_time])
    ech = events[e_ch].cat.codes.to_numpy(np.int64) if e_ch else np.full(len(events), -1)
    ect = events[e_ct].cat.codes.to_numpy(np.int64) if e_ct else np.full(len(events), -1)
    n_ch = len(events[e_ch].cat.categories) if e_ch else 0
    n_ct = len(events[e_ct].cat.categories) if e_ct else 0

    o = np.lexsort((ot, oc))
    oc, ot, ocents = oc[o], ot[o], ocents[o]
    e = np.lexsort((et, ec))
    ec, et, ech, ect = ec[e], et[e], ech[e], ect[e]

    # created_at as src/eyes/files.rs: sign-up, never after the first activity; else first
    # activity; else the latest time seen.
    big = np.iinfo(np.int64).max
    o_start = np.concatenate([[0], np.cumsum(np.bincount(oc, minlength=n))])
    e_start = np.concatenate([[0], np.cumsum(np.bincount(ec, minlength=n))])
    first_o, first_e = first_time(ot, o_start), first_time(et, e_start)
    created = np.minimum(first_o, first_e)
    latest = max(ot.max() if len(ot) else -big, et.max() if len(et) else -big)
    if customers is not None and c_created:
        given = np.full(n, big)
        cc = codes(customers[c_id])
        mask = customers[c_created].notna().to_numpy()
        gs = to_seconds(customers[c_created][mask].astype(str))
        np.minimum.at(given, cc[mask], gs)
        if len(gs):
            latest = max(latest, gs.max())
        created = np.minimum(created, given)
    created = np.where(created == big, latest if latest > -big else 0, created)

    # Each (customer, channel) and (customer, content) pair's first time: diversity at any
    # cutoff is the number of pairs first seen by then.
    def first_pairs(kind, count):
        ok = kind >= 0
        key = ec[ok] * max(count, 1) + kind[ok]
        _, first = np.unique(key, return_index=True)
        return ec[ok][first], et[ok][first]

    return dict(n=n, ids=ids, oc=oc, ot=ot, ocents=ocents, ec=ec, et=et, o_start=o_start, e_start=e_start,
                created=created, ch_pairs=first_pairs(ech, n_ch), ct_pairs=first_pairs(ect, n_ct),
                orders=len(oc), events=len(ec))


def first_time(times, starts):
    """Each customer's earliest time (times sorted by customer, then time); int64 max if none."""
    has = starts[1:] > starts[:-1]
    if not len(times):
        return np.full(len(has), np.iinfo(np.int64).max)
    return np.where(has, times[np.minimum(starts[:-1], len(times) - 1)], np.iinfo(np.int64).max)


def counts_upto(c, t, x, n):
    return np.bincount(c[t <= x], minlength=n)


def features_at(d, cutoff):
    """The eleven features of every customer as of `cutoff` (n × 11, src/eyes/features.rs)."""
    n, oc, ot, ocents, ec, et = d["n"], d["oc"], d["ot"], d["ocents"], d["ec"], d["et"]
    m = ot <= cutoff
    cnt = np.bincount(oc[m], minlength=n)
    total_cents = np.bincount(oc[m], weights=ocents[m], minlength=n)
    amounts = ocents[m] / 100.0
    sum_sq = np.bincount(oc[m], weights=amounts * amounts, minlength=n)
    has = cnt > 0
    first_order = np.where(has, first_time(ot, d["o_start"]), np.iinfo(np.int64).max)
    last_idx = np.clip(d["o_start"][:-1] + cnt - 1, 0, max(len(ot) - 1, 0))
    last_order = np.where(has, ot[last_idx] if len(ot) else 0, 0)

    me = et <= cutoff
    ecnt = np.bincount(ec[me], minlength=n)
    recent = ecnt - counts_upto(ec, et, cutoff - ENGAGEMENT_DAYS * DAY, n)
    e_first = np.where(ecnt > 0, first_time(et, d["e_start"]), np.iinfo(np.int64).max)

    begin = np.minimum(np.minimum(d["created"], first_order), np.minimum(e_first, cutoff))
    days = lambda s: np.maximum(s, 0) / DAY
    tenure = days(cutoff - begin)
    frequency = cnt.astype(np.float64)
    monetary = total_cents / 100.0
    with np.errstate(divide="ignore", invalid="ignore"):
        recency = np.where(has, days(cutoff - last_order), tenure)
        aov = np.where(has, monetary / np.maximum(frequency, 1), 0.0)
        ipt = np.where(cnt >= 2, days(last_order - first_order) / np.maximum(cnt - 1, 1), tenure)
        mean = np.where(has, monetary / np.maximum(frequency, 1), 0.0)
        var = np.maximum(np.where(has, sum_sq / np.maximum(frequency, 1) - mean * mean, 0.0), 0.0)
        cv = np.sqrt(var) / np.where(mean > 0, mean, 1.0)
        consistency = np.where(cnt == 0, 0.0, np.where(cnt == 1, 1.0, np.where(mean > 0, 1.0 / (1.0 + cv), 0.0)))
    events_per_day = ecnt / np.maximum(tenure, 1.0)
    pc, pt = d["ch_pairs"]
    channel_div = counts_upto(pc, pt, cutoff, n)
    pc, pt = d["ct_pairs"]
    content_div = counts_upto(pc, pt, cutoff, n)
    return np.column_stack([recency, frequency, monetary, tenure, aov, ipt, events_per_day,
                            channel_div, recent, consistency, content_div]).astype(np.float64)


def standardise(x):
    z = x.copy()
    z[:, LOG_SCALE] = np.sign(z[:, LOG_SCALE]) * np.log1p(np.abs(z[:, LOG_SCALE]))
    std = z.std(axis=0)
    std[~(std > 1e-12)] = 1.0
    return (z - z.mean(axis=0)) / std


def knee(sorted_values):
    """Kneedle: the point farthest below the chord of the ascending curve, axes scaled to [0, 1]."""
    n = len(sorted_values)
    if n < 3 or sorted_values[-1] - sorted_values[0] <= 0:
        return n - 1
    x = np.arange(n) / (n - 1)
    y = (sorted_values - sorted_values[0]) / (sorted_values[-1] - sorted_values[0])
    return int(np.argmax(x - y))


def segmentation(z, args, rng):
    n = len(z)
    out = []
    # One seeded sample for choosing k and for every silhouette, with its distance matrix
    # computed once (as Rust does); DBSCAN's larger sample contains it.
    t = time.perf_counter()
    order = rng.permutation(n)
    idx = np.sort(order[:min(args.sample, n)])
    idx_db = np.sort(order[:min(max(args.dbscan_sample, args.sample), n)])
    zs = z[idx]
    dist = pairwise_distances(zs.astype(np.float32))
    matrix_ms = (time.perf_counter() - t) * 1000

    def sil(labels):
        """Silhouette on the sample of labels given for the sample (-1 = noise, left out)."""
        keep = labels >= 0
        if len(np.unique(labels[keep])) < 2:
            return None
        d = dist if keep.all() else dist[np.ix_(keep, keep)]
        return float(silhouette_score(d, labels[keep], metric="precomputed"))

    def smallest_share(labels):
        """The smallest cluster's share of all points, noise included in the total."""
        sizes = np.bincount(labels[labels >= 0])
        sizes = sizes[sizes > 0]
        return float(sizes.min() / len(labels)) if len(sizes) else 0.0

    def finish(algorithm, labels, **extra):
        """Scores a labelling of everyone on the sample; eligibility as in Rust's finish()."""
        s = sil(labels[idx])
        k = int(len(np.unique(labels[labels >= 0])))
        noise = float((labels < 0).mean())
        share = smallest_share(labels)
        eligible = s is not None and 2 <= k <= 8 and noise <= MAX_NOISE_SHARE and share >= MIN_SEGMENT_SHARE
        # Silhouette with the sample's noise points counted as 0.
        selection = None if s is None else s * float((labels[idx] >= 0).mean())
        return dict(algorithm=algorithm, k=k, silhouette=s, selection_score=selection, noise=noise,
                    smallest_share=share, eligible=eligible, **extra)

    # k-means: k by silhouette on the sample, then Lloyd on everyone from the sample's centres.
    t = time.perf_counter()
    best, k_scores = None, {}
    for k in K_RANGE:
        if k >= len(idx):
            break
        km = KMeans(n_clusters=k, init="k-means++", n_init=4, max_iter=100, random_state=args.seed).fit(zs)
        k_scores[k] = sil(km.labels_)
        big_enough = smallest_share(km.labels_) >= MIN_SEGMENT_SHARE
        if k_scores[k] is not None and big_enough and (best is None or k_scores[k] > best[0]):
            best = (k_scores[k], k, km.cluster_centers_)
    if best:
        labels = KMeans(n_clusters=best[1], init=best[2], n_init=1, max_iter=100).fit(z).labels_
        out.append(finish("k-means", labels, k_scores=k_scores, time_ms=(time.perf_counter() - t) * 1000))

    # Ward on the sample, cut at each k; everyone to the nearest Ward centroid.
    t = time.perf_counter()
    tree = ward(zs)
    best, k_scores = None, {}
    for k in K_RANGE:
        lab = fcluster(tree, k, criterion="maxclust") - 1
        k_scores[k] = sil(lab) if len(np.unique(lab)) < len(idx) else None
        big_enough = smallest_share(lab) >= MIN_SEGMENT_SHARE
        if k_scores[k] is not None and big_enough and (best is None or k_scores[k] > best[0]):
            best = (k_scores[k], k, lab)
    if best:
        centres = np.array([zs[best[2] == c].mean(axis=0) for c in np.unique(best[2])])
        labels = nearest_centre(z, centres)
        out.append(finish("Ward", labels, k_scores=k_scores, time_ms=(time.perf_counter() - t) * 1000))

    # DBSCAN on the larger sample, eps at the k-distance knee; everyone to the nearest core
    # point within eps, else noise.
    t = time.perf_counter()
    zd = z[idx_db]
    min_pts = max(2 * z.shape[1], 3)
    kd = NearestNeighbors(n_neighbors=min(min_pts, len(idx_db))).fit(zd).kneighbors(zd)[0][:, -1]
    kd.sort()
    eps = float(kd[knee(kd)])
    db = DBSCAN(eps=max(eps, 1e-9), min_samples=min_pts).fit(zd)
    core = db.core_sample_indices_
    labels = np.full(n, -1)
    if len(core):
        d1, near = NearestNeighbors(n_neighbors=1).fit(zd[core]).kneighbors(z)
        within = d1[:, 0] <= eps
        labels[within] = db.labels_[core][near[within, 0]]
    out.append(finish("DBSCAN", labels, eps=eps, min_pts=min_pts, time_ms=(time.perf_counter() - t) * 1000))

    pick = lambda a: {k: a[k] for k in ["algorithm", "k", "silhouette"]}
    eligible = [a for a in out if a["eligible"]]
    winner = max(eligible, key=lambda a: a["selection_score"]) if eligible else None
    loose = [a for a in out if a["silhouette"] is not None and 2 <= a["k"] <= 8 and a["noise"] <= MAX_NOISE_SHARE]
    best_ungated = max(loose, key=lambda a: a["silhouette"]) if loose else None
    return dict(winner=pick(winner) if winner else None, best_ungated=pick(best_ungated) if best_ungated else None,
                algorithms=out, sample=len(idx), dbscan_sample=len(idx_db), distance_matrix_ms=matrix_ms)


def nearest_centre(z, centres, chunk=200_000):
    out = np.empty(len(z), dtype=np.int64)
    c2 = (centres ** 2).sum(axis=1)
    for lo in range(0, len(z), chunk):
        block = z[lo:lo + chunk]
        out[lo:lo + chunk] = np.argmin(c2[None, :] - 2 * block @ centres.T, axis=1)
    return out


def churn(d, cutoff, args, feature_cache):
    n = d["n"]
    rng = np.random.default_rng(args.seed + 1)

    def feats(t):
        if t not in feature_cache:
            feature_cache[t] = features_at(d, t)
        return feature_cache[t]

    def window(t, h):
        exist = np.flatnonzero(d["created"] <= t)
        later = t + h * DAY
        active = (counts_upto(d["oc"], d["ot"], later, n) - counts_upto(d["oc"], d["ot"], t, n)
                  + counts_upto(d["ec"], d["et"], later, n) - counts_upto(d["ec"], d["et"], t, n)) > 0
        return exist, (~active[exist]).astype(np.int64)

    def models():
        return {
            "logistic": make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=200)),
            "gradient_boosting": HistGradientBoostingClassifier(
                max_iter=100, learning_rate=0.1, max_leaf_nodes=31, max_depth=8, min_samples_leaf=40,
                l2_regularization=1.0, max_bins=255, early_stopping=False, random_state=args.seed),
        }

    result = {}
    for h in HORIZONS:
        t_train, t_eval = cutoff - 2 * h * DAY, cutoff - h * DAY
        tr_rows, y_tr = window(t_train, h)
        ev_rows, y_ev = window(t_eval, h)
        if len(tr_rows) > MAX_TRAIN_ROWS:
            pick_rows = np.sort(rng.choice(len(tr_rows), MAX_TRAIN_ROWS, replace=False))
            tr_rows, y_tr = tr_rows[pick_rows], y_tr[pick_rows]
        entry = dict(train_rows=int(len(tr_rows)), eval_rows=int(len(ev_rows)),
                     churn_rate_eval=float(y_ev.mean()) if len(y_ev) else None, models={})
        if len(np.unique(y_tr)) < 2 or len(np.unique(y_ev)) < 2:
            entry.update(best_model=None, auc=None)
            result[f"{h}d"] = entry
            continue
        x_tr, x_ev = feats(t_train)[tr_rows], feats(t_eval)[ev_rows]
        for name, model in models().items():
            model.fit(x_tr, y_tr)
            entry["models"][name] = float(roc_auc_score(y_ev, model.predict_proba(x_ev)[:, 1]))
        entry["recency_baseline_auc"] = float(roc_auc_score(y_ev, x_ev[:, 0]))
        best = max(entry["models"], key=lambda k: (entry["models"][k], k == "logistic"))
        entry.update(best_model=best, auc=entry["models"][best])
        # Refit the winner on the latest labelled window and score everyone existing at C.
        refit = models()[best]
        refit_rows = ev_rows
        y_refit = y_ev
        if len(refit_rows) > MAX_TRAIN_ROWS:
            pick_rows = np.sort(rng.choice(len(refit_rows), MAX_TRAIN_ROWS, replace=False))
            refit_rows, y_refit = refit_rows[pick_rows], y_refit[pick_rows]
        refit.fit(feats(t_eval)[refit_rows], y_refit)
        now = np.flatnonzero(d["created"] <= cutoff)
        risk = refit.predict_proba(feats(cutoff)[now])[:, 1]
        entry["scored"] = int(len(now))
        entry["mean_risk"] = float(risk.mean()) if len(risk) else None
        result[f"{h}d"] = entry
    return result


def main():
    ap = argparse.ArgumentParser(description="EYES pipeline in scikit-learn (benchmark reference)")
    ap.add_argument("--customers")
    ap.add_argument("--orders", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--cutoff", required=True,
                    help="YYYY-MM-DD (the end of that day, UTC, as `server eyes` takes it) or unix seconds")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sample", type=int, default=10_000,
                    help="customers in the sample that chooses k (k-means, Ward) and scores every silhouette")
    ap.add_argument("--dbscan-sample", type=int, default=20_000, help="customers DBSCAN is fitted on")
    args = ap.parse_args()
    # A date means its last second, as in `server eyes`: everything on the cutoff day counts.
    cutoff = int(args.cutoff) if args.cutoff.isdigit() else int(pd.Timestamp(args.cutoff, tz="UTC").timestamp()) + DAY - 1

    timings = {}
    t0 = time.perf_counter()
    d = load(args.customers, args.orders, args.events)
    timings["load"] = (time.perf_counter() - t0) * 1000

    t = time.perf_counter()
    x = features_at(d, cutoff)
    z = standardise(x)
    timings["features"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    seg = segmentation(z, args, np.random.default_rng(args.seed))
    timings["segmentation"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    ch = churn(d, cutoff, args, {cutoff: x})
    timings["churn"] = (time.perf_counter() - t) * 1000
    timings["clv"] = None
    timings["total"] = (time.perf_counter() - t0) * 1000

    report = dict(engine="scikit-learn", customers=d["n"], orders=d["orders"], events=d["events"], cutoff=cutoff,
                  samples=dict(sample=args.sample, dbscan=args.dbscan_sample),
                  timings_ms={k: (round(v, 1) if v is not None else None) for k, v in timings.items()},
                  segmentation=seg, churn=ch,
                  feature_means={f: float(v) for f, v in zip(FEATURES, x.mean(axis=0))})
    json.dump(report, sys.stdout, indent=2, default=lambda o: None if o is None else float(o))
    print()


if __name__ == "__main__":
    main()
