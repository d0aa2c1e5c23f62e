#!/usr/bin/env python3
"""Inputs for the Go oracle of flyte_ray_fmt::goyaml (scripts/goyaml_oracle).

Writes JSON lines {"id", "runtime_env"} (base64 text) on stdout: seeded random documents
built from awkward atoms (YAML 1.1 look-alikes, indicators, breaks, controls, unicode, long
strings, numbers, digit-run keys), raw JSON edge inputs (invalid UTF-8, surrogate escapes,
duplicate keys, every syntax error, truncations) and base64 edge inputs.

    python3 scripts/gen_goyaml_cases.py --seed 61 --random 3000 \
      | /tmp/goyaml_oracle > tests/data/goyaml/go_oracle_cases.jsonl
"""

import argparse
import base64
import json
import random
import sys

LOOKALIKES = [
    "y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "NO", "nO", "on", "On", "ON", "oN",
    "off", "Off", "OFF", "true", "True", "TRUE", "tRUE", "false", "FALSE", "null", "Null",
    "NULL", "nULL", "~", "", ".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", ".nan", ".NaN",
    "nan", "inf", "Infinity", "-Infinity", "NaN", "<<", "=", "0", "-0", "+0", "00", "007", "08",
    "09.5", "1", "-1", "+1", "12345", "1_000", "1__0", "_1", "1_", "0x1F", "0X1f", "0x", "0x_1",
    "0xG", "0o17", "0O17", "0o8", "0b101", "0B11", "0b2", "0b-1", "0b+1", "-0b1", "-0b-1",
    "0x7FFFFFFFFFFFFFFF", "0x8000000000000000", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
    "-0x8000000000000000", "-0x8000000000000001", "+0xFFFFFFFFFFFFFFFF",
    "9223372036854775807", "9223372036854775808", "18446744073709551615",
    "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
    "1e3", "1E3", "1e+3", "1e-3", "1.", "1.5", ".5", "._5", ".5_5", "+.5", "-.5", "5.e3", ".e3",
    ".", "..", "...", ".5.", "1.2.3", "1e", "1e+", "e3", "1e5000", "-1e5000", ".5e999",
    ".5e-999", "1e-5000", "0.1", "3.14", "1_0.5", "1,000", "1:20", "-1:20", "+1:20", "1:60",
    "1:7", "190:20:30.15", "1:2:3", "1:20.", "1:20.5_", "1::2", ":20", "1:2a", "12:", "0:0",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10+05:30",
    "2001-12-14T21:59:43Z", "2001-12-14T21:59:43.123456789Z", "2001-12-14T21:59:43.1234567890Z",
    "2001-12-14 21:59:43.10", "2001-12-14  21:59:43", "2001-12-14 21:59:43 ", "2001-12-14 ",
    "2001-1-2", "2001-1-2T3:4:5Z", "2001-01-02T03:04:05+24:00", "2001-01-02T03:04:05+2400",
    "2001-01-02T03:04:05,5Z", "2001-02-29", "2000-02-29", "1900-02-29", "2001-02-30",
    "2001-04-31", "2001-13-01", "2001-00-10", "2001-12-00", "2001-12-32", "20011-12-14",
    "201-12-14", "2001-12-14x", "2001-12", "2001-", "2001-12-14T24:00:00Z",
    "2001-12-14T23:60:00Z", "2001-12-14T23:59:60Z", "2001-12-14 1:2:3", "2001-12-14T1:2:3",
]

INDICATORS = [
    "-", "- a", "-a", "--", "---", "--- a", "...", "....", "? a", "?a", "?", ":", ": a", ":a",
    "a:", "a:b", "a: b", "a :b", "a #b", "a#b", "#x", "# x", "&a", "*a", "!t", "!!str", "|", "|-",
    ">", "'", "''", "'q'", "\"", "\"dq\"", "%", "@", "`", ",", "a,b", "[a]", "a[0]", "{a}",
    "{a: 1}", "a}", "a]", "a,", "a?", "a? b", "a - b", "a -", "http://h:80/p", "a: ", "a:\tb",
    "\\", "a\\b", "C:\\dir", "back\\slash", "say \"hi\"", "it's",
]

