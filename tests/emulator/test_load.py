"""Scale: --generate pods=10000 (deterministic, realistic shape), a 10,000-pod list, and one write
fanned out to 100 concurrent watches. Timings are printed, not asserted tightly (shared 2-core machines)."""
import hashlib
import json
import sys
import threading
import time
import unittest

from emutil import Emulator, EmulatorTestCase, cm

N = 10000


class LoadTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        t0 = time.time()
        cls.emu = Emulator("--generate", "pods=%d" % N)
        cls.startup = time.time() - t0
        sys.stderr.write("\n[load] start with %d generated pods: %.2fs\n" % (N, cls.startup))

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def raw_get(self, path):
        c = self.emu.conn(120)
        c.request("GET", path, headers={"Accept": "application/json"})
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body

    def test_list_10000_pods(self):
        t0 = time.time()
        st, body = self.raw_get("/api/v1/pods")
        first = time.time() - t0
        t0 = time.time()
        st2, body2 = self.raw_get("/api/v1/pods")
        second = time.time() - t0
        self.assertEqual((st, st2), (200, 200))
        self.assertEqual(body, body2)
        d = json.loads(body)
        self.assertEqual(len(d["items"]), N)
        per_pod = len(body) / N
        sys.stderr.write("[load] list %d pods: %.1f MB, %.0f B/pod, %.3fs then %.3fs\n"
                         % (N, len(body) / 1e6, per_pod, first, second))
        self.assertTrue(8500 < per_pod < 11000, per_pod)
        p = d["items"][0]
        self.assertNotIn("kind", p)
        self.assertEqual(p["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet")
        self.assertEqual([m["manager"] for m in p["metadata"]["managedFields"]], ["kube-controller-manager", "kubelet"])
        self.assertEqual(len(p["spec"]["containers"]), 2)
        self.assertEqual(p["status"]["phase"], "Running")
        # paged list covers all pods exactly once
        seen, cont, pages = 0, "", 0
        t0 = time.time()
        while True:
            st, b = self.raw_get("/api/v1/pods?limit=500" + ("&continue=" + cont if cont else ""))
            page = json.loads(b)
            seen += len(page["items"])
            pages += 1
            cont = page["metadata"].get("continue")
            if not cont:
                break
        sys.stderr.write("[load] paged list (limit=500): %d pages in %.2fs\n" % (pages, time.time() - t0))
        self.assertEqual((seen, pages), (N, N // 500))

    def test_generation_is_deterministic(self):
        other = Emulator("--generate", "pods=50")
        try:
            c = other.conn()
            c.request("GET", "/api/v1/pods")
            a = json.loads(c.getresponse().read())
            c.close()
        finally:
            other.stop()
        st, body = self.raw_get("/api/v1/pods")
        mine = {(p["metadata"]["namespace"], p["metadata"]["name"]): p for p in json.loads(body)["items"]}
        names = [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in a["items"]]
        # the first 50 pods of a 10,000-pod run are the same pods (same seed, same order)
        for key in names:
            self.assertIn(key, mine)
            self.assertEqual(mine[key]["metadata"]["uid"], [p for p in a["items"]
                                                            if (p["metadata"]["namespace"],
                                                                p["metadata"]["name"]) == key][0]["metadata"]["uid"])

    def test_fan_out_to_100_watches(self):
        n = 100
        st, body = self.raw_get("/api/v1/namespaces/default/configmaps?limit=1")
        rv = json.loads(body)["metadata"]["resourceVersion"]
        ready = threading.Barrier(n + 1, timeout=60)
        got = [None] * n

        def watcher(i):
            c = self.emu.conn(30)
            c.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=20&resourceVersion=" + rv)
            r = c.getresponse()
            ready.wait()
            line = r.readline()
            got[i] = (json.loads(line) if line else None, time.time())
            c.close()
        threads = [threading.Thread(target=watcher, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        ready.wait()
        t0 = time.time()
        st, _, _ = self.emu.post("/api/v1/namespaces/default/configmaps", cm("fanout"))
        self.assertEqual(st, 201)
        for t in threads:
            t.join(30)
        names = [g[0]["object"]["metadata"]["name"] if g and g[0] else None for g in got]
        self.assertEqual(names, ["fanout"] * n)
        latest = max(g[1] for g in got) - t0
        sys.stderr.write("[load] one write reached %d watches within %.3fs\n" % (n, latest))


if __name__ == "__main__":
    unittest.main()
