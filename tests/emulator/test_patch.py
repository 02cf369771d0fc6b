"""Unit tests for kube_emulator.patch: JSON merge patch (RFC 7386), JSON patch
(RFC 6902 with kube-apiserver's error mapping), strategic merge patch, server-side
apply and managedFields bookkeeping."""

import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kube_emulator import patch as P  # noqa: E402
from kube_emulator.errors import ApiError  # noqa: E402

DEPLOY_GVK = ("apps", "v1", "Deployment")
POD_GVK = ("", "v1", "Pod")
CM_GVK = ("", "v1", "ConfigMap")
T0, T1, T2, T3 = ("2024-05-01T10:00:00Z", "2024-05-01T10:01:00Z", "2024-05-01T10:02:00Z", "2024-05-01T10:03:00Z")


def shared_dir():
    d = os.environ.get("KUBE_SHARED_DIR")
    if d:
        return d
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")


def deployment(replicas=2, image="nginx:1.25", extra_env=None):
    env = [{"name": "A", "value": "1"}] + (extra_env or [])
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image, "env": env,
                                         "ports": [{"containerPort": 80, "protocol": "TCP"}]}]},
            },
        },
    }


def mf_entry(obj, manager, operation=None):
    for e in obj["metadata"].get("managedFields", []):
        if e["manager"] == manager and (operation is None or e["operation"] == operation):
            return e
    return None


class MergePatchRFC7386(unittest.TestCase):
    """RFC 7386 Appendix A test cases, in order."""

    CASES = [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ]

    def test_appendix_a(self):
        for i, (target, patch, want) in enumerate(self.CASES):
            with self.subTest(case=i + 1):
                self.assertEqual(P.merge_patch(target, patch), want)

    def test_inputs_not_mutated(self):
        target = {"a": {"b": 1}}
        patch = {"a": {"c": 2}}
        P.merge_patch(target, patch)
        self.assertEqual(target, {"a": {"b": 1}})
        self.assertEqual(patch, {"a": {"c": 2}})

    def test_labels_null_deletes_label(self):
        cm = {"metadata": {"name": "x", "labels": {"a": "1", "b": "2"}}, "data": {"k": "v"}}
        out = P.merge_patch(cm, {"metadata": {"labels": {"a": None}}, "data": {"k2": "v2"}})
        self.assertEqual(out["metadata"]["labels"], {"b": "2"})
        self.assertEqual(out["data"], {"k": "v", "k2": "v2"})


