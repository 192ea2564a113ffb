/*
 * Derived indicators (docs/indicators.md, "Derived indicators").
 *
 * Net income follows the Guangxi household exit checklist 八有一超, item 9
 * (domain.md §3): operating + wage + property + transfer + other income −
 * production costs, where basic pension, C-class minimum-living payments and
 * temporary relief (parts of transfer income) are excluded; divided by
 * household size.
 *
 * History-based indicators (docs/data-model.md): income_last_year and
 * assistance_measures are not core indicators but, when a schema declares
 * them (the monitoring policies do), a missing value is filled from the
 * household's income history and programme records. The column then holds
 * a value the caller did not give; the dataset remembers it per row
 * (hi_*_fill) so that a later derive can tell it from the caller's own
 * value, which is never replaced.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "dataset_priv.h"

/* End of the fields of the first layout, and of history_indicators. */
#define OPTS_BASE_END (offsetof(pov_derive_options, school_age_max) + sizeof(int))
#define OPTS_HISTORY_END (offsetof(pov_derive_options, history_indicators) + sizeof(int))

void pov_derive_options_init(pov_derive_options *opts) {
    if (!opts)
        return;
    opts->size = sizeof *opts;
    opts->income_components = POV_INCOME_ALL;
    opts->income_exclusions = POV_INCOME_EXCL_ALL;
    opts->subtract_production_costs = 1;
    /* working age 16-64: the registry's labour-force age convention [U] */
    opts->labour_age_min = 16;
    opts->labour_age_max = 64;
    /* compulsory education: enrolment at 6, nine years (Compulsory Education
     * Law of the PRC, art. 11) -> ages 6..15 */
    opts->school_age_min = 6;
    opts->school_age_max = 15;
    opts->history_indicators = 1;
}

int povi_check_options(const pov_derive_options *o) {
    /* a caller built against an older header passes a smaller size: the
     * fields it does not have take their defaults (povi_copy_options) */
    if (o->size < OPTS_BASE_END)
        return povi_error(POV_EINVAL, "pov_derive_options.size is %zu, expected at least %zu "
                          "(use pov_derive_options_init)", o->size, (size_t)OPTS_BASE_END);
    if (o->income_components == 0 || (o->income_components & ~POV_INCOME_ALL))
        return povi_error(POV_EINVAL, "income_components must be a non-empty set of "
                          "POV_INCOME_* flags");
    if (o->income_exclusions & ~POV_INCOME_EXCL_ALL)
        return povi_error(POV_EINVAL, "income_exclusions has unknown flags");
    if (o->labour_age_min < 0 || o->labour_age_min > o->labour_age_max ||
        o->labour_age_max > 130)
        return povi_error(POV_EINVAL, "labour ages must satisfy 0 <= min <= max <= 130");
    if (o->school_age_min < 0 || o->school_age_min > o->school_age_max ||
        o->school_age_max > 130)
        return povi_error(POV_EINVAL, "school ages must satisfy 0 <= min <= max <= 130");
    return 0;
}

void povi_copy_options(pov_derive_options *dst, const pov_derive_options *src) {
    /* whole fields only: the ones the caller's layout has */
    size_t n = src->size >= sizeof *dst       ? sizeof *dst
               : src->size >= OPTS_HISTORY_END ? OPTS_HISTORY_END
                                               : OPTS_BASE_END;
    pov_derive_options_init(dst);
    memcpy(dst, src, n);
    dst->size = sizeof *dst;
}

/* history_indicators, or its default when the options end before it */
static int history_on(const pov_derive_options *o) {
    return o->size < OPTS_HISTORY_END || o->history_indicators != 0;
}

void povi_derive_resolve(const pov_schema *schema, size_t *income_last_year,
                         size_t *measures) {
    *income_last_year = *measures = SIZE_MAX;
    if (pov_schema_count(schema) <= POVI_CORE_COUNT)
        return; /* the core schema declares neither */
    size_t i;
    if (povi_schema_lookup(schema, "income_last_year", sizeof "income_last_year" - 1, &i)) {
        const povi_indicator *ind = povi_schema_get(schema, i);
        if (ind->level == POV_LEVEL_HOUSEHOLD && ind->type == POV_TYPE_NUMBER && !ind->derived)
            *income_last_year = i;
    }
    if (povi_schema_lookup(schema, "assistance_measures", sizeof "assistance_measures" - 1,
                           &i)) {
        const povi_indicator *ind = povi_schema_get(schema, i);
        if (ind->level == POV_LEVEL_HOUSEHOLD && ind->type == POV_TYPE_INTEGER && !ind->derived)
            *measures = i;
    }
}

/* Stores @p d (NaN: nothing to derive) into history-based indicator @p i of
 * @p row unless the column holds the caller's value: a present value other
 * than the one derive stored last time (fill[row]). A value outside the
 * indicator's declared range is not stored. */
static void put_history(pov_dataset *ds, size_t row, size_t i, double *fill, double d) {
    double *col = ds->num[i];
    double v = col[row];
    if (!isnan(v) && v != fill[row]) {
        fill[row] = NAN; /* the caller's */
        return;
    }
    if (!isnan(d)) {
        const povi_indicator *ind = povi_schema_get(ds->schema, i);
        if (d < ind->min || d > ind->max)
            d = NAN;
    }
    col[row] = d;
    fill[row] = d;
}

