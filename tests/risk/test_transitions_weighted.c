/*
 * Tests of pov_transitions_compute_weighted() (include/povmetrics/risk.h):
 * a six-household example counted in persons on paper (the weight of a
 * household present in both registers comes from the second, of one absent
 * from the second from the first; a household without a village in the
 * second register goes to unit ""), fractional survey weights from an
 * extension schema, every bad weight with its register, household and
 * indicator, and SIZE_MAX giving exactly pov_transitions_compute().
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "povmetrics.h"

#define NS POV_TRANSITION_STATES
enum { NR = 0, POOR = 1, EXITED = 2, RETURNED = 3, MARGINAL = 5, ABSENT = 8 };

static pov_dataset *ds_of(const pov_schema *schema, const char *const *rows, size_t n) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(schema, &ds), 0);
    for (size_t i = 0; i < n; i++) {
        pov_household *h = NULL;
        int r = pov_household_from_json(schema, rows[i], strlen(rows[i]), NULL, &h);
        cr_assert_eq(r, 0, "%s: %s at %s", rows[i], pov_error_message(pov_error_last()),
                     pov_error_path(pov_error_last()));
        cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
        pov_household_free(h);
    }
    return ds;
}

static size_t ind(const pov_schema *s, const char *id) {
    size_t k;
    cr_assert_eq(pov_schema_find(s, id, &k), 0, "%s", id);
    return k;
}

/* Expects @p r to be POV_EINVAL from register @p reg at @p path, the message
 * naming @p id and @p indicator, and no result. */
static void expect_bad_weight(int r, const pov_transitions *t, const char *reg, const char *path,
                              const char *id, const char *indicator) {
    const pov_error *e = pov_error_last();
    cr_assert_eq(r, POV_EINVAL, "got %d: %s", r, pov_error_message(e));
    cr_assert_null(t);
    cr_assert_str_eq(pov_error_source(e), reg);
    cr_assert_str_eq(pov_error_path(e), path);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", id);
    cr_assert(strstr(pov_error_message(e), quoted), "message: %s", pov_error_message(e));
    cr_assert(strstr(pov_error_message(e), indicator), "message: %s", pov_error_message(e));
    cr_assert(strstr(pov_error_message(e), reg), "message: %s", pov_error_message(e));
}

#define H(id, v, st, size)                                                                       \
    "{\"id\":\"" id "\"" v ",\"registry_status\":\"" st "\",\"household_size\":" #size "}"
#define V(code) ",\"village_code\":\"" code "\""

/* Year 1: a b c d e; year 2: a b c d f. Persons (from year 2 when present):
 *   a  V1  poor -> exited              1
 *   b  V1  poor -> poor                2 (year 1 has no size at all)
 *   c  ""  exited -> returned          3 (village V2 in year 1, none in year 2)
 *   d  V2  not_registered -> marginal  4 (year 1 says 40)
 *   e  V2  poor -> absent              5 (from year 1)
 *   f  V1  absent -> poor              6 */
static const char *Y1[] = {
    H("a", V("V1"), "poor", 1),
    "{\"id\":\"b\",\"village_code\":\"V1\",\"registry_status\":\"poor\"}",
    H("c", V("V2"), "exited", 3),
    H("d", V("V2"), "not_registered", 40),
    H("e", V("V2"), "poor", 5),
};
static const char *Y2[] = {
    H("a", V("V1"), "exited", 1),
    H("b", V("V1"), "poor", 2),
    H("c", "", "returned", 3),
    H("d", V("V2"), "monitored_marginal", 4),
    H("f", V("V1"), "poor", 6),
};

