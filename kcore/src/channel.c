/* The Kubernetes channel protocols (exec/attach, port-forward) framed over WebSocket messages. */
#include <kube/channel.h>
#include <kube/status.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "alloc_int.h"
#include "encoding_int.h"

static const char *const names[] = {
    "v5.channel.k8s.io", "v4.channel.k8s.io", "v4.base64.channel.k8s.io", "v3.channel.k8s.io",
    "v2.channel.k8s.io", "channel.k8s.io",    "base64.channel.k8s.io",
};
#define NPROTO (sizeof names / sizeof *names)

static const char *const offer_exec[] = {"v5.channel.k8s.io", "v4.channel.k8s.io"};
static const char *const offer_pf[] = {"v4.channel.k8s.io", "v4.base64.channel.k8s.io"};

#define BEARER_PREFIX "base64url.bearer.authorization.k8s.io."

static int known(kube_channel_protocol_t p)
{
    return (unsigned)p < NPROTO;
}

static int is_base64(kube_channel_protocol_t p)
{
    return p == KUBE_CHANNEL_V4_BASE64 || p == KUBE_CHANNEL_V1_BASE64;
}

const char *kube_channel_protocol_name(kube_channel_protocol_t protocol)
{
    return known(protocol) ? names[protocol] : NULL;
}

kube_error_t kube_channel_protocol_parse(kube_channel_protocol_t *out, const char *name)
{
    if (!out)
        return kube_error_setf(KUBE_EINVAL, "channel protocol: NULL output");
    if (!name || !*name) {
        *out = KUBE_CHANNEL_V1;
        return KUBE_OK;
    }
    for (size_t i = 0; i < NPROTO; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (kube_channel_protocol_t)i;
            return KUBE_OK;
        }
    }
    return kube_error_setf(KUBE_EUNSUPPORTED, "channel protocol: unknown subprotocol \"%.64s\"", name);
}

const char *const *kube_channel_offer(int portforward, size_t *count_out)
{
    if (count_out)
        *count_out = 2;
    return portforward ? offer_pf : offer_exec;
}

kube_error_t kube_channel_bearer_protocol(kube_buf_t *out, const char *token)
{
    size_t old, tlen;
    kube_error_t rc;
    if (!out || !token || !*token)
        return kube_error_setf(KUBE_EINVAL, "bearer protocol: NULL or empty token");
    old = out->size;
    tlen = strlen(token);
    /* one reservation, so no realloc leaves a copy of the token behind */
    if (tlen > SIZE_MAX / 2)
        return kube_error_setf(KUBE_ENOMEM, "bearer protocol: token too long");
    rc = kube_buf_grow(out, sizeof BEARER_PREFIX + kube_encoding__base64_len(tlen, KUBE_ENCODING__B64_NOPAD));
    if (!rc)
        rc = kube_buf_puts(out, BEARER_PREFIX);
    if (!rc)
        rc = kube_encoding__base64_append(out, (const uint8_t *)token, tlen,
                                           KUBE_ENCODING__B64_URL | KUBE_ENCODING__B64_NOPAD);
    if (rc && out->ptr) {
        kube_mem__wipe(out->ptr + old, out->size - old);
        out->size = old;
        out->ptr[old] = '\0';
    }
    return rc;
}

