#!/bin/bash
# Live A/B, one scenario at a time, order alternating: base (d47334f) and new binary.
cd /work/main
i=0
for round in 1 2; do
for id in arith-age corr-003 fact-water safety-001 unit-seconds wp-020 wp-040 wp-060 wp-080 wp-100 wp-120 wp-140; do
  if [ $(((i + round) % 2)) -eq 0 ]; then order="base new"; else order="new base"; fi
  for which in $order; do
    bin=/work/main/.build/release/asyncvoice; [ $which = base ] && bin=/work/basewt/.build/release/asyncvoice
    $bin eval /tmp/s26/ab/sc-$id --modes async --json /tmp/s26/ab/$which-$id-r$round.json > /tmp/s26/ab/$which-$id-r$round.txt 2>&1
  done
  i=$((i+1))
done
done
echo ALLDONE
