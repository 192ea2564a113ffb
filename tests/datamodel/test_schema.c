/* Tests of the indicator schema: core schema, accessors, extension documents. */
#include <criterion/criterion.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"
#include "povmetrics.h"

#define ASSERT_ERR(expr, code, path_)                                                 \
    do {                                                                              \
        int rc_ = (expr);                                                             \
        cr_assert_eq(rc_, (code), "%s: got %d (%s), want %d", #expr, rc_,             \
                     pov_error_message(pov_error_last()), (code));                    \
        if ((path_) != NULL)                                                          \
            cr_assert_str_eq(pov_error_path(pov_error_last()), (const char *)(path_)); \
    } while (0)

static pov_schema *load(const char *doc) {
    pov_schema *s = NULL;
    int r = pov_schema_load_string(doc, strlen(doc), "ext.json", &s);
    cr_assert_eq(r, 0, "load: %s at %s", pov_error_message(pov_error_last()),
                 pov_error_path(pov_error_last()));
    return s;
}

/* Written independently of core_schema.c: the ids expected at each index. */
static const char *const expected_ids[] = {
    "province_code", "city_code", "county_code", "township_code", "village_code", "year",
    "registry_status", "household_type", "poverty_standard", "household_size",
    "labour_count", "dependency_ratio", "net_income", "per_capita_net_income",
    "school_age_out_of_school", "uninsured_members", "floor_area_per_capita", "income_wage",
    "income_operating", "income_property", "income_transfer", "income_other",
    "transfer_basic_pension", "transfer_dibao_c", "transfer_temporary_relief",
    "production_costs", "exp_medical", "exp_education", "exp_other_rigid", "disaster_loss",
    "debt", "housing_structure", "housing_safety", "floor_area", "safe_water",
    "water_litres_per_day", "water_fetch_minutes", "water_supply_pct", "electricity",
    "road_hardened", "tv", "phone", "broadband", "paddy_mu", "dry_land_mu",
    "economic_forest_mu", "forest_mu", "large_livestock", "pigs", "poultry",
    "livestock_value", "cars", "motorcycles", "farm_machinery", "town_property",
    "purchased_land", "owns_company", "drugs_gambling", "cause_main", "cause_other1",
    "cause_other2", "relation", "age", "sex", "health", "disability_grade",
    "labour_capacity", "schooling", "medical_insurance", "pension_insurance",
    "migrant_months", "public_funds_paid",
};

Test(core, ids_match_internal_indices) {
    const pov_schema *s = pov_schema_core();
    size_t n = sizeof expected_ids / sizeof expected_ids[0];
    cr_assert_eq(pov_schema_count(s), n);
    cr_assert_eq(pov_schema_core_count(), n);
    cr_assert_eq((size_t)POVI_CORE_COUNT, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(pov_schema_id(s, i), expected_ids[i], "index %zu", i);
        size_t k = 99999;
        cr_assert_eq(pov_schema_find(s, expected_ids[i], &k), 0);
        cr_assert_eq(k, i);
    }
    cr_assert_eq(pov_schema_find(s, "age", NULL), 0);
    cr_assert_str_eq(pov_schema_id(s, POVI_AGE), "age");
    cr_assert_str_eq(pov_schema_name(s), "core");
}

Test(core, every_indicator_is_well_formed) {
    const pov_schema *s = pov_schema_core();
    for (size_t i = 0; i < pov_schema_count(s); i++) {
        const char *id = pov_schema_id(s, i);
        cr_assert(povi_valid_id(id), "%s", id);
        cr_assert_gt(strlen(pov_schema_label_zh(s, i)), 0, "%s", id);
        cr_assert_gt(strlen(pov_schema_label_en(s, i)), 0, "%s", id);
        cr_assert_gt(strlen(pov_schema_description(s, i)), 0, "%s", id);
        const char *src = pov_schema_source(s, i);
        cr_assert(strncmp(src, "[C]", 3) == 0 || strncmp(src, "[U]", 3) == 0, "%s: %s", id, src);
        cr_assert_not_null(pov_schema_unit(s, i));
        int type = pov_schema_type(s, i);
        cr_assert(type >= POV_TYPE_NUMBER && type <= POV_TYPE_TEXT);
        if (type == POV_TYPE_CATEGORY) {
            cr_assert_gt(pov_schema_code_count(s, i), 0, "%s", id);
            for (size_t k = 0; k < pov_schema_code_count(s, i); k++) {
                cr_assert(povi_valid_code(pov_schema_code(s, i, k)));
                cr_assert_gt(strlen(pov_schema_code_label_zh(s, i, k)), 0);
                cr_assert_gt(strlen(pov_schema_code_label_en(s, i, k)), 0);
                for (size_t j = 0; j < k; j++)
                    cr_assert_str_neq(pov_schema_code(s, i, j), pov_schema_code(s, i, k));
            }
        } else {
            cr_assert_eq(pov_schema_code_count(s, i), 0);
        }
        double lo, hi;
        cr_assert_eq(pov_schema_range(s, i, &lo, &hi), 0);
        cr_assert(lo <= hi);
    }
}

