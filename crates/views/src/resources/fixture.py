#!/usr/bin/env python3
"""The resources fixture of issue 18 and its hand-computed table, made WITHOUT Lajna's code.

Writes `fixture.rs` next to this file: 50 pledges (MAD, XOF, EUR, USD and in kind) on the
actions, needs and offers of a small committee, their deliveries, the exchange rates as
entered, and the expected totals in MAD and in XOF, per area, per roadmap and per party, the
quantities in kind and the pledges not honoured on 2026-09-01 — each computed here with exact
fractions (Python's `fractions`) and the rule Lajna states: the latest rate dated on or before
the value's day, entered either way (the other way inverted exactly), none through a third
currency; each value converted and rounded once, halves away from zero; then the rounded values
added. Run `python3 fixture.py` to regenerate; the test compares Lajna's figures with it.
"""
import datetime as dt
import random
from fractions import Fraction
from pathlib import Path

EXP = {"MAD": 2, "XOF": 0, "EUR": 2, "USD": 2}
AREAS = ["training", "equipment", "logistics"]
ROADMAPS = ["r2026a", "r2026b"]
# record -> (kind, area, roadmap)
ACTIONS = {"a1": ("training", "r2026a"), "a2": ("equipment", "r2026a"), "a3": ("logistics", "r2026b"), "a4": ("training", "r2026b")}
NEEDS = {"n1": ("equipment", "a2"), "n2": ("logistics", None), "n3": (None, None)}
OFFERS = {"o1": "n1", "o2": None, "o3": "n2"}
ABOUT = list(ACTIONS) + list(NEEDS) + list(OFFERS)
UNITS = ["seats", "vehicles", "instructor-months"]
# (from, to, date, rate as typed)
RATES = [
    ("EUR", "MAD", "2026-01-01", "10.8523"),
    ("EUR", "MAD", "2026-04-01", "10.9012"),
    ("USD", "MAD", "2026-01-01", "9.9871"),
    ("USD", "MAD", "2026-05-15", "10.0325"),
    ("MAD", "XOF", "2026-01-01", "61.5"),
    ("MAD", "XOF", "2026-03-01", "61.82"),
    ("EUR", "XOF", "2026-01-01", "655.957"),
    ("USD", "XOF", "2026-01-01", "602.35"),
    ("USD", "XOF", "2026-06-01", "598.1"),
    ("XOF", "MAD", "2026-06-01", "0.01615"),
]
TODAY = "2026-09-01"


def place(about):
    if about in ACTIONS:
        return ACTIONS[about]
    if about in NEEDS:
        area, action = NEEDS[about]
        return area, ACTIONS[action][1] if action else None
    need = OFFERS[about]
    return place(need) if need else (None, None)


def rate(frm, to, on):
    """Fraction for 1 unit of frm in to, or None."""
    if frm == to:
        return Fraction(1)
    best = None  # (date, direct?, fraction)
    for f, t, d, r in RATES:
        if d > on:
            continue
        if (f, t) == (frm, to):
            cand = (d, 1, Fraction(r))
        elif (f, t) == (to, frm):
            cand = (d, 0, 1 / Fraction(r))
        else:
            continue
        if best is None or cand[:2] > best[:2]:
            best = cand
    return best[2] if best else None


def round_half_away(x):
    sign = -1 if x < 0 else 1
    a = abs(x)
    n = a.numerator // a.denominator
    if a - n >= Fraction(1, 2):
        n += 1
    return sign * n


def convert(minor, frm, to, on, share=Fraction(1)):
    r = rate(frm, to, on)
    if r is None:
        return None
    return round_half_away(Fraction(minor) * share * r * 10 ** EXP[to] / 10 ** EXP[frm])


def day(d, n):
    return (dt.date.fromisoformat(d) + dt.timedelta(days=n)).isoformat()


