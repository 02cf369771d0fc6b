#!/usr/bin/env python3
"""The exported symbols are exactly the ABI record.

For one shared library: the dynamic symbols it defines equal the global list of
its version script; each matches ^kube_[a-z0-9_]+$ without '__'; each is declared
with KUBE_EXTERN in an installed header of its layer and documented there with a
/** ... */ comment right above the declaration.
"""
import argparse
import os
import re
import subprocess
import sys

NAME_RE = re.compile(r'^kube_[a-z0-9_]+$')


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2].split("@")[0]
        if kind in ("A",):  # version node names
            continue
        syms.add(name)
    return syms


def script_globals(path):
    text = re.sub(r'/\*.*?\*/', ' ', open(path).read(), flags=re.S)
    text = re.sub(r'#[^\n]*', ' ', text)
    syms = set()
    for block in re.findall(r'global:(.*?)(?:local:|\})', text, re.S):
        for s in block.split(";"):
            s = s.strip()
            if s:
                syms.add(s)
    return syms


def declarations(dirs):
    """name -> (file, documented?) for every KUBE_EXTERN declaration."""
    decls = {}
    for d in dirs:
        for dirpath, _, files in os.walk(d):
            for f in files:
                if not f.endswith((".h", ".h.in")):
                    continue
                path = os.path.join(dirpath, f)
                text = open(path, encoding="utf-8").read()
                for m in re.finditer(r'KUBE_EXTERN\b[^;{]*?\b(kube_[a-z0-9_]+)\s*\(', text, re.S):
                    before = text[: m.start()].rstrip()
                    documented = before.endswith("*/") and before.rfind("/**") > before.rfind("*/", 0, len(before) - 2)
                    decls[m.group(1)] = (os.path.relpath(path), documented)
    return decls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--sym", required=True)
    ap.add_argument("--headers", action="append", required=True)
    args = ap.parse_args()

    have = exported(args.lib)
    want = script_globals(args.sym)
    decls = declarations(args.headers)
    errors = []
    for s in sorted(have - want):
        errors.append("exported but not in %s: %s" % (os.path.basename(args.sym), s))
    for s in sorted(want - have):
        errors.append("listed in %s but not defined: %s" % (os.path.basename(args.sym), s))
    for s in sorted(have | want):
        if not NAME_RE.match(s) or "__" in s:
            errors.append("not a public libkube name: %s" % s)
        if s not in decls:
            errors.append("exported but not declared KUBE_EXTERN in an installed header: %s" % s)
        elif not decls[s][1]:
            errors.append("declared without a /** doc comment right above it: %s (%s)" % (s, decls[s][0]))
    for s in sorted(set(decls) - have):
        errors.append("declared in %s but not exported: %s" % (decls[s][0], s))
    for e in errors:
        print(e)
    print("%s: %d exported symbols, %d problems" % (os.path.basename(args.lib), len(have), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
