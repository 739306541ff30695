import json,sys,glob,statistics as st,random
base={ (r['id']):r for r in json.load(open('Tools/results/2026-12-02-s23-library-full-233.json')) if r['mode']=='async'}
think={ (r['id']):r for r in json.load(open('Tools/results/2026-12-02-s23-library-full-233.json')) if r['mode']=='think'}
rows=[]
for f in sys.argv[1:]:
    d=json.load(open(f)); d=d if isinstance(d,list) else d['rows']
    rows+= [r for r in d if r['mode']=='async']
ids=[r['id'] for r in rows]
new={r['id']:r for r in rows}
def summ(sel,label):
    if not sel: return
    b=[base[i] for i in sel]; n=[new[i] for i in sel]; t=[think[i] for i in sel]
    won=sum(1 for x,y in zip(b,n) if not x['correct'] and y['correct'])
    lost=sum(1 for x,y in zip(b,n) if x['correct'] and not y['correct'])
    print(f"{label}: n={len(sel)} right {sum(x['correct'] for x in b)} -> {sum(y['correct'] for y in n)} (won {won}, lost {lost})")
    for k in ['total_delay','time_to_first_word']:
        print(f"  {k}: {st.mean(x[k] for x in b):.2f} -> {st.mean(y[k] for y in n):.2f}; think {st.mean(x['total_delay'] for x in t):.2f}")
    dd=[y['total_delay']-x['total_delay'] for x,y in zip(b,n)]
    random.seed(1); bs=sorted(st.mean(random.choices(dd,k=len(dd))) for _ in range(2000))
    print(f"  paired delta delay {st.mean(dd):.2f} CI [{bs[50]:.2f},{bs[1949]:.2f}]  ratio think/new {st.mean(x['total_delay'] for x in t)/st.mean(y['total_delay'] for y in n):.2f} (was {st.mean(x['total_delay'] for x in t)/st.mean(x['total_delay'] for x in b):.2f})")
    tt=sorted(y['time_to_first_word'] for y in n); print(f"  ttfw p90 {tt[int(0.9*(len(tt)-1))]:.2f}")
    cor=sum('Let me correct that' in y['answer'] for y in n); cb=sum('Let me correct that' in x['answer'] for x in b)
    print(f"  spoken corrections {cb} -> {cor}")
summ(ids,'all')
summ([i for i in ids if i.startswith('wp-')],'wp')
summ([i for i in ids if not i.startswith('wp-')],'other')
if '-v' in sys.argv[0:1]: pass
for i in ids:
    x,y=base[i],new[i]
    if x['correct']!=y['correct'] or abs(x['total_delay']-y['total_delay'])>3:
        print(i, x['correct'],'->',y['correct'], round(x['total_delay'],1),'->',round(y['total_delay'],1), '|', y['answer'][:300].replace('\n',' '))
