"""Unit tests for kube_emulator.schema: CRD structural pruning, defaulting,
fieldValidation reporting, OpenAPI value validation and its 422 wording, CRD
validation and defaulting (with real CRDs from ../shared/testdata/crds)."""

import copy
import glob
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kube_emulator import schema as S  # noqa: E402
from kube_emulator.errors import ApiError  # noqa: E402


def shared_dir():
    d = os.environ.get("KUBE_SHARED_DIR")
    if d:
        return d
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")


def crd_file(name):
    path = os.path.join(shared_dir(), "testdata", "crds", name)
    if not os.path.exists(path):
        raise unittest.SkipTest("%s not found (set KUBE_SHARED_DIR)" % path)
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path) as fh:
        return [d for d in yaml.load_all(fh, Loader=loader) if d]


WIDGET_SCHEMA = {
    "type": "object",
    "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
        "spec": {
            "type": "object",
            "required": ["size"],
            "properties": {
                "size": {"type": "integer", "minimum": 1, "maximum": 10, "format": "int32"},
                "color": {"type": "string", "enum": ["red", "blue"], "default": "red"},
                "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
                "port": {"x-kubernetes-int-or-string": True,
                         "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "tags": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "string"}},
                "limits": {"type": "object", "additionalProperties": {"type": "string"}},
                "nested": {"type": "object", "default": {},
                           "properties": {"mode": {"type": "string", "default": "auto"},
                                          "level": {"type": "integer", "default": 3},
                                          "note": {"type": "string", "nullable": True}}},
                "retries": {"type": "integer", "default": 2},
                "optional": {"type": "string"},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                         "properties": {"known": {"type": "object", "properties": {"a": {"type": "string"}}}}},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                             "properties": {"spec": {"type": "object", "properties": {"x": {"type": "string"}}}}},
                "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
            },
        },
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}
VERSION = {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": WIDGET_SCHEMA}}


def widget(**spec):
    s = {"size": 3}
    s.update(spec)
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1", "namespace": "default"},
            "spec": s}


class Pruning(unittest.TestCase):
    def test_unknown_fields_strict(self):
        obj = widget(bogus=1, items=[{"id": "a", "x": 1}], nested={"mode": "m", "zzz": True})
        obj["extra"] = "top"
        obj["metadata"]["unknownMeta"] = 1
        with self.assertRaises(ApiError) as cm:
            S.process_custom_resource(obj, VERSION, "Strict", None)
        e = cm.exception
        self.assertEqual((e.code, e.reason), (400, "BadRequest"))
        self.assertEqual(e.message, 'strict decoding error: unknown field "extra", '
                                    'unknown field "metadata.unknownMeta", '
                                    'unknown field "spec.bogus", unknown field "spec.items[0].x", '
                                    'unknown field "spec.nested.zzz"')

    def test_unknown_fields_warn_and_ignore(self):
        obj = widget(bogus=1)
        out, warnings = S.process_custom_resource(obj, VERSION, "Warn", None)
        self.assertEqual(warnings, ['unknown field "spec.bogus"'])
        self.assertNotIn("bogus", out["spec"])
        out, warnings = S.process_custom_resource(obj, VERSION, "Ignore", None)
        self.assertEqual(warnings, [])
        self.assertNotIn("bogus", out["spec"])
        self.assertIn("bogus", obj["spec"])  # input untouched

    def test_root_keeps_type_and_metadata(self):
        obj = widget()
        obj["metadata"]["labels"] = {"a": "b"}
        out, _ = S.process_custom_resource(obj, VERSION, "Strict", None)
        self.assertEqual((out["apiVersion"], out["kind"]), ("example.com/v1", "Widget"))
        self.assertEqual(out["metadata"], obj["metadata"])

    def test_additional_properties_and_preserve_unknown(self):
        obj = widget(limits={"cpu": "1", "memory": "1Gi"},
                     free={"anything": {"deep": [1, 2]}, "known": {"a": "x", "b": "pruned"}})
        out, warnings = S.process_custom_resource(obj, VERSION, "Warn", None)
        self.assertEqual(out["spec"]["limits"], {"cpu": "1", "memory": "1Gi"})
        self.assertEqual(out["spec"]["free"], {"anything": {"deep": [1, 2]}, "known": {"a": "x"}})
        self.assertEqual(warnings, ['unknown field "spec.free.known.b"'])

    def test_embedded_resource(self):
        obj = widget(template={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "t", "junk": 1},
                               "spec": {"x": "1", "y": "2"}, "other": 3})
        out, warnings = S.process_custom_resource(obj, VERSION, "Warn", None)
        self.assertEqual(out["spec"]["template"], {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "t"},
                                                   "spec": {"x": "1"}})
        self.assertEqual(warnings, ['unknown field "spec.template.metadata.junk"',
                                    'unknown field "spec.template.other"',
                                    'unknown field "spec.template.spec.y"'])


