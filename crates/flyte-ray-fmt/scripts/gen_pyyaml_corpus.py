#!/usr/bin/env python3
"""Differential corpus for flyte_ray_fmt::pyjson::dumps and pyyaml::dump.

Writes tests/data/py_dump_corpus.jsonl: one line per JSON value tree,

    {"id": "...", "json": json.dumps(tree), "yaml": yaml.dump(tree)}

made by the real json and PyYAML (6.0.4, pure-Python Dumper, checked below).
The trees are random (awkward strings, nested and empty collections, big
ints, edge floats) plus every non-empty runtime_env of the golden task files
(../shared/golden-task/*.jsonl, read here, never by the tests).

Also writes tests/data/py_loads_cases.jsonl: hand-made JSON texts, each with
what json.loads does with it:

    {"input": text, "dumps": json.dumps(v), "yaml": yaml.dump(v)}   or
    {"input": text, "error": type name, "pos": JSONDecodeError.pos or null}

Run from the crate directory with the flyteidl2 reference venv:

    /tmp/flyteidl2-ref/bin/python scripts/gen_pyyaml_corpus.py 20261201 10000

Same seed and count give the same files (the trees do not depend on
PYTHONHASHSEED: only lists and dicts built in order are used).
"""

import glob
import json
import math
import os
import random
import struct
import sys

import yaml

assert yaml.__version__ == "6.0.4", yaml.__version__
# yaml.dump uses the pure-Python Dumper unless told otherwise.
assert yaml.dump.__defaults__[-1] is yaml.Dumper
assert issubclass(yaml.Dumper, yaml.emitter.Emitter)
assert not issubclass(yaml.Dumper, getattr(yaml, "CEmitter", ()) or ())

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
SHARED = os.path.join(CRATE, "..", "..", "..", "shared")
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"

# Plain texts the YAML 1.1 resolver reads as something else, and near misses.
LOOKALIKES = [
    "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "true", "True",
    "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    "oN", "yEs", "~", "null", "Null", "NULL", "nULL", "none", "None", "",
    "0x1f", "0X1F", "0x", "0b101", "0b2", "0o17", "017", "018", "0_7", "08",
    "1_000", "1__0", "_1", "1_", "+1", "-1", "+0", "-0", "00", "1:30", "1:30:59",
    "1:60", "01:30", "-1:30", "1:30.5", "190:20:30.15", "1.0", "1.", ".5", "-.5",
    "+.5", "1e3", "1e+3", "1.0e+3", "1.0e3", "1E-3", "1.5E+10", "6.8523015e+5",
    ".inf", "-.inf", "+.Inf", ".INF", ".nan", ".NaN", ".NAN", "nan", "inf",
    "-inf", "Infinity", "NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.1Z", "2002-12-14",
    "2001-1-1", "2001-12-14 21:59:43.10 Z", "2001-12-14x", "20011214", "<<",
    "<", "<<<", "=", "==", "!", "&", "*", "-", "?", ":", "--", "---", "...",
    "----", "--- a", "... a", "-a", "?a", ":a", "- a", "? a", ": a", "a:", "a: b",
    "a:b", "a :b", "a #b", "a#b", "#a", "a #", "a,b", "[a]", "{a}", "a[b]",
    "a{b}", "&a", "*a", "!a", "|a", ">a", "'a", '"a', "%a", "@a", "`a", "a'b",
    'a"b', "it's", "a\\b", "\\", "a b", "a  b", " a", "a ", " ", "  ", "\t",
    "a\tb", "a\nb", "a\n", "\na", "\n", "\n\n", "a\n\nb", "a \nb", "a\n b",
    "a\r\nb", "a\rb", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\xa0", "\u2028",
    "\u2029", "\ufeff", "\ufeffa", "é", "naïve", "日本語", "\U0001f600", "\U0010ffff",
    "\ud7ff", "\ue000", "\ufffd", "\ufffe", "\uffff", "numpy==1.26.4",
    "pip install -r requirements.txt", "s3://bucket/key", "http://x:80/a?b=c#d",
    "${HOME}", "$(pwd)", "key=value", "a=b", "1.2.3", "v1.0", "1-2", "12:30:45",
    "0:0", "1:00", "0x_", "0b_", "-0x1f", "+0b1", "0.", "-0.0", "1e", "e1",
]

