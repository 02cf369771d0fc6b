#!/usr/bin/env python3
"""Run one libFuzzer target for KUBE_FUZZ_SECONDS (default 60) over a copy of its corpus."""
import os
import shutil
import subprocess
import sys
import tempfile

exe, corpus = sys.argv[1], sys.argv[2]
seconds = int(os.environ.get("KUBE_FUZZ_SECONDS", "60"))
work = tempfile.mkdtemp(prefix="kube-fuzz-")
try:
    shutil.copytree(corpus, os.path.join(work, "corpus"))
    rc = subprocess.run([exe, "-max_total_time=%d" % seconds, "-timeout=10", "-rss_limit_mb=2048",
                         "-artifact_prefix=" + work + "/", os.path.join(work, "corpus")]).returncode
    if rc != 0:
        kept = os.path.join(os.getcwd(), "fuzz-artifacts-" + os.path.basename(exe))
        shutil.copytree(work, kept, dirs_exist_ok=True)
        print("crash artifacts kept in", kept)
    sys.exit(rc)
finally:
    shutil.rmtree(work, ignore_errors=True)