class Defaults(unittest.TestCase):
    def test_nested_defaults(self):
        out, _ = S.process_custom_resource(widget(), VERSION, "Strict", None)
        self.assertEqual(out["spec"]["color"], "red")
        self.assertEqual(out["spec"]["retries"], 2)
        # the object default {} is itself defaulted
        self.assertEqual(out["spec"]["nested"], {"mode": "auto", "level": 3})

    def test_given_values_win(self):
        out, _ = S.process_custom_resource(widget(color="blue", nested={"level": 7}), VERSION, "Strict", None)
        self.assertEqual(out["spec"]["color"], "blue")
        self.assertEqual(out["spec"]["nested"], {"level": 7, "mode": "auto"})

    def test_nulls(self):
        out, _ = S.process_custom_resource(widget(retries=None, optional=None, nested={"note": None}),
                                           VERSION, "Strict", None)
        self.assertEqual(out["spec"]["retries"], 2)        # non-nullable null with a default: defaulted
        self.assertNotIn("optional", out["spec"])          # non-nullable null without default: dropped
        self.assertIsNone(out["spec"]["nested"]["note"])   # nullable: kept

    def test_default_values_only(self):
        out = S.default_values({"spec": {"size": 1}}, WIDGET_SCHEMA)
        self.assertEqual(out["spec"]["color"], "red")

    def test_httproute_array_and_object_defaults(self):
        crd = crd_file("gateway.networking.k8s.io_httproutes.yaml")[0]
        v1 = [v for v in crd["spec"]["versions"] if v["name"] == "v1"][0]
        obj = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": "r"},
               "spec": {"parentRefs": [{"name": "gw"}], "rules": [{"backendRefs": [{"name": "svc", "port": 80}]}]}}
        out, warnings = S.process_custom_resource(obj, v1, "Strict", None)
        self.assertEqual(warnings, [])
        self.assertEqual(out["spec"]["parentRefs"], [{"name": "gw", "group": "gateway.networking.k8s.io",
                                                      "kind": "Gateway"}])
        self.assertEqual(out["spec"]["rules"][0]["matches"], [{"path": {"type": "PathPrefix", "value": "/"}}])
        self.assertEqual(out["spec"]["rules"][0]["backendRefs"][0],
                         {"name": "svc", "port": 80, "group": "", "kind": "Service", "weight": 1})
        out, _ = S.process_custom_resource(dict(obj, spec={}), v1, "Strict", None)
        self.assertEqual(out["spec"], {"rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}]})


class Validation(unittest.TestCase):
    def invalid(self, obj):
        with self.assertRaises(ApiError) as cm:
            S.process_custom_resource(obj, VERSION, "Strict", None)
        e = cm.exception
        self.assertEqual((e.code, e.reason), (422, "Invalid"))
        return e

    def test_required(self):
        obj = widget()
        del obj["spec"]["size"]
        e = self.invalid(obj)
        self.assertEqual(e.message, 'Widget.example.com "w1" is invalid: spec.size: Required value')
        self.assertEqual(e.details, {"name": "w1", "group": "example.com", "kind": "Widget",
                                     "causes": [{"reason": "FieldValueRequired", "message": "Required value",
                                                 "field": "spec.size"}]})

    def test_type(self):
        e = self.invalid(widget(size="three"))
        self.assertEqual(e.message, 'Widget.example.com "w1" is invalid: spec.size: Invalid value: "string": '
                                    'spec.size in body must be of type integer: "string"')
        self.assertEqual(e.details["causes"][0]["reason"], "FieldValueTypeInvalid")

    def test_enum(self):
        e = self.invalid(widget(color="green"))
        self.assertEqual(e.details["causes"], [{"reason": "FieldValueNotSupported",
                                                "message": 'Unsupported value: "green": supported values: '
                                                           '"red", "blue"',
                                                "field": "spec.color"}])

    def test_minimum_maximum(self):
        e = self.invalid(widget(size=0))
        self.assertEqual(e.message, 'Widget.example.com "w1" is invalid: spec.size: Invalid value: 0: spec.size in '
                                    'body should be greater than or equal to 1')
        e = self.invalid(widget(size=11))
        self.assertEqual(e.details["causes"][0]["message"],
                         "Invalid value: 11: spec.size in body should be less than or equal to 10")

    def test_string_constraints(self):
        e = self.invalid(widget(name="toolong"))
        self.assertEqual(e.details["causes"], [{"reason": "FieldValueTooLong",
                                                "message": "Too long: may not be longer than 5",
                                                "field": "spec.name"}])
        e = self.invalid(widget(name=""))
        self.assertIn({"reason": "FieldValueInvalid",
                       "message": 'Invalid value: "": spec.name in body should be at least 1 chars long',
                       "field": "spec.name"}, e.details["causes"])
        e = self.invalid(widget(name="AB"))
        self.assertEqual(e.details["causes"][0]["message"],
                         "Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'")

    def test_array_constraints(self):
        e = self.invalid(widget(tags=[]))
        self.assertEqual(e.details["causes"][0]["message"],
                         "Invalid value: 0: spec.tags in body should have at least 1 items")
        e = self.invalid(widget(tags=["a", "b", "c", "d"]))
        self.assertEqual(e.details["causes"], [{"reason": "FieldValueTooMany",
                                                "message": "Too many: 4: must have at most 3 items",
                                                "field": "spec.tags"}])
        e = self.invalid(widget(tags=["a", 5]))
        self.assertEqual(e.details["causes"][0]["field"], "spec.tags[1]")

    def test_nullable_and_int_or_string(self):
        e = self.invalid(widget(size=None))
        # size is required and non-nullable: the null is dropped, then it is missing
        self.assertEqual(e.details["causes"][0]["reason"], "FieldValueRequired")
        for port in (8080, "http"):
            out, _ = S.process_custom_resource(widget(port=port), VERSION, "Strict", None)
            self.assertEqual(out["spec"]["port"], port)
        e = self.invalid(widget(port=True))
        self.assertEqual(e.details["causes"][0]["message"],
                         'Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"')

    def test_int32_range(self):
        e = self.invalid(widget(size=2 ** 40))
        self.assertEqual(e.details["causes"][-1]["field"], "spec.size")

    def test_several_errors_are_bracketed(self):
        e = self.invalid(widget(size=0, color="green"))
        self.assertEqual(e.message, 'Widget.example.com "w1" is invalid: [spec.color: Unsupported value: "green": '
                                    'supported values: "red", "blue", spec.size: Invalid value: 0: spec.size in body '
                                    'should be greater than or equal to 1]')
        self.assertEqual(len(e.details["causes"]), 2)

    def test_status_validated_too(self):
        obj = widget()
        obj["status"] = {"ready": "yes"}
        e = self.invalid(obj)
        self.assertEqual(e.details["causes"][0]["field"], "status.ready")

    def test_cert_manager_certificate(self):
        crd = crd_file("cert-manager.io_certificates.yaml")[0]
        v1 = crd["spec"]["versions"][0]
        cert = {"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
                "metadata": {"name": "site", "namespace": "default"},
                "spec": {"secretName": "site-tls", "issuerRef": {"name": "le", "kind": "ClusterIssuer"},
                         "dnsNames": ["example.com"], "usages": ["digital signature", "key encipherment"],
                         "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always", "x": 1},
                         "duration": "2160h"},
                "status": {"conditions": [{"type": "Ready", "status": "True", "extra": "no"}]}}
        out, warnings = S.process_custom_resource(cert, v1, "Warn", crd["spec"]["versions"][0].get("subresources"))
        self.assertEqual(warnings, ['unknown field "spec.privateKey.x"', 'unknown field "status.conditions[0].extra"'])
        self.assertEqual(out["spec"]["privateKey"], {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"})
        bad = copy.deepcopy(cert)
        bad["spec"]["usages"] = ["signing", "teleport"]
        del bad["spec"]["issuerRef"]
        with self.assertRaises(ApiError) as cm:
            S.process_custom_resource(bad, v1, "Ignore", None)
        fields = [c["field"] for c in cm.exception.details["causes"]]
        self.assertEqual(fields, ["spec.issuerRef", "spec.usages[1]"])
        self.assertTrue(cm.exception.message.startswith('Certificate.cert-manager.io "site" is invalid: ['))


def good_crd():
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "widgets", "kind": "Widget"},
                     "versions": [VERSION, {"name": "v2", "served": True, "storage": False,
                                            "schema": {"openAPIV3Schema": {"type": "object"}}}]}}


