/*
 * gen_households — a deterministic generator of synthetic households,
 * written through the library's streaming writer.
 *
 *   gen_households [--seed N] [--households N] [--counties N] [--townships N]
 *                  [--villages N] [--year Y] [--batch N]
 *                  [--format jsonl|json|csv] [--members FILE] OUT
 *
 * The same seed and options always give the same bytes. Region layout:
 * province 45 → city 4501 → counties 450121.. (at most 78) → townships
 * (3 digits, at most 898 per county) → villages (3 digits, at most 798);
 * households are spread evenly over the villages.
 *
 * Households carry the core indicators and every extension indicator of the
 * embedded guangxi_2016 policy (with national_2016) and of the
 * guangxi_style_2015 scorecard; the schema is built from those two at start.
 * A latent prosperity factor per household drives incomes, housing, assets
 * and the extension items together. Default year 2015 (line 2855).
 *
 * ILLUSTRATIVE DATA: every distribution below is chosen to look plausible
 * for rural households in a poor county (docs/sample-data.md lists them and
 * says why); none is estimated from real survey data, and the numbers must
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

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

/*
 * Extension indicators get a value with probability 1 - MISSING_SHARE; the
 * rest are left missing (what an incomplete survey form looks like). Core
 * indicators are always filled, so derived incomes stay known.
 */
#define MISSING_SHARE 0.02

static void ext_bool(rng *r, pov_household *h, const char *id, int value) {
    if (!bern(r, MISSING_SHARE))
        CHECK(pov_household_set_boolean(h, id, value));
}

static void ext_number(rng *r, pov_household *h, const char *id, double value) {
    if (!bern(r, MISSING_SHARE))
        CHECK(pov_household_set_number(h, id, value));
}

static void ext_category(rng *r, pov_household *h, const char *id, const char *code) {
    if (!bern(r, MISSING_SHARE))
        CHECK(pov_household_set_category(h, id, code));
}

/* a yes/no asset or facility: P = logistic(a + b w) for prosperity w */
#define ASSET_SHIFT 2.3 /* moves every share up: tuned so scores centre near 70 */
/* a rare event (the vetoes): P = logistic(a + b w), no shift */
static int rare(rng *r, double w, double a, double b) { return bern(r, logistic(a + b * w)); }

static int has(rng *r, double w, double a, double b) {
    return bern(r, logistic(a + ASSET_SHIFT + b * w));
}

