"""Certificates for --tls, made with the openssl command: a CA, a server certificate for
127.0.0.1/localhost and a client certificate whose CN/O are the user and groups."""
import os
import ssl
import subprocess


def _run(args, cwd):
    subprocess.run(["openssl"] + args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _key(cwd, name):
    _run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name], cwd)


def make_certs(directory, user="emulator-admin", groups=("system:masters",), hosts=("127.0.0.1", "localhost")):
    """Writes ca.crt/ca.key, server.crt/server.key, client.crt/client.key into directory; returns paths."""
    d = directory
    _key(d, "ca.key")
    _run(["req", "-x509", "-new", "-key", "ca.key", "-days", "3650", "-subj", "/CN=kube-emulator-ca",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSignature"
          if False else "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.crt"], d)
    sans = ",".join(("IP:%s" % h) if h.replace(".", "").isdigit() else ("DNS:%s" % h) for h in hosts)
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,"
                "keyEncipherment\n" % sans)
    with open(os.path.join(d, "client.ext"), "w") as f:
        f.write("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n")
    _key(d, "server.key")
    _run(["req", "-new", "-key", "server.key", "-subj", "/CN=kube-apiserver", "-out", "server.csr"], d)
    _run(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-days", "3650", "-extfile", "server.ext", "-out", "server.crt"], d)
    subj = "".join("/O=%s" % g for g in groups) + "/CN=%s" % user
    _key(d, "client.key")
    _run(["req", "-new", "-key", "client.key", "-subj", subj, "-out", "client.csr"], d)
    _run(["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-days", "3650", "-extfile", "client.ext", "-out", "client.crt"], d)
    return {k: os.path.join(d, k + ".crt") for k in ("ca", "server", "client")} | \
        {k + "_key": os.path.join(d, k + ".key") for k in ("server", "client")}


def server_context(paths, require_client_cert=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(paths["server"], paths["server_key"])
    ctx.load_verify_locations(paths["ca"])
    ctx.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx
