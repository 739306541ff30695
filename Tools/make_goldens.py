#!/usr/bin/env python3
"""Generates the engine's test fixtures and goldens with the float32 numpy reference.

    pip install numpy gguf regex
    python3 Tools/make_goldens.py            # needs Assets/ models for the model goldens

Writes Tests/TransformerTests/Fixtures/:
  dequant.gguf + dequant.json    random blocks of every supported type and gguf.quants.dequantize's values
  tiny-{llama,qwen2,qwen3}.gguf  random-weight models (a few hundred KB) + tiny-*.json logits at every position
  smollm-tokenizer.json, qwen2-tokenizer.json   ids of the tokenizer test strings
  smollm-logits.json             per-position logits of the reference prompt, top-5, greedy ids
"""
import json, os, sys
import numpy as np
import gguf
from gguf import GGMLQuantizationType as QT
from gguf import quants

sys.path.insert(0, os.path.dirname(__file__))
import ref_llama  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "Tests", "TransformerTests", "Fixtures")
ASSETS = os.path.join(HERE, "..", "Assets")
rng = np.random.default_rng(1234)


def f16_bytes(vals):
    return np.asarray(vals, np.float16).view(np.uint8)


def random_blocks(qt, n_blocks):
    bs, bb = gguf.GGML_QUANT_SIZES[qt]
    raw = rng.integers(0, 256, size=(n_blocks, bb), dtype=np.uint8)
    for b in range(n_blocks):
        scales = f16_bytes(rng.uniform(-0.05, 0.05, 2))
        if qt in (QT.Q4_0, QT.Q5_0, QT.Q8_0):
            raw[b, 0:2] = scales[0:2]
        elif qt in (QT.Q4_1, QT.Q5_1, QT.Q4_K, QT.Q5_K):
            raw[b, 0:4] = scales
        elif qt == QT.Q6_K:
            raw[b, 208:210] = scales[0:2]
    return raw


def dequant_fixture():
    w = gguf.GGUFWriter(os.path.join(FIX, "dequant.gguf"), "llama")
    expected = {}
    rows, cols = 2, 512
    for qt in (QT.F16, QT.BF16, QT.Q4_0, QT.Q4_1, QT.Q5_0, QT.Q5_1, QT.Q8_0, QT.Q4_K, QT.Q5_K, QT.Q6_K):
        bs, bb = gguf.GGML_QUANT_SIZES[qt]
        if qt == QT.F16:
            raw = np.asarray(rng.normal(0, 1, rows * cols), np.float16).view(np.uint8)
        elif qt == QT.BF16:
            f = np.asarray(rng.normal(0, 1, rows * cols), np.float32).view(np.uint32)
            raw = (f >> 16).astype(np.uint16).view(np.uint8)
        else:
            raw = random_blocks(qt, rows * cols // bs).reshape(-1)
        raw = raw.reshape(rows, -1)
        vals = quants.dequantize(raw, qt).astype(np.float32).reshape(-1)
        name = f"t.{qt.name.lower()}"
        if qt == QT.F16:
            w.add_tensor(name, raw.view(np.float16).reshape(rows, cols))
        else:
            w.add_tensor(name, raw, raw_dtype=qt)
        expected[qt.name] = [float(x) for x in vals]
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
    json.dump(expected, open(os.path.join(FIX, "dequant.json"), "w"))


def tiny_vocab():
    b2u = ref_llama.bytes_to_unicode()
    toks = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    types = [3, 3, 3]
    byte_toks = [b2u[b] for b in range(256)]
    toks += byte_toks
    types += [1] * 256
    merges = []
    for a, b in [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("e", "r"), ("o", "n"), ("Ġ", "s"), ("a", "t"), ("e", "n")]:
        merges.append(f"{a} {b}")
        toks.append(a + b)
        types.append(1)
    return toks, types, merges


def tiny_model(arch, qtypes):
    path = os.path.join(FIX, f"tiny-{arch}.gguf")
    E, H, KV, FF, L = 64, 4, 2, 96, 2
    hd = 32 if arch == "qwen3" else E // H
    toks, types, merges = tiny_vocab()
    V = len(toks)
    w = gguf.GGUFWriter(path, arch)
    w.add_block_count(L); w.add_embedding_length(E); w.add_feed_forward_length(FF)
    w.add_head_count(H); w.add_head_count_kv(KV); w.add_rope_freq_base(10000.0 if arch == "llama" else 1e6)
    w.add_layer_norm_rms_eps(1e-6); w.add_context_length(512); w.add_rope_dimension_count(hd)
    if arch == "qwen3":
        w.add_key_length(hd); w.add_value_length(hd)
    w.add_tokenizer_model("gpt2"); w.add_tokenizer_pre("qwen2" if arch != "llama" else "smollm")
    w.add_token_list(toks); w.add_token_types(types); w.add_token_merges(merges)
    w.add_bos_token_id(1); w.add_eos_token_id(2)

    def add(name, shape, qt=QT.F32, scale=0.08):
        data = rng.normal(0, scale, shape).astype(np.float32)
        if qt == QT.F32:
            w.add_tensor(name, data)
        else:
            if qt == QT.F16:
                w.add_tensor(name, data.astype(np.float16))
            else:
                w.add_tensor(name, quants.quantize(data, qt), raw_dtype=qt)

    add("token_embd.weight", (V, E), qtypes.get("embd", QT.F32), 0.5)
    add("output_norm.weight", (E,), scale=0.1)
    for i in range(L):
        p = f"blk.{i}."
        mt = qtypes.get("mat", QT.F32)
        add(p + "attn_norm.weight", (E,), scale=0.1)
        add(p + "ffn_norm.weight", (E,), scale=0.1)
        add(p + "attn_q.weight", (H * hd, E), mt)
        add(p + "attn_k.weight", (KV * hd, E), mt)
        add(p + "attn_v.weight", (KV * hd, E), mt)
        add(p + "attn_output.weight", (E, H * hd), mt)
        add(p + "ffn_gate.weight", (FF, E), mt)
        add(p + "ffn_up.weight", (FF, E), mt)
        add(p + "ffn_down.weight", (E, FF), qtypes.get("down", mt))
        if arch == "qwen2":
            add(p + "attn_q.bias", (H * hd,), scale=0.05)
            add(p + "attn_k.bias", (KV * hd,), scale=0.05)
            add(p + "attn_v.bias", (KV * hd,), scale=0.05)
        if arch == "qwen3":
            add(p + "attn_q_norm.weight", (hd,), scale=0.3)
            add(p + "attn_k_norm.weight", (hd,), scale=0.3)
    if arch != "llama":
        add("output.weight", (V, E), qtypes.get("out", QT.F32), 0.1)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
    # norms near 1 so activations stay sane
    m = ref_llama.LlamaGGUF(path)
    ids = [1, 40, 75, 82, 3 + 100, 3 + 33, 268, 262, 2, 3 + 10, 266, 265]
    logits = m.forward(ids)
    json.dump({"ids": ids, "logits": logits.astype(np.float32).tolist()}, open(os.path.join(FIX, f"tiny-{arch}.json"), "w"))
    print(path, os.path.getsize(path), "bytes")


TOKENIZER_STRINGS = [
    "Hello world! 123 naïve café", " 3.14159 is pi", "def f(x):\n    return x**2  # ok",
    "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
    "What is seventeen times twenty three?", "I have 12 apples and buy 3 bags with 4 apples each.",
    "1234567890", "3.5 + 4.25 = 7.75", "-42", "1,000,000 dollars", "The year 2026.", "0.001%",
    "x = [1, 2, 3]", "for i in range(10):\n\tprint(i)", "if (a && b) { return; }", "#include <stdio.h>",
    "    four spaces", "tabs\t\tand\ttabs", "trailing spaces   ", "\n\n\nnewlines\n\n", "a  b   c    d",
    " leading space", "mixed \t \n whitespace", "Ünïcödé àccênts", "São Paulo", "Zürich", "naïve façade",
    "日本語のテキスト", "中文字符测试", "한국어 텍스트", "Привет, мир!", "مرحبا بالعالم", "Γειά σου Κόσμε",
    "emoji 🍎🍎🍎 and 😀", "👍🏽 thumbs", "family 👨‍👩‍👧", "flags 🇫🇷🇩🇪", "I'm you're he's we'll they'd I've",
    "DON'T SHOUT", "It's 5 o'clock", "e-mail: test@example.com", "https://example.com/path?q=1",
    "<|im_start|><|im_end|>", "text<|im_end|>more", "<|endoftext|>", "¿Cuál es la capital de Alemania?",
    "Combien font douze plus quinze?", "三加五等于多少?", "snake_case and camelCase", "CONSTANT_VALUE = 42",
    "a\r\nb", "ends with newline\n", "", " ", "!!!???...", "(yes/no):", "'quoted' \"double\"",
    "100km/h", "7x8=56", "A, Mars. B, Jupiter.",
]


def tokenizer_goldens(gguf_path, out):
    meta = ref_llama.read_metadata(gguf.GGUFReader(gguf_path))
    tok = ref_llama.BPETokenizer(meta)
    json.dump([{"text": s, "ids": tok.encode(s)} for s in TOKENIZER_STRINGS], open(os.path.join(FIX, out), "w"), ensure_ascii=False, indent=0)


def smollm_logits():
    path = os.path.join(ASSETS, "SmolLM2-135M-Instruct.Q4_1.gguf")
    m = ref_llama.LlamaGGUF(path)
    tok = ref_llama.BPETokenizer(m.meta)
    ids = tok.encode(ref_llama.DEFAULT_PROMPT)
    logits = m.forward(ids)
    pos = [{"first16": l[:16].tolist(), "argmax": int(np.argmax(l)), "max": float(l.max())} for l in logits]
    out, _, _, _, _ = ref_llama.greedy(m, tok, ids, 20, set())
    last = logits[-1]
    top5 = [[int(i), float(last[i])] for i in np.argsort(-last)[:5]]
    # the dequantized first row of a few tensors, for the dequantizer check on real data
    probes = {n: m.w[n][0, :64].tolist() for n in ("blk.0.attn_q.weight", "token_embd.weight")}
    json.dump({"ids": ids, "positions": pos, "top5": top5, "greedy_no_stop": out, "dequant_row0": probes},
              open(os.path.join(FIX, "smollm-logits.json"), "w"))


if __name__ == "__main__":
    os.makedirs(FIX, exist_ok=True)
    dequant_fixture()
    tiny_model("llama", {"mat": QT.Q8_0, "down": QT.Q4_1, "embd": QT.Q8_0})
    tiny_model("qwen2", {"mat": QT.Q5_0, "down": QT.Q8_0, "out": QT.Q8_0})
    tiny_model("qwen3", {"mat": QT.F16, "down": QT.Q4_0})
    if os.path.exists(os.path.join(ASSETS, "SmolLM2-135M-Instruct.Q4_1.gguf")):
        tokenizer_goldens(os.path.join(ASSETS, "SmolLM2-135M-Instruct.Q4_1.gguf"), "smollm-tokenizer.json")
        smollm_logits()
    q = os.path.join(ASSETS, "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
    if os.path.exists(q):
        tokenizer_goldens(q, "qwen2-tokenizer.json")
    print("done")
