/*
 * Tests of scorecards: loading and validation (every error with its JSON
 * path), hand-scored households for every scoring form, vetoes, strict and
 * lenient missing inputs, explanations, deliberation, identification by
 * cut-off and by quota (with the tie-break), ranks, PPI likelihoods, and the
 * embedded defaults.
 *
 * Expected numbers are computed by hand in the comments from
 * tests/data/scorecard/example.json (the example of docs/scorecard-format.md).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "povmetrics.h"

#define EPS 1e-9

static char *example_path(void) {
    static char buf[4096];
    const char *d = getenv("POV_TEST_DATA");
    snprintf(buf, sizeof buf, "%s/scorecard/example.json", d ? d : "tests/data");
    return buf;
}

static pov_scorecard *load_example(void) {
    pov_scorecard *sc = NULL;
    int r = pov_scorecard_load_file(example_path(), &sc);
    cr_assert_eq(r, 0, "load: %s at %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    return sc;
}

static void add_json(pov_dataset *ds, const char *json) {
    pov_household *h = NULL;
    int r = pov_household_from_json(pov_dataset_schema(ds), json, strlen(json), NULL, &h);
    cr_assert_eq(r, 0, "household: %s at %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
    pov_household_free(h);
}

/* Household A: brick_wood (map 4); 60 m² / 3 members = 20 m² (band [13,25) 2);
 * safe water (2) -> housing 8. 1 motorcycle (2×1 = 2); 7 pigs (7/5×1 = 1.4)
 * -> assets 3.4. Wage 6000 / 3 = 2000 (band [1000,3000) 5); debt 25000
 * (-1 × 25000/10000 = -2.5) -> income 2.5. Two members aged 16–64 able to
 * work: labour_count 2, 2×2 = 4 (clamped to [0,4]) -> 4. Total 17.9. */
static const char *HH_A =
    "{\"id\":\"A\",\"village_code\":\"V1\",\"county_code\":\"C1\",\"housing_structure\":\"brick_wood\","
    "\"floor_area\":60,\"safe_water\":true,\"motorcycles\":1,\"pigs\":7,\"income_wage\":6000,"
    "\"debt\":25000,\"cars\":0,\"members\":[{\"age\":40,\"labour_capacity\":\"ordinary\",\"public_funds_paid\":false},"
    "{\"age\":38,\"labour_capacity\":\"ordinary\",\"public_funds_paid\":false},"
    "{\"age\":10,\"schooling\":\"primary\",\"public_funds_paid\":false}]}";
/* Household B: reinforced_concrete 6; 100/2 = 50 m² -> 4; water 2: 12 capped
 * to 10. 3 motorcycles 6 -> capped 4; pigs missing -> declared 0 (missing
 * 1) -> assets 4. Wage 2000/2 = 1000 -> band [1000,3000) 5; debt missing ->
 * declared 0 (missing 2) -> income 5. Members aged 70, 68: labour 0 -> 0.
 * Total 19. cars = 1: veto "car". */
static const char *HH_B =
    "{\"id\":\"B\",\"village_code\":\"V1\",\"county_code\":\"C1\",\"housing_structure\":\"reinforced_concrete\","
    "\"floor_area\":100,\"safe_water\":true,\"motorcycles\":3,\"income_wage\":2000,\"cars\":1,"
    "\"members\":[{\"age\":70,\"labour_capacity\":\"weak\",\"public_funds_paid\":false},"
    "{\"age\":68,\"labour_capacity\":\"weak\",\"public_funds_paid\":false}]}";
/* Household C: timber 3; 30/1 = 30 m² -> 4; no safe water 0 -> 7. 0
 * motorcycles, 0 pigs -> 0. Wage 500 -> band (-inf,1000) 0; debt 0 -> 0.
 * One member aged 80 -> labour 0 -> 0. Total 7. The member is paid from
 * public funds: veto "public_payroll". */
static const char *HH_C =
    "{\"id\":\"C\",\"village_code\":\"V2\",\"county_code\":\"C1\",\"housing_structure\":\"timber\","
    "\"floor_area\":30,\"safe_water\":false,\"motorcycles\":0,\"pigs\":0,\"income_wage\":500,\"debt\":0,"
    "\"cars\":0,\"members\":[{\"age\":80,\"labour_capacity\":\"none\",\"public_funds_paid\":true}]}";
/* Household D: no member records, household_size 4 declared. earth 1;
 * 40/4 = 10 m² -> band (-inf,13) 0; water 2 -> 3. Motorcycles and pigs
 * missing -> declared 0 (2 missing). Wage 4000/4 = 1000 -> 5; debt 10000 ->
 * -1 -> income 4. labour_count is missing (no members) and "workers" declares
 * no points: strict mode fails; lenient scores 0 (3 missing). Total 7. */
static const char *HH_D =
    "{\"id\":\"D\",\"village_code\":\"V2\",\"county_code\":\"C1\",\"household_size\":4,"
    "\"housing_structure\":\"earth\",\"floor_area\":40,\"safe_water\":true,\"income_wage\":4000,"
    "\"debt\":10000,\"cars\":0}";

static pov_dataset *dataset_abcd(const pov_scorecard *sc) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    add_json(ds, HH_A);
    add_json(ds, HH_B);
    add_json(ds, HH_C);
    add_json(ds, HH_D);
    return ds;
}

static pov_score_result *score_lenient(const pov_scorecard *sc, const pov_dataset *ds) {
    pov_score_options o;
    cr_assert_eq(pov_score_options_init(&o), 0);
    o.mode = POV_SCORE_LENIENT;
    pov_score_result *res = NULL;
    int r = pov_scorecard_score(sc, ds, &o, &res);
    cr_assert_eq(r, 0, "%s", pov_error_message(pov_error_last()));
    return res;
}

/* ---- embedded defaults ------------------------------------------------------ */

Test(defaults, guangxi_style_loads_without_files) {
    /* run from an empty directory so no file could be found by accident */
    char dir[] = "/tmp/povsc_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(chdir(dir), 0);
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_default("guangxi_style_2015", &sc), 0, "%s",
                 pov_error_message(pov_error_last()));
    cr_assert_str_eq(pov_scorecard_id(sc), "guangxi_style_2015");
    cr_assert_eq(pov_scorecard_category_count(sc), 18);
    cr_assert_eq(pov_scorecard_item_count(sc), 98);
    cr_assert_eq(pov_scorecard_veto_count(sc), 8);
    cr_assert_float_eq(pov_scorecard_max_total(sc), 100.0, EPS);
    const char *named[] = {"car", "town_property", "purchased_land", "company", "public_payroll", "vice"};
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(pov_scorecard_veto_id(sc, i), named[i]);
    cr_assert_str_eq(pov_scorecard_category_id(sc, 0), "housing_structure");
    cr_assert_eq(pov_scorecard_item_category(sc, 97), 17);
    cr_assert_not_null(strstr(pov_scorecard_title(sc), "illustrative"));
    cr_assert_str_eq(pov_scorecard_version(sc), "1.0.0");
    cr_assert_gt(pov_schema_count(pov_scorecard_schema(sc)), pov_schema_core_count());
    pov_scorecard_free(sc);
    cr_assert_eq(pov_scorecard_default(NULL, &sc), 0);
    cr_assert_str_eq(pov_scorecard_id(sc), "guangxi_style_2015");
    pov_scorecard_free(sc);
    cr_assert_eq(rmdir(dir), 0);
}

Test(defaults, ppi_style_loads) {
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_default("ppi_style", &sc), 0);
    cr_assert_eq(pov_scorecard_item_count(sc), 10);
    cr_assert_eq(pov_scorecard_veto_count(sc), 0);
    cr_assert_float_eq(pov_scorecard_max_total(sc), 100.0, EPS);
    pov_scorecard_free(sc);
}

Test(defaults, json_text_and_unknown_name) {
    const char *json = NULL;
    size_t len = 0;
    cr_assert_eq(pov_scorecard_default_json("ppi_style", &json, &len), 0);
    cr_assert_eq(strlen(json), len);
    cr_assert_not_null(strstr(json, "\"povmetrics.scorecard/1\""));
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(json, len, "ppi.json", &sc), 0);
    cr_assert_str_eq(pov_scorecard_id(sc), "ppi_style");
    pov_scorecard_free(sc);
    cr_assert_eq(pov_scorecard_default("no_such_card", &sc), POV_ENOTFOUND);
    cr_assert_null(sc);
    cr_assert_eq(pov_scorecard_default_json("no_such_card", &json, NULL), POV_ENOTFOUND);
    cr_assert_eq(pov_scorecard_default_json(NULL, NULL, NULL), POV_EINVAL);
}

/* ---- loading: bad arguments ---------------------------------------------------- */

Test(load, bad_arguments_and_io) {
    pov_scorecard *sc = (pov_scorecard *)1;
    cr_assert_eq(pov_scorecard_load_file("/nonexistent/card.json", &sc), POV_EIO);
    cr_assert_null(sc);
    cr_assert_eq(pov_scorecard_load_file(NULL, &sc), POV_EINVAL);
    cr_assert_eq(pov_scorecard_load_string(NULL, 0, NULL, &sc), POV_EINVAL);
    cr_assert_eq(pov_scorecard_load_string("{}", 2, NULL, NULL), POV_EINVAL);
    cr_assert_eq(pov_scorecard_default(NULL, NULL), POV_EINVAL);
    pov_scorecard_free(NULL);
    cr_assert_null(pov_scorecard_id(NULL));
    cr_assert_null(pov_scorecard_version(NULL));
    cr_assert_null(pov_scorecard_title(NULL));
    cr_assert_null(pov_scorecard_schema(NULL));
    cr_assert_eq(pov_scorecard_category_count(NULL), 0);
    cr_assert_eq(pov_scorecard_item_count(NULL), 0);
    cr_assert_eq(pov_scorecard_veto_count(NULL), 0);
    cr_assert(isnan(pov_scorecard_max_total(NULL)));
    sc = load_example();
    cr_assert_null(pov_scorecard_category_id(sc, 99));
    cr_assert_null(pov_scorecard_item_id(sc, 99));
    cr_assert_null(pov_scorecard_veto_id(sc, 99));
    cr_assert_eq(pov_scorecard_item_category(sc, 99), SIZE_MAX);
    cr_assert_str_eq(pov_scorecard_item_id(sc, 3), "motorcycles");
    /* caps: housing 10 (items 6+4+2=12), assets 6 (4+3=7 -> 6), income 10 +
     * 3 = 13 (no cap; per_unit max is its cap 3), labour 4: 10+6+13+4 = 33 */
    cr_assert_float_eq(pov_scorecard_max_total(sc), 33.0, EPS);
    pov_scorecard_free(sc);
}