WORDS = ["a", "numpy", "ray", "pip", "env_vars", "working_dir", "py_modules",
         "conda", "x", "key", "value", "the", "quick", "brown", "fox", "lorem",
         "ipsum", "dolor", "sit", "amet", "-", "#", ":", "'", '"', "é", "\t",
         "\n", "1", "2.0", "yes", "~", "é😀", "\\", "https://example.com/x"]

SPECIAL_CHARS = ("-?:#,[]{}&*!|>'\"%@` \t\n\r\\/=~<.0123456789eE+_xby"
                 "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\xa0\xe9\xff"
                 "\u0100\u2028\u2029\u200b\ufeff\ufffd\U0001f600\U00010000")

FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1 / 3, 2.0, 100.0, 1e15, 1e16, 1e17,
          9999999999999998.0, 1e22, 1e-4, 1e-5, 1e-07, 0.0001, 0.00012345,
          5e-324, 2.2250738585072014e-308, 1.7976931348623157e+308, 123456789.125,
          -1e16, -5e-324, 1.5e300, 3.14159, 1234567890123456.7, 2 ** 53, 2.0 ** 63,
          float("inf"), float("-inf"), float("nan")]

INTS = [0, 1, -1, 7, 42, -42, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53 + 1,
        2 ** 63 - 1, -(2 ** 63), 2 ** 64, 10 ** 20, 10 ** 30, -(10 ** 30),
        3 ** 200, 1234567890123456789012345678901234567890]


def rand_string(rng):
    r = rng.random()
    if r < 0.25:
        return rng.choice(LOOKALIKES)
    if r < 0.31:
        # A long text of words with runs of spaces: folding at width 80.
        n = rng.randint(8, 20)
        seps = [" ", " ", " ", "  ", "   ", " \n", "\n", " - ", ": ", " #"]
        parts = []
        for i in range(n):
            parts.append(rng.choice(WORDS) if rng.random() < 0.3 else
                         "".join(rng.choice("abcdefghij") for _ in range(rng.randint(1, 12))))
            if i + 1 < n:
                parts.append(rng.choice(seps) if rng.random() < 0.3 else " ")
        s = "".join(parts)
        if rng.random() < 0.2:
            s = " " + s
        if rng.random() < 0.2:
            s = s + rng.choice([" ", "\n", "'", "é"])
        return s
    if r < 0.36:
        # A long word with no spaces (cannot fold), or escapes to fold after.
        c = rng.choice(["x", "é", "\t", "ab", "\U0001f600", "a\\"])
        return c * rng.randint(20, 50)
    if r < 0.85:
        n = rng.randint(1, 12)
        return "".join(rng.choice(SPECIAL_CHARS) if rng.random() < 0.5 else
                       rng.choice("abcxyz") for _ in range(n))
    if r < 0.92:
        a = rng.choice(LOOKALIKES)
        b = rng.choice(LOOKALIKES)
        return a + rng.choice(["", " ", "\n", ": ", " #", ","]) + b
    return "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0x80, 0x7ff),
                                   rng.randint(0x800, 0xd7ff), rng.randint(0xe000, 0xffff),
                                   rng.randint(0x10000, 0x10ffff)]))
                   for _ in range(rng.randint(1, 10)))


def rand_key(rng):
    r = rng.random()
    if r < 0.03:
        return ""
    if r < 0.06:
        return "k" * rng.choice([126, 127, 128, 129, 200])
    if r < 0.08:
        return "é" * rng.choice([40, 127, 128])
    if r < 0.12:
        return rng.choice(["a\nb", "\n", "x\u2028y", "a\x85", "long key\nwith lines " * 3])
    if r < 0.14:
        # Near the simple-key limit, with spaces to fold at.
        return ("word " * 40)[:rng.choice([121, 122, 123, 124, 160])]
    if r < 0.5:
        return rng.choice(WORDS + LOOKALIKES[:60])
    return rand_string(rng)