/* Append a channel message's payload; restores the buffer on failure. */
static kube_error_t frame(kube_buf_t *out, kube_websocket_opcode_t *opcode_out, kube_channel_protocol_t p,
                          unsigned channel, const uint8_t *data, size_t len)
{
    size_t old;
    kube_error_t rc;
    if (!out || !opcode_out || (len && !data))
        return kube_error_setf(KUBE_EINVAL, "channel encode: NULL argument");
    if (!known(p))
        return kube_error_setf(KUBE_EINVAL, "channel encode: unknown protocol %d", (int)p);
    if (channel > 255 || (is_base64(p) && channel > 79))
        return kube_error_setf(KUBE_EINVAL, "channel encode: channel %u out of range for %s", channel, names[p]);
    old = out->size;
    if (is_base64(p)) {
        char c = (char)('0' + channel);
        rc = kube_buf_put(out, &c, 1);
        if (!rc)
            rc = kube_encoding__base64_append(out, data, len, 0);
        *opcode_out = KUBE_WS_OP_TEXT;
    } else {
        uint8_t c = (uint8_t)channel;
        rc = kube_buf_grow(out, len + 1);
        if (!rc) {
            rc = kube_buf_put(out, &c, 1);
            if (!rc && len)
                rc = kube_buf_put(out, data, len);
        }
        *opcode_out = KUBE_WS_OP_BINARY;
    }
    if (rc && out->ptr) {
        out->size = old;
        out->ptr[old] = '\0';
    }
    return rc;
}

kube_error_t kube_channel_encode(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                 kube_channel_protocol_t protocol, unsigned int channel, const uint8_t *data,
                                 size_t len)
{
    return frame(out, opcode_out, protocol, channel, data, len);
}

kube_error_t kube_channel_encode_resize(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                        kube_channel_protocol_t protocol, uint16_t width, uint16_t height)
{
    char json[48];
    int n;
    if (protocol == KUBE_CHANNEL_V1 || protocol == KUBE_CHANNEL_V1_BASE64 || protocol == KUBE_CHANNEL_V2)
        return kube_error_setf(KUBE_EUNSUPPORTED, "channel resize: %s has no resize channel", names[protocol]);
    n = snprintf(json, sizeof json, "{\"Width\":%u,\"Height\":%u}", (unsigned)width, (unsigned)height);
    return frame(out, opcode_out, protocol, KUBE_CHANNEL_RESIZE, (const uint8_t *)json, (size_t)n);
}

kube_error_t kube_channel_encode_close(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                       kube_channel_protocol_t protocol, unsigned int channel)
{
    uint8_t c;
    if (known(protocol) && protocol != KUBE_CHANNEL_V5)
        return kube_error_setf(KUBE_EUNSUPPORTED, "channel close: %s cannot half-close a channel",
                               names[protocol]);
    if (channel > 254)
        return kube_error_setf(KUBE_EINVAL, "channel close: channel %u out of range", channel);
    c = (uint8_t)channel;
    return frame(out, opcode_out, protocol, KUBE_CHANNEL_CLOSE, &c, 1);
}

kube_error_t kube_channel_decode(kube_channel_message_t *out, kube_buf_t *scratch, kube_channel_protocol_t protocol,
                                 kube_websocket_opcode_t opcode, const uint8_t *data, size_t len)
{
    if (!out || (len && !data))
        return kube_error_setf(KUBE_EINVAL, "channel decode: NULL argument");
    if (!known(protocol))
        return kube_error_setf(KUBE_EINVAL, "channel decode: unknown protocol %d", (int)protocol);
    if (len == 0)
        return kube_error_setf(KUBE_EPROTO, "channel decode: empty message has no channel");
    out->version = KUBE_CHANNEL_MESSAGE_VERSION;
    if (!is_base64(protocol)) {
        if (opcode != KUBE_WS_OP_BINARY)
            return kube_error_setf(KUBE_EPROTO, "channel decode: %s expects binary messages", names[protocol]);
        out->channel = data[0];
        out->data = data + 1;
        out->len = len - 1;
        return KUBE_OK;
    }
    if (!scratch)
        return kube_error_setf(KUBE_EINVAL, "channel decode: base64 protocols need a scratch buffer");
    if (opcode != KUBE_WS_OP_TEXT)
        return kube_error_setf(KUBE_EPROTO, "channel decode: %s expects text messages", names[protocol]);
    if (data[0] < '0' || data[0] > 0x7F)
        return kube_error_setf(KUBE_EPROTO, "channel decode: channel character 0x%02x is not a digit", data[0]);
    {
        size_t dlen, bad = 0;
        kube_error_t rc;
        kube_buf_clear(scratch);
        rc = kube_buf_grow(scratch, (len - 1) / 4 * 3 + 1);
        if (rc)
            return rc;
        dlen = kube_encoding__base64_decode((uint8_t *)scratch->ptr, (const char *)data + 1, len - 1, &bad);
        if (dlen == (size_t)-1)
            return kube_error_setf(KUBE_EPROTO, "channel decode: invalid base64 at offset %zu", bad + 1);
        scratch->size = dlen;
        scratch->ptr[dlen] = '\0';
        out->channel = (unsigned)(data[0] - '0');
        out->data = (const uint8_t *)scratch->ptr;
        out->len = dlen;
    }
    return KUBE_OK;
}