Test(core, properties_of_selected_indicators) {
    const pov_schema *s = pov_schema_core();
    size_t age, area, safety, size, wage;
    cr_assert_eq(pov_schema_find(s, "age", &age), 0);
    cr_assert_eq(pov_schema_level(s, age), POV_LEVEL_MEMBER);
    cr_assert_eq(pov_schema_type(s, age), POV_TYPE_INTEGER);
    cr_assert_eq(pov_schema_required(s, age), 1);
    cr_assert_eq(pov_schema_derived(s, age), 0);
    double lo, hi;
    pov_schema_range(s, age, &lo, &hi);
    cr_assert_eq(lo, 0.0);
    cr_assert_eq(hi, 130.0);
    cr_assert_str_eq(pov_schema_unit(s, age), "years");
    cr_assert_str_eq(pov_schema_label_zh(s, age), "年龄");

    cr_assert_eq(pov_schema_find(s, "floor_area", &area), 0);
    cr_assert_eq(pov_schema_level(s, area), POV_LEVEL_HOUSEHOLD);
    cr_assert_eq(pov_schema_type(s, area), POV_TYPE_NUMBER);
    cr_assert_str_eq(pov_schema_unit(s, area), "m2");

    cr_assert_eq(pov_schema_find(s, "housing_safety", &safety), 0);
    cr_assert_eq(pov_schema_code_count(s, safety), 4);
    cr_assert_str_eq(pov_schema_code(s, safety, 0), "A");
    cr_assert_str_eq(pov_schema_code(s, safety, 3), "D");
    cr_assert_null(pov_schema_code(s, safety, 4));
    size_t k;
    cr_assert_eq(pov_schema_find_code(s, safety, "C", &k), 0);
    cr_assert_eq(k, 2);
    ASSERT_ERR(pov_schema_find_code(s, safety, "E", &k), POV_ECODE, "housing_safety");
    pov_schema_range(s, safety, &lo, &hi);
    cr_assert(isinf(lo) && lo < 0 && isinf(hi) && hi > 0);

    cr_assert_eq(pov_schema_find(s, "household_size", &size), 0);
    cr_assert_eq(pov_schema_derived(s, size), 1);
    cr_assert_eq(pov_schema_find(s, "income_wage", &wage), 0);
    cr_assert_str_eq(pov_schema_unit(s, wage), "yuan/year");
    ASSERT_ERR(pov_schema_find_code(s, wage, "A", &k), POV_ETYPE, NULL);

    /* the national 12 causes plus marriage */
    size_t cause;
    cr_assert_eq(pov_schema_find(s, "cause_main", &cause), 0);
    cr_assert_eq(pov_schema_code_count(s, cause), 13);
    cr_assert_eq(pov_schema_find_code(s, cause, "lack_labour", NULL), 0);

    /* code order relied on by derive.c */
    size_t cap, sch;
    pov_schema_find(s, "labour_capacity", &cap);
    cr_assert_str_eq(pov_schema_code(s, cap, POVI_LABOUR_NONE), "none");
    cr_assert_str_eq(pov_schema_code(s, cap, POVI_LABOUR_LOST), "lost");
    pov_schema_find(s, "schooling", &sch);
    cr_assert_str_eq(pov_schema_code(s, sch, POVI_SCHOOL_NEVER_ENROLLED), "never_enrolled");
    cr_assert_str_eq(pov_schema_code(s, sch, POVI_SCHOOL_DROPPED_OUT), "dropped_out");
    cr_assert_str_eq(pov_schema_code(s, sch, POVI_SCHOOL_SUSPENDED), "suspended");
}

