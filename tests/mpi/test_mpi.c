/* Alkire–Foster: the 4 × 4 example of Alkire and Foster (2011) computed by
 * hand, a brute-force comparison on random data, identities, bad input. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "povmetrics.h"

static void expect_err(int rc, int code, const char *path) {
    cr_assert_eq(rc, code, "rc %d, want %d (%s)", rc, code, pov_error_message(pov_error_last()));
    if (path)
        cr_assert_str_eq(pov_error_path(pov_error_last()), path);
}

/* Achievements (income, years of schooling, a 1–5 health score, access to
 * a service) and cut-offs z = (13, 12, 3, 1), after the example in Alkire &
 * Foster (2011), J. Public Econ. 95:476, §2. Deprived iff x < z:
 *   person 1: none                          c = 0
 *   person 2: schooling 7, service 0        c = 2/4
 *   person 3: all four                      c = 4/4
 *   person 4: schooling 11                  c = 1/4   (health 3 = z: not deprived)
 * With k = 2/4: poor = persons 2 and 3, H = 1/2, A = (2/4 + 4/4)/2 = 3/4,
 * M0 = 6/16 = 0.375. */
static const double AF[16] = {13.1, 14, 4, 1,  15.2, 7, 5, 0,  12.5, 10, 1, 0,  20, 11, 3, 1};
static const double AFZ[4] = {13, 12, 3, 1};

static pov_mpi *af(double k, const int32_t *group, size_t ng) {
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = AFZ;
    o.k = k;
    o.group = group;
    o.n_groups = ng;
    pov_mpi *m = NULL;
    cr_assert_eq(pov_mpi_new(AF, 4, 4, &o, &m), 0, "%s", pov_error_message(pov_error_last()));
    return m;
}

static double meas(const pov_mpi *m, pov_mpi_stat s) {
    double v = NAN;
    cr_assert_eq(pov_mpi_measure(m, s, &v), 0);
    return v;
}

Test(mpi, alkire_foster_example) {
    pov_mpi *m = af(0.5, NULL, 0);
    cr_assert_eq(pov_mpi_persons(m), 4);
    cr_assert_eq(pov_mpi_indicators(m), 4);
    cr_assert_eq(pov_mpi_groups(m), 0);
    cr_assert_eq(meas(m, POV_MPI_H), 0.5);
    cr_assert_eq(meas(m, POV_MPI_A), 0.75);
    cr_assert_eq(meas(m, POV_MPI_M0), 0.375);
    cr_assert_eq(meas(m, POV_MPI_POPULATION), 4.0);
    /* normalised gaps of the poor: person 2: 5/12, 1; person 3: 0.5/13,
     * 2/12, 2/3, 1. M1 = Σ/16, M2 = Σ squares/16 (weights 1/4, n = 4). */
    double s1 = 5.0 / 12 + 1 + 0.5 / 13 + 2.0 / 12 + 2.0 / 3 + 1;
    double s2 = 25.0 / 144 + 1 + 0.25 / 169 + 4.0 / 144 + 4.0 / 9 + 1;
    cr_assert_float_eq(meas(m, POV_MPI_M1), s1 / 16, 1e-15);
    cr_assert_float_eq(meas(m, POV_MPI_M2), s2 / 16, 1e-15);
    /* uncensored: income 1/4 (p3), schooling 3/4 (p2 p3 p4), health 1/4, service 2/4;
     * censored: p4 drops out of schooling: 1/4 2/4 1/4 2/4;
     * contributions 100·(1/4)·CH_j/0.375 = 16.67 33.33 16.67 33.33 */
    cr_assert_eq(pov_mpi_indicator_columns(), 4);
    double t[16];
    cr_assert_eq(pov_mpi_indicator_table(m, t), 0);
    const double want[16] = {0.25, 0.25, 0.25, 100.0 / 6,  0.75, 0.5, 0.25, 100.0 / 3,
                             0.25, 0.25, 0.25, 100.0 / 6,  0.5,  0.5, 0.25, 100.0 / 3};
    for (int i = 0; i < 16; i++)
        cr_assert_float_eq(t[i], want[i], 1e-13, "cell %d: %g", i, t[i]);
    double sc[4];
    cr_assert_eq(pov_mpi_scores(m, sc), 0);
    cr_assert_eq(sc[0], 0.0);
    cr_assert_eq(sc[1], 0.5);
    cr_assert_eq(sc[2], 1.0);
    cr_assert_eq(sc[3], 0.25);
    pov_mpi_free(m);
}