SPACES = [
    " ", "  ", " a", "a ", " a ", "a  b", "a \tb", "\t", "\ta", "a\t", "a\n", "\na", "a\nb",
    "a\n\nb", "a\n\n", "\n", "\n\n", " \n", "\n ", "a \nb", "a\n b", "a\r\nb", "a\rb", "\r",
    "a\u0085b", "\u0085", "a\u2028b", "\u2028", "\u2029", "a\u2029", "trailing\n", "x\n\n\n",
    "  lead\n", "line1\nline2\n", "a\n\tb", "a\n#b", "- a\n- b", "key: v\nk2: v2",
]

CONTROLS = [chr(c) for c in list(range(0, 32)) + [0x7F] + list(range(0x80, 0xA1))] + [
    "\u00ad", "\ufeff", "\ufeffa", "a\ufeff", "\ufffe", "\uffff", "\ufffd", "\ue000", "\ud7ff",
    "\u200b", "\u200d", "\u2060", "\U0001F600", "\U0001F469\u200d\U0001F4BB", "\U0010FFFF",
    "\U0001D518", "e\u0301", "\u00e9", "\u00df", "\u0100", "\u0661\u0662", "\uff13", "\u216b",
    "\u00b2", "\u00bd", "\u00aa", "\u01c5", "\u02b0", "\u4e2d\u6587", "\u65e5\u672c",
    "\uac00", "\u0627\u0644", "\u05d0", "\u0e01", "\u1100",
]

WORDS = ["ray", "head", "worker", "gpu", "cpu", "a", "x", "num-cpus=4", "é", "'q'", "\"dq\"",
         "#x", "a: b", "--block", "train", "eval", "日本語", "\U0001F600", "-", "?", "\t"]

KEY_PARTS = ["a", "b", "A", "Z", "_", "-", ".", "0", "00", "1", "01", "001", "2", "10", "9",
             "99", "100", "a1", "a01", "a001", "a10", "a2", "a0b", "a00b", "ab", "aB", "é", "ß",
             "\u0663", "\uff13", "\u0663\u0661", "\u00b2", "Ω", "中", " ", "~", "z9", "z09",
             "9223372036854775807", "99999999999999999999", "x"]


def long_string(rng):
    n = rng.randint(10, 70)
    sep = rng.choice([" ", " ", " ", "  ", " \t", "\n", " \n"])
    s = sep.join(rng.choice(WORDS) for _ in range(n))
    if rng.random() < 0.3:
        s = rng.choice(["", " ", "'", "\"", "- ", "#", "\ufeff", "\n"]) + s
    if rng.random() < 0.3:
        s = s + rng.choice(["", " ", "\n", "\n\n", ":", " #"])
    return s


def atom(rng):
    r = rng.random()
    if r < 0.25:
        return rng.choice(LOOKALIKES)
    if r < 0.40:
        return rng.choice(INDICATORS)
    if r < 0.55:
        return rng.choice(SPACES)
    if r < 0.70:
        return rng.choice(CONTROLS)
    if r < 0.80:
        return rng.choice(WORDS)
    if r < 0.85:
        return "w" * rng.randint(70, 130)
    return long_string(rng)


def rand_string(rng):
    k = rng.choice([1, 1, 1, 2, 2, 3, 4])
    return "".join(atom(rng) for _ in range(k))


def rand_key(rng):
    r = rng.random()
    if r < 0.45:
        return "".join(rng.choice(KEY_PARTS) for _ in range(rng.randint(1, 4)))
    if r < 0.5:
        return "k" * rng.randint(120, 140)
    return rand_string(rng)