def rand_float(rng):
    r = rng.random()
    if r < 0.5:
        return rng.choice(FLOATS)
    if r < 0.75:
        while True:
            (f,) = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))
            if math.isfinite(f):
                return f
    return rng.uniform(-1e6, 1e6) * 10 ** rng.randint(-25, 25)


def rand_int(rng):
    r = rng.random()
    if r < 0.4:
        return rng.choice(INTS)
    if r < 0.8:
        return rng.randint(-1000, 100000)
    return rng.randint(-(10 ** 40), 10 ** 40)


def rand_scalar(rng):
    r = rng.random()
    if r < 0.05:
        return None
    if r < 0.10:
        return rng.random() < 0.5
    if r < 0.25:
        return rand_int(rng)
    if r < 0.38:
        return rand_float(rng)
    return rand_string(rng)


def rand_tree(rng, depth):
    r = rng.random()
    if depth <= 0 or r < 0.45:
        return rand_scalar(rng)
    if r < 0.55:
        return rng.choice([[], {}])
    if r < 0.75:
        return [rand_tree(rng, depth - 1) for _ in range(rng.randint(1, 3))]
    d = {}
    for _ in range(rng.randint(1, 3)):
        d[rand_key(rng)] = rand_tree(rng, depth - 1)
    return d


def rand_top(rng):
    """A dict, as runtime_env always is; now and then any value."""
    if rng.random() < 0.03:
        return rand_tree(rng, rng.randint(0, 3))
    d = {}
    for _ in range(rng.randint(1, 4)):
        d[rand_key(rng)] = rand_tree(rng, rng.randint(0, 3))
    return d


def fixed_trees():
    """Scenarios the issue names, each once, whatever the seed."""
    out = []
    for s in LOOKALIKES:
        out.append({s: s})
        out.append({"k": [s, {"n": s}]})
    for f in FLOATS:
        out.append({"f": f, "l": [f]})
    for i in INTS:
        out.append({"i": i})
    # Folding: plain, single- and double-quoted values at several depths.
    long_plain = " ".join(["word%d" % i for i in range(40)])
    long_single = "'" + long_plain + "'"
    long_double = "é " + long_plain
    for v in [long_plain, long_single, long_double, long_plain.replace(" ", "  "),
              "x" * 100 + " " + "y" * 10, "\\" * 100, "é" * 100, "a " * 60 + "\t",
              ("a" * 79) + " b", ("a" * 80) + " b", ("a" * 81) + " b"]:
        out.append({"a": v})
        out.append({"a": {"b": {"c": v}}})
        out.append({"a": [v, [v]]})
        out.append({v: 1})
        out.append([v])
    out += [{}, [], None, "a", "", "yes", 1, 1.5, True, [[]], [{}], {"a": {}},
            {"a": []}, [[1, 2], [3]], [[[1]]], {"a": [{"b": 1, "c": [2]}]},
            {"": {"": ""}}, {"k" * 128: "v"}, {"a\nb": [1]}, {"a\nb": {"c": 1}}]
    return out


