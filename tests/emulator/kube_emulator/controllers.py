"""The few controllers the emulator runs: namespace lifecycle, garbage collection,
CRD establishment and cleanup, and an emulated kubelet that starts and stops pods.

They run on one background thread fed by store events and write through Api, so
clients see the same watch events a real cluster's controllers would cause.
"""
import copy
import hashlib
import heapq
import itertools
import queue
import sys
import threading
import time
import traceback

from .api import now_str, CRD_FINALIZER, qos_class
from .errors import ApiError
from .resources import resources_for_crd
from .store import normalize

NODE_NAME = "emulator-node"
NODE_IP = "10.0.0.10"

try:
    from . import patch as patchmod
except ImportError:  # pragma: no cover
    patchmod = None


class Controllers:
    def __init__(self, server):
        self.srv = server
        self.api = server.api
        self.store = server.store
        self.reg = server.registry
        self.q = queue.Queue()
        self.gc_pending = threading.Event()
        self.stopped = False
        self.pod_ip_counter = 0
        self.delayed = []             # heap of (due time, seq, item)
        self.delayed_seq = itertools.count()
        self.delayed_lock = threading.Lock()
        self.store.listeners.append(self.on_event)
        self.thread = threading.Thread(target=self.run, name="controllers", daemon=True)

    def res(self, group, version, plural):
        return self.reg.lookup(group, version, plural)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopped = True
        self.q.put(None)

    # called under the store lock: only enqueue
    def on_event(self, ev):
        storage = ev.storage
        obj = ev.new.obj
        meta = obj.get("metadata", {})
        if storage == ("", "pods"):
            if ev.type == "ADDED" and (obj.get("status") or {}).get("phase") == "Pending":
                self.q.put(("pod-start", meta.get("namespace"), meta.get("name"), meta.get("uid")))
            elif ev.type == "MODIFIED" and meta.get("deletionTimestamp") and \
                    (meta.get("deletionGracePeriodSeconds") or 0) > 0 and \
                    not (ev.old and ev.old.obj["metadata"].get("deletionTimestamp")):
                self.q.put(("pod-kill", meta.get("namespace"), meta.get("name"), meta.get("uid")))
        if storage == ("", "namespaces") and meta.get("deletionTimestamp") and ev.type != "DELETED":
            self.q.put(("ns", meta.get("name")))
        if storage == ("apiextensions.k8s.io", "customresourcedefinitions"):
            self.q.put(("crd", meta.get("name"), ev.type))
        if ev.type == "DELETED":
            ns = meta.get("namespace")
            if ns:
                self.q.put(("ns", ns))
            self.q.put(("gc",))
        elif meta.get("deletionTimestamp") and (meta.get("finalizers")):
            self.q.put(("gc",))
        elif ev.type == "ADDED" and meta.get("ownerReferences"):
            self.q.put(("gc",))

    def later(self, delay, item):
        """Queue item after delay seconds (one heap, no timer thread per pod)."""
        with self.delayed_lock:
            heapq.heappush(self.delayed, (time.time() + delay, next(self.delayed_seq), item))
        self.q.put(("tick",))

    def _due(self):
        """Pop due delayed items; returns (items, seconds until the next one or None)."""
        out = []
        with self.delayed_lock:
            now = time.time()
            while self.delayed and self.delayed[0][0] <= now:
                out.append(heapq.heappop(self.delayed)[2])
            nxt = self.delayed[0][0] - now if self.delayed else None
        return out, nxt

    def run(self):
        while not self.stopped:
            due, nxt = self._due()
            try:
                item = self.q.get(timeout=nxt) if not due else self.q.get_nowait()
            except queue.Empty:
                item = ("tick",)
            if item is None:
                return
            items = due + [item]
            # coalesce a burst of events
            while True:
                try:
                    nxt = self.q.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    return
                items.append(nxt)
            gc = False
            seen = set()
            for it in items:
                if it[0] == "tick":
                    continue
                if it[0] == "gc":
                    gc = True
                    continue
                if it in seen:
                    continue
                seen.add(it)
                self._safe(self.handle, it)
            if gc:
                self._safe(self.gc_pass)

    def _safe(self, fn, *a):
        try:
            fn(*a)
        except ApiError:
            pass
        except Exception:
            traceback.print_exc(file=sys.stderr)

    def handle(self, it):
        kind = it[0]
        if kind == "pod-start":
            self.pod_start(*it[1:])
        elif kind == "pod-kill":
            self.later(0.3, ("pod-kill-now",) + tuple(it[1:]))
        elif kind == "pod-kill-now":
            self.pod_kill(*it[1:])
        elif kind == "ns":
            self.ns_pass(it[1])
        elif kind == "crd":
            self.crd_pass(it[1], it[2])

    # ---------------------------------------------------------------- kubelet
    def _write_status(self, res, ns, name, mutate, manager="kubelet", subresource="status"):
        with self.api.lock:
            st = self.store.get(res.storage, ns, name)
            if st is None:
                return None
            old = st.obj
            new = copy.deepcopy(old)
            if mutate(new) is False:
                return None
            if patchmod is not None and hasattr(patchmod, "track_update"):
                new = patchmod.track_update(old, new, manager, "Update", now_str(), subresource)
            return self.store.put(res.storage, ns, name, normalize(new)).obj

    def _container_status(self, c, started, running=True, ready=True, exit_code=None):
        image = c.get("image", "")
        digest = hashlib.sha256(image.encode()).hexdigest()
        cid = hashlib.sha256(("%s/%s" % (image, started)).encode()).hexdigest()
        st = {"name": c.get("name", ""), "state": {}, "lastState": {}, "ready": ready, "restartCount": 0,
              "image": image if "/" in image else "docker.io/library/" + image,
              "imageID": "%s@sha256:%s" % (image.split(":")[0] if "/" in image else "docker.io/library/" +
                                           image.split(":")[0], digest),
              "containerID": "containerd://" + cid, "started": running}
        if running:
            st["state"] = {"running": {"startedAt": started}}
        else:
            st["state"] = {"terminated": {"exitCode": exit_code or 0,
                                          "reason": "Completed" if not exit_code else "Error",
                                          "startedAt": started, "finishedAt": now_str(),
                                          "containerID": "containerd://" + cid}}
        return st

    def pod_start(self, ns, name, uid):
        res = self.res("", "v1", "pods")
        self.pod_ip_counter += 1
        ip = "10.244.%d.%d" % (self.pod_ip_counter // 250, self.pod_ip_counter % 250 + 2)

        def mutate(pod):
            if pod["metadata"].get("uid") != uid or pod["metadata"].get("deletionTimestamp"):
                return False
            if (pod.get("status") or {}).get("phase") != "Pending":
                return False
            spec = pod.setdefault("spec", {})
            if not spec.get("nodeName"):
                spec["nodeName"] = NODE_NAME
            now = now_str()
            cs = [self._container_status(c, now) for c in spec.get("containers") or []]
            ics = [self._container_status(c, now, running=False, ready=True, exit_code=0)
                   for c in spec.get("initContainers") or []]
            status = {
                "phase": "Running",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "True", "lastProbeTime": None,
                     "lastTransitionTime": now},
                    {"type": "Initialized", "status": "True", "lastProbeTime": None, "lastTransitionTime": now},
                    {"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": now},
                    {"type": "ContainersReady", "status": "True", "lastProbeTime": None, "lastTransitionTime": now},
                    {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": now}],
                "hostIP": NODE_IP, "hostIPs": [{"ip": NODE_IP}], "podIP": ip, "podIPs": [{"ip": ip}],
                "startTime": now}
            if ics:
                status["initContainerStatuses"] = ics
            status["containerStatuses"] = cs
            status["qosClass"] = (pod.get("status") or {}).get("qosClass") or qos_class(pod)
            pod["status"] = status
        self._write_status(res, ns, name, mutate)

    def set_pod_phase(self, ns, name, phase, ready):
        res = self.res("", "v1", "pods")

        def mutate(pod):
            status = pod.setdefault("status", {})
            status["phase"] = phase
            now = now_str()
            flag = "True" if ready else "False"
            conds = status.setdefault("conditions", [])
            for t in ("Ready", "ContainersReady"):
                found = [c for c in conds if c.get("type") == t]
                if found:
                    if found[0].get("status") != flag:
                        found[0]["status"] = flag
                        found[0]["lastTransitionTime"] = now
                else:
                    conds.append({"type": t, "status": flag, "lastProbeTime": None, "lastTransitionTime": now})
            started = status.get("startTime") or now
            css = []
            for c in (pod.get("spec") or {}).get("containers") or []:
                if phase in ("Succeeded", "Failed"):
                    css.append(self._container_status(c, started, running=False, ready=False,
                                                      exit_code=0 if phase == "Succeeded" else 1))
                else:
                    cs = self._container_status(c, started, running=phase == "Running", ready=bool(ready))
                    if phase == "Pending":
                        cs["state"] = {"waiting": {"reason": "ContainerCreating"}}
                    css.append(cs)
            status["containerStatuses"] = css
        obj = self._write_status(res, ns, name, mutate)
        if obj is None:
            raise ApiError(404, "NotFound", 'pods "%s" not found' % name, {"name": name, "kind": "pods"})
        return obj

    def pod_kill(self, ns, name, uid):
        res = self.res("", "v1", "pods")
        st = self.store.get(res.storage, ns, name)
        if st is None or st.obj["metadata"].get("uid") != uid:
            return
        self.api.delete(res, ns, name, {"gracePeriodSeconds": 0})

    # ---------------------------------------------------------------- namespaces
    def ns_pass(self, name):
        nsres = self.res("", "v1", "namespaces")
        st = self.store.get(nsres.storage, "", name)
        if st is None or not st.obj["metadata"].get("deletionTimestamp"):
            return
        prefix = name + "/"
        done = set()
        for r in self.reg.all():
            if not r.namespaced or r.group == "events.k8s.io" or r.storage in done:
                continue
            if r.verbs == ["create"] or "delete" not in r.verbs:
                continue
            done.add(r.storage)
            for key, obj_st in self.store.items_with_prefix(r.storage, prefix):
                m = obj_st.obj["metadata"]
                if not m.get("deletionTimestamp"):
                    try:
                        self.api.delete(r, name, m["name"], {"propagationPolicy": "Background"})
                    except ApiError:
                        pass
        # anything left (finalizers, graceful pods) keeps the namespace
        for storage in self.store.all_storages():
            if self.store.items_with_prefix(storage, prefix):
                return
        with self.api.lock:
            st = self.store.get(nsres.storage, "", name)
            if st is None:
                return
            obj = copy.deepcopy(st.obj)
            obj.setdefault("spec", {})["finalizers"] = []
            self.store.put(nsres.storage, "", name, obj)
            if not obj["metadata"].get("finalizers"):
                self.store.remove(nsres.storage, "", name)

    # ---------------------------------------------------------------- CRDs
    def crd_pass(self, name, etype):
        crdres = self.res("apiextensions.k8s.io", "v1", "customresourcedefinitions")
        st = self.store.get(crdres.storage, "", name)
        if st is None:
            # deleted: drop its resources
            group, _, plural = name.partition(".")[2], None, name.partition(".")[0]
            self.reg.remove_custom(name.split(".", 1)[1] if "." in name else "", name.split(".", 1)[0])
            return
        crd = st.obj
        spec = crd.get("spec", {})
        status = crd.get("status") or {}
        conds = {c.get("type"): c for c in status.get("conditions") or []}
        meta = crd["metadata"]
        if meta.get("deletionTimestamp"):
            self.crd_cleanup(crdres, crd)
            return
        names = spec.get("names", {})
        if conds.get("Established", {}).get("status") == "True" and status.get("acceptedNames", {}).get("plural"):
            accepted = status.get("acceptedNames")
            want = self._accepted(names)
            if accepted != want and not self._conflict(crd):
                self._write_status(crdres, "", name, lambda o: o["status"].__setitem__("acceptedNames", want),
                                   manager="kube-apiserver")
                return
            self.reg.set_custom(spec["group"], resources_for_crd(crd))
            return
        conflict = self._conflict(crd)
        now = now_str()

        def mutate(o):
            s = o.setdefault("status", {})
            cl = [c for c in s.get("conditions") or [] if c.get("type") not in ("NamesAccepted", "Established")]
            if conflict:
                s["acceptedNames"] = {"plural": "", "kind": ""}
                cl.append({"type": "NamesAccepted", "status": "False", "lastTransitionTime": now,
                           "reason": conflict[0], "message": conflict[1]})
                cl.append({"type": "Established", "status": "False", "lastTransitionTime": now,
                           "reason": "NotAccepted", "message": "not all names are accepted"})
            else:
                s["acceptedNames"] = self._accepted(names)
                cl.append({"type": "NamesAccepted", "status": "True", "lastTransitionTime": now,
                           "reason": "NoConflicts", "message": "no conflicts found"})
                cl.append({"type": "Established", "status": "True", "lastTransitionTime": now,
                           "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"})
            s["conditions"] = cl
        obj = self._write_status(crdres, "", name, mutate, manager="kube-apiserver")
        if obj is not None and not conflict:
            self.reg.set_custom(spec["group"], resources_for_crd(obj))

    @staticmethod
    def _accepted(names):
        out = {"plural": names.get("plural", "")}
        if names.get("singular"):
            out["singular"] = names["singular"]
        if names.get("shortNames"):
            out["shortNames"] = names["shortNames"]
        out["kind"] = names.get("kind", "")
        if names.get("listKind"):
            out["listKind"] = names["listKind"]
        if names.get("categories"):
            out["categories"] = names["categories"]
        return out

    def _conflict(self, crd):
        spec = crd["spec"]
        group = spec["group"]
        names = spec.get("names", {})
        for r in self.reg.all():
            if r.group != group:
                continue
            if r.is_custom and r.crd and r.crd["metadata"]["name"] == crd["metadata"]["name"]:
                continue
            if r.plural == names.get("plural"):
                return ("PluralConflict", '"%s" is already in use' % r.plural)
            if names.get("singular") and r.singular == names.get("singular"):
                return ("SingularConflict", '"%s" is already in use' % r.singular)
            if set(names.get("shortNames") or []) & set(r.short_names):
                return ("ShortNamesConflict", '%s is already in use' %
                        sorted(set(names.get("shortNames") or []) & set(r.short_names)))
            if r.kind == names.get("kind"):
                return ("KindConflict", '"%s" is already in use' % r.kind)
        return None

    def crd_cleanup(self, crdres, crd):
        name = crd["metadata"]["name"]
        spec = crd["spec"]
        group, plural = spec["group"], spec["names"]["plural"]
        # terminating verbs in discovery
        if self.reg.by_storage((group, plural)):
            self.reg.set_custom(group, resources_for_crd(crd))
        if CRD_FINALIZER not in (crd["metadata"].get("finalizers") or []):
            return
        now = now_str()

        def progress(o):
            cl = [c for c in (o.get("status") or {}).get("conditions") or [] if c.get("type") != "Terminating"]
            cl.append({"type": "Terminating", "status": "True", "lastTransitionTime": now,
                       "reason": "InstanceDeletionInProgress", "message": "CustomResource deletion is in progress"})
            o.setdefault("status", {})["conditions"] = cl
        self._write_status(crdres, "", name, progress, manager="kube-apiserver")
        for st in self.store.objects((group, plural)):
            m = st.obj["metadata"]
            self.store.remove((group, plural), m.get("namespace", ""), m["name"])
        with self.api.lock:
            st = self.store.get(crdres.storage, "", name)
            if st is None:
                return
            o = copy.deepcopy(st.obj)
            o["metadata"]["finalizers"] = [f for f in o["metadata"].get("finalizers") or [] if f != CRD_FINALIZER]
            if not o["metadata"]["finalizers"]:
                o["metadata"].pop("finalizers")
            self.store.put(crdres.storage, "", name, normalize(o))
            if not o["metadata"].get("finalizers"):
                self.store.remove(crdres.storage, "", name)
        self.reg.remove_custom(group, plural)

    # ---------------------------------------------------------------- garbage collector
    def _res_of(self, storage):
        for r in self.reg.by_storage(storage):
            if r.group != "events.k8s.io":
                return r
        return None

    def _lookup(self, storage, key):
        """(Resource, object dict) of a stored object, or (None, None)."""
        table = self.store.data.get(storage, {})
        st = table.get(key)
        r = self._res_of(storage)
        if st is None or r is None:
            return None, None
        return r, st.obj

    def gc_pass(self):
        """Garbage collection from the store's indexes: owners deleting with orphan/foreground
        finalizers, dependents of owners that disappeared, and new dependents of vanished owners.
        Owners never stored here (e.g. the generated pods' ReplicaSets) are not judged absent."""
        store = self.store
        owners, gone, new = store.take_gc_work()
        for storage, key in owners:
            r, obj = self._lookup(storage, key)
            if obj is None:
                continue
            m = obj["metadata"]
            fins = m.get("finalizers") or []
            uid = m.get("uid")
            deps = [self._lookup(s, k) for s, k in store.dependents_of(uid)]
            deps = [(dr, d) for dr, d in deps if d is not None]
            if "orphan" in fins:
                for dr, d in deps:
                    self._strip_owner(dr, d, uid)
                self._remove_finalizer(r, obj, "orphan")
            elif "foregroundDeletion" in fins:
                blocking = 0
                for dr, d in deps:
                    refs = [o for o in d["metadata"].get("ownerReferences") or [] if o.get("uid") == uid]
                    if refs and refs[0].get("blockOwnerDeletion"):
                        blocking += 1
                    if not d["metadata"].get("deletionTimestamp"):
                        try:
                            self.api.delete(dr, d["metadata"].get("namespace", ""), d["metadata"]["name"],
                                            {"propagationPolicy": "Foreground"})
                        except ApiError:
                            pass
                if not blocking:
                    self._remove_finalizer(r, obj, "foregroundDeletion")
        candidates = set(new)
        for uid in gone:
            candidates.update(store.dependents_of(uid))
        for storage, key in sorted(candidates):
            dr, d = self._lookup(storage, key)
            if d is None:
                continue
            m = d["metadata"]
            if m.get("deletionTimestamp"):
                continue
            refs = m.get("ownerReferences") or []
            alive = [o for o in refs if o.get("uid") in store.live_uids or o.get("uid") not in store.seen_uids]
            if not refs or alive:
                continue
            try:
                self.api.delete(dr, m.get("namespace", ""), m["name"], {"propagationPolicy": "Background"})
            except ApiError:
                pass

    def _strip_owner(self, r, obj, uid):
        def mutate(o):
            refs = [x for x in o["metadata"].get("ownerReferences") or [] if x.get("uid") != uid]
            if refs:
                o["metadata"]["ownerReferences"] = refs
            else:
                o["metadata"].pop("ownerReferences", None)
        self._write_status(r, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], mutate,
                           manager="kube-controller-manager", subresource="")

    def _remove_finalizer(self, r, obj, fin):
        ns, name = obj["metadata"].get("namespace", ""), obj["metadata"]["name"]
        with self.api.lock:
            st = self.store.get(r.storage, ns, name)
            if st is None:
                return
            o = copy.deepcopy(st.obj)
            fins = [f for f in o["metadata"].get("finalizers") or [] if f != fin]
            if fins:
                o["metadata"]["finalizers"] = fins
            else:
                o["metadata"].pop("finalizers", None)
            self.store.put(r.storage, ns, name, normalize(o))
            if not fins and not (o["metadata"].get("deletionGracePeriodSeconds") or 0) and \
                    not (r.kind == "Namespace" and not r.group and (o.get("spec") or {}).get("finalizers")):
                self.api._remove(r, ns, name)