class JSONPatchRFC6902(unittest.TestCase):
    """RFC 6902 Appendix A examples (A.13, invalid JSON, is a decoding matter of the server)."""

    def test_a1_add_object_member(self):
        self.assertEqual(P.json_patch({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}]),
                         {"baz": "qux", "foo": "bar"})

    def test_a2_add_array_element(self):
        self.assertEqual(P.json_patch({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}]),
                         {"foo": ["bar", "qux", "baz"]})

    def test_a3_remove_object_member(self):
        self.assertEqual(P.json_patch({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}]),
                         {"foo": "bar"})

    def test_a4_remove_array_element(self):
        self.assertEqual(P.json_patch({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}]),
                         {"foo": ["bar", "baz"]})

    def test_a5_replace(self):
        self.assertEqual(P.json_patch({"baz": "qux", "foo": "bar"},
                                      [{"op": "replace", "path": "/baz", "value": "boo"}]),
                         {"baz": "boo", "foo": "bar"})

    def test_a6_move_value(self):
        doc = {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}
        self.assertEqual(P.json_patch(doc, [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]),
                         {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}})

    def test_a7_move_array_element(self):
        self.assertEqual(P.json_patch({"foo": ["all", "grass", "cows", "eat"]},
                                      [{"op": "move", "from": "/foo/1", "path": "/foo/3"}]),
                         {"foo": ["all", "cows", "eat", "grass"]})

    def test_a8_test_success(self):
        doc = {"baz": "qux", "foo": ["a", 2, "c"]}
        self.assertEqual(P.json_patch(doc, [{"op": "test", "path": "/baz", "value": "qux"},
                                            {"op": "test", "path": "/foo/1", "value": 2}]), doc)

    def test_a9_test_failure_is_422_invalid(self):
        with self.assertRaises(ApiError) as cm:
            P.json_patch({"baz": "qux"}, [{"op": "test", "path": "/baz", "value": "bar"}])
        e = cm.exception
        self.assertEqual((e.code, e.reason), (422, "Invalid"))
        self.assertEqual(e.message, "the server rejected our request due to an error in our request")
        self.assertEqual(e.details, {})
        self.assertEqual(e.status()["details"], {})

    def test_a10_add_nested_member_object(self):
        self.assertEqual(P.json_patch({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}]),
                         {"foo": "bar", "child": {"grandchild": {}}})

    def test_a11_ignore_unrecognized_members(self):
        self.assertEqual(P.json_patch({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}]),
                         {"foo": "bar", "baz": "qux"})

    def test_a12_add_to_nonexistent_target(self):
        with self.assertRaises(ApiError) as cm:
            P.json_patch({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}])
        self.assertEqual(cm.exception.code, 422)
        with self.assertRaises(P.JSONPatchError) as cm2:
            P.apply_json_patch({"foo": "bar"}, [{"op": "add", "path": "/baz/bat", "value": "qux"}])
        self.assertEqual(str(cm2.exception), 'add operation does not apply: doc is missing path: "/baz/bat": '
                                             'missing value')

    def test_a14_escape_ordering(self):
        doc = {"/": 9, "~1": 10}
        self.assertEqual(P.json_patch(doc, [{"op": "test", "path": "/~01", "value": 10}]), doc)
        self.assertEqual(P.json_patch({"a/b": 1}, [{"op": "replace", "path": "/a~1b", "value": 2}]), {"a/b": 2})

    def test_a15_string_vs_number(self):
        with self.assertRaises(ApiError):
            P.json_patch({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": "10"}])

    def test_a16_add_array_value(self):
        self.assertEqual(P.json_patch({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]),
                         {"foo": ["bar", ["abc", "def"]]})

    def test_copy_and_negative_index(self):
        doc = {"a": {"x": [1, 2]}, "b": {}}
        out = P.json_patch(doc, [{"op": "copy", "from": "/a/x", "path": "/b/y"},
                                 {"op": "add", "path": "/b/y/-1", "value": 9}])
        # json-patch v4 (kube): a negative add index counts from the end of the grown array
        self.assertEqual(out["b"]["y"], [1, 2, 9])
        self.assertEqual(doc["b"], {})  # not mutated

    def test_remove_missing_key_fails(self):
        with self.assertRaises(P.JSONPatchError) as cm:
            P.apply_json_patch({"a": 1}, [{"op": "remove", "path": "/b"}])
        self.assertIn("Unable to remove nonexistent key: b: missing value", str(cm.exception))

    def test_test_failure_message(self):
        with self.assertRaises(P.JSONPatchError) as cm:
            P.apply_json_patch({"spec": {"replicas": 1}}, [{"op": "test", "path": "/spec/replicas", "value": 2}])
        self.assertEqual(str(cm.exception), "testing value /spec/replicas failed: test failed")

    def test_index_out_of_range(self):
        with self.assertRaises(ApiError) as cm:
            P.json_patch({"a": [1]}, [{"op": "replace", "path": "/a/5", "value": 0}])
        self.assertEqual(cm.exception.code, 422)

    def test_unknown_op(self):
        with self.assertRaises(P.JSONPatchError) as cm:
            P.apply_json_patch({}, [{"op": "frobnicate", "path": "/a"}])
        self.assertEqual(str(cm.exception), "Unexpected kind: frobnicate")

    def test_too_many_operations_is_413(self):
        with self.assertRaises(ApiError) as cm:
            P.json_patch({}, [{"op": "test", "path": "/a", "value": None}] * 10001)
        self.assertEqual((cm.exception.code, cm.exception.reason), (413, "RequestEntityTooLarge"))
        self.assertEqual(cm.exception.message, "Request entity too large: The allowed maximum operations in a JSON "
                                               "patch is 10000, got 10001")

    def test_not_a_list_is_400(self):
        with self.assertRaises(ApiError) as cm:
            P.json_patch({}, {"op": "add"})
        self.assertEqual((cm.exception.code, cm.exception.reason), (400, "BadRequest"))

    def test_test_numbers_equal_across_int_float(self):
        self.assertEqual(P.json_patch({"a": 1}, [{"op": "test", "path": "/a", "value": 1.0}]), {"a": 1})
        with self.assertRaises(ApiError):
            P.json_patch({"a": True}, [{"op": "test", "path": "/a", "value": 1}])


def pod():
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "labels": {"app": "a", "tier": "web"}, "finalizers": ["a/x", "b/y"]},
        "spec": {
            "containers": [
                {"name": "app", "image": "app:1", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                 "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
                {"name": "sidecar", "image": "side:1"},
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "tolerations": [{"key": "k1", "operator": "Exists"}],
            "imagePullSecrets": [{"name": "reg"}],
        },
    }


class StrategicMergePatch(unittest.TestCase):
    def smp(self, obj, patch, gvk=POD_GVK):
        return P.strategic_merge_patch(obj, patch, gvk)

    def test_containers_merge_by_name(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "app", "image": "app:2"}]}})
        self.assertEqual([c["name"] for c in out["spec"]["containers"]], ["app", "sidecar"])
        self.assertEqual(out["spec"]["containers"][0]["image"], "app:2")
        self.assertEqual(out["spec"]["containers"][0]["env"], pod()["spec"]["containers"][0]["env"])
        self.assertEqual(out["spec"]["containers"][1]["image"], "side:1")

    def test_new_container_goes_first(self):
        # normalizeElementOrder puts patch items that the live list lacks before the server-only items
        # (kubernetes.io "Update API Objects in Place Using kubectl patch" shows the same result).
        out = self.smp(pod(), {"spec": {"containers": [{"name": "debug", "image": "busybox"}]}})
        self.assertEqual([c["name"] for c in out["spec"]["containers"]], ["debug", "app", "sidecar"])

    def test_patch_order_then_live_order(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "sidecar", "image": "side:2"},
                                                       {"name": "new", "image": "n"}]}})
        self.assertEqual([c["name"] for c in out["spec"]["containers"]], ["app", "sidecar", "new"])

    def test_env_merge_by_name_and_delete(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "app", "env": [
            {"name": "B", "value": "20"}, {"name": "C", "value": "3"}, {"name": "A", "$patch": "delete"}]}]}})
        self.assertEqual(out["spec"]["containers"][0]["env"], [{"name": "B", "value": "20"},
                                                               {"name": "C", "value": "3"}])

    def test_patch_delete_container(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}})
        self.assertEqual([c["name"] for c in out["spec"]["containers"]], ["app"])

    def test_patch_replace_list(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}})
        self.assertEqual(out["spec"]["containers"], [{"name": "only", "image": "x"}])

    def test_patch_replace_map(self):
        out = self.smp(pod(), {"metadata": {"labels": {"$patch": "replace", "new": "1"}}})
        self.assertEqual(out["metadata"]["labels"], {"new": "1"})

    def test_ports_keyed_by_container_port(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "app", "ports": [
            {"containerPort": 80, "name": "http"}, {"containerPort": 443, "protocol": "TCP"}]}]}})
        self.assertEqual(out["spec"]["containers"][0]["ports"], [
            {"containerPort": 80, "protocol": "TCP", "name": "http"}, {"containerPort": 443, "protocol": "TCP"}])

    def test_service_ports_keyed_by_port(self):
        svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443, "targetPort": 8443}]}}
        out = self.smp(svc, {"spec": {"ports": [{"port": 443, "targetPort": 9443}]}}, ("", "v1", "Service"))
        self.assertEqual(out["spec"]["ports"], [{"port": 80, "targetPort": 8080}, {"port": 443, "targetPort": 9443}])

    def test_volume_mounts_keyed_by_mount_path(self):
        out = self.smp(pod(), {"spec": {"containers": [{"name": "app", "volumeMounts": [
            {"mountPath": "/data", "readOnly": True}]}]}})
        self.assertEqual(out["spec"]["containers"][0]["volumeMounts"],
                         [{"name": "data", "mountPath": "/data", "readOnly": True}])

    def test_volumes_retain_keys(self):
        out = self.smp(pod(), {"spec": {"volumes": [
            {"name": "data", "hostPath": {"path": "/srv"}, "$retainKeys": ["hostPath", "name"]}]}})
        self.assertEqual(out["spec"]["volumes"], [{"name": "data", "hostPath": {"path": "/srv"}}])

    def test_tolerations_are_replaced(self):
        out = self.smp(pod(), {"spec": {"tolerations": [{"key": "k2", "operator": "Exists"}]}})
        self.assertEqual(out["spec"]["tolerations"], [{"key": "k2", "operator": "Exists"}])

    def test_image_pull_secrets_merge(self):
        out = self.smp(pod(), {"spec": {"imagePullSecrets": [{"name": "other"}]}})
        self.assertEqual(out["spec"]["imagePullSecrets"], [{"name": "other"}, {"name": "reg"}])

    def test_finalizers_set_merge_and_delete_from_primitive_list(self):
        out = self.smp(pod(), {"metadata": {"finalizers": ["c/z", "a/x"]}})
        self.assertEqual(out["metadata"]["finalizers"], ["c/z", "a/x", "b/y"])
        out = self.smp(pod(), {"metadata": {"finalizers": ["a/x"]}})
        self.assertEqual(out["metadata"]["finalizers"], ["a/x", "b/y"])
        out = self.smp(pod(), {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/x"]}})
        self.assertEqual(out["metadata"]["finalizers"], ["b/y"])

    def test_owner_references_keyed_by_uid(self):
        obj = pod()
        obj["metadata"]["ownerReferences"] = [{"apiVersion": "v1", "kind": "X", "name": "a", "uid": "1"}]
        out = self.smp(obj, {"metadata": {"ownerReferences": [{"apiVersion": "v1", "kind": "X", "name": "b",
                                                               "uid": "2"}]}})
        self.assertEqual([o["uid"] for o in out["metadata"]["ownerReferences"]], ["2", "1"])

    def test_conditions_keyed_by_type(self):
        obj = pod()
        obj["status"] = {"conditions": [{"type": "Ready", "status": "False"}, {"type": "Initialized",
                                                                               "status": "True"}]}
        out = self.smp(obj, {"status": {"conditions": [{"type": "Ready", "status": "True"}]}})
        self.assertEqual(out["status"]["conditions"], [{"type": "Ready", "status": "True"},
                                                       {"type": "Initialized", "status": "True"}])

    def test_set_element_order(self):
        out = self.smp(pod(), {"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "app"}],
                                        "containers": [{"name": "app", "image": "app:3"}]}})
        self.assertEqual([c["name"] for c in out["spec"]["containers"]], ["sidecar", "app"])
        self.assertEqual(out["spec"]["containers"][1]["image"], "app:3")
        self.assertNotIn("$setElementOrder/containers", out["spec"])

    def test_null_deletes_field(self):
        out = self.smp(pod(), {"metadata": {"labels": {"tier": None}}, "spec": {"imagePullSecrets": None}})
        self.assertEqual(out["metadata"]["labels"], {"app": "a"})
        self.assertNotIn("imagePullSecrets", out["spec"])

    def test_kubectl_rollout_restart_patch(self):
        dep = deployment()
        patch = {"spec": {"template": {"metadata": {"annotations": {
            "kubectl.kubernetes.io/restartedAt": "2024-05-01T10:00:00Z"}}}}}
        out = P.strategic_merge_patch(dep, patch, DEPLOY_GVK)
        self.assertEqual(out["spec"]["template"]["metadata"], {
            "labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-05-01T10:00:00Z"}})
        self.assertEqual(out["spec"]["template"]["spec"], dep["spec"]["template"]["spec"])

    def test_kubectl_client_side_apply_patch(self):
        # What kubectl apply sends for a changed image and a removed env var (three-way diff).
        dep = deployment(extra_env=[{"name": "B", "value": "2"}])
        patch = {"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}},
                 "spec": {"template": {"spec": {
                     "$setElementOrder/containers": [{"name": "nginx"}],
                     "containers": [{"$setElementOrder/env": [{"name": "A"}],
                                     "env": [{"$patch": "delete", "name": "B"}],
                                     "image": "nginx:1.26", "name": "nginx"}]}}}}
        out = P.strategic_merge_patch(dep, patch, DEPLOY_GVK)
        c = out["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(c["image"], "nginx:1.26")
        self.assertEqual(c["env"], [{"name": "A", "value": "1"}])
        self.assertEqual(c["ports"], [{"containerPort": 80, "protocol": "TCP"}])
        self.assertNotIn("$setElementOrder/env", c)

    def test_unknown_directive_is_a_plain_500(self):
        # mergepatch.ErrBadPatchType is not an APIStatus: ErrorToAPIStatus makes it 500 with no reason
        with self.assertRaises(ApiError) as cm:
            self.smp(pod(), {"metadata": {"$patch": "frob"}})
        self.assertEqual((cm.exception.code, cm.exception.reason), (500, ""))
        self.assertEqual(cm.exception.message, "unknown patch type: frob in map: map[$patch:frob]")

    def test_missing_merge_key(self):
        with self.assertRaises(ApiError) as cm:
            self.smp(pod(), {"spec": {"containers": [{"image": "x"}]}})
        self.assertEqual(cm.exception.code, 500)
        self.assertEqual(cm.exception.message, "map: map[image:x] does not contain declared merge key: name")

    def test_retain_keys_must_list_patch_keys(self):
        with self.assertRaises(ApiError) as cm:
            self.smp(pod(), {"spec": {"volumes": [{"name": "data", "hostPath": {"path": "/x"},
                                                   "$retainKeys": ["name"]}]}})
        self.assertEqual((cm.exception.code, cm.exception.message), (400, "invalid patch format of retainKeys"))

    def test_map_delete_directive_empties_map(self):
        out = self.smp(pod(), {"metadata": {"labels": {"$patch": "delete"}}})
        self.assertEqual(out["metadata"]["labels"], {})

    def test_set_element_order_mismatch(self):
        with self.assertRaises(ApiError) as cm:
            self.smp(pod(), {"spec": {"$setElementOrder/containers": [{"name": "app"}],
                                      "containers": [{"name": "zzz", "image": "z"}]}})
        self.assertEqual(cm.exception.code, 500)
        self.assertTrue(cm.exception.message.startswith("The order in patch list:"))

    def test_delete_from_primitive_list_on_missing_list_sets_it(self):
        # mergeMap takes the value as-is when the original lacks the (un-prefixed) key
        obj = pod()
        del obj["metadata"]["finalizers"]
        out = self.smp(obj, {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a/x"]}})
        self.assertEqual(out["metadata"]["finalizers"], ["a/x"])

    def test_input_not_mutated(self):
        obj = pod()
        before = copy.deepcopy(obj)
        self.smp(obj, {"spec": {"containers": [{"name": "app", "image": "z"}]}})
        self.assertEqual(obj, before)


class FieldsV1Encoding(unittest.TestCase):
    def test_roundtrip_and_dot(self):
        paths = {("f:metadata", "f:labels"), ("f:metadata", "f:labels", "f:app"),
                 ("f:spec", "f:containers", 'k:{"name":"a"}'), ("f:spec", "f:containers", 'k:{"name":"a"}', "f:image"),
                 ("f:metadata", "f:finalizers", 'v:"x"')}
        fields = P.set_to_fields(paths)
        self.assertEqual(fields["f:metadata"]["f:labels"], {".": {}, "f:app": {}})
        self.assertEqual(fields["f:spec"]["f:containers"]['k:{"name":"a"}'], {".": {}, "f:image": {}})
        self.assertEqual(fields["f:metadata"]["f:finalizers"], {'v:"x"': {}})
        self.assertEqual(P.fields_to_set(fields), paths)

    def test_keys_escape_like_go(self):
        t = ("list", "map", ["name"], P.ANY, "", "")
        self.assertEqual(P.item_key({"name": "a<b>&c", "x": 1}, t), 'k:{"name":"a\\u003cb\\u003e\\u0026c"}')
        self.assertEqual(P.item_key("x&y", ("list", "set", [], P.SCALAR, "", "")), 'v:"x\\u0026y"')
        self.assertEqual(P.item_key({"port": 80, "protocol": "TCP", "x": 1}, ("list", "map", ["protocol", "port"],
                                                                             P.ANY, "", "")),
                         'k:{"port":80,"protocol":"TCP"}')
        self.assertEqual(P.path_string(("f:a", P.item_key({"name": "a<b"}, t))), '.a[name="a<b"]')

    def test_path_string(self):
        self.assertEqual(P.path_string(("f:spec", "f:replicas")), ".spec.replicas")
        self.assertEqual(P.path_string(("f:spec", "f:containers", 'k:{"name":"web"}', "f:image")),
                         '.spec.containers[name="web"].image')
        self.assertEqual(P.path_string(("f:spec", "f:ports", 'k:{"containerPort":80,"protocol":"TCP"}')),
                         '.spec.ports[containerPort=80,protocol="TCP"]')
        self.assertEqual(P.path_string(("f:metadata", "f:finalizers", 'v:"a"')), '.metadata.finalizers[="a"]')


class TrackUpdate(unittest.TestCase):
    def test_create_by_kubectl_create(self):
        dep = deployment()
        out = P.track_update(None, dep, "kubectl-create", "Update", T0)
        self.assertEqual(len(out["metadata"]["managedFields"]), 1)
        e = out["metadata"]["managedFields"][0]
        self.assertEqual(list(e), ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"])
        self.assertEqual((e["manager"], e["operation"], e["apiVersion"], e["time"], e["fieldsType"]),
                         ("kubectl-create", "Update", "apps/v1", T0, "FieldsV1"))
        f = e["fieldsV1"]
        # metadata.name etc. are never tracked; labels map gets ".", struct fields spec/template do not.
        self.assertEqual(f["f:metadata"], {"f:labels": {".": {}, "f:app": {}}})
        self.assertNotIn(".", f["f:spec"])
        self.assertEqual(f["f:spec"]["f:selector"], {})  # LabelSelector is an atomic struct
        self.assertEqual(f["f:spec"]["f:replicas"], {})
        c = f["f:spec"]["f:template"]["f:spec"]["f:containers"]
        self.assertNotIn(".", f["f:spec"]["f:template"]["f:spec"]["f:containers"])
        self.assertEqual(c['k:{"name":"nginx"}'], {
            ".": {}, "f:env": {".": {}, 'k:{"name":"A"}': {".": {}, "f:name": {}, "f:value": {}}},
            "f:image": {}, "f:name": {},
            "f:ports": {".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {},
                                                                            "f:protocol": {}}}})
        self.assertNotIn("managedFields", dep["metadata"])  # input untouched

    def test_update_moves_ownership(self):
        created = P.track_update(None, deployment(), "kubectl-create", "Update", T0)
        changed = copy.deepcopy(created)
        changed["spec"]["replicas"] = 5
        changed["metadata"]["labels"]["team"] = "x"
        out = P.track_update(created, changed, "kubectl-edit", "Update", T1)
        create_e, edit_e = mf_entry(out, "kubectl-create"), mf_entry(out, "kubectl-edit")
        self.assertNotIn("f:replicas", create_e["fieldsV1"]["f:spec"])
        self.assertEqual(create_e["time"], T0)
        self.assertEqual(edit_e["fieldsV1"], {"f:metadata": {"f:labels": {"f:team": {}}}, "f:spec": {"f:replicas": {}}})
        self.assertEqual(edit_e["time"], T1)

    def test_entries_dropped_when_empty(self):
        old = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": "v", "j": "w"}}
        new = copy.deepcopy(old)
        new["data"]["k"] = "v2"
        by_a = P.track_update(old, new, "a", "Update", T0)
        self.assertEqual(mf_entry(by_a, "a")["fieldsV1"], {"f:data": {"f:k": {}}})
        newer = copy.deepcopy(by_a)
        newer["data"]["k"] = "v3"
        out = P.track_update(by_a, newer, "b", "Update", T1)
        self.assertEqual([e["manager"] for e in out["metadata"]["managedFields"]], ["b"])
        self.assertEqual(out["metadata"]["managedFields"][0]["fieldsV1"], {"f:data": {"f:k": {}}})

    def test_removed_field_leaves_owner(self):
        created = P.track_update(None, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                        "data": {"k": "v", "j": "w"}}, "a", "Update", T0)
        changed = copy.deepcopy(created)
        del changed["data"]["j"]
        out = P.track_update(created, changed, "b", "Update", T1)
        self.assertEqual([e["manager"] for e in out["metadata"]["managedFields"]], ["a"])
        self.assertEqual(out["metadata"]["managedFields"][0]["fieldsV1"], {"f:data": {".": {}, "f:k": {}}})

    def test_one_entry_per_manager_operation_version_subresource(self):
        created = P.track_update(None, deployment(), "m", "Update", T0)
        created["status"] = {}  # kube stores the empty status struct
        st = copy.deepcopy(created)
        st["status"] = {"replicas": 2}
        out = P.track_update(created, st, "m", "Update", T1, "status")
        entries = [(e["manager"], e.get("subresource", "")) for e in out["metadata"]["managedFields"]]
        self.assertEqual(entries, [("m", ""), ("m", "status")])
        self.assertEqual(out["metadata"]["managedFields"][1]["fieldsV1"], {"f:status": {"f:replicas": {}}})
        self.assertEqual(list(out["metadata"]["managedFields"][1])[-1], "subresource")

    def test_scale_subresource_owns_replicas(self):
        created = P.apply(None, deployment(), "kubectl", False, DEPLOY_GVK, T0)
        scaled = copy.deepcopy(created)
        scaled["spec"]["replicas"] = 7
        out = P.track_update(created, scaled, "kubectl-scale", "Update", T1, "scale")
        e = mf_entry(out, "kubectl-scale")
        self.assertEqual((e["subresource"], e["fieldsV1"]), ("scale", {"f:spec": {"f:replicas": {}}}))
        self.assertNotIn("f:replicas", mf_entry(out, "kubectl")["fieldsV1"]["f:spec"])
        with self.assertRaises(ApiError) as cm:
            P.apply(out, deployment(replicas=3), "kubectl", False, DEPLOY_GVK, T2)
        self.assertEqual(cm.exception.message, 'Apply failed with 1 conflict: conflict with "kubectl-scale" with '
                                               'subresource "scale" using apps/v1: .spec.replicas')

    def test_noop_update_keeps_time(self):
        created = P.track_update(None, deployment(), "m", "Update", T0)
        out = P.track_update(created, copy.deepcopy(created), "m", "Update", T1)
        self.assertEqual(out["metadata"]["managedFields"], created["metadata"]["managedFields"])

    def test_empty_managed_fields_in_request_keep_live_ones(self):
        created = P.track_update(None, deployment(), "m", "Update", T0)
        sent = copy.deepcopy(created)
        sent["metadata"]["managedFields"] = []
        sent["spec"]["replicas"] = 4
        out = P.track_update(created, sent, "n", "Update", T1)
        self.assertEqual([e["manager"] for e in out["metadata"]["managedFields"]], ["m", "n"])

    def test_request_managed_fields_replace_live_ones_except_on_subresources(self):
        created = P.track_update(None, deployment(), "m", "Update", T0)
        forged = [{"manager": "x", "operation": "Update", "apiVersion": "apps/v1", "time": T0,
                   "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:replicas": {}}}}]
        sent = copy.deepcopy(created)
        sent["metadata"]["managedFields"] = forged
        out = P.track_update(created, sent, "n", "Update", T1)
        self.assertEqual([e["manager"] for e in out["metadata"]["managedFields"]], ["x"])
        out = P.track_update(created, sent, "n", "Update", T1, "status")
        self.assertEqual([e["manager"] for e in out["metadata"]["managedFields"]], ["m"])

    def test_client_can_reset_managed_fields(self):
        created = P.track_update(None, deployment(), "m", "Update", T0)
        cleared = copy.deepcopy(created)
        cleared["metadata"]["managedFields"] = [{}]
        out = P.track_update(created, cleared, "n", "Update", T1)
        self.assertEqual([e["manager"] for e in out["metadata"].get("managedFields", [])], [])


class TrackUpdateAgainstBenchPods(unittest.TestCase):
    """The managedFields shapes of ../shared/bench/gen_podlist.py (the reference pod shape)."""

    @classmethod
    def setUpClass(cls):
        gen = os.path.join(shared_dir(), "bench", "gen_podlist.py")
        if not os.path.exists(gen):
            raise unittest.SkipTest("%s not found (set KUBE_SHARED_DIR)" % gen)
        cls.tmp = tempfile.TemporaryDirectory()
        subprocess.run([sys.executable, gen, "4", cls.tmp.name], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(cls.tmp.name, "podlist.json")) as fh:
            cls.pods = json.load(fh)["items"]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @staticmethod
    def as_created_by_controller(p):
        """The pod as the ReplicaSet controller sends it: without what admission and binding add later."""
        pod = copy.deepcopy(p)
        pod["apiVersion"], pod["kind"] = "v1", "Pod"
        del pod["metadata"]["managedFields"]
        status = pod.pop("status")
        spec = pod["spec"]
        for k in ("nodeName", "preemptionPolicy", "priority", "tolerations"):
            spec.pop(k, None)
        spec["volumes"] = [v for v in spec["volumes"] if not v["name"].startswith("kube-api-access")]
        for c in spec["containers"]:
            c["volumeMounts"] = [m for m in c.get("volumeMounts", []) if "serviceaccount" not in m["mountPath"]]
        return pod, status

    @staticmethod
    def normalise(paths):
        # SecretKeySelector/ObjectFieldSelector/ConfigMapKeySelector are atomic structs upstream (+structType=atomic):
        # kube records only the node, while gen_podlist.py also lists their members. The generator also omits
        # the "." of spec.volumes that kube records for an omitempty list it adds.
        atomic = ("f:secretKeyRef", "f:fieldRef", "f:configMapKeyRef", "f:resourceFieldRef")
        return {p for p in paths if not any(e in atomic for e in p[:-1]) and p != ("f:spec", "f:volumes")}

    def test_controller_create_entry(self):
        for p in self.pods:
            pod, _ = self.as_created_by_controller(p)
            out = P.track_update(None, pod, "kube-controller-manager", "Update", p["metadata"]["creationTimestamp"])
            got = out["metadata"]["managedFields"][0]
            want = p["metadata"]["managedFields"][0]
            self.assertEqual({k: v for k, v in got.items() if k != "fieldsV1"},
                             {k: v for k, v in want.items() if k != "fieldsV1"})
            self.assertEqual(self.normalise(P.fields_to_set(got["fieldsV1"])),
                             self.normalise(P.fields_to_set(want["fieldsV1"])))

    def test_kubelet_status_entry(self):
        for p in self.pods:
            pod, status = self.as_created_by_controller(p)
            created = P.track_update(None, pod, "kube-controller-manager", "Update", T0)
            before = copy.deepcopy(created)
            before["status"] = {"phase": "Pending", "qosClass": status.get("qosClass", "Burstable"), "conditions": []}
            after = copy.deepcopy(before)
            after["status"] = dict(status, qosClass=before["status"]["qosClass"])
            want = [e for e in p["metadata"]["managedFields"] if e["manager"] == "kubelet"][0]
            out = P.track_update(before, after, "kubelet", "Update", want["time"], "status")
            got = mf_entry(out, "kubelet")
            self.assertEqual(got["subresource"], "status")
            self.assertEqual(P.fields_to_set(got["fieldsV1"]), P.fields_to_set(want["fieldsV1"]))
            # the controller's entry is untouched by a status update
            self.assertEqual(mf_entry(out, "kube-controller-manager"), mf_entry(created, "kube-controller-manager"))


class ServerSideApply(unittest.TestCase):
    def test_create(self):
        out = P.apply(None, deployment(), "kubectl", False, DEPLOY_GVK, T0)
        self.assertEqual(list(out)[:3], ["kind", "apiVersion", "metadata"])
        self.assertEqual(out["spec"], deployment()["spec"])
        self.assertNotIn("creationTimestamp", out["metadata"])
        e = out["metadata"]["managedFields"]
        self.assertEqual(len(e), 1)
        self.assertEqual((e[0]["manager"], e[0]["operation"], e[0]["apiVersion"], e[0]["time"]),
                         ("kubectl", "Apply", "apps/v1", T0))
        f = e[0]["fieldsV1"]
        # Apply sets come from the applied configuration: no "." on a map field or list field itself
        self.assertEqual(f["f:metadata"], {"f:labels": {"f:app": {}}})
        self.assertEqual(f["f:spec"]["f:selector"], {})
        item = f["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']
        self.assertEqual(item["."], {})
        self.assertEqual(set(item["f:ports"]), {'k:{"containerPort":80,"protocol":"TCP"}'})

    def test_reapply_removes_dropped_field(self):
        first = P.apply(None, deployment(extra_env=[{"name": "B", "value": "2"}]), "kubectl", False, DEPLOY_GVK, T0)
        first["metadata"]["labels"]["extra"] = "1"
        cfg = deployment()
        del cfg["spec"]["replicas"]
        second = P.apply(first, cfg, "kubectl", False, DEPLOY_GVK, T1)
        self.assertNotIn("replicas", second["spec"])
        self.assertEqual(second["spec"]["template"]["spec"]["containers"][0]["env"], [{"name": "A", "value": "1"}])
        # fields nobody applied (set by someone else without ownership) stay
        self.assertEqual(second["metadata"]["labels"], {"app": "web", "extra": "1"})
        self.assertEqual(mf_entry(second, "kubectl")["time"], T1)

    def test_removed_field_kept_when_other_manager_owns_it(self):
        a = P.apply(None, deployment(), "alice", False, DEPLOY_GVK, T0)
        b = P.apply(a, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                        "spec": {"replicas": 2}}, "bob", False, DEPLOY_GVK, T1)
        # same value: shared ownership, no conflict
        self.assertIn("f:replicas", mf_entry(b, "alice")["fieldsV1"]["f:spec"])
        self.assertIn("f:replicas", mf_entry(b, "bob")["fieldsV1"]["f:spec"])
        cfg = deployment()
        del cfg["spec"]["replicas"]
        c = P.apply(b, cfg, "alice", False, DEPLOY_GVK, T2)
        self.assertEqual(c["spec"]["replicas"], 2)
        self.assertNotIn("f:replicas", mf_entry(c, "alice")["fieldsV1"]["f:spec"])

    def test_conflict_with_update_manager(self):
        created = P.track_update(None, deployment(), "kubectl-client-side-apply", "Update", T0)
        with self.assertRaises(ApiError) as cm:
            P.apply(created, deployment(replicas=3), "kubectl", False, DEPLOY_GVK, T1)
        e = cm.exception
        self.assertEqual((e.code, e.reason), (409, "Conflict"))
        self.assertEqual(e.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" '
                                    'using apps/v1: .spec.replicas')
        self.assertEqual(e.details, {"causes": [{"reason": "FieldManagerConflict",
                                                 "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
                                                 "field": ".spec.replicas"}]})
        self.assertEqual(e.status()["details"]["causes"][0]["field"], ".spec.replicas")

    def test_conflicts_with_apply_manager_and_several_fields(self):
        a = P.apply(None, deployment(), "alice", False, DEPLOY_GVK, T0)
        with self.assertRaises(ApiError) as cm:
            P.apply(a, deployment(replicas=9, image="nginx:2"), "bob", False, DEPLOY_GVK, T1)
        e = cm.exception
        self.assertEqual(e.message, 'Apply failed with 2 conflicts: conflicts with "alice":\n'
                                    '- .spec.replicas\n'
                                    '- .spec.template.spec.containers[name="nginx"].image')
        self.assertEqual([c["message"] for c in e.details["causes"]], ['conflict with "alice"'] * 2)
        self.assertEqual([c["field"] for c in e.details["causes"]],
                         [".spec.replicas", '.spec.template.spec.containers[name="nginx"].image'])

    def test_conflicts_grouped_by_sorted_manager_identifier(self):
        a = P.apply(None, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                           "data": {"x": "1"}}, "zed", False, CM_GVK, T0)
        b = P.apply(a, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                        "data": {"y": "1"}}, "amy", False, CM_GVK, T1)
        with self.assertRaises(ApiError) as cm:
            P.apply(b, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                        "data": {"x": "2", "y": "2"}}, "bob", False, CM_GVK, T2)
        self.assertEqual(cm.exception.message, 'Apply failed with 2 conflicts: conflicts with "amy":\n- .data.y\n'
                                               'conflicts with "zed":\n- .data.x')
        self.assertEqual(P.manager_identifier({"manager": "m", "operation": "Update", "apiVersion": "v1",
                                               "subresource": "status"}),
                         '{"manager":"m","operation":"Update","apiVersion":"v1","subresource":"status"}')
        self.assertEqual(P.manager_identifier({"manager": "m", "operation": "Apply", "apiVersion": "v1"}),
                         '{"manager":"m","operation":"Apply"}')

    def test_conflict_names_subresource(self):
        gvk = ("example.com", "v1", "Widget")
        cr = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 1}}
        created = P.track_update(None, cr, "ctl", "Update", T0)
        st = copy.deepcopy(created)
        st["status"] = {"ready": 1}
        out = P.track_update(created, st, "ctl", "Update", T1, "status")
        self.assertEqual(mf_entry(out, "ctl", "Update")["fieldsV1"], {"f:spec": {".": {}, "f:size": {}}})
        cfg = copy.deepcopy(cr)
        cfg["status"] = {"ready": 2}
        with self.assertRaises(ApiError) as cm:
            P.apply(out, cfg, "kubectl", False, gvk, T2)
        self.assertEqual(cm.exception.message, 'Apply failed with 1 conflict: conflict with "ctl" with subresource '
                                               '"status" using example.com/v1: .status.ready')

    def test_force_takes_ownership(self):
        created = P.track_update(None, deployment(), "kubectl-client-side-apply", "Update", T0)
        out = P.apply(created, deployment(replicas=3), "kubectl", True, DEPLOY_GVK, T1)
        self.assertEqual(out["spec"]["replicas"], 3)
        self.assertNotIn("f:replicas", mf_entry(out, "kubectl-client-side-apply")["fieldsV1"]["f:spec"])
        self.assertIn("f:replicas", mf_entry(out, "kubectl", "Apply")["fieldsV1"]["f:spec"])
        # Apply entries sort before Update entries
        self.assertEqual([e["operation"] for e in out["metadata"]["managedFields"]], ["Apply", "Update"])

    def test_list_map_key_defaults(self):
        # structured-merge-diff keys a port without protocol with its schema default "TCP", so a re-apply
        # matches the (defaulted) live item instead of adding a second one.
        cfg = deployment()
        del cfg["spec"]["template"]["spec"]["containers"][0]["ports"][0]["protocol"]
        first = P.apply(None, cfg, "kubectl", False, DEPLOY_GVK, T0)
        ports = mf_entry(first, "kubectl")["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"][
            'k:{"name":"nginx"}']["f:ports"]
        self.assertEqual(list(ports), ['k:{"containerPort":80,"protocol":"TCP"}'])
        first["spec"]["template"]["spec"]["containers"][0]["ports"][0]["protocol"] = "TCP"  # server defaulting
        second = P.apply(first, cfg, "kubectl", False, DEPLOY_GVK, T1)
        self.assertEqual(second["spec"]["template"]["spec"]["containers"][0]["ports"],
                         [{"containerPort": 80, "protocol": "TCP"}])

    def test_two_managers_own_different_containers(self):
        a = P.apply(None, deployment(), "alice", False, DEPLOY_GVK, T0)
        side = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                "spec": {"template": {"spec": {"containers": [{"name": "proxy", "image": "envoy"}]}}}}
        b = P.apply(a, side, "bob", False, DEPLOY_GVK, T1)
        self.assertEqual([c["name"] for c in b["spec"]["template"]["spec"]["containers"]], ["nginx", "proxy"])
        # bob stops applying the sidecar: it goes, alice's container stays
        side["spec"]["template"]["spec"]["containers"] = []
        c = P.apply(b, side, "bob", False, DEPLOY_GVK, T2)
        self.assertEqual([x["name"] for x in c["spec"]["template"]["spec"]["containers"]], ["nginx"])

    def test_noop_apply_keeps_time(self):
        a = P.apply(None, deployment(), "kubectl", False, DEPLOY_GVK, T0)
        b = P.apply(a, deployment(), "kubectl", False, DEPLOY_GVK, T1)
        self.assertEqual(b, a)

    def test_configmap_data_and_crd_like_unknown_kind(self):
        cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1", "b": "2"}}
        out = P.apply(None, cm, "m", False, CM_GVK, T0)
        self.assertEqual(mf_entry(out, "m")["fieldsV1"], {"f:data": {"f:a": {}, "f:b": {}}})
        cr = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
              "spec": {"size": 3, "tags": ["a", "b"]}}
        out = P.apply(None, cr, "m", False, ("example.com", "v1", "Widget"), T0)
        self.assertEqual(mf_entry(out, "m")["fieldsV1"], {"f:spec": {"f:size": {}, "f:tags": {}}})
        cr2 = copy.deepcopy(cr)
        cr2["spec"]["tags"] = ["c"]
        out2 = P.apply(out, cr2, "m", False, ("example.com", "v1", "Widget"), T1)
        self.assertEqual(out2["spec"]["tags"], ["c"])  # lists of custom resources are atomic

    def test_status_not_owned_on_main_resource(self):
        cfg = deployment()
        cfg["status"] = {"replicas": 1}
        out = P.apply(None, cfg, "m", False, DEPLOY_GVK, T0)
        self.assertNotIn("f:status", mf_entry(out, "m")["fieldsV1"])