rng = random.Random(18)
pledges = []
for i in range(50):
    party = rng.choice(["MAR", "MLI"])
    about = ABOUT[i % len(ABOUT)] if i < 20 else rng.choice(ABOUT)
    date = day("2025-12-10", rng.randrange(0, 230))
    due = day(date, rng.randrange(20, 200))
    sort = ["MAD", "XOF", "EUR", "USD", "kind"][i % 5]
    deliveries = []
    ndel = rng.choice([0, 1, 1, 2, 2, 3])
    if sort == "kind":
        decimals = rng.random() < 0.3
        qty = Fraction(rng.randrange(5, 400), 10) if decimals else Fraction(rng.randrange(1, 200))
        unit = rng.choice(UNITS)
        vcur = rng.choice(["MAD", "XOF", "EUR", "USD", None])
        val = None
        if vcur:
            val = (rng.randrange(10_000, 90_000_000) * (1 if EXP[vcur] else 1), vcur)
        for _ in range(ndel):
            q = Fraction(rng.randrange(1, max(2, int(qty * 10) // 2)), 10) if decimals else Fraction(rng.randrange(1, max(2, int(qty // 2) + 1)))
            deliveries.append((day(date, rng.randrange(0, 250)), q))
        pledges.append(dict(party=party, about=about, date=date, due=due, kind=(qty, unit, val), deliveries=deliveries))
    else:
        top = {"MAD": 500_000_000, "XOF": 2_000_000_000, "EUR": 90_000_000, "USD": 90_000_000}[sort]
        minor = rng.randrange(10_000, top)
        for _ in range(ndel):
            deliveries.append((day(date, rng.randrange(0, 250)), rng.randrange(1, minor // 2 + 2)))
        pledges.append(dict(party=party, about=about, date=date, due=due, money=(minor, sort), deliveries=deliveries))


def qtext(q):
    """Canonical quantity text: a point, no trailing zero."""
    if q.denominator == 1:
        return str(q.numerator)
    assert 10 % q.denominator == 0 or q.denominator in (2, 5, 10)
    s = f"{float(q):.1f}"  # one decimal at most by construction (tenths)
    assert Fraction(s) == q
    return s


def table(cur):
    by_area, by_roadmap, by_party = {}, {}, {}
    uncounted_lines = 0
    for p in pledges:
        pl, de, un = 0, 0, 0
        if "money" in p:
            minor, c = p["money"]
            v = convert(minor, c, cur, p["date"])
            if v is None:
                un += 1
            else:
                pl += v
            for d, m in p["deliveries"]:
                v = convert(m, c, cur, d)
                if v is None:
                    un += 1
                else:
                    de += v
        else:
            qty, unit, val = p["kind"]
            if val:
                v = convert(val[0], val[1], cur, p["date"])
                if v is None:
                    un += 1
                else:
                    pl += v
                for d, q in p["deliveries"]:
                    v = convert(val[0], val[1], cur, d, q / qty)
                    if v is None:
                        un += 1
                    else:
                        de += v
        area, roadmap = place(p["about"])
        for m, k in ((by_area, area or "-"), (by_roadmap, roadmap or "-"), (by_party, "*")):
            f = m.setdefault((k, p["party"]), [0, 0, 0])
            f[0] += pl
            f[1] += de
            f[2] += un
        uncounted_lines += un
    return by_area, by_roadmap, by_party, uncounted_lines


def in_kind():
    out = {}
    for p in pledges:
        if "kind" not in p:
            continue
        qty, unit, _ = p["kind"]
        f = out.setdefault((p["party"], unit), [0, 0])
        f[0] += qty * 1_000_000
        f[1] += sum(q for _, q in p["deliveries"]) * 1_000_000
    return {k: (int(v[0]), int(v[1])) for k, v in out.items()}


def not_honoured():
    out = []
    for i, p in enumerate(pledges):
        if p["due"] >= TODAY:
            continue
        if "money" in p:
            pledged, delivered = p["money"][0], sum(m for _, m in p["deliveries"])
        else:
            pledged, delivered = p["kind"][0], sum(q for _, q in p["deliveries"])
        if delivered < pledged:
            out.append((p["due"], i))
    return [i for _, i in sorted(out)]


lines = [
    "// @generated by fixture.py (Python's fractions, not Lajna's code): the resources fixture of",
    "// issue 18 and its hand-computed totals. Do not edit; rerun `python3 fixture.py`.",
    "",
    "use super::{P, V};",
    "",
    "/// Exchange rates as entered: from, to, date, rate as typed (en).",
    f"pub(super) const RATES: [(&str, &str, &str, &str); {len(RATES)}] = [",
]
lines += [f'    ("{f}", "{t}", "{d}", "{r}"),' for f, t, d, r in RATES]
lines += ["];", "", "/// The 50 pledges.", "pub(super) const PLEDGES: [P; 50] = ["]
for p in pledges:
    if "money" in p:
        v = f'V::Money({p["money"][0]}, "{p["money"][1]}")'
        ds = ", ".join(f'("{d}", "{m}")' for d, m in p["deliveries"])
    else:
        qty, unit, val = p["kind"]
        vv = f'Some(({val[0]}, "{val[1]}"))' if val else "None"
        v = f'V::Kind("{qtext(qty)}", "{unit}", {vv})'
        ds = ", ".join(f'("{d}", "{qtext(q)}")' for d, q in p["deliveries"])
    lines.append(f'    P {{ party: "{p["party"]}", about: "{p["about"]}", date: "{p["date"]}", due: "{p["due"]}", value: {v}, deliveries: &[{ds}] }},')
lines.append("];")
for cur in ["MAD", "XOF"]:
    by_area, by_roadmap, by_party, un = table(cur)
    for name, m in (("AREA", by_area), ("ROADMAP", by_roadmap), ("PARTY", by_party)):
        lines += ["", f"/// {name.lower()}, party: pledged, delivered (minor units of {cur}), values without a rate.",
                  f"pub(super) const BY_{name}_{cur}: &[(&str, &str, i64, i64, usize)] = &["]
        for (k, party), (a, b, c) in sorted(m.items()):
            lines.append(f'    ("{k}", "{party}", {a}, {b}, {c}),')
        lines.append("];")
    lines += ["", f"/// Values left out of the {cur} totals for want of a rate.", f"pub(super) const UNCOUNTED_{cur}: usize = {un};"]
lines += ["", "/// In kind, per party and unit: pledged and delivered, in millionths.",
          "pub(super) const IN_KIND: &[(&str, &str, i128, i128)] = &["]
for (party, unit), (a, b) in sorted(in_kind().items()):
    lines.append(f'    ("{party}", "{unit}", {a}, {b}),')
lines += ["];", "", f"/// The pledges (by index) not honoured on {TODAY}, by due date then index.",
          f"pub(super) const NOT_HONOURED: &[usize] = &{not_honoured()};", ""]
Path(__file__).with_name("fixture.rs").write_text("\n".join(lines))
