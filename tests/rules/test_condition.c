/*
 * Tests of the condition language (docs/conditions.md). Expected values are
 * worked out by hand from the rules in that document; the property test
 * compares the batch and single-household evaluators with each other and
 * with an independent C formula written in this file.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "condition_internal.h"
#include "povmetrics.h"

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */
/* ------------------------------------------------------------------------ */

static const char *SCHEMA_JSON =
    "{\"format\": \"povmetrics.schema/1\", \"name\": \"cond_test\", \"indicators\": ["
    "{\"id\": \"t_num\", \"level\": \"household\", \"type\": \"number\"},"
    "{\"id\": \"t_num2\", \"level\": \"household\", \"type\": \"number\"},"
    "{\"id\": \"t_int\", \"level\": \"household\", \"type\": \"integer\"},"
    "{\"id\": \"t_flag\", \"level\": \"household\", \"type\": \"boolean\"},"
    "{\"id\": \"t_flag2\", \"level\": \"household\", \"type\": \"boolean\"},"
    "{\"id\": \"t_cat\", \"level\": \"household\", \"type\": \"category\","
    " \"codes\": [{\"code\": \"a\"}, {\"code\": \"b\"}, {\"code\": \"c\"}]},"
    "{\"id\": \"t_other\", \"level\": \"household\", \"type\": \"category\","
    " \"codes\": [{\"code\": \"x\"}, {\"code\": \"y\"}]},"
    "{\"id\": \"t_text\", \"level\": \"household\", \"type\": \"text\"},"
    "{\"id\": \"m_num\", \"level\": \"member\", \"type\": \"number\"},"
    "{\"id\": \"m_flag\", \"level\": \"member\", \"type\": \"boolean\"},"
    "{\"id\": \"m_cat\", \"level\": \"member\", \"type\": \"category\","
    " \"codes\": [{\"code\": \"p\"}, {\"code\": \"q\"}]}"
    "]}";

static pov_schema *S;
static pov_household *H;

static void setup(void) {
    int rc = pov_schema_load_string(SCHEMA_JSON, strlen(SCHEMA_JSON), "test", &S);
    cr_assert_eq(rc, 0, "schema: %s", pov_error_message(pov_error_last()));
    cr_assert_eq(pov_household_new(S, &H), 0);
}

static void teardown(void) {
    pov_household_free(H);
    pov_schema_free(S);
}

TestSuite(cond, .init = setup, .fini = teardown);

static pov_condition *compile_ok(const char *expr) {
    pov_condition *c = NULL;
    int rc = pov_condition_compile(S, expr, SIZE_MAX, "expr", &c);
    cr_assert_eq(rc, 0, "compile %s: %d %s at %s", expr, rc,
                 pov_error_message(pov_error_last()), pov_error_path(pov_error_last()));
    return c;
}

/* Evaluates @p expr on H; returns the state, value in *v. */
static int eval(const char *expr, double *v) {
    pov_condition *c = compile_ok(expr);
    double x = -12345;
    int st = -1;
    cr_assert_eq(pov_condition_eval_household(c, H, &x, &st), 0);
    pov_condition_free(c);
    if (v)
        *v = x;
    return st;
}

#define ASSERT_TRUE(e) cr_assert_eq(eval(e, NULL), POV_COND_TRUE, "%s should be true", e)
#define ASSERT_FALSE(e) cr_assert_eq(eval(e, NULL), POV_COND_FALSE, "%s should be false", e)
#define ASSERT_MISSING(e)                                                                     \
    do {                                                                                      \
        double mv_;                                                                           \
        cr_assert_eq(eval(e, &mv_), POV_COND_MISSING, "%s should be missing", e);             \
        cr_assert(isnan(mv_), "%s: missing value must be NaN", e);                            \
    } while (0)
#define ASSERT_NUM(e, want)                                                                   \
    do {                                                                                      \
        double v_;                                                                            \
        int st_ = eval(e, &v_);                                                               \
        cr_assert_eq(st_, POV_COND_VALUE, "%s: state %d", e, st_);                            \
        cr_assert(fabs(v_ - (want)) < 1e-12, "%s = %.17g, want %.17g", e, v_, (double)(want)); \
    } while (0)

/* Compiles @p expr expecting error @p code at @p path. */
static void expect_error(const char *expr, int code, const char *path) {
    pov_condition *c = (pov_condition *)1;
    int rc = pov_condition_compile(S, expr, SIZE_MAX, "expr", &c);
    const pov_error *e = pov_error_last();
    cr_assert_eq(rc, code, "%s: got %d (%s), want %d", expr, rc, pov_error_message(e), code);
    cr_assert_null(c, "nothing half-built is returned");
    cr_assert_eq(pov_error_code(e), code);
    if (path)
        cr_assert_str_eq(pov_error_path(e), path, "%s: path '%s', want '%s' (%s)", expr,
                         pov_error_path(e), path, pov_error_message(e));
    cr_assert_str_eq(pov_error_source(e), "expr");
}

/* A household value setup for the logic tests: t_flag true, t_flag2 false,
 * t_num missing. */
static void set_flags(void) {
    cr_assert_eq(pov_household_set_boolean(H, "t_flag", 1), 0);
    cr_assert_eq(pov_household_set_boolean(H, "t_flag2", 0), 0);
}

static size_t add_member(double num, int flag, const char *cat) {
    size_t m;
    cr_assert_eq(pov_household_member_add(H, &m), 0);
    if (!isnan(num))
        cr_assert_eq(pov_household_member_set_number(H, m, "m_num", num), 0);
    if (flag >= 0)
        cr_assert_eq(pov_household_member_set_boolean(H, m, "m_flag", flag), 0);
    if (cat)
        cr_assert_eq(pov_household_member_set_category(H, m, "m_cat", cat), 0);
    return m;
}

/* ------------------------------------------------------------------------ */
/* Literals, var, types                                                      */
/* ------------------------------------------------------------------------ */

Test(cond, literals) {
    ASSERT_TRUE("true");
    ASSERT_FALSE("false");
    ASSERT_NUM("3.5", 3.5);
    ASSERT_MISSING("null");
    ASSERT_NUM("  -2 ", -2);
}