static void make_household(rng *r, pov_household *h, const char *id, const region *g, int year,
                           double line) {
    CHECK(pov_household_set_id(h, id));
    CHECK(pov_household_set_text(h, "province_code", g->province));
    CHECK(pov_household_set_text(h, "city_code", g->city));
    CHECK(pov_household_set_text(h, "county_code", g->county));
    CHECK(pov_household_set_text(h, "township_code", g->township));
    CHECK(pov_household_set_text(h, "village_code", g->village));
    CHECK(pov_household_set_number(h, "year", year));

    /* Latent prosperity w ~ N(0, 1): drives incomes, housing, assets and the
     * extension items, so that they agree with each other (ILLUSTRATIVE). */
    double w = normal(r);
    /* 2015 yuan: incomes scale with the line relative to the 2015 line 2855 */
    double scale = 1.35 * line / 2855.0;

    member_plan mp[8];
    int n = plan_members(r, mp);
    int labour = 0, chronic = 0, disabled = 0, pupils = 0, elderly = 0, migrants = 0;
    int max_school = 0, skilled = 0, has_child = 0, weak = 0;
    double wage = 0;
    for (int i = 0; i < n; i++) {
        size_t k;
        CHECK(pov_household_member_add(h, &k));
        int age = mp[i].age;
        CHECK(pov_household_member_set_category(h, k, "relation", mp[i].relation));
        CHECK(pov_household_member_set_number(h, k, "age", age));
        CHECK(pov_household_member_set_category(h, k, "sex", mp[i].male ? "male" : "female"));
        /* health worsens with age and with poverty (ILLUSTRATIVE) */
        double old = (age >= 60 ? 2.0 : 1.0) * (w < -1 ? 1.4 : 1.0);
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
            cap = has(r, w, -1.8, 0.6) ? "skilled" : "ordinary";
        CHECK(pov_household_member_set_category(h, k, "labour_capacity", cap));
        int works = strcmp(cap, "ordinary") == 0 || strcmp(cap, "skilled") == 0;
        labour += works;
        weak += strcmp(cap, "weak") == 0;
        skilled += strcmp(cap, "skilled") == 0;
        chronic += health >= 2;
        disabled += dis > 0;
        elderly += age >= 60;
        has_child += age < 16;
        const char *school = schooling_for(r, age);
        CHECK(pov_household_member_set_category(h, k, "schooling", school));
        pupils += strcmp(school, "primary") == 0 || strcmp(school, "junior_secondary") == 0 ||
                  strcmp(school, "senior_secondary") == 0 ||
                  strcmp(school, "secondary_vocational") == 0 || strcmp(school, "tertiary") == 0;
        /* completed schooling of working-age adults: 6 + 3 N-ish, better off more */
        if (age >= 16 && age <= 64) {
            int yrs = (int)lround(7.5 + 1.5 * w + 2.0 * normal(r) - (age > 50 ? 2 : 0));
            yrs = yrs < 0 ? 0 : (yrs > 16 ? 16 : yrs);
            if (yrs > max_school)
                max_school = yrs;
        }
        CHECK(pov_household_member_set_boolean(h, k, "medical_insurance", has(r, w, 3.0, 0.6)));
        if (age >= 16)
            CHECK(pov_household_member_set_boolean(h, k, "pension_insurance", bern(r, 0.85)));
        /* a member paid from public funds (teacher, civil servant): a veto */
        CHECK(pov_household_member_set_boolean(h, k, "public_funds_paid",
                                               age >= 22 && age <= 59 && rare(r, w, -6.5, 1.0)));
        int months = 0;
        if (works && age >= 18 && age <= 50 && bern(r, 0.45))
            months = uint_in(r, 3, 12);
        migrants += months > 6;
        CHECK(pov_household_member_set_number(h, k, "migrant_months", months));
        /* migrant wage: months x monthly wage, LN(median 2400 x e^{0.25 w}, 0.35) */
        if (months)
            wage += months * lognormal(r, 2800 * scale * exp(0.25 * w), 0.35);
        else if (works && bern(r, 0.3))
            wage += lognormal(r, 6000 * scale * exp(0.3 * w), 0.5); /* local casual work */
    }

    /* income components, yuan/year (ILLUSTRATIVE log-normals, medians x e^{0.35 w}) */
    double ew = exp(0.35 * w);
    /* weak-labour members farm at half the rate of able workers */
    double workers = labour + 0.5 * weak;
    double operating = workers > 0 ? workers * lognormal(r, 5000 * scale * ew, 0.55)
                                   : lognormal(r, 1000 * scale, 0.6);
    double property = has(r, w, -1.2, 0.8) ? lognormal(r, 400 * scale * ew, 1.0) : 0;
    double pension = elderly * 840.0; /* basic pension, 70 yuan/month in 2015 */
    double dibao = 0;
    double transfer = lognormal(r, 700 * scale, 0.5) + pension;
    /* other income: support from children living apart, more for the elderly */
    double other = bern(r, elderly ? 0.6 : 0.2) ? lognormal(r, 1200 * scale, 0.7) : 0;
    double costs = operating * 0.35 * (0.6 + 0.8 * unif(r));
    double pc = (wage + operating + property + transfer + other - costs - pension) / n;
    int dibao_ab = 0;
    if (pc < 1.2 * line && (labour == 0 || chronic + disabled > 0) && bern(r, 0.75)) {
        dibao = n * lognormal(r, 1300 * scale, 0.3);
        transfer += dibao;
        dibao_ab = bern(r, 0.7); /* A/B class counts as income; C class is excluded */
        if (!dibao_ab)
            CHECK(pov_household_set_number(h, "transfer_dibao_c", yuan(dibao)));
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
    CHECK(pov_household_set_number(h, "debt", bern(r, 0.4) ? yuan(lognormal(r, 15000, 1.0)) : 0));

    /* housing: an ordinal draw z = w + N(0, 0.8) picks the structure, better
     * structures for higher z (ILLUSTRATIVE cut points) */
    static const char *const structures[] = {"simple", "earth", "timber", "brick_wood",
                                             "brick_concrete", "reinforced_concrete"};
    static const double cuts[] = {-2.6, -1.5, -1.1, -0.4, 1.3};
    double z = w + 0.8 * normal(r);
    int st = 0;
    while (st < 5 && z > cuts[st])
        st++;
    CHECK(pov_household_set_category(h, "housing_structure", structures[st]));
    static const char *const grades[] = {"A", "B", "C", "D"};
    static const double gp_good[] = {0.60, 0.34, 0.05, 0.01};
    static const double gp_poor[] = {0.10, 0.35, 0.35, 0.20};
    CHECK(pov_household_set_category(h, "housing_safety", grades[pick(r, st <= 1 ? gp_poor : gp_good, 4)]));
    double area = 15 + n * lognormal(r, 20 * exp(0.15 * w), 0.3);
    CHECK(pov_household_set_number(h, "floor_area", tenth(area)));
    int concrete = st >= 4;
    ext_number(r, h, "house_storeys", concrete ? uint_in(r, 1, 3 + (w > 1)) : 1);
    ext_number(r, h, "house_age_years", concrete ? uint_in(r, 2, 25) : uint_in(r, 15, 60));
    ext_bool(r, h, "second_dwelling", rare(r, w, -4.0, 1.0));
    ext_bool(r, h, "house_renovated_recently", concrete && has(r, w, -1.5, 0.8));
    ext_number(r, h, "rooms", (int)(area / 18) + uint_in(r, 0, 1));
    ext_bool(r, h, "has_courtyard", bern(r, 0.6));
    ext_bool(r, h, "house_decorated", has(r, w, -1.0 + concrete, 1.2));
    ext_bool(r, h, "child_bedroom", has_child && has(r, w, -0.5, 1.0));
    ext_bool(r, h, "has_kitchen", has(r, w, 2.0, 1.0));
    ext_bool(r, h, "has_sanitary_toilet", has(r, w, 0.2, 1.2));
    ext_bool(r, h, "has_bathroom", has(r, w, -0.3, 1.2));
    ext_bool(r, h, "livestock_separated", has(r, w, 0.8, 0.8));
    ext_bool(r, h, "has_furniture_set", has(r, w, -0.3, 1.2));
    ext_bool(r, h, "has_gas_stove", has(r, w, 0.0, 1.2));

    /* water, power, road, communication */
    int safe = has(r, w, 2.8, 0.6);
    CHECK(pov_household_set_boolean(h, "safe_water", safe));
    double litres = 60 + 20 * normal(r);
    CHECK(pov_household_set_number(h, "water_litres_per_day", tenth(litres < 10 ? 10 : litres)));
    CHECK(pov_household_set_number(h, "water_fetch_minutes", safe ? 0 : uint_in(r, 5, 40)));
    CHECK(pov_household_set_number(h, "water_supply_pct", safe ? uint_in(r, 90, 100) : uint_in(r, 60, 95)));
    ext_bool(r, h, "tap_water", safe && has(r, w, 1.2, 0.8));
    ext_bool(r, h, "water_tank", bern(r, 0.4));
    int power = bern(r, 0.99);
    CHECK(pov_household_set_boolean(h, "electricity", power));
    ext_bool(r, h, "three_phase_power", power && has(r, w, -2.0, 0.8));
    ext_bool(r, h, "stable_power", power && bern(r, 0.85));
    ext_category(r, h, "cooking_fuel", has(r, w, -0.3, 1.2) ? "gas_electric"
                                       : bern(r, 0.3)         ? "biogas"
                                       : bern(r, 0.1)         ? "coal"
                                                              : "firewood");
    ext_bool(r, h, "solar_water_heater", has(r, w, -1.0, 0.8));
    int road = bern(r, 0.90);
    CHECK(pov_household_set_boolean(h, "road_hardened", road));
    ext_bool(r, h, "road_to_door", road && bern(r, 0.8));
    double km = lognormal(r, 7, 0.6); /* distance to the township seat */
    ext_number(r, h, "township_distance_km", tenth(km));
    ext_bool(r, h, "bus_stop_near", km < 10 ? bern(r, 0.7) : bern(r, 0.3));
    CHECK(pov_household_set_boolean(h, "tv", has(r, w, 2.5, 0.8)));
    ext_bool(r, h, "has_cable_tv", has(r, w, 1.0, 0.8));
    int phone = has(r, w, 3.0, 0.8);
    CHECK(pov_household_set_boolean(h, "phone", phone));
    ext_number(r, h, "smartphones", phone ? (has(r, w, 0.3, 1.0) ? uint_in(r, 1, 2 + (n > 3)) : 0) : 0);
    CHECK(pov_household_set_boolean(h, "broadband", has(r, w, -0.3, 1.0)));
    /* appliances */
    ext_bool(r, h, "has_fridge", has(r, w, 0.3, 1.4));
    ext_bool(r, h, "has_washing_machine", has(r, w, 0.0, 1.4));
    ext_bool(r, h, "has_air_conditioner", has(r, w, -2.0, 1.3));
    ext_bool(r, h, "has_computer", has(r, w, -2.0, 1.3));
    ext_bool(r, h, "has_water_heater", has(r, w, -0.5, 1.2));
    ext_bool(r, h, "has_microwave", rare(r, w, -2.5, 1.2));
    ext_bool(r, h, "has_range_hood", has(r, w, -1.8, 1.2));
    ext_bool(r, h, "has_electric_fan", has(r, w, 2.5, 1.0));

    /* land and livestock */
    CHECK(pov_household_set_number(h, "paddy_mu", tenth(n * lognormal(r, 0.5, 0.6))));
    CHECK(pov_household_set_number(h, "dry_land_mu", tenth(n * lognormal(r, 0.8, 0.7))));
    CHECK(pov_household_set_number(h, "economic_forest_mu", has(r, w, -0.4, 0.5) ? tenth(lognormal(r, 2, 0.8)) : 0));
    CHECK(pov_household_set_number(h, "forest_mu", bern(r, 0.5) ? tenth(lognormal(r, 5, 0.9)) : 0));
    ext_number(r, h, "fish_pond", rare(r, w, -2.5, 0.8) ? tenth(lognormal(r, 1, 0.6)) : 0);
    ext_number(r, h, "land_leased_in", rare(r, w, -2.5, 1.0) ? tenth(lognormal(r, 5, 0.8)) : 0);
    int large = bern(r, 0.3) ? uint_in(r, 1, 3) : 0;
    int pigs = bern(r, 0.5) ? uint_in(r, 1, 6) : 0;
    int poultry = bern(r, 0.7) ? uint_in(r, 3, 40) : 0;
    int goats = bern(r, 0.1) ? uint_in(r, 2, 15) : 0;
    int scale_farm = rare(r, w, -3.5, 1.0);
    CHECK(pov_household_set_number(h, "large_livestock", large));
    CHECK(pov_household_set_number(h, "pigs", pigs + (scale_farm ? 30 : 0)));
    CHECK(pov_household_set_number(h, "poultry", poultry));
    ext_number(r, h, "goats", goats);
    CHECK(pov_household_set_number(h, "livestock_value", yuan(large * 6000 + (pigs + (scale_farm ? 30 : 0)) * 1500 + poultry * 60 + goats * 800)));
    ext_bool(r, h, "livestock_at_scale", scale_farm);
    ext_bool(r, h, "aquaculture", rare(r, w, -3.0, 0.8));
    /* vehicles and machinery; a registered car is a veto */
    CHECK(pov_household_set_number(h, "cars", rare(r, w, -5.2, 1.3)));
    CHECK(pov_household_set_number(h, "motorcycles", has(r, w, 0.3, 0.8) ? uint_in(r, 1, 2) : 0));
    ext_number(r, h, "electric_bikes", has(r, w, -1.0, 0.8));
    ext_bool(r, h, "has_farm_tricycle", has(r, w, -1.0, 0.8));
    ext_bool(r, h, "has_tractor", has(r, w, -1.8, 0.8));
    ext_bool(r, h, "has_truck", rare(r, w, -4.0, 1.2));
    ext_bool(r, h, "has_harvester", rare(r, w, -4.0, 1.0));
    CHECK(pov_household_set_number(h, "farm_machinery", has(r, w, -1.4, 0.8)));

    /* livelihoods */
    int shop = rare(r, w, -3.0, 1.2);
    int transport = rare(r, w, -3.5, 1.0);
    int local_job = labour > 0 && has(r, w, -1.8, 1.0);
    int remit = migrants > 0 && bern(r, 0.7);
    int occ_pension = rare(r, w, -4.5, 1.0);
    ext_bool(r, h, "local_stable_job", local_job);
    ext_bool(r, h, "vocational_training", bern(r, 0.2));
    ext_bool(r, h, "regular_remittances", remit);
    ext_bool(r, h, "occupational_pension", occ_pension);
    ext_bool(r, h, "public_welfare_job", w < 0 && labour > 0 && bern(r, 0.08));
    ext_bool(r, h, "grows_cash_crops", has(r, w, -0.3, 0.6));
    ext_bool(r, h, "runs_shop", shop);
    ext_bool(r, h, "in_cooperative", bern(r, 0.2));
    ext_bool(r, h, "transport_business", transport);
    ext_bool(r, h, "tourism_ecommerce", rare(r, w, -3.0, 0.8));
    ext_bool(r, h, "rents_out", rare(r, w, -2.5, 0.8));
    ext_bool(r, h, "receives_dividends", rare(r, w, -2.5, 0.8));
    ext_bool(r, h, "land_compensation", bern(r, 0.04));
    ext_bool(r, h, "has_savings", has(r, w, -0.2, 1.3));
    ext_bool(r, h, "commercial_insurance", rare(r, w, -2.5, 1.0));
    ext_number(r, h, "max_schooling_years", max_school);
    /* the work team's comparison and the villagers' view follow w with noise */
    double seen = w + 0.5 * normal(r);
    ext_category(r, h, "comparison_rating", seen > 1.2    ? "much_better"
                                           : seen > 0.4  ? "better"
                                           : seen > -0.5 ? "similar"
                                           : seen > -1.3 ? "worse"
                                                         : "much_worse");
    ext_bool(r, h, "group_not_poor", seen > -0.6);
    ext_bool(r, h, "representatives_not_poor", seen > -0.5);
    ext_bool(r, h, "strong_family_support", bern(r, 0.15));
    /* the other vetoes (ILLUSTRATIVE rates of a few households in 300) */
    CHECK(pov_household_set_boolean(h, "town_property", rare(r, w, -5.0, 1.2)));
    CHECK(pov_household_set_boolean(h, "purchased_land", rare(r, w, -4.6, 0.8)));
    CHECK(pov_household_set_boolean(h, "owns_company", rare(r, w, -5.4, 1.3)));
    CHECK(pov_household_set_boolean(h, "drugs_gambling", bern(r, 0.005)));
    ext_bool(r, h, "employs_labour", rare(r, w, -4.6, 1.3));
    ext_bool(r, h, "private_school_abroad", has_child && rare(r, w, -4.2, 1.3));
    /* policy extension indicators (guangxi_2016 / national_2016) */
    ext_bool(r, h, "food_secure", has(r, w, 3.0, 1.2));
    ext_bool(r, h, "clothing_secure", has(r, w, 3.2, 1.2));
    ext_bool(r, h, "has_shop", shop);
    ext_bool(r, h, "self_employed", shop || transport || rare(r, w, -2.5, 0.8));
    ext_bool(r, h, "other_stable_income", occ_pension || local_job || remit);
    ext_bool(r, h, "dibao_ab", dibao_ab);

    /* registry status (2015 identification): most households below the line
     * are registered poor, a few above it too (registered at identification,
     * income up since); ILLUSTRATIVE shares */
    pc = (wage + operating + property + transfer + other - costs - pension -
          (dibao_ab ? 0 : dibao)) / n;
    const char *status = "not_registered";
    if (pc < line ? bern(r, 0.85) : (pc < 1.5 * line && w < 0.3 && bern(r, 0.5)))
        status = "poor";
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
        ext_bool(r, h, "industry_covered", has(r, w, 0.6, 0.5));
    } else {
        ext_bool(r, h, "industry_covered", bern(r, 0.3));
    }
    (void)skilled;
    /* three years of history: growth ~ N(8%, 6%) a year backwards */
    double past = pc;
    for (int y = year - 1; y >= year - 3; y--) {
        past /= 1.08 + 0.06 * normal(r);
        CHECK(pov_household_history_add(h, y, yuan(past)));
    }
}