def golden_runtime_envs():
    out = []
    for path in sorted(glob.glob(os.path.join(SHARED, "golden-task", "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                case = json.loads(line)
                env = (case.get("config") or {}).get("runtime_env")
                if env:
                    out.append((case["id"], env))
    return out


LOADS_INPUTS = [
    '{"a": 1, "b": 2, "a": 3}', '{"a": {"x": 1}, "a": [2]}', ' \t\n\r[1,2 , 3 ]\r\n',
    '[]', '{}', '[{}, []]', '"\\/\\b\\f\\n\\r\\t\\"\\\\"', '"\\u00e9\\u00E9\\uD83D\\uDE00"',
    '"é😀\x7f"', '1E5', '1e-5', '-0', '-0.0', '0.0', '1.5e308', '1e400', '-1e400',
    '1e-400', '123456789012345678901234567890', '-123456789012345678901234567890',
    '2.0', '2', '1.0E+2', 'NaN', 'Infinity', '-Infinity', '[NaN, Infinity, -Infinity]',
    'null', 'true', 'false', '"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"',
    '[1, 2,]', '{"a": 1,}', '{"a" 1}', '{a: 1}', '[1 2]', '01', '-', '1.', '1e', '.5',
    '+1', '"abc', '"a\x01b"', '"a\tb"', '"\\x41"', '"\\u12"', '"\\u12G4"', '',
    '   ', '\ufeff{}', '[1] x', 'nul', 'True', '{"a":1}{}', '[-]', '[1.]', '[1e]',
    '["a"\n,\n"b"]', '{"\\u0000": "\\u001f"}', '"' + "x" * 300 + '"',
    '{"k": 1, "k": 2, "j": 3, "k": 4}', '9' * 4300, '9' * 4301, '-' + '9' * 4300,
    '[' * 100 + ']' * 100, '{"a":' * 50 + '1' + '}' * 50, '1 ', ' 1', '"\\', '"\\u',
    '[1,\n 2,\n x]', '{\n  "a": 1\n  "b": 2\n}', '"\\u00"', '-Infinityx', '-Inf',
    '{"a": -}', '"\u2028\u2029"', '[0, -0, 00]',
]


def tie_floats():
    """Doubles exactly halfway between two shortest candidates (k + 0.25 with
    an ulp of 1/8 or 1/4): repr picks the even digit, a naive shortest
    printer the upper one."""
    rng = random.Random(1)
    texts = ["-689523386215485.25"]
    while len(texts) < 60:
        k = rng.randrange(2 ** 49, 2 ** 51)
        text = "%d.%s" % (k, rng.choice(["25", "75"]))
        assert float(text) == k + float("0." + text.split(".")[1])  # exact
        texts.append(text)
    return "[" + ", ".join(texts) + "]"


def loads_cases():
    out = []
    for text in LOADS_INPUTS + [tie_floats()]:
        try:
            v = json.loads(text)
        except json.JSONDecodeError as e:
            out.append({"input": text, "error": "JSONDecodeError", "pos": e.pos})
            continue
        except (ValueError, RecursionError) as e:
            out.append({"input": text, "error": type(e).__name__, "pos": None})
            continue
        try:
            out.append({"input": text, "dumps": json.dumps(v), "yaml": yaml.dump(v)})
        except UnicodeEncodeError:
            out.append({"input": text, "error": "LoneSurrogate", "pos": None})
        else:
            if any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(v, ensure_ascii=False)):
                out[-1] = {"input": text, "error": "LoneSurrogate", "pos": None,
                           "python_dumps": json.dumps(v)}
    return out


def main():
    seed = int(sys.argv[1])
    count = int(sys.argv[2])
    rng = random.Random(seed)
    trees = [("fixed-%04d" % i, t) for i, t in enumerate(fixed_trees())]
    trees += [("golden-" + name, env) for name, env in golden_runtime_envs()]
    trees += [("random-%d-%05d" % (seed, i), rand_top(rng)) for i in range(count)]
    data = os.path.join(CRATE, "tests", "data")
    with open(os.path.join(data, "py_dump_corpus.jsonl"), "w", encoding="utf-8") as f:
        for name, tree in trees:
            j = json.dumps(tree)
            assert json.dumps(json.loads(j)) == j
            line = {"id": name, "json": j, "yaml": yaml.dump(tree)}
            f.write(json.dumps(line) + "\n")
    with open(os.path.join(data, "py_loads_cases.jsonl"), "w", encoding="utf-8") as f:
        for case in loads_cases():
            f.write(json.dumps(case) + "\n")
    print("%d trees, %d loads cases" % (len(trees), len(LOADS_INPUTS) + 1))


if __name__ == "__main__":
    main()
