"""Watch: framing, synthetic ADDED, RV start, 410, bookmarks, sendInitialEvents, selectors, timeouts."""
import json
import os
import time
import unittest

from emutil import EmulatorTestCase, WatchStream, cm


class WatchHeaders(WatchStream):
    """A watch with a chosen Accept header."""

    def __init__(self, emu, path, accept):
        self.c = emu.conn(10)
        self.c.request("GET", path, headers={"Accept": accept})
        self.resp = self.c.getresponse()
        self.status = self.resp.status
        self.headers = {k.lower(): v for k, v in self.resp.getheaders()}


class WatchTest(EmulatorTestCase):
    def test_framing_and_initial_added(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&timeoutSeconds=5" % ns)
        self.assertEqual(w.status, 200)
        self.assertEqual(w.headers.get("transfer-encoding"), "chunked")
        self.assertEqual(w.headers.get("content-type"), "application/json")
        ev = w.next()
        self.assertEqual(ev["type"], "ADDED")
        self.assertEqual((ev["object"]["kind"], ev["object"]["apiVersion"]), ("ConfigMap", "v1"))
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("b"))
        self.emu.patch("/api/v1/namespaces/%s/configmaps/b" % ns, {"data": {"k": "v2"}})
        _, _, gone = self.emu.delete("/api/v1/namespaces/%s/configmaps/b" % ns)
        evs = w.events(3)
        self.assertEqual([e["type"] for e in evs], ["ADDED", "MODIFIED", "DELETED"])
        self.assertEqual(evs[1]["object"]["data"], {"k": "v2"})
        self.assertGreater(int(evs[2]["object"]["metadata"]["resourceVersion"]),
                           int(evs[1]["object"]["metadata"]["resourceVersion"]))
        w.close()

    def test_start_at_rv_and_legacy_path(self):
        ns = self.make_ns()
        _, _, a = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        rv = a["metadata"]["resourceVersion"]
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("b"))
        w = self.emu.watch("/api/v1/watch/namespaces/%s/configmaps?resourceVersion=%s&timeoutSeconds=5" % (ns, rv))
        ev = w.next()
        self.assertEqual((ev["type"], ev["object"]["metadata"]["name"]), ("ADDED", "b"))
        w.close()
        # single object watch by name on the legacy path
        w = self.emu.watch("/api/v1/watch/namespaces/%s/configmaps/a?resourceVersion=%s&timeoutSeconds=5" % (ns, rv))
        self.emu.patch("/api/v1/namespaces/%s/configmaps/b" % ns, {"data": {"x": "1"}})
        self.emu.patch("/api/v1/namespaces/%s/configmaps/a" % ns, {"data": {"x": "1"}})
        ev = w.next()
        self.assertEqual((ev["type"], ev["object"]["metadata"]["name"]), ("MODIFIED", "a"))
        w.close()

    def test_too_old_rv_gives_in_stream_410(self):
        ns = self.make_ns()
        _, _, a = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("b"))
        self.emu.post("/_emulator/compact", {})
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=true&resourceVersion=%s"
                           % (ns, a["metadata"]["resourceVersion"]))
        self.assertEqual(w.status, 200)
        ev = w.next()
        self.assertEqual(ev["type"], "ERROR")
        self.assertEqual((ev["object"]["code"], ev["object"]["reason"]), (410, "Expired"))
        self.assertTrue(ev["object"]["message"].startswith("too old resource version: %s (" %
                                                           a["metadata"]["resourceVersion"]))
        self.assertIsNone(w.next())

    def test_bookmarks_and_send_initial_events(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("b"))
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
                           "&resourceVersionMatch=NotOlderThan&resourceVersion=&timeoutSeconds=5" % ns)
        evs = w.events(3)
        self.assertEqual([e["type"] for e in evs], ["ADDED", "ADDED", "BOOKMARK"])
        bm = evs[2]["object"]
        self.assertEqual(bm["metadata"]["annotations"], {"k8s.io/initial-events-end": "true"})
        self.assertEqual(bm["kind"], "ConfigMap")
        self.assertGreaterEqual(int(bm["metadata"]["resourceVersion"]),
                                int(evs[1]["object"]["metadata"]["resourceVersion"]))
        w.close()
        # sendInitialEvents=false: only changes from now on
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&sendInitialEvents=false&allowWatchBookmarks=true"
                           "&resourceVersionMatch=NotOlderThan&resourceVersion=&timeoutSeconds=5" % ns)
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("c"))
        ev = w.next()
        self.assertEqual((ev["type"], ev["object"]["metadata"]["name"]), ("ADDED", "c"))
        w.close()
        st, _, e = self.emu.get("/api/v1/namespaces/%s/configmaps?watch=1&sendInitialEvents=true" % ns)
        self.assertEqual(st, 422)
        st, _, e = self.emu.get("/api/v1/namespaces/%s/configmaps?watch=1&resourceVersionMatch=NotOlderThan"
                                "&resourceVersion=1" % ns)
        self.assertEqual(st, 422)

    def test_selector_transitions(self):
        ns = self.make_ns()
        _, _, a = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a", labels={"sel": "no"}))
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&labelSelector=sel%%3Dyes&resourceVersion=%s"
                           "&timeoutSeconds=5" % (ns, a["metadata"]["resourceVersion"]))
        self.emu.patch("/api/v1/namespaces/%s/configmaps/a" % ns, {"metadata": {"labels": {"sel": "yes"}}})
        self.emu.patch("/api/v1/namespaces/%s/configmaps/a" % ns, {"data": {"z": "1"}})
        _, _, last = self.emu.patch("/api/v1/namespaces/%s/configmaps/a" % ns, {"metadata": {"labels": {"sel": "no"}}})
        evs = w.events(3)
        self.assertEqual([e["type"] for e in evs], ["ADDED", "MODIFIED", "DELETED"])
        self.assertEqual(evs[2]["object"]["metadata"]["labels"], {"sel": "yes"})  # old content
        self.assertEqual(evs[2]["object"]["metadata"]["resourceVersion"], last["metadata"]["resourceVersion"])
        w.close()

    def test_table_watch_sends_headers_once(self):
        ns = self.make_ns()
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        w = WatchHeaders(self.emu, "/api/v1/namespaces/%s/configmaps?watch=1&timeoutSeconds=5" % ns,
                         "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        first = w.next()
        self.assertEqual((first["type"], first["object"]["kind"]), ("ADDED", "Table"))
        self.assertEqual(first["object"]["columnDefinitions"][0]["name"], "Name")
        self.assertEqual(first["object"]["rows"][0]["cells"][0], "a")
        self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("b"))
        second = w.next()
        self.assertIsNone(second["object"]["columnDefinitions"])
        self.assertEqual(second["object"]["rows"][0]["cells"][0], "b")
        w.close()

    def test_timeout_and_close(self):
        ns = self.make_ns()
        t0 = time.time()
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&timeoutSeconds=1" % ns)
        self.assertIsNone(w.next())
        self.assertLess(time.time() - t0, 4)
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1" % ns)
        self.emu.post("/_emulator/watches/close", {})
        self.assertIsNone(w.next())

    @unittest.skipUnless(os.path.isdir("/proc/self/task"), "needs /proc to count threads")
    def test_abandoned_watches_release_their_threads(self):
        ns = self.make_ns()
        tasks = "/proc/%d/task" % self.emu.proc.pid
        time.sleep(0.5)
        base = len(os.listdir(tasks))
        ws = [self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1" % ns) for _ in range(5)]
        self.assertGreaterEqual(len(os.listdir(tasks)), base + 5)
        for w in ws:
            w.close()
        self.emu.wait_for(lambda: len(os.listdir(tasks)) <= base, timeout=10, interval=0.2)

    def test_too_large_rv(self):
        ns = self.make_ns()
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&resourceVersion=99999999" % ns)
        ev = w.next()
        self.assertEqual((ev["type"], ev["object"]["code"], ev["object"]["reason"]), ("ERROR", 504, "Timeout"))

    def test_events_k8s_io_watch_converts(self):
        ns = self.make_ns()
        w = self.emu.watch("/apis/events.k8s.io/v1/namespaces/%s/events?watch=1&timeoutSeconds=5" % ns)
        self.emu.post("/api/v1/namespaces/%s/events" % ns, {
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"}, "message": "m", "reason": "R",
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": ns}, "type": "Normal"})
        ev = w.next()
        self.assertEqual((ev["object"]["apiVersion"], ev["object"]["note"]), ("events.k8s.io/v1", "m"))
        w.close()


class IdleBookmarkTest(EmulatorTestCase):
    emulator_args = ("--bookmark-interval", "1")

    def test_idle_bookmarks(self):
        ns = self.make_ns()
        _, _, a = self.emu.post("/api/v1/namespaces/%s/configmaps" % ns, cm("a"))
        rv = a["metadata"]["resourceVersion"]
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=%s"
                           "&timeoutSeconds=10" % (ns, rv))
        t0 = time.time()
        ev = w.next()
        self.assertEqual(ev["type"], "BOOKMARK")
        self.assertEqual(ev["object"]["kind"], "ConfigMap")
        self.assertGreaterEqual(int(ev["object"]["metadata"]["resourceVersion"]), int(rv))
        self.assertNotIn("annotations", ev["object"]["metadata"])
        self.assertLess(time.time() - t0, 5)
        w.close()
        # without allowWatchBookmarks nothing arrives
        w = self.emu.watch("/api/v1/namespaces/%s/configmaps?watch=1&resourceVersion=%s&timeoutSeconds=3" % (ns, rv))
        self.assertIsNone(w.next())
        w.close()


if __name__ == "__main__":
    unittest.main()