Test(cond, result_types) {
    struct { const char *e; int t; } cases[] = {
        {"true", POV_COND_TYPE_BOOLEAN}, {"1", POV_COND_TYPE_NUMBER},
        {"null", POV_COND_TYPE_NULL}, {"{\"var\": \"t_cat\"}", POV_COND_TYPE_CATEGORY},
        {"{\"var\": \"t_text\"}", POV_COND_TYPE_TEXT}, {"{\"var\": \"t_flag\"}", POV_COND_TYPE_BOOLEAN},
        {"{\"var\": \"t_int\"}", POV_COND_TYPE_NUMBER}, {"{\"+\": [true, 1]}", POV_COND_TYPE_NUMBER},
        {"{\"if\": [true, 1, false]}", POV_COND_TYPE_NUMBER},
        {"{\"if\": [true, null, false]}", POV_COND_TYPE_BOOLEAN},
        {"{\"count\": [{\"var\": \"members\"}]}", POV_COND_TYPE_NUMBER},
        {"{\"missing\": [\"t_num\"]}", POV_COND_TYPE_NUMBER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pov_condition *c = compile_ok(cases[i].e);
        cr_assert_eq(pov_condition_result_type(c), cases[i].t, "%s", cases[i].e);
        pov_condition_free(c);
    }
    cr_assert_eq(pov_condition_result_type(NULL), POV_EINVAL);
}

Test(cond, var_values_and_defaults) {
    ASSERT_MISSING("{\"var\": \"t_num\"}");
    ASSERT_NUM("{\"var\": [\"t_num\", 7]}", 7);
    ASSERT_NUM("{\"var\": [\"t_num\", {\"+\": [1, 2]}]}", 3);
    ASSERT_MISSING("{\"var\": [\"t_num\", null]}");
    ASSERT_MISSING("{\"var\": [\"t_num\"]}");
    cr_assert_eq(pov_household_set_number(H, "t_num", 12.25), 0);
    ASSERT_NUM("{\"var\": \"t_num\"}", 12.25);
    ASSERT_NUM("{\"var\": [\"t_num\", 7]}", 12.25);
    ASSERT_NUM("{\"var\": \"household.t_num\"}", 12.25);
    /* category: the value is the code index (a=0, b=1, c=2) */
    cr_assert_eq(pov_household_set_category(H, "t_cat", "c"), 0);
    ASSERT_NUM("{\"var\": \"t_cat\"}", 2);
    ASSERT_NUM("{\"var\": [\"t_other\", \"y\"]}", 1);
    cr_assert_eq(pov_household_set_text(H, "t_text", "hello"), 0);
    cr_assert_eq(eval("{\"var\": \"t_text\"}", NULL), POV_COND_VALUE);
    ASSERT_NUM("{\"missing\": [\"t_text\"]}", 0);
    cr_assert_eq(pov_household_set_boolean(H, "t_flag", 1), 0);
    ASSERT_TRUE("{\"var\": \"t_flag\"}");
    ASSERT_TRUE("{\"var\": [\"t_flag2\", true]}");
}

/* ------------------------------------------------------------------------ */
/* Comparisons                                                               */
/* ------------------------------------------------------------------------ */

Test(cond, comparisons) {
    cr_assert_eq(pov_household_set_number(H, "t_num", 5), 0);
    ASSERT_TRUE("{\"==\": [{\"var\": \"t_num\"}, 5]}");
    ASSERT_FALSE("{\"==\": [{\"var\": \"t_num\"}, 5.5]}");
    ASSERT_TRUE("{\"!=\": [{\"var\": \"t_num\"}, 4]}");
    ASSERT_FALSE("{\"!=\": [5, {\"var\": \"t_num\"}]}");
    ASSERT_TRUE("{\"<\": [{\"var\": \"t_num\"}, 6]}");
    ASSERT_FALSE("{\"<\": [{\"var\": \"t_num\"}, 5]}");
    ASSERT_TRUE("{\"<=\": [{\"var\": \"t_num\"}, 5]}");
    ASSERT_FALSE("{\"<=\": [{\"var\": \"t_num\"}, 4.999]}");
    ASSERT_TRUE("{\">\": [{\"var\": \"t_num\"}, 4]}");
    ASSERT_FALSE("{\">\": [{\"var\": \"t_num\"}, 5]}");
    ASSERT_TRUE("{\">=\": [{\"var\": \"t_num\"}, 5]}");
    ASSERT_FALSE("{\">=\": [{\"var\": \"t_num\"}, 6]}");
    /* booleans compare as 0/1 */
    ASSERT_TRUE("{\"==\": [true, 1]}");
    ASSERT_TRUE("{\"<\": [false, true]}");
}

Test(cond, between) {
    cr_assert_eq(pov_household_set_number(H, "t_num", 5), 0);
    ASSERT_TRUE("{\"<\": [4, {\"var\": \"t_num\"}, 6]}");
    ASSERT_FALSE("{\"<\": [5, {\"var\": \"t_num\"}, 6]}");
    ASSERT_FALSE("{\"<\": [4, {\"var\": \"t_num\"}, 5]}");
    ASSERT_TRUE("{\"<=\": [5, {\"var\": \"t_num\"}, 5]}");
    ASSERT_FALSE("{\"<=\": [5.5, {\"var\": \"t_num\"}, 9]}");
    ASSERT_MISSING("{\"<\": [4, {\"var\": \"t_num2\"}, 6]}");
    ASSERT_MISSING("{\"<=\": [null, {\"var\": \"t_num\"}, 6]}");
    ASSERT_MISSING("{\"<\": [4, {\"var\": \"t_num\"}, null]}");
}

Test(cond, comparisons_with_missing_are_missing) {
    const char *ops[] = {"==", "!=", "<", "<=", ">", ">="};
    for (size_t i = 0; i < 6; i++) {
        char e[128];
        snprintf(e, sizeof e, "{\"%s\": [{\"var\": \"t_num\"}, 1]}", ops[i]);
        ASSERT_MISSING(e);
        snprintf(e, sizeof e, "{\"%s\": [1, {\"var\": \"t_num\"}]}", ops[i]);
        ASSERT_MISSING(e);
        snprintf(e, sizeof e, "{\"%s\": [null, null]}", ops[i]);
        ASSERT_MISSING(e);
    }
    /* comparing with null never tests absence: it is missing */
    cr_assert_eq(pov_household_set_number(H, "t_num", 1), 0);
    ASSERT_MISSING("{\"==\": [{\"var\": \"t_num\"}, null]}");
}

Test(cond, category_equality_by_code) {
    cr_assert_eq(pov_household_set_category(H, "t_cat", "b"), 0);
    ASSERT_TRUE("{\"==\": [{\"var\": \"t_cat\"}, \"b\"]}");
    ASSERT_TRUE("{\"==\": [\"b\", {\"var\": \"t_cat\"}]}");
    ASSERT_FALSE("{\"==\": [{\"var\": \"t_cat\"}, \"a\"]}");
    ASSERT_TRUE("{\"!=\": [{\"var\": \"t_cat\"}, \"c\"]}");
    ASSERT_TRUE("{\"==\": [{\"var\": \"t_cat\"}, {\"var\": \"t_cat\"}]}");
    ASSERT_TRUE("{\"==\": [{\"var\": \"t_cat\"}, {\"if\": [true, \"b\", \"c\"]}]}");
    ASSERT_MISSING("{\"==\": [{\"var\": \"t_other\"}, \"x\"]}");
    ASSERT_TRUE("{\"==\": [{\"var\": [\"t_other\", \"y\"]}, \"y\"]}");
}

/* ------------------------------------------------------------------------ */
/* Logic                                                                     */
/* ------------------------------------------------------------------------ */

Test(cond, not_and_truthiness) {
    set_flags();
    ASSERT_FALSE("{\"!\": {\"var\": \"t_flag\"}}");
    ASSERT_TRUE("{\"!\": [{\"var\": \"t_flag2\"}]}");
    ASSERT_MISSING("{\"!\": {\"var\": \"t_num\"}}");
    ASSERT_TRUE("{\"!!\": [{\"var\": \"t_flag\"}]}");
    ASSERT_FALSE("{\"!!\": {\"var\": \"t_flag2\"}}");
    ASSERT_MISSING("{\"!!\": {\"var\": \"t_num\"}}");
    ASSERT_TRUE("{\"!!\": 2.5}");
    ASSERT_FALSE("{\"!!\": 0}");
    ASSERT_TRUE("{\"!\": 0}");
    ASSERT_MISSING("{\"!\": null}");
}

/* Kleene truth tables: T = t_flag, F = t_flag2, M = t_num (missing). */
Test(cond, and_or_three_valued) {
    set_flags();
    const char *v[3] = {"{\"var\": \"t_flag\"}", "{\"var\": \"t_flag2\"}", "{\"var\": \"t_num\"}"};
    /* expected[a][b]: 1 true, 0 false, 2 missing */
    const int and_tab[3][3] = {{1, 0, 2}, {0, 0, 0}, {2, 0, 2}};
    const int or_tab[3][3] = {{1, 1, 1}, {1, 0, 2}, {1, 2, 2}};
    const int st[3] = {POV_COND_FALSE, POV_COND_TRUE, POV_COND_MISSING};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            char e[256];
            snprintf(e, sizeof e, "{\"and\": [%s, %s]}", v[a], v[b]);
            cr_assert_eq(eval(e, NULL), st[and_tab[a][b]], "%s", e);
            snprintf(e, sizeof e, "{\"or\": [%s, %s]}", v[a], v[b]);
            cr_assert_eq(eval(e, NULL), st[or_tab[a][b]], "%s", e);
        }
    /* n-ary: false anywhere wins over missing, in any position */
    ASSERT_FALSE("{\"and\": [null, true, null, false, true]}");
    ASSERT_MISSING("{\"and\": [true, null, true]}");
    ASSERT_TRUE("{\"and\": [true, 1, 2]}");
    ASSERT_TRUE("{\"or\": [null, false, null, true]}");
    ASSERT_MISSING("{\"or\": [false, null]}");
    ASSERT_FALSE("{\"or\": [false, 0]}");
    ASSERT_TRUE("{\"and\": [true]}");
    ASSERT_FALSE("{\"or\": [false]}");
}

Test(cond, if_chains) {
    cr_assert_eq(pov_household_set_number(H, "t_num", 15), 0);
    const char *grade = "{\"if\": [{\"<\": [{\"var\": \"t_num\"}, 10]}, 1,"
                        "          {\"<\": [{\"var\": \"t_num\"}, 20]}, 2, 3]}";
    ASSERT_NUM(grade, 2);
    cr_assert_eq(pov_household_set_number(H, "t_num", 5), 0);
    ASSERT_NUM(grade, 1);
    cr_assert_eq(pov_household_set_number(H, "t_num", 25), 0);
    ASSERT_NUM(grade, 3);
    /* a missing condition makes the whole if missing, even with an else */
    cr_assert_eq(pov_household_set_missing(H, "t_num"), 0);
    ASSERT_MISSING(grade);
    ASSERT_MISSING("{\"if\": [true, {\"var\": \"t_num\"}, 0]}");
    /* no else: missing when no condition holds */
    ASSERT_MISSING("{\"if\": [false, 1]}");
    ASSERT_NUM("{\"if\": [true, 1]}", 1);
    /* numbers as conditions: 0 is false */
    ASSERT_NUM("{\"if\": [0, 1, 2]}", 2);
    ASSERT_TRUE("{\"if\": [false, false, true]}");
    /* a missing second condition is reached only if the first is false */
    ASSERT_NUM("{\"if\": [true, 1, null, 2, 3]}", 1);
    ASSERT_MISSING("{\"if\": [false, 1, null, 2, 3]}");
}

Test(cond, in_lists) {
    cr_assert_eq(pov_household_set_category(H, "t_cat", "b"), 0);
    cr_assert_eq(pov_household_set_number(H, "t_num", 3), 0);
    ASSERT_TRUE("{\"in\": [{\"var\": \"t_cat\"}, [\"a\", \"b\"]]}");
    ASSERT_FALSE("{\"in\": [{\"var\": \"t_cat\"}, [\"a\", \"c\"]]}");
    ASSERT_FALSE("{\"in\": [{\"var\": \"t_cat\"}, []]}");
    ASSERT_TRUE("{\"in\": [{\"var\": \"t_num\"}, [1, 2, 3]]}");
    ASSERT_FALSE("{\"in\": [{\"var\": \"t_num\"}, [1, 2, 3.5]]}");
    ASSERT_MISSING("{\"in\": [{\"var\": \"t_other\"}, [\"x\", \"y\"]]}");
    ASSERT_MISSING("{\"in\": [{\"var\": \"t_num2\"}, [1]]}");
    ASSERT_TRUE("{\"in\": [true, [false, true]]}");
}

/* ------------------------------------------------------------------------ */
/* Arithmetic                                                                */
/* ------------------------------------------------------------------------ */

Test(cond, arithmetic) {
    cr_assert_eq(pov_household_set_number(H, "t_num", 10), 0);
    cr_assert_eq(pov_household_set_number(H, "t_int", 4), 0);
    ASSERT_NUM("{\"+\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}, 0.5]}", 14.5);
    ASSERT_NUM("{\"+\": [2]}", 2);
    ASSERT_NUM("{\"-\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}]}", 6);
    ASSERT_NUM("{\"-\": [{\"var\": \"t_num\"}]}", -10);
    ASSERT_NUM("{\"*\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}, 2]}", 80);
    ASSERT_NUM("{\"/\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}]}", 2.5);
    ASSERT_NUM("{\"%\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}]}", 2);
    ASSERT_NUM("{\"%\": [-7, 3]}", -1); /* sign of the dividend */
    ASSERT_NUM("{\"%\": [7, -3]}", 1);
    ASSERT_NUM("{\"min\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}, 7]}", 4);
    ASSERT_NUM("{\"max\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}, 7]}", 10);
    ASSERT_NUM("{\"max\": [3]}", 3);
    ASSERT_NUM("{\"+\": [true, true, false]}", 2);
    /* per-capita style: (a + b) / c */
    ASSERT_NUM("{\"/\": [{\"+\": [{\"var\": \"t_num\"}, 2]}, {\"var\": \"t_int\"}]}", 3);
}