WIDGET_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {
            "size": {"type": "integer"},
            "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                      "items": {"type": "object", "properties": {"name": {"type": "string"},
                                                                 "port": {"type": "integer"}}}},
            "tags": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
            "args": {"type": "array", "items": {"type": "string"}},
            "selector": {"type": "object", "x-kubernetes-map-type": "atomic",
                         "additionalProperties": {"type": "string"}},
            "env": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        }},
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}
WIDGET_GVK = ("example.com", "v1", "Widget")


def widget(**spec):
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": spec}


class CustomResourceSchemas(unittest.TestCase):
    def test_apply_fields_follow_the_schema(self):
        w = widget(size=1, ports=[{"name": "http", "port": 80}], tags=["a", "b"], args=["x"],
                   selector={"app": "w"}, env={"A": "1"}, free={"x": {"y": 1}})
        out = P.apply(None, w, "m", False, WIDGET_GVK, T0, schema=WIDGET_SCHEMA)
        self.assertEqual(mf_entry(out, "m")["fieldsV1"], {"f:spec": {
            "f:args": {}, "f:env": {"f:A": {}}, "f:free": {"f:x": {".": {}, "f:y": {}}},
            "f:ports": {'k:{"name":"http"}': {".": {}, "f:name": {}, "f:port": {}}},
            "f:selector": {}, "f:size": {}, "f:tags": {'v:"a"': {}, 'v:"b"': {}}}})

    def test_two_managers_share_a_map_list(self):
        a = P.apply(None, widget(ports=[{"name": "http", "port": 80}], tags=["a"]), "alice", False, WIDGET_GVK,
                    T0, schema=WIDGET_SCHEMA)
        b = P.apply(a, widget(ports=[{"name": "metrics", "port": 9090}], tags=["b"]), "bob", False, WIDGET_GVK,
                    T1, schema=WIDGET_SCHEMA)
        self.assertEqual(b["spec"]["ports"], [{"name": "http", "port": 80}, {"name": "metrics", "port": 9090}])
        self.assertEqual(b["spec"]["tags"], ["a", "b"])
        c = P.apply(b, widget(ports=[], tags=[]), "bob", False, WIDGET_GVK, T2, schema=WIDGET_SCHEMA)
        self.assertEqual(c["spec"]["ports"], [{"name": "http", "port": 80}])
        self.assertEqual(c["spec"]["tags"], ["a"])
        with self.assertRaises(ApiError) as cm:
            P.apply(c, widget(ports=[{"name": "http", "port": 8080}]), "bob", False, WIDGET_GVK, T3,
                    schema=WIDGET_SCHEMA)
        self.assertEqual(cm.exception.message,
                         'Apply failed with 1 conflict: conflict with "alice": .spec.ports[name="http"].port')

    def test_track_update_on_create_marks_spec(self):
        out = P.track_update(None, widget(size=2, env={"A": "1"}), "kubectl-create", "Update", T0,
                             schema=WIDGET_SCHEMA)
        self.assertEqual(mf_entry(out, "kubectl-create")["fieldsV1"],
                         {"f:spec": {".": {}, "f:env": {".": {}, "f:A": {}}, "f:size": {}}})

    def test_status_subresource_resets_status_ownership(self):
        w = widget(size=1)
        w["status"] = {"ready": True}
        out = P.apply(None, w, "m", False, WIDGET_GVK, T0, schema=WIDGET_SCHEMA, status_subresource=True)
        self.assertNotIn("f:status", mf_entry(out, "m")["fieldsV1"])
        out = P.apply(None, w, "m", False, WIDGET_GVK, T0, schema=WIDGET_SCHEMA, status_subresource=False)
        self.assertEqual(mf_entry(out, "m")["fieldsV1"]["f:status"], {"f:ready": {}})
        st = P.apply(out, w, "ctl", False, WIDGET_GVK, T1, schema=WIDGET_SCHEMA, status_subresource=True,
                     subresource="status")
        e = mf_entry(st, "ctl")
        self.assertEqual((e["subresource"], e["fieldsV1"]), ("status", {"f:status": {"f:ready": {}}}))

    def test_crd_options(self):
        crd = {"spec": {"versions": [{"name": "v1", "schema": {"openAPIV3Schema": WIDGET_SCHEMA},
                                      "subresources": {"status": {}}},
                                     {"name": "v2", "schema": {"openAPIV3Schema": {"type": "object"}}}]}}
        self.assertEqual(P.crd_options(crd, "v1"), {"schema": WIDGET_SCHEMA, "status_subresource": True})
        self.assertEqual(P.crd_options(crd, "v2"), {"schema": {"type": "object"}, "status_subresource": False})
        self.assertEqual(P.crd_options(None, "v1"), {})
        w = widget(ports=[{"name": "a", "port": 1}])
        out = P.apply(None, w, "m", False, WIDGET_GVK, T0, **P.crd_options(crd, "v1"))
        self.assertIn('k:{"name":"a"}', mf_entry(out, "m")["fieldsV1"]["f:spec"]["f:ports"])

    def test_cert_manager_certificate_schema(self):
        path = os.path.join(shared_dir(), "testdata", "crds", "cert-manager.io_certificates.yaml")
        if not os.path.exists(path):
            self.skipTest("%s not found (set KUBE_SHARED_DIR)" % path)
        import yaml
        with open(path) as fh:
            crd = yaml.safe_load(fh)
        schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
        cert = {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "c"},
                "spec": {"secretName": "s", "dnsNames": ["a.example"], "issuerRef": {"name": "i"}},
                "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
        out = P.apply(None, cert, "m", False, ("cert-manager.io", "v1", "Certificate"), T0, schema=schema,
                      status_subresource=False)
        f = mf_entry(out, "m")["fieldsV1"]
        self.assertEqual(f["f:spec"]["f:dnsNames"], {})
        self.assertEqual(f["f:spec"]["f:issuerRef"], {"f:name": {}})
        self.assertEqual(f["f:status"]["f:conditions"], {'k:{"type":"Ready"}': {".": {}, "f:status": {},
                                                                                  "f:type": {}}})


