#!/usr/bin/env python3
"""Differential test of libkube's JSON (and YAML) reader and writer against
independent implementations: Python's json module, and PyYAML's pure-Python parser
with a separately written converter that follows the Kubernetes (go-yaml v2) rules.

usage: test_json_differential.py TOOL   (TOOL is the json_roundtrip helper)

(a) thousands of generated documents (fixed seed) through TOOL: the output must load
    to the same value as the input, doubles bit for bit; invalid variants must be
    rejected wherever Python rejects them;
(b) the OpenAPI documents of $KUBE_SHARED_DIR/testdata/openapi;
(c) the CRDs of $KUBE_SHARED_DIR/testdata/crds through the YAML path.
(b) and (c) are skipped, saying so, when the shared directory is absent.

Known, documented differences (json.h, yaml.h) that the comparison accounts for:
- integers beyond 64 bits become doubles (Python keeps big ints);
- NaN/Infinity literals and numbers that overflow a double are rejected (Python
  accepts them; parse_constant is used so Python rejects the literals too);
- lone UTF-16 surrogates in \\u escapes become U+FFFD (Python keeps them): the
  generator does not produce them, a unit test covers them.
"""
import glob
import json
import math
import os
import random
import struct
import subprocess
import sys

TOOL = sys.argv[1]
sys.setrecursionlimit(20000)
INT_MIN, UINT_MAX = -(1 << 63), (1 << 64) - 1
failures = []