Test(cond, arithmetic_missing_rules) {
    cr_assert_eq(pov_household_set_number(H, "t_num", 10), 0);
    const char *ops[] = {"+", "-", "*", "/", "%", "min", "max"};
    for (size_t i = 0; i < 7; i++) {
        char e[128];
        snprintf(e, sizeof e, "{\"%s\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}", ops[i]);
        ASSERT_MISSING(e);
        snprintf(e, sizeof e, "{\"%s\": [null, 1]}", ops[i]);
        ASSERT_MISSING(e);
    }
    ASSERT_MISSING("{\"-\": [null]}");
    /* division and remainder by zero are missing, never inf/nan values */
    ASSERT_MISSING("{\"/\": [{\"var\": \"t_num\"}, 0]}");
    ASSERT_MISSING("{\"/\": [0, 0]}");
    ASSERT_MISSING("{\"%\": [{\"var\": \"t_num\"}, 0]}");
    /* overflow to infinity is missing */
    ASSERT_MISSING("{\"*\": [1e308, 10]}");
    ASSERT_MISSING("{\"+\": [1.7e308, 1.7e308]}");
    ASSERT_MISSING("{\"/\": [1e308, 1e-308]}");
    /* missing compared after arithmetic stays missing */
    ASSERT_MISSING("{\">\": [{\"/\": [1, 0]}, 0]}");
}

/* ------------------------------------------------------------------------ */
/* missing, missing_some                                                     */
/* ------------------------------------------------------------------------ */

Test(cond, missing_ops) {
    cr_assert_eq(pov_household_set_number(H, "t_num", 1), 0);
    cr_assert_eq(pov_household_set_category(H, "t_cat", "a"), 0);
    ASSERT_NUM("{\"missing\": [\"t_num\", \"t_cat\"]}", 0);
    ASSERT_NUM("{\"missing\": [\"t_num\", \"t_num2\", \"t_cat\", \"t_other\", \"t_text\"]}", 3);
    ASSERT_NUM("{\"missing\": \"t_num2\"}", 1);
    /* as a truth value: true when something is missing */
    ASSERT_TRUE("{\"!!\": {\"missing\": [\"t_num2\"]}}");
    ASSERT_TRUE("{\"!\": {\"missing\": [\"t_num\"]}}");
    ASSERT_NUM("{\"if\": [{\"missing\": [\"t_num2\"]}, -1, {\"var\": \"t_num2\"}]}", -1);
    ASSERT_NUM("{\"missing_some\": [1, [\"t_num\", \"t_num2\"]]}", 0);
    ASSERT_NUM("{\"missing_some\": [2, [\"t_num\", \"t_num2\", \"t_other\"]]}", 2);
    ASSERT_NUM("{\"missing_some\": [0, [\"t_num2\"]]}", 0);
    ASSERT_NUM("{\"missing_some\": [2, [\"t_num\", \"t_cat\", \"t_other\"]]}", 0);
    /* member-level: members.N and the current member */
    add_member(1, -1, NULL);
    add_member(NAN, -1, NULL);
    ASSERT_NUM("{\"missing\": [\"members.0.m_num\", \"members.1.m_num\", \"members.5.m_num\"]}", 2);
    ASSERT_NUM("{\"count\": [{\"var\": \"members\"}, {\"missing\": \"m_num\"}]}", 1);
}

/* ------------------------------------------------------------------------ */
/* Member quantifiers                                                        */
/* ------------------------------------------------------------------------ */

#define SOME(c) "{\"some\": [{\"var\": \"members\"}, " c "]}"
#define ALL(c) "{\"all\": [{\"var\": \"members\"}, " c "]}"
#define NONE(c) "{\"none\": [{\"var\": \"members\"}, " c "]}"
#define COUNT(c) "{\"count\": [{\"var\": \"members\"}, " c "]}"

Test(cond, quantifiers_empty_household) {
    ASSERT_FALSE(SOME("true"));
    ASSERT_TRUE(ALL("false"));
    ASSERT_TRUE(NONE("true"));
    ASSERT_NUM(COUNT("true"), 0);
    ASSERT_NUM("{\"count\": [{\"var\": \"members\"}]}", 0);
    ASSERT_NUM("{\"reduce\": [{\"var\": \"members\"}, {\"+\": [{\"var\": \"accumulator\"}, 1]}, 7]}", 7);
}

Test(cond, quantifiers_known_values) {
    /* ages 70, 30, 8 */
    add_member(70, 1, "p");
    add_member(30, 0, "q");
    add_member(8, 1, "q");
    ASSERT_TRUE(SOME("{\">=\": [{\"var\": \"m_num\"}, 60]}"));
    ASSERT_FALSE(SOME("{\">=\": [{\"var\": \"m_num\"}, 80]}"));
    ASSERT_TRUE(ALL("{\">\": [{\"var\": \"m_num\"}, 5]}"));
    ASSERT_FALSE(ALL("{\">\": [{\"var\": \"m_num\"}, 10]}"));
    ASSERT_TRUE(NONE("{\">\": [{\"var\": \"m_num\"}, 90]}"));
    ASSERT_FALSE(NONE("{\"<\": [{\"var\": \"m_num\"}, 10]}"));
    ASSERT_NUM(COUNT("{\"var\": \"m_flag\"}"), 2);
    ASSERT_NUM(COUNT("{\"==\": [{\"var\": \"m_cat\"}, \"q\"]}"), 2);
    ASSERT_NUM("{\"count\": [{\"var\": \"members\"}]}", 3);
    /* the same through current.x and household.x */
    cr_assert_eq(pov_household_set_number(H, "t_num", 30), 0);
    ASSERT_NUM(COUNT("{\">=\": [{\"var\": \"current.m_num\"}, {\"var\": \"household.t_num\"}]}"), 2);
    ASSERT_NUM(COUNT("{\">=\": [{\"var\": \"m_num\"}, {\"var\": \"t_num\"}]}"), 2);
    /* members.N */
    ASSERT_NUM("{\"var\": \"members.2.m_num\"}", 8);
    ASSERT_MISSING("{\"var\": \"members.3.m_num\"}");
    ASSERT_TRUE("{\"==\": [{\"var\": \"members.0.m_cat\"}, \"p\"]}");
    /* reduce: sum and maximum of ages */
    ASSERT_NUM("{\"reduce\": [{\"var\": \"members\"}, {\"+\": [{\"var\": \"accumulator\"}, "
               "{\"var\": \"current.m_num\"}]}, 0]}", 108);
    ASSERT_NUM("{\"reduce\": [{\"var\": \"members\"}, {\"max\": [{\"var\": \"accumulator\"}, "
               "{\"var\": \"m_num\"}]}, -1]}", 70);
    /* filter: members older than 20, then count / all / some */
    const char *adults = "{\"filter\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"m_num\"}, 20]}]}";
    char e[512];
    snprintf(e, sizeof e, "{\"count\": [%s]}", adults);
    ASSERT_NUM(e, 2);
    snprintf(e, sizeof e, "{\"all\": [%s, {\">\": [{\"var\": \"m_num\"}, 25]}]}", adults);
    ASSERT_TRUE(e);
    snprintf(e, sizeof e, "{\"some\": [%s, {\"<\": [{\"var\": \"m_num\"}, 10]}]}", adults);
    ASSERT_FALSE(e);
    snprintf(e, sizeof e, "{\"reduce\": [%s, {\"+\": [{\"var\": \"accumulator\"}, {\"var\": \"m_num\"}]}, 0]}", adults);
    ASSERT_NUM(e, 100);
    /* filter of a filter: older than 20 and flagged */
    snprintf(e, sizeof e, "{\"count\": [{\"filter\": [%s, {\"var\": \"m_flag\"}]}]}", adults);
    ASSERT_NUM(e, 1);
    /* a filter that keeps nobody: all is true, some false */
    ASSERT_TRUE("{\"all\": [{\"filter\": [{\"var\": \"members\"}, false]}, false]}");
    ASSERT_FALSE("{\"some\": [{\"filter\": [{\"var\": \"members\"}, false]}, true]}");
}

Test(cond, quantifiers_three_valued) {
    /* m_num: 70, missing, 8 */
    add_member(70, 1, NULL);
    add_member(NAN, -1, NULL);
    add_member(8, 0, NULL);
    /* some: a true member decides */
    ASSERT_TRUE(SOME("{\">=\": [{\"var\": \"m_num\"}, 60]}"));
    /* some: no true member but a missing one -> missing */
    ASSERT_MISSING(SOME("{\">=\": [{\"var\": \"m_num\"}, 80]}"));
    /* all: a false member decides */
    ASSERT_FALSE(ALL("{\">=\": [{\"var\": \"m_num\"}, 60]}"));
    /* all: no false member but a missing one -> missing */
    ASSERT_MISSING(ALL("{\">\": [{\"var\": \"m_num\"}, 1]}"));
    ASSERT_FALSE(NONE("{\">=\": [{\"var\": \"m_num\"}, 60]}"));
    ASSERT_MISSING(NONE("{\">=\": [{\"var\": \"m_num\"}, 80]}"));
    /* count: a member whose condition is missing makes the count missing */
    ASSERT_MISSING(COUNT("{\">=\": [{\"var\": \"m_num\"}, 60]}"));
    ASSERT_NUM(COUNT("{\">=\": [{\"var\": [\"m_num\", 0]}, 60]}"), 1);
    /* count of a flag: member 1's flag is missing */
    ASSERT_MISSING(COUNT("{\"var\": \"m_flag\"}"));
    /* filter drops members whose condition is missing */
    ASSERT_NUM("{\"count\": [{\"filter\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"m_num\"}, 1]}]}]}", 2);
    /* reduce: a missing step makes the sum missing */
    ASSERT_MISSING("{\"reduce\": [{\"var\": \"members\"}, {\"+\": [{\"var\": \"accumulator\"}, {\"var\": \"m_num\"}]}, 0]}");
    ASSERT_NUM("{\"reduce\": [{\"var\": \"members\"}, {\"+\": [{\"var\": \"accumulator\"}, {\"var\": [\"m_num\", 0]}]}, 0]}", 78);
}

Test(cond, domain_example) {
    /* Guangxi-style veto: "a member works as a civil servant, or the family
     * owns a car" — here with the core schema's indicators. */
    pov_household *h;
    cr_assert_eq(pov_household_new(pov_schema_core(), &h), 0);
    size_t m;
    cr_assert_eq(pov_household_member_add(h, &m), 0);
    cr_assert_eq(pov_household_member_set_number(h, m, "age", 67), 0);
    cr_assert_eq(pov_household_member_add(h, &m), 0);
    cr_assert_eq(pov_household_member_set_number(h, m, "age", 12), 0);
    pov_condition *c;
    const char *e = "{\"count\": [{\"var\": \"members\"}, {\">=\": [{\"var\": \"age\"}, 60]}]}";
    cr_assert_eq(pov_condition_compile(pov_schema_core(), e, strlen(e), NULL, &c), 0);
    double v;
    int st;
    cr_assert_eq(pov_condition_eval_household(c, h, &v, &st), 0);
    cr_assert_eq(st, POV_COND_VALUE);
    cr_assert_eq(v, 1);
    pov_condition_free(c);
    pov_household_free(h);
}