/* ---- validation errors with their paths --------------------------------------- */

#define HEAD "{\"format\":\"povmetrics.scorecard/1\",\"id\":\"t\",\"version\":\"1\","       \
             "\"direction\":\"higher_better_off\",\"provenance\":{\"sources\":[]},"      \
             "\"identification\":{\"cutoff\":60}"
#define CATS(items) ",\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"cap\":10,\"items\":[" items "]}]"
#define OK_ITEM "{\"id\":\"w\",\"indicator\":\"safe_water\",\"boolean\":{\"true\":2,\"false\":0}}"

static void expect_error(const char *json, int code, const char *path) {
    pov_scorecard *sc = (pov_scorecard *)1;
    int r = pov_scorecard_load_string(json, strlen(json), "t.json", &sc);
    const pov_error *e = pov_error_last();
    cr_assert_eq(r, code, "expected %d, got %d (%s at %s) for %s", code, r, pov_error_message(e),
                 pov_error_path(e), json);
    cr_assert_null(sc, "nothing half-built is returned");
    if (path)
        cr_assert_str_eq(pov_error_path(e), path, "message: %s", pov_error_message(e));
    cr_assert_str_eq(pov_error_source(e), "t.json");
}

Test(validate, the_minimal_document_is_valid) {
    const char *json = HEAD CATS(OK_ITEM) "}";
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(json, strlen(json), NULL, &sc), 0, "%s %s",
                 pov_error_message(pov_error_last()), pov_error_path(pov_error_last()));
    pov_scorecard_free(sc);
}

Test(validate, document_level) {
    expect_error("{\"format\":", POV_ETRUNCATED, NULL);
    expect_error("{\"format\":]", POV_ESYNTAX, NULL);
    expect_error("[]", POV_ETYPE, "");
    expect_error("{\"id\":\"t\"}", POV_EFORMAT, "");
    expect_error("{\"format\":\"povmetrics.scorecard/2\"}", POV_EFORMAT, "format");
    expect_error(HEAD CATS(OK_ITEM) ",\"colour\":1}", POV_EUNKNOWN, "colour");
    expect_error("{\"format\":\"povmetrics.scorecard/1\",\"version\":\"1\"}", POV_EMISSING, "");
    expect_error("{\"format\":\"povmetrics.scorecard/1\",\"id\":\"Bad Id\"}", POV_EINVAL, "id");
    expect_error("{\"format\":\"povmetrics.scorecard/1\",\"id\":\"t\",\"version\":\"1\","
                 "\"direction\":\"lower_better_off\"}", POV_EINVAL, "direction");
    expect_error("{\"format\":\"povmetrics.scorecard/1\",\"id\":\"t\",\"version\":\"1\","
                 "\"direction\":\"higher_better_off\"}", POV_EMISSING, "");
    expect_error("{\"format\":\"povmetrics.scorecard/1\",\"id\":\"t\",\"version\":\"1\","
                 "\"direction\":\"higher_better_off\",\"provenance\":{\"sources\":{}}}",
                 POV_ETYPE, "provenance.sources");
    expect_error(HEAD ",\"categories\":[]}", POV_ERULE, "categories");
    expect_error(HEAD "}", POV_EMISSING, "");
    expect_error(HEAD CATS(OK_ITEM) ",\"review_margin\":-1}", POV_ERANGE, "review_margin");
    expect_error(HEAD CATS(OK_ITEM) ",\"deliberation\":{\"max_adjustment\":-2}}", POV_ERANGE,
                 "deliberation.max_adjustment");
}

Test(validate, location_has_line_and_column) {
    const char *json = HEAD ",\n\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"items\":[\n"
                            "  {\"id\":\"w\",\"indicator\":\"no_such_thing\",\"boolean\":{\"true\":1,\"false\":0}}]}]}";
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(json, strlen(json), "t.json", &sc), POV_ENOTFOUND);
    const pov_error *e = pov_error_last();
    cr_assert_str_eq(pov_error_path(e), "categories[0].items[0].indicator");
    cr_assert_eq(pov_error_line(e), 3);
    /* line 3: 2 spaces, {"id":"w", (10 bytes), "indicator": (12 bytes): the value starts at column 25 */
    cr_assert_eq(pov_error_column(e), 25, "column %zu", pov_error_column(e));
}

Test(validate, categories) {
    expect_error(HEAD ",\"categories\":[{\"id\":\"c\",\"step\":\"see\",\"items\":[" OK_ITEM "]}]}",
                 POV_EINVAL, "categories[0].step");
    expect_error(HEAD ",\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"cap\":0,\"items\":[" OK_ITEM "]}]}",
                 POV_ERANGE, "categories[0].cap");
    expect_error(HEAD ",\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"items\":[]}]}", POV_ERULE,
                 "categories[0].items");
    expect_error(HEAD ",\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"items\":[" OK_ITEM "]},"
                      "{\"id\":\"c\",\"step\":\"count\",\"items\":[" OK_ITEM "]}]}",
                 POV_EDUPLICATE, "categories[1].id");
    expect_error(HEAD ",\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"items\":[" OK_ITEM "]},"
                      "{\"id\":\"d\",\"step\":\"count\",\"items\":[" OK_ITEM "]}]}",
                 POV_EDUPLICATE, "categories[1].items[0].id");
}

Test(validate, bands) {
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":20,\"points\":1},{\"min\":15,\"max\":null,\"points\":2}]}") "}",
                 POV_ERULE, "categories[0].items[0].bands[1].min");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":20,\"points\":1},{\"min\":25,\"max\":null,\"points\":2}]}") "}",
                 POV_ERULE, "categories[0].items[0].bands[1].min");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":20,\"points\":1},{\"min\":null,\"max\":30,\"points\":2}]}") "}",
                 POV_ERULE, "categories[0].items[0].bands[1].min");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":null,\"points\":1},{\"min\":20,\"max\":30,\"points\":2}]}") "}",
                 POV_ERULE, "categories[0].items[0].bands[0].max");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":5,\"max\":5,\"points\":1}]}") "}",
                 POV_ERULE, "categories[0].items[0].bands[0].max");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":20,\"points\":1},{\"min\":20,\"max\":null,\"points\":12}]}") "}",
                 POV_ERULE, "categories[0].items[0].bands[1].points");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"points\":1}]}") "}",
                 POV_EMISSING, "categories[0].items[0].bands[0]");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":\"10\",\"points\":1}]}") "}",
                 POV_ETYPE, "categories[0].items[0].bands[0].max");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":["
                           "{\"min\":0,\"max\":1e999,\"points\":1}]}") "}",
                 POV_ENONFINITE, "categories[0].items[0].bands[0].max");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"floor_area\",\"bands\":[]}") "}",
                 POV_ERULE, "categories[0].items[0].bands");
}

Test(validate, items) {
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"no_such\",\"boolean\":{\"true\":1,\"false\":0}}") "}",
                 POV_ENOTFOUND, "categories[0].items[0].indicator");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"housing_structure\",\"map\":{\"marble\":3},\"default\":0}") "}",
                 POV_ECODE, "categories[0].items[0].map.marble");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"housing_structure\",\"map\":{\"timber\":3}}") "}",
                 POV_ERULE, "categories[0].items[0].map");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"housing_structure\",\"map\":{\"timber\":30},\"default\":0}") "}",
                 POV_ERULE, "categories[0].items[0].map.timber");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"safe_water\",\"weight\":2,\"boolean\":{\"true\":1,\"false\":0}}") "}",
                 POV_EUNKNOWN, "categories[0].items[0].weight");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"safe_water\",\"boolean\":{\"true\":1,\"false\":0},"
                           "\"bands\":[{\"min\":0,\"max\":1,\"points\":1}]}") "}",
                 POV_ERULE, "categories[0].items[0]");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"safe_water\"}") "}", POV_EMISSING,
                 "categories[0].items[0]");
    expect_error(HEAD CATS("{\"id\":\"s\",\"boolean\":{\"true\":1,\"false\":0}}") "}", POV_EMISSING,
                 "categories[0].items[0]");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"safe_water\",\"expr\":{\"var\":\"tv\"},\"boolean\":{\"true\":1,\"false\":0}}") "}",
                 POV_ERULE, "categories[0].items[0]");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"housing_structure\",\"bands\":[{\"min\":0,\"max\":1,\"points\":1}]}") "}",
                 POV_ETYPE, "categories[0].items[0].indicator");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"age\",\"bands\":[{\"min\":0,\"max\":1,\"points\":1}]}") "}",
                 POV_ERULE, "categories[0].items[0].indicator");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"village_code\",\"boolean\":{\"true\":1,\"false\":0}}") "}",
                 POV_ETYPE, "categories[0].items[0].indicator");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"pigs\",\"per_unit\":{\"points\":1,\"cap\":0}}") "}",
                 POV_ERANGE, "categories[0].items[0].per_unit.cap");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"pigs\",\"per_unit\":{\"points\":0,\"cap\":1}}") "}",
                 POV_ERANGE, "categories[0].items[0].per_unit.points");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"pigs\",\"per_unit\":{\"points\":1,\"cap\":1,\"per\":-5}}") "}",
                 POV_ERANGE, "categories[0].items[0].per_unit.per");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"safe_water\",\"boolean\":{\"true\":1}}") "}",
                 POV_EMISSING, "categories[0].items[0].boolean");
    expect_error(HEAD CATS("{\"id\":\"s\",\"expr\":{\"var\":\"floor_area\"},\"max\":5}") "}", POV_EMISSING,
                 "categories[0].items[0]");
    expect_error(HEAD CATS("{\"id\":\"s\",\"expr\":{\"var\":\"floor_area\"},\"min\":5,\"max\":1}") "}",
                 POV_ERULE, "categories[0].items[0].max");
    expect_error(HEAD CATS("{\"id\":\"s\",\"expr\":{\"var\":\"floor_area\"},\"min\":0,\"max\":11}") "}",
                 POV_ERULE, "categories[0].items[0].max");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"pigs\",\"per_unit\":{\"points\":1,\"cap\":1},\"min\":0}") "}",
                 POV_ERULE, "categories[0].items[0].min");
    expect_error(HEAD CATS("{\"id\":\"s\",\"indicator\":\"pigs\",\"per_unit\":{\"points\":1,\"cap\":1},\"missing\":20}") "}",
                 POV_ERULE, "categories[0].items[0].missing");
    /* errors inside an expression carry the expression's path as prefix */
    pov_scorecard *sc = NULL;
    const char *j = HEAD CATS("{\"id\":\"s\",\"expr\":{\"frobnicate\":[1]},\"min\":0,\"max\":1}") "}";
    cr_assert_eq(pov_scorecard_load_string(j, strlen(j), NULL, &sc), POV_EUNKNOWN);
    cr_assert_eq(strncmp(pov_error_path(pov_error_last()), "categories[0].items[0].expr", 27), 0,
                 "%s", pov_error_path(pov_error_last()));
}

