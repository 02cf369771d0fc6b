#include <check.h>
#include <math.h>
#include <kube/backoff.h>

START_TEST(defaults_grow_exponentially_within_jitter)
{
    kube_backoff_t b;
    uint64_t base = 800, now = 1000;
    ck_assert_int_eq(kube_backoff_init(&b, NULL, 42), KUBE_OK);
    ck_assert_int_eq(kube_backoff_healthy(&b, now), 1);
    for (int i = 0; i < 12; i++) {
        uint64_t d = kube_backoff_next(&b, now);
        ck_assert_uint_ge(d, base);
        ck_assert_uint_le(d, 2 * base);
        now += d; /* fail again right after the retry */
        base = base * 2 > 30000 ? 30000 : base * 2;
    }
    ck_assert_uint_eq(kube_backoff_attempts(&b), 12);
    ck_assert_int_eq(kube_backoff_healthy(&b, now), 0);
}
END_TEST

START_TEST(no_jitter_is_exact)
{
    kube_backoff_config_t c = KUBE_BACKOFF_CONFIG_INIT;
    kube_backoff_t b;
    const uint64_t want[] = { 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000 };
    c.jitter = 0;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_OK);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_uint_eq(kube_backoff_next(&b, 1000 * i), want[i]);
}
END_TEST

START_TEST(resets_after_120s_of_health)
{
    kube_backoff_config_t c = KUBE_BACKOFF_CONFIG_INIT;
    kube_backoff_t b;
    c.jitter = 0;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_OK);
    ck_assert_uint_eq(kube_backoff_next(&b, 0), 800);
    ck_assert_uint_eq(kube_backoff_next(&b, 40000), 1600);
    ck_assert_uint_eq(kube_backoff_next(&b, 80000), 3200);
    /* exactly 120 s later is not "more than" 120 s */
    ck_assert_uint_eq(kube_backoff_next(&b, 200000), 6400);
    /* 120.001 s of quiet: start over */
    ck_assert_int_eq(kube_backoff_healthy(&b, 300000), 0);
    ck_assert_int_eq(kube_backoff_healthy(&b, 320001), 1);
    ck_assert_uint_eq(kube_backoff_attempts(&b), 0);
    ck_assert_uint_eq(kube_backoff_next(&b, 320001), 800);
    /* next() applies the same rule without healthy() */
    ck_assert_uint_eq(kube_backoff_next(&b, 330000), 1600);
    ck_assert_uint_eq(kube_backoff_next(&b, 460000), 800);
    /* explicit reset */
    ck_assert_uint_eq(kube_backoff_next(&b, 460001), 1600);
    kube_backoff_reset(&b);
    ck_assert_uint_eq(kube_backoff_next(&b, 460002), 800);
    /* time going backwards counts as no time passed */
    ck_assert_uint_eq(kube_backoff_next(&b, 100), 1600);
    kube_backoff_reset(NULL);
}
END_TEST

START_TEST(reset_disabled)
{
    kube_backoff_config_t c = KUBE_BACKOFF_CONFIG_INIT;
    kube_backoff_t b;
    c.jitter = 0;
    c.reset_after_ms = 0;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_OK);
    ck_assert_uint_eq(kube_backoff_next(&b, 0), 800);
    ck_assert_uint_eq(kube_backoff_next(&b, 10000000), 1600);
    ck_assert_int_eq(kube_backoff_healthy(&b, 20000000), 0);
}
END_TEST

START_TEST(jitter_is_seeded_and_spread)
{
    kube_backoff_t a, b, c;
    kube_backoff_config_t cfg = KUBE_BACKOFF_CONFIG_INIT;
    int differs = 0;
    uint64_t lo = UINT64_MAX, hi = 0;
    cfg.reset_after_ms = 0;
    ck_assert_int_eq(kube_backoff_init(&a, &cfg, 7), KUBE_OK);
    ck_assert_int_eq(kube_backoff_init(&b, &cfg, 7), KUBE_OK);
    ck_assert_int_eq(kube_backoff_init(&c, &cfg, 8), KUBE_OK);
    for (int i = 0; i < 10; i++) {
        uint64_t x = kube_backoff_next(&a, 0), y = kube_backoff_next(&b, 0), z = kube_backoff_next(&c, 0);
        ck_assert_uint_eq(x, y);
        differs |= x != z;
    }
    ck_assert(differs);
    /* at the plateau the delays spread over [30 s, 60 s] (kube-rs / client-go jitter) */
    for (int i = 0; i < 2000; i++) {
        uint64_t d = kube_backoff_next(&a, 0);
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    ck_assert_uint_ge(lo, 30000);
    ck_assert_uint_le(hi, 60000);
    ck_assert_uint_lt(lo, 31000);
    ck_assert_uint_gt(hi, 59000);
}
END_TEST

START_TEST(invalid_configs)
{
    kube_backoff_config_t c = KUBE_BACKOFF_CONFIG_INIT;
    kube_backoff_t b;
    ck_assert_int_eq(kube_backoff_init(NULL, NULL, 0), KUBE_EINVAL);
    c.version = 99;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    c.version = KUBE_BACKOFF_CONFIG_VERSION;
    c.initial_ms = 0;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    c.initial_ms = 50000;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    c.initial_ms = 800;
    c.factor = 0.5;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    c.factor = NAN;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    c.factor = 2;
    c.jitter = 1.5;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    c.jitter = -0.1;
    ck_assert_int_eq(kube_backoff_init(&b, &c, 0), KUBE_EINVAL);
    ck_assert_uint_eq(kube_backoff_next(NULL, 0), 0);
    ck_assert_int_eq(kube_backoff_healthy(NULL, 0), 0);
    ck_assert_uint_eq(kube_backoff_attempts(NULL), 0);
}
END_TEST

Suite *kube_test_backoff_suite(void)
{
    Suite *s = suite_create("backoff");
    TCase *tc = tcase_create("backoff");
    tcase_add_test(tc, defaults_grow_exponentially_within_jitter);
    tcase_add_test(tc, no_jitter_is_exact);
    tcase_add_test(tc, resets_after_120s_of_health);
    tcase_add_test(tc, reset_disabled);
    tcase_add_test(tc, jitter_is_seeded_and_spread);
    tcase_add_test(tc, invalid_configs);
    suite_add_tcase(s, tc);
    return s;
}