/* ------------------------------------------------------------------------ */
/* Compile errors                                                            */
/* ------------------------------------------------------------------------ */

Test(cond, error_unknown_operator) {
    expect_error("{\"and\": [true, {\"foo\": [1]}]}", POV_EUNKNOWN, "and[1].foo");
    expect_error("{\"===\": [1, 1]}", POV_EUNKNOWN, "===");
    expect_error("{\"cat\": [\"a\", \"b\"]}", POV_EUNKNOWN, "cat");
}

Test(cond, error_arity) {
    expect_error("{\"==\": [1]}", POV_ERULE, "==");
    expect_error("{\"==\": [1, 2, 3]}", POV_ERULE, "==");
    expect_error("{\">=\": [1, 2, 3]}", POV_ERULE, ">=");
    expect_error("{\"<\": [1, 2, 3, 4]}", POV_ERULE, "<");
    expect_error("{\"!\": [true, false]}", POV_ERULE, "!");
    expect_error("{\"and\": []}", POV_ERULE, "and");
    expect_error("{\"or\": [true, {\"/\": [1]}]}", POV_ERULE, "or[1]./");
    expect_error("{\"-\": [1, 2, 3]}", POV_ERULE, "-");
    expect_error("{\"if\": [true]}", POV_ERULE, "if");
    expect_error("{\"var\": []}", POV_ERULE, "var");
    expect_error("{\"in\": [1]}", POV_ERULE, "in");
    expect_error("{\"some\": [{\"var\": \"members\"}]}", POV_ERULE, "some");
    expect_error("{\"reduce\": [{\"var\": \"members\"}, 1]}", POV_ERULE, "reduce");
    expect_error("{\"count\": [{\"var\": \"members\"}, true, true]}", POV_ERULE, "count");
    expect_error("{\"some\": [{\"filter\": [{\"var\": \"members\"}]}, true]}", POV_ERULE,
                 "some[0].filter");
    expect_error("{\"missing_some\": [1, [\"t_num\"], 2]}", POV_ERULE, "missing_some");
}

Test(cond, error_object_shape) {
    expect_error("{}", POV_ERULE, "");
    expect_error("{\"and\": [true, {\"==\": [1, 1], \"!=\": [1, 2]}]}", POV_ERULE, "and[1]");
}

Test(cond, error_unknown_indicator) {
    expect_error("{\"and\": [{\"<\": [{\"var\": \"nope\"}, 1]}]}", POV_ENOTFOUND,
                 "and[0].<[0].var");
    expect_error("{\"var\": [\"nope\", 1]}", POV_ENOTFOUND, "var[0]");
    expect_error("{\"missing\": [\"t_num\", \"nope\"]}", POV_ENOTFOUND, "missing[1]");
    expect_error("{\"var\": \"household.nope\"}", POV_ENOTFOUND, "var");
    expect_error("{\"var\": \"members.x.m_num\"}", POV_ENOTFOUND, "var");
    expect_error("{\"var\": \"members.0.nope\"}", POV_ENOTFOUND, "var");
    expect_error("{\"+\": [{\"var\": \"accumulator\"}, 1]}", POV_ENOTFOUND, "+[0].var");
    /* the unknown var is reported even when a string operand comes first */
    expect_error("{\"==\": [\"a\", {\"var\": \"nope\"}]}", POV_ENOTFOUND, "==[1].var");
}

Test(cond, error_unknown_code) {
    expect_error("{\"==\": [{\"var\": \"t_cat\"}, \"z\"]}", POV_ECODE, "==[1]");
    expect_error("{\"!=\": [\"z\", {\"var\": \"t_cat\"}]}", POV_ECODE, "!=[0]");
    expect_error("{\"in\": [{\"var\": \"t_cat\"}, [\"a\", \"b\", \"x\"]]}", POV_ECODE, "in[1][2]");
    expect_error("{\"var\": [\"t_cat\", \"x\"]}", POV_ECODE, "var[1]");
    expect_error("{\"==\": [{\"var\": \"t_cat\"}, {\"if\": [true, \"a\", \"zz\"]}]}", POV_ECODE,
                 "==[1].if[2]");
    /* a code of another indicator is not a code of this one */
    expect_error("{\"==\": [{\"var\": \"t_cat\"}, \"x\"]}", POV_ECODE, "==[1]");
}

Test(cond, error_types) {
    expect_error("{\"<\": [{\"var\": \"t_cat\"}, 1]}", POV_ETYPE, "<[0]");
    expect_error("{\"==\": [{\"var\": \"t_cat\"}, 1]}", POV_ETYPE, "==[1]");
    expect_error("{\"==\": [{\"var\": \"t_cat\"}, {\"var\": \"t_other\"}]}", POV_ETYPE, "==[1]");
    expect_error("{\"==\": [{\"var\": \"t_num\"}, \"a\"]}", POV_ETYPE, "==[1]");
    expect_error("{\"==\": [{\"var\": \"t_text\"}, \"hello\"]}", POV_ETYPE, "==[0]");
    expect_error("{\"==\": [1, {\"var\": \"t_text\"}]}", POV_ETYPE, "==[1]");
    expect_error("{\"+\": [{\"var\": \"t_cat\"}, 1]}", POV_ETYPE, "+[0]");
    expect_error("{\"and\": [true, {\"var\": \"t_cat\"}]}", POV_ETYPE, "and[1]");
    expect_error("{\"!\": {\"var\": \"t_text\"}}", POV_ETYPE, "!");
    expect_error("\"a\"", POV_ETYPE, "");
    expect_error("[1, 2]", POV_ETYPE, "");
    expect_error("{\"in\": [{\"var\": \"t_num\"}, 3]}", POV_ETYPE, "in[1]");
    expect_error("{\"in\": [\"a\", [\"a\"]]}", POV_ETYPE, "in[0]");
    expect_error("{\"in\": [{\"var\": \"t_num\"}, [1, \"a\"]]}", POV_ETYPE, "in[1][1]");
    expect_error("{\"in\": [{\"var\": \"t_cat\"}, [1]]}", POV_ETYPE, "in[1][0]");
    expect_error("{\"if\": [true, 1, {\"var\": \"t_cat\"}]}", POV_ETYPE, "if[2]");
    expect_error("{\"var\": [\"t_num\", {\"var\": \"t_cat\"}]}", POV_ETYPE, "var[1]");
    expect_error("{\"var\": 3}", POV_ETYPE, "var");
    expect_error("{\"var\": \"members\"}", POV_ETYPE, "var");
    expect_error("{\"filter\": [{\"var\": \"members\"}, true]}", POV_ETYPE, "filter");
    expect_error("{\"some\": [{\"var\": \"t_num\"}, true]}", POV_ETYPE, "some[0]");
    expect_error("{\"some\": [{\"var\": \"members\"}, {\"var\": \"m_cat\"}]}", POV_ETYPE, "some[1]");
    expect_error("{\"missing\": [1]}", POV_ETYPE, "missing[0]");
}

Test(cond, error_member_scope) {
    expect_error("{\">\": [{\"var\": \"m_num\"}, 1]}", POV_ERULE, ">[0].var");
    expect_error("{\"var\": \"current.m_num\"}", POV_ERULE, "var");
    expect_error("{\"var\": \"household.m_num\"}", POV_ERULE, "var");
    expect_error("{\"var\": \"members.0.t_num\"}", POV_ERULE, "var");
    expect_error("{\"missing\": [\"m_num\"]}", POV_ERULE, "missing[0]");
    expect_error("{\"some\": [{\"var\": \"members\"}, {\"all\": [{\"var\": \"members\"}, true]}]}",
                 POV_ERULE, "some[1].all");
    expect_error("{\"some\": [{\"filter\": [{\"var\": \"members\"}, {\"count\": [{\"var\": \"members\"}]}]}, true]}",
                 POV_ERULE, "some[0].filter[1].count");
}

Test(cond, error_ranges_and_literals) {
    expect_error("{\"missing_some\": [3, [\"t_num\", \"t_cat\"]]}", POV_ERANGE, "missing_some[0]");
    expect_error("{\"missing_some\": [0.5, [\"t_num\"]]}", POV_ERANGE, "missing_some[0]");
    expect_error("{\"+\": [1, 1e999]}", POV_ENONFINITE, "+[1]");
}

Test(cond, error_depth_limit) {
    char buf[4096];
    /* 64 nested ! are fine, 65 are not */
    for (int depth = 64; depth <= 65; depth++) {
        size_t n = 0;
        for (int i = 0; i < depth; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"!\": [");
        n += (size_t)snprintf(buf + n, sizeof buf - n, "true");
        for (int i = 0; i < depth; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "]}");
        pov_condition *c = NULL;
        int rc = pov_condition_compile(S, buf, n, "deep", &c);
        if (depth == 64) {
            cr_assert_eq(rc, 0, "%s", pov_error_message(pov_error_last()));
            double v;
            int st;
            cr_assert_eq(pov_condition_eval_household(c, H, &v, &st), 0);
            cr_assert_eq(st, POV_COND_TRUE); /* 64 negations of true */
            pov_condition_free(c);
        } else {
            cr_assert_eq(rc, POV_ELIMIT);
            cr_assert_null(c);
            /* the path names the 65th operator */
            const char *p = pov_error_path(pov_error_last());
            cr_assert_eq(strlen(p), 64 * 5 + 1, "%s", p);
        }
    }
    /* JSON nested far deeper than any condition: rejected by the parser */
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        buf[n++] = '[';
    buf[n] = '\0';
    pov_condition *c = NULL;
    int rc = pov_condition_compile(S, buf, n, "deep", &c);
    cr_assert(rc == POV_ELIMIT, "rc %d", rc);
}

Test(cond, error_syntax_with_line_column) {
    const char *text = "{\"and\": [\n  true,\n  {\"<\": [1 2]}\n]}";
    pov_condition *c = NULL;
    cr_assert_eq(pov_condition_compile(S, text, strlen(text), "f.json", &c), POV_ESYNTAX);
    const pov_error *e = pov_error_last();
    cr_assert_eq(pov_error_line(e), 3);
    cr_assert_str_eq(pov_error_source(e), "f.json");
    cr_assert_null(c);
}

