"""Command line: kube-emulator [options]. See --help."""
import argparse
import base64
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import uuid

from .api import now_str
from .controllers import Controllers, NODE_NAME, NODE_IP
from .errors import ApiError
from .generate import generate_pods

HELP_EPILOG = """\
The emulator prints exactly one line "ready <url>" on stdout once it serves, and
stops cleanly on SIGTERM or SIGINT.

Authentication: without --tls/--token every request is served as an admin
(system:admin, group system:masters). With --token T, "Authorization: Bearer T"
is required (401 otherwise); more tokens come from POST /_emulator/tokens and
from serviceaccounts/NAME/token. With --tls, client certificates signed by the
generated CA authenticate as CN (user) / O (groups); the written kubeconfig
carries the CA and a client certificate for user "emulator-admin" in group
"system:masters" (plus the token when --token is also given).

Control API (no credentials, JSON, under /_emulator/): POST/DELETE faults,
POST compact, POST watches/close, POST tokens/expire, POST tokens,
GET state, GET/DELETE requests, POST pods/NS/NAME/log, POST pods/NS/NAME/phase.
See tests/emulator/README.md for the full description.
"""


def build_parser():
    p = argparse.ArgumentParser(prog="kube-emulator", description="An in-memory Kubernetes API server (behaves "
                                "like kube-apiserver v1.32) for tests and demos.", epilog=HELP_EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default 0)")
    p.add_argument("--write-kubeconfig", metavar="PATH", help="write a kubeconfig for this server to PATH")
    p.add_argument("--tls", action="store_true", help="serve HTTPS with a generated CA, server and client "
                   "certificates (made with the openssl command); client certificates authenticate")
    p.add_argument("--token", metavar="T", action="append", default=[],
                   help="require bearer-token authentication; T is a valid token (repeatable)")
    p.add_argument("--seed", metavar="DIR|FILE", action="append", default=[],
                   help="load YAML/JSON manifests (multi-document; a directory loads *.yaml, *.yml, *.json "
                   "in name order) at start (repeatable)")
    p.add_argument("--openapi", metavar="FILE", help="Swagger 2.0 JSON served at /openapi/v2 (default: "
                   "$KUBE_SHARED_DIR or ../shared testdata/openapi/swagger.json when present)")
    p.add_argument("--generate", metavar="pods=N", action="append", default=[],
                   help="preload N deterministic, realistic Deployment-owned pods (~9.7 KB each)")
    p.add_argument("--cert-dir", metavar="DIR", help="where --tls writes its certificates (default: a "
                   "temporary directory removed on exit)")
    p.add_argument("--bookmark-interval", metavar="SECONDS", type=float, default=60.0,
                   help="idle time after which a watch with allowWatchBookmarks gets a BOOKMARK (default 60)")
    return p


def load_manifests(paths):
    import yaml
    docs = []
    for p in paths:
        files = []
        if os.path.isdir(p):
            for n in sorted(os.listdir(p)):
                if n.endswith((".yaml", ".yml", ".json")):
                    files.append(os.path.join(p, n))
        else:
            files.append(p)
        for fn in files:
            with open(fn) as f:
                for d in yaml.safe_load_all(f):
                    if not d:
                        continue
                    if d.get("kind") == "List" or (d.get("kind", "").endswith("List") and "items" in d):
                        docs.extend(d.get("items") or [])
                    else:
                        docs.append(d)
    return docs


def seed_objects(srv, docs):
    from .api import _stringify_times
    import time
    pending = [_stringify_times(d) for d in docs]
    # CRDs and namespaces first; CRs may have to wait for their CRD to be established
    pending.sort(key=lambda d: 0 if d.get("kind") in ("Namespace", "CustomResourceDefinition") else 1)
    deadline = time.time() + 10
    while pending:
        retry = []
        for d in pending:
            res = srv.registry.for_kind(d.get("apiVersion", ""), d.get("kind", ""))
            if res is None:
                retry.append(d)
                continue
            ns = (d.get("metadata") or {}).get("namespace") or "default" if res.namespaced else ""
            try:
                srv.api.create(res, ns, d, {}, "kube-emulator-seed", manager="kube-emulator-seed")
            except ApiError as e:
                if e.code == 404 and res.namespaced:
                    nsres = srv.registry.lookup("", "v1", "namespaces")
                    srv.api.create(nsres, "", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                                   {}, "kube-emulator-seed")
                    retry.append(d)
                else:
                    raise SystemExit("kube-emulator: cannot seed %s %s: %s" % (d.get("kind"),
                                                                              (d.get("metadata") or {}).get("name"),
                                                                              e.message))
        if retry and time.time() > deadline:
            raise SystemExit("kube-emulator: cannot seed (unknown kinds): %s" %
                             ", ".join("%s/%s" % (d.get("apiVersion"), d.get("kind")) for d in retry))
        if len(retry) == len(pending):
            time.sleep(0.05)
        pending = retry