class FieldManagerWrappers(unittest.TestCase):
    def test_before_first_apply(self):
        live = deployment()
        live["metadata"]["uid"] = "u"
        with self.assertRaises(ApiError) as cm:
            P.apply(live, deployment(replicas=5), "ssa", False, DEPLOY_GVK, T1)
        self.assertEqual(cm.exception.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" '
                                               'using apps/v1: .spec.replicas')
        out = P.apply(live, deployment(), "ssa", False, DEPLOY_GVK, T1)
        managers = [(e["manager"], e["operation"]) for e in out["metadata"]["managedFields"]]
        self.assertEqual(managers, [("ssa", "Apply"), ("before-first-apply", "Update")])

    def csa_object(self, replicas=2):
        cfg = deployment(replicas=replicas)
        obj = copy.deepcopy(cfg)
        obj["metadata"]["annotations"] = {P.LAST_APPLIED: json.dumps(cfg, sort_keys=True) + "\n"}
        return P.track_update(None, obj, "kubectl-client-side-apply", "Update", T0)

    def test_kubectl_takes_over_fields_matching_last_applied(self):
        live = self.csa_object()
        out = P.apply(live, deployment(replicas=3), "kubectl", False, DEPLOY_GVK, T1)
        self.assertEqual(out["spec"]["replicas"], 3)
        self.assertNotIn("f:replicas", mf_entry(out, "kubectl-client-side-apply")["fieldsV1"]["f:spec"])
        last = json.loads(out["metadata"]["annotations"][P.LAST_APPLIED])
        self.assertEqual(last["spec"]["replicas"], 3)  # lastAppliedUpdater keeps the annotation in sync
        self.assertTrue(out["metadata"]["annotations"][P.LAST_APPLIED].endswith("\n"))

    def test_only_manager_kubectl_gets_the_upgrade(self):
        with self.assertRaises(ApiError) as cm:
            P.apply(self.csa_object(), deployment(replicas=3), "my-tool", False, DEPLOY_GVK, T1)
        self.assertIn('conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas', cm.exception.message)

    def test_fields_changed_since_last_apply_still_conflict(self):
        live = self.csa_object()
        edited = copy.deepcopy(live)
        edited["spec"]["replicas"] = 7
        live = P.track_update(live, edited, "kubectl-client-side-apply", "Update", T1)
        with self.assertRaises(ApiError) as cm:
            P.apply(live, deployment(replicas=3), "kubectl", False, DEPLOY_GVK, T2)
        self.assertEqual(cm.exception.message, 'Apply failed with 1 conflict: conflict with '
                                               '"kubectl-client-side-apply" using apps/v1: .spec.replicas')