Test(core, bad_arguments) {
    const pov_schema *s = pov_schema_core();
    ASSERT_ERR(pov_schema_find(s, "no_such_thing", NULL), POV_ENOTFOUND, "no_such_thing");
    ASSERT_ERR(pov_schema_find(NULL, "age", NULL), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_find(s, NULL, NULL), POV_EINVAL, NULL);
    size_t n = pov_schema_count(s);
    cr_assert_null(pov_schema_id(s, n));
    cr_assert_null(pov_schema_label_zh(s, n));
    cr_assert_null(pov_schema_label_en(s, n));
    cr_assert_null(pov_schema_unit(s, n));
    cr_assert_null(pov_schema_description(s, n));
    cr_assert_null(pov_schema_source(s, n));
    cr_assert_null(pov_schema_code_label_zh(s, n, 0));
    cr_assert_null(pov_schema_code_label_en(s, n, 0));
    cr_assert_eq(pov_schema_code_count(s, n), 0);
    ASSERT_ERR(pov_schema_level(s, n), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_type(s, n), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_required(s, n), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_derived(s, n), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_range(s, n, NULL, NULL), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_find_code(s, n, "x", NULL), POV_EINVAL, NULL);
    cr_assert_eq(pov_schema_count(NULL), 0);
    cr_assert_null(pov_schema_name(NULL));
    pov_schema_free(NULL);
    pov_schema_free(s); /* no-op on the core schema */
    cr_assert_str_eq(pov_schema_id(pov_schema_core(), 0), "province_code");
}

static gpointer get_core(gpointer p) {
    (void)p;
    return (gpointer)pov_schema_core();
}

Test(core, built_once_across_threads) {
    GThread *t[8];
    for (int i = 0; i < 8; i++)
        t[i] = g_thread_new("core", get_core, NULL);
    const void *first = g_thread_join(t[0]);
    for (int i = 1; i < 8; i++)
        cr_assert_eq(g_thread_join(t[i]), first);
    cr_assert_eq(first, (const void *)pov_schema_core());
}

static const char *ext_doc =
    "{\n"
    "  \"format\": \"povmetrics.schema/1\",\n"
    "  \"name\": \"test-ext\",\n"
    "  \"version\": \"1\",\n"
    "  \"provenance\": \"unit test\",\n"
    "  \"indicators\": [\n"
    "    {\"id\": \"biogas\", \"label_zh\": \"沼气池\", \"label_en\": \"biogas digester\",\n"
    "     \"level\": \"household\", \"type\": \"boolean\", \"source\": \"[U] test\"},\n"
    "    {\"id\": \"fish_pond_mu\", \"label_en\": \"fish pond\", \"level\": \"household\",\n"
    "     \"type\": \"number\", \"unit\": \"mu\", \"min\": 0, \"max\": 500, \"required\": true},\n"
    "    {\"id\": \"dialect\", \"level\": \"member\", \"type\": \"category\",\n"
    "     \"codes\": [{\"code\": \"zhuang\", \"label_zh\": \"壮语\"}, {\"code\": \"Yue\"}]},\n"
    "    {\"id\": \"nickname\", \"level\": \"member\", \"type\": \"text\"}\n"
    "  ]\n"
    "}\n";