Test(mpi, k_range_example) {
    pov_mpi *m = af(0.5, NULL, 0);
    /* k = 1/4: poor p2 p3 p4, Σc = 1.75: H = 3/4, A = 1.75/3, M0 = 1.75/4;
     * k = 1/2: 1/2, 3/4, 3/8; k = 3/4 and 1 (intersection): only p3. */
    const double ks[] = {0.25, 0.5, 0.75, 1.0};
    double out[12];
    cr_assert_eq(pov_mpi_k_range(m, ks, 4, out), 0);
    const double want[12] = {0.75, 1.75 / 3, 0.4375, 0.5, 0.75, 0.375, 0.25, 1, 0.25, 0.25, 1, 0.25};
    for (int i = 0; i < 12; i++)
        cr_assert_float_eq(out[i], want[i], 1e-15, "cell %d", i);
    /* at the handle's own k: exactly the same numbers */
    cr_assert_eq(out[3], meas(m, POV_MPI_H));
    cr_assert_eq(out[4], meas(m, POV_MPI_A));
    cr_assert_eq(out[5], meas(m, POV_MPI_M0));
    cr_assert_eq(pov_mpi_k_range(m, NULL, 0, NULL), 0);
    pov_mpi_free(m);
}

Test(mpi, groups_example) {
    const int32_t g[] = {0, 0, 1, 1};
    pov_mpi *m = af(0.5, g, 2);
    /* group 0 = p1 p2: H 1/2, A 1/2, M0 1/4; group 1 = p3 p4: H 1/2, A 1,
     * M0 1/2; contributions 100·½·¼/0.375 = 33.3 and 66.7 */
    cr_assert_eq(pov_mpi_group_columns(), 6);
    cr_assert_eq(pov_mpi_groups(m), 2);
    double t[12];
    cr_assert_eq(pov_mpi_group_table(m, t), 0);
    const double want[12] = {2, 0.5, 0.5, 0.5, 0.25, 100.0 / 3,  2, 0.5, 0.5, 1, 0.5, 200.0 / 3};
    for (int i = 0; i < 12; i++)
        cr_assert_float_eq(t[i], want[i], 1e-13, "cell %d", i);
    pov_mpi_free(m);
    m = af(0.5, NULL, 0);
    expect_err(pov_mpi_group_table(m, t), POV_ESTATE, NULL);
    pov_mpi_free(m);
}

Test(mpi, binary_matrix_matches_cardinal) {
    /* deprivation matrix of the example, written by hand */
    const double g0[16] = {0, 0, 0, 0,  0, 1, 0, 1,  1, 1, 1, 1,  0, 1, 0, 0};
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.k = 0.5;
    pov_mpi *m = NULL, *c = af(0.5, NULL, 0);
    cr_assert_eq(pov_mpi_new(g0, 4, 4, &o, &m), 0);
    cr_assert_eq(meas(m, POV_MPI_M0), meas(c, POV_MPI_M0));
    cr_assert_eq(meas(m, POV_MPI_H), meas(c, POV_MPI_H));
    double v;
    expect_err(pov_mpi_measure(m, POV_MPI_M1, &v), POV_ESTATE, NULL);
    expect_err(pov_mpi_measure(m, POV_MPI_M2, &v), POV_ESTATE, NULL);
    expect_err(pov_mpi_measure(m, (pov_mpi_stat)42, &v), POV_EINVAL, NULL);
    pov_mpi_free(m);
    pov_mpi_free(c);
}