Test(validate, vetoes_identification_likelihood_indicators) {
    expect_error(HEAD CATS(OK_ITEM) ",\"vetoes\":[{\"id\":\"v\",\"reason\":\"r\",\"when\":{\"var\":\"pigs\"}}]}",
                 POV_ETYPE, "vetoes[0].when");
    expect_error(HEAD CATS(OK_ITEM) ",\"vetoes\":[{\"id\":\"v\",\"reason\":\"r\"}]}", POV_EMISSING,
                 "vetoes[0]");
    expect_error(HEAD CATS(OK_ITEM) ",\"vetoes\":[{\"id\":\"v\",\"when\":{\"var\":\"tv\"}}]}", POV_EMISSING,
                 "vetoes[0]");
    expect_error(HEAD CATS(OK_ITEM) ",\"vetoes\":[{\"id\":\"v\",\"reason\":\"r\",\"when\":{\"var\":\"tv\"}},"
                                     "{\"id\":\"v\",\"reason\":\"r\",\"when\":{\"var\":\"tv\"}}]}",
                 POV_EDUPLICATE, "vetoes[1].id");
    expect_error(HEAD CATS(OK_ITEM) ",\"vetoes\":[{\"id\":\"v\",\"reason\":\"r\",\"illustrative\":1,\"when\":{\"var\":\"tv\"}}]}",
                 POV_ETYPE, "vetoes[0].illustrative");
    const char *base = "{\"format\":\"povmetrics.scorecard/1\",\"id\":\"t\",\"version\":\"1\","
                       "\"direction\":\"higher_better_off\",\"provenance\":{\"sources\":[]}" CATS(OK_ITEM);
    char buf[2048];
    snprintf(buf, sizeof buf, "%s}", base);
    expect_error(buf, POV_EMISSING, "");
    snprintf(buf, sizeof buf, "%s,\"identification\":{\"cutoff\":60,\"quota\":{}}}", base);
    expect_error(buf, POV_ERULE, "identification");
    snprintf(buf, sizeof buf, "%s,\"identification\":{\"quota\":{\"level\":\"village\",\"by\":\"share\",\"share\":1.5}}}", base);
    expect_error(buf, POV_ERANGE, "identification.quota.share");
    snprintf(buf, sizeof buf, "%s,\"identification\":{\"quota\":{\"level\":\"village\",\"by\":\"households\",\"values\":{\"V1\":-1}}}}", base);
    expect_error(buf, POV_ERANGE, "identification.quota.values.V1");
    snprintf(buf, sizeof buf, "%s,\"identification\":{\"quota\":{\"level\":\"town\",\"by\":\"households\",\"values\":{}}}}", base);
    expect_error(buf, POV_EINVAL, "identification.quota.level");
    snprintf(buf, sizeof buf, "%s,\"identification\":{\"quota\":{\"level\":\"village\",\"by\":\"people\"}}}", base);
    expect_error(buf, POV_EMISSING, "identification.quota");
    snprintf(buf, sizeof buf, "%s,\"identification\":{\"quota\":{\"level\":\"village\",\"by\":\"share\",\"share\":0.1,\"values\":{}}}}", base);
    expect_error(buf, POV_ERULE, "identification.quota.values");
    expect_error(HEAD CATS(OK_ITEM) ",\"likelihood\":[{\"min\":0,\"max\":null,\"probability\":1.2}]}",
                 POV_ERANGE, "likelihood[0].probability");
    expect_error(HEAD CATS(OK_ITEM) ",\"likelihood\":[{\"min\":0,\"max\":10,\"probability\":0.5},"
                                     "{\"min\":11,\"max\":null,\"probability\":0.1}]}",
                 POV_ERULE, "likelihood[1].min");
    /* the schema extension: errors keep their path inside `indicators` */
    expect_error(HEAD CATS(OK_ITEM) ",\"indicators\":[{\"id\":\"Bad\",\"level\":\"household\",\"type\":\"boolean\"}]}",
                 POV_EINVAL, "indicators[0].id");
    expect_error(HEAD CATS(OK_ITEM) ",\"indicators\":[{\"id\":\"pigs\",\"level\":\"household\",\"type\":\"boolean\"}]}",
                 POV_EDUPLICATE, NULL);
}

Test(validate, extension_indicators_are_usable) {
    const char *j = HEAD ",\"indicators\":[{\"id\":\"has_fridge\",\"level\":\"household\",\"type\":\"boolean\"}]"
                    CATS("{\"id\":\"f\",\"indicator\":\"has_fridge\",\"boolean\":{\"true\":3,\"false\":0}}") "}";
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(j, strlen(j), NULL, &sc), 0, "%s %s",
                 pov_error_message(pov_error_last()), pov_error_path(pov_error_last()));
    size_t idx;
    cr_assert_eq(pov_schema_find(pov_scorecard_schema(sc), "has_fridge", &idx), 0);
    cr_assert_eq(idx, pov_schema_core_count());
    /* a dataset read with the core schema only: the extension reads as missing */
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    add_json(ds, "{\"id\":\"x\",\"household_size\":1}");
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), POV_EMISSING);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "[0].has_fridge");
    res = score_lenient(sc, ds);
    cr_assert_eq(pov_score_result_missing_count(res, 0), 1);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    /* with the scorecard's schema the value is used */
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    add_json(ds, "{\"id\":\"x\",\"household_size\":1,\"has_fridge\":true}");
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    cr_assert_float_eq(pov_score_result_totals(res)[0], 3.0, EPS);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* ---- scoring by hand ----------------------------------------------------------- */

Test(score, hand_scored_households_every_form) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = score_lenient(sc, ds);
    cr_assert_eq(pov_score_result_count(res), 4);
    const double *t = pov_score_result_totals(res);
    cr_assert_float_eq(t[0], 17.9, EPS);
    cr_assert_float_eq(t[1], 19.0, EPS);
    cr_assert_float_eq(t[2], 7.0, EPS);
    cr_assert_float_eq(t[3], 7.0, EPS);
    cr_assert_str_eq(pov_score_result_household_id(res, 2), "C");
    /* category subtotals, with caps: B's housing 12 -> 10, assets 6 -> 4... */
    double catA[] = {8, 3.4, 2.5, 4}, catB[] = {10, 4, 5, 0}, catD[] = {3, 0, 4, 0};
    for (size_t c = 0; c < 4; c++) {
        cr_assert_float_eq(pov_score_result_category(res, 0, c), catA[c], EPS, "A cat %zu", c);
        cr_assert_float_eq(pov_score_result_category(res, 1, c), catB[c], EPS, "B cat %zu", c);
        cr_assert_float_eq(pov_score_result_category(res, 3, c), catD[c], EPS, "D cat %zu", c);
    }
    /* items of A: map 4, band 2, boolean 2, per_unit 2, per_unit 1.4, band 5, per_unit -2.5, expr 4 */
    double ptsA[] = {4, 2, 2, 2, 1.4, 5, -2.5, 4};
    double valA[] = {2 /* brick_wood is code 2 */, 20, 1, 1, 7, 2000, 25000, 4};
    for (size_t k = 0; k < 8; k++) {
        cr_assert_float_eq(pov_score_result_item_points(res, 0, k), ptsA[k], EPS, "A item %zu", k);
        cr_assert_float_eq(pov_score_result_item_value(res, 0, k), valA[k], EPS, "A value %zu", k);
        cr_assert_eq(pov_score_result_item_missing(res, 0, k), 0);
    }
    /* B: motorcycles 3 × 2 = 6 capped by per_unit cap 4 */
    cr_assert_float_eq(pov_score_result_item_points(res, 1, 3), 4.0, EPS);
    /* map default: none here; missing declared: B's pigs and debt */
    cr_assert_eq(pov_score_result_item_missing(res, 1, 4), 1);
    cr_assert_eq(pov_score_result_item_missing(res, 1, 6), 1);
    cr_assert_eq(pov_score_result_missing_count(res, 0), 0);
    cr_assert_eq(pov_score_result_missing_count(res, 1), 2);
    cr_assert_eq(pov_score_result_missing_count(res, 2), 0);
    cr_assert_eq(pov_score_result_missing_count(res, 3), 3);
    cr_assert(isnan(pov_score_result_item_value(res, 3, 7)));
    cr_assert_float_eq(pov_score_result_item_points(res, 3, 7), 0.0, EPS);
    /* vetoes: B car, C public payroll */
    cr_assert_eq(pov_score_result_veto_count(res, 0), 0);
    cr_assert_eq(pov_score_result_veto_count(res, 1), 1);
    cr_assert_eq(pov_score_result_veto_hit(res, 1, 0), 1);
    cr_assert_eq(pov_score_result_veto_hit(res, 1, 1), 0);
    cr_assert_eq(pov_score_result_veto_hit(res, 2, 1), 1);
    cr_assert_eq(pov_score_result_veto_hit(res, 2, 0), 0);
    /* D has no members: "some" over no members is false */
    cr_assert_eq(pov_score_result_veto_hit(res, 3, 1), 0);
    /* bad indices */
    cr_assert(isnan(pov_score_result_category(res, 9, 0)));
    cr_assert(isnan(pov_score_result_item_points(res, 0, 99)));
    cr_assert(isnan(pov_score_result_item_value(res, 9, 0)));
    cr_assert_eq(pov_score_result_item_missing(res, 9, 0), POV_EINVAL);
    cr_assert_eq(pov_score_result_veto_hit(res, 0, 9), POV_EINVAL);
    cr_assert_null(pov_score_result_household_id(res, 9));
    cr_assert_eq(pov_score_result_missing_count(res, 9), 0);
    cr_assert_eq(pov_score_result_veto_count(res, 9), 0);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