class CRDValidation(unittest.TestCase):
    def invalid(self, crd):
        with self.assertRaises(ApiError) as cm:
            S.validate_crd(crd)
        e = cm.exception
        self.assertEqual((e.code, e.reason, e.details["kind"], e.details["group"]),
                         (422, "Invalid", "CustomResourceDefinition", "apiextensions.k8s.io"))
        return e

    def test_valid(self):
        self.assertIsNone(S.validate_crd(good_crd()))

    def test_name_must_match(self):
        crd = good_crd()
        crd["metadata"]["name"] = "gadgets.example.com"
        e = self.invalid(crd)
        self.assertEqual(e.message, 'CustomResourceDefinition.apiextensions.k8s.io "gadgets.example.com" is invalid: '
                                    'metadata.name: Invalid value: "gadgets.example.com": must be '
                                    'spec.names.plural+"."+spec.group')

    def test_group_needs_dot(self):
        crd = good_crd()
        crd["spec"]["group"] = "example"
        crd["metadata"]["name"] = "widgets.example"
        e = self.invalid(crd)
        self.assertEqual(e.details["causes"], [{"reason": "FieldValueInvalid", "field": "spec.group",
                                                "message": 'Invalid value: "example": should be a domain with at '
                                                           'least one dot'}])

    def test_scope(self):
        crd = good_crd()
        crd["spec"]["scope"] = "Global"
        e = self.invalid(crd)
        self.assertEqual(e.details["causes"][0]["message"],
                         'Unsupported value: "Global": supported values: "Cluster", "Namespaced"')

    def test_exactly_one_storage_version(self):
        crd = good_crd()
        crd["spec"]["versions"][1]["storage"] = True
        e = self.invalid(crd)
        self.assertEqual(e.details["causes"][0]["field"], "spec.versions")
        self.assertTrue(e.details["causes"][0]["message"].endswith(
            ": must have exactly one version marked as storage version"))
        crd["spec"]["versions"] = []
        self.invalid(crd)

    def test_missing_schema(self):
        crd = good_crd()
        del crd["spec"]["versions"][1]["schema"]
        e = self.invalid(crd)
        self.assertEqual(e.details["causes"], [{"reason": "FieldValueRequired",
                                                "message": "Required value: schemas are required",
                                                "field": "spec.versions[1].schema.openAPIV3Schema"}])

    def test_real_crds_are_valid(self):
        n = 0
        for path in sorted(glob.glob(os.path.join(shared_dir(), "testdata", "crds", "*.yaml"))):
            if path.endswith("alertmanagerconfigs.full.yaml"):
                continue  # YAML 1.1 loaders reject its unquoted '=' enum value (see the folder README)
            for crd in crd_file(os.path.basename(path)):
                if crd.get("kind") != "CustomResourceDefinition":
                    continue
                with self.subTest(crd=crd["metadata"]["name"]):
                    S.validate_crd(crd)
                    n += 1
        if n == 0:
            self.skipTest("no CRDs in %s" % shared_dir())
        self.assertGreaterEqual(n, 20)


