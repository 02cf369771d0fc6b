"""In-memory storage: one global resourceVersion counter, encoded-bytes cache, event history.

Objects are kept per storage key ((group, plural); core and events.k8s.io events share
one) under a string key "ns/name" (or "name" when cluster-scoped), so sorting the keys
gives kube-apiserver's storage order. Each stored object keeps its compact JSON encoding
(with kind/apiVersion first); list responses are built by joining these bytes, and watch
events by wrapping them, so a 10,000-pod list is never re-encoded per request.
"""
import bisect
import json
import threading
from collections import OrderedDict

META_ORDER = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
              "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
              "ownerReferences", "finalizers", "managedFields"]
_META_RANK = {k: i for i, k in enumerate(META_ORDER)}


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def normalize(obj):
    """Go struct order for the parts every kind shares: kind, apiVersion, metadata first, status last."""
    out = {}
    for k in ("kind", "apiVersion", "metadata"):
        if k in obj:
            out[k] = obj[k]
    for k, v in obj.items():
        if k not in out and k != "status":
            out[k] = v
    if "status" in obj:
        out["status"] = obj["status"]
    meta = out.get("metadata")
    if isinstance(meta, dict):
        out["metadata"] = dict(sorted(meta.items(), key=lambda kv: _META_RANK.get(kv[0], 99)))
    return out


def key_of(ns, name):
    return "%s/%s" % (ns, name) if ns else name


class Stored:
    """A stored object and its cached encoding (bytes, kind/apiVersion first).

    Bulk-loaded objects (--generate) keep only the bytes; the dict is decoded on first use.
    """
    __slots__ = ("_obj", "enc", "rv", "_meta")

    def __init__(self, obj, rv, enc=None):
        self._obj = obj
        self.rv = rv
        self.enc = enc if enc is not None else dumps(obj).encode()
        self._meta = None

    def meta_bytes(self):
        """The metadata's encoding, made once (Table rows of PartialObjectMetadata reuse it)."""
        m = self._meta
        if m is None:
            m = self._meta = dumps(self.obj.get("metadata", {})).encode()
        return m

    @property
    def obj(self):
        o = self._obj
        if o is None:
            o = self._obj = json.loads(self.enc)
        return o

    def api_version(self):
        """apiVersion read from the encoding's prefix (no decoding)."""
        head = self.enc[:300]
        i = head.find(b'"apiVersion":"')
        if i < 0:
            return None
        j = head.find(b'"', i + 14)
        return head[i + 14:j].decode()

    def item_bytes(self):
        """Encoding without kind/apiVersion (built-in list items), sliced from the cache; the caller
        writes the opening brace."""
        i = self.enc.find(b',"metadata":')
        return memoryview(self.enc)[i + 1:]


class Event:
    __slots__ = ("rv", "type", "storage", "key", "ns", "new", "old")

    def __init__(self, rv, etype, storage, key, ns, new, old):
        self.rv = rv
        self.type = etype
        self.storage = storage
        self.key = key
        self.ns = ns
        self.new = new
        self.old = old


class Expired(Exception):
    pass