def rand_number(rng):
    r = rng.random()
    if r < 0.2:
        return rng.randint(-1000, 1000)
    if r < 0.35:
        return rng.choice([0, -0.0, 123456, 1234567, 999999, 1000000, 10**15, 10**16, 10**20,
                           10**21, 2**53, 2**53 + 1, 2**63, 2**63 - 1, 2**64, 2**64 - 1, 1e300,
                           1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-7,
                           0.0001, 0.00001, 0.1, 0.3, 1 / 3, 2 / 3, 100.5, 1e-320])
    if r < 0.6:
        return rng.randint(-(2**70), 2**70)
    if r < 0.8:
        return rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)
    # Values near a tie between two shortest decimals.
    return rng.randint(-(2**52), 2**52) + rng.choice([0.25, 0.5, 0.75, 0.125, 0.375])


def rand_value(rng, depth):
    r = rng.random()
    if depth > 0 and r < 0.2:
        return {rand_key(rng): rand_value(rng, depth - 1) for _ in range(rng.randint(0, 5))}
    if depth > 0 and r < 0.35:
        return [rand_value(rng, depth - 1) for _ in range(rng.randint(0, 4))]
    if r < 0.45:
        return rng.choice([None, True, False])
    if r < 0.6:
        return rand_number(rng)
    return rand_string(rng)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def dumps(rng, obj) -> bytes:
    text = json.dumps(obj, ensure_ascii=rng.random() < 0.5,
                      separators=rng.choice([(",", ":"), (", ", ": "), (" ,\n", " :\t")]))
    return text.encode("utf-8", "surrogatepass")


def edge_json():
    """Raw JSON inputs (bytes): invalid UTF-8, escapes, duplicates, syntax errors."""
    docs = [
        b"null", b" null ", b"\tnull\r\n", b"{}", b"[]", b"\"s\"", b"1", b"-0", b"true", b"false",
        b"nul", b"nulx", b"{", b"}", b"[", b"{\"a\"", b"{\"a\":", b"{\"a\":1", b"{\"a\":1,",
        b"{\"a\":1,}", b"{\"a\" 1}", b"{\"a\":1 \"b\":2}", b"{1:2}", b"{\"a\":[1,]}", b"{\"a\":[1 2]}",
        b"{\"a\":tru}", b"{\"a\":fals}", b"{\"a\":nulL}", b"{\"a\":t}", b"{\"a\":-}", b"{\"a\":-a}",
        b"{\"a\":01}", b"{\"a\":1.}", b"{\"a\":1.e3}", b"{\"a\":1e}", b"{\"a\":1e+}", b"{\"a\":.5}",
        b"{\"a\":+1}", b"{\"a\":1x}", b"{\"a\":1}x", b"{\"a\":1} {}", b"{\"a\":1}\x00",
        b"{\"a\":\"\x01\"}", b"{\"a\":\"\t\"}", b"{\"a\":\"\n\"}", b"{\"a\":\"\\x\"}",
        b"{\"a\":\"\\'\"}", b"{\"a\":\"\\u12\"}", b"{\"a\":\"\\u12G4\"}", b"{\"a\":\"\\",
        b"{\"a\":\"\\u", b"{\"a\":\"abc", b"{'a':1}", b"\xef\xbb\xbf{}", b"{\"a\":1}\xef",
        b"{\"a\":\"\xff\"}", b"{\"a\":\"\xc3\"}", b"{\"a\":\"\xc3(\"}", b"{\"a\":\"\xe2\x82\"}",
        b"{\"a\":\"\xe2\x82x\"}", b"{\"a\":\"\xed\xa0\x80\"}", b"{\"a\":\"\xf4\x90\x80\x80\"}",
        b"{\"a\":\"\xc0\xaf\"}", b"{\"a\":\"\xf0\x9f\x98\"}", b"{\"\xff\":1}", b"{\"a\xfe\":\"\x80\x80\"}",
        b"{\"a\":\"\\ud800\"}", b"{\"a\":\"\\udc00\"}", b"{\"a\":\"\\ud800\\u0041\"}",
        b"{\"a\":\"\\ud800\\ud800\"}", b"{\"a\":\"\\ud800\\udc00\"}", b"{\"a\":\"\\ud83d\\ude00x\"}",
        b"{\"a\":\"\\udbff\\udfff\"}", b"{\"a\":\"\\ud800\\n\"}", b"{\"a\":\"\\ud800\\\"}",
        b"{\"a\":\"\\u0000\\u001f\\u007f\\u0085\\u00a0\\u2028\\ufeff\"}",
        b"{\"a\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", b"{\"a\":1,\"a\":2}", b"{\"a\":{\"b\":1},\"a\":[]}",
        b"{\"a\":null,\"a\":\"x\",\"b\":1,\"a\":true}", b"{\"\":1}", b"{\" \":\" \"}",
        b"[1,2", b"[{\"a\":1e400}]", b"\"\\u0041\"", b"  ", b"", b"{\"a\":1e400,\"b\":1e500}",
        b"{\"a\":{\"b\":[1e400]}}", b"{\"a\":1E400}", b"{\"a\":-1e400}", b"{\"a\":1e-400}",
        b"{\"a\":123456789012345678901234567890}", b"{\"a\":1e308,\"b\":1.8e308}",
        b"{\"a\":[[[[[[[[[[[]]]]]]]]]]]}", b"{\"a\":{\"b\":{\"c\":{}}}}",
        b"{\"a\":[{},[],{\"b\":[]},[[]]]}", b"{\"a\":[null,true,false,0,\"\"]}",
    ]
    # Every prefix of a small document that exercises each scanner state.
    full = b"{\"k\": [1.5e-3, -0, \"s\\u00e9\\n\", true, false, null, {\"x\": {}}], \"z\": \"\"}"
    docs += [full[:i] for i in range(len(full))]
    docs += [b"[" * 10000 + b"]" * 10000, b"[" * 10001 + b"]" * 10001,
             b"{\"a\":" + b"[" * 9999 + b"]" * 9999 + b"}", b"{\"a\":" + b"[" * 10000 + b"]" * 10000 + b"}",
             b"{\"a\":" + b"{\"b\":" * 200 + b"1" + b"}" * 200 + b"}"]
    return docs


