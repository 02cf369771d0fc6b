"""Label and field selectors with kube-apiserver's grammar (apimachinery labels/fields)."""
import re

from .errors import ApiError

_KEY_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$")
_DNS1123_SUB = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _bad(msg):
    return ApiError(400, "BadRequest", msg)


def _check_key(key):
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS1123_SUB.match(prefix)):
        raise _bad("unable to parse requirement: values[0][%s]: Invalid value: %r: prefix part must be "
                   "a valid DNS subdomain" % (key, key))
    if not name or len(name) > 63 or not _KEY_NAME.match(name):
        raise _bad("unable to parse requirement: key: Invalid value: \"%s\": name part must consist of "
                   "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                   "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                   "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" % key)


def _check_value(v):
    if len(v) > 63 or not _VALUE.match(v):
        raise _bad("unable to parse requirement: values[0]: Invalid value: \"%s\": a valid label must be an "
                   "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
                   "end with an alphanumeric character" % v)


# ---- lexer (mirrors labels/selector.go token classes) ----
_SPECIAL = "=!(),<>"


def _lex(s):
    toks = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        if c in _SPECIAL:
            two = s[i:i + 2]
            if two in ("==", "!="):
                toks.append(("op", two))
                i += 2
                continue
            if c in "=<>":
                toks.append(("op", c))
            elif c == "!":
                toks.append(("not", c))
            elif c == "(":
                toks.append(("(", c))
            elif c == ")":
                toks.append((")", c))
            elif c == ",":
                toks.append((",", c))
            i += 1
            continue
        j = i
        while j < n and not s[j].isspace() and s[j] not in _SPECIAL:
            j += 1
        word = s[i:j]
        if word == "in":
            toks.append(("in", word))
        elif word == "notin":
            toks.append(("notin", word))
        else:
            toks.append(("id", word))
        i = j
    toks.append(("end", ""))
    return toks


def parse_label_selector(s):
    """Returns a list of requirements (key, op, values); raises ApiError 400."""
    reqs = []
    if s is None or not s.strip():
        return reqs
    toks = _lex(s)
    pos = 0

    def peek():
        return toks[pos]

    def take():
        nonlocal pos
        t = toks[pos]
        pos += 1
        return t

    while True:
        t = take()
        if t[0] == "not":
            k = take()
            if k[0] != "id":
                raise _bad("unable to parse requirement: found '%s', expected: identifier" % k[1])
            _check_key(k[1])
            reqs.append((k[1], "!", []))
        elif t[0] == "id":
            key = t[1]
            _check_key(key)
            nxt = peek()
            if nxt[0] in (",", "end"):
                reqs.append((key, "exists", []))
            elif nxt[0] == "op":
                op = take()[1]
                v = peek()
                if v[0] == "id":
                    take()
                    val = v[1]
                elif v[0] in (",", "end"):
                    val = ""
                else:
                    raise _bad("unable to parse requirement: found '%s', expected: identifier" % v[1])
                if op in ("<", ">"):
                    try:
                        int(val)
                    except ValueError:
                        raise _bad("unable to parse requirement: values[0]: Invalid value: \"%s\": for 'Gt', "
                                   "'Lt' operators, the value must be an integer" % val)
                else:
                    _check_value(val)
                reqs.append((key, {"=": "=", "==": "=", "!=": "!=", "<": "<", ">": ">"}[op], [val]))
            elif nxt[0] in ("in", "notin"):
                op = take()[0]
                if take()[0] != "(":
                    raise _bad("unable to parse requirement: found '%s', expected: '('" % toks[pos - 1][1])
                vals = []
                expect_value = True
                while True:
                    v = take()
                    if v[0] == ")":
                        if expect_value and vals:
                            vals.append("")
                        break
                    if v[0] == ",":
                        if expect_value:
                            vals.append("")
                        expect_value = True
                        continue
                    if v[0] == "id" and expect_value:
                        _check_value(v[1])
                        vals.append(v[1])
                        expect_value = False
                        continue
                    raise _bad("unable to parse requirement: found '%s', expected: ',', ')' or identifier" % v[1])
                if not vals:
                    vals = [""]
                reqs.append((key, op, vals))
            else:
                raise _bad("unable to parse requirement: found '%s', expected: in, notin, =, ==, !=, gt, lt"
                           % nxt[1])
        else:
            raise _bad("unable to parse requirement: found '%s', expected: !, identifier" % t[1])
        t = take()
        if t[0] == "end":
            break
        if t[0] != ",":
            raise _bad("found '%s', expected: ',' or 'end'" % t[1])
        if peek()[0] == "end":
            raise _bad("found '', expected: identifier after ','")
    return reqs