Test(mpi, direction_weights_and_tolerance) {
    /* one indicator "persons per room", deprived when > 2 (2 itself is not) */
    const double x[] = {3, 2, 1, 2.5};
    const double z = 2;
    const int32_t dir = POV_MPI_DEPRIVED_ABOVE;
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = &z;
    o.direction = &dir;
    o.k = 1;
    pov_mpi *m = NULL;
    cr_assert_eq(pov_mpi_new(x, 4, 1, &o, &m), 0);
    cr_assert_eq(meas(m, POV_MPI_H), 0.5);
    cr_assert_float_eq(meas(m, POV_MPI_M1), (0.5 + 0.25) / 4, 1e-15); /* gaps (x−z)/z */
    pov_mpi_free(m);

    /* weights 1 1 2 are normalised to 1/4 1/4 1/2; person deprived in the
     * last indicator only has c = 1/2 */
    const double xb[] = {0, 0, 1,  1, 1, 0};
    const double wb[] = {1, 1, 2};
    pov_mpi_options ob = POV_MPI_OPTIONS_INIT;
    ob.weights = wb;
    ob.k = 0.5;
    cr_assert_eq(pov_mpi_new(xb, 2, 3, &ob, &m), 0);
    cr_assert_eq(meas(m, POV_MPI_H), 1.0);
    cr_assert_eq(meas(m, POV_MPI_M0), 0.5);
    pov_mpi_free(m);

    /* 6 equal weights: 6 × (1/6) adds up to 0.9999999999999999 < 1, but a
     * person deprived in everything is poor at k = 1 (tolerance 1e-12) */
    const double all[6] = {1, 1, 1, 1, 1, 1};
    pov_mpi_options o6 = POV_MPI_OPTIONS_INIT;
    o6.k = 1;
    cr_assert_eq(pov_mpi_new(all, 1, 6, &o6, &m), 0);
    double sc;
    cr_assert_eq(pov_mpi_scores(m, &sc), 0);
    cr_assert(sc < 1.0);
    cr_assert_eq(meas(m, POV_MPI_H), 1.0);
    pov_mpi_free(m);
}

/* ---- brute force on random data ---------------------------------------- */

static uint64_t rs = 777;
static double unif(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) * 0x1p-53;
}

enum { N = 400, D = 6, G = 3 };