def bootstrap(srv):
    """The objects a fresh cluster has: system namespaces, one node, default service accounts."""
    api, reg = srv.api, srv.registry
    nsres = reg.lookup("", "v1", "namespaces")
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        api.create(nsres, "", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}, {},
                   manager="kube-apiserver")
    now = now_str()
    node = {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": NODE_NAME, "labels": {"kubernetes.io/hostname": NODE_NAME,
                                                       "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                                                       "node-role.kubernetes.io/control-plane": ""}},
            "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"]},
            "status": {"capacity": {"cpu": "2", "memory": "8Gi", "pods": "110"},
                       "allocatable": {"cpu": "2", "memory": "8Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": now,
                                       "lastTransitionTime": now, "reason": "KubeletReady",
                                       "message": "kubelet is posting ready status"}],
                       "addresses": [{"type": "InternalIP", "address": NODE_IP},
                                     {"type": "Hostname", "address": NODE_NAME}],
                       "nodeInfo": {"kubeletVersion": "v1.32.0", "kubeProxyVersion": "v1.32.0",
                                    "operatingSystem": "linux", "architecture": "amd64",
                                    "containerRuntimeVersion": "containerd://1.7.24",
                                    "osImage": "kube-emulator", "kernelVersion": "6.1.0",
                                    "machineID": "", "systemUUID": "", "bootID": ""}}}
    api.create(reg.lookup("", "v1", "nodes"), "", node, {}, manager="kubelet")
    sa = reg.lookup("", "v1", "serviceaccounts")
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        api.create(sa, ns, {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}, {},
                   manager="kube-controller-manager")
    svc = reg.lookup("", "v1", "services")
    api.create(svc, "default", {"apiVersion": "v1", "kind": "Service",
                                "metadata": {"name": "kubernetes", "labels": {"component": "apiserver",
                                                                              "provider": "kubernetes"}},
                                "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443,
                                                                              "protocol": "TCP",
                                                                              "targetPort": 6443}]}},
               {}, manager="kube-apiserver")


def write_kubeconfig(path, url, ca_pem=None, client=None, token=None):
    cluster = {"server": url}
    if ca_pem:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    user = {}
    if client:
        user["client-certificate-data"] = base64.b64encode(client[0]).decode()
        user["client-key-data"] = base64.b64encode(client[1]).decode()
    if token:
        user["token"] = token
    cfg = {"apiVersion": "v1", "kind": "Config", "preferences": {},
           "clusters": [{"name": "kube-emulator", "cluster": cluster}],
           "users": [{"name": "kube-emulator", "user": user}],
           "contexts": [{"name": "kube-emulator", "context": {"cluster": "kube-emulator", "user": "kube-emulator",
                                                             "namespace": "default"}}],
           "current-context": "kube-emulator"}
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        import yaml
        yaml.safe_dump(cfg, f, default_flow_style=False)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def make_server(host="127.0.0.1", port=0, tls=False, tokens=(), seeds=(), openapi_file=None, generate=(),
                cert_dir=None):
    """Build and start an emulator (returns (server, url, info)); used by main() and in-process tests."""
    from .server import EmulatorServer
    ctx = None
    certs = None
    tmpdir = None
    if tls:
        from . import tlsutil
        tmpdir = cert_dir or tempfile.mkdtemp(prefix="kube-emulator-")
        os.makedirs(tmpdir, exist_ok=True)
        certs = tlsutil.make_certs(tmpdir)
        ctx = tlsutil.server_context(certs)
    srv = EmulatorServer((host, port), ctx)
    if openapi_file:
        srv.openapi.v2_file = openapi_file
    srv.token_auth = bool(tokens)
    srv.cert_auth = bool(tls)
    for t in tokens:
        srv.add_token(t, "emulator-admin", ["system:masters"])
    srv.controllers = Controllers(srv)
    srv.controllers.start()
    bootstrap(srv)
    for g in generate:
        what, _, n = g.partition("=")
        if what != "pods" or not n.isdigit():
            raise SystemExit("kube-emulator: --generate takes pods=N, got %r" % g)
        for ns in generate_pods(srv.store, int(n)):
            nsres = srv.registry.lookup("", "v1", "namespaces")
            if srv.store.get(nsres.storage, "", ns) is None:
                srv.api.create(nsres, "", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}, {},
                               manager="kube-emulator")
    if seeds:
        seed_objects(srv, load_manifests(seeds))
    real_host, real_port = srv.server_address[:2]
    shown = real_host if ":" not in real_host else "[%s]" % real_host
    url = "%s://%s:%d" % ("https" if tls else "http", shown, real_port)
    srv.host_display = "%s:%d" % (shown, real_port)
    info = {"certs": certs, "tmpdir": tmpdir if not cert_dir else None}
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    t.start()
    return srv, url, info


def main(argv=None):
    args = build_parser().parse_args(argv)
    srv, url, info = make_server(args.host, args.port, args.tls, args.token, args.seed, args.openapi,
                                 args.generate, args.cert_dir)
    srv.bookmark_interval = args.bookmark_interval
    if args.write_kubeconfig:
        ca = client = None
        if info["certs"]:
            with open(info["certs"]["ca"], "rb") as f:
                ca = f.read()
            with open(info["certs"]["client"], "rb") as f1, open(info["certs"]["client_key"], "rb") as f2:
                client = (f1.read(), f2.read())
        write_kubeconfig(args.write_kubeconfig, url, ca, client, args.token[0] if args.token else None)
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sys.stdout.write("ready %s\n" % url)
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    srv.store.close_watches()
    srv.shutdown()
    srv.server_close()
    srv.controllers.stop()
    if info.get("tmpdir"):
        shutil.rmtree(info["tmpdir"], ignore_errors=True)
    return 0