/* ---- the schema: core + the policy's and the scorecard's extensions ------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            fprintf(stderr, "gen_households: out of memory\n");
            exit(1);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* a JSON string literal (control characters escaped, UTF-8 kept) */
static void sb_json(sbuf *b, const char *s) {
    sb_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            sb_put(b, e, 2);
        } else if (c < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", c);
            sb_str(b, e);
        } else {
            sb_put(b, s, 1);
        }
    }
    sb_put(b, "\"", 1);
}

/* appends extension indicator k of @p s as a schema-document entry */
static void sb_indicator(sbuf *b, const pov_schema *s, size_t k) {
    static const char *const types[] = {"number", "integer", "boolean", "category", "text"};
    sb_str(b, "{\"id\":");
    sb_json(b, pov_schema_id(s, k));
    sb_str(b, ",\"level\":");
    sb_json(b, pov_schema_level(s, k) == POV_LEVEL_MEMBER ? "member" : "household");
    sb_str(b, ",\"type\":");
    int t = pov_schema_type(s, k);
    sb_json(b, types[t >= 0 && t <= 4 ? t : 0]);
    const char *lz = pov_schema_label_zh(s, k), *le = pov_schema_label_en(s, k);
    const char *unit = pov_schema_unit(s, k);
    if (lz && *lz) {
        sb_str(b, ",\"label_zh\":");
        sb_json(b, lz);
    }
    if (le && *le) {
        sb_str(b, ",\"label_en\":");
        sb_json(b, le);
    }
    if (unit && *unit) {
        sb_str(b, ",\"unit\":");
        sb_json(b, unit);
    }
    double lo, hi;
    if ((t == POV_TYPE_NUMBER || t == POV_TYPE_INTEGER) && pov_schema_range(s, k, &lo, &hi) == 0) {
        char num[64];
        if (!isnan(lo) && isfinite(lo)) {
            snprintf(num, sizeof num, ",\"min\":%.17g", lo);
            sb_str(b, num);
        }
        if (!isnan(hi) && isfinite(hi)) {
            snprintf(num, sizeof num, ",\"max\":%.17g", hi);
            sb_str(b, num);
        }
    }
    if (t == POV_TYPE_CATEGORY) {
        sb_str(b, ",\"codes\":[");
        for (size_t c = 0; c < pov_schema_code_count(s, k); c++) {
            sb_str(b, c ? ",{\"code\":" : "{\"code\":");
            sb_json(b, pov_schema_code(s, k, c));
            sb_str(b, "}");
        }
        sb_str(b, "]");
    }
    sb_str(b, "}");
}