Test(mpi, brute_force_random) {
    static double x[N * D], pw[N];
    static int32_t grp[N];
    double z[D], wj[D];
    int32_t dir[D];
    for (int j = 0; j < D; j++) {
        z[j] = 1 + (double)j;
        wj[j] = 0.5 + unif();
        dir[j] = j % 3 == 2;
    }
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++)
            x[i * D + j] = floor(unif() * 2.5 * z[j] * 4) / 4; /* ties with z occur */
        pw[i] = unif() < 0.05 ? 0 : 1 + 9 * unif();
        grp[i] = (int32_t)(i % G);
    }
    const double ks[] = {0.2, 1.0 / 3, 0.5, 0.8};
    for (int kk = 0; kk < 4; kk++) {
        const double k = ks[kk];
        pov_mpi_options o = POV_MPI_OPTIONS_INIT;
        o.cutoffs = z;
        o.direction = dir;
        o.weights = wj;
        o.k = k;
        o.person_weights = pw;
        o.group = grp;
        o.n_groups = G;
        pov_mpi *m = NULL;
        cr_assert_eq(pov_mpi_new(x, N, D, &o, &m), 0);
        /* brute force: deprivation matrix, scores, censoring, means */
        double wsum = 0;
        for (int j = 0; j < D; j++)
            wsum += wj[j];
        long double NN = 0, q = 0, m0 = 0, m1 = 0, m2 = 0, uh[D] = {0}, ch[D] = {0};
        long double gN[G] = {0}, gm0[G] = {0};
        for (int i = 0; i < N; i++) {
            int dep[D];
            double c = 0;
            for (int j = 0; j < D; j++) {
                double v = x[i * D + j];
                dep[j] = dir[j] ? v > z[j] : v < z[j];
                c += dep[j] * wj[j] / wsum;
            }
            NN += pw[i];
            gN[grp[i]] += pw[i];
            for (int j = 0; j < D; j++)
                uh[j] += pw[i] * dep[j];
            if (c + 1e-12 < k)
                continue;
            q += pw[i];
            for (int j = 0; j < D; j++) {
                if (!dep[j])
                    continue;
                double v = x[i * D + j];
                double gap = dir[j] ? (v - z[j]) / z[j] : (z[j] - v) / z[j];
                m0 += pw[i] * wj[j] / wsum;
                gm0[grp[i]] += pw[i] * wj[j] / wsum;
                m1 += pw[i] * wj[j] / wsum * gap;
                m2 += pw[i] * wj[j] / wsum * gap * gap;
                ch[j] += pw[i];
            }
        }
        const double tol = 1e-12;
        cr_assert_float_eq(meas(m, POV_MPI_H), (double)(q / NN), tol, "k %g", k);
        cr_assert_float_eq(meas(m, POV_MPI_M0), (double)(m0 / NN), tol, "k %g", k);
        cr_assert_float_eq(meas(m, POV_MPI_A), (double)(m0 / q), tol, "k %g", k);
        cr_assert_float_eq(meas(m, POV_MPI_M1), (double)(m1 / NN), tol, "k %g", k);
        cr_assert_float_eq(meas(m, POV_MPI_M2), (double)(m2 / NN), tol, "k %g", k);
        cr_assert_float_eq(meas(m, POV_MPI_H) * meas(m, POV_MPI_A), meas(m, POV_MPI_M0), 1e-15);
        double t[D * 4], sum_w_ch = 0, pct = 0;
        cr_assert_eq(pov_mpi_indicator_table(m, t), 0);
        for (int j = 0; j < D; j++) {
            cr_assert_float_eq(t[4 * j], (double)(uh[j] / NN), tol);
            cr_assert_float_eq(t[4 * j + 1], (double)(ch[j] / NN), tol);
            cr_assert_float_eq(t[4 * j + 2], wj[j] / wsum, 1e-15);
            sum_w_ch += t[4 * j + 2] * t[4 * j + 1];
            pct += t[4 * j + 3];
        }
        cr_assert_float_eq(sum_w_ch, meas(m, POV_MPI_M0), 1e-14);
        cr_assert_float_eq(pct, 100, 1e-11);
        double gt[G * 6], gsum = 0, gpct = 0;
        cr_assert_eq(pov_mpi_group_table(m, gt), 0);
        for (int g = 0; g < G; g++) {
            cr_assert_float_eq(gt[6 * g], (double)gN[g], 1e-9);
            cr_assert_float_eq(gt[6 * g + 4], (double)(gm0[g] / gN[g]), tol);
            gsum += gt[6 * g + 1] * gt[6 * g + 4];
            gpct += gt[6 * g + 5];
        }
        cr_assert_float_eq(gsum, meas(m, POV_MPI_M0), 1e-14);
        cr_assert_float_eq(gpct, 100, 1e-11);
        double kr[3];
        cr_assert_eq(pov_mpi_k_range(m, &k, 1, kr), 0);
        cr_assert_eq(kr[2], meas(m, POV_MPI_M0));
        /* the fast path against the brute force and against pov_mpi_new() */
        o.group = NULL;
        o.n_groups = 0;
        double hm[3] = {NAN, NAN, NAN};
        cr_assert_eq(pov_mpi_m0(x, N, D, &o, hm), 0, "%s", pov_error_message(pov_error_last()));
        cr_assert_float_eq(hm[0], (double)(q / NN), tol, "k %g", k);
        cr_assert_float_eq(hm[1], (double)(m0 / q), tol, "k %g", k);
        cr_assert_float_eq(hm[2], (double)(m0 / NN), tol, "k %g", k);
        cr_assert_float_eq(hm[0], meas(m, POV_MPI_H), 1e-14);
        cr_assert_float_eq(hm[1], meas(m, POV_MPI_A), 1e-14);
        cr_assert_float_eq(hm[2], meas(m, POV_MPI_M0), 1e-14);
        pov_mpi_free(m);
    }
}