/* Parse an optionally signed decimal int exactly (no spaces, no trailing bytes). */
static int parse_int(const char *s, int *out)
{
    long v = 0;
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
        if (v > (long)INT_MAX + 1)
            return 0;
    }
    if (neg)
        v = -v;
    if (v > INT_MAX || v < INT_MIN)
        return 0;
    *out = (int)v;
    return 1;
}

kube_error_t kube_channel_exit_status(int *exit_code_out, kube_channel_protocol_t protocol, const uint8_t *data,
                                      size_t len, const kube_mem_t *mem)
{
    kube_status_t *st = NULL;
    kube_error_t rc;
    if (!exit_code_out || (len && !data))
        return kube_error_setf(KUBE_EINVAL, "exit status: NULL argument");
    if (!known(protocol))
        return kube_error_setf(KUBE_EINVAL, "exit status: unknown protocol %d", (int)protocol);
    if (protocol != KUBE_CHANNEL_V5 && protocol != KUBE_CHANNEL_V4 && protocol != KUBE_CHANNEL_V4_BASE64) {
        if (len == 0) {
            *exit_code_out = 0;
            return KUBE_OK;
        }
        return kube_error_setf(KUBE_ERROR, "error executing remote command: %.*s", len > 900 ? 900 : (int)len,
                               (const char *)data);
    }
    rc = kube_status_parse(&st, (const char *)data, len, mem);
    if (rc) {
        if (rc == KUBE_ENOMEM)
            return rc;
        return kube_error_setf(KUBE_EPROTO, "exit status: channel 3 did not carry a Status");
    }
    if (kube_status_is_success(st)) {
        kube_status_free(st);
        *exit_code_out = 0;
        return KUBE_OK;
    }
    if (strcmp(st->reason, "NonZeroExitCode") == 0) {
        for (size_t i = 0; i < st->cause_count; i++) {
            int code;
            if (strcmp(st->causes[i].reason, "ExitCode") != 0)
                continue;
            if (!parse_int(st->causes[i].message, &code)) {
                kube_status_free(st);
                return kube_error_setf(KUBE_EPROTO, "exit status: ExitCode cause is not an integer");
            }
            kube_status_free(st);
            *exit_code_out = code;
            return KUBE_OK;
        }
        kube_status_free(st);
        return kube_error_setf(KUBE_EPROTO, "exit status: NonZeroExitCode without an ExitCode cause");
    }
    rc = kube_status_error(st, 0);
    if (rc == KUBE_OK)
        rc = kube_error_set_http(KUBE_ERROR, 0, st->reason, st->message);
    kube_status_free(st);
    return rc;
}

/* ---- port-forward ---- */

struct kube_channel_portforward {
    kube_mem_t mem;
    size_t nports;
    uint16_t *ports;
    uint8_t *seen;  /* per channel (2 * nports): header bytes received, 0..2 */
    uint8_t *first; /* per channel: the first header byte */
};