def run(data, *args):
    p = subprocess.run([TOOL, *args], input=data, capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def fffd(s):
    """Lone surrogates (Python keeps them) become U+FFFD in libkube, as in Go."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in s):
        return s
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


def expected(v):
    """What libkube keeps of a Python value: ints beyond 64 bits become doubles."""
    if isinstance(v, str):
        return fffd(v)
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if INT_MIN <= v <= UINT_MAX else float(v)
    if isinstance(v, float):
        return v
    if isinstance(v, list):
        return [expected(x) for x in v]
    return {fffd(k): expected(x) for k, x in v.items()}


def same(a, b, path="$"):
    """a: libkube's value (loaded from its output), b: the expected value."""
    if isinstance(b, bool) or isinstance(a, bool):
        return (a is b) or "%s: %r != %r" % (path, a, b)
    if isinstance(b, float):
        if isinstance(a, int):
            # integral doubles are written in the shortest form that reads back
            # ("18446744073709552000", "-0"): the text must read back to b
            return float(a) == b or "%s: %r != %r" % (path, a, b)
        if not isinstance(a, float):
            return "%s: %r is not a number like %r" % (path, a, b)
        return struct.pack("<d", a) == struct.pack("<d", b) or "%s: %r != %r (bits)" % (path, a, b)
    if isinstance(b, int):
        return (isinstance(a, int) and a == b) or "%s: %r != %r" % (path, a, b)
    if isinstance(b, str) or b is None:
        return a == b or "%s: %r != %r" % (path, a, b)
    if isinstance(b, list):
        if not isinstance(a, list) or len(a) != len(b):
            return "%s: list %r != %r" % (path, a, b)
        for i, (x, y) in enumerate(zip(a, b)):
            r = same(x, y, "%s[%d]" % (path, i))
            if r is not True:
                return r
        return True
    if not isinstance(a, dict) or set(a) != set(b):
        return "%s: keys %r != %r" % (path, sorted(a) if isinstance(a, dict) else a, sorted(b))
    for k in b:
        r = same(a[k], b[k], "%s.%s" % (path, k))
        if r is not True:
            return r
    return True


def reject_constant(name):
    raise ValueError("constant " + name)


def py_loads(data):
    """Python's verdict: the value, or None when it rejects the text."""
    try:
        text = data.decode("utf-8")  # strict: invalid UTF-8 (and surrogates) rejected
        v = json.loads(text, parse_constant=reject_constant)
    except (ValueError, RecursionError):
        return None, False
    return v, True


def check_roundtrip(data, label):
    rc, out, err = run(data)
    v, ok = py_loads(data)
    if not ok:
        if rc == 0:
            failures.append("%s: Python rejects, libkube accepted: %r" % (label, data[:200]))
        return
    if rc != 0:
        # documented: doubles out of range
        if "out of range" in err and _has_inf(v):
            return
        failures.append("%s: libkube rejected valid JSON (%s): %r" % (label, err.strip(), data[:200]))
        return
    try:
        mine = json.loads(out.decode("utf-8"))
    except ValueError as e:
        failures.append("%s: libkube wrote invalid JSON (%s): %r" % (label, e, out[:200]))
        return
    r = same(mine, expected(v))
    if r is not True:
        failures.append("%s: %s" % (label, r))


def _has_inf(v):
    if isinstance(v, float):
        return math.isinf(v)
    if isinstance(v, list):
        return any(_has_inf(x) for x in v)
    if isinstance(v, dict):
        return any(_has_inf(x) for x in v.values())
    return False


# ---- (a) generated documents ------------------------------------------------------

rng = random.Random(20261122)
ALPHABET = (["a", "b", "Z", "0", " ", "/", "~", "\"", "\\", "\n", "\t", "\x00", "\x01", "\x1f", "\x7f",
             "é", "€", "\u2028", "\u2029", "<", ">", "&", "日本", "\U0001F600", "\U0010FFFF", "\uFFFD"])


def rand_string():
    n = rng.choice([0, 1, 2, 5, 8, 9, 16, 40])
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def rand_number():
    k = rng.randrange(12)
    if k == 0:
        return rng.choice([0, -1, 1, INT_MIN, INT_MIN + 1, (1 << 63) - 1, 1 << 63, UINT_MAX])
    if k == 1:
        return rng.choice([UINT_MAX + 1, -(1 << 63) - 1, 10 ** 30, -(10 ** 25)])
    if k == 2:
        return rng.randrange(-10 ** 6, 10 ** 6)
    if k == 3:
        return rng.choice([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 0.3,
                           1e21, 1e20, 1e-6, 1e-7, 123.456, 9007199254740993.0, 2.0 ** 53, 1e22, 1e23])
    if k <= 6:
        while True:
            f = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isfinite(f):
                return f
    if k <= 8:
        return rng.uniform(-1e6, 1e6)
    return round(rng.uniform(-1000, 1000), rng.randrange(0, 8))


def rand_value(depth):
    k = rng.randrange(10 if depth < 6 else 6)
    if k == 0:
        return None
    if k == 1:
        return rng.random() < 0.5
    if k in (2, 3):
        return rand_number()
    if k in (4, 5):
        return rand_string()
    if k in (6, 7):
        return [rand_value(depth + 1) for _ in range(rng.randrange(5))]
    return {rand_string(): rand_value(depth + 1) for _ in range(rng.randrange(5))}


def number_text(v):
    """Alternative spellings of numbers, to exercise the parser's number paths."""
    if isinstance(v, float) and math.isfinite(v):
        c = rng.randrange(4)
        if c == 0:
            return "%.17g" % v
        if c == 1:
            return "%.20e" % v
        if c == 2:
            return repr(v).upper()
    return None


def dump(v):
    if isinstance(v, float):
        t = number_text(v)
        if t and "inf" not in t.lower() and "nan" not in t.lower():
            return t
        return json.dumps(v)
    if isinstance(v, list):
        sep = rng.choice([",", ", ", " ,\n\t"])
        return "[" + sep.join(dump(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=rng.random() < 0.5) + rng.choice([":", " : "]) + dump(x)
                              for k, x in v.items()) + "}"
    return json.dumps(v, ensure_ascii=rng.random() < 0.5)


def mutate(b):
    """An edited copy: usually invalid, sometimes still valid."""
    b = bytearray(b)
    k = rng.randrange(6)
    pos = rng.randrange(len(b) + 1)
    if k == 0 and b:
        del b[pos:pos + rng.randrange(1, 4)]
    elif k == 1:
        b[pos:pos] = bytes([rng.choice(b"{}[],:\"\\0123456789-+.eE tfn\x00\x80\xc3\xed\xf4\xff")])
    elif k == 2:
        b = b[:pos]
    elif k == 3 and b:
        b[pos % len(b)] = rng.randrange(256)
    elif k == 4:
        b[pos:pos] = rng.choice([b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\\ud800", b"\\u00",
                                 b"01", b"1.", b"-", b"NaN", b"Infinity", b"1e999", b"\"\x01\""])
    else:
        b = b + rng.choice([b" x", b",", b"]", b"}", b"\n\n", b"\x00"])
    return bytes(b)


N_DOCS = 3000
for i in range(N_DOCS):
    v = rand_value(0)
    text = dump(v).encode("utf-8")
    check_roundtrip(text, "generated #%d" % i)
    check_roundtrip(mutate(text), "mutated #%d" % i)
# deep nesting (the default limit is 1000; Python's recursion limit is near it)
for depth in (1, 50, 200, 900):
    check_roundtrip(("[" * depth + "]" * depth).encode(), "nested arrays %d" % depth)
    check_roundtrip(('{"a":' * depth + "1" + "}" * depth).encode(), "nested objects %d" % depth)
rc, _, _ = run(b"[" * 1001 + b"]" * 1001)
if rc != 1:
    failures.append("depth 1001 was not rejected")
# the pretty writer must produce the same values
rc, out, _ = run(b'{"a":[1,{"b":null},[]],"c":"\\u00e9"}', "--pretty")
if rc != 0 or json.loads(out) != {"a": [1, {"b": None}, []], "c": "é"}:
    failures.append("pretty output differs: %r" % out)
print("generated: %d documents and %d variants checked" % (N_DOCS + 8, N_DOCS))

# ---- (b) real JSON documents -----------------------------------------------------

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("KUBE_SHARED_DIR") or os.path.join(here, "..", "..", "..", "shared")
openapi = sorted(glob.glob(os.path.join(shared, "testdata", "openapi", "*.json")))
if not openapi:
    print("skipping real documents: %s absent" % shared)
for path in openapi:
    with open(path, "rb") as f:
        check_roundtrip(f.read(), os.path.basename(path))
print("openapi: %d documents checked" % len(openapi))

# ---- (c) YAML: CRDs through libkube vs PyYAML's parser + an independent converter ----

try:
    import yaml
except ImportError:
    yaml = None

GO_TRUE = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}
GO_FALSE = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}
GO_NULL = {"", "~", "null", "Null", "NULL"}


