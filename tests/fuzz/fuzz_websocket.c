/* Fuzz the WebSocket decoder in both roles, and the channel decoding on top.
 * Byte 0: bit 0 role (client/server), bits 1-3 feed chunk size, bit 4 small
 * message limit, bit 5 frame-by-frame delivery; the rest is the byte stream from the peer. Every message
 * handed out must obey RFC 6455, and every frame the codec queues (pongs,
 * closes) must decode cleanly on a peer of the opposite role. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kube/websocket.h>
#include <kube/channel.h>
#include "encoding_int.h"

static int mask_cb(uint8_t key[4], void *ud)
{
    unsigned *n = (unsigned *)ud;
    (*n)++;
    memcpy(key, n, sizeof *n < 4 ? sizeof *n : 4);
    key[3] ^= 0x5a;
    return 0;
}

static void check_message(const kube_websocket_message_t *m, int frames)
{
    size_t bad;
    if (!frames && !m->fin)
        abort();
    switch (m->opcode) {
    case KUBE_WS_OP_TEXT:
        /* frames may split a sequence; the codec checks across boundaries */
        if (!frames && !kube_encoding__utf8_valid(m->data, m->len, &bad))
            abort();
        break;
    case KUBE_WS_OP_BINARY:
        break;
    case KUBE_WS_OP_PING:
    case KUBE_WS_OP_PONG:
        if (m->len > 125)
            abort();
        break;
    case KUBE_WS_OP_CLOSE:
        if (m->len > 123 || !kube_encoding__utf8_valid(m->data, m->len, &bad) || !m->fin)
            abort();
        if (m->close_code != KUBE_WS_CLOSE_NO_STATUS && !kube_websocket_close_code_valid(m->close_code))
            abort();
        break;
    default:
        abort();
    }
    if (!m->data)
        abort();
}

static void channels(const kube_websocket_message_t *m, kube_buf_t *scratch)
{
    kube_channel_message_t cm;
    int code;
    if (m->opcode != KUBE_WS_OP_TEXT && m->opcode != KUBE_WS_OP_BINARY)
        return;
    for (int p = 0; p < 7; p++) {
        if (kube_channel_decode(&cm, scratch, (kube_channel_protocol_t)p, m->opcode, m->data, m->len) == KUBE_OK &&
            cm.channel == KUBE_CHANNEL_ERROR)
            (void)kube_channel_exit_status(&code, (kube_channel_protocol_t)p, cm.data, cm.len, NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kube_websocket_opts_t o = KUBE_WEBSOCKET_OPTS_INIT, po = KUBE_WEBSOCKET_OPTS_INIT;
    kube_websocket_t *ws = NULL, *peer = NULL;
    kube_websocket_role_t role;
    kube_buf_t scratch;
    unsigned counter = 0;
    size_t chunk, i;
    int failed = 0;
    if (size < 1)
        return 0;
    role = (data[0] & 1) ? KUBE_WS_ROLE_SERVER : KUBE_WS_ROLE_CLIENT;
    chunk = 1u << ((data[0] >> 1) & 7);
    o.max_message = (data[0] & 0x10) ? 64 : 0;
    o.flags = (data[0] & 0x20) ? KUBE_WS_OPT_FRAMES : 0;
    o.mask = mask_cb;
    o.mask_userdata = &counter;
    po.mask = mask_cb;
    po.mask_userdata = &counter;
    if (kube_websocket_new(&ws, role, &o) != KUBE_OK)
        return 0;
    if (kube_websocket_new(&peer, role == KUBE_WS_ROLE_CLIENT ? KUBE_WS_ROLE_SERVER : KUBE_WS_ROLE_CLIENT, &po) !=
        KUBE_OK) {
        kube_websocket_free(ws);
        return 0;
    }
    kube_buf_init(&scratch, NULL);
    for (i = 1; i < size && !failed; i += chunk) {
        size_t n = size - i < chunk ? size - i : chunk;
        kube_websocket_message_t m;
        kube_error_t rc;
        if (kube_websocket_feed(ws, data + i, n) != KUBE_OK)
            abort();
        while ((rc = kube_websocket_next(ws, &m)) == KUBE_OK) {
            check_message(&m, (data[0] & 0x20) != 0);
            if (m.fin)
                channels(&m, &scratch);
        }
        if (rc == KUBE_EPROTO) {
            failed = 1;
            if (kube_websocket_state(ws) != KUBE_WS_STATE_FAILED && kube_websocket_state(ws) != KUBE_WS_STATE_CLOSED)
                abort();
        } else if (rc != KUBE_EAGAIN) {
            abort();
        }
    }
    /* What the codec queued must be valid for the peer. */
    {
        const uint8_t *out;
        size_t n = kube_websocket_output(ws, &out);
        kube_websocket_message_t m;
        kube_error_t rc;
        if (n && kube_websocket_feed(peer, out, n) != KUBE_OK)
            abort();
        while ((rc = kube_websocket_next(peer, &m)) == KUBE_OK)
            check_message(&m, 0);
        if (rc != KUBE_EAGAIN)
            abort();
    }
    kube_buf_dispose(&scratch);
    kube_websocket_free(ws);
    kube_websocket_free(peer);
    return 0;
}