/*
 * One schema with the extension indicators of the guangxi_2016 policy (first,
 * in the policy's order, so pov_policy_assess_dataset() accepts it) and of the
 * guangxi_style_2015 scorecard (the ones the policy does not declare).
 */
static pov_schema *combined_schema(void) {
    pov_policy *policy;
    pov_scorecard *sc;
    CHECK(pov_policy_default("guangxi_2016", &policy));
    CHECK(pov_scorecard_default("guangxi_style_2015", &sc));
    const pov_schema *ps = pov_policy_schema(policy), *ss = pov_scorecard_schema(sc);
    size_t core = pov_schema_core_count();
    sbuf b = {0};
    sb_str(&b, "{\"format\":\"povmetrics.schema/1\",\"name\":\"sample-guangxi\",\"indicators\":[");
    int first = 1;
    for (size_t k = core; k < pov_schema_count(ps); k++, first = 0) {
        if (!first)
            sb_str(&b, ",");
        sb_indicator(&b, ps, k);
    }
    for (size_t k = core; k < pov_schema_count(ss); k++) {
        size_t dup;
        if (pov_schema_find(ps, pov_schema_id(ss, k), &dup) == 0)
            continue; /* declared by both (livestock_at_scale) */
        if (!first)
            sb_str(&b, ",");
        first = 0;
        sb_indicator(&b, ss, k);
    }
    sb_str(&b, "]}");
    pov_schema *out;
    CHECK(pov_schema_load_string(b.p, b.len, "combined schema", &out));
    free(b.p);
    pov_scorecard_free(sc);
    pov_policy_free(policy);
    return out;
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
    long long n = 300, counties = 1, townships = 1, villages = 3, year = 2015, batch = 10000;
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

    pov_schema *schema = combined_schema();
    pov_write_options wo;
    pov_write_options_init(&wo);
    wo.members_path = members;
    pov_writer *w;
    CHECK(pov_writer_open(out, format, &wo, &w));
    rng r;
    rng_seed(&r, seed);
    /* the national line of the year (embedded national_2016 policy): incomes
     * are scaled by line / 2855 and the registry status is labelled with it */
    double line = 2855;
    {
        pov_policy *np;
        CHECK(pov_policy_default("national_2016", &np));
        if (pov_policy_poverty_line(np, (int)year, NULL, &line) < 0)
            line = 2855 * pow(1.03, (double)(year - 2015)); /* no line for that year */
        pov_policy_free(np);
    }
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
    pov_schema_free(schema);
    CHECK(pov_writer_commit(w));
    pov_writer_free(w);
    fprintf(stderr, "gen_households: wrote %lld households to %s\n", n, out);
    return 0;
}
