# python3 Tools/results/2026-12-02-s25-library-zen5-clock/compare.py Tools/results/2026-12-02-s25-library-zen5-clock/merged.json (run from the repository root)
"""Pairs the word-problem rows of a run on another clock with session 23's table rows."""
import json, sys, glob, statistics as st, random
from math import comb
base = json.load(open('Tools/results/2026-12-02-s23-library-full-233.json'))
rows = []
for f in sys.argv[1:]:
    d = json.load(open(f)); rows += d if isinstance(d, list) else d['rows']
new = {(r['id'], r['mode']): r for r in rows}
old = {(r['id'], r['mode']): r for r in base}
ids = sorted({i for i, m in new if 'word-problem' in new[(i, m)]['tags'] and all((i, mm) in new for mm in ('async', 'think'))})
def mcnemar(b, c):
    n = b + c
    if n == 0: return 1.0
    k = min(b, c)
    return min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2 ** n)
print(f"{len(ids)} word problems with async and think rows")
for m in ('async', 'think', 'nothink'):
    sel = [i for i in ids if (i, m) in new]
    if not sel: continue
    n = [new[(i, m)] for i in sel]; o = [old[(i, m)] for i in sel]
    won = sum(1 for x, y in zip(o, n) if not x['correct'] and y['correct'])
    lost = sum(1 for x, y in zip(o, n) if x['correct'] and not y['correct'])
    print(f"{m}: n={len(sel)} right {sum(y['correct'] for y in n)} (s23 clock {sum(x['correct'] for x in o)}; won {won} lost {lost}, p={mcnemar(won,lost):.2f})"
          f"  first word {st.mean(y['time_to_first_word'] or 0 for y in n):.2f} s (s23 {st.mean(x['time_to_first_word'] or 0 for x in o):.2f})"
          f"  total delay {st.mean(y['total_delay'] for y in n):.2f} s (s23 {st.mean(x['total_delay'] for x in o):.2f})")
a = [new[(i, 'async')]['total_delay'] for i in ids]; t = [new[(i, 'think')]['total_delay'] for i in ids]
ao = [old[(i, 'async')]['total_delay'] for i in ids]; to = [old[(i, 'think')]['total_delay'] for i in ids]
print(f"think ÷ async mean total delay: {st.mean(t)/st.mean(a):.2f}x (s23 clock on the same: {st.mean(to)/st.mean(ao):.2f}x); median {st.median(t)/st.median(a):.2f}x")
random.seed(1); bs = []
for _ in range(4000):
    k = random.choices(range(len(ids)), k=len(ids))
    bs.append(st.mean(t[j] for j in k) / st.mean(a[j] for j in k))
bs.sort(); print(f"  bootstrap 95% CI of the ratio [{bs[100]:.2f}, {bs[3899]:.2f}]")
print(f"async answers pausing > 2 s after the first word: {sum(1 for i in ids if new[(i,'async')]['total_delay'] - (new[(i,'async')]['time_to_first_word'] or 0) > 2)}")
ca = {m: sum('Let me correct that' in new[(i, m)]['answer'] for i in ids if (i, m) in new) for m in ('async', 'think', 'nothink')}
print("answers with 'Let me correct that':", ca)
if '-v' in sys.argv: pass
for i in ids:
    x, y = old[(i, 'async')], new[(i, 'async')]
    if x['correct'] != y['correct']:
        print(' ', i, 'async', x['correct'], '->', y['correct'], '|', y['answer'][:200].replace('\n', ' '))