def edge_base64():
    good = b64(b"{\"a\": \"b\"}")
    return [
        "", "=", "==", "e", "e3", "e30", "e30=", "e3==", "e3=0", "e30==", "e30=x", "e30=\n", "e30=\r\n",
        "e3\n0=", "\ne30=", "e\r3\n0\r=", "e30=\n=", "bnVsbA", "bnVsbA=", "bnVsbA==", "bnVsbA===",
        "bnVs\nbA==", "bnVsbA=\n=", "bnVsbA==\n\n", "bnVsbA==x", "bnVsbA= =", "bnVsbB==", "bnVsbC==",
        "e31=", "e33=", "e30 ", " e30=", "e30=\t", good, good + "\n", good.replace("i", "-"),
        good.replace("i", "_"), good.rstrip("="), "e30-", "e\x0030=", "!!!!", "e30=e30=", "e3=\n=",
        "e3=\r", "e3=", "e3=x", "eyJhIjogMX0", "eyJhIjogMX0=", "eyJhIjogMX0==",
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=61)
    ap.add_argument("--random", type=int, default=3000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    n = 0

    def emit(kind, text):
        nonlocal n
        out.write(json.dumps({"id": f"go-{args.seed}-{kind}-{n:04d}", "runtime_env": text}) + "\n")
        n += 1

    for text in edge_base64():
        emit("b64", text)
    for doc in edge_json():
        emit("json", b64(doc))
    # Each atom alone, as a value and as a key.
    for a in LOOKALIKES + INDICATORS + SPACES + CONTROLS:
        emit("atom", b64(dumps(rng, {"v": a, a: 1})))
    # Sorting: many keys of digit runs, letters and non-letters at once.
    for _ in range(60):
        keys = {"".join(rng.choice(KEY_PARTS) for _ in range(rng.randint(1, 3))): 1
                for _ in range(rng.randint(2, 12))}
        emit("sort", b64(dumps(rng, keys)))
    for _ in range(args.random):
        doc = {rand_key(rng): rand_value(rng, rng.randint(0, 4)) for _ in range(rng.randint(1, 5))}
        emit("rand", b64(dumps(rng, doc)))


if __name__ == "__main__":
    main()