Test(score, map_default_and_outside_bands) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    /* "simple" is not mapped: default 0. Everything else as D but with one
     * 30-year-old worker: 2 points. */
    add_json(ds, "{\"id\":\"E\",\"housing_structure\":\"simple\",\"floor_area\":40,\"safe_water\":true,"
                 "\"motorcycles\":0,\"pigs\":0,\"income_wage\":0,\"debt\":0,"
                 "\"members\":[{\"age\":30,\"labour_capacity\":\"ordinary\"}]}");
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0, "%s", pov_error_message(pov_error_last()));
    cr_assert_float_eq(pov_score_result_item_points(res, 0, 0), 0.0, EPS);
    /* 0 + 4 (40 m² for 1 person) + 2 + 0 + 0 + 0 (wage 0 in band (-inf,1000)) + 0 + 2 = 8 */
    cr_assert_float_eq(pov_score_result_totals(res)[0], 8.0, EPS);
    char *txt = NULL;
    cr_assert_eq(pov_score_result_explain(res, 0, POV_EXPLAIN_TEXT, &txt), 0);
    cr_assert_not_null(strstr(txt, "housing_structure = simple → 0 points (map default)"), "%s", txt);
    pov_free(txt);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

Test(score, strict_mode_names_household_and_indicator) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = (pov_score_result *)1;
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), POV_EMISSING);
    cr_assert_null(res);
    const pov_error *e = pov_error_last();
    cr_assert_str_eq(pov_error_path(e), "[3].labour_count");
    cr_assert_not_null(strstr(pov_error_message(e), "\"D\""), "%s", pov_error_message(e));
    cr_assert_not_null(strstr(pov_error_message(e), "workers"), "%s", pov_error_message(e));
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

Test(score, single_household_is_the_same_code) {
    pov_scorecard *sc = load_example();
    pov_household *h = NULL;
    cr_assert_eq(pov_household_from_json(pov_scorecard_schema(sc), HH_A, strlen(HH_A), NULL, &h), 0);
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score_household(sc, h, NULL, &res), 0);
    cr_assert_eq(pov_score_result_count(res), 1);
    cr_assert_float_eq(pov_score_result_totals(res)[0], 17.9, EPS);
    size_t rank, n;
    double pct;
    cr_assert_eq(pov_score_result_rank(res, 0, POV_UNIT_VILLAGE, &rank, &n, &pct), 0);
    cr_assert_eq(rank, 1);
    cr_assert_eq(n, 1);
    cr_assert_float_eq(pct, 100.0, EPS);
    pov_score_result_free(res);
    cr_assert_eq(pov_scorecard_score_household(NULL, h, NULL, &res), POV_EINVAL);
    cr_assert_eq(pov_scorecard_score_household(sc, NULL, NULL, &res), POV_EINVAL);
    cr_assert_eq(pov_scorecard_score_household(sc, h, NULL, NULL), POV_EINVAL);
    pov_household_free(h);
    pov_scorecard_free(sc);
}

Test(score, options_and_detail) {
    cr_assert_eq(pov_score_options_init(NULL), POV_EINVAL);
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_options o;
    pov_score_options_init(&o);
    o.mode = 7;
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), POV_EINVAL);
    pov_score_options_init(&o);
    o.detail = 9;
    cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), POV_EINVAL);
    pov_score_options_init(&o);
    o.mode = POV_SCORE_LENIENT;
    o.detail = POV_SCORE_DETAIL_TOTALS;
    cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), 0);
    cr_assert_float_eq(pov_score_result_totals(res)[0], 17.9, EPS);
    cr_assert_eq(pov_score_result_missing_count(res, 3), 3);
    cr_assert(isnan(pov_score_result_item_points(res, 0, 0)));
    cr_assert_eq(pov_score_result_item_missing(res, 0, 0), POV_ESTATE);
    char *txt = NULL;
    cr_assert_eq(pov_score_result_explain(res, 0, POV_EXPLAIN_TEXT, &txt), POV_ESTATE);
    pov_score_result_free(res);
    cr_assert_eq(pov_scorecard_score(NULL, ds, NULL, &res), POV_EINVAL);
    cr_assert_eq(pov_scorecard_score(sc, NULL, NULL, &res), POV_EINVAL);
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, NULL), POV_EINVAL);
    pov_score_result_free(NULL);
    cr_assert_eq(pov_score_result_count(NULL), 0);
    cr_assert_null(pov_score_result_totals(NULL));
    cr_assert_null(pov_score_result_adjusted(NULL));
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

Test(score, ranks_within_village_and_county) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = score_lenient(sc, ds);
    size_t rank, n;
    double pct;
    /* village V1: A 17.9, B 19 -> A 1st, B 2nd of 2. V2: C 7, D 7 tie; C's
     * per-capita net income 500 < D's 4000/4 - 10000?... net income is wage
     * only here (no costs): C 500, D 1000 -> C first. County C1 (all 4):
     * C 1, D 2, A 3, B 4. */
    cr_assert_eq(pov_score_result_rank(res, 0, POV_UNIT_VILLAGE, &rank, &n, &pct), 0);
    cr_assert_eq(rank, 1);
    cr_assert_eq(n, 2);
    cr_assert_float_eq(pct, 50.0, EPS);
    cr_assert_eq(pov_score_result_rank(res, 1, POV_UNIT_VILLAGE, &rank, &n, NULL), 0);
    cr_assert_eq(rank, 2);
    cr_assert_eq(pov_score_result_rank(res, 2, POV_UNIT_VILLAGE, &rank, NULL, NULL), 0);
    cr_assert_eq(rank, 1);
    cr_assert_eq(pov_score_result_rank(res, 3, POV_UNIT_VILLAGE, &rank, NULL, NULL), 0);
    cr_assert_eq(rank, 2);
    size_t expect_c[] = {3, 4, 1, 2};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(pov_score_result_rank(res, i, POV_UNIT_COUNTY, &rank, &n, &pct), 0);
        cr_assert_eq(rank, expect_c[i], "household %zu", i);
        cr_assert_eq(n, 4);
        cr_assert_float_eq(pct, 25.0 * (double)expect_c[i], EPS);
    }
    cr_assert_eq(pov_score_result_rank(res, 9, POV_UNIT_COUNTY, &rank, &n, &pct), POV_EINVAL);
    cr_assert_eq(pov_score_result_rank(res, 0, 5, &rank, &n, &pct), POV_EINVAL);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

