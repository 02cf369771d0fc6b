#!/usr/bin/env python3
"""Compile every public header on its own, as strict C11 and as C++17.

A header that needs another header it does not include, uses a GNU-only
construct, or is not C++-clean fails here.
"""
import argparse
import os
import subprocess
import sys
import tempfile

C_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only"]
CXX_FLAGS = ["-std=c++17", "-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only"]


def headers_under(root):
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(".h"):
                yield os.path.relpath(os.path.join(dirpath, f), root)


def compile_one(compiler, flags, includes, header, suffix):
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False) as src:
        src.write('#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' % (header, header))
        path = src.name
    if suffix == ".cc":
        # int main(void) is fine in C++ too; the double include checks the guard.
        pass
    cmd = [compiler] + flags + ["-I" + i for i in includes] + [path]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    os.unlink(path)
    return proc.returncode, proc.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True)
    ap.add_argument("--cxx", default="")
    ap.add_argument("--include", action="append", default=[])
    ap.add_argument("--headers", action="append", default=[])
    ap.add_argument("--facade", required=True)
    args = ap.parse_args()

    targets = []
    for root in args.headers:
        targets += list(headers_under(root))
    targets.append(os.path.basename(args.facade))
    failures = 0
    checked = 0
    for h in targets:
        runs = [(args.cc, C_FLAGS, ".c")]
        if args.cxx:
            runs.append((args.cxx, CXX_FLAGS, ".cc"))
        for compiler, flags, suffix in runs:
            rc, err = compile_one(compiler, flags, args.include, h, suffix)
            checked += 1
            if rc != 0:
                failures += 1
                print("FAIL %s (%s):\n%s" % (h, "C++" if suffix == ".cc" else "C11", err))
            else:
                print("ok   %s (%s)" % (h, "C++" if suffix == ".cc" else "C11"))
    if not args.cxx:
        print("note: no C++ compiler found; C++ checks skipped")
    print("%d header compilations, %d failed" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
