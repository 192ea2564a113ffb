/* Mergeable accumulators: hand-computed values, exactness across batch
 * splits and merge orders, serialisation round trip, every bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

static pov_accum *mk(double z, const double *al, size_t na) {
    pov_accum *a = NULL;
    cr_assert_eq(pov_accum_new(z, al, na, &a), 0);
    cr_assert_not_null(a);
    return a;
}

static void expect_err(int rc, int code, const char *path) {
    cr_assert_eq(rc, code, "rc %d, want %d (%s)", rc, code, pov_error_message(pov_error_last()));
    cr_assert_eq(pov_error_code(pov_error_last()), code);
    if (path)
        cr_assert_str_eq(pov_error_path(pov_error_last()), path);
}

static const double A3[] = {0.0, 1.0, 2.0};

Test(accum, hand_example_unit_weights) {
    /* y = 1 2 3 4 10, z = 4: poor 1, 2, 3 (4 is not: strict line);
     * gaps 3/4, 2/4, 1/4: FGT0 = 3/5, FGT1 = 1.5/5 = 0.3,
     * FGT2 = (9 + 4 + 1)/16/5 = 0.875/5 = 0.175; Watts = (ln 4 + ln 2 + ln 4/3)/5 */
    const double y[] = {1, 2, 3, 4, 10};
    pov_accum *a = mk(4.0, A3, 3);
    cr_assert_eq(pov_accum_update(a, y, NULL, 5), 0);
    double v;
    cr_assert_eq(pov_accum_count(a), 5);
    cr_assert_eq(pov_accum_population(a, &v), 0);
    cr_assert_eq(v, 5.0);
    cr_assert_eq(pov_accum_mean(a, &v), 0);
    cr_assert_eq(v, 4.0);
    cr_assert_eq(pov_accum_fgt(a, 0, &v), 0);
    cr_assert_eq(v, 0.6);
    cr_assert_eq(pov_accum_fgt(a, 1, &v), 0);
    cr_assert_eq(v, 0.3);
    cr_assert_eq(pov_accum_fgt(a, 2, &v), 0);
    cr_assert_eq(v, 0.175);
    cr_assert_eq(pov_accum_watts(a, &v), 0);
    cr_assert_float_eq(v, (log(4.0) + log(2.0) + log(4.0 / 3.0)) / 5, 1e-15);
    cr_assert_eq(pov_accum_line(a), 4.0);
    cr_assert_eq(pov_accum_n_alphas(a), 3);
    cr_assert_eq(pov_accum_alpha(a, 2), 2.0);
    cr_assert(isnan(pov_accum_alpha(a, 3)));
    pov_accum_free(a);
}

Test(accum, hand_example_weights) {
    /* y = 1 3 5, w = 2 1 1, z = 4: N = 4, poor weight 3, FGT0 = 0.75;
     * FGT1 = (2·0.75 + 0.25)/4 = 0.4375; mean = (2 + 3 + 5)/4 = 2.5 */
    const double y[] = {1, 3, 5}, w[] = {2, 1, 1};
    pov_accum *a = mk(4.0, A3, 2);
    cr_assert_eq(pov_accum_update(a, y, w, 3), 0);
    double v;
    cr_assert_eq(pov_accum_fgt(a, 0, &v), 0);
    cr_assert_eq(v, 0.75);
    cr_assert_eq(pov_accum_fgt(a, 1, &v), 0);
    cr_assert_eq(v, 0.4375);
    cr_assert_eq(pov_accum_mean(a, &v), 0);
    cr_assert_eq(v, 2.5);
    pov_accum_free(a);
}

/* ---- exactness across splits ---------------------------------------- */

enum { NDATA = 20000 };
static double Y[NDATA], W[NDATA];
static uint64_t rs = 0x9E3779B97F4A7C15u;
static double unif(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) * 0x1p-53;
}

