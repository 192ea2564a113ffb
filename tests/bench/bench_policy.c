/*
 * Benchmark: exit assessment of N synthetic households (default 1,000,000)
 * against Guangxi's household standard (guangxi_2016, 八有一超 + food and
 * clothing), then the roll-up into villages (十一有一低于) and counties
 * (九有一低于). Prints CPU time, households per second and peak RSS.
 * Run by hand (see tests/bench/README.md), never by meson test.
 *
 *   bench_policy [N] [--json] [--stage household|units] [--repeat R]
 *
 * --stage times one stage only and --repeat R (default 3) sets the number of
 * runs of each stage (best of R is reported): for profiling one stage with
 * perf or callgrind.
 *
 * Data (illustrative, deterministic, splitmix64 seed 2016): 200 households
 * per village, 50 villages per county; 1-6 members aged 0-80; 95% of members
 * insured, 1% insurance unknown; floor area 8-48 m² per person; grade A-D;
 * income 1000-9000 yuan per person; 40% registered poor. Year 2020 (line
 * 4000; collective income 50,000; retention 93%).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "povmetrics.h"

static uint64_t rng_state = 2016;
static uint64_t next_u64(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unif(void) { return (double)(next_u64() >> 11) * 0x1.0p-53; }

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#define CHECK(x)                                                                       \
    do {                                                                               \
        if ((x) < 0) {                                                                 \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x,                 \
                    pov_error_message(pov_error_last()));                              \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

static const char *structures[] = {"reinforced_concrete", "brick_concrete", "brick_wood",
                                   "timber", "earth", "simple"};
static const char *grades[] = {"A", "B", "C", "D"};

int main(int argc, char **argv) {
    size_t n = 1000000;
    int json = 0, reps = 3, do_hh = 1, do_units = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--stage") == 0 && i + 1 < argc) {
            i++;
            do_hh = strcmp(argv[i], "household") == 0;
            do_units = strcmp(argv[i], "units") == 0;
            if (!do_hh && !do_units) {
                fprintf(stderr, "--stage: household or units\n");
                return 2;
            }
        } else {
            n = strtoull(argv[i], NULL, 10);
        }
    }
    pov_policy *p = NULL;
    CHECK(pov_policy_default("guangxi_2016", &p));
    const pov_schema *schema = pov_policy_schema(p);
    pov_dataset *ds = NULL;
    CHECK(pov_dataset_new(schema, &ds));
    pov_household *h = NULL;
    pov_unit_inputs *in = NULL;
    CHECK(pov_unit_inputs_new(&in));
    double t0 = cpu_seconds();
    char id[32], vill[48], county[32];
    for (size_t i = 0; i < n; i++) {
        size_t v = i / 200, c = v / 50;
        snprintf(county, sizeof county, "45%04zu", c);
        snprintf(vill, sizeof vill, "45%04zu%06zu", c, v);
        if (i % 200 == 0) {
            CHECK(pov_unit_inputs_set_number(in, vill, "village_road_width_m", 4 + unif()));
            CHECK(pov_unit_inputs_set_number(in, vill, "hamlet_road_width_m", 3 + unif()));
            const char *b[] = {"has_office", "has_clinic", "has_culture_room", "has_broadband",
                               "good_committee"};
            for (int k = 0; k < 5; k++)
                CHECK(pov_unit_inputs_set_boolean(in, vill, b[k], unif() < 0.95));
            CHECK(pov_unit_inputs_set_number(in, vill, "pension_enrolment", 0.85 + 0.15 * unif()));
            CHECK(pov_unit_inputs_set_number(in, vill, "collective_income", 80000 * unif()));
        }
        if (i % 10000 == 0) {
            const char *nm[] = {"wrongful_exit_rate", "missed_identification_rate"};
            for (int k = 0; k < 2; k++)
                CHECK(pov_unit_inputs_set_number(in, county, nm[k], 0.03 * unif()));
            CHECK(pov_unit_inputs_set_number(in, county, "public_approval", 0.85 + 0.15 * unif()));
            CHECK(pov_unit_inputs_set_number(in, county, "dangerous_housing_renovated",
                                             0.95 + 0.05 * unif()));
            CHECK(pov_unit_inputs_set_number(in, county, "education_retention", 0.9 + 0.1 * unif()));
            CHECK(pov_unit_inputs_set_number(in, county, "villages_road_share", 0.95 + 0.05 * unif()));
            CHECK(pov_unit_inputs_set_boolean(in, county, "public_services", 1));
            CHECK(pov_unit_inputs_set_number(in, county, "dibao_line", 3800 + 600 * unif()));
            CHECK(pov_unit_inputs_set_number(in, county, "pension_enrolment", 0.85 + 0.15 * unif()));
            CHECK(pov_unit_inputs_set_boolean(in, county, "income_growth_above_national",
                                              unif() < 0.7));
        }
        pov_household_free(h);
        CHECK(pov_household_new(schema, &h));
        snprintf(id, sizeof id, "h%zu", i);
        CHECK(pov_household_set_id(h, id));
        CHECK(pov_household_set_text(h, "province_code", "45"));
        CHECK(pov_household_set_text(h, "county_code", county));
        CHECK(pov_household_set_text(h, "village_code", vill));
        CHECK(pov_household_set_number(h, "year", 2020));
        CHECK(pov_household_set_category(h, "registry_status",
                                         unif() < 0.4 ? "poor" : "not_registered"));
        int size = 1 + (int)(6 * unif());
        for (int m = 0; m < size; m++) {
            size_t k;
            CHECK(pov_household_member_add(h, &k));
            int age = (int)(80 * unif());
            CHECK(pov_household_member_set_number(h, k, "age", age));
            CHECK(pov_household_member_set_category(h, k, "labour_capacity",
                                                    unif() < 0.8 ? "ordinary" : "none"));
            double u = unif();
            if (u >= 0.01)
                CHECK(pov_household_member_set_boolean(h, k, "medical_insurance", u >= 0.05));
            CHECK(pov_household_member_set_category(
                h, k, "schooling",
                age >= 6 && age <= 15 ? (unif() < 0.98 ? "primary" : "dropped_out")
                                      : "not_applicable"));
            CHECK(pov_household_member_set_number(h, k, "migrant_months", (int)(13 * unif())));
        }
        CHECK(pov_household_set_number(h, "floor_area", size * (8 + 40 * unif())));
        CHECK(pov_household_set_category(h, "housing_structure", structures[next_u64() % 6]));
        CHECK(pov_household_set_category(h, "housing_safety", grades[next_u64() % 4]));
        CHECK(pov_household_set_number(h, "income_wage", size * (1000 + 8000 * unif())));
        CHECK(pov_household_set_number(h, "production_costs", 500 * unif()));
        CHECK(pov_household_set_number(h, "water_litres_per_day", 20 + 40 * unif()));
        CHECK(pov_household_set_number(h, "water_fetch_minutes", 30 * unif()));
        CHECK(pov_household_set_number(h, "water_supply_pct", 80 + 20 * unif()));
        CHECK(pov_household_set_boolean(h, "safe_water", unif() < 0.9));
        CHECK(pov_household_set_number(h, "paddy_mu", size * unif()));
        CHECK(pov_household_set_number(h, "dry_land_mu", size * unif()));
        CHECK(pov_household_set_number(h, "economic_forest_mu", 0));
        CHECK(pov_household_set_number(h, "forest_mu", 3 * unif()));
        const char *b[] = {"road_hardened", "electricity", "tv", "phone", "food_secure",
                           "clothing_secure", "has_shop", "livestock_at_scale", "self_employed",
                           "other_stable_income", "dibao_ab", "industry_covered"};
        const double pr[] = {0.97, 0.99, 0.95, 0.9, 0.98, 0.98, 0.1, 0.1, 0.1, 0.2, 0.1, 0.7};
        for (int k = 0; k < 12; k++)
            CHECK(pov_household_set_boolean(h, b[k], unif() < pr[k]));
        CHECK(pov_dataset_append(ds, h));
    }
    pov_household_free(h);
    double t_build = cpu_seconds() - t0;

    pov_derive_options o;
    CHECK(pov_policy_derive_options(p, &o));
    CHECK(pov_dataset_derive(ds, &o));

    /* 1. household standard only (the batch path over columns) */
    double best_hh = 1e300, best_units = 1e300;
    size_t eligible = 0;
    for (int rep = 0; rep < reps && do_hh; rep++) {
        pov_assessment *a = NULL;
        double t = cpu_seconds();
        CHECK(pov_policy_assess_dataset(p, ds, 2020, &a));
        t = cpu_seconds() - t;
        if (t < best_hh)
            best_hh = t;
        eligible = 0;
        const uint8_t *el = pov_assessment_eligible(a);
        for (size_t i = 0; i < n; i++)
            eligible += el[i] == POV_PASS;
        pov_assessment_free(a);
    }
    /* 2. household standard + village and county roll-up */
    size_t villages = 0, villages_ok = 0, counties = 0, blockers = 0;
    for (int rep = 0; rep < reps && do_units; rep++) {
        pov_unit_result *rv = NULL, *rc = NULL;
        double t = cpu_seconds();
        CHECK(pov_policy_assess_units(p, ds, POV_POLICY_VILLAGE, 2020, in, &rv));
        CHECK(pov_policy_assess_units(p, ds, POV_POLICY_COUNTY, 2020, in, &rc));
        t = cpu_seconds() - t;
        if (t < best_units)
            best_units = t;
        villages = pov_unit_result_count(rv);
        counties = pov_unit_result_count(rc);
        villages_ok = blockers = 0;
        for (size_t u = 0; u < villages; u++) {
            villages_ok += pov_unit_result_outcome(rv, u) == POV_PASS;
            blockers += pov_unit_result_blocker_count(rv, u);
        }
        for (size_t u = 0; u < counties; u++)
            blockers += pov_unit_result_blocker_count(rc, u);
        pov_unit_result_free(rv);
        pov_unit_result_free(rc);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss = (double)ru.ru_maxrss / 1024.0;
    if (json) {
        printf("{\"n\":%zu,\"build_s\":%.3f,\"household_s\":%.4f,\"household_per_s\":%.0f,"
               "\"units_s\":%.4f,\"units_per_s\":%.0f,\"eligible\":%zu,\"villages\":%zu,"
               "\"villages_eligible\":%zu,\"counties\":%zu,\"blockers\":%zu,"
               "\"peak_rss_mb\":%.1f}\n",
               n, t_build, best_hh, n / best_hh, best_units, n / best_units, eligible,
               villages, villages_ok, counties, blockers, rss);
    } else {
        printf("households:               %zu (built in %.2f s CPU)\n", n, t_build);
        if (do_hh)
            printf("household standard:       %.4f s CPU  %.0f households/s  (eligible %zu)\n",
                   best_hh, n / best_hh, eligible);
        if (do_units)
            printf("+ village & county roll-up: %.4f s CPU  %.0f households/s  (%zu villages, "
                   "%zu eligible; %zu counties; %zu blocking households listed)\n",
                   best_units, n / best_units, villages, villages_ok, counties, blockers);
        printf("peak_rss_mb=%.1f\n", rss);
    }
    pov_unit_inputs_free(in);
    pov_dataset_free(ds);
    pov_policy_free(p);
    return 0;
}