static void derive_history(pov_dataset *ds, size_t row) {
    int on = history_on(&ds->opts);
    double year = ds->num[POVI_YEAR][row]; /* integer 1949..2100, NaN: missing */
    if (ds->hi_income_fill) {
        /* the history entry of year - 1 (entries are sorted by year) */
        double d = NAN;
        if (on && !isnan(year)) {
            int32_t want = (int32_t)year - 1;
            for (size_t k = ds->hoff[row], e = ds->hoff[row + 1]; k < e && ds->hyear[k] <= want;
                 k++)
                if (ds->hyear[k] == want)
                    d = ds->hval[k];
        }
        put_history(ds, row, ds->hi_income, ds->hi_income_fill, d);
    }
    if (ds->hi_measures_fill) {
        /* programme records of the year or earlier; none recorded: missing
         * (no record does not tell "no measure" from "not recorded") */
        double d = NAN;
        size_t p0 = ds->poff[row], p1 = ds->poff[row + 1];
        if (on && !isnan(year) && p1 > p0) {
            size_t c = 0;
            for (size_t k = p0; k < p1; k++)
                c += ds->pyear[k] <= year;
            d = (double)c;
        }
        put_history(ds, row, ds->hi_measures, ds->hi_measures_fill, d);
    }
}

void povi_derive_row(pov_dataset *ds, size_t row) {
    const pov_derive_options *o = &ds->opts;
    double **num = ds->num;
    int32_t **cat = ds->cat;
    size_t m0 = ds->moff[row], m1 = ds->moff[row + 1];
    size_t n = m1 - m0;

    double size = n > 0 ? (double)n : ds->dsize[row];
    num[POVI_HOUSEHOLD_SIZE][row] = size;

    if (n > 0) {
        int labour = 0, out_of_school = 0, uninsured = 0;
        const double *age = num[POVI_AGE];
        const int32_t *cap = cat[POVI_LABOUR_CAPACITY];
        const int32_t *sch = cat[POVI_SCHOOLING];
        const double *ins = num[POVI_MEDICAL_INSURANCE];
        for (size_t j = m0; j < m1; j++) {
            double a = age[j];
            if (!isnan(a) && a >= o->labour_age_min && a <= o->labour_age_max &&
                cap[j] != POVI_LABOUR_NONE && cap[j] != POVI_LABOUR_LOST)
                labour++;
            if (!isnan(a) && a >= o->school_age_min && a <= o->school_age_max &&
                (sch[j] == POVI_SCHOOL_NEVER_ENROLLED || sch[j] == POVI_SCHOOL_DROPPED_OUT ||
                 sch[j] == POVI_SCHOOL_SUSPENDED))
                out_of_school++;
            if (ins[j] == 0.0)
                uninsured++;
        }
        num[POVI_LABOUR_COUNT][row] = labour;
        /* no silent infinity: with no labour, divide by 1 (documented) */
        num[POVI_DEPENDENCY_RATIO][row] = (double)(n - (size_t)labour) / (labour > 0 ? labour : 1);
        num[POVI_SCHOOL_AGE_OUT_OF_SCHOOL][row] = out_of_school;
        num[POVI_UNINSURED_MEMBERS][row] = uninsured;
    } else {
        num[POVI_LABOUR_COUNT][row] = NAN;
        num[POVI_DEPENDENCY_RATIO][row] = NAN;
        num[POVI_SCHOOL_AGE_OUT_OF_SCHOOL][row] = NAN;
        num[POVI_UNINSURED_MEMBERS][row] = NAN;
    }

    /* net income: a missing component counts as 0 unless all are missing */
    static const int comp[5] = {POVI_INCOME_WAGE, POVI_INCOME_OPERATING, POVI_INCOME_PROPERTY,
                                POVI_INCOME_TRANSFER, POVI_INCOME_OTHER};
    static const int excl[3] = {POVI_TRANSFER_BASIC_PENSION, POVI_TRANSFER_DIBAO_C,
                                POVI_TRANSFER_TEMPORARY_RELIEF};
    double net = 0.0;
    int present = 0;
    for (int k = 0; k < 5; k++) {
        if (!(o->income_components & (1u << k)))
            continue;
        double v = num[comp[k]][row];
        if (!isnan(v)) {
            net += v;
            present = 1;
        }
    }
    if (present) {
        /* the excluded items are parts of transfer income: only subtracted
         * when transfer income is counted */
        if (o->income_components & POV_INCOME_TRANSFER)
            for (int k = 0; k < 3; k++) {
                double v = num[excl[k]][row];
                if ((o->income_exclusions & (1u << k)) && !isnan(v))
                    net -= v;
            }
        double costs = num[POVI_PRODUCTION_COSTS][row];
        if (o->subtract_production_costs && !isnan(costs))
            net -= costs;
    } else {
        net = NAN;
    }
    num[POVI_NET_INCOME][row] = net;
    num[POVI_PER_CAPITA_NET_INCOME][row] = (size > 0) ? net / size : NAN;
    double area = num[POVI_FLOOR_AREA][row];
    num[POVI_FLOOR_AREA_PER_CAPITA][row] = (size > 0) ? area / size : NAN;
    if (ds->hi_income_fill || ds->hi_measures_fill)
        derive_history(ds, row);
}