Test(mpi, nobody_poor) {
    pov_mpi *m = af(0.5, NULL, 0);
    pov_mpi_free(m);
    const double x[] = {0, 0, 0, 1};
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.k = 0.75;
    cr_assert_eq(pov_mpi_new(x, 2, 2, &o, &m), 0);
    cr_assert_eq(meas(m, POV_MPI_H), 0.0);
    cr_assert_eq(meas(m, POV_MPI_A), 0.0);
    cr_assert_eq(meas(m, POV_MPI_M0), 0.0);
    double t[8];
    cr_assert_eq(pov_mpi_indicator_table(m, t), 0);
    cr_assert_eq(t[0], 0.0);
    cr_assert_eq(t[4], 0.5); /* uncensored headcount of indicator 1 */
    cr_assert_eq(t[3], 0.0);
    cr_assert_eq(t[7], 0.0);
    pov_mpi_free(m);
}

Test(mpi, bad_input) {
    pov_mpi *m = (pov_mpi *)1;
    pov_mpi_options o;
    pov_mpi_options_init(&o);
    cr_assert_eq(o.size, sizeof o);
    cr_assert_eq(pov_mpi_options_size(), sizeof o);
    o.cutoffs = AFZ;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EINVAL, "k"); /* k not set */
    cr_assert_null(m);
    o.k = 1.5;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EINVAL, "k");
    o.k = NAN;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EINVAL, "k");
    o.k = 0.5;
    expect_err(pov_mpi_new(AF, 0, 4, &o, &m), POV_EEMPTY, NULL);
    expect_err(pov_mpi_new(AF, 4, 0, &o, &m), POV_EINVAL, NULL);
    expect_err(pov_mpi_new(NULL, 4, 4, &o, &m), POV_EINVAL, NULL);
    expect_err(pov_mpi_new(AF, 4, 4, NULL, &m), POV_EINVAL, NULL);
    expect_err(pov_mpi_new(AF, 4, 4, &o, NULL), POV_EINVAL, NULL);
    pov_mpi_options small = o;
    small.size = 8;
    expect_err(pov_mpi_new(AF, 4, 4, &small, &m), POV_EINVAL, NULL);

    double x[16];
    for (int i = 0; i < 16; i++)
        x[i] = AF[i];
    x[6] = NAN;
    expect_err(pov_mpi_new(x, 4, 4, &o, &m), POV_ENONFINITE, "x[1][2]");
    double zbad[4] = {13, INFINITY, 3, 1};
    o.cutoffs = zbad;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_ENONFINITE, "cutoffs[1]");
    o.cutoffs = AFZ;
    const int32_t dbad[4] = {0, 0, 2, 0};
    o.direction = dbad;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EINVAL, "direction[2]");
    o.direction = NULL;
    const double wneg[4] = {1, -1, 1, 1}, wzero[4] = {0, 0, 0, 0}, wnan[4] = {1, 1, NAN, 1};
    o.weights = wneg;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_ERANGE, "weights[1]");
    o.weights = wzero;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EINVAL, "weights");
    o.weights = wnan;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_ENONFINITE, "weights[2]");
    o.weights = NULL;
    const double pneg[4] = {1, 1, 1, -1}, pinf[4] = {INFINITY, 1, 1, 1}, p0[4] = {0, 0, 0, 0};
    o.person_weights = pneg;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_ERANGE, "w[3]");
    o.person_weights = pinf;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_ENONFINITE, "w[0]");
    o.person_weights = p0;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EEMPTY, NULL);
    o.person_weights = NULL;
    const int32_t gbad[4] = {0, 1, 5, 0}, gone[4] = {0, 0, 0, 0};
    o.group = gbad;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EINVAL, NULL); /* n_groups missing */
    o.n_groups = 2;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_ERANGE, "group[2]");
    o.group = gone;
    expect_err(pov_mpi_new(AF, 4, 4, &o, &m), POV_EEMPTY, "groups[1]");
    o.group = NULL;
    o.n_groups = 0;

    /* 0/1 matrix with another value */
    pov_mpi_options ob = POV_MPI_OPTIONS_INIT;
    ob.k = 0.5;
    const double xb[4] = {0, 1, 2, 0};
    expect_err(pov_mpi_new(xb, 2, 2, &ob, &m), POV_EDOMAIN, "x[1][0]");

    /* M1 needs positive cut-offs */
    const double z0[4] = {13, 12, 0, 1};
    o.cutoffs = z0;
    cr_assert_eq(pov_mpi_new(AF, 4, 4, &o, &m), 0);
    double v;
    expect_err(pov_mpi_measure(m, POV_MPI_M1, &v), POV_EDOMAIN, NULL);
    const double kbad[2] = {0.5, 0};
    double out[6];
    expect_err(pov_mpi_k_range(m, kbad, 2, out), POV_EINVAL, "ks[1]");
    expect_err(pov_mpi_measure(NULL, POV_MPI_H, &v), POV_EINVAL, NULL);
    expect_err(pov_mpi_scores(m, NULL), POV_EINVAL, NULL);
    expect_err(pov_mpi_indicator_table(NULL, out), POV_EINVAL, NULL);
    pov_mpi_free(m);
    pov_mpi_free(NULL);
}

