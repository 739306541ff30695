#!/usr/bin/env python3
"""Writes the long inputs of issue 11's bounds (not shipped; scripts/bounds.sh measures them):
a 3,000-word utterance, a 3,000-word interjection during an answer, and a 30-turn conversation.

Run: python3 Tools/make_long_inputs.py OUT_DIR
"""
import json, os, sys

BASE = "please count the red apples and the green pears in the big basket on the kitchen table".split()


def many(n):
    return " ".join(BASE[i % len(BASE)] for i in range(n)) + "?"


def header(i, title):
    return {"type": "header", "format": "asyncvoice-transcript", "version": "1.0", "kind": "scenario", "id": i,
            "title": title, "created": "2026-11-30T00:00:00Z", "speech_rate_wpm": 150}


def words(text, t, gap=0.4):
    out = []
    for w in text.split():
        out.append({"t": round(t, 3), "type": "word", "text": w})
        t += gap
    out.append({"t": round(t, 3), "type": "end_of_utterance"})
    return out, t


def write(path, lines):
    with open(path, "w") as f:
        for line in lines:
            f.write(json.dumps(line, sort_keys=True) + "\n")


def main(out):
    os.makedirs(out, exist_ok=True)
    ev, _ = words(many(3000), 0.5)
    write(os.path.join(out, "utterance3000.jsonl"), [header("utterance3000", "A 3,000-word utterance")] + ev)
    ev, t = words("What is seventeen times twenty three?", 0.5)
    ev.append({"t": round(t + 0.3, 3), "type": "interjection", "text": many(3000)})  # while the answer is spoken
    write(os.path.join(out, "interjection3000.jsonl"), [header("interjection3000", "A 3,000-word interjection")] + ev)
    ev, t = [], 0.5
    for k in range(30):
        turn, t = words(f"Question {k + 1}: what is {k + 2} plus {k + 3}?", t)
        ev += turn
        t += 1.5
    write(os.path.join(out, "turns30.jsonl"), [header("turns30", "A 30-turn conversation")] + ev)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/asyncvoice-long")
