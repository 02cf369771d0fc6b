/* kcore's internal byte encodings (never installed): SHA-1 (RFC 3174) for the
 * WebSocket handshake, base64 (RFC 4648, standard and URL alphabets) and strict
 * UTF-8 validation (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF). */
#ifndef KUBE_ENCODING_INT_H
#define KUBE_ENCODING_INT_H

#include <kube/buf.h>
#include <kube/error.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kube_encoding__sha1 {
    uint32_t h[5];
    uint64_t total;     /* bytes hashed so far */
    uint8_t block[64];
    size_t fill;        /* bytes waiting in block */
} kube_encoding__sha1_t;

void kube_encoding__sha1_init(kube_encoding__sha1_t *ctx);
void kube_encoding__sha1_update(kube_encoding__sha1_t *ctx, const void *data, size_t len);
/* Writes the 20-byte digest and wipes the context. */
void kube_encoding__sha1_final(kube_encoding__sha1_t *ctx, uint8_t digest[20]);

/* base64 flags */
#define KUBE_ENCODING__B64_URL 0x1u   /* '-' and '_' instead of '+' and '/' */
#define KUBE_ENCODING__B64_NOPAD 0x2u /* no '=' padding */

/* Length of the encoding of len bytes. */
size_t kube_encoding__base64_len(size_t len, unsigned flags);
/* Encode into dst (room for kube_encoding__base64_len() bytes; no NUL written). */
void kube_encoding__base64_encode(char *dst, const uint8_t *src, size_t len, unsigned flags);
/* Append the encoding to buf. KUBE_OK or KUBE_ENOMEM. */
kube_error_t kube_encoding__base64_append(kube_buf_t *buf, const uint8_t *src, size_t len, unsigned flags);
/* Decode standard padded base64 (length a multiple of 4, '=' only at the end, unused
 * bits zero) into dst (room for len / 4 * 3 bytes). Returns the decoded length, or
 * (size_t)-1 with *bad_offset set to the offending input offset. */
size_t kube_encoding__base64_decode(uint8_t *dst, const char *src, size_t len, size_t *bad_offset);

/* 1 when the bytes are valid UTF-8; otherwise 0 and *bad_offset names the first bad byte. */
int kube_encoding__utf8_valid(const uint8_t *s, size_t len, size_t *bad_offset);

#endif