static void make_data(void) {
    for (int i = 0; i < NDATA; i++) {
        /* log-normal-ish incomes via Box–Muller, weights over 4 orders */
        double u1 = unif() + 1e-300, u2 = unif();
        Y[i] = 3000.0 * exp(0.8 * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
        W[i] = pow(10.0, 4 * unif()) * (unif() < 0.01 ? 0 : 1);
    }
}

static const double AL[] = {0.0, 1.0, 2.0, 0.5, 3.7};
#define NAL 5
#define ZL 2500.0

typedef struct res {
    double pop, mean, fgt[NAL], watts;
    uint64_t count;
} res;

static res results(const pov_accum *a) {
    res r;
    cr_assert_eq(pov_accum_population(a, &r.pop), 0);
    cr_assert_eq(pov_accum_mean(a, &r.mean), 0);
    for (int j = 0; j < NAL; j++)
        cr_assert_eq(pov_accum_fgt(a, (size_t)j, &r.fgt[j]), 0);
    cr_assert_eq(pov_accum_watts(a, &r.watts), 0);
    r.count = pov_accum_count(a);
    return r;
}

static void same(const res *a, const res *b, const char *what) {
    /* bitwise: memcmp on the doubles (no padding: all doubles then uint64) */
    cr_assert_eq(a->count, b->count, "%s", what);
    cr_assert_eq(memcmp(&a->pop, &b->pop, sizeof(double) * (3 + NAL)), 0, "%s: %a vs %a", what,
                 a->fgt[1], b->fgt[1]);
}

Test(accum, batches_and_merges_are_bitwise_equal_to_one_pass) {
    make_data();
    pov_accum *one = mk(ZL, AL, NAL);
    cr_assert_eq(pov_accum_update(one, Y, W, NDATA), 0);
    res r1 = results(one);

    for (int split = 0; split < 6; split++) {
        /* cut the data into 8 random-length partitions, fill them with
         * random-length batches, then merge them in a split-dependent order */
        enum { P = 8 };
        pov_accum *part[P];
        size_t cut[P + 1];
        cut[0] = 0;
        cut[P] = NDATA;
        for (int p = 1; p < P; p++)
            cut[p] = cut[p - 1] + (size_t)(unif() * (double)(NDATA - cut[p - 1]) / 2);
        for (int p = 0; p < P; p++) {
            part[p] = mk(ZL, AL, NAL);
            size_t i = cut[p];
            while (i < cut[p + 1]) {
                size_t len = 1 + (size_t)(unif() * 700);
                if (len > cut[p + 1] - i)
                    len = cut[p + 1] - i;
                cr_assert_eq(pov_accum_update(part[p], Y + i, W + i, len), 0);
                i += len;
            }
        }
        if (split % 2 == 0) { /* left fold in reverse order */
            for (int p = P - 2; p >= 0; p--)
                cr_assert_eq(pov_accum_merge(part[P - 1], part[p]), 0);
            res r = results(part[P - 1]);
            same(&r1, &r, "reverse fold");
        } else { /* pairwise tree */
            for (int step = 1; step < P; step *= 2)
                for (int p = 0; p + step < P; p += 2 * step)
                    cr_assert_eq(pov_accum_merge(part[p], part[p + step]), 0);
            res r = results(part[0]);
            same(&r1, &r, "tree");
        }
        for (int p = 0; p < P; p++)
            pov_accum_free(part[p]);
    }
    pov_accum_free(one);
}

Test(accum, agrees_with_independent_formula_and_pov_fgt) {
    make_data();
    pov_accum *a = mk(ZL, AL, NAL);
    cr_assert_eq(pov_accum_update(a, Y, W, NDATA), 0);
    res r = results(a);
    /* independent: long double sums written straight from the definition */
    long double sw = 0, swy = 0, sf[NAL] = {0}, swat = 0;
    for (int i = 0; i < NDATA; i++) {
        sw += W[i];
        swy += (long double)W[i] * Y[i];
        if (Y[i] < ZL) {
            long double g = (ZL - (long double)Y[i]) / ZL;
            for (int j = 0; j < NAL; j++)
                sf[j] += W[i] * powl(g, AL[j]);
            swat += W[i] * logl(ZL / (long double)Y[i]);
        }
    }
    cr_assert_float_eq(r.mean, (double)(swy / sw), 1e-12 * r.mean);
    for (int j = 0; j < NAL; j++) {
        double want = (double)(sf[j] / sw), got;
        cr_assert_float_eq(r.fgt[j], want, 1e-12 * want, "alpha %g", AL[j]);
        cr_assert_eq(pov_fgt(Y, W, NDATA, ZL, AL[j], &got), 0);
        cr_assert_float_eq(r.fgt[j], got, 1e-12 * got, "pov_fgt alpha %g", AL[j]);
    }
    double watts;
    cr_assert_float_eq(r.watts, (double)(swat / sw), 1e-12 * r.watts);
    cr_assert_eq(pov_watts(Y, W, NDATA, ZL, &watts), 0);
    cr_assert_float_eq(r.watts, watts, 1e-12 * watts);
    double mean;
    cr_assert_eq(pov_mean(Y, W, NDATA, &mean), 0);
    cr_assert_float_eq(r.mean, mean, 1e-12 * mean);
    pov_accum_free(a);
}

Test(accum, merge_with_itself_doubles_sums) {
    const double y[] = {1, 3, 5};
    pov_accum *a = mk(4.0, A3, 3);
    cr_assert_eq(pov_accum_update(a, y, NULL, 3), 0);
    double f0, f1;
    cr_assert_eq(pov_accum_fgt(a, 1, &f0), 0);
    cr_assert_eq(pov_accum_merge(a, a), 0);
    cr_assert_eq(pov_accum_count(a), 6);
    cr_assert_eq(pov_accum_fgt(a, 1, &f1), 0);
    cr_assert_eq(f0, f1);
    pov_accum_reset(a);
    cr_assert_eq(pov_accum_count(a), 0);
    expect_err(pov_accum_fgt(a, 0, &f0), POV_EEMPTY, NULL);
    pov_accum_free(a);
}

Test(accum, serialize_round_trip_is_exact) {
    make_data();
    pov_accum *a = mk(ZL, AL, NAL), *b = NULL, *c = mk(ZL, AL, NAL);
    cr_assert_eq(pov_accum_update(a, Y, W, NDATA / 2), 0);
    char *text = NULL;
    cr_assert_eq(pov_accum_serialize(a, &text), 0);
    cr_assert_not_null(strstr(text, "\"format\":\"povmetrics.accum/1\""));
    cr_assert_eq(pov_accum_deserialize(text, &b), 0);
    res ra = results(a), rb = results(b);
    same(&ra, &rb, "round trip");
    /* a deserialised partition merges like the original */
    cr_assert_eq(pov_accum_update(c, Y + NDATA / 2, W + NDATA / 2, NDATA - NDATA / 2), 0);
    cr_assert_eq(pov_accum_merge(c, b), 0);
    pov_accum *one = mk(ZL, AL, NAL);
    cr_assert_eq(pov_accum_update(one, Y, W, NDATA), 0);
    res r1 = results(one), rc = results(c);
    same(&r1, &rc, "merged after round trip");
    /* serialising the copy gives the same text */
    char *text2 = NULL;
    cr_assert_eq(pov_accum_serialize(b, &text2), 0);
    cr_assert_str_eq(text, text2);
    pov_free(text);
    pov_free(text2);
    pov_accum_free(a);
    pov_accum_free(b);
    pov_accum_free(c);
    pov_accum_free(one);
}

Test(accum, serialize_known_text) {
    /* y = 1 2, z = 4, alpha 1: Σw = 2 = 0x2·2^0, Σwy = 3, Σ gap = 3/4 + 1/2 = 1.25 */
    const double y[] = {1, 2}, al = 1.0;
    pov_accum *a = mk(4.0, &al, 1);
    cr_assert_eq(pov_accum_update(a, y, NULL, 2), 0);
    char *t = NULL;
    cr_assert_eq(pov_accum_serialize(a, &t), 0);
    cr_assert_not_null(strstr(t, "\"line\":\"0x1p+2\""), "%s", t);
    cr_assert_not_null(strstr(t, "\"count\":2"), "%s", t);
    /* limbs are aligned at bit 32k - 1074: 2 = 2·2^(1056-1056)... so check by parsing */
    pov_free(t);
    const char *doc = "{\"format\":\"povmetrics.accum/1\",\"line\":\"0x1p+2\",\"alphas\":[\"0x1p+0\"],"
                      "\"count\":2,\"nonpositive\":0,\"sums\":{\"w\":\"0x2p0\",\"wy\":\"0x3p0\","
                      "\"watts\":\"0x0p0\",\"fgt\":[\"0x5p-2\"]}}";
    pov_accum *b = NULL;
    cr_assert_eq(pov_accum_deserialize(doc, &b), 0);
    double v;
    cr_assert_eq(pov_accum_fgt(b, 0, &v), 0);
    cr_assert_eq(v, 0.625); /* 1.25 / 2 */
    cr_assert_eq(pov_accum_mean(b, &v), 0);
    cr_assert_eq(v, 1.5);
    cr_assert_eq(pov_accum_merge(b, a), 0);
    cr_assert_eq(pov_accum_fgt(b, 0, &v), 0);
    cr_assert_eq(v, 0.625);
    pov_accum_free(a);
    pov_accum_free(b);
}

/* ---- bad input -------------------------------------------------------- */

Test(accum, bad_parameters) {
    pov_accum *a = (pov_accum *)1;
    double bad = -1, many[65] = {0};
    expect_err(pov_accum_new(0.0, NULL, 0, &a), POV_EINVAL, "z");
    cr_assert_null(a);
    expect_err(pov_accum_new(NAN, NULL, 0, &a), POV_EINVAL, "z");
    expect_err(pov_accum_new(-1.0, NULL, 0, &a), POV_EINVAL, "z");
    expect_err(pov_accum_new(1.0, &bad, 1, &a), POV_EINVAL, "alphas[0]");
    double nanal[] = {1, NAN};
    expect_err(pov_accum_new(1.0, nanal, 2, &a), POV_EINVAL, "alphas[1]");
    expect_err(pov_accum_new(1.0, NULL, 1, &a), POV_EINVAL, NULL);
    expect_err(pov_accum_new(1.0, many, 65, &a), POV_ELIMIT, NULL);
    cr_assert_eq(pov_accum_max_alphas(), 64);
    expect_err(pov_accum_new(1.0, NULL, 0, NULL), POV_EINVAL, NULL);
    pov_accum_free(NULL);
}

Test(accum, bad_batches_leave_state_unchanged) {
    pov_accum *a = mk(4.0, A3, 3);
    const double y[] = {1, 2, 3}, ynan[] = {1, 2, NAN}, wneg[] = {1, -1, 1},
                 winf[] = {1, 1, INFINITY}, wbig[] = {1e308, 1, 1}, ybig[] = {1e10, 1, 1};
    cr_assert_eq(pov_accum_update(a, y, NULL, 3), 0);
    expect_err(pov_accum_update(a, ynan, NULL, 3), POV_ENONFINITE, "y[2]");
    expect_err(pov_accum_update(a, y, wneg, 3), POV_ERANGE, "w[1]");
    expect_err(pov_accum_update(a, y, winf, 3), POV_ENONFINITE, "w[2]");
    expect_err(pov_accum_update(a, ybig, wbig, 3), POV_ERANGE, "w[0]");
    expect_err(pov_accum_update(a, NULL, NULL, 3), POV_EINVAL, NULL);
    expect_err(pov_accum_update(NULL, y, NULL, 3), POV_EINVAL, NULL);
    cr_assert_eq(pov_accum_update(a, NULL, NULL, 0), 0); /* n = 0 is a no-op */
    cr_assert_eq(pov_accum_count(a), 3);
    double v;
    cr_assert_eq(pov_accum_fgt(a, 0, &v), 0);
    cr_assert_eq(v, 1.0);
    expect_err(pov_accum_fgt(a, 3, &v), POV_EINVAL, "alphas[3]");
    pov_accum_free(a);
}

Test(accum, empty_and_zero_weight) {
    pov_accum *a = mk(4.0, A3, 1);
    double v;
    expect_err(pov_accum_fgt(a, 0, &v), POV_EEMPTY, NULL);
    expect_err(pov_accum_mean(a, &v), POV_EEMPTY, NULL);
    expect_err(pov_accum_watts(a, &v), POV_EEMPTY, NULL);
    cr_assert_eq(pov_accum_population(a, &v), 0);
    cr_assert_eq(v, 0.0);
    const double y[] = {1, 2}, w0[] = {0, 0};
    cr_assert_eq(pov_accum_update(a, y, w0, 2), 0);
    cr_assert_eq(pov_accum_count(a), 2);
    expect_err(pov_accum_fgt(a, 0, &v), POV_EEMPTY, NULL);
    pov_accum_free(a);
}

Test(accum, watts_needs_positive_incomes) {
    pov_accum *a = mk(4.0, A3, 3);
    const double y[] = {1, 0, 5}, w[] = {1, 0, 1};
    cr_assert_eq(pov_accum_update(a, y, w, 3), 0); /* FGT is fine */
    double v;
    cr_assert_eq(pov_accum_fgt(a, 1, &v), 0);
    cr_assert_eq(v, 0.375); /* (0.75 + 0·1)/2 */
    expect_err(pov_accum_watts(a, &v), POV_EDOMAIN, NULL);
    pov_accum_free(a);
}

Test(accum, merge_refuses_mismatch) {
    const double al2[] = {0.0, 1.0}, al2b[] = {1.0, 0.0};
    pov_accum *a = mk(4.0, al2, 2), *b = mk(4.5, al2, 2), *c = mk(4.0, al2b, 2),
              *d = mk(4.0, al2, 1);
    expect_err(pov_accum_merge(a, b), POV_EINVAL, NULL);
    expect_err(pov_accum_merge(a, c), POV_EINVAL, NULL);
    expect_err(pov_accum_merge(a, d), POV_EINVAL, NULL);
    expect_err(pov_accum_merge(a, NULL), POV_EINVAL, NULL);
    pov_accum_free(a);
    pov_accum_free(b);
    pov_accum_free(c);
    pov_accum_free(d);
}

Test(accum, deserialize_errors) {
    pov_accum *a = (pov_accum *)1;
    expect_err(pov_accum_deserialize("{\"format\": ", &a), POV_ESYNTAX, NULL);
    cr_assert_null(a);
    cr_assert_eq(pov_error_line(pov_error_last()), 1);
    expect_err(pov_accum_deserialize("[]", &a), POV_ETYPE, NULL);
    expect_err(pov_accum_deserialize("{\"format\":\"povmetrics.accum/2\"}", &a), POV_EFORMAT,
               "format");
    expect_err(pov_accum_deserialize("{\"format\":\"povmetrics.accum/1\"}", &a), POV_EMISSING,
               "line");
    const char *head = "{\"format\":\"povmetrics.accum/1\",\"line\":\"0x1p+2\",\"alphas\":[\"0x1p+0\"],"
                       "\"count\":2,\"nonpositive\":0,";
    char doc[600];
    snprintf(doc, sizeof doc, "%s\"sums\":{\"wy\":\"0x3p0\",\"watts\":\"0x0p0\",\"fgt\":[\"0x5p-2\"]}}",
             head);
    expect_err(pov_accum_deserialize(doc, &a), POV_EMISSING, "sums.w");
    snprintf(doc, sizeof doc,
             "%s\"sums\":{\"w\":2,\"wy\":\"0x3p0\",\"watts\":\"0x0p0\",\"fgt\":[\"0x5p-2\"]}}", head);
    expect_err(pov_accum_deserialize(doc, &a), POV_ETYPE, "sums.w");
    snprintf(doc, sizeof doc,
             "%s\"sums\":{\"w\":\"0x2p0\",\"wy\":\"0x3p0\",\"watts\":\"0x0p0\",\"fgt\":[\"5\"]}}", head);
    expect_err(pov_accum_deserialize(doc, &a), POV_ESYNTAX, "sums.fgt[0]");
    snprintf(doc, sizeof doc,
             "%s\"sums\":{\"w\":\"0x2p0\",\"wy\":\"0x3p0\",\"watts\":\"0x0p0\",\"fgt\":[]}}", head);
    expect_err(pov_accum_deserialize(doc, &a), POV_EINVAL, "sums.fgt");
    snprintf(doc, sizeof doc,
             "{\"format\":\"povmetrics.accum/1\",\"line\":\"zero\",\"alphas\":[],\"count\":0,"
             "\"nonpositive\":0,\"sums\":{\"w\":\"0x0p0\",\"wy\":\"0x0p0\",\"watts\":\"0x0p0\","
             "\"fgt\":[]}}");
    expect_err(pov_accum_deserialize(doc, &a), POV_ESYNTAX, "line");
    snprintf(doc, sizeof doc,
             "{\"format\":\"povmetrics.accum/1\",\"line\":\"0x1p+2\",\"alphas\":[],\"count\":-1,"
             "\"nonpositive\":0,\"sums\":{\"w\":\"0x0p0\",\"wy\":\"0x0p0\",\"watts\":\"0x0p0\","
             "\"fgt\":[]}}");
    expect_err(pov_accum_deserialize(doc, &a), POV_ERANGE, "count");
    snprintf(doc, sizeof doc,
             "{\"format\":\"povmetrics.accum/1\",\"line\":\"-0x1p+2\",\"alphas\":[],\"count\":0,"
             "\"nonpositive\":0,\"sums\":{\"w\":\"0x0p0\",\"wy\":\"0x0p0\",\"watts\":\"0x0p0\","
             "\"fgt\":[]}}");
    expect_err(pov_accum_deserialize(doc, &a), POV_EINVAL, "z");
    expect_err(pov_accum_deserialize(NULL, &a), POV_EINVAL, NULL);
    expect_err(pov_accum_serialize(NULL, NULL), POV_EINVAL, NULL);
}

Test(accum, overflowing_terms_are_refused_atomically) {
    const double a2 = 2.0;
    pov_accum *a = mk(1.0, &a2, 1);
    const double ok[] = {0.5}, neg[] = {0.5, -1e300}, tiny[] = {1e-320};
    cr_assert_eq(pov_accum_update(a, ok, NULL, 1), 0);
    /* gap (1 + 1e300)/1 squared overflows */
    expect_err(pov_accum_update(a, neg, NULL, 2), POV_ERANGE, "y[1]");
    pov_accum_free(a);
    a = mk(1e10, &a2, 1);
    /* log(1e10 / 1e-320): the ratio overflows */
    expect_err(pov_accum_update(a, tiny, NULL, 1), POV_ERANGE, "y[0]");
    cr_assert_eq(pov_accum_count(a), 0);
    pov_accum_free(a);
}