class CRDDefaults(unittest.TestCase):
    def test_defaults_and_status(self):
        crd = good_crd()
        out = S.default_crd(crd)
        self.assertEqual(out["spec"]["names"], {"plural": "widgets", "kind": "Widget", "singular": "widget",
                                                "listKind": "WidgetList"})
        self.assertEqual(out["spec"]["conversion"], {"strategy": "None"})
        self.assertEqual(out["status"], {"conditions": [], "acceptedNames": {"plural": "", "kind": ""},
                                         "storedVersions": ["v1"]})
        self.assertNotIn("status", crd)  # input untouched

    def test_given_names_kept(self):
        crd = good_crd()
        crd["spec"]["names"].update({"singular": "wdg", "listKind": "Widgets"})
        crd["status"] = {"storedVersions": ["v0"], "conditions": [{"type": "Established", "status": "True"}]}
        out = S.default_crd(crd)
        self.assertEqual((out["spec"]["names"]["singular"], out["spec"]["names"]["listKind"]), ("wdg", "Widgets"))
        self.assertEqual(out["status"]["storedVersions"], ["v1"])
        self.assertEqual(out["status"]["conditions"], [])


class Composition(unittest.TestCase):
    SCHEMA = {"type": "object", "properties": {"spec": {
        "type": "object",
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
        "properties": {
            "a": {"type": "string"}, "b": {"type": "string"},
            "o": {"type": "object", "oneOf": [{"required": ["x"]}, {"required": ["y"]}],
                  "properties": {"x": {"type": "string"}, "y": {"type": "string"}}},
            "n": {"type": "string", "not": {"enum": ["forbidden"]}},
            "ip": {"type": "string", "format": "ipv4"},
            "when": {"type": "string", "format": "date-time"},
        }}}}

    def run_spec(self, spec):
        obj = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": spec}
        return S.process_custom_resource(obj, self.SCHEMA, "Strict", None)[0]

    def error(self, spec):
        with self.assertRaises(ApiError) as cm:
            self.run_spec(spec)
        return cm.exception

    def test_valid(self):
        self.assertEqual(self.run_spec({"a": "1", "o": {"x": "1"}, "n": "ok", "ip": "10.0.0.1",
                                        "when": "2024-05-01T10:00:00Z"})["spec"]["ip"], "10.0.0.1")

    def test_any_of(self):
        e = self.error({"o": {"x": "1"}})
        self.assertEqual(e.details["causes"][0], {"reason": "FieldValueInvalid", "field": "spec",
                                                  "message": 'Invalid value: "": spec must validate at least one '
                                                             'schema (anyOf)'})

    def test_one_of(self):
        e = self.error({"a": "1", "o": {"x": "1", "y": "2"}})
        self.assertEqual(e.details["causes"][0]["message"], 'Invalid value: "": spec.o must validate one and only '
                                                            'one schema (oneOf). Found 2 valid alternatives')

    def test_not(self):
        e = self.error({"a": "1", "n": "forbidden"})
        self.assertEqual(e.details["causes"][0]["message"],
                         'Invalid value: "": spec.n must not validate the schema (not)')

    def test_formats(self):
        e = self.error({"a": "1", "ip": "10.0.0", "when": "yesterday"})
        self.assertEqual([c["message"] for c in e.details["causes"]],
                         ['Invalid value: "10.0.0": spec.ip in body must be of type ipv4: "10.0.0"',
                          'Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'])
        self.assertEqual({c["reason"] for c in e.details["causes"]}, {"FieldValueTypeInvalid"})


if __name__ == "__main__":
    unittest.main()
