"""Live first word, binary before (base, d47334f) and after (new) the batched prefills: each of
the 12 scenarios of `eval --shard 0/20` in its own `asyncvoice eval DIR --modes async` process,
the two binaries alternating (order reversed in round 2), two rounds; AMD EPYC 2 vCPU, AVX2 only.
Run: python3 compare.py"""
import json, glob, statistics as st, os, math
ids="arith-age corr-003 fact-water safety-001 unit-seconds wp-020 wp-040 wp-060 wp-080 wp-100 wp-120 wp-140".split()
rows={}
for w in ("base","new"):
    for r in (1,2):
        for i in ids:
            f=os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{w}-{i}-r{r}.json")
            if not os.path.exists(f): continue
            d=json.load(open(f)); row=d[0]
            rows[(w,r,i)]=row
def ttfw(w): return [rows[k]['time_to_first_word'] for k in sorted(rows) if k[0]==w]
print("id        round  base ttfw  new ttfw   base ok new ok")
diffs=[]
for r in (1,2):
  for i in ids:
    if ("base",r,i) in rows and ("new",r,i) in rows:
        b,n=rows[("base",r,i)],rows[("new",r,i)]
        diffs.append(n['time_to_first_word']-b['time_to_first_word'])
        print(f"{i:13} {r}  {b['time_to_first_word']:.2f}  {n['time_to_first_word']:.2f}  {b['correct']} {n['correct']}")
for w in ("base","new"):
    t=sorted(ttfw(w)); 
    if t: print(w, "n",len(t),"mean %.3f"%st.mean(t), "p90 %.3f"%t[min(len(t)-1,int(math.ceil(0.9*len(t)))-1)], "right", sum(rows[k]['correct'] for k in rows if k[0]==w))
if diffs:
    m=st.mean(diffs); sd=st.stdev(diffs) if len(diffs)>1 else 0
    print("paired new-base mean %.3f s, sd %.3f, n %d, 95%% CI [%.3f, %.3f]"%(m,sd,len(diffs),m-1.96*sd/math.sqrt(len(diffs)),m+1.96*sd/math.sqrt(len(diffs))))