Test(score, explanations_text_and_json) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = score_lenient(sc, ds);
    char *txt = NULL;
    cr_assert_eq(pov_score_result_explain(res, 0, POV_EXPLAIN_TEXT, &txt), 0);
    const char *want[] = {"structure: housing_structure = brick_wood → 4 points (map)",
                          "space: floor_area_per_capita = 20 → 2 points (band [13, 25))",
                          "water: safe_water = true → 2 points (if true)",
                          "pigs: pigs = 7 → 1.4 points (1 per 5 units, cap 3)",
                          "wage_pc: expression = 2000 → 5 points (band [1000, 3000))",
                          "workers: expression = 4 → 4 points (expression, clamped to [0, 4])",
                          "Raw score 17.9, adjusted score 17.9"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        cr_assert_not_null(strstr(txt, want[k]), "missing '%s' in:\n%s", want[k], txt);
    pov_free(txt);
    cr_assert_eq(pov_score_result_explain(res, 1, POV_EXPLAIN_TEXT, &txt), 0);
    cr_assert_not_null(strstr(txt, "VETO car"), "%s", txt);
    cr_assert_not_null(strstr(txt, "missing: declared points"), "%s", txt);
    pov_free(txt);
    cr_assert_eq(pov_score_result_explain(res, 3, POV_EXPLAIN_TEXT, &txt), 0);
    cr_assert_not_null(strstr(txt, "workers: expression = missing → 0 points (missing: scored 0 (lenient))"), "%s", txt);
    pov_free(txt);
    cr_assert_eq(pov_score_result_explain(res, 0, POV_EXPLAIN_JSON, &txt), 0);
    cr_assert_eq(txt[0], '{');
    cr_assert_not_null(strstr(txt, "{\"id\":\"structure\",\"input\":\"housing_structure\",\"value\":\"brick_wood\","
                                   "\"points\":4,\"rule\":\"map\",\"missing\":false}"), "%s", txt);
    cr_assert_not_null(strstr(txt, "\"raw\":17.9,\"adjusted\":17.9"), "%s", txt);
    pov_free(txt);
    cr_assert_eq(pov_score_result_explain(res, 9, POV_EXPLAIN_TEXT, &txt), POV_EINVAL);
    cr_assert_eq(pov_score_result_explain(res, 0, 5, &txt), POV_EINVAL);
    cr_assert_eq(pov_score_result_explain(res, 0, 0, NULL), POV_EINVAL);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* ---- deliberation ---------------------------------------------------------------- */

Test(deliberation, adjustments_within_limits) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = score_lenient(sc, ds);
    /* limit ±5 (deliberation.max_adjustment) */
    cr_assert_eq(pov_score_result_adjust(res, 0, -3, "hidden washing machine? no: illness in 2015",
                                         "村民代表会议", "2015-11-20"), 0);
    cr_assert_float_eq(pov_score_result_adjusted(res)[0], 14.9, EPS);
    cr_assert_float_eq(pov_score_result_totals(res)[0], 17.9, EPS, "the raw score never changes");
    cr_assert_eq(pov_score_result_adjust(res, 0, -2.5, "r", "w", "2015-11-21"), POV_ERANGE);
    cr_assert_float_eq(pov_score_result_adjusted(res)[0], 14.9, EPS, "nothing recorded on error");
    cr_assert_eq(pov_score_result_adjust(res, 0, -2, "second deliberation", "group 3", "2015-11-22"), 0);
    cr_assert_float_eq(pov_score_result_adjusted(res)[0], 12.9, EPS);
    cr_assert_eq(pov_score_result_adjustment_count(res, 0), 2);
    cr_assert_eq(pov_score_result_adjustment_count(res, 1), 0);
    cr_assert_eq(pov_score_result_adjustment_count(res, 99), 0);
    cr_assert_eq(pov_score_result_adjust(res, 1, NAN, "r", "w", "t"), POV_ENONFINITE);
    cr_assert_eq(pov_score_result_adjust(res, 1, 0, "r", "w", "t"), POV_EINVAL);
    cr_assert_eq(pov_score_result_adjust(res, 1, 1, "", "w", "t"), POV_EINVAL);
    cr_assert_eq(pov_score_result_adjust(res, 1, 1, "r", NULL, "t"), POV_EINVAL);
    cr_assert_eq(pov_score_result_adjust(res, 1, 1, "r", "w", ""), POV_EINVAL);
    cr_assert_eq(pov_score_result_adjust(res, 9, 1, "r", "w", "t"), POV_EINVAL);
    cr_assert_eq(pov_score_result_adjust(res, 1, 6, "r", "w", "t"), POV_ERANGE);
    char *txt = NULL;
    cr_assert_eq(pov_score_result_explain(res, 0, POV_EXPLAIN_TEXT, &txt), 0);
    cr_assert_not_null(strstr(txt, "Raw score 17.9, adjusted score 12.9"), "%s", txt);
    cr_assert_not_null(strstr(txt, "Deliberation (五议): -3 by 村民代表会议 on 2015-11-20"), "%s", txt);
    pov_free(txt);
    cr_assert_eq(pov_score_result_explain(res, 0, POV_EXPLAIN_JSON, &txt), 0);
    cr_assert_not_null(strstr(txt, "\"adjustments\":[{\"points\":-3,"), "%s", txt);
    pov_free(txt);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* ---- identification ---------------------------------------------------------------- */

Test(identify, cutoff_vetoes_review) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = score_lenient(sc, ds);
    /* cut-off 15, margin 2: A 17.9 not (2.9 from the line); B 19 vetoed (car);
     * C 7 vetoed (public payroll); D 7 identified. */
    pov_identification *id = NULL;
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), 0);
    const int32_t *st = pov_identification_statuses(id);
    cr_assert_eq(pov_identification_count(id), 4);
    cr_assert_eq(st[0], POV_IDENT_NOT);
    cr_assert_eq(st[1], POV_IDENT_VETOED);
    cr_assert_eq(st[2], POV_IDENT_VETOED);
    cr_assert_eq(st[3], POV_IDENT_IDENTIFIED);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(pov_identification_review(id, i), 0);
    /* per village: V1 = A, B (5 people: 3 + 2), V2 = C, D (1 + 4) */
    cr_assert_eq(pov_identification_unit_count(id), 2);
    const char *code = NULL;
    pov_unit_counts uc = {.size = sizeof uc};
    cr_assert_eq(pov_identification_unit(id, 0, &code, &uc), 0);
    cr_assert_str_eq(code, "V1");
    cr_assert_eq(uc.households, 2);
    cr_assert_float_eq(uc.people, 5.0, EPS);
    cr_assert_eq(uc.identified, 0);
    cr_assert_eq(uc.vetoed, 1);
    cr_assert(isnan(uc.quota));
    cr_assert_float_eq(uc.line, 15.0, EPS);
    cr_assert_eq(pov_identification_unit(id, 1, &code, &uc), 0);
    cr_assert_str_eq(code, "V2");
    cr_assert_eq(uc.identified, 1);
    cr_assert_float_eq(uc.identified_people, 4.0, EPS);
    cr_assert_eq(uc.vetoed, 1);
    pov_identification_free(id);
    /* a deliberation moves A to 14.9 below the line; the margin override of
     * 0.5 puts it on the review list (|14.9 - 15| <= 0.5) */
    cr_assert_eq(pov_score_result_adjust(res, 0, -3, "illness", "group", "2015-11-20"), 0);
    pov_identify_options o;
    cr_assert_eq(pov_identify_options_init(&o), 0);
    o.margin = 0.5;
    o.level = POV_UNIT_COUNTY;
    cr_assert_eq(pov_score_result_identify(res, &o, &id), 0);
    cr_assert_eq(pov_identification_statuses(id)[0], POV_IDENT_IDENTIFIED);
    cr_assert_eq(pov_identification_review(id, 0), 1);
    cr_assert_eq(pov_identification_review(id, 3), 0);
    cr_assert_eq(pov_identification_unit_count(id), 1);
    cr_assert_eq(pov_identification_unit(id, 0, &code, &uc), 0);
    cr_assert_str_eq(code, "C1");
    cr_assert_eq(uc.identified, 2);
    cr_assert_eq(uc.review, 1);
    pov_identification_free(id);
    /* a cut-off override */
    pov_identify_options_init(&o);
    o.cutoff = 18;
    cr_assert_eq(pov_score_result_identify(res, &o, &id), 0);
    cr_assert_eq(pov_identification_statuses(id)[0], POV_IDENT_IDENTIFIED);
    pov_identification_free(id);
    /* bad arguments */
    o.cutoff = INFINITY;
    cr_assert_eq(pov_score_result_identify(res, &o, &id), POV_ENONFINITE);
    pov_identify_options_init(&o);
    o.margin = -1;
    cr_assert_eq(pov_score_result_identify(res, &o, &id), POV_EINVAL);
    pov_identify_options_init(&o);
    o.level = 7;
    cr_assert_eq(pov_score_result_identify(res, &o, &id), POV_EINVAL);
    cr_assert_eq(pov_score_result_identify(NULL, NULL, &id), POV_EINVAL);
    cr_assert_eq(pov_score_result_identify(res, NULL, NULL), POV_EINVAL);
    cr_assert_eq(pov_identify_options_init(NULL), POV_EINVAL);
    cr_assert_eq(pov_identification_review(NULL, 0), POV_EINVAL);
    cr_assert_eq(pov_identification_unit(NULL, 0, NULL, NULL), POV_EINVAL);
    cr_assert_null(pov_identification_statuses(NULL));
    cr_assert_eq(pov_identification_count(NULL), 0);
    cr_assert_eq(pov_identification_unit_count(NULL), 0);
    pov_identification_free(NULL);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* A scorecard whose score is the floor area (points = value, 0..1000), for
 * quota tests; the tie-break uses per-capita net income = wage / size. */
static pov_scorecard *quota_card(const char *identification) {
    char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"format\":\"povmetrics.scorecard/1\",\"id\":\"q\",\"version\":\"1\","
             "\"direction\":\"higher_better_off\",\"provenance\":{\"sources\":[]},"
             "\"categories\":[{\"id\":\"c\",\"step\":\"other\",\"items\":[{\"id\":\"area\","
             "\"expr\":{\"var\":\"floor_area\"},\"min\":0,\"max\":1000}]}],"
             "\"vetoes\":[{\"id\":\"car\",\"reason\":\"car\",\"when\":{\">\":[{\"var\":\"cars\"},0]}}],"
             "\"identification\":%s,\"review_margin\":2}",
             identification);
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(buf, strlen(buf), NULL, &sc), 0, "%s at %s",
                 pov_error_message(pov_error_last()), pov_error_path(pov_error_last()));
    return sc;
}

/* V1: h1 10 (income 3000 / 1 = 3000), h2 10 (4000/2 = 2000), h3 12, h4 5
 * (size 2), h5 10 (6000/3 = 2000, id after h2), h6 3 but vetoed (car).
 * V2: h7 20, h8 15. */
static pov_dataset *quota_data(const pov_scorecard *sc) {
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    add_json(ds, "{\"id\":\"h5\",\"village_code\":\"V1\",\"household_size\":3,\"floor_area\":10,\"income_wage\":6000,\"cars\":0}");
    add_json(ds, "{\"id\":\"h1\",\"village_code\":\"V1\",\"household_size\":1,\"floor_area\":10,\"income_wage\":3000,\"cars\":0}");
    add_json(ds, "{\"id\":\"h2\",\"village_code\":\"V1\",\"household_size\":2,\"floor_area\":10,\"income_wage\":4000,\"cars\":0}");
    add_json(ds, "{\"id\":\"h3\",\"village_code\":\"V1\",\"household_size\":1,\"floor_area\":12,\"income_wage\":1000,\"cars\":0}");
    add_json(ds, "{\"id\":\"h4\",\"village_code\":\"V1\",\"household_size\":2,\"floor_area\":5,\"income_wage\":9000,\"cars\":0}");
    add_json(ds, "{\"id\":\"h6\",\"village_code\":\"V1\",\"household_size\":1,\"floor_area\":3,\"income_wage\":100,\"cars\":1}");
    add_json(ds, "{\"id\":\"h7\",\"village_code\":\"V2\",\"household_size\":1,\"floor_area\":20,\"income_wage\":100,\"cars\":0}");
    add_json(ds, "{\"id\":\"h8\",\"village_code\":\"V2\",\"household_size\":1,\"floor_area\":15,\"income_wage\":100,\"cars\":0}");
    return ds;
}

enum { H5, H1, H2, H3, H4, H6, H7, H8 };

