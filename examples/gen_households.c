/*
 * gen_households — a deterministic generator of synthetic households for the
 * core schema, written through the library's streaming writer.
 *
 *   gen_households [--seed N] [--households N] [--counties N] [--townships N]
 *                  [--villages N] [--year Y] [--batch N]
 *                  [--format jsonl|json|csv] [--members FILE] OUT
 *
 * The same seed and options always give the same bytes. Region layout:
 * province 45 → city 4501 → counties 450121.. (at most 78) → townships
 * (3 digits, at most 898 per county) → villages (3 digits, at most 798); households are spread evenly over the villages.
 *
 * ILLUSTRATIVE DATA: every distribution below is chosen to look plausible
 * for rural households in a poor county (docs/data-formats.md, "Sample data",
 * lists them); none is estimated from real survey data, and the numbers must
 * not be quoted as facts about any place.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

/* ---- a small, portable PRNG (xoshiro256**, seeded by splitmix64) ---------- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed) {
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r) {
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* uniform in [0, 1) with 53 random bits */
static double unif(rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

static int bern(rng *r, double p) { return unif(r) < p; }

static int uint_in(rng *r, int lo, int hi) { /* inclusive */
    return lo + (int)(unif(r) * (hi - lo + 1));
}

/* standard normal by Box–Muller (one value per call; simple and exact enough) */
static double normal(rng *r) {
    double u1 = unif(r), u2 = unif(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* log-normal with median m and log-sd s: exp(ln m + s Z) */
static double lognormal(rng *r, double median, double s) { return median * exp(s * normal(r)); }

static int pick(rng *r, const double *p, int n) {
    double u = unif(r), acc = 0;
    for (int i = 0; i < n; i++) {
        acc += p[i];
        if (u < acc)
            return i;
    }
    return n - 1;
}

/* rounds money to whole yuan, areas to 0.1 */
static double yuan(double v) { return floor(v + 0.5); }
static double tenth(double v) { return floor(v * 10 + 0.5) / 10; }

/* ---- one household ------------------------------------------------------- */

#define CHECK(call)                                                                              \
    do {                                                                                         \
        int rc_ = (call);                                                                        \
        if (rc_ < 0) {                                                                           \
            fprintf(stderr, "gen_households: %s: %s (%s)\n", #call,                              \
                    pov_error_message(pov_error_last()), pov_error_path(pov_error_last()));      \
            exit(1);                                                                             \
        }                                                                                        \
    } while (0)

typedef struct member_plan {
    const char *relation;
    int age;
    int male;
} member_plan;

static int plan_members(rng *r, member_plan *m) {
    /* household size 1..8 (ILLUSTRATIVE) */
    static const double size_p[] = {0.08, 0.17, 0.20, 0.24, 0.17, 0.09, 0.03, 0.02};
    int size = 1 + pick(r, size_p, 8);
    int n = 0;
    int head_age = uint_in(r, 24, 82);
    int head_male = bern(r, 0.85);
    m[n++] = (member_plan){"head", head_age, head_male};
    if (size >= 2 && bern(r, 0.85)) {
        int a = head_age + (int)lround(normal(r) * 3) + (head_male ? -2 : 2);
        m[n++] = (member_plan){"spouse", a < 18 ? 18 : (a > 99 ? 99 : a), !head_male};
    }
    /* an elderly parent for younger heads */
    if (n < size && head_age < 55 && bern(r, 0.35)) {
        int a = head_age + uint_in(r, 22, 32);
        m[n++] = (member_plan){"parent", a > 99 ? 99 : a, bern(r, 0.4)};
    }
    while (n < size) {
        if (head_age >= 58 && bern(r, 0.5)) {
            int a = head_age - uint_in(r, 45, 60);
            m[n++] = (member_plan){"grandchild", a < 0 ? 0 : a, bern(r, 0.52)};
        } else {
            int a = head_age - uint_in(r, 20, 36);
            m[n++] = (member_plan){"child", a < 0 ? uint_in(r, 0, 3) : a, bern(r, 0.52)};
        }
    }
    return n;
}

static const char *schooling_for(rng *r, int age) {
    if (age < 3)
        return "not_applicable";
    if (age <= 5)
        return bern(r, 0.8) ? "preschool" : "not_applicable";
    if (age <= 15) {
        if (bern(r, 0.015))
            return "dropped_out";
        return age <= 11 ? "primary" : "junior_secondary";
    }
    if (age <= 18)
        return bern(r, 0.7) ? (bern(r, 0.6) ? "senior_secondary" : "secondary_vocational")
                            : "graduated";
    if (age <= 22)
        return bern(r, 0.25) ? "tertiary" : "graduated";
    return "graduated";
}

typedef struct region {
    char province[8], city[8], county[24], township[40], village[64];
} region;

static void make_household(rng *r, pov_household *h, const char *id, const region *g, int year,
                           double line) {
    CHECK(pov_household_set_id(h, id));
    CHECK(pov_household_set_text(h, "province_code", g->province));
    CHECK(pov_household_set_text(h, "city_code", g->city));
    CHECK(pov_household_set_text(h, "county_code", g->county));
    CHECK(pov_household_set_text(h, "township_code", g->township));
    CHECK(pov_household_set_text(h, "village_code", g->village));
    CHECK(pov_household_set_number(h, "year", year));

    member_plan mp[8];
    int n = plan_members(r, mp);
    int labour = 0, chronic = 0, disabled = 0, pupils = 0, elderly = 0;
    double wage = 0;
    for (int i = 0; i < n; i++) {
        size_t k;
        CHECK(pov_household_member_add(h, &k));
        int age = mp[i].age;
        CHECK(pov_household_member_set_category(h, k, "relation", mp[i].relation));
        CHECK(pov_household_member_set_number(h, k, "age", age));
        CHECK(pov_household_member_set_category(h, k, "sex", mp[i].male ? "male" : "female"));
        /* health worsens with age (ILLUSTRATIVE) */
        double old = age >= 60 ? 2.0 : 1.0;
        static const char *const health_codes[] = {"healthy", "weak", "chronic_illness",
                                                   "serious_illness"};
        double hp[] = {1 - old * 0.25, old * 0.10, old * 0.12, old * 0.03};
        int health = pick(r, hp, 4);
        CHECK(pov_household_member_set_category(h, k, "health", health_codes[health]));
        static const char *const dis_codes[] = {"none", "grade_1", "grade_2", "grade_3",
                                                "grade_4"};
        static const double dp[] = {0.94, 0.01, 0.015, 0.015, 0.02};
        int dis = pick(r, dp, 5);
        CHECK(pov_household_member_set_category(h, k, "disability_grade", dis_codes[dis]));
        const char *cap;
        if (dis == 1 || dis == 2 || health == 3)
            cap = "lost";
        else if (age < 16 || age > 70)
            cap = "none";
        else if (health > 0 || dis > 0 || age > 64)
            cap = "weak";
        else
            cap = bern(r, 0.15) ? "skilled" : "ordinary";
        CHECK(pov_household_member_set_category(h, k, "labour_capacity", cap));
        int works = strcmp(cap, "ordinary") == 0 || strcmp(cap, "skilled") == 0;
        labour += works;
        chronic += health >= 2;
        disabled += dis > 0;
        elderly += age >= 60;
        const char *school = schooling_for(r, age);
        CHECK(pov_household_member_set_category(h, k, "schooling", school));
        pupils += strcmp(school, "primary") == 0 || strcmp(school, "junior_secondary") == 0 ||
                  strcmp(school, "senior_secondary") == 0 ||
                  strcmp(school, "secondary_vocational") == 0 || strcmp(school, "tertiary") == 0;
        CHECK(pov_household_member_set_boolean(h, k, "medical_insurance", bern(r, 0.96)));
        if (age >= 16)
            CHECK(pov_household_member_set_boolean(h, k, "pension_insurance", bern(r, 0.85)));
        int months = 0;
        if (works && age >= 18 && age <= 50 && bern(r, 0.45))
            months = uint_in(r, 3, 12);
        CHECK(pov_household_member_set_number(h, k, "migrant_months", months));
        /* migrant wage: months x monthly wage, LN(median 3000, 0.35) */
        if (months)
            wage += months * lognormal(r, 3000, 0.35);
        else if (works && bern(r, 0.3))
            wage += lognormal(r, 6000, 0.6); /* local casual work */
    }

    /* income components, yuan/year (ILLUSTRATIVE log-normals) */
    double operating = labour > 0 ? labour * lognormal(r, 5500, 0.8) : (bern(r, 0.3) ? lognormal(r, 800, 0.8) : 0);
    double property = bern(r, 0.3) ? lognormal(r, 500, 1.0) : 0;
    double pension = elderly * 1236.0; /* basic pension, about 103 yuan/month */
    double dibao = 0;
    double transfer = lognormal(r, 800, 0.6) + pension;
    double other = bern(r, 0.2) ? lognormal(r, 800, 0.9) : 0;
    double costs = operating * 0.35 * (0.6 + 0.8 * unif(r));
    double pc = (wage + operating + property + transfer + other - costs - pension) / n;
    if (pc < line && (labour == 0 || chronic + disabled > 0) && bern(r, 0.6)) {
        dibao = n * lognormal(r, 1800, 0.3);
        transfer += dibao;
    }
    CHECK(pov_household_set_number(h, "income_wage", yuan(wage)));
    CHECK(pov_household_set_number(h, "income_operating", yuan(operating)));
    CHECK(pov_household_set_number(h, "income_property", yuan(property)));
    CHECK(pov_household_set_number(h, "income_transfer", yuan(transfer)));
    CHECK(pov_household_set_number(h, "income_other", yuan(other)));
    CHECK(pov_household_set_number(h, "transfer_basic_pension", yuan(pension)));
    CHECK(pov_household_set_number(h, "production_costs", yuan(costs)));
    CHECK(pov_household_set_number(h, "exp_medical",
                                   yuan(lognormal(r, 600, 0.9) * (1 + 3 * chronic))));
    CHECK(pov_household_set_number(h, "exp_education", yuan(pupils * lognormal(r, 900, 0.5))));
    CHECK(pov_household_set_number(h, "debt", bern(r, 0.4) ? yuan(lognormal(r, 20000, 1.0)) : 0));

    /* housing (ILLUSTRATIVE shares) */
    static const char *const structures[] = {"reinforced_concrete", "brick_concrete", "brick_wood",
                                             "timber", "earth", "simple"};
    static const double sp[] = {0.12, 0.45, 0.25, 0.08, 0.08, 0.02};
    int st = pick(r, sp, 6);
    CHECK(pov_household_set_category(h, "housing_structure", structures[st]));
    static const char *const grades[] = {"A", "B", "C", "D"};
    static const double gp_good[] = {0.60, 0.32, 0.06, 0.02};
    static const double gp_poor[] = {0.10, 0.35, 0.35, 0.20};
    CHECK(pov_household_set_category(h, "housing_safety", grades[pick(r, st >= 4 ? gp_poor : gp_good, 4)]));
    CHECK(pov_household_set_number(h, "floor_area", tenth(20 + n * lognormal(r, 22, 0.3))));

    /* water, power, road, communication */
    int safe = bern(r, 0.93);
    CHECK(pov_household_set_boolean(h, "safe_water", safe));
    double litres = 60 + 20 * normal(r);
    CHECK(pov_household_set_number(h, "water_litres_per_day", tenth(litres < 10 ? 10 : litres)));
    CHECK(pov_household_set_number(h, "water_fetch_minutes", safe ? 0 : uint_in(r, 5, 40)));
    CHECK(pov_household_set_number(h, "water_supply_pct", safe ? uint_in(r, 90, 100) : uint_in(r, 60, 95)));
    CHECK(pov_household_set_boolean(h, "electricity", bern(r, 0.99)));
    CHECK(pov_household_set_boolean(h, "road_hardened", bern(r, 0.90)));
    CHECK(pov_household_set_boolean(h, "tv", bern(r, 0.92)));
    CHECK(pov_household_set_boolean(h, "phone", bern(r, 0.95)));
    CHECK(pov_household_set_boolean(h, "broadband", bern(r, 0.5)));

    /* land and livestock */
    CHECK(pov_household_set_number(h, "paddy_mu", tenth(n * lognormal(r, 0.5, 0.6))));
    CHECK(pov_household_set_number(h, "dry_land_mu", tenth(n * lognormal(r, 0.8, 0.7))));
    CHECK(pov_household_set_number(h, "economic_forest_mu", bern(r, 0.4) ? tenth(lognormal(r, 2, 0.8)) : 0));
    CHECK(pov_household_set_number(h, "forest_mu", bern(r, 0.5) ? tenth(lognormal(r, 5, 0.9)) : 0));
    int large = bern(r, 0.3) ? uint_in(r, 1, 3) : 0;
    int pigs = bern(r, 0.5) ? uint_in(r, 1, 6) : 0;
    int poultry = bern(r, 0.7) ? uint_in(r, 3, 40) : 0;
    CHECK(pov_household_set_number(h, "large_livestock", large));
    CHECK(pov_household_set_number(h, "pigs", pigs));
    CHECK(pov_household_set_number(h, "poultry", poultry));
    CHECK(pov_household_set_number(h, "livestock_value", yuan(large * 6000 + pigs * 1500 + poultry * 60)));
    CHECK(pov_household_set_number(h, "cars", bern(r, 0.05)));
    CHECK(pov_household_set_number(h, "motorcycles", bern(r, 0.55) ? uint_in(r, 1, 2) : 0));
    CHECK(pov_household_set_number(h, "farm_machinery", bern(r, 0.2)));

    /* registry status and causes: below the line → registered poor */
    pc = (wage + operating + property + transfer + other - costs - pension) / n;
    const char *status = "not_registered";
    if (pc < line)
        status = "poor";
    else if (pc < 1.5 * line)
        status = bern(r, 0.5) ? "exited" : "monitored_marginal";
    CHECK(pov_household_set_category(h, "registry_status", status));
    if (strcmp(status, "not_registered") != 0) {
        const char *cause;
        if (chronic > 0)
            cause = "illness";
        else if (disabled > 0)
            cause = "disability";
        else if (labour == 0)
            cause = "lack_labour";
        else if (pupils > 1)
            cause = "schooling";
        else {
            static const char *const others[] = {"lack_funds", "lack_skills", "lack_land",
                                                 "poor_transport", "lack_water"};
            cause = others[uint_in(r, 0, 4)];
        }
        CHECK(pov_household_set_category(h, "cause_main", cause));
        CHECK(pov_household_set_category(h, "household_type", dibao > 0 ? "dibao_poor" : "ordinary"));
        CHECK(pov_household_set_category(h, "poverty_standard", "national"));
        if (dibao > 0)
            CHECK(pov_household_program_add(h, "dibao", year));
    }
    /* three years of history: growth ~ N(8%, 6%) a year backwards */
    double past = pc;
    for (int y = year - 1; y >= year - 3; y--) {
        past /= 1.08 + 0.06 * normal(r);
        CHECK(pov_household_history_add(h, y, yuan(past)));
    }
}

/* ---- command line ------------------------------------------------------------ */

static void usage(void) {
    fprintf(stderr,
            "usage: gen_households [--seed N] [--households N] [--counties N] [--townships N]\n"
            "                      [--villages N] [--year Y] [--batch N]\n"
            "                      [--format jsonl|json|csv] [--members FILE] OUT\n");
    exit(2);
}

static long long num_arg(const char *s, long long lo, long long hi) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        fprintf(stderr, "gen_households: bad number '%s' (%lld..%lld)\n", s, lo, hi);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    uint64_t seed = 1;
    long long n = 300, counties = 1, townships = 1, villages = 3, year = 2020, batch = 10000;
    int format = POV_FORMAT_AUTO;
    const char *members = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-' || !a[1]) {
            out = a;
            continue;
        }
        if (!v)
            usage();
        if (!strcmp(a, "--seed"))
            seed = (uint64_t)num_arg(v, 0, INT64_MAX);
        else if (!strcmp(a, "--households"))
            n = num_arg(v, 0, 100000000);
        else if (!strcmp(a, "--counties"))
            counties = num_arg(v, 1, 78);
        else if (!strcmp(a, "--townships"))
            townships = num_arg(v, 1, 898);
        else if (!strcmp(a, "--villages"))
            villages = num_arg(v, 1, 798);
        else if (!strcmp(a, "--year"))
            year = num_arg(v, 1990, 2100);
        else if (!strcmp(a, "--batch"))
            batch = num_arg(v, 1, 10000000);
        else if (!strcmp(a, "--members"))
            members = v;
        else if (!strcmp(a, "--format"))
            format = !strcmp(v, "jsonl") ? POV_FORMAT_JSONL
                     : !strcmp(v, "json") ? POV_FORMAT_JSON
                     : !strcmp(v, "csv")  ? POV_FORMAT_CSV
                                          : (usage(), 0);
        else
            usage();
        i++;
    }
    if (!out)
        usage();

    const pov_schema *schema = pov_schema_core();
    pov_write_options wo;
    pov_write_options_init(&wo);
    wo.members_path = members;
    pov_writer *w;
    CHECK(pov_writer_open(out, format, &wo, &w));
    rng r;
    rng_seed(&r, seed);
    const double line = 4000; /* national line ~2020 (domain.md §5), used only to label status */
    long long nvill = counties * townships * villages;
    pov_household *h;
    CHECK(pov_household_new(schema, &h));
    pov_dataset *ds = NULL;
    for (long long i = 0; i < n; i++) {
        if (!ds)
            CHECK(pov_dataset_new(schema, &ds));
        /* households are spread evenly: village v gets a contiguous block */
        long long v = i * nvill / (n ? n : 1);
        long long c = v / (townships * villages), t = (v / villages) % townships, vi = v % villages;
        region g;
        snprintf(g.province, sizeof g.province, "45");
        snprintf(g.city, sizeof g.city, "4501");
        snprintf(g.county, sizeof g.county, "4501%02d", (int)(21 + c));
        snprintf(g.township, sizeof g.township, "%s%03d", g.county, (int)(101 + t));
        snprintf(g.village, sizeof g.village, "%s%03d", g.township, (int)(201 + vi));
        char id[96];
        snprintf(id, sizeof id, "%s-%05lld", g.village, i + 1);
        pov_household_free(h);
        CHECK(pov_household_new(schema, &h));
        make_household(&r, h, id, &g, (int)year, line);
        CHECK(pov_dataset_append(ds, h));
        if ((long long)pov_dataset_count(ds) == batch) {
            CHECK(pov_writer_write(w, ds));
            pov_dataset_free(ds);
            ds = NULL;
        }
    }
    if (ds) {
        CHECK(pov_writer_write(w, ds));
        pov_dataset_free(ds);
    }
    pov_household_free(h);
    CHECK(pov_writer_commit(w));
    pov_writer_free(w);
    fprintf(stderr, "gen_households: wrote %lld households to %s\n", n, out);
    return 0;
}
