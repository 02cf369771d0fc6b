#!/usr/bin/env python3
"""Enforce tests/layering/layers.ini over the layers' sources and headers."""
import configparser
import fnmatch
import os
import re
import sys

# libc (C11) and the POSIX headers kcore-level code may use.
SYSTEM_HEADERS = set("""
assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h locale.h math.h
setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h stdlib.h
stdnoreturn.h string.h tgmath.h threads.h time.h uchar.h wchar.h wctype.h strings.h
""".split())
POSIX_IO_HEADERS = set("""
unistd.h fcntl.h poll.h pthread.h signal.h sys/types.h sys/stat.h sys/socket.h sys/time.h
sys/wait.h sys/uio.h netinet/in.h netinet/tcp.h arpa/inet.h netdb.h sys/un.h sys/select.h
sys/epoll.h dirent.h spawn.h sys/resource.h sys/mman.h termios.h sys/ioctl.h
""".split())

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
COMMENT_RE = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING_RE = re.compile(r'"(?:\\.|[^"\\])*"')


def load(path):
    cp = configparser.ConfigParser()
    cp.read(path)
    return cp


def layer_files(root, layer):
    base = os.path.join(root, layer)
    for dirpath, _, files in os.walk(base):
        for f in files:
            if f.endswith((".c", ".h")):
                yield os.path.join(dirpath, f)


def public_headers(root, layer):
    inc = os.path.join(root, layer, "include")
    out = set()
    for dirpath, _, files in os.walk(inc):
        for f in files:
            if f.endswith((".h", ".h.in")):
                out.add(os.path.relpath(os.path.join(dirpath, f), inc).replace(".h.in", ".h"))
    return out


def matches_any(name, patterns):
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(here))
    cfg = load(os.path.join(here, "layers.ini"))
    order = cfg["layers"]["order"].split()
    errors = []
    checked = 0
    owners = {}
    for layer in order:
        for h in public_headers(root, layer):
            owners[h] = layer
    forbidden = {k: v.split() for k, v in cfg["forbidden"].items()}
    independence = {k: v.split() for k, v in cfg["independence"].items()}

    for idx, layer in enumerate(order):
        if not os.path.isdir(os.path.join(root, layer)):
            continue
        allowed_layers = set(order[: idx + 1])
        sec = cfg[layer] if cfg.has_section(layer) else {}
        third = sec.get("third_party", "").split()
        calls = sec.get("forbidden_calls", "").split()
        call_re = re.compile(r'(?<![\w.>])(' + "|".join(map(re.escape, calls)) + r')\s*\(') if calls else None
        for path in layer_files(root, layer):
            rel = os.path.relpath(path, root)
            text = open(path, encoding="utf-8").read()
            code = COMMENT_RE.sub(" ", text)
            checked += 1
            stem = os.path.splitext(os.path.basename(path))[0]
            for kind, inc in INCLUDE_RE.findall(code):
                if kind == '"':
                    continue  # a layer's own private headers
                if inc.startswith("kube/") or inc == "kube.h":
                    hdr = inc[len("kube/"):] if inc.startswith("kube/") else None
                    if inc == "kube.h":
                        errors.append("%s: includes the facade kube.h; include the module headers" % rel)
                        continue
                    owner = owners.get("kube/" + hdr) or owners.get(hdr)
                    owner = owners.get(inc, owner)
                    if owner is None:
                        errors.append("%s: includes <%s>, which no layer provides" % (rel, inc))
                    elif owner not in allowed_layers:
                        errors.append("%s: %s includes <%s> from the higher layer %s" % (rel, layer, inc, owner))
                    mod = os.path.splitext(os.path.basename(inc))[0]
                    for a, bs in independence.items():
                        if (stem == a and mod in bs) or (stem in bs and mod == a):
                            errors.append("%s: modules %s and %s must stay independent" % (rel, stem, mod))
                    continue
                for hdr, allowed in forbidden.items():
                    if fnmatch.fnmatch(inc, hdr) and not matches_any(rel, allowed):
                        errors.append("%s: includes <%s>, allowed only in %s" % (rel, inc, " ".join(allowed)))
                if inc in SYSTEM_HEADERS or matches_any(inc, third):
                    continue
                if inc in POSIX_IO_HEADERS and layer != "kcore":
                    continue
                errors.append("%s: %s may not include <%s>" % (rel, layer, inc))
            if call_re:
                for m in call_re.finditer(STRING_RE.sub('""', code)):
                    line = code.count("\n", 0, m.start()) + 1
                    errors.append("%s:%d: %s is sans-IO and may not call %s()" % (rel, line, layer, m.group(1)))
    for e in errors:
        print(e)
    print("layering: %d files checked, %d violations" % (checked, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
