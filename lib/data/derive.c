/*
 * Derived indicators (docs/indicators.md, "Derived indicators").
 *
 * Net income follows the Guangxi household exit checklist 八有一超, item 9
 * (domain.md §3): operating + wage + property + transfer + other income −
 * production costs, where basic pension, C-class minimum-living payments and
 * temporary relief (parts of transfer income) are excluded; divided by
 * household size.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stddef.h>

#include "dataset_priv.h"

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
}

int povi_check_options(const pov_derive_options *o) {
    if (o->size < sizeof(pov_derive_options))
        return povi_error(POV_EINVAL, "pov_derive_options.size is %zu, expected %zu "
                          "(use pov_derive_options_init)", o->size, sizeof(pov_derive_options));
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
}