def match_labels(reqs, labels):
    labels = labels or {}
    for key, op, vals in reqs:
        has = key in labels
        v = labels.get(key)
        if op == "=":
            if not has or v != vals[0]:
                return False
        elif op == "!=":
            if has and v == vals[0]:
                return False
        elif op == "in":
            if not has or v not in vals:
                return False
        elif op == "notin":
            if has and v in vals:
                return False
        elif op == "exists":
            if not has:
                return False
        elif op == "!":
            if has:
                return False
        elif op in ("<", ">"):
            if not has:
                return False
            try:
                lv = int(v)
            except ValueError:
                return False
            if op == "<" and not lv < int(vals[0]):
                return False
            if op == ">" and not lv > int(vals[0]):
                return False
    return True


def parse_field_selector(s):
    """Returns [(field, op, value)] with op in '=', '!='; raises ApiError 400."""
    out = []
    if not s:
        return out
    # split on unescaped commas
    parts, cur, i = [], "", 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur += s[i:i + 2]
            i += 2
            continue
        if c == ",":
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    for p in parts:
        if not p:
            continue
        field, op, value = None, None, None
        i = 0
        while i < len(p):
            if p[i] == "\\":
                i += 2
                continue
            if p.startswith("!=", i):
                field, op, value = p[:i], "!=", p[i + 2:]
                break
            if p.startswith("==", i):
                field, op, value = p[:i], "=", p[i + 2:]
                break
            if p[i] == "=":
                field, op, value = p[:i], "=", p[i + 1:]
                break
            i += 1
        if op is None:
            raise _bad("invalid selector: '%s'; can't understand '%s'" % (s, p))
        out.append((_unescape(field.strip()), op, _unescape(value)))
    return out


def _unescape(v):
    out, i = "", 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            out += v[i + 1]
            i += 2
        else:
            out += v[i]
            i += 1
    return out


def _s(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return ""
    return str(v)


def _path(obj, dotted):
    cur = obj
    for part in dotted.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def field_values(resource, obj, field):
    """All values a field selector may compare against (several for podIPs)."""
    meta = obj.get("metadata", {})
    if field == "metadata.name":
        return [meta.get("name", "")]
    if field == "metadata.namespace":
        return [meta.get("namespace", "")]
    if field == "spec.host":
        field = "spec.nodeName"
    if field == "spec.hostNetwork":
        return [_s(bool(_path(obj, field)))]
    if field == "spec.unschedulable":
        return [_s(bool(_path(obj, field)))]
    if field == "status.podIPs":
        ips = (obj.get("status") or {}).get("podIPs") or []
        return [ip.get("ip", "") for ip in ips] or [""]
    if field == "source" and resource.kind == "Event":
        return [_s((obj.get("source") or {}).get("component"))]
    if field in ("status.replicas", "status.successful"):
        v = _path(obj, field)
        return [_s(v if v is not None else 0)]
    return [_s(_path(obj, field))]


def check_fields(resource, reqs):
    allowed = {"metadata.name"}
    if resource.namespaced:
        allowed.add("metadata.namespace")
    allowed |= resource.field_selectors
    for f, _, _ in reqs:
        if f not in allowed:
            raise _bad('field label not supported: %s' % f)


def match_fields(resource, reqs, obj):
    for f, op, v in reqs:
        vals = field_values(resource, obj, f)
        if op == "=" and v not in vals:
            return False
        if op == "!=" and v in vals:
            return False
    return True