Test(cond, error_semantic_line_column) {
    const char *text = "{\"and\": [\n  true,\n  {\">=\": [{\"var\": \"nope\"}, 1]}\n]}";
    pov_condition *c = NULL;
    cr_assert_eq(pov_condition_compile(S, text, strlen(text), "f.json", &c), POV_ENOTFOUND);
    const pov_error *e = pov_error_last();
    cr_assert_str_eq(pov_error_path(e), "and[1].>=[0].var");
    cr_assert_eq(pov_error_line(e), 3);
    /* column of "nope" (the value of var): `  {">=": [{"var": "nope"` */
    cr_assert_eq(pov_error_column(e), 19, "column %zu", pov_error_column(e));
    cr_assert_eq(pov_error_offset(e), strlen("{\"and\": [\n  true,\n") + 18);
}

Test(cond, bad_arguments) {
    pov_condition *c = (pov_condition *)1;
    cr_assert_eq(pov_condition_compile(NULL, "true", 4, NULL, &c), POV_EINVAL);
    cr_assert_null(c);
    cr_assert_eq(pov_condition_compile(S, NULL, 4, NULL, &c), POV_EINVAL);
    cr_assert_eq(pov_condition_compile(S, "true", 4, NULL, NULL), POV_EINVAL);
    cr_assert_eq(pov_condition_compile(S, "", 0, NULL, &c), POV_ETRUNCATED);
    c = compile_ok("true");
    double v;
    int st;
    cr_assert_eq(pov_condition_eval_household(NULL, H, &v, &st), POV_EINVAL);
    cr_assert_eq(pov_condition_eval_household(c, NULL, &v, &st), POV_EINVAL);
    cr_assert_eq(pov_condition_eval_household(c, H, NULL, NULL), 0);
    cr_assert_eq(pov_condition_eval_dataset(c, NULL, NULL, NULL), POV_EINVAL);
    cr_assert_eq(pov_condition_eval_dataset(NULL, NULL, NULL, NULL), POV_EINVAL);
    pov_condition_free(c);
    pov_condition_free(NULL);
}

Test(cond, schema_mismatch) {
    /* reads an extension indicator of S: refused on a core-schema household */
    pov_condition *c = compile_ok("{\">\": [{\"var\": \"t_num\"}, 1]}");
    pov_household *h;
    cr_assert_eq(pov_household_new(pov_schema_core(), &h), 0);
    double v;
    int st;
    cr_assert_eq(pov_condition_eval_household(c, h, &v, &st), POV_EINVAL);
    pov_condition_free(c);
    /* reads only core indicators: fine on any schema */
    c = compile_ok("{\"count\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"age\"}, 1]}]}");
    cr_assert_eq(pov_condition_eval_household(c, h, &v, &st), 0);
    cr_assert_eq(v, 0);
    pov_condition_free(c);
    pov_household_free(h);
}

Test(cond, condition_outlives_schema) {
    pov_schema *s2;
    cr_assert_eq(pov_schema_load_string(SCHEMA_JSON, strlen(SCHEMA_JSON), "s2", &s2), 0);
    pov_condition *c;
    cr_assert_eq(pov_condition_compile(s2, "{\"var\": \"t_num\"}", SIZE_MAX, NULL, &c), 0);
    pov_schema_free(s2); /* the condition keeps its own reference */
    pov_condition_free(c);
}

/* ------------------------------------------------------------------------ */
/* Internal API: base paths of rule documents                                */
/* ------------------------------------------------------------------------ */

Test(cond, internal_base_path) {
    const char *doc = "{\"vetoes\": [{}, {}, {\"condition\": {\"and\": [true,\n"
                      "   {\">=\": [{\"var\": \"t_cat\"}, 1]}]}}]}";
    cJSON *root = cJSON_Parse(doc);
    cr_assert_not_null(root);
    const cJSON *node = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "vetoes"), 2),
                                            "condition");
    povi_json_src src = {"card.json", doc, strlen(doc), "vetoes[2].condition", 0, 0};
    pov_condition *c = (pov_condition *)1;
    int rc = povi_condition_compile_node(S, node, &src, &c);
    cr_assert_eq(rc, POV_ETYPE);
    cr_assert_null(c);
    const pov_error *e = pov_error_last();
    cr_assert_str_eq(pov_error_path(e), "vetoes[2].condition.and[1].>=[0]");
    cr_assert_str_eq(pov_error_source(e), "card.json");
    cr_assert_eq(pov_error_line(e), 2);
    /* without a source: path only */
    rc = povi_condition_compile_node(S, node, NULL, &c);
    cr_assert_eq(rc, POV_ETYPE);
    cr_assert_str_eq(pov_error_path(pov_error_last()), "and[1].>=[0]");
    /* a good node, and its inputs */
    cJSON *good = cJSON_Parse("{\"and\": [{\"==\": [{\"var\": \"t_cat\"}, \"a\"]}, "
                              "{\">\": [{\"var\": \"t_num\"}, {\"var\": \"t_num\"}]}]}");
    cr_assert_eq(povi_condition_compile_node(S, good, NULL, &c), 0);
    size_t n;
    const int32_t *in = povi_condition_inputs(c, &n);
    size_t i_num, i_cat;
    cr_assert_eq(pov_schema_find(S, "t_num", &i_num), 0);
    cr_assert_eq(pov_schema_find(S, "t_cat", &i_cat), 0);
    cr_assert_eq(n, 2);
    cr_assert_eq((size_t)in[0], i_num < i_cat ? i_num : i_cat);
    cr_assert_eq((size_t)in[1], i_num < i_cat ? i_cat : i_num);
    cr_assert_eq(povi_condition_category_indicator(c), -1);
    pov_condition_free(c);
    cJSON_Delete(good);
    cJSON_Delete(root);
}

/* ------------------------------------------------------------------------ */
/* Batch == single == an independent formula                                 */
/* ------------------------------------------------------------------------ */

/* xorshift64* — deterministic test data */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}
static int rnd_int(int n) { return (int)(rnd() % (uint64_t)n); }

typedef struct gen_hh {
    double num;   /* NaN = missing */
    int flag;     /* -1 missing */
    int cat;      /* -1 missing, 0..2 */
    int n_members;
    double m_num[6];
    int m_flag[6];
} gen_hh;

/* Kleene helpers over {0, 1, 2 = missing} */
static int k_and(int a, int b) { return (a == 0 || b == 0) ? 0 : (a == 2 || b == 2) ? 2 : 1; }
static int k_or(int a, int b) { return (a == 1 || b == 1) ? 1 : (a == 2 || b == 2) ? 2 : 0; }

/*
 * Independent formula for
 *   and( or( t_num < 40, t_cat in [a, c] ),
 *        !t_flag,
 *        some(members, m_num >= 60 and m_flag),
 *        (t_num * 2 + count(members)) / (t_num - 20) <= 9 )
 * returned as 0 / 1 / 2 (missing).
 */
static int expected(const gen_hh *g) {
    int c1 = isnan(g->num) ? 2 : g->num < 40;
    int c2 = g->cat < 0 ? 2 : (g->cat == 0 || g->cat == 2);
    int a = k_or(c1, c2);
    int b = g->flag < 0 ? 2 : !g->flag;
    int s = 0;
    for (int m = 0; m < g->n_members; m++) {
        int x = isnan(g->m_num[m]) ? 2 : g->m_num[m] >= 60;
        int y = g->m_flag[m] < 0 ? 2 : g->m_flag[m];
        s = k_or(s, k_and(x, y));
    }
    int d;
    if (isnan(g->num) || g->num - 20 == 0)
        d = 2;
    else
        d = (g->num * 2 + g->n_members) / (g->num - 20) <= 9;
    return k_and(k_and(a, b), k_and(s, d));
}

Test(cond, batch_matches_single_and_formula) {
    const char *expr =
        "{\"and\": ["
        " {\"or\": [{\"<\": [{\"var\": \"t_num\"}, 40]}, {\"in\": [{\"var\": \"t_cat\"}, [\"a\", \"c\"]]}]},"
        " {\"!\": {\"var\": \"t_flag\"}},"
        " {\"some\": [{\"var\": \"members\"}, {\"and\": [{\">=\": [{\"var\": \"m_num\"}, 60]}, {\"var\": \"m_flag\"}]}]},"
        " {\"<=\": [{\"/\": [{\"+\": [{\"*\": [{\"var\": \"t_num\"}, 2]}, {\"count\": [{\"var\": \"members\"}]}]},"
        "                  {\"-\": [{\"var\": \"t_num\"}, 20]}]}, 9]}"
        "]}";
    pov_condition *c = compile_ok(expr);
    pov_dataset *ds;
    cr_assert_eq(pov_dataset_new(S, &ds), 0);
    enum { N = 400 };
    static gen_hh g[N];
    const char *codes[3] = {"a", "b", "c"};
    for (int i = 0; i < N; i++) {
        pov_household *h;
        cr_assert_eq(pov_household_new(S, &h), 0);
        char id[32];
        snprintf(id, sizeof id, "h%d", i);
        cr_assert_eq(pov_household_set_id(h, id), 0);
        g[i].num = rnd_int(8) == 0 ? NAN : (double)(rnd_int(61));
        g[i].flag = rnd_int(6) == 0 ? -1 : rnd_int(2);
        g[i].cat = rnd_int(6) == 0 ? -1 : rnd_int(3);
        g[i].n_members = rnd_int(6);
        if (!isnan(g[i].num))
            cr_assert_eq(pov_household_set_number(h, "t_num", g[i].num), 0);
        if (g[i].flag >= 0)
            cr_assert_eq(pov_household_set_boolean(h, "t_flag", g[i].flag), 0);
        if (g[i].cat >= 0)
            cr_assert_eq(pov_household_set_category(h, "t_cat", codes[g[i].cat]), 0);
        for (int m = 0; m < g[i].n_members; m++) {
            size_t mi;
            cr_assert_eq(pov_household_member_add(h, &mi), 0);
            /* the core schema requires every member's age */
            cr_assert_eq(pov_household_member_set_number(h, mi, "age", 30), 0);
            g[i].m_num[m] = rnd_int(10) == 0 ? NAN : (double)rnd_int(90);
            g[i].m_flag[m] = rnd_int(10) == 0 ? -1 : rnd_int(2);
            if (!isnan(g[i].m_num[m]))
                cr_assert_eq(pov_household_member_set_number(h, mi, "m_num", g[i].m_num[m]), 0);
            if (g[i].m_flag[m] >= 0)
                cr_assert_eq(pov_household_member_set_boolean(h, mi, "m_flag", g[i].m_flag[m]), 0);
        }
        cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
        pov_household_free(h);
    }
    cr_assert_eq(pov_dataset_count(ds), N);
    static double values[N];
    static uint8_t states[N];
    cr_assert_eq(pov_condition_eval_dataset(c, ds, values, states), 0);
    int seen[3] = {0, 0, 0};
    const int st_of[3] = {POV_COND_FALSE, POV_COND_TRUE, POV_COND_MISSING};
    for (int i = 0; i < N; i++) {
        int want = expected(&g[i]);
        seen[want]++;
        cr_assert_eq(states[i], st_of[want], "household %d: state %d, want %d", i, states[i],
                     st_of[want]);
        pov_household *h;
        cr_assert_eq(pov_dataset_household(ds, (size_t)i, &h), 0);
        double v;
        int st;
        cr_assert_eq(pov_condition_eval_household(c, h, &v, &st), 0);
        cr_assert_eq(st, states[i]);
        cr_assert(isnan(v) ? isnan(values[i]) : v == values[i]);
        pov_household_free(h);
    }
    /* the generated data reaches all three outcomes */
    cr_assert(seen[0] > 10 && seen[1] > 10 && seen[2] > 10, "%d %d %d", seen[0], seen[1], seen[2]);
    /* outputs may be NULL */
    cr_assert_eq(pov_condition_eval_dataset(c, ds, NULL, states), 0);
    cr_assert_eq(pov_condition_eval_dataset(c, ds, values, NULL), 0);
    pov_condition_free(c);
    pov_dataset_free(ds);
}