class CapUpdateManagers(unittest.TestCase):
    def test_oldest_updates_merge_into_ancient_changes(self):
        obj = P.track_update(None, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                    "data": {"k0": "v"}}, "m00", "Update", "2024-05-01T10:00:00Z")
        for i in range(1, 12):
            new = copy.deepcopy(obj)
            new["data"]["k%d" % i] = "v"
            obj = P.track_update(obj, new, "m%02d" % i, "Update", "2024-05-01T10:%02d:00Z" % i)
        managers = [e["manager"] for e in obj["metadata"]["managedFields"]]
        self.assertEqual(len(managers), 10)
        self.assertEqual(managers[0], "ancient-changes")
        self.assertEqual(managers[1:], ["m%02d" % i for i in range(3, 12)])
        ancient = obj["metadata"]["managedFields"][0]
        self.assertEqual(ancient["fieldsV1"], {"f:data": {".": {}, "f:k0": {}, "f:k1": {}, "f:k2": {}}})
        self.assertEqual(ancient["time"], "2024-05-01T10:02:00Z")
        self.assertEqual((ancient["operation"], ancient["apiVersion"]), ("Update", "v1"))

    def test_apply_entries_do_not_count(self):
        obj = P.apply(None, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}},
                      "ssa", False, CM_GVK, T0)
        for i in range(10):
            new = copy.deepcopy(obj)
            new["data"]["k%d" % i] = "v"
            obj = P.track_update(obj, new, "m%d" % i, "Update", T1)
        self.assertEqual(len(obj["metadata"]["managedFields"]), 11)


if __name__ == "__main__":
    unittest.main()