Test(identify, quota_households_with_tie_break) {
    pov_scorecard *sc = quota_card("{\"quota\":{\"level\":\"village\",\"by\":\"households\",\"values\":{\"V1\":3,\"V2\":1}}}");
    pov_dataset *ds = quota_data(sc);
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0, "%s", pov_error_message(pov_error_last()));
    pov_identification *id = NULL;
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), 0);
    const int32_t *st = pov_identification_statuses(id);
    /* V1 order without the vetoed h6: h4 (5); then score 10: h2 and h5 (2000
     * each, ids "h2" < "h5"), h1 (3000); then h3 (12). Quota 3: h4, h2, h5. */
    cr_assert_eq(st[H4], POV_IDENT_IDENTIFIED);
    cr_assert_eq(st[H2], POV_IDENT_IDENTIFIED);
    cr_assert_eq(st[H5], POV_IDENT_IDENTIFIED);
    cr_assert_eq(st[H1], POV_IDENT_NOT);
    cr_assert_eq(st[H3], POV_IDENT_NOT);
    cr_assert_eq(st[H6], POV_IDENT_VETOED);
    /* V2 quota 1: h8 (15) before h7 (20) */
    cr_assert_eq(st[H8], POV_IDENT_IDENTIFIED);
    cr_assert_eq(st[H7], POV_IDENT_NOT);
    /* review: line = 10 in V1 (score of h5, the last taken); within 2:
     * h1, h2, h5 (10), h3 (12); not h4 (5) nor the vetoed h6. V2: line 15,
     * h8 only (h7 is 5 away). */
    int want_review[] = {[H5] = 1, [H1] = 1, [H2] = 1, [H3] = 1, [H4] = 0, [H6] = 0, [H7] = 0, [H8] = 1};
    for (size_t i = 0; i < 8; i++)
        cr_assert_eq(pov_identification_review(id, i), want_review[i], "household %zu", i);
    pov_unit_counts uc = {.size = sizeof uc};
    const char *code;
    cr_assert_eq(pov_identification_unit(id, 0, &code, &uc), 0);
    cr_assert_str_eq(code, "V1");
    cr_assert_float_eq(uc.quota, 3.0, EPS);
    cr_assert_float_eq(uc.line, 10.0, EPS);
    cr_assert_eq(uc.identified, 3);
    cr_assert_float_eq(uc.identified_people, 7.0, EPS); /* 2 + 2 + 3 */
    cr_assert_eq(uc.vetoed, 1);
    cr_assert_eq(uc.households, 6);
    cr_assert_float_eq(uc.people, 10.0, EPS);
    cr_assert_eq(uc.review, 4);
    /* a smaller size field: only the first fields are written */
    pov_unit_counts small = {.size = offsetof(pov_unit_counts, people)};
    small.people = -1;
    cr_assert_eq(pov_identification_unit(id, 0, NULL, &small), 0);
    cr_assert_eq(small.households, 6);
    cr_assert_float_eq(small.people, -1.0, EPS);
    pov_identification_free(id);
    /* a cut-off override turns the quota card into a cut-off (score < 11) */
    pov_identify_options o;
    pov_identify_options_init(&o);
    o.cutoff = 11;
    cr_assert_eq(pov_score_result_identify(res, &o, &id), 0);
    cr_assert_eq(pov_identification_statuses(id)[H1], POV_IDENT_IDENTIFIED);
    cr_assert_eq(pov_identification_statuses(id)[H3], POV_IDENT_NOT);
    pov_identification_free(id);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

Test(identify, quota_people_share_and_missing_unit) {
    /* people: V1 quota 5 -> h4 (2 people, total 2), h2 (2, total 4); h5 (3)
     * would make 7 > 5: stop there (h1 is not taken out of order). */
    pov_scorecard *sc = quota_card("{\"quota\":{\"level\":\"village\",\"by\":\"people\",\"values\":{\"V1\":5,\"V2\":1}}}");
    pov_dataset *ds = quota_data(sc);
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    pov_identification *id = NULL;
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), 0);
    const int32_t *st = pov_identification_statuses(id);
    cr_assert_eq(st[H4], POV_IDENT_IDENTIFIED);
    cr_assert_eq(st[H2], POV_IDENT_IDENTIFIED);
    cr_assert_eq(st[H5], POV_IDENT_NOT);
    cr_assert_eq(st[H1], POV_IDENT_NOT);
    cr_assert_eq(st[H8], POV_IDENT_IDENTIFIED);
    pov_identification_free(id);
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    /* share 0.5: V1 has 6 households (the vetoed one counts) -> 3; V2 2 -> 1:
     * the same households as the household quota above. County level gives
     * one unit ("" for households without county code) of 8 -> 4. */
    sc = quota_card("{\"quota\":{\"level\":\"village\",\"by\":\"share\",\"share\":0.5}}");
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), 0);
    st = pov_identification_statuses(id);
    int want[] = {[H5] = 1, [H1] = 0, [H2] = 1, [H3] = 0, [H4] = 1, [H6] = 2, [H7] = 0, [H8] = 1};
    for (size_t i = 0; i < 8; i++)
        cr_assert_eq(st[i], want[i], "household %zu", i);
    pov_identification_free(id);
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    sc = quota_card("{\"quota\":{\"level\":\"county\",\"by\":\"share\",\"share\":0.5}}");
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), 0);
    cr_assert_eq(pov_identification_unit_count(id), 1);
    pov_unit_counts uc = {.size = sizeof uc};
    const char *code;
    cr_assert_eq(pov_identification_unit(id, 0, &code, &uc), 0);
    cr_assert_str_eq(code, "");
    cr_assert_float_eq(uc.quota, 4.0, EPS);
    /* order: h4 5, h2 10, h5 10, h1 10, h3 12, h8 15, h7 20 -> first four */
    cr_assert_eq(uc.identified, 4);
    cr_assert_eq(pov_identification_statuses(id)[H1], POV_IDENT_IDENTIFIED);
    pov_identification_free(id);
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    /* a unit without a quota value */
    sc = quota_card("{\"quota\":{\"level\":\"village\",\"by\":\"households\",\"values\":{\"V1\":3}}}");
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    id = (pov_identification *)1;
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), POV_ENOTFOUND);
    cr_assert_null(id);
    cr_assert_not_null(strstr(pov_error_message(pov_error_last()), "V2"));
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    pov_dataset_free(ds);
}

/* ---- PPI likelihoods ----------------------------------------------------------------- */

Test(ppi, group_rate_is_mean_of_likelihoods) {
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_default("ppi_style", &sc), 0);
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    /* P1: 4 members (2 adults able to work, 2 children at school): size 4 ->
     * 15; no child out of school -> 8; 9 years of schooling -> [9,12) 8; 2
     * workers -> 7; brick_wood -> 7; firewood 0; no toilet 0; TV 4; one
     * motorcycle -> 7; no fridge 0. Score 56 -> band [55,60) -> 0.07. */
    add_json(ds, "{\"id\":\"P1\",\"housing_structure\":\"brick_wood\",\"tv\":true,\"motorcycles\":1,"
                 "\"max_schooling_years\":9,\"cooking_fuel\":\"firewood\",\"has_sanitary_toilet\":false,"
                 "\"has_fridge\":false,\"members\":[{\"age\":35,\"labour_capacity\":\"ordinary\"},"
                 "{\"age\":33,\"labour_capacity\":\"ordinary\"},{\"age\":8,\"schooling\":\"primary\"},"
                 "{\"age\":6,\"schooling\":\"primary\"}]}");
    /* P2: 7 members, one child aged 12 out of school, 1 worker: size 7 -> 3;
     * out of school 1 -> 0; 0 years -> 0; 1 worker -> 4; earth 2; firewood 0;
     * no toilet 0; TV 4; no motorcycle 0; no fridge 0. Score 13 -> [10,15) ->
     * 0.78. */
    add_json(ds, "{\"id\":\"P2\",\"housing_structure\":\"earth\",\"tv\":true,\"motorcycles\":0,"
                 "\"max_schooling_years\":0,\"cooking_fuel\":\"firewood\",\"has_sanitary_toilet\":false,"
                 "\"has_fridge\":false,\"members\":[{\"age\":40,\"labour_capacity\":\"ordinary\"},"
                 "{\"age\":70,\"labour_capacity\":\"none\"},{\"age\":72,\"labour_capacity\":\"none\"},"
                 "{\"age\":12,\"schooling\":\"dropped_out\"},{\"age\":3,\"schooling\":\"not_applicable\"},"
                 "{\"age\":2,\"schooling\":\"not_applicable\"},{\"age\":1,\"schooling\":\"not_applicable\"}]}");
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0, "%s %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    cr_assert_float_eq(pov_score_result_totals(res)[0], 56.0, EPS);
    cr_assert_float_eq(pov_score_result_totals(res)[1], 13.0, EPS);
    cr_assert_float_eq(pov_score_result_likelihood(res, 0), 0.07, EPS);
    cr_assert_float_eq(pov_score_result_likelihood(res, 1), 0.78, EPS);
    double rate = 0;
    cr_assert_eq(pov_score_result_poverty_rate(res, &rate), 0);
    /* mean of likelihoods (0.07 + 0.78) / 2 = 0.425; the likelihood of the
     * mean score 34.5 would be 0.40 ([30,35)) — a different, wrong number */
    cr_assert_float_eq(rate, 0.425, EPS);
    cr_assert(fabs(rate - 0.40) > 0.01);
    cr_assert(isnan(pov_score_result_likelihood(res, 5)));
    cr_assert_eq(pov_score_result_poverty_rate(res, NULL), POV_EINVAL);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
    /* no likelihood table: ESTATE; no households: EEMPTY */
    sc = load_example();
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    cr_assert_eq(pov_score_result_count(res), 0);
    cr_assert_eq(pov_score_result_poverty_rate(res, &rate), POV_ESTATE);
    cr_assert(isnan(pov_score_result_likelihood(res, 0)));
    pov_score_result_free(res);
    pov_scorecard_free(sc);
    cr_assert_eq(pov_scorecard_default("ppi_style", &sc), 0);
    cr_assert_eq(pov_scorecard_score(sc, ds, NULL, &res), 0);
    cr_assert_eq(pov_score_result_poverty_rate(res, &rate), POV_EEMPTY);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* ---- files ----------------------------------------------------------------------------- */

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