Test(load, extension_document) {
    pov_schema *s = load(ext_doc);
    size_t core = pov_schema_core_count();
    cr_assert_eq(pov_schema_count(s), core + 4);
    cr_assert_str_eq(pov_schema_name(s), "test-ext");
    for (size_t i = 0; i < core; i++)
        cr_assert_str_eq(pov_schema_id(s, i), pov_schema_id(pov_schema_core(), i));
    size_t k;
    cr_assert_eq(pov_schema_find(s, "fish_pond_mu", &k), 0);
    cr_assert_eq(k, core + 1);
    cr_assert_eq(pov_schema_required(s, k), 1);
    cr_assert_eq(pov_schema_derived(s, k), 0);
    double lo, hi;
    pov_schema_range(s, k, &lo, &hi);
    cr_assert_eq(lo, 0.0);
    cr_assert_eq(hi, 500.0);
    cr_assert_str_eq(pov_schema_unit(s, k), "mu");
    cr_assert_str_eq(pov_schema_label_zh(s, k), "");
    cr_assert_eq(pov_schema_find(s, "biogas", &k), 0);
    cr_assert_str_eq(pov_schema_label_zh(s, k), "沼气池");
    cr_assert_str_eq(pov_schema_source(s, k), "[U] test");
    cr_assert_eq(pov_schema_type(s, k), POV_TYPE_BOOLEAN);
    pov_schema_range(s, k, &lo, &hi);
    cr_assert(isinf(lo) && isinf(hi));
    cr_assert_eq(pov_schema_find(s, "dialect", &k), 0);
    cr_assert_eq(pov_schema_level(s, k), POV_LEVEL_MEMBER);
    cr_assert_eq(pov_schema_code_count(s, k), 2);
    cr_assert_str_eq(pov_schema_code(s, k, 1), "Yue");
    cr_assert_str_eq(pov_schema_code_label_zh(s, k, 0), "壮语");
    cr_assert_str_eq(pov_schema_code_label_en(s, k, 1), "");
    /* the core schema is unchanged */
    ASSERT_ERR(pov_schema_find(pov_schema_core(), "biogas", NULL), POV_ENOTFOUND, "biogas");
    pov_schema_free(s);
}

Test(load, name_defaults_to_source) {
    const char *doc = "{\"format\":\"povmetrics.schema/1\",\"indicators\":[]}";
    pov_schema *s = NULL;
    cr_assert_eq(pov_schema_load_string(doc, strlen(doc), NULL, &s), 0);
    cr_assert_str_eq(pov_schema_name(s), "<string>");
    cr_assert_eq(pov_schema_count(s), pov_schema_core_count());
    pov_schema_free(s);
}

/* Checks code, path, line and column of a failing document. */
static void expect_fail(const char *doc, int code, const char *path, size_t line,
                        size_t column) {
    pov_schema *s = (pov_schema *)1;
    int r = pov_schema_load_string(doc, strlen(doc), "bad.json", &s);
    const pov_error *e = pov_error_last();
    cr_assert_eq(r, code, "got %d (%s) want %d for %s", r, pov_error_message(e), code, doc);
    cr_assert_null(s);
    cr_assert_str_eq(pov_error_source(e), "bad.json");
    if (path)
        cr_assert_str_eq(pov_error_path(e), path);
    if (line) {
        cr_assert_eq(pov_error_line(e), line, "line %zu want %zu (%s)", pov_error_line(e), line,
                     pov_error_message(e));
        cr_assert_eq(pov_error_column(e), column, "column %zu want %zu (%s)",
                     pov_error_column(e), column, pov_error_message(e));
    }
}

#define HEAD "{\"format\": \"povmetrics.schema/1\",\n\"indicators\": [\n"