class Store:
    MAX_EVENTS = 200000
    SNAPSHOTS_PER_STORAGE = 6

    def __init__(self, start_rv=1):
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.rv = start_rv
        self.data = {}            # storage -> {key: Stored}
        self.events = []          # Event list, ascending rv
        self.events_base = 0      # absolute index of events[0]
        self.compacted_rv = 0     # events with rv <= this are forgotten
        self.last_write = {}      # storage -> rv of its last write
        self.write_rvs = {}       # storage -> [rv...] of retained writes
        self.snapshots = {}       # storage -> OrderedDict(content_rv -> sorted [(key, Stored)])
        self.watch_epoch = 0
        self.listeners = []       # called under the lock with each Event
        self.seen_uids = set()    # uids of every object ever written (the GC only trusts these)
        # garbage-collector indexes, kept up to date by every write
        self.live_uids = {}       # uid -> (storage, key)
        self.owner_index = {}     # owner uid -> {(storage, key) of dependents}
        self.gc_owners = set()    # (storage, key) of objects deleting with orphan/foregroundDeletion
        self.gc_gone = []         # uids removed since the last GC pass
        self.gc_new = []          # (storage, key) of new dependents since the last GC pass

    # ---- reads ----
    def get(self, storage, ns, name):
        with self.lock:
            return self.data.get(storage, {}).get(key_of(ns, name))

    def objects(self, storage):
        with self.lock:
            return list(self.data.get(storage, {}).values())

    def items_with_prefix(self, storage, prefix):
        """[(key, Stored)] whose key starts with prefix ("ns/" selects one namespace), without decoding."""
        with self.lock:
            return [(k, st) for k, st in self.data.get(storage, {}).items() if k.startswith(prefix)]

    def dependents_of(self, uid):
        with self.lock:
            return sorted(self.owner_index.get(uid, ()))

    def all_storages(self):
        with self.lock:
            return list(self.data.keys())

    def snapshot(self, storage):
        """(list RV, content rv, sorted [(key, Stored)]) of the current state."""
        with self.lock:
            content = self.last_write.get(storage, 0)
            snaps = self.snapshots.setdefault(storage, OrderedDict())
            items = snaps.get(content)
            if items is None:
                items = sorted(self.data.get(storage, {}).items())
                snaps[content] = items
                while len(snaps) > self.SNAPSHOTS_PER_STORAGE:
                    snaps.popitem(last=False)
            return self.rv, items

    def snapshot_at(self, storage, rv):
        """Sorted items as of rv, or raise Expired when that state is no longer known."""
        with self.lock:
            if rv < self.compacted_rv:
                raise Expired()
            if rv > self.rv:
                raise ValueError("future")
            last = self.last_write.get(storage, 0)
            if rv >= last:
                return self.snapshot(storage)[1]
            rvs = self.write_rvs.get(storage, [])
            i = bisect.bisect_right(rvs, rv)
            content = rvs[i - 1] if i else None
            snaps = self.snapshots.get(storage, {})
            if content is None or content not in snaps:
                raise Expired()
            return snaps[content]

    # ---- writes (callers hold no lock or the lock; RLock) ----
    def next_rv(self):
        self.rv += 1
        return self.rv

    def put(self, storage, ns, name, obj, etype=None):
        """Store obj (normalized, metadata.resourceVersion set here); returns the Stored."""
        with self.lock:
            rv = self.next_rv()
            meta = obj["metadata"]
            meta["resourceVersion"] = str(rv)
            obj["metadata"] = dict(sorted(meta.items(), key=lambda kv: _META_RANK.get(kv[0], 99)))
            self.seen_uids.add(obj["metadata"].get("uid"))
            st = Stored(obj, rv)
            table = self.data.setdefault(storage, {})
            key = key_of(ns, name)
            old = table.get(key)
            table[key] = st
            if old is not None:
                self._unindex(storage, key, old.obj)
            self._index(storage, key, obj["metadata"], old is None)
            self._record(Event(rv, etype or ("MODIFIED" if old else "ADDED"), storage, key, ns, st, old))
            return st

    def put_silent(self, storage, ns, name, st, meta):
        """Bulk load (generated pods): no event, no RV bump per object; meta = its metadata for the indexes."""
        key = key_of(ns, name)
        self.data.setdefault(storage, {})[key] = st
        self._index(storage, key, meta, False)

    def _index(self, storage, key, meta, new):
        uid = meta.get("uid")
        self.live_uids[uid] = (storage, key)
        refs = meta.get("ownerReferences") or []
        for r in refs:
            self.owner_index.setdefault(r.get("uid"), set()).add((storage, key))
        if new and any(r.get("uid") in self.seen_uids and r.get("uid") not in self.live_uids for r in refs):
            self.gc_new.append((storage, key))
        fins = meta.get("finalizers") or ()
        if meta.get("deletionTimestamp") and ("orphan" in fins or "foregroundDeletion" in fins):
            self.gc_owners.add((storage, key))
        else:
            self.gc_owners.discard((storage, key))

    def _unindex(self, storage, key, obj):
        meta = obj.get("metadata", {})
        if self.live_uids.get(meta.get("uid")) == (storage, key):
            del self.live_uids[meta.get("uid")]
        for r in meta.get("ownerReferences") or []:
            deps = self.owner_index.get(r.get("uid"))
            if deps is not None:
                deps.discard((storage, key))
                if not deps:
                    del self.owner_index[r.get("uid")]
        self.gc_owners.discard((storage, key))

    def take_gc_work(self):
        """(owners deleting with GC finalizers, gone uids, new dependents) for one GC pass."""
        with self.lock:
            gone, new = self.gc_gone, self.gc_new
            self.gc_gone, self.gc_new = [], []
            return sorted(self.gc_owners), gone, new

    def remove(self, storage, ns, name):
        with self.lock:
            table = self.data.get(storage, {})
            key = key_of(ns, name)
            old = table.pop(key, None)
            if old is None:
                return None
            self._unindex(storage, key, old.obj)
            self.gc_gone.append(old.obj["metadata"].get("uid"))
            rv = self.next_rv()
            last = dict(old.obj)
            last["metadata"] = dict(last["metadata"], resourceVersion=str(rv))
            st = Stored(last, rv)
            self._record(Event(rv, "DELETED", storage, key, ns, st, old))
            return st

    def _record(self, ev):
        self.events.append(ev)
        self.last_write[ev.storage] = ev.rv
        self.write_rvs.setdefault(ev.storage, []).append(ev.rv)
        if len(self.events) > self.MAX_EVENTS:
            self._trim(len(self.events) // 2)
        for fn in self.listeners:
            fn(ev)
        self.cond.notify_all()

    def _trim(self, n):
        dropped = self.events[:n]
        self.events = self.events[n:]
        self.events_base += n
        self.compacted_rv = dropped[-1].rv
        for s, rvs in self.write_rvs.items():
            i = bisect.bisect_right(rvs, self.compacted_rv)
            del rvs[:i]

    def compact(self):
        with self.lock:
            self.events_base += len(self.events)
            self.events = []
            self.compacted_rv = self.rv
            self.write_rvs = {}
            self.snapshots = {}

    def close_watches(self):
        with self.lock:
            self.watch_epoch += 1
            self.cond.notify_all()

    # ---- watch support ----
    def watch_position(self, rv):
        """Absolute event index of the first event newer than rv; Expired if rv is too old."""
        with self.lock:
            if rv < self.compacted_rv:
                raise Expired()
            i = bisect.bisect_right(self.events, rv, key=lambda e: e.rv)
            return self.events_base + i

    def position_now(self):
        with self.lock:
            return self.events_base + len(self.events)

    def wait_events(self, pos, timeout, epoch):
        """Block until events after pos exist; returns (events, new_pos, closed)."""
        with self.lock:
            if self.events_base + len(self.events) <= pos and self.watch_epoch == epoch:
                self.cond.wait(timeout)
            if self.watch_epoch != epoch:
                return [], pos, True
            if pos < self.events_base:
                # history trimmed under a slow watcher
                return None, pos, True
            evs = self.events[pos - self.events_base:]
            return evs, pos + len(evs), False