Test(files, write_jsonl_and_csv) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = dataset_abcd(sc);
    pov_score_result *res = score_lenient(sc, ds);
    char path[] = "/tmp/povsc_out_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(pov_score_result_write(res, path, POV_FORMAT_JSONL), 0);
    char *t = slurp(path);
    cr_assert_not_null(strstr(t, "{\"id\":\"A\",\"village_code\":\"V1\",\"county_code\":\"C1\",\"people\":3,"
                                 "\"score\":17.9,\"adjusted\":17.9,\"categories\":{\"housing\":8,\"assets\":3.4,"
                                 "\"income\":2.5,\"labour\":4},\"vetoes\":[],\"missing\":0,\"rank_village\":1,"
                                 "\"rank_county\":3}\n"), "%s", t);
    cr_assert_not_null(strstr(t, "\"vetoes\":[\"car\"]"), "%s", t);
    cr_assert_eq(pov_score_result_write(res, path, POV_FORMAT_CSV), 0);
    t = slurp(path);
    const char *head = "id,village_code,county_code,people,score,adjusted,housing,assets,income,labour,"
                       "vetoes,missing,rank_village,rank_county,likelihood,adjustments\r\n"
                       "A,V1,C1,3,17.9,17.9,8,3.4,2.5,4,,0,1,3,,\r\n";
    cr_assert_eq(strncmp(t, head, strlen(head)), 0, "%s", t);
    /* deliberation (五议): each adjustment with reason, who and when, beside
     * the raw score, in both formats; households without one have none */
    cr_assert_eq(pov_score_result_adjust(res, 1, -1.5, "new \"car\", seen at review", "village committee",
                                         "2015-10-20"), 0);
    cr_assert_eq(pov_score_result_adjust(res, 0, 2, "illness since the survey", "township team",
                                         "2015-10-21"), 0);
    cr_assert_eq(pov_score_result_adjust(res, 1, 0.5, "second look", "county team", "2015-10-25"), 0);
    cr_assert_eq(pov_score_result_write(res, path, POV_FORMAT_JSONL), 0);
    t = slurp(path);
    cr_assert_not_null(strstr(t, "\"score\":17.9,\"adjusted\":19.9,"), "%s", t);
    cr_assert_not_null(strstr(t, "\"rank_county\":3,\"adjustments\":[{\"points\":2,\"reason\":"
                                 "\"illness since the survey\",\"who\":\"township team\",\"when\":"
                                 "\"2015-10-21\"}]}\n"), "%s", t);
    /* B: 19 - 1.5 + 0.5 = 18, its two adjustments in the order recorded */
    cr_assert_not_null(strstr(t, "\"score\":19,\"adjusted\":18,"), "%s", t);
    cr_assert_not_null(strstr(t, "\"adjustments\":[{\"points\":-1.5,\"reason\":\"new \\\"car\\\", seen at "
                                 "review\",\"who\":\"village committee\",\"when\":\"2015-10-20\"},"
                                 "{\"points\":0.5,\"reason\":\"second look\",\"who\":\"county team\","
                                 "\"when\":\"2015-10-25\"}]}\n"), "%s", t);
    cr_assert_null(strstr(strstr(t, "{\"id\":\"C\""), "adjustments"), "%s", t);
    cr_assert_eq(pov_score_result_write(res, path, POV_FORMAT_CSV), 0);
    t = slurp(path);
    /* the CSV field holds the same JSON array, quoted (quotes doubled) */
    cr_assert_not_null(strstr(t, "A,V1,C1,3,17.9,19.9,8,3.4,2.5,4,,0,1,3,,\"[{\"\"points\"\":2,\"\"reason\"\":"
                                 "\"\"illness since the survey\"\",\"\"who\"\":\"\"township team\"\",\"\"when\"\":"
                                 "\"\"2015-10-21\"\"}]\"\r\n"), "%s", t);
    cr_assert_eq(pov_score_result_write(res, path, POV_FORMAT_JSON), POV_EINVAL);
    cr_assert_eq(pov_score_result_write(res, "/nonexistent/dir/out.csv", POV_FORMAT_CSV), POV_EIO);
    cr_assert_eq(pov_score_result_write(NULL, path, POV_FORMAT_JSONL), POV_EINVAL);
    unlink(path);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* ---- the Guangxi-style card on a household ---------------------------------------------- */

Test(defaults, guangxi_style_vetoes_each_fire) {
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_default("guangxi_style_2015", &sc), 0);
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    /* one household per veto, in the card's veto order; every other veto
     * input is present and negative */
    const char *field[] = {"cars", "town_property", "purchased_land", "owns_company", NULL,
                           "drugs_gambling", "employs_labour", "private_school_abroad"};
    const char *no[] = {"0", "false", "false", "false", NULL, "false", "false", "false"};
    const char *yes[] = {"2", "true", "true", "true", NULL, "true", "true", "true"};
    for (size_t v = 0; v < 8; v++) {
        char buf[1024];
        int len = snprintf(buf, sizeof buf, "{\"id\":\"v%zu\",\"members\":[{\"age\":40,"
                                            "\"public_funds_paid\":%s}]", v, v == 4 ? "true" : "false");
        for (size_t f = 0; f < 8; f++)
            if (field[f])
                len += snprintf(buf + len, sizeof buf - (size_t)len, ",\"%s\":%s", field[f],
                                f == v ? yes[f] : no[f]);
        snprintf(buf + len, sizeof buf - (size_t)len, "}");
        add_json(ds, buf);
    }
    pov_score_options o;
    pov_score_options_init(&o);
    o.mode = POV_SCORE_LENIENT;
    pov_score_result *res = NULL;
    cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), 0, "%s", pov_error_message(pov_error_last()));
    for (size_t i = 0; i < 8; i++) {
        cr_assert_eq(pov_score_result_veto_count(res, i), 1, "household %zu", i);
        cr_assert_eq(pov_score_result_veto_hit(res, i, i), 1, "household %zu veto %zu", i, i);
    }
    pov_identification *id = NULL;
    cr_assert_eq(pov_score_result_identify(res, NULL, &id), 0);
    for (size_t i = 0; i < 8; i++)
        cr_assert_eq(pov_identification_statuses(id)[i], POV_IDENT_VETOED);
    pov_identification_free(id);
    pov_score_result_free(res);
    pov_dataset_free(ds);
    pov_scorecard_free(sc);
}

/* The dataset path scores households in blocks of 512 and stores item detail
 * compactly (byte codes for bands, maps and booleans; int16 for category and
 * boolean inputs). Households A–D repeated across block boundaries must keep
 * their hand-scored totals (17.9, 19, 7, 7, see above), and every item's
 * points, input value and missing flag must equal those of the one-household
 * call. */
Test(score, blocks_and_compact_detail_match_single_household) {
    pov_scorecard *sc = load_example();
    const char *hh[4] = {HH_A, HH_B, HH_C, HH_D};
    const double want[4] = {17.9, 19, 7, 7};
    pov_score_result *one[4];
    for (int q = 0; q < 4; q++) {
        pov_household *h = NULL;
        cr_assert_eq(pov_household_from_json(pov_scorecard_schema(sc), hh[q], strlen(hh[q]), NULL, &h), 0);
        pov_score_options o;
        pov_score_options_init(&o);
        o.mode = POV_SCORE_LENIENT;
        cr_assert_eq(pov_scorecard_score_household(sc, h, &o, &one[q]), 0);
        pov_household_free(h);
    }
    size_t K = pov_scorecard_item_count(sc);
    const size_t sizes[] = {1, 511, 512, 513, 1100};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        pov_dataset *ds = NULL;
        cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
        for (size_t i = 0; i < n; i++) {
            /* ids must be unique: rewrite "id":"A" as "id":"A<i>" */
            char buf[1024];
            const char *src = hh[i % 4];
            snprintf(buf, sizeof buf, "{\"id\":\"%c%zu\"%s", src[7], i, src + 9);
            add_json(ds, buf);
        }
        pov_score_result *res = score_lenient(sc, ds);
        cr_assert_eq(pov_score_result_count(res), n);
        for (size_t i = 0; i < n; i++) {
            const pov_score_result *o = one[i % 4];
            cr_assert_float_eq(pov_score_result_totals(res)[i], want[i % 4], EPS, "n=%zu i=%zu", n, i);
            cr_assert_eq(pov_score_result_totals(res)[i], pov_score_result_totals(o)[0]);
            cr_assert_eq(pov_score_result_missing_count(res, i), pov_score_result_missing_count(o, 0));
            for (size_t k = 0; k < K; k++) {
                double p = pov_score_result_item_points(res, i, k), p1 = pov_score_result_item_points(o, 0, k);
                double v = pov_score_result_item_value(res, i, k), v1 = pov_score_result_item_value(o, 0, k);
                cr_assert_eq(p, p1, "n=%zu i=%zu item %zu: %g vs %g", n, i, k, p, p1);
                cr_assert(isnan(v1) ? isnan(v) : v == v1, "n=%zu i=%zu item %zu: %g vs %g", n, i, k, v, v1);
                cr_assert_eq(pov_score_result_item_missing(res, i, k), pov_score_result_item_missing(o, 0, k));
            }
        }
        /* totals only (a separate, vectorised kernel per form): the same
         * hand-scored totals, category subtotals and missing counts */
        pov_score_options ot;
        pov_score_options_init(&ot);
        ot.mode = POV_SCORE_LENIENT;
        ot.detail = POV_SCORE_DETAIL_TOTALS;
        pov_score_result *tot = NULL;
        cr_assert_eq(pov_scorecard_score(sc, ds, &ot, &tot), 0);
        size_t C = pov_scorecard_category_count(sc);
        for (size_t i = 0; i < n; i++) {
            cr_assert_float_eq(pov_score_result_totals(tot)[i], want[i % 4], EPS, "n=%zu i=%zu", n, i);
            cr_assert_eq(pov_score_result_totals(tot)[i], pov_score_result_totals(res)[i]);
            cr_assert_eq(pov_score_result_missing_count(tot, i), pov_score_result_missing_count(res, i));
            for (size_t c = 0; c < C; c++)
                cr_assert_eq(pov_score_result_category(tot, i, c), pov_score_result_category(res, i, c));
        }
        pov_score_result_free(tot);
        /* strict mode: both detail levels stop at the first household that
         * cannot be scored (D, every fourth: row 3), with the same report */
        for (int d = 0; d < 2; d++) {
            pov_score_options os;
            pov_score_options_init(&os);
            os.detail = d ? POV_SCORE_DETAIL_TOTALS : POV_SCORE_DETAIL_ITEMS;
            pov_score_result *sr = (pov_score_result *)1;
            if (n < 4) {
                cr_assert_eq(pov_scorecard_score(sc, ds, &os, &sr), 0);
                pov_score_result_free(sr);
                continue;
            }
            cr_assert_eq(pov_scorecard_score(sc, ds, &os, &sr), POV_EMISSING, "n=%zu detail %d", n, d);
            cr_assert_null(sr);
            cr_assert_str_eq(pov_error_path(pov_error_last()), "[3].labour_count");
        }
        pov_score_result_free(res);
        pov_dataset_free(ds);
    }
    for (int q = 0; q < 4; q++)
        pov_score_result_free(one[q]);
    pov_scorecard_free(sc);
}