Test(transitions_weighted, persons_by_hand) {
    const pov_schema *core = pov_schema_core();
    pov_dataset *d1 = ds_of(core, Y1, 5), *d2 = ds_of(core, Y2, 5);
    size_t vc = ind(core, "village_code"), hs = ind(core, "household_size");
    pov_transitions *t = NULL;
    cr_assert_eq(pov_transitions_compute_weighted(d1, d2, vc, hs, &t), 0, "%s",
                 pov_error_message(pov_error_last()));

    double M[NS * NS], want[NS * NS] = {0};
    want[POOR * NS + EXITED] = 1;      /* a */
    want[POOR * NS + POOR] = 2;        /* b */
    want[EXITED * NS + RETURNED] = 3;  /* c */
    want[NR * NS + MARGINAL] = 4;      /* d */
    want[POOR * NS + ABSENT] = 5;      /* e */
    want[ABSENT * NS + POOR] = 6;      /* f */
    cr_assert_eq(pov_transitions_matrix(t, SIZE_MAX, M), 0);
    for (size_t c = 0; c < NS * NS; c++)
        cr_assert_eq(M[c], want[c], "cell %zu,%zu: %g want %g", c / NS, c % NS, M[c], want[c]);

    pov_transition_summary s = {.size = sizeof s};
    cr_assert_eq(pov_transitions_summary(t, SIZE_MAX, &s), 0);
    cr_assert_eq(s.households, 21);        /* 1+2+3+4+5+6 */
    cr_assert_eq(s.poor_before, 8);        /* a b e */
    cr_assert_eq(s.poor_after, 11);        /* b c f */
    cr_assert_eq(s.exits, 1);              /* a */
    cr_assert_eq(s.persistent, 2);         /* b */
    cr_assert_eq(s.returns, 3);            /* c */
    cr_assert_eq(s.entries, 6);            /* f */
    /* denominators: poor in year 1 and present in year 2 a+b = 3; exited
     * and present c = 3; neither, present in year 2: d+f = 10 */
    cr_assert_float_eq(s.exit_rate, 1.0 / 3, 1e-15);
    cr_assert_float_eq(s.persistence_rate, 2.0 / 3, 1e-15);
    cr_assert_float_eq(s.return_rate, 1.0, 1e-15);
    cr_assert_float_eq(s.entry_rate, 0.6, 1e-15);

    /* units from year 2 when present: "" = {c}, V1 = {a, b, f}, V2 = {d, e} */
    cr_assert_eq(pov_transitions_unit_count(t), 3);
    cr_assert_str_eq(pov_transitions_unit(t, 0), "");
    cr_assert_str_eq(pov_transitions_unit(t, 1), "V1");
    cr_assert_str_eq(pov_transitions_unit(t, 2), "V2");
    cr_assert_eq(pov_transitions_summary(t, 0, &s), 0);
    cr_assert_eq(s.households, 3);
    cr_assert_eq(s.returns, 3);
    cr_assert_eq(s.return_rate, 1);
    cr_assert_eq(pov_transitions_summary(t, 1, &s), 0);
    cr_assert_eq(s.households, 9);
    cr_assert_eq(s.poor_before, 3);
    cr_assert_eq(s.poor_after, 8);
    cr_assert_float_eq(s.exit_rate, 1.0 / 3, 1e-15);
    cr_assert_eq(s.entries, 6);
    cr_assert_eq(s.entry_rate, 1);
    cr_assert_eq(pov_transitions_summary(t, 2, &s), 0);
    cr_assert_eq(s.households, 9);
    cr_assert_eq(s.poor_before, 5);
    cr_assert_eq(s.entries, 0);
    cr_assert_eq(s.entry_rate, 0); /* d: 0 / 4 */
    cr_assert(isnan(s.exit_rate)); /* e is absent in year 2 */
    cr_assert_eq(pov_transitions_matrix(t, 2, M), 0);
    cr_assert_eq(M[NR * NS + MARGINAL], 4);
    cr_assert_eq(M[POOR * NS + ABSENT], 5);
    pov_transitions_free(t);

    /* the same households unweighted: rates are shares of households */
    cr_assert_eq(pov_transitions_compute_weighted(d1, d2, SIZE_MAX, SIZE_MAX, &t), 0);
    cr_assert_eq(pov_transitions_summary(t, SIZE_MAX, &s), 0);
    cr_assert_eq(s.households, 6);
    cr_assert_eq(s.exit_rate, 0.5);
    cr_assert_eq(s.entry_rate, 0.5);
    pov_transitions_free(t);
    pov_dataset_free(d1);
    pov_dataset_free(d2);
}

