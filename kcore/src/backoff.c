/* Exponential backoff with jitter and a reset timer, as a pure function of the time given. */
#include <kube/backoff.h>
#include <math.h>
#include <string.h>

/* splitmix64: small, fast, good enough for jitter, and seedable with any value. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

kube_error_t kube_backoff_init(kube_backoff_t *b, const kube_backoff_config_t *config, uint64_t seed)
{
    static const kube_backoff_config_t defaults = KUBE_BACKOFF_CONFIG_INIT;
    const kube_backoff_config_t *c = config ? config : &defaults;

    if (!b)
        return kube_error_setf(KUBE_EINVAL, "kube_backoff_init: b is NULL");
    if (c->version != KUBE_BACKOFF_CONFIG_VERSION)
        return kube_error_setf(KUBE_EINVAL, "backoff config: unknown version %u (expected %u)", c->version,
                               KUBE_BACKOFF_CONFIG_VERSION);
    if (c->initial_ms == 0 || c->max_ms < c->initial_ms)
        return kube_error_setf(KUBE_EINVAL, "backoff config: need 0 < initial_ms <= max_ms");
    if (!isfinite(c->factor) || c->factor < 1.0)
        return kube_error_setf(KUBE_EINVAL, "backoff config: factor must be a finite number >= 1");
    if (!(c->jitter >= 0.0 && c->jitter <= 1.0))
        return kube_error_setf(KUBE_EINVAL, "backoff config: jitter must be between 0 and 1");
    memset(b, 0, sizeof *b);
    b->version = KUBE_BACKOFF_VERSION;
    b->config = *c;
    b->base_ms = c->initial_ms;
    b->rng = seed;
    return KUBE_OK;
}

void kube_backoff_reset(kube_backoff_t *b)
{
    if (!b)
        return;
    b->base_ms = b->config.initial_ms;
    b->attempts = 0;
    b->has_failure = 0;
}

/* More than reset_after_ms since the last failure: the operation was healthy that long. */
static int quiet_long_enough(const kube_backoff_t *b, uint64_t now_ms)
{
    return b->has_failure && b->config.reset_after_ms && now_ms > b->last_failure_ms
           && now_ms - b->last_failure_ms > b->config.reset_after_ms;
}

uint64_t kube_backoff_next(kube_backoff_t *b, uint64_t now_ms)
{
    uint64_t base, delay, span;
    double grown;

    if (!b)
        return 0;
    if (quiet_long_enough(b, now_ms))
        kube_backoff_reset(b);
    if (!b->has_failure || now_ms > b->last_failure_ms)
        b->last_failure_ms = now_ms;
    b->has_failure = 1;
    b->attempts++;

    base = b->base_ms;
    span = (uint64_t)((double)base * b->config.jitter);
    delay = base + (span ? next_random(&b->rng) % (span + 1) : 0);

    grown = (double)base * b->config.factor;
    b->base_ms = grown >= (double)b->config.max_ms ? b->config.max_ms : (uint64_t)grown;
    return delay;
}

int kube_backoff_healthy(kube_backoff_t *b, uint64_t now_ms)
{
    if (!b)
        return 0;
    if (quiet_long_enough(b, now_ms))
        kube_backoff_reset(b);
    return b->attempts == 0;
}

unsigned int kube_backoff_attempts(const kube_backoff_t *b)
{
    return b ? b->attempts : 0;
}
