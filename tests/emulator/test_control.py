"""The /_emulator/ control API: faults, compaction, request log, state dump, pod phase and log."""
import http.client
import json
import time
import unittest

from emutil import EmulatorTestCase, cm, pod


class ControlTest(EmulatorTestCase):
    def tearDown(self):
        self.emu.delete("/_emulator/faults")

    def test_status_fault_with_count_and_retry_after(self):
        ns = self.make_ns()
        st, _, _ = self.emu.post("/_emulator/faults", [{"match": {"method": "GET", "path_regex": "/configmaps$",
                                                                  "verb": "list"},
                                                        "action": "status", "code": 429, "retry_after": 2,
                                                        "count": 2}])
        self.assertEqual(st, 200)
        path = "/api/v1/namespaces/%s/configmaps" % ns
        for _ in range(2):
            st, h, body = self.emu.get(path)
            self.assertEqual((st, body["reason"], h["retry-after"]), (429, "TooManyRequests", "2"))
            self.assertEqual(body["details"]["retryAfterSeconds"], 2)
        st, _, _ = self.emu.get(path)
        self.assertEqual(st, 200)
        # verb filter: a get on an item is not a list
        self.emu.post("/_emulator/faults", {"match": {"verb": "create"}, "action": "status", "code": 503})
        st, _, _ = self.emu.get(path)
        self.assertEqual(st, 200)
        st, _, body = self.emu.post(path, cm("x"))
        self.assertEqual((st, body["reason"]), (503, "ServiceUnavailable"))
        self.emu.delete("/_emulator/faults")
        # APF-style plain-text 429
        self.emu.post("/_emulator/faults", {"action": "status", "code": 429, "retry_after": 1, "plain": True,
                                            "count": 1})
        st, h, body = self.emu.get(path)
        self.assertEqual((st, body, h["retry-after"]), (429, "Too many requests, please try again later.\n", "1"))
        self.assertTrue(h["content-type"].startswith("text/plain"))
        self.emu.delete("/_emulator/faults")
        st, _, _ = self.emu.post(path, cm("x"))
        self.assertEqual(st, 201)

    def test_drop_delay_truncate(self):
        ns = self.make_ns()
        path = "/api/v1/namespaces/%s/configmaps" % ns
        self.emu.post("/_emulator/faults", {"match": {"path_regex": "configmaps"}, "action": "drop", "count": 1})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.emu.get(path)
        self.emu.post("/_emulator/faults", {"match": {"path_regex": "configmaps"}, "action": "delay",
                                            "delay_ms": 400, "count": 1})
        t0 = time.time()
        st, _, _ = self.emu.get(path)
        self.assertEqual(st, 200)
        self.assertGreaterEqual(time.time() - t0, 0.4)
        self.emu.post(path, cm("a"))
        self.emu.post("/_emulator/faults", {"match": {"path_regex": "configmaps"}, "action": "truncate", "count": 1})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.emu.get(path)
        st, _, body = self.emu.get(path)
        self.assertEqual(len(body["items"]), 1)

    def test_stall_until_watches_closed(self):
        ns = self.make_ns()
        self.emu.post("/_emulator/faults", {"match": {"path_regex": "watch"}, "action": "stall", "count": 1})
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1" % ns, timeout=10)
        self.assertEqual(w.status, 200)
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("ignored"))
        self.emu.wait_for(lambda: any(r["query"] == "watch=1" and r["status"] == 200 and ns in r["path"]
                                      for r in self.emu.get("/_emulator/requests")[2]["requests"]))
        self.emu.post("/_emulator/watches/close", {})
        self.assertIsNone(w.next())
        w.close()

    def test_requests_log_and_state(self):
        self.emu.delete("/_emulator/requests")
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/configmaps?fieldManager=me" % ns, cm("logged"),
                      headers={"User-Agent": "tester/1.0"})
        st, _, log = self.emu.get("/_emulator/requests")
        reqs = log["requests"]
        last = [r for r in reqs if r["path"].endswith("/configmaps")][-1]
        self.assertEqual((last["method"], last["query"], last["status"], last["user_agent"]),
                         ("POST", "fieldManager=me", 201, "tester/1.0"))
        self.assertFalse(any(r["path"].startswith("/_emulator") for r in reqs))
        self.emu.delete("/_emulator/requests")
        st, _, log = self.emu.get("/_emulator/requests")
        self.assertEqual(log["requests"], [])
        st, _, state = self.emu.get("/_emulator/state")
        objs = state["objects"]
        found = [o for o in objs if o["kind"] == "ConfigMap" and o["metadata"]["name"] == "logged"]
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["metadata"]["namespace"], ns)
        self.assertIn("streaming", state)
        self.assertTrue(int(state["resourceVersion"]) >= int(found[0]["metadata"]["resourceVersion"]))

    def test_pod_phase_and_log(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/pods" % ns, pod("p"))
        path = "/api/v1/namespaces/%s/pods/p" % ns
        self.emu.wait_for(lambda: self.emu.get(path)[2]["status"].get("phase") == "Running")
        st, _, body = self.emu.post("/_emulator/pods/%s/p/phase" % ns, {"phase": "Running", "ready": False})
        self.assertEqual(st, 200)
        _, _, p = self.emu.get(path)
        ready = [c for c in p["status"]["conditions"] if c["type"] == "Ready"][0]
        self.assertEqual(ready["status"], "False")
        self.emu.post("/_emulator/pods/%s/p/phase" % ns, {"phase": "Succeeded", "ready": False})
        _, _, p = self.emu.get(path)
        self.assertEqual(p["status"]["phase"], "Succeeded")
        self.assertIn("terminated", p["status"]["containerStatuses"][0]["state"])
        st, _, body = self.emu.post("/_emulator/pods/%s/p/log" % ns, {"lines": ["hello", "world"]})
        self.assertEqual(st, 200)
        st, h, text = self.emu.get(path + "/log")
        self.assertEqual(st, 200)
        self.assertIn("hello\nworld", text)
        st, _, body = self.emu.post("/_emulator/pods/%s/nope/phase" % ns, {"phase": "Running"})
        self.assertEqual(st, 404)

    def test_token_expiry_needs_token_auth(self):
        st, _, body = self.emu.post("/_emulator/tokens", {})
        self.assertEqual(st, 200)
        self.assertTrue(body["token"])


class TokenControlTest(EmulatorTestCase):
    emulator_args = ("--token", "initial-token")

    def test_tokens_expire_and_renew(self):
        self.emu.token = "initial-token"
        st, _, _ = self.emu.get("/api/v1/namespaces")
        self.assertEqual(st, 200)
        self.emu.post("/_emulator/tokens/expire", {})
        st, _, body = self.emu.get("/api/v1/namespaces")
        self.assertEqual(body, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
        self.emu.token = None
        st, _, body = self.emu.post("/_emulator/tokens", {})
        self.emu.token = body["token"]
        st, _, _ = self.emu.get("/api/v1/namespaces")
        self.assertEqual(st, 200)


if __name__ == "__main__":
    unittest.main()