/* Survey weights of an extension indicator: fractional, zero allowed. */
Test(transitions_weighted, survey_weights) {
    const char *doc = "{\"format\":\"povmetrics.schema/1\",\"indicators\":["
                      "{\"id\":\"wt\",\"level\":\"household\",\"type\":\"number\"},"
                      "{\"id\":\"flag\",\"level\":\"household\",\"type\":\"boolean\"}]}";
    pov_schema *s = NULL;
    cr_assert_eq(pov_schema_load_string(doc, strlen(doc), NULL, &s), 0, "%s",
                 pov_error_message(pov_error_last()));
    const char *y1[] = {
        "{\"id\":\"p\",\"registry_status\":\"poor\",\"wt\":1.5}",
        "{\"id\":\"q\",\"registry_status\":\"poor\",\"wt\":2.25}",
        "{\"id\":\"r\",\"registry_status\":\"poor\",\"wt\":0}",
    };
    const char *y2[] = {
        "{\"id\":\"p\",\"registry_status\":\"exited\",\"wt\":0.5}",
        "{\"id\":\"q\",\"registry_status\":\"poor\"}", /* missing status, weight: no */
        "{\"id\":\"r\",\"registry_status\":\"exited\",\"wt\":0}",
    };
    /* q has no wt in year 2: an error although year 1 has one */
    pov_dataset *d1 = ds_of(s, y1, 3), *d2 = ds_of(s, y2, 3);
    size_t wt = ind(s, "wt");
    pov_transitions *t = (pov_transitions *)&wt; /* must come back NULL */
    int r = pov_transitions_compute_weighted(d1, d2, SIZE_MAX, wt, &t);
    expect_bad_weight(r, t, "after", "[1].wt", "q", "wt");
    pov_dataset_free(d2);

    y2[1] = "{\"id\":\"q\",\"registry_status\":\"poor\",\"wt\":0.75}";
    d2 = ds_of(s, y2, 3);
    cr_assert_eq(pov_transitions_compute_weighted(d1, d2, SIZE_MAX, wt, &t), 0);
    pov_transition_summary sm = {.size = sizeof sm};
    cr_assert_eq(pov_transitions_summary(t, SIZE_MAX, &sm), 0);
    cr_assert_eq(sm.households, 1.25);   /* 0.5 + 0.75 + 0 */
    cr_assert_eq(sm.exits, 0.5);         /* p (r weighs 0) */
    cr_assert_eq(sm.exit_rate, 0.4);     /* 0.5 / 1.25 */
    cr_assert_float_eq(sm.persistence_rate, 0.6, 1e-15);
    pov_transitions_free(t);

    /* a negative weight, and the wrong kinds of indicator */
    pov_dataset_free(d2);
    y2[2] = "{\"id\":\"r\",\"registry_status\":\"exited\",\"wt\":-2}";
    d2 = ds_of(s, y2, 3);
    r = pov_transitions_compute_weighted(d1, d2, SIZE_MAX, wt, &t);
    expect_bad_weight(r, t, "after", "[2].wt", "r", "wt");
    cr_assert(strstr(pov_error_message(pov_error_last()), "-2"));
    size_t bad[] = {ind(s, "flag"), ind(s, "village_code"), ind(s, "age"),
                    pov_schema_count(s)};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        t = (pov_transitions *)&wt;
        cr_assert_eq(pov_transitions_compute_weighted(d1, d2, SIZE_MAX, bad[b], &t), POV_EINVAL,
                     "indicator %zu", bad[b]);
        cr_assert_null(t);
    }
    /* an indicator the other register's schema does not have */
    pov_dataset *core2 = ds_of(pov_schema_core(), Y2, 5);
    cr_assert_eq(pov_transitions_compute_weighted(d1, core2, SIZE_MAX, wt, &t), POV_EINVAL);
    cr_assert_eq(pov_transitions_compute_weighted(NULL, d2, SIZE_MAX, wt, &t), POV_EINVAL);
    cr_assert_eq(pov_transitions_compute_weighted(d1, d2, SIZE_MAX, wt, NULL), POV_EINVAL);
    pov_dataset_free(core2);
    pov_dataset_free(d1);
    pov_dataset_free(d2);
    pov_schema_free(s);
}