/* Values at and beyond band edges, an unmapped code, missing booleans and
 * clamped expressions, scored with and without item detail (the two levels
 * run different kernels): every total is hand-computed. */
Test(score, edges_scored_alike_with_and_without_detail) {
    const char *head =
        HEAD ",\"categories\":[{\"id\":\"c\",\"step\":\"look\",\"items\":["
        /* [10, 20) -> 1, [20, 30) -> 2: finite at both ends */
        "{\"id\":\"area\",\"indicator\":\"floor_area\",\"bands\":[{\"min\":10,\"max\":20,\"points\":1},"
        "{\"min\":20,\"max\":30,\"points\":2}]},"
        /* brick_wood and earth mapped, the other codes take the default */
        "{\"id\":\"st\",\"indicator\":\"housing_structure\",\"map\":{\"brick_wood\":3,\"earth\":1},"
        "\"default\":0.25,\"missing\":0.125},"
        "{\"id\":\"w\",\"indicator\":\"safe_water\",\"boolean\":{\"true\":4,\"false\":8},\"missing\":16},"
        "{\"id\":\"pigs\",\"indicator\":\"pigs\",\"per_unit\":{\"points\":32,\"per\":2,\"cap\":64},\"missing\":0},"
        "{\"id\":\"d\",\"expr\":{\"-\":[{\"var\":\"debt\"},200]},\"min\":-128,\"max\":128,\"missing\":0},"
        /* a long table (binary search): [100 t, 100 t + 100) -> t points, t = 0..19 */
        "{\"id\":\"wage\",\"indicator\":\"income_wage\",\"bands\":[";
    const char *tail = "]}]}]}";
    char bands[2048], doc[4096];
    size_t at = 0;
    for (int t = 0; t < 20; t++)
        at += (size_t)snprintf(bands + at, sizeof bands - at, "%s{\"min\":%d,\"max\":%d,\"points\":%d}",
                               t ? "," : "", 100 * t, 100 * t + 100, t);
    snprintf(doc, sizeof doc, "%s%s%s", head, bands, tail);
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(doc, strlen(doc), NULL, &sc), 0, "%s",
                 pov_error_message(pov_error_last()));
    /* household: floor_area, structure, safe_water, pigs, debt -> total (items not
     * scored: every item but `area` declares `missing` points) */
    struct {
        const char *json;
        double total;
        size_t missing;
    } hh[] = {
        /* 10 at the first min: 1; brick_wood 3; true 4; 1 pig 16; debt 100 -> -100; wage 0 -> 0 */
        {"\"floor_area\":10,\"housing_structure\":\"brick_wood\",\"safe_water\":true,\"pigs\":1,\"debt\":100,"
         "\"income_wage\":0", -76, 0},
        /* 20 at the boundary: 2; earth 1; false 8; 0 pigs 0; debt 0 -> -200 -> -128;
         * wage 1999.5 -> 19 */
        {"\"floor_area\":20,\"housing_structure\":\"earth\",\"safe_water\":false,\"pigs\":0,\"debt\":0,"
         "\"income_wage\":1999.5", -98, 0},
        /* 30 at the last max: outside -> 0 (no `missing`); timber by default 0.25 (not
         * missing); water missing -> 16; 10 pigs 160 -> cap 64; debt 1000 ->
         * 800 -> 128; wage 2000 at the last max: outside -> 0 */
        {"\"floor_area\":30,\"housing_structure\":\"timber\",\"pigs\":10,\"debt\":1000,"
         "\"income_wage\":2000", 208.25, 3},
        /* 9.99 below the first min -> 0; structure missing -> 0.125; true 4;
         * pigs missing -> 0; debt missing -> 0; wage missing -> 0 */
        {"\"floor_area\":9.99,\"safe_water\":true", 4.125, 5},
        /* 29.5 -> 2; earth 1; false 8; 3 pigs 48; debt 200 -> 0; wage 150 -> 1 */
        {"\"floor_area\":29.5,\"housing_structure\":\"earth\",\"safe_water\":false,\"pigs\":3,\"debt\":200,"
         "\"income_wage\":150", 60, 0},
    };
    size_t H = sizeof hh / sizeof hh[0];
    /* 3: only the odd last household (scored outside the two-lane loop) is
     * unscorable; 1203: three blocks, the last one short */
    const size_t sizes[] = {3, 1203};
    for (size_t si = 0; si < 2; si++) {
        size_t n = sizes[si];
        pov_dataset *ds = NULL;
        cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
        for (size_t i = 0; i < n; i++) {
            char buf[512];
            snprintf(buf, sizeof buf, "{\"id\":\"h%zu\",%s}", i, hh[i % H].json);
            add_json(ds, buf);
        }
        for (int d = 0; d < 2; d++) {
            pov_score_options o;
            pov_score_options_init(&o);
            o.mode = POV_SCORE_LENIENT;
            o.detail = d ? POV_SCORE_DETAIL_TOTALS : POV_SCORE_DETAIL_ITEMS;
            pov_score_result *res = NULL;
            cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), 0, "%s", pov_error_message(pov_error_last()));
            for (size_t i = 0; i < n; i++) {
                cr_assert_eq(pov_score_result_totals(res)[i], hh[i % H].total, "detail %d household %zu: %g",
                             d, i, pov_score_result_totals(res)[i]);
                cr_assert_eq(pov_score_result_missing_count(res, i), hh[i % H].missing, "detail %d household %zu", d, i);
            }
            pov_score_result_free(res);
            /* strict: the first failure is household 2, item 0 (floor_area 30 outside
             * the bands; its wage is outside too, but item 0 comes first) */
            o.mode = POV_SCORE_STRICT;
            res = (pov_score_result *)1;
            cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), POV_ERANGE, "detail %d", d);
            cr_assert_null(res);
            cr_assert_str_eq(pov_error_path(pov_error_last()), "[2].floor_area");
        }
        pov_dataset_free(ds);
    }
    pov_scorecard_free(sc);
}

/* Category subtotals are stored compactly while every one is a float exactly,
 * and as doubles from the first that is not: a household after the first
 * block (row 900 of 1100) with a third of a point moves the earlier rows'
 * subtotals too. Every subtotal and total is the clamp formula of
 * docs/scorecard-format.md, computed here, exactly, before and after. */
Test(score, subtotals_exact_whatever_their_values) {
    const char *card =
        HEAD ",\"categories\":["
        "{\"id\":\"area\",\"step\":\"look\",\"items\":[{\"id\":\"a\",\"indicator\":\"floor_area\","
        "\"per_unit\":{\"points\":1,\"per\":3,\"cap\":100}}]},"
        "{\"id\":\"water\",\"step\":\"look\",\"items\":[{\"id\":\"w\",\"indicator\":\"safe_water\","
        "\"boolean\":{\"true\":0.5,\"false\":0}}]}]}";
    pov_scorecard *sc = NULL;
    cr_assert_eq(pov_scorecard_load_string(card, strlen(card), "t.json", &sc), 0, "%s",
                 pov_error_message(pov_error_last()));
    for (int odd = 0; odd < 2; odd++) {
        pov_dataset *ds = NULL;
        cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
        size_t n = 1100;
        for (size_t i = 0; i < n; i++) {
            char buf[256];
            double area = odd && i == 900 ? 1 : (double)(3 * (i % 40));
            snprintf(buf, sizeof buf, "{\"id\":\"h%zu\",\"floor_area\":%g,\"safe_water\":%s}", i,
                     area, i % 3 ? "true" : "false");
            add_json(ds, buf);
        }
        for (int d = 0; d < 2; d++) {
            pov_score_options o;
            pov_score_options_init(&o);
            o.mode = POV_SCORE_LENIENT;
            o.detail = d ? POV_SCORE_DETAIL_ITEMS : POV_SCORE_DETAIL_TOTALS;
            pov_score_result *res = NULL;
            cr_assert_eq(pov_scorecard_score(sc, ds, &o, &res), 0);
            for (size_t i = 0; i < n; i++) {
                double area = odd && i == 900 ? 1 : (double)(3 * (i % 40));
                double a = fmin(fmax(area / 3 * 1, -100), 100), w = i % 3 ? 0.5 : 0;
                cr_assert_eq(pov_score_result_category(res, i, 0), a, "odd %d row %zu: %.17g", odd,
                             i, pov_score_result_category(res, i, 0));
                cr_assert_eq(pov_score_result_category(res, i, 1), w);
                cr_assert_eq(pov_score_result_totals(res)[i], a + w);
            }
            cr_assert_eq(pov_score_result_category(res, 900, 0), odd ? 1.0 / 3 : 20.0);
            pov_score_result_free(res);
        }
        pov_dataset_free(ds);
    }
    pov_scorecard_free(sc);
}

/* The result holds its own copy of the household ids: they outlive the
 * dataset. */
Test(score, ids_outlive_the_dataset) {
    pov_scorecard *sc = load_example();
    pov_dataset *ds = NULL;
    cr_assert_eq(pov_dataset_new(pov_scorecard_schema(sc), &ds), 0);
    add_json(ds, "{\"id\":\"450123000001\"}");
    add_json(ds, "{\"id\":\"x\"}");
    add_json(ds, "{\"id\":\"\u00e5\u00e6 2\"}");
    pov_score_result *res = score_lenient(sc, ds);
    pov_dataset_free(ds);
    cr_assert_str_eq(pov_score_result_household_id(res, 0), "450123000001");
    cr_assert_str_eq(pov_score_result_household_id(res, 1), "x");
    cr_assert_str_eq(pov_score_result_household_id(res, 2), "\xc3\xa5\xc3\xa6 2");
    cr_assert_null(pov_score_result_household_id(res, 3));
    pov_score_result_free(res);
    pov_scorecard_free(sc);
}