/* Block evaluation (condition_eval.c evaluates jump-free programs 256
 * households at a time) must give exactly what the one-household evaluator
 * gives, at every block boundary, with missing values mixed in. Two of the
 * expressions are also checked against a formula written here. */
Test(cond, block_evaluation_matches_single_across_block_sizes) {
    const char *exprs[] = {
        "{\"/\": [{\"+\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}, {\"var\": \"t_int\"}]}",
        "{\">=\": [{\"var\": \"t_num\"}, 30]}",
        "{\"in\": [{\"var\": \"t_cat\"}, [\"a\", \"c\"]]}",
        "{\"!\": {\"var\": \"t_flag\"}}",
        "{\"!!\": {\"var\": \"t_num2\"}}",
        "{\"max\": [{\"-\": [{\"var\": \"t_num\"}, 10]}, {\"*\": [{\"var\": \"t_num2\"}, 0.5]}]}",
        "{\"min\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}",
        "{\"missing\": [\"t_num\", \"t_cat\"]}",
        "{\"<\": [0, {\"var\": \"t_num\"}, 50]}",
        "{\"<=\": [{\"var\": \"t_num2\"}, {\"var\": \"t_num\"}, 50]}",
        "{\"%\": [{\"var\": \"t_int\"}, 3]}",
        "{\"-\": [{\"var\": \"t_num\"}]}",
        "{\"!=\": [{\"var\": \"t_flag\"}, {\"var\": \"t_flag2\"}]}",
        "{\"count\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"m_num\"}, 50]}]}",
        "{\"+\": [{\"count\": [{\"var\": \"members\"}]}, {\"var\": \"t_num\"}]}",
        "{\"some\": [{\"var\": \"members\"}, {\"<\": [{\"var\": \"m_num\"}, 20]}]}",
        "{\"all\": [{\"var\": \"members\"}, {\">=\": [{\"var\": \"m_num\"}, 10]}]}",
        "{\"none\": [{\"var\": \"members\"}, {\"==\": [{\"var\": \"m_cat\"}, \"q\"]}]}",
        ("{\"-\": [{\"count\": [{\"var\": \"members\"}, {\"var\": \"m_flag\"}]},"
         " {\"count\": [{\"var\": \"members\"}, {\"in\": [{\"var\": \"m_cat\"}, [\"p\"]]}]}]}"),
        /* jumps: evaluated one household at a time, compared all the same */
        "{\"and\": [{\"var\": \"t_flag\"}, {\">\": [{\"var\": \"t_num\"}, 3]}]}",
    };
    enum { NE = sizeof exprs / sizeof exprs[0] };
    const size_t sizes[] = {0, 1, 255, 256, 257, 1000};
    const char *codes[3] = {"a", "b", "c"};
    pov_condition *c[NE];
    for (int e = 0; e < NE; e++)
        c[e] = compile_ok(exprs[e]);
    static double values[1000], t_num[1000], t_num2[1000], t_int[1000];
    static uint8_t states[1000];
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        pov_dataset *ds;
        cr_assert_eq(pov_dataset_new(S, &ds), 0);
        for (size_t i = 0; i < n; i++) {
            pov_household *h;
            cr_assert_eq(pov_household_new(S, &h), 0);
            char id[32];
            snprintf(id, sizeof id, "b%zu", i);
            cr_assert_eq(pov_household_set_id(h, id), 0);
            t_num[i] = rnd_int(7) == 0 ? NAN : (double)rnd_int(61) - 5;
            t_num2[i] = rnd_int(7) == 0 ? NAN : 0.25 * rnd_int(200);
            t_int[i] = rnd_int(7) == 0 ? NAN : (double)rnd_int(5); /* 0: division by zero */
            if (!isnan(t_num[i]))
                cr_assert_eq(pov_household_set_number(h, "t_num", t_num[i]), 0);
            if (!isnan(t_num2[i]))
                cr_assert_eq(pov_household_set_number(h, "t_num2", t_num2[i]), 0);
            if (!isnan(t_int[i]))
                cr_assert_eq(pov_household_set_number(h, "t_int", t_int[i]), 0);
            if (rnd_int(6))
                cr_assert_eq(pov_household_set_boolean(h, "t_flag", rnd_int(2)), 0);
            if (rnd_int(6))
                cr_assert_eq(pov_household_set_boolean(h, "t_flag2", rnd_int(2)), 0);
            if (rnd_int(6))
                cr_assert_eq(pov_household_set_category(h, "t_cat", codes[rnd_int(3)]), 0);
            int nm = rnd_int(4);
            for (int m = 0; m < nm; m++) {
                size_t mi;
                cr_assert_eq(pov_household_member_add(h, &mi), 0);
                cr_assert_eq(pov_household_member_set_number(h, mi, "age", 30), 0);
                if (rnd_int(5))
                    cr_assert_eq(pov_household_member_set_number(h, mi, "m_num", rnd_int(90)), 0);
                if (rnd_int(5))
                    cr_assert_eq(pov_household_member_set_boolean(h, mi, "m_flag", rnd_int(2)), 0);
                if (rnd_int(5))
                    cr_assert_eq(pov_household_member_set_category(h, mi, "m_cat", rnd_int(2) ? "p" : "q"), 0);
            }
            cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
            pov_household_free(h);
        }
        for (int e = 0; e < NE; e++) {
            for (size_t i = 0; i < n; i++)
                values[i] = -777, states[i] = 99;
            cr_assert_eq(pov_condition_eval_dataset(c[e], ds, values, states), 0);
            for (size_t i = 0; i < n; i++) {
                pov_household *h;
                cr_assert_eq(pov_dataset_household(ds, i, &h), 0);
                double v;
                int st;
                cr_assert_eq(pov_condition_eval_household(c[e], h, &v, &st), 0);
                pov_household_free(h);
                cr_assert(isnan(v) ? isnan(values[i]) : memcmp(&v, &values[i], sizeof v) == 0,
                          "n=%zu expr %d household %zu: block %g, single %g", n, e, i, values[i], v);
                cr_assert_eq(states[i], st, "n=%zu expr %d household %zu", n, e, i);
                if (e == 0) { /* (t_num + t_num2) / t_int; / 0 is missing */
                    double want = t_int[i] == 0 ? NAN : (t_num[i] + t_num2[i]) / t_int[i];
                    cr_assert(isnan(want) ? isnan(v) : v == want, "household %zu: %g vs %g", i, v, want);
                } else if (e == 1) { /* t_num >= 30 */
                    int want = isnan(t_num[i]) ? POV_COND_MISSING
                               : t_num[i] >= 30 ? POV_COND_TRUE : POV_COND_FALSE;
                    cr_assert_eq(st, want, "household %zu", i);
                }
            }
        }
        pov_dataset_free(ds);
    }
    for (int e = 0; e < NE; e++)
        pov_condition_free(c[e]);
}

/* ------------------------------------------------------------------------ */
/* Block evaluator == one-household evaluator, random programs               */
/* ------------------------------------------------------------------------ */

/*
 * The block evaluator (condition_eval.c) evaluates and/or, if, defaults and
 * member quantifiers with filters over blocks of rows without short cuts;
 * the one-household interpreter run() is the reference. Random expressions
 * over every operator of the language are compared on random data with
 * missing values mixed in, bit for bit (values) and state for state, through
 * povi_condition_eval_batch() and povi_condition_eval_scalar().
 */
typedef struct gbuf {
    char s[16384];
    size_t n;
} gbuf;

static void gput(gbuf *b, const char *t) {
    size_t k = strlen(t);
    cr_assert(b->n + k < sizeof b->s, "generated expression too long");
    memcpy(b->s + b->n, t, k + 1);
    b->n += k;
}

static void gen_num(gbuf *b, int depth, int in_loop);