/* A household absent from year 2 takes its weight from year 1, so a missing
 * one there is an error of register "before"; a missing year-1 weight of a
 * household present in year 2 is not read. */
Test(transitions_weighted, missing_weight_in_first_register) {
    const pov_schema *core = pov_schema_core();
    const char *y1[] = {
        H("a", V("V1"), "poor", 1),
        "{\"id\":\"gone\",\"village_code\":\"V1\",\"registry_status\":\"poor\"}",
    };
    const char *y2[] = {H("a", V("V1"), "exited", 1)};
    pov_dataset *d1 = ds_of(core, y1, 2), *d2 = ds_of(core, y2, 1);
    size_t hs = ind(core, "household_size");
    pov_transitions *t = (pov_transitions *)&hs;
    int r = pov_transitions_compute_weighted(d1, d2, SIZE_MAX, hs, &t);
    expect_bad_weight(r, t, "before", "[1].household_size", "gone", "household_size");
    cr_assert(strstr(pov_error_message(pov_error_last()), "missing"));
    /* the other way round: b's year-1 size is missing but year 2 has one */
    pov_dataset *e1 = ds_of(core, Y1, 5), *e2 = ds_of(core, Y2, 5);
    cr_assert_eq(pov_transitions_compute_weighted(e1, e2, SIZE_MAX, hs, &t), 0);
    pov_transitions_free(t);
    pov_dataset_free(e1);
    pov_dataset_free(e2);
    pov_dataset_free(d1);
    pov_dataset_free(d2);
}

/* SIZE_MAX is the unweighted function: the same bits in every block. */
Test(transitions_weighted, size_max_equals_unweighted) {
    const pov_schema *core = pov_schema_core();
    pov_dataset *d1 = ds_of(core, Y1, 5), *d2 = ds_of(core, Y2, 5);
    size_t units[] = {SIZE_MAX, ind(core, "village_code")};
    for (size_t u = 0; u < 2; u++) {
        pov_transitions *a = NULL, *b = NULL;
        cr_assert_eq(pov_transitions_compute(d1, d2, units[u], &a), 0);
        cr_assert_eq(pov_transitions_compute_weighted(d1, d2, units[u], SIZE_MAX, &b), 0);
        cr_assert_eq(pov_transitions_unit_count(a), pov_transitions_unit_count(b));
        for (size_t k = 0; k <= pov_transitions_unit_count(a); k++) {
            size_t unit = k == pov_transitions_unit_count(a) ? SIZE_MAX : k;
            double ma[NS * NS], mb[NS * NS];
            cr_assert_eq(pov_transitions_matrix(a, unit, ma), 0);
            cr_assert_eq(pov_transitions_matrix(b, unit, mb), 0);
            cr_assert_eq(memcmp(ma, mb, sizeof ma), 0, "unit %zu", k);
            pov_transition_summary sa = {.size = sizeof sa}, sb = {.size = sizeof sb};
            cr_assert_eq(pov_transitions_summary(a, unit, &sa), 0);
            cr_assert_eq(pov_transitions_summary(b, unit, &sb), 0);
            cr_assert_eq(memcmp(&sa, &sb, sizeof sa), 0, "unit %zu", k);
        }
        pov_transitions_free(a);
        pov_transitions_free(b);
    }
    pov_dataset_free(d1);
    pov_dataset_free(d2);
}