def go_int(s):
    """strconv.ParseInt/ParseUint(s, 0, 64), written from Go's documentation."""
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if not s:
        return None
    base, digits = 10, s
    low = s.lower()
    if low.startswith("0x"):
        base, digits = 16, s[2:]
    elif low.startswith("0o"):
        base, digits = 8, s[2:]
    elif low.startswith("0b"):
        base, digits = 2, s[2:]
    elif s.startswith("0") and len(s) > 1:
        base, digits = 8, s[1:]
    if not digits:
        return None
    try:
        v = int(digits, base) * sign
    except ValueError:
        return None
    if not all(c in "0123456789abcdefABCDEF" for c in digits):
        return None
    return v if INT_MIN <= v <= UINT_MAX else None


def go_float(s):
    import re
    if not re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", s):
        return None
    f = float(s)
    return None if math.isinf(f) else f


def resolve(node):
    if node.style not in (None, "") or node.tag not in ("tag:yaml.org,2002:str", "?"):
        return node.value
    s = node.value
    if s in GO_NULL:
        return None
    if s in GO_TRUE:
        return True
    if s in GO_FALSE:
        return False
    if s[:1] and (s[0].isdigit() or s[0] in "+-."):
        t = s.replace("_", "")
        if s[0] != ".":
            v = go_int(t)
            if v is not None:
                return v
        v = go_float(t)
        if v is not None:
            return v
    return s


def key_string(k):
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, (int, float)) and not isinstance(k, bool):
        return str(k) if isinstance(k, int) else repr(k)
    if k is None:
        raise ValueError("null key")
    return k


def convert(node):
    if isinstance(node, yaml.ScalarNode):
        return resolve(node)
    if isinstance(node, yaml.SequenceNode):
        return [convert(n) for n in node.value]
    out, merges = {}, []
    for kn, vn in node.value:
        if isinstance(kn, yaml.ScalarNode) and kn.style in (None, "") and kn.value == "<<":
            merges.append(vn)
            continue
        out[key_string(convert(kn))] = convert(vn)
    for vn in merges:
        srcs = vn.value if isinstance(vn, yaml.SequenceNode) else [vn]
        for src in srcs:
            for k, x in convert(src).items():
                out.setdefault(k, x)
    return out


crds = sorted(glob.glob(os.path.join(shared, "testdata", "crds", "*.yaml")))
if yaml is None:
    print("skipping YAML comparison: python3-yaml absent")
    crds = []
elif not crds:
    print("skipping CRDs: %s absent" % shared)
# PyYAML's pure-Python parser: independent of libyaml, which libkube uses
Loader = yaml.BaseLoader if yaml else None
n_docs = 0
for path in crds:
    with open(path, "rb") as f:
        data = f.read()
    rc, out, err = run(data, "--stream")
    if rc != 0:
        failures.append("%s: libkube rejected: %s" % (os.path.basename(path), err.strip()))
        continue
    mine = [json.loads(line) for line in out.decode("utf-8").splitlines() if line]
    theirs = [convert(n) for n in yaml.compose_all(data.decode("utf-8"), Loader=Loader)
              if n is not None]
    theirs = [t for t in theirs if t is not None]
    if len(mine) != len(theirs):
        failures.append("%s: %d documents, PyYAML %d" % (os.path.basename(path), len(mine), len(theirs)))
        continue
    for i, (a, b) in enumerate(zip(mine, theirs)):
        r = same(a, expected(b))
        if r is not True:
            failures.append("%s doc %d: %s" % (os.path.basename(path), i, r))
        n_docs += 1
print("crds: %d files, %d documents checked" % (len(crds), n_docs))

# YAML inputs PyYAML rejects are rejected
for bad in [b"a: [1, 2", b"a: b: c", b"- a\nb: c", b"a: *x", b"\tkey: v", b'a: "\\x', b"{a: 1"]:
    try:
        list(yaml.compose_all(bad.decode(), Loader=Loader)) if yaml else None
        py_ok = True
    except yaml.YAMLError:
        py_ok = False
    rc, _, _ = run(bad, "--yaml")
    if not py_ok and rc == 0:
        failures.append("YAML %r: PyYAML rejects, libkube accepted" % bad)

for f in failures[:40]:
    print("FAIL:", f)
if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("all differential checks passed")