kube_error_t kube_channel_portforward_new(kube_channel_portforward_t **out, const uint16_t *ports, size_t nports,
                                          const kube_mem_t *mem)
{
    kube_mem_t m;
    kube_channel_portforward_t *pf;
    if (!out || !ports || nports == 0 || nports > 128)
        return kube_error_setf(KUBE_EINVAL, "port-forward: need 1 to 128 ports");
    for (size_t i = 0; i < nports; i++)
        if (ports[i] == 0)
            return kube_error_setf(KUBE_EINVAL, "port-forward: port %zu is 0", i);
    m = kube_mem__pick(mem);
    pf = (kube_channel_portforward_t *)kube_mem__calloc(&m, 1, sizeof *pf);
    if (!pf)
        return kube_error_setf(KUBE_ENOMEM, "port-forward: out of memory");
    pf->mem = m;
    pf->nports = nports;
    pf->ports = (uint16_t *)kube_mem__malloc(&m, nports * sizeof *pf->ports);
    pf->seen = (uint8_t *)kube_mem__calloc(&m, 2 * nports, 1);
    pf->first = (uint8_t *)kube_mem__calloc(&m, 2 * nports, 1);
    if (!pf->ports || !pf->seen || !pf->first) {
        kube_channel_portforward_free(pf);
        return kube_error_setf(KUBE_ENOMEM, "port-forward: out of memory");
    }
    memcpy(pf->ports, ports, nports * sizeof *pf->ports);
    *out = pf;
    return KUBE_OK;
}

void kube_channel_portforward_free(kube_channel_portforward_t *pf)
{
    if (!pf)
        return;
    kube_mem__free(&pf->mem, pf->ports);
    kube_mem__free(&pf->mem, pf->seen);
    kube_mem__free(&pf->mem, pf->first);
    kube_mem__free(&pf->mem, pf);
}

kube_error_t kube_channel_portforward_decode(kube_channel_port_message_t *out, kube_channel_portforward_t *pf,
                                             kube_buf_t *scratch, kube_channel_protocol_t protocol,
                                             kube_websocket_opcode_t opcode, const uint8_t *data, size_t len)
{
    kube_channel_message_t m;
    kube_error_t rc;
    size_t idx;
    const uint8_t *p;
    size_t n;
    if (!out || !pf)
        return kube_error_setf(KUBE_EINVAL, "port-forward decode: NULL argument");
    rc = kube_channel_decode(&m, scratch, protocol, opcode, data, len);
    if (rc)
        return rc;
    idx = m.channel / 2;
    if (idx >= pf->nports)
        return kube_error_setf(KUBE_EPROTO, "port-forward decode: channel %u beyond the %zu requested ports",
                               m.channel, pf->nports);
    p = m.data;
    n = m.len;
    while (n && pf->seen[m.channel] < 2) {
        if (pf->seen[m.channel] == 0) {
            pf->first[m.channel] = *p;
        } else {
            uint16_t port = (uint16_t)(pf->first[m.channel] | (unsigned)*p << 8);
            if (port != pf->ports[idx])
                return kube_error_setf(KUBE_EPROTO, "port-forward decode: channel %u names port %u, expected %u",
                                       m.channel, (unsigned)port, (unsigned)pf->ports[idx]);
        }
        pf->seen[m.channel]++;
        p++;
        n--;
    }
    out->version = KUBE_CHANNEL_PORT_MESSAGE_VERSION;
    out->port_index = idx;
    out->port = pf->ports[idx];
    out->is_error = (int)(m.channel & 1);
    out->data = p;
    out->len = n;
    return KUBE_OK;
}

kube_error_t kube_channel_portforward_encode(kube_buf_t *out, kube_websocket_opcode_t *opcode_out,
                                             kube_channel_protocol_t protocol, size_t port_index, const uint8_t *data,
                                             size_t len)
{
    if (port_index > 127)
        return kube_error_setf(KUBE_EINVAL, "port-forward encode: port index %zu above 127", port_index);
    return frame(out, opcode_out, protocol, (unsigned)(2 * port_index), data, len);
}