/* A truth value. In a loop body only member indicators and literals. */
static void gen_bool(gbuf *b, int depth, int in_loop) {
    static const char *const cmp[] = {"==", "!=", "<", "<=", ">", ">="};
    int kind = depth <= 0 ? rnd_int(3) : rnd_int(13);
    switch (kind) {
    case 0: /* an indicator */
        if (in_loop)
            gput(b, rnd_int(2) ? "{\"var\": \"m_flag\"}" : "{\"var\": \"current.m_flag\"}");
        else
            gput(b, rnd_int(2) ? "{\"var\": \"t_flag\"}" : "{\"var\": \"t_flag2\"}");
        return;
    case 1: /* in */
        if (in_loop)
            gput(b, rnd_int(2) ? "{\"in\": [{\"var\": \"m_cat\"}, [\"q\"]]}"
                               : "{\"==\": [{\"var\": \"m_cat\"}, \"p\"]}");
        else
            gput(b, rnd_int(2) ? "{\"in\": [{\"var\": \"t_cat\"}, [\"a\", \"c\"]]}"
                               : "{\"!=\": [{\"var\": \"t_cat\"}, \"b\"]}");
        return;
    case 2: /* literal */
        gput(b, rnd_int(3) == 0 ? "null" : rnd_int(2) ? "true" : "false");
        return;
    case 3:
    case 4: /* comparison */
        gput(b, "{\"");
        gput(b, cmp[rnd_int(6)]);
        gput(b, "\": [");
        gen_num(b, depth - 1, in_loop);
        gput(b, ", ");
        gen_num(b, depth - 1, in_loop);
        gput(b, "]}");
        return;
    case 5: /* between */
        gput(b, rnd_int(2) ? "{\"<\": [" : "{\"<=\": [");
        gen_num(b, depth - 1, in_loop);
        gput(b, ", ");
        gen_num(b, depth - 1, in_loop);
        gput(b, ", ");
        gen_num(b, depth - 1, in_loop);
        gput(b, "]}");
        return;
    case 6: /* ! !! */
        gput(b, rnd_int(2) ? "{\"!\": [" : "{\"!!\": [");
        gen_bool(b, depth - 1, in_loop);
        gput(b, "]}");
        return;
    case 7:
    case 8: { /* and / or */
        int n = 1 + rnd_int(4);
        gput(b, rnd_int(2) ? "{\"and\": [" : "{\"or\": [");
        for (int i = 0; i < n; i++) {
            if (i)
                gput(b, ", ");
            gen_bool(b, depth - 1, in_loop);
        }
        gput(b, "]}");
        return;
    }
    case 9: { /* if, with or without else */
        int n = 2 + rnd_int(4);
        gput(b, "{\"if\": [");
        for (int i = 0; i < n; i++) {
            if (i)
                gput(b, ", ");
            gen_bool(b, depth - 1, in_loop);
        }
        gput(b, "]}");
        return;
    }
    case 10: /* a default */
        gput(b, in_loop ? "{\"var\": [\"m_flag\", " : "{\"var\": [\"t_flag\", ");
        gen_bool(b, depth - 1, in_loop);
        gput(b, "]}");
        return;
    default: { /* a quantifier (not nested), or missing */
        if (in_loop) {
            gput(b, "{\"missing\": [\"t_num\"]}");
            return;
        }
        if (rnd_int(5) == 0) {
            gput(b, rnd_int(2) ? "{\"missing\": [\"t_num\", \"t_cat\"]}"
                               : "{\"missing_some\": [1, [\"t_num\", \"t_flag\"]]}");
            return;
        }
        static const char *const q[] = {"some", "all", "none"};
        gput(b, "{\"");
        gput(b, q[rnd_int(3)]);
        gput(b, "\": [");
        int nf = rnd_int(3);
        for (int i = 0; i < nf; i++)
            gput(b, "{\"filter\": [");
        gput(b, "{\"var\": \"members\"}");
        for (int i = 0; i < nf; i++) {
            gput(b, ", ");
            gen_bool(b, depth - 1, 1);
            gput(b, "]}");
        }
        gput(b, ", ");
        gen_bool(b, depth - 1, 1);
        gput(b, "]}");
        return;
    }
    }
}

/* A number. */
static void gen_num(gbuf *b, int depth, int in_loop) {
    static const char *const lit[] = {"0", "1", "3", "30", "-2", "0.5", "1e300"};
    static const char *const ar[] = {"+", "-", "*", "/", "%", "min", "max"};
    int kind = depth <= 0 ? rnd_int(2) : rnd_int(8);
    switch (kind) {
    case 0:
        if (in_loop)
            gput(b, "{\"var\": \"m_num\"}");
        else
            gput(b, rnd_int(3) == 0 ? "{\"var\": \"t_int\"}"
                    : rnd_int(2)    ? "{\"var\": \"t_num\"}"
                                    : "{\"var\": \"t_num2\"}");
        return;
    case 1:
        gput(b, lit[rnd_int(7)]);
        return;
    case 2:
    case 3: { /* arithmetic */
        int op = rnd_int(7);
        int n = op == 3 || op == 4 ? 2 : 1 + rnd_int(3);
        gput(b, "{\"");
        gput(b, ar[op]);
        gput(b, "\": [");
        if (op == 1)
            n = 1 + rnd_int(2);
        for (int i = 0; i < n; i++) {
            if (i)
                gput(b, ", ");
            gen_num(b, depth - 1, in_loop);
        }
        gput(b, "]}");
        return;
    }
    case 4: { /* if with numbers */
        gput(b, "{\"if\": [");
        gen_bool(b, depth - 1, in_loop);
        gput(b, ", ");
        gen_num(b, depth - 1, in_loop);
        if (rnd_int(3)) {
            gput(b, ", ");
            gen_num(b, depth - 1, in_loop);
        }
        gput(b, "]}");
        return;
    }
    case 5: /* a default */
        gput(b, in_loop ? "{\"var\": [\"m_num\", " : "{\"var\": [\"t_num\", ");
        gen_num(b, depth - 1, in_loop);
        gput(b, "]}");
        return;
    case 6: /* a count, or a truth value as a number */
        if (in_loop || rnd_int(4) == 0) {
            gput(b, "{\"+\": [");
            gen_bool(b, depth - 1, in_loop);
            gput(b, "]}");
            return;
        }
        gput(b, "{\"count\": [");
        gput(b, rnd_int(2) ? "{\"filter\": [{\"var\": \"members\"}, " : "");
        if (b->s[b->n - 2] == ',') {
            gen_bool(b, depth - 1, 1);
            gput(b, "]}");
        } else {
            gput(b, "{\"var\": \"members\"}");
        }
        if (rnd_int(2)) {
            gput(b, ", ");
            gen_bool(b, depth - 1, 1);
        }
        gput(b, "]}");
        return;
    default: /* members.N */
        gput(b, in_loop ? "{\"var\": \"m_num\"}" : "{\"var\": \"members.1.m_num\"}");
        return;
    }
}

/* A dataset of @p n random households; every 97th has 100 members (a
 * quantifier runs over several blocks of member rows), one in six has none. */
static pov_dataset *random_dataset(size_t n) {
    static const char *const tcodes[] = {"a", "b", "c"};
    pov_dataset *ds;
    cr_assert_eq(pov_dataset_new(S, &ds), 0);
    for (size_t i = 0; i < n; i++) {
        pov_household *h;
        cr_assert_eq(pov_household_new(S, &h), 0);
        char id[32];
        snprintf(id, sizeof id, "r%zu", i);
        cr_assert_eq(pov_household_set_id(h, id), 0);
        if (rnd_int(6))
            cr_assert_eq(pov_household_set_number(h, "t_num", (double)rnd_int(70) - 10), 0);
        if (rnd_int(6))
            cr_assert_eq(pov_household_set_number(h, "t_num2", 0.5 * rnd_int(9)), 0);
        if (rnd_int(6))
            cr_assert_eq(pov_household_set_number(h, "t_int", rnd_int(4)), 0);
        if (rnd_int(5))
            cr_assert_eq(pov_household_set_boolean(h, "t_flag", rnd_int(2)), 0);
        if (rnd_int(5))
            cr_assert_eq(pov_household_set_boolean(h, "t_flag2", rnd_int(2)), 0);
        if (rnd_int(5))
            cr_assert_eq(pov_household_set_category(h, "t_cat", tcodes[rnd_int(3)]), 0);
        int nm = i % 97 == 50 ? 100 : rnd_int(6) == 0 ? 0 : 1 + rnd_int(5);
        for (int m = 0; m < nm; m++) {
            size_t mi;
            cr_assert_eq(pov_household_member_add(h, &mi), 0);
            cr_assert_eq(pov_household_member_set_number(h, mi, "age", 30), 0);
            if (rnd_int(6))
                cr_assert_eq(pov_household_member_set_number(h, mi, "m_num", rnd_int(40) - 5), 0);
            if (rnd_int(6))
                cr_assert_eq(pov_household_member_set_boolean(h, mi, "m_flag", rnd_int(2)), 0);
            if (rnd_int(6))
                cr_assert_eq(pov_household_member_set_category(h, mi, "m_cat",
                                                               rnd_int(2) ? "p" : "q"), 0);
        }
        cr_assert_eq(pov_dataset_append(ds, h), 0, "%s", pov_error_message(pov_error_last()));
        pov_household_free(h);
    }
    return ds;
}

static void compare_block_scalar(const pov_condition *c, const povi_colview *v, const char *expr) {
    static double vb[1000], vs[1000];
    static uint8_t sb[1000], ss[1000];
    size_t n = v->n_households;
    cr_assert(n <= 1000);
    /* whole range, then an unaligned sub-range */
    size_t ranges[2][2] = {{0, n}, {n > 3 ? 3 : 0, n > 10 ? n - 7 : n}};
    for (int r = 0; r < 2; r++) {
        size_t b = ranges[r][0], e = ranges[r][1];
        for (size_t i = 0; i < n; i++)
            vb[i] = vs[i] = -777, sb[i] = ss[i] = 99;
        povi_condition_eval_batch(c, v, b, e, vb, sb);
        povi_condition_eval_scalar(c, v, b, e, vs, ss);
        for (size_t i = 0; i < e - b; i++) {
            cr_assert(isnan(vs[i]) ? isnan(vb[i]) : memcmp(&vs[i], &vb[i], sizeof vs[i]) == 0,
                      "household %zu: block %.17g, scalar %.17g for %s", b + i, vb[i], vs[i],
                      expr);
            cr_assert_eq(sb[i], ss[i], "household %zu: states for %s", b + i, expr);
        }
    }
}

Test(cond, block_evaluator_matches_scalar_on_random_programs) {
    rng_state = 0x243F6A8885A308D3ull;
    pov_dataset *ds = random_dataset(700);
    povi_colview v;
    povi_dataset_colview(ds, &v);
    int blocked = 0, total = 0;
    static gbuf b;
    for (int e = 0; e < 1500; e++) {
        b.n = 0;
        b.s[0] = 0;
        if (e % 2)
            gen_bool(&b, 1 + rnd_int(4), 0);
        else
            gen_num(&b, 1 + rnd_int(4), 0);
        pov_condition *c = NULL;
        int rc = pov_condition_compile(S, b.s, SIZE_MAX, "expr", &c);
        cr_assert_eq(rc, 0, "compile %s: %s at %s", b.s, pov_error_message(pov_error_last()),
                     pov_error_path(pov_error_last()));
        total++;
        blocked += povi_condition_blockable(c);
        compare_block_scalar(c, &v, b.s);
        pov_condition_free(c);
    }
    /* the generator writes shapes the block evaluator takes, but deep ones
     * may need more stack than it has: most must go through it */
    cr_assert_gt(blocked, total * 9 / 10, "only %d of %d programs block-evaluated", blocked,
                 total);
    pov_dataset_free(ds);
}