Test(load, errors_with_paths_and_positions) {
    /* redefining a core id: line 3, column 8 is the value of "id" */
    expect_fail(HEAD "{\"id\": \"age\", \"level\": \"member\", \"type\": \"integer\"}]}",
                POV_EDUPLICATE, "indicators[0].id", 3, 8);
    /* defined twice in the document */
    expect_fail(HEAD "{\"id\": \"a1\", \"level\": \"member\", \"type\": \"text\"},\n"
                     "{\"id\": \"a1\", \"level\": \"member\", \"type\": \"text\"}]}",
                POV_EDUPLICATE, "indicators[1].id", 4, 8);
    /* unknown field */
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"text\", \"colour\": 1}]}",
                POV_EUNKNOWN, "indicators[0].colour", 3, 58);
    expect_fail("{\"format\": \"povmetrics.schema/1\", \"indicators\": [], \"extra\": 1}",
                POV_EUNKNOWN, "extra", 1, 62);
    /* format */
    expect_fail("{\"indicators\": []}", POV_EFORMAT, "", 1, 1);
    expect_fail("{\"format\": \"povmetrics.schema/2\", \"indicators\": []}", POV_EFORMAT,
                "format", 1, 12);
    expect_fail("[1, 2]", POV_ETYPE, "", 1, 1);
    /* syntax: the stray comma on line 2 */
    expect_fail("{\"format\": \"povmetrics.schema/1\",\n  \"indicators\": [,]}", POV_ESYNTAX,
                NULL, 2, 18);
    /* truncated */
    expect_fail("{\"format\": \"povmetrics.schema/1\",\n  \"indicators\": [", POV_ETRUNCATED,
                NULL, 2, 18);
    expect_fail("   ", POV_ETRUNCATED, NULL, 1, 4);
    /* bad values */
    expect_fail(HEAD "{\"id\": \"Bad-Id\", \"level\": \"member\", \"type\": \"text\"}]}",
                POV_EINVAL, "indicators[0].id", 3, 8);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"village\", \"type\": \"text\"}]}", POV_ECODE,
                "indicators[0].level", 3, 22);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\"}]}", POV_EMISSING, "indicators[0]", 3,
                1);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"category\"}]}",
                POV_EMISSING, "indicators[0]", 3, 1);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"category\", \"codes\": []}]}",
                POV_EEMPTY, "indicators[0].codes", 3, 61);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"category\", \"codes\": "
                     "[{\"code\": \"a\"}, {\"code\": \"a\"}]}]}",
                POV_EDUPLICATE, "indicators[0].codes[1].code", 3, 86);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"category\", \"codes\": "
                     "[{\"code\": \"a b\"}]}]}",
                POV_EINVAL, "indicators[0].codes[0].code", 3, 71);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"text\", \"codes\": []}]}",
                POV_EINVAL, "indicators[0].codes", 3, 57);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"text\", \"min\": 1}]}",
                POV_EINVAL, "indicators[0].min", 3, 55);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"number\", \"min\": 5, "
                     "\"max\": 1}]}",
                POV_ERULE, "indicators[0].min", 3, 57);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"number\", \"max\": \"9\"}]}",
                POV_ETYPE, "indicators[0].max", 3, 57);
    expect_fail(HEAD "{\"id\": 7, \"level\": \"member\", \"type\": \"text\"}]}", POV_ETYPE,
                "indicators[0].id", 3, 8);
    expect_fail(HEAD "{\"id\": \"x\", \"level\": \"member\", \"type\": \"text\", \"required\": 1}]}",
                POV_ETYPE, "indicators[0].required", 3, 60);
    expect_fail(HEAD "7]}", POV_ETYPE, "indicators[0]", 3, 1);
    expect_fail("{\"format\": \"povmetrics.schema/1\", \"indicators\": {}}", POV_ETYPE,
                "indicators", 1, 49);
    expect_fail("{\"format\": \"povmetrics.schema/1\"}", POV_EMISSING, "", 1, 1);
    expect_fail("{\"format\": \"povmetrics.schema/1\", \"indicators\": [], \"name\": 3}",
                POV_ETYPE, "name", 1, 61);
    expect_fail("{\"format\": \"povmetrics.schema/1\", \"format\": \"povmetrics.schema/1\", "
                "\"indicators\": []}",
                POV_EDUPLICATE, "format", 1, 12);
}

Test(load, nesting_limit) {
    GString *g = g_string_new("{\"format\": \"povmetrics.schema/1\", \"indicators\": [], "
                              "\"description\": ");
    for (int i = 0; i < 70; i++)
        g_string_append_c(g, '[');
    for (int i = 0; i < 70; i++)
        g_string_append_c(g, ']');
    g_string_append_c(g, '}');
    pov_schema *s = NULL;
    /* the prefix is 67 bytes; the object is level 1, so the 64th '[' (0-based
     * offset 67 + 63) opens level 65 */
    ASSERT_ERR(pov_schema_load_string(g->str, g->len, "deep.json", &s), POV_ELIMIT, NULL);
    cr_assert_eq(pov_error_line(pov_error_last()), 1);
    cr_assert_eq(pov_error_column(pov_error_last()), 67 + 63 + 1);
    g_string_free(g, TRUE);
}