/* pov_mpi_m0(): the hand-computed example (cardinal, then as a 0/1 matrix
 * with unit person weights and as "above" indicators), nobody poor, and
 * its bad-input paths. */
Test(mpi, m0_fast_path) {
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = AFZ;
    o.k = 0.5;
    double r[3] = {NAN, NAN, NAN};
    cr_assert_eq(pov_mpi_m0(AF, 4, 4, &o, r), 0);
    cr_assert_eq(r[0], 0.5);
    cr_assert_eq(r[1], 0.75);
    cr_assert_eq(r[2], 0.375);
    /* the same deprivations as a 0/1 matrix, person 3 weighted 3: poor 2 and 3,
     * N = 6, q = 4, Σ p c = 2/4 + 3 · 4/4 = 3.5 */
    const double g0[16] = {0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0};
    const double pw[4] = {1, 1, 3, 1};
    pov_mpi_options b = POV_MPI_OPTIONS_INIT;
    b.k = 0.5;
    b.person_weights = pw;
    cr_assert_eq(pov_mpi_m0(g0, 4, 4, &b, r), 0);
    cr_assert_float_eq(r[0], 4.0 / 6, 1e-15);
    cr_assert_float_eq(r[1], 3.5 / 4, 1e-15);
    cr_assert_float_eq(r[2], 3.5 / 6, 1e-15);
    /* negated achievements with "above": the same people deprived */
    double neg[16], negz[4];
    const int32_t up[4] = {1, 1, 1, 1};
    for (int i = 0; i < 16; i++)
        neg[i] = -AF[i];
    for (int j = 0; j < 4; j++)
        negz[j] = -AFZ[j];
    pov_mpi_options a = o;
    a.cutoffs = negz;
    a.direction = up;
    cr_assert_eq(pov_mpi_m0(neg, 4, 4, &a, r), 0);
    cr_assert_eq(r[0], 0.5);
    cr_assert_eq(r[2], 0.375);
    /* nobody poor: A = 0 by definition */
    const double x0[] = {0, 0, 0, 1};
    pov_mpi_options z = POV_MPI_OPTIONS_INIT;
    z.k = 0.75;
    cr_assert_eq(pov_mpi_m0(x0, 2, 2, &z, r), 0);
    cr_assert_eq(r[0], 0.0);
    cr_assert_eq(r[1], 0.0);
    cr_assert_eq(r[2], 0.0);

    /* bad input: same codes and paths as pov_mpi_new() */
    expect_err(pov_mpi_m0(AF, 4, 4, &o, NULL), POV_EINVAL, NULL);
    expect_err(pov_mpi_m0(AF, 4, 4, NULL, r), POV_EINVAL, NULL);
    expect_err(pov_mpi_m0(NULL, 4, 4, &o, r), POV_EINVAL, NULL);
    expect_err(pov_mpi_m0(AF, 0, 4, &o, r), POV_EEMPTY, NULL);
    expect_err(pov_mpi_m0(AF, 4, 0, &o, r), POV_EINVAL, NULL);
    pov_mpi_options bk = o;
    bk.k = 0;
    expect_err(pov_mpi_m0(AF, 4, 4, &bk, r), POV_EINVAL, "k");
    double x[16];
    for (int i = 0; i < 16; i++)
        x[i] = AF[i];
    x[6] = NAN;
    expect_err(pov_mpi_m0(x, 4, 4, &o, r), POV_ENONFINITE, "x[1][2]");
    x[6] = 5;
    x[13] = INFINITY;
    expect_err(pov_mpi_m0(x, 4, 4, &a, r), POV_ENONFINITE, "x[3][1]");
    double gb[16];
    for (int i = 0; i < 16; i++)
        gb[i] = g0[i];
    gb[9] = 0.5;
    expect_err(pov_mpi_m0(gb, 4, 4, &b, r), POV_EDOMAIN, "x[2][1]");
    const double pneg[4] = {1, 1, 1, -1}, pinf[4] = {1, NAN, 1, 1}, p0[4] = {0, 0, 0, 0};
    b.person_weights = pneg;
    expect_err(pov_mpi_m0(g0, 4, 4, &b, r), POV_ERANGE, "w[3]");
    b.person_weights = pinf;
    expect_err(pov_mpi_m0(g0, 4, 4, &b, r), POV_ENONFINITE, "w[1]");
    b.person_weights = p0;
    expect_err(pov_mpi_m0(g0, 4, 4, &b, r), POV_EEMPTY, NULL);
    const double pbig[4] = {DBL_MAX, DBL_MAX, 1, 1};
    b.person_weights = pbig;
    expect_err(pov_mpi_m0(g0, 4, 4, &b, r), POV_ERANGE, "w");
    b.person_weights = NULL;
    const int32_t grp[4] = {0, 0, 1, 1};
    b.group = grp;
    b.n_groups = 2;
    expect_err(pov_mpi_m0(g0, 4, 4, &b, r), POV_EINVAL, "group");
    /* more than 64 indicators (the heap path): one person deprived in 70 of 100 */
    enum { DD = 100 };
    double big[DD];
    for (int j = 0; j < DD; j++)
        big[j] = j < 70;
    pov_mpi_options wide = POV_MPI_OPTIONS_INIT;
    wide.k = 0.7;
    cr_assert_eq(pov_mpi_m0(big, 1, DD, &wide, r), 0);
    cr_assert_eq(r[0], 1.0);
    cr_assert_float_eq(r[2], 0.7, 1e-14);
    wide.k = 0.71;
    cr_assert_eq(pov_mpi_m0(big, 1, DD, &wide, r), 0);
    cr_assert_eq(r[0], 0.0);
}