/* The shapes of the shipped exit standards, each on the block path, and the
 * programs that stay one household at a time (reduce; household values and
 * members.N inside a quantifier), all equal to the scalar interpreter. */
Test(cond, block_evaluator_shapes) {
    static const struct {
        const char *expr;
        int blockable;
    } cases[] = {
        {"{\"if\": [{\"==\": [{\"count\": [{\"var\": \"members\"}]}, 0]}, null,"
         " {\"none\": [{\"var\": \"members\"}, {\"and\": [{\"<=\": [6, {\"var\": \"m_num\"}, 15]},"
         " {\"in\": [{\"var\": \"m_cat\"}, [\"q\"]]}]}]}]}", 1},
        {"{\"count\": [{\"filter\": [{\"var\": \"members\"}, {\"and\": [{\"<=\": [6, {\"var\":"
         " \"m_num\"}, 15]}, {\"in\": [{\"var\": \"m_cat\"}, [\"q\"]]}]}]}]}", 1},
        {"{\"if\": [{\">\": [{\"var\": \"t_int\"}, 0]}, {\"or\": [{\">=\": [{\"/\": [{\"var\":"
         " \"t_num\"}, {\"var\": \"t_num2\"}]}, 0.5]}, {\"==\": [{\"var\": \"t_flag\"}, true]},"
         " {\"some\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"m_num\"}, 6]}]}]},"
         " {\"==\": [{\"var\": \"t_flag2\"}, true]}]}", 1},
        {"{\"all\": [{\"filter\": [{\"filter\": [{\"var\": \"members\"}, {\"var\": \"m_flag\"}]},"
         " {\">\": [{\"var\": \"m_num\"}, 3]}]}, {\"!=\": [{\"var\": \"m_cat\"}, \"p\"]}]}", 1},
        {"{\"+\": [{\"var\": [\"t_num\", {\"var\": [\"t_num2\", 7]}]}, {\"count\": [{\"var\":"
         " \"members\"}, {\"var\": [\"m_flag\", true]}]}]}", 1},
        {"{\"reduce\": [{\"var\": \"members\"}, {\"+\": [{\"var\": \"accumulator\"},"
         " {\"var\": [\"current.m_num\", 0]}]}, 0]}", 0},
        {"{\"some\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"m_num\"},"
         " {\"var\": \"t_num\"}]}]}", 0},
        {"{\"some\": [{\"var\": \"members\"}, {\">\": [{\"var\": \"m_num\"},"
         " {\"var\": \"members.0.m_num\"}]}]}", 0},
    };
    rng_state = 0x13198A2E03707344ull;
    pov_dataset *ds = random_dataset(600);
    povi_colview v;
    povi_dataset_colview(ds, &v);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pov_condition *c = compile_ok(cases[i].expr);
        cr_assert_eq(povi_condition_blockable(c), cases[i].blockable, "%s", cases[i].expr);
        compare_block_scalar(c, &v, cases[i].expr);
        pov_condition_free(c);
    }
    pov_dataset_free(ds);
}

/* Quantifiers whose body is one member column compared with a constant (or a
 * code `in` a list) are classified straight from the column: every operator,
 * numeric, boolean and category columns, missing values, a missing constant
 * (which takes the general path), households without members and with 100
 * members (several blocks of member rows). All equal to the scalar
 * interpreter, and one family also to counts taken here from the columns. */
Test(cond, block_evaluator_member_column_bodies) {
    static const char *const quant[] = {"count", "some", "all", "none"};
    static const char *const body[] = {
        "{\"==\": [{\"var\": \"m_num\"}, 3]}",     "{\"!=\": [{\"var\": \"m_num\"}, 3]}",
        "{\"<\": [{\"var\": \"m_num\"}, 0]}",      "{\"<=\": [{\"var\": \"m_num\"}, -5]}",
        "{\">\": [{\"var\": \"m_num\"}, 6]}",      "{\">=\": [{\"var\": \"m_num\"}, 34]}",
        "{\">\": [{\"var\": \"m_num\"}, null]}",   "{\"==\": [{\"var\": \"m_flag\"}, true]}",
        "{\"!=\": [{\"var\": \"m_flag\"}, false]}", "{\"==\": [{\"var\": \"m_cat\"}, \"p\"]}",
        "{\"!=\": [{\"var\": \"m_cat\"}, \"q\"]}",  "{\"in\": [{\"var\": \"m_cat\"}, [\"q\"]]}",
        "{\"in\": [{\"var\": \"m_cat\"}, [\"p\", \"q\"]]}",
        "{\"==\": [{\"var\": \"m_cat\"}, null]}",
    };
    rng_state = 0xA4093822299F31D0ull;
    pov_dataset *ds = random_dataset(900);
    povi_colview v;
    povi_dataset_colview(ds, &v);
    char expr[512];
    for (size_t q = 0; q < sizeof quant / sizeof quant[0]; q++)
        for (size_t b = 0; b < sizeof body / sizeof body[0]; b++) {
            snprintf(expr, sizeof expr, "{\"%s\": [{\"var\": \"members\"}, %s]}", quant[q], body[b]);
            pov_condition *c = compile_ok(expr);
            cr_assert(povi_condition_blockable(c), "%s", expr);
            compare_block_scalar(c, &v, expr);
            pov_condition_free(c);
        }
    /* count of members with m_num > 6, from the columns: missing if any
     * member's m_num is missing */
    pov_condition *c = compile_ok("{\"count\": [{\"var\": \"members\"}, {\">\": [{\"var\": "
                                  "\"m_num\"}, 6]}]}");
    size_t n = pov_dataset_count(ds);
    double *got = malloc(n * sizeof *got);
    povi_condition_eval_batch(c, &v, 0, n, got, NULL);
    size_t mi;
    cr_assert_eq(pov_schema_find(S, "m_num", &mi), 0);
    const double *mn = pov_dataset_column_number(ds, mi);
    const size_t *off = pov_dataset_member_offsets(ds);
    cr_assert(mn && off);
    size_t with100 = 0;
    for (size_t i = 0; i < n; i++) {
        double want = 0;
        for (size_t r = off[i]; r < off[i + 1]; r++)
            want = isnan(mn[r]) || isnan(want) ? NAN : want + (mn[r] > 6);
        with100 += off[i + 1] - off[i] == 100;
        cr_assert(isnan(want) ? isnan(got[i]) : got[i] == want, "household %zu: %g, want %g", i,
                  got[i], want);
    }
    cr_assert_gt(with100, 0);
    free(got);
    pov_condition_free(c);
    pov_dataset_free(ds);
}

/* Arithmetic whose operands are household columns reads them in place
 * (column OP column, and value OP column; min/max with a constant in place
 * on the stack): every operator, with missing
 * values, zero divisors, defaults and if-branches around the operands, equal
 * to the scalar interpreter; the quotient also to one taken from the columns. */
Test(cond, block_evaluator_column_arithmetic) {
    static const char *const cases[] = {
        "{\"/\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}",
        "{\"/\": [{\"+\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}, {\"var\": \"t_int\"}]}",
        "{\"/\": [{\"-\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}]}, {\"var\": \"t_num2\"}]}",
        "{\"*\": [{\"-\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}]}, {\"var\": \"t_num2\"}]}",
        "{\"min\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}",
        "{\"max\": [{\"var\": \"t_num\"}, {\"var\": \"t_int\"}]}",
        "{\"/\": [{\"var\": \"t_num\"}, {\"max\": [{\"var\": \"t_int\"}, 1]}]}",
        "{\"/\": [{\"var\": [\"t_num\", 4]}, {\"var\": \"t_num2\"}]}",
        "{\"/\": [{\"var\": \"t_num\"}, {\"var\": [\"t_num2\", 2]}]}",
        "{\"+\": [{\"var\": \"t_num\"}, {\"var\": [\"t_num2\", {\"var\": \"t_int\"}]}]}",
        ("{\"if\": [{\"var\": \"t_flag\"}, {\"/\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]},"
         " {\"-\": [{\"var\": \"t_int\"}, {\"var\": \"t_num\"}]}]}"),
        "{\"+\": [{\"*\": [2, {\"var\": \"t_num\"}]}, {\"var\": \"t_num2\"}, {\"var\": \"t_int\"}]}",
        "{\">\": [{\"/\": [{\"var\": \"t_num\"}, {\"var\": \"t_num2\"}]}, 3]}",
        "{\"min\": [{\"var\": \"t_num\"}, 2.5]}",
        "{\"max\": [{\"var\": \"t_int\"}, null]}",
        "{\"max\": [2, {\"var\": \"t_num\"}]}",
        "{\"-\": [{\"min\": [{\"var\": \"t_num\"}, 0]}, {\"max\": [{\"var\": \"t_num2\"}, 1]}]}",
    };
    rng_state = 0x082EFA98EC4E6C89ull;
    pov_dataset *ds = random_dataset(700);
    povi_colview v;
    povi_dataset_colview(ds, &v);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pov_condition *c = compile_ok(cases[i]);
        cr_assert(povi_condition_blockable(c), "%s", cases[i]);
        compare_block_scalar(c, &v, cases[i]);
        pov_condition_free(c);
    }
    pov_condition *c = compile_ok(cases[0]);
    size_t n = pov_dataset_count(ds), ia, ib, zeros = 0;
    double *got = malloc(n * sizeof *got);
    povi_condition_eval_batch(c, &v, 0, n, got, NULL);
    cr_assert_eq(pov_schema_find(S, "t_num", &ia), 0);
    cr_assert_eq(pov_schema_find(S, "t_num2", &ib), 0);
    const double *a = pov_dataset_column_number(ds, ia), *b = pov_dataset_column_number(ds, ib);
    for (size_t i = 0; i < n; i++) {
        double want = isnan(a[i]) || isnan(b[i]) || b[i] == 0 ? NAN : a[i] / b[i];
        zeros += b[i] == 0;
        cr_assert(isnan(want) ? isnan(got[i]) : got[i] == want, "household %zu", i);
    }
    cr_assert_gt(zeros, 0, "the data have zero divisors");
    free(got);
    pov_condition_free(c);
    pov_dataset_free(ds);
}