Test(load, files) {
    char path[] = "/tmp/povschemaXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(ext_doc, f);
    fclose(f);
    pov_schema *s = NULL;
    cr_assert_eq(pov_schema_load_file(path, &s), 0);
    cr_assert_eq(pov_schema_count(s), pov_schema_core_count() + 4);
    pov_schema_free(s);
    /* error positions name the file */
    f = fopen(path, "w");
    fputs("{\"format\": \"povmetrics.schema/1\",\n \"indicators\": [{\"id\": \"age\", "
          "\"level\": \"member\", \"type\": \"integer\"}]}", f);
    fclose(f);
    ASSERT_ERR(pov_schema_load_file(path, &s), POV_EDUPLICATE, "indicators[0].id");
    cr_assert_str_eq(pov_error_source(pov_error_last()), path);
    cr_assert_eq(pov_error_line(pov_error_last()), 2);
    cr_assert_eq(pov_error_column(pov_error_last()), 24);
    remove(path);
    ASSERT_ERR(pov_schema_load_file(path, &s), POV_EIO, NULL);
    cr_assert_null(s);
    ASSERT_ERR(pov_schema_load_file(NULL, &s), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_load_file(path, NULL), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_load_string(NULL, 0, NULL, &s), POV_EINVAL, NULL);
    ASSERT_ERR(pov_schema_load_string("{}", 2, NULL, NULL), POV_EINVAL, NULL);
}

Test(load, to_json_lists_every_indicator) {
    pov_schema *s = load(ext_doc);
    char *json = NULL;
    cr_assert_eq(pov_schema_to_json(s, &json), 0);
    cJSON *root = cJSON_Parse(json);
    cr_assert_not_null(root);
    cJSON *inds = cJSON_GetObjectItem(root, "indicators");
    cr_assert_eq((size_t)cJSON_GetArraySize(inds), pov_schema_count(s));
    cJSON *last = cJSON_GetArrayItem(inds, (int)pov_schema_count(s) - 2);
    cr_assert_str_eq(cJSON_GetObjectItem(last, "id")->valuestring, "dialect");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(last, "core")));
    cJSON *age = cJSON_GetArrayItem(inds, POVI_AGE);
    cr_assert_eq(cJSON_GetObjectItem(age, "max")->valuedouble, 130.0);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(age, "required")));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(age, "core")));
    cJSON_Delete(root);
    pov_free(json);
    ASSERT_ERR(pov_schema_to_json(NULL, &json), POV_EINVAL, NULL);
    pov_schema_free(s);
}

Test(load, households_keep_the_schema_alive) {
    pov_schema *s = load(ext_doc);
    pov_household *h = NULL;
    cr_assert_eq(pov_household_new(s, &h), 0);
    pov_schema_free(s); /* the household still holds a reference */
    cr_assert_eq(pov_household_set_number(h, "fish_pond_mu", 2.5), 0);
    ASSERT_ERR(pov_household_set_number(h, "fish_pond_mu", 501), POV_ERANGE, "fish_pond_mu");
    cr_assert_str_eq(pov_schema_name(pov_household_schema(h)), "test-ext");
    pov_household_free(h);
}

Test(internal, json_locate_and_numbers) {
    const char *t = "{\"a\": [1, {\"b\": \"x,]}\"}, 3], \"c\": {\"d\": null}}";
    size_t n = strlen(t);
    cr_assert_eq(povi_json_locate(t, n, ""), 0);
    cr_assert_eq(povi_json_locate(t, n, "a"), 6);
    cr_assert_eq(povi_json_locate(t, n, "a[1].b"), 16);
    cr_assert_eq(povi_json_locate(t, n, "a[2]"), 25);
    cr_assert_eq(povi_json_locate(t, n, "c.d"), 40);
    cr_assert_eq(povi_json_locate(t, n, "c.zz"), 34); /* the enclosing object */
    cr_assert_eq(povi_json_locate(t, n, "a[7]"), SIZE_MAX);
    GString *g = g_string_new(NULL);
    povi_json_append_number(g, 0.1);
    g_string_append_c(g, ' ');
    povi_json_append_number(g, 2855);
    g_string_append_c(g, ' ');
    povi_json_append_number(g, -0.0);
    g_string_append_c(g, ' ');
    povi_json_append_number(g, 1.0 / 3.0);
    g_string_append_c(g, ' ');
    povi_json_append_string(g, "a\"b\\\n\x01", 6);
    cr_assert_str_eq(g->str, "0.1 2855 0 0.3333333333333333 \"a\\\"b\\\\\\n\\u0001\"");
    g_string_free(g, TRUE);
}