/* pov_mpi_m0() takes four rows at a time in vector lanes and the rest one by
 * one; every row count, binary and cardinal data with mixed directions, and
 * more than 64 indicators against a direct computation. With d = 8 or 128
 * equal weights (1/d is a power of two) and small integer person weights
 * every sum is exact, so the results must agree exactly. */
Test(mpi, m0_rows_in_lanes_match_direct_sums) {
    const size_t ns[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1001};
    const size_t ds[] = {8, 128};
    unsigned long long st = 12345;
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++)
        for (size_t b = 0; b < sizeof ds / sizeof *ds; b++)
            for (int cardinal = 0; cardinal < 2; cardinal++) {
                size_t n = ns[a], d = ds[b];
                double *x = malloc(n * d * sizeof *x), *pw = malloc(n * sizeof *pw);
                double *z = malloc(d * sizeof *z);
                int32_t *dir = malloc(d * sizeof *dir);
                for (size_t j = 0; j < d; j++) {
                    z[j] = 5.0;
                    dir[j] = j % 3 == 0 ? POV_MPI_DEPRIVED_ABOVE : POV_MPI_DEPRIVED_BELOW;
                }
                double Nt = 0, Q = 0, S = 0;
                for (size_t i = 0; i < n; i++) {
                    double c = 0;
                    for (size_t j = 0; j < d; j++) {
                        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                        unsigned r = (unsigned)(st >> 33) % 10; /* 0..9 */
                        /* poorer rows (small i mod 4) more often deprived */
                        int dep = r < 3 + 2 * (i % 4);
                        if (cardinal) {
                            int above = dir[j] == POV_MPI_DEPRIVED_ABOVE;
                            /* 5 itself is never a deprivation */
                            x[i * d + j] = dep ? (above ? 6.5 : 1.5) : (r % 2 ? 5.0 : above ? 2.0 : 8.0);
                        } else {
                            x[i * d + j] = dep;
                        }
                        c += dep ? 1.0 / (double)d : 0.0;
                    }
                    pw[i] = (double)(i % 4); /* 0..3, one zero weight in four */
                    Nt += pw[i];
                    if (c >= 1.0 / 3.0 - 1e-12) {
                        Q += pw[i];
                        S += pw[i] * c;
                    }
                }
                if (Nt == 0) {
                    pw[0] = 1;
                    Nt = 1;
                    double c0 = 0;
                    for (size_t j = 0; j < d; j++) {
                        double v = x[j];
                        int above = dir[j] == POV_MPI_DEPRIVED_ABOVE;
                        c0 += (cardinal ? (above ? v > 5.0 : v < 5.0) : v == 1.0) ? 1.0 / (double)d
                                                                                 : 0.0;
                    }
                    if (c0 >= 1.0 / 3.0 - 1e-12) {
                        Q += 1;
                        S += c0;
                    }
                }
                pov_mpi_options o = POV_MPI_OPTIONS_INIT;
                o.k = 1.0 / 3.0;
                o.person_weights = pw;
                if (cardinal) {
                    o.cutoffs = z;
                    o.direction = dir;
                }
                double r[3];
                cr_assert_eq(pov_mpi_m0(x, n, d, &o, r), 0, "%s",
                             pov_error_message(pov_error_last()));
                cr_assert_eq(r[0], Q / Nt, "H n=%zu d=%zu cardinal=%d", n, d, cardinal);
                cr_assert_eq(r[1], Q > 0 ? S / Q : 0.0, "A n=%zu d=%zu", n, d);
                cr_assert_eq(r[2], S / Nt, "M0 n=%zu d=%zu", n, d);
                /* bad entries in the lanes (first row) and in the tail (last row) */
                double keep = x[0];
                x[0] = cardinal ? NAN : 0.5;
                expect_err(pov_mpi_m0(x, n, d, &o, r), cardinal ? POV_ENONFINITE : POV_EDOMAIN,
                           "x[0][0]");
                x[0] = keep;
                x[(n - 1) * d + 1] = cardinal ? INFINITY : 2.0;
                char path[48];
                snprintf(path, sizeof path, "x[%zu][1]", n - 1);
                expect_err(pov_mpi_m0(x, n, d, &o, r), cardinal ? POV_ENONFINITE : POV_EDOMAIN,
                           path);
                free(dir);
                free(z);
                free(pw);
                free(x);
            }
}
