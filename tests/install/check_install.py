#!/usr/bin/env python3
"""Install the build into a temporary prefix and build a consumer with pkg-config."""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--program", required=True)
    ap.add_argument("--readme", required=True)
    args = ap.parse_args()

    opts = json.loads(subprocess.run(["meson", "introspect", "--buildoptions", args.build],
                                     capture_output=True, text=True, check=True).stdout)
    prefix = next(o["value"] for o in opts if o["name"] == "prefix")
    tmp = tempfile.mkdtemp(prefix="kube-install-")
    try:
        subprocess.run(["meson", "install", "-C", args.build, "--no-rebuild", "--quiet", "--destdir", tmp],
                       check=True, stdout=subprocess.DEVNULL)
        root = tmp + prefix
        pcs = glob.glob(os.path.join(root, "**", "pkgconfig", "kube.pc"), recursive=True)
        if not pcs:
            print("no kube.pc installed under %s" % root)
            return 1
        pcdir = os.path.dirname(pcs[0])
        # The .pc files name the final prefix; point them at the staging one.
        for pc in glob.glob(os.path.join(pcdir, "kube*.pc")):
            text = open(pc).read().replace("prefix=" + prefix, "prefix=" + root, 1)
            open(pc, "w").write(text)
        env = dict(os.environ, PKG_CONFIG_PATH=pcdir)
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "kube"], env=env,
                               capture_output=True, text=True, check=True).stdout.split()
        print("pkg-config --cflags --libs kube:", " ".join(flags))
        for f in flags:
            if f.startswith("-I") and not f[2:].startswith(root):
                print("include path outside the staged prefix: %s" % f)
                return 1
        exe = os.path.join(tmp, "consumer")
        subprocess.run([args.cc, "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror",
                        args.program, "-o", exe] + flags, check=True)
        libdirs = [f[2:] for f in flags if f.startswith("-L")]
        run = subprocess.run([exe], env=dict(os.environ, LD_LIBRARY_PATH=":".join(libdirs)),
                             capture_output=True, text=True)
        print(run.stdout + run.stderr)
        if run.returncode != 0:
            print("consumer exited with %d" % run.returncode)
            return 1
        # The README's quick start builds against the installed package and prints what it says.
        text = open(args.readme).read()
        snippet = re.search(r"```c\n(.*?)```", text, re.S).group(1)
        expected = re.search(r"/\* (GET [^ ]+) \*/", snippet).group(1)
        qs_src = os.path.join(tmp, "quickstart.c")
        open(qs_src, "w").write(snippet)
        qs = os.path.join(tmp, "quickstart")
        subprocess.run([args.cc, "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", qs_src, "-o", qs] + flags,
                       check=True)
        out = subprocess.run([qs], env=dict(os.environ, LD_LIBRARY_PATH=":".join(libdirs)),
                             capture_output=True, text=True)
        if out.returncode != 0 or out.stdout.strip() != expected:
            print("README quick start printed %r (exit %d), the README says %r" % (out.stdout, out.returncode, expected))
            return 1
        print("README quick start:", out.stdout.strip())
        # Static archives and every public header were installed too.
        for needed in ["libkube-core.a", "kube.h", "kube/version.h", "kube/json.h", "kube/sys/alloc.h"]:
            if not glob.glob(os.path.join(root, "**", needed), recursive=True):
                print("not installed: %s" % needed)
                return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
