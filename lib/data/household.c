/*
 * Households: a one-row dataset plus the single-household API, validation,
 * and JSON in/out (shape in docs/data-model.md).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dataset_priv.h"

#define MAX_MEMBERS 100      /* = max of household_size */
#define YEAR_MIN 1949
#define YEAR_MAX 2100
#define HISTORY_ABS_MAX 1e9  /* sanity limit of a per-capita income */
#define INT_EXACT 9007199254740992.0 /* 2^53 */

static void sync(const pov_household *h);

/* ---- values --------------------------------------------------------------- */

enum vkind { V_MISSING, V_NUM, V_BOOL, V_STR };
typedef struct val {
    enum vkind kind;
    double d;
    const char *s;
    size_t len;
    int from_json; /* 2: a JSON array or object */
    int want;      /* for V_STR from the typed setters: the required type, else -1 */
} val;

typedef struct msgbuf {
    char text[300];
} msgbuf;

#define MSG(mb, ...) (snprintf((mb)->text, sizeof (mb)->text, __VA_ARGS__))

static const char *const type_word[] = {"a number", "an integer", "true or false",
                                        "a category code", "a text"};

static size_t member_row(const pov_dataset *ds, size_t member) { return ds->moff[0] + member; }

/* Validates a number for indicator @p ind. */
static int check_number(const povi_indicator *ind, double v, msgbuf *mb) {
    if (!isfinite(v)) {
        MSG(mb, "'%s' must be a finite number, got %s", ind->id, isnan(v) ? "NaN" : "infinity");
        return POV_ENONFINITE;
    }
    if (ind->type == POV_TYPE_INTEGER && (v != floor(v) || fabs(v) > INT_EXACT)) {
        MSG(mb, "'%s' must be an integer, got %.17g", ind->id, v);
        return POV_ETYPE;
    }
    if (v < ind->min || v > ind->max) {
        MSG(mb, "'%s' = %.15g is outside its valid range %.15g..%.15g", ind->id, v, ind->min,
            ind->max);
        return POV_ERANGE;
    }
    return 0;
}

/* Stores @p v into indicator @p i at @p row (household or member row). On
 * error the old value stays and mb holds the message. No derive. */
static int apply(pov_dataset *ds, size_t row, size_t i, const val *v, msgbuf *mb) {
    const povi_indicator *ind = povi_schema_get(ds->schema, i);
    if (v->kind == V_MISSING) {
        if (ds->num[i])
            ds->num[i][row] = NAN;
        else
            ds->cat[i][row] = -1;
        return 0;
    }
    if (v->kind == V_STR && v->want >= 0 && v->want != (int)ind->type) {
        MSG(mb, "'%s' must be %s, got %s", ind->id, type_word[ind->type], type_word[v->want]);
        return POV_ETYPE;
    }
    switch (ind->type) {
    case POV_TYPE_NUMBER:
    case POV_TYPE_INTEGER: {
        if (v->kind != V_NUM) {
            MSG(mb, "'%s' must be %s, got %s", ind->id, type_word[ind->type],
                v->kind == V_STR ? "a string" : "a boolean");
            return POV_ETYPE;
        }
        int r = check_number(ind, v->d, mb);
        if (r)
            return r;
        ds->num[i][row] = v->d;
        return 0;
    }
    case POV_TYPE_BOOLEAN:
        if (v->kind != V_BOOL) {
            MSG(mb, "'%s' must be true or false, got %s", ind->id,
                v->kind == V_STR ? "a string" : "a number");
            return POV_ETYPE;
        }
        ds->num[i][row] = v->d != 0.0 ? 1.0 : 0.0;
        return 0;
    case POV_TYPE_CATEGORY: {
        if (v->kind != V_STR) {
            MSG(mb, "'%s' must be a category code (string), got %s", ind->id,
                v->kind == V_NUM ? "a number" : "a boolean");
            return POV_ETYPE;
        }
        int32_t k = povi_schema_code_lookup(ds->schema, i, v->s, v->len);
        if (k < 0) {
            MSG(mb, "'%.*s' is not a code of '%s'", (int)(v->len > 64 ? 64 : v->len), v->s,
                ind->id);
            return POV_ECODE;
        }
        ds->cat[i][row] = k;
        return 0;
    }
    case POV_TYPE_TEXT:
        if (v->kind != V_STR) {
            MSG(mb, "'%s' must be a string, got %s", ind->id,
                v->kind == V_NUM ? "a number" : "a boolean");
            return POV_ETYPE;
        }
        if (!g_utf8_validate(v->s, (gssize)v->len, NULL)) {
            MSG(mb, "'%s' is not valid UTF-8", ind->id);
            return POV_ETYPE;
        }
        ds->cat[i][row] = povi_pool_intern(ds, v->s, v->len);
        return 0;
    }
    MSG(mb, "bad indicator type");
    return POV_ERROR;
}

/* Declared household size (only meaningful without member records). */
static int apply_size(pov_dataset *ds, const val *v, msgbuf *mb) {
    const povi_indicator *ind = povi_schema_get(ds->schema, POVI_HOUSEHOLD_SIZE);
    if (v->kind == V_MISSING) {
        ds->dsize[0] = NAN;
        return 0;
    }
    if (v->kind != V_NUM) {
        MSG(mb, "'household_size' must be an integer, got %s",
            v->kind == V_STR ? "a string" : "a boolean");
        return POV_ETYPE;
    }
    int r = check_number(ind, v->d, mb);
    if (r)
        return r;
    size_t nm = ds->moff[1] - ds->moff[0];
    if (nm > 0 && v->d != (double)nm) {
        MSG(mb, "'household_size' = %g does not match the %zu member records", v->d, nm);
        return POV_ERANGE;
    }
    ds->dsize[0] = v->d;
    return 0;
}

/* ---- life cycle ----------------------------------------------------------- */

int pov_household_new(const pov_schema *schema, pov_household **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!schema)
        return povi_error(POV_EINVAL, "schema is NULL");
    pov_household *h = g_new0(pov_household, 1);
    povi_ds_create(schema, 256, &h->ds);
    povi_ds_add_empty_row(h->ds);
    h->seen = g_new0(uint32_t, h->ds->ni);
    h->scratch = g_string_new(NULL);
    povi_derive_row(h->ds, 0);
    *out = h;
    return 0;
}

void pov_household_free(pov_household *h) {
    if (!h)
        return;
    pov_dataset_free(h->ds);
    g_free(h->seen);
    g_string_free(h->scratch, TRUE);
    g_free(h);
}

void povi_household_reset(pov_household *h) {
    povi_ds_reset(h->ds);
    povi_ds_add_empty_row(h->ds);
    povi_derive_row(h->ds, 0);
    h->dirty = 0;
}

pov_dataset *povi_household_dataset(const pov_household *h) {
    sync(h);
    return h->ds;
}

void povi_household_colview(const pov_household *h, povi_colview *out) {
    sync(h);
    povi_dataset_colview(h->ds, out);
}

int pov_household_copy(const pov_household *h, pov_household **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    pov_household *c = NULL;
    int r = pov_household_new(h->ds->schema, &c);
    if (r)
        return r;
    povi_ds_fill_last_row(c->ds, h->ds, 0);
    c->ds->opts = h->ds->opts;
    povi_derive_row(c->ds, 0);
    *out = c;
    return 0;
}

const pov_schema *pov_household_schema(const pov_household *h) {
    return h ? h->ds->schema : NULL;
}

int pov_household_set_id(pov_household *h, const char *id) {
    if (!h || !id)
        return povi_error(POV_EINVAL, "household or id is NULL");
    size_t n = strlen(id);
    povi_loc loc = {NULL, 0, 0, SIZE_MAX, "id"};
    if (n == 0)
        return povi_error_at(POV_EINVAL, &loc, "the household id must not be empty");
    if (!g_utf8_validate(id, (gssize)n, NULL))
        return povi_error_at(POV_EINVAL, &loc, "the household id is not valid UTF-8");
    h->ds->ids[0] = povi_pool_add(h->ds, id, n);
    return 0;
}

const char *pov_household_id(const pov_household *h) {
    return h ? povi_pool_get(h->ds, h->ds->ids[0]) : NULL;
}

/* ---- typed access by id ------------------------------------------------- */

/* Formats the error path of (member, id): "id" or "members[2].id". */
static const char *fmt_path(char *path, size_t pcap, size_t member, const char *id) {
    if (member == SIZE_MAX)
        snprintf(path, pcap, "%s", id);
    else
        snprintf(path, pcap, "members[%zu].%s", member, id);
    return path;
}

/* Resolves id at household (member == SIZE_MAX) or member level; sets *row.
 * Errors are recorded with the field path. No formatting on success. */
static int resolve(const pov_household *h, size_t member, const char *id, size_t *index,
                   size_t *row) {
    if (!h || !id)
        return povi_error(POV_EINVAL, "household or id is NULL");
    const pov_dataset *ds = h->ds;
    size_t nm = ds->moff[1] - ds->moff[0];
    char path[128];
    povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
    if (member != SIZE_MAX && member >= nm) {
        fmt_path(path, sizeof path, member, id);
        return povi_error_at(POV_ENOTFOUND, &loc, "no member %zu (the household has %zu)",
                             member, nm);
    }
    size_t i;
    if (!povi_schema_lookup(ds->schema, id, strlen(id), &i)) {
        fmt_path(path, sizeof path, member, id);
        return povi_error_at(POV_ENOTFOUND, &loc, "no indicator '%s' in schema '%s'", id,
                             pov_schema_name(ds->schema));
    }
    const povi_indicator *ind = povi_schema_get(ds->schema, i);
    if (member == SIZE_MAX && ind->level != POV_LEVEL_HOUSEHOLD) {
        fmt_path(path, sizeof path, member, id);
        return povi_error_at(POV_EINVAL, &loc, "'%s' is a member-level indicator; use the "
                             "pov_household_member_* functions", id);
    }
    if (member != SIZE_MAX && ind->level != POV_LEVEL_MEMBER) {
        fmt_path(path, sizeof path, member, id);
        return povi_error_at(POV_EINVAL, &loc, "'%s' is a household-level indicator", id);
    }
    *index = i;
    *row = member == SIZE_MAX ? 0 : member_row(ds, member);
    return 0;
}

/* Derived values are recomputed lazily: setters, member changes and new
 * history / programme records (the history-based indicators come from them)
 * mark the household dirty, and readers of derived values (getters, JSON,
 * colview, copy) bring them up to date first. */
static void sync(const pov_household *h) {
    pov_household *mh = (pov_household *)h;
    if (mh->dirty) {
        povi_derive_row(mh->ds, 0);
        mh->dirty = 0;
    }
}

static int set_public(pov_household *h, size_t member, const char *id, const val *v) {
    size_t i = 0, row = 0;
    int r = resolve(h, member, id, &i, &row);
    if (r)
        return r;
    const povi_indicator *ind = povi_schema_get(h->ds->schema, i);
    char path[128];
    povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
    msgbuf mb;
    if (ind->derived && i != POVI_HOUSEHOLD_SIZE) {
        fmt_path(path, sizeof path, member, id);
        return povi_error_at(POV_EINVAL, &loc, "'%s' is derived (computed by the library) and "
                             "cannot be set", id);
    }
    r = i == POVI_HOUSEHOLD_SIZE ? apply_size(h->ds, v, &mb) : apply(h->ds, row, i, v, &mb);
    if (r) {
        fmt_path(path, sizeof path, member, id);
        return povi_error_at(r, &loc, "%s", mb.text);
    }
    h->dirty = 1;
    return 0;
}

static int get_public(const pov_household *h, size_t member, const char *id, int want,
                      size_t *i, size_t *row) {
    int r = resolve(h, member, id, i, row);
    if (r)
        return r;
    const povi_indicator *ind = povi_schema_get(h->ds->schema, *i);
    int ok = want < 0 ? (ind->type <= POV_TYPE_BOOLEAN) : ((int)ind->type == want);
    if (!ok) {
        char path[128];
        fmt_path(path, sizeof path, member, id);
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        return povi_error_at(POV_ETYPE, &loc, "'%s' is %s", id, type_word[ind->type]);
    }
    return 0;
}

static int get_number(const pov_household *h, size_t member, const char *id, double *out) {
    if (out)
        *out = NAN;
    size_t i = 0, row = 0;
    int r = get_public(h, member, id, -1, &i, &row);
    if (r)
        return r;
    if (member == SIZE_MAX)
        sync(h);
    double v = h->ds->num[i][row];
    if (out)
        *out = v;
    return isnan(v) ? 0 : 1;
}

static int get_boolean(const pov_household *h, size_t member, const char *id, int *out) {
    if (out)
        *out = 0;
    size_t i = 0, row = 0;
    int r = get_public(h, member, id, POV_TYPE_BOOLEAN, &i, &row);
    if (r)
        return r;
    double v = h->ds->num[i][row];
    if (isnan(v))
        return 0;
    if (out)
        *out = v != 0.0;
    return 1;
}

static int get_category(const pov_household *h, size_t member, const char *id,
                        const char **out) {
    if (out)
        *out = NULL;
    size_t i = 0, row = 0;
    int r = get_public(h, member, id, POV_TYPE_CATEGORY, &i, &row);
    if (r)
        return r;
    int32_t k = h->ds->cat[i][row];
    if (k < 0)
        return 0;
    if (out)
        *out = povi_schema_get(h->ds->schema, i)->codes[k].code;
    return 1;
}

static int get_text(const pov_household *h, size_t member, const char *id, const char **out) {
    if (out)
        *out = NULL;
    size_t i = 0, row = 0;
    int r = get_public(h, member, id, POV_TYPE_TEXT, &i, &row);
    if (r)
        return r;
    int32_t k = h->ds->cat[i][row];
    if (k < 0)
        return 0;
    if (out)
        *out = povi_pool_get(h->ds, k);
    return 1;
}

static val vnum(double d) { return (val){V_NUM, d, NULL, 0, 0, -1}; }
static val vbool(int b) { return (val){V_BOOL, b ? 1.0 : 0.0, NULL, 0, 0, -1}; }
static val vstr(const char *s, int want) {
    return (val){V_STR, 0, s, s ? strlen(s) : 0, 0, want};
}
static val vmissing(void) { return (val){V_MISSING, 0, NULL, 0, 0, -1}; }

int pov_household_set_number(pov_household *h, const char *id, double value) {
    val v = vnum(value);
    return set_public(h, SIZE_MAX, id, &v);
}
int pov_household_set_boolean(pov_household *h, const char *id, int value) {
    val v = vbool(value);
    return set_public(h, SIZE_MAX, id, &v);
}
int pov_household_set_category(pov_household *h, const char *id, const char *code) {
    if (!code)
        return povi_error(POV_EINVAL, "code is NULL");
    val v = vstr(code, POV_TYPE_CATEGORY);
    return set_public(h, SIZE_MAX, id, &v);
}
int pov_household_set_text(pov_household *h, const char *id, const char *text) {
    if (!text)
        return povi_error(POV_EINVAL, "text is NULL");
    val v = vstr(text, POV_TYPE_TEXT);
    return set_public(h, SIZE_MAX, id, &v);
}
int pov_household_set_missing(pov_household *h, const char *id) {
    val v = vmissing();
    return set_public(h, SIZE_MAX, id, &v);
}
int pov_household_get_number(const pov_household *h, const char *id, double *out) {
    return get_number(h, SIZE_MAX, id, out);
}
int pov_household_get_boolean(const pov_household *h, const char *id, int *out) {
    return get_boolean(h, SIZE_MAX, id, out);
}
int pov_household_get_category(const pov_household *h, const char *id, const char **out) {
    return get_category(h, SIZE_MAX, id, out);
}
int pov_household_get_text(const pov_household *h, const char *id, const char **out) {
    return get_text(h, SIZE_MAX, id, out);
}

/* ---- members -------------------------------------------------------------- */

size_t pov_household_member_count(const pov_household *h) {
    return h ? h->ds->moff[1] - h->ds->moff[0] : 0;
}

static int member_add(pov_household *h, size_t *out) {
    pov_dataset *ds = h->ds;
    size_t nm = ds->moff[1] - ds->moff[0];
    if (nm >= MAX_MEMBERS) {
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, "members"};
        return povi_error_at(POV_ELIMIT, &loc, "a household has at most %d members",
                             MAX_MEMBERS);
    }
    povi_ds_reserve_members(ds, 1);
    size_t r = ds->m;
    for (size_t k = 0; k < ds->n_mnum; k++)
        ds->num[ds->mnum[k]][r] = NAN;
    for (size_t k = 0; k < ds->n_mcat; k++)
        ds->cat[ds->mcat[k]][r] = -1;
    for (size_t k = 0; k < ds->n_mtext; k++)
        ds->cat[ds->mtext[k]][r] = -1;
    ds->mextra[r] = -1;
    ds->m++;
    ds->moff[1] = ds->m;
    ds->dsize[0] = NAN; /* member records replace a declared size */
    if (out)
        *out = nm;
    return 0;
}

int pov_household_member_add(pov_household *h, size_t *out) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    int r = member_add(h, out);
    if (r)
        return r;
    h->dirty = 1;
    return 0;
}

int pov_household_member_remove(pov_household *h, size_t member) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    pov_dataset *ds = h->ds;
    size_t nm = ds->moff[1] - ds->moff[0];
    if (member >= nm)
        return povi_error(POV_ENOTFOUND, "no member %zu (the household has %zu)", member, nm);
    size_t r = member_row(ds, member), tail = ds->m - r - 1;
    for (size_t i = 0; i < ds->ni; i++) {
        if (povi_schema_get(ds->schema, i)->level != POV_LEVEL_MEMBER)
            continue;
        if (ds->num[i])
            memmove(ds->num[i] + r, ds->num[i] + r + 1, tail * sizeof(double));
        else
            memmove(ds->cat[i] + r, ds->cat[i] + r + 1, tail * sizeof(int32_t));
    }
    memmove(ds->mextra + r, ds->mextra + r + 1, tail * sizeof(int32_t));
    ds->m--;
    ds->moff[1] = ds->m;
    ds->dsize[0] = NAN;
    h->dirty = 1;
    return 0;
}

int pov_household_member_set_number(pov_household *h, size_t member, const char *id,
                                    double value) {
    val v = vnum(value);
    return set_public(h, member, id, &v);
}
int pov_household_member_set_boolean(pov_household *h, size_t member, const char *id,
                                     int value) {
    val v = vbool(value);
    return set_public(h, member, id, &v);
}
int pov_household_member_set_category(pov_household *h, size_t member, const char *id,
                                      const char *code) {
    if (!code)
        return povi_error(POV_EINVAL, "code is NULL");
    val v = vstr(code, POV_TYPE_CATEGORY);
    return set_public(h, member, id, &v);
}
int pov_household_member_set_text(pov_household *h, size_t member, const char *id,
                                  const char *text) {
    if (!text)
        return povi_error(POV_EINVAL, "text is NULL");
    val v = vstr(text, POV_TYPE_TEXT);
    return set_public(h, member, id, &v);
}
int pov_household_member_set_missing(pov_household *h, size_t member, const char *id) {
    val v = vmissing();
    return set_public(h, member, id, &v);
}
int pov_household_member_get_number(const pov_household *h, size_t member, const char *id,
                                    double *out) {
    if (member == SIZE_MAX)
        member--; /* SIZE_MAX means "household" internally: make it out of range */
    return get_number(h, member, id, out);
}
int pov_household_member_get_boolean(const pov_household *h, size_t member, const char *id,
                                     int *out) {
    if (member == SIZE_MAX)
        member--;
    return get_boolean(h, member, id, out);
}
int pov_household_member_get_category(const pov_household *h, size_t member, const char *id,
                                      const char **out) {
    if (member == SIZE_MAX)
        member--;
    return get_category(h, member, id, out);
}
int pov_household_member_get_text(const pov_household *h, size_t member, const char *id,
                                  const char **out) {
    if (member == SIZE_MAX)
        member--;
    return get_text(h, member, id, out);
}

/* ---- income history ------------------------------------------------------- */

static int history_add(pov_dataset *ds, double year, double income, msgbuf *mb) {
    if (!isfinite(year) || year != floor(year) || year < YEAR_MIN || year > YEAR_MAX) {
        MSG(mb, "income history year %g is not a year in %d..%d", year, YEAR_MIN, YEAR_MAX);
        return POV_ERANGE;
    }
    if (!isfinite(income)) {
        MSG(mb, "income of %d must be finite", (int)year);
        return POV_ENONFINITE;
    }
    if (fabs(income) > HISTORY_ABS_MAX) {
        MSG(mb, "income of %d = %g is outside the sanity limit of +-1e9", (int)year, income);
        return POV_ERANGE;
    }
    int y = (int)year;
    size_t a = ds->hoff[0], b = ds->nh, pos = b;
    for (size_t k = a; k < b; k++) {
        if (ds->hyear[k] == y) {
            MSG(mb, "income of %d is recorded twice", y);
            return POV_EDUPLICATE;
        }
        if (ds->hyear[k] > y && pos == b)
            pos = k;
    }
    povi_ds_reserve_history(ds, 1);
    memmove(ds->hyear + pos + 1, ds->hyear + pos, (b - pos) * sizeof(int32_t));
    memmove(ds->hval + pos + 1, ds->hval + pos, (b - pos) * sizeof(double));
    ds->hyear[pos] = y;
    ds->hval[pos] = income;
    ds->nh++;
    ds->hoff[1] = ds->nh;
    return 0;
}

int pov_household_history_add(pov_household *h, int year, double income) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    msgbuf mb;
    int r = history_add(h->ds, year, income, &mb);
    if (r) {
        char path[48];
        snprintf(path, sizeof path, "income_history.%d", year);
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        return povi_error_at(r, &loc, "%s", mb.text);
    }
    h->dirty = 1; /* income_last_year may be derived from it */
    return 0;
}

size_t pov_household_history_count(const pov_household *h) {
    return h ? h->ds->hoff[1] - h->ds->hoff[0] : 0;
}

int pov_household_history_get(const pov_household *h, size_t k, int *year_out,
                              double *income_out) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    size_t n = h->ds->hoff[1] - h->ds->hoff[0];
    if (k >= n)
        return povi_error(POV_ENOTFOUND, "no history entry %zu (%zu recorded)", k, n);
    if (year_out)
        *year_out = h->ds->hyear[h->ds->hoff[0] + k];
    if (income_out)
        *income_out = h->ds->hval[h->ds->hoff[0] + k];
    return 0;
}

int pov_household_history_find(const pov_household *h, int year, double *out) {
    if (out)
        *out = NAN;
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    for (size_t k = h->ds->hoff[0]; k < h->ds->hoff[1]; k++)
        if (h->ds->hyear[k] == year) {
            if (out)
                *out = h->ds->hval[k];
            return 1;
        }
    return 0;
}

size_t pov_household_history_gaps(const pov_household *h) {
    if (!h)
        return 0;
    size_t a = h->ds->hoff[0], b = h->ds->hoff[1];
    if (b - a < 2)
        return 0;
    /* sorted, no duplicates: span minus entries */
    return (size_t)(h->ds->hyear[b - 1] - h->ds->hyear[a] + 1) - (b - a);
}

/* ---- programmes ----------------------------------------------------------- */

static int program_add(pov_dataset *ds, const char *id, size_t len, double year, msgbuf *mb) {
    char buf[72];
    if (len == 0 || len > 64) {
        MSG(mb, "a programme id must have 1..64 characters");
        return POV_EINVAL;
    }
    memcpy(buf, id, len);
    buf[len] = '\0';
    if (!povi_valid_code(buf)) {
        MSG(mb, "'%s' is not a valid programme id ([A-Za-z0-9_]+)", buf);
        return POV_EINVAL;
    }
    if (!isfinite(year) || year != floor(year) || year < YEAR_MIN || year > YEAR_MAX) {
        MSG(mb, "programme year %g is not a year in %d..%d", year, YEAR_MIN, YEAR_MAX);
        return POV_ERANGE;
    }
    for (size_t k = ds->poff[0]; k < ds->np; k++)
        if (ds->pyear[k] == (int32_t)year && strcmp(povi_pool_get(ds, ds->pid[k]), buf) == 0) {
            MSG(mb, "enrolment in '%s' in %d is recorded twice", buf, (int)year);
            return POV_EDUPLICATE;
        }
    povi_ds_reserve_programs(ds, 1);
    ds->pid[ds->np] = povi_pool_intern(ds, buf, len);
    ds->pyear[ds->np] = (int32_t)year;
    ds->np++;
    ds->poff[1] = ds->np;
    return 0;
}

int pov_household_program_add(pov_household *h, const char *program_id, int year) {
    if (!h || !program_id)
        return povi_error(POV_EINVAL, "household or program_id is NULL");
    msgbuf mb;
    int r = program_add(h->ds, program_id, strlen(program_id), year, &mb);
    if (r) {
        char path[48];
        snprintf(path, sizeof path, "programs[%zu]", pov_household_program_count(h));
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        return povi_error_at(r, &loc, "%s", mb.text);
    }
    h->dirty = 1; /* assistance_measures may be derived from it */
    return 0;
}

size_t pov_household_program_count(const pov_household *h) {
    return h ? h->ds->poff[1] - h->ds->poff[0] : 0;
}

int pov_household_program_get(const pov_household *h, size_t k, const char **id_out,
                              int *year_out) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    size_t n = h->ds->poff[1] - h->ds->poff[0];
    if (k >= n)
        return povi_error(POV_ENOTFOUND, "no programme enrolment %zu (%zu recorded)", k, n);
    size_t j = h->ds->poff[0] + k;
    if (id_out)
        *id_out = povi_pool_get(h->ds, h->ds->pid[j]);
    if (year_out)
        *year_out = h->ds->pyear[j];
    return 0;
}

/* ---- derive and validate -------------------------------------------------- */

int pov_household_derive(pov_household *h, const pov_derive_options *opts) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    if (opts) {
        int r = povi_check_options(opts);
        if (r)
            return r;
        povi_copy_options(&h->ds->opts, opts); /* reads opts->size bytes only */
    }
    povi_derive_row(h->ds, 0);
    h->dirty = 0;
    return 0;
}

/* Returns 0 or an error code with path and message filled in. */
static int validate(const pov_dataset *ds, char *path, size_t pcap, msgbuf *mb) {
    if (ds->ids[0] < 0) {
        snprintf(path, pcap, "id");
        MSG(mb, "the household id is missing");
        return POV_EMISSING;
    }
    size_t m0 = ds->moff[0], m1 = ds->moff[1];
    for (size_t q = 0; q < ds->n_req; q++) {
        size_t i = ds->req[q];
        const povi_indicator *ind = povi_schema_get(ds->schema, i);
        if (ind->level == POV_LEVEL_HOUSEHOLD) {
            int missing = ds->num[i] ? isnan(ds->num[i][0]) : ds->cat[i][0] < 0;
            if (missing) {
                snprintf(path, pcap, "%s", ind->id);
                MSG(mb, "required field '%s' is missing", ind->id);
                return POV_EMISSING;
            }
        } else {
            for (size_t j = m0; j < m1; j++) {
                int missing = ds->num[i] ? isnan(ds->num[i][j]) : ds->cat[i][j] < 0;
                if (missing) {
                    snprintf(path, pcap, "members[%zu].%s", j - m0, ind->id);
                    MSG(mb, "required field '%s' of member %zu is missing", ind->id, j - m0);
                    return POV_EMISSING;
                }
            }
        }
    }
    /* causes: one main cause and up to two distinct others */
    int32_t c0 = ds->cat[POVI_CAUSE_MAIN][0], c1 = ds->cat[POVI_CAUSE_OTHER1][0],
            c2 = ds->cat[POVI_CAUSE_OTHER2][0];
    if (c0 < 0 && (c1 >= 0 || c2 >= 0)) {
        snprintf(path, pcap, "cause_main");
        MSG(mb, "other causes of poverty are given without a main cause");
        return POV_EMISSING;
    }
    if (c1 >= 0 && c1 == c0) {
        snprintf(path, pcap, "cause_other1");
        MSG(mb, "cause_other1 repeats the main cause");
        return POV_EDUPLICATE;
    }
    if (c2 >= 0 && (c2 == c0 || c2 == c1)) {
        snprintf(path, pcap, "cause_other2");
        MSG(mb, "cause_other2 repeats another cause");
        return POV_EDUPLICATE;
    }
    return 0;
}

int pov_household_validate(const pov_household *h) {
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    char path[128];
    msgbuf mb;
    int r = validate(h->ds, path, sizeof path, &mb);
    if (r) {
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        return povi_error_at(r, &loc, "%s", mb.text);
    }
    return 0;
}

/* ---- reading: strings (CSV cells) ------------------------------------------ */

static int parse_number_text(const char *s, size_t len, double *out) {
    char buf[64];
    if (len >= sizeof buf)
        return POV_ETYPE;
    memcpy(buf, s, len);
    buf[len] = '\0';
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    if (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0)
        return POV_ENONFINITE;
    if (!((*p >= '0' && *p <= '9') || *p == '.'))
        return POV_ETYPE; /* no hex, no leading spaces */
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end != '\0' || (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')))
        return POV_ETYPE;
    *out = v; /* overflow gives +-inf: reported as non-finite by the check */
    return 0;
}

int povi_household_set_from_string(pov_household *h, size_t member, size_t indicator,
                                   const char *text, size_t len) {
    pov_dataset *ds = h->ds;
    const povi_indicator *ind = povi_schema_get(ds->schema, indicator);
    if (!ind)
        return povi_error(POV_EINVAL, "indicator index %zu out of range", indicator);
    povi_loc loc = {NULL, 0, 0, SIZE_MAX, ind->id};
    int hh = member == SIZE_MAX;
    if (hh != (ind->level == POV_LEVEL_HOUSEHOLD))
        return povi_error_at(POV_EINVAL, &loc, "'%s' is a %s-level indicator", ind->id,
                             hh ? "member" : "household");
    size_t nm = ds->moff[1] - ds->moff[0];
    if (!hh && member >= nm)
        return povi_error_at(POV_ENOTFOUND, &loc, "no member %zu", member);
    if (ind->derived && indicator != POVI_HOUSEHOLD_SIZE)
        return 0; /* recomputed; an input value is ignored (as in JSON) */
    val v = vmissing();
    if (len > 0) {
        switch (ind->type) {
        case POV_TYPE_NUMBER:
        case POV_TYPE_INTEGER: {
            int r = parse_number_text(text, len, &v.d);
            if (r == POV_ENONFINITE)
                return povi_error_at(r, &loc, "'%s' must be a finite number, got '%.*s'",
                                     ind->id, (int)(len > 32 ? 32 : len), text);
            if (r)
                return povi_error_at(r, &loc, "'%s' must be %s, got '%.*s'", ind->id,
                                     type_word[ind->type], (int)(len > 32 ? 32 : len), text);
            v.kind = V_NUM;
            break;
        }
        case POV_TYPE_BOOLEAN:
            if ((len == 4 && strncasecmp(text, "true", 4) == 0) || (len == 1 && text[0] == '1'))
                v = vbool(1);
            else if ((len == 5 && strncasecmp(text, "false", 5) == 0) ||
                     (len == 1 && text[0] == '0'))
                v = vbool(0);
            else
                return povi_error_at(POV_ETYPE, &loc, "'%s' must be true/false/1/0, got '%.*s'",
                                     ind->id, (int)(len > 32 ? 32 : len), text);
            break;
        default:
            v.kind = V_STR;
            v.s = text;
            v.len = len;
            v.want = -1;
        }
    }
    msgbuf mb;
    size_t row = hh ? 0 : member_row(ds, member);
    int r = indicator == POVI_HOUSEHOLD_SIZE ? apply_size(ds, &v, &mb)
                                             : apply(ds, row, indicator, &v, &mb);
    if (r)
        return povi_error_at(r, &loc, "%s", mb.text);
    h->dirty = 1;
    return 0;
}

static int32_t extra_append(pov_dataset *ds, int32_t old, const char *key, size_t klen,
                            const char *raw, size_t len) {
    GString *s = g_string_new(NULL);
    if (old >= 0) {
        g_string_append(s, povi_pool_get(ds, old));
        g_string_append_c(s, ',');
    }
    povi_json_append_string(s, key, klen);
    g_string_append_c(s, ':');
    g_string_append_len(s, raw, (gssize)len);
    int32_t k = povi_pool_add(ds, s->str, s->len);
    g_string_free(s, TRUE);
    return k;
}

int povi_household_add_extra(pov_household *h, size_t member, const char *key,
                             const char *raw_json, size_t len) {
    pov_dataset *ds = h->ds;
    if (!key || !raw_json || len == 0)
        return povi_error(POV_EINVAL, "unknown field without key or value");
    if (member == SIZE_MAX) {
        ds->extra[0] = extra_append(ds, ds->extra[0], key, strlen(key), raw_json, len);
    } else {
        size_t nm = ds->moff[1] - ds->moff[0];
        if (member >= nm)
            return povi_error(POV_ENOTFOUND, "no member %zu", member);
        size_t r = member_row(ds, member);
        ds->mextra[r] = extra_append(ds, ds->mextra[r], key, strlen(key), raw_json, len);
    }
    return 0;
}

/* ---- reading: JSON ------------------------------------------------------- */

static uint32_t next_stamp(pov_household *h) {
    if (++h->stamp == 0) {
        memset(h->seen, 0, h->ds->ni * sizeof(uint32_t));
        h->stamp = 1;
    }
    return h->stamp;
}

static val json_val(const cJSON *c) {
    if (cJSON_IsNull(c))
        return vmissing();
    if (cJSON_IsBool(c))
        return vbool(cJSON_IsTrue(c));
    if (cJSON_IsNumber(c))
        return vnum(c->valuedouble);
    if (cJSON_IsString(c))
        return (val){V_STR, 0, c->valuestring, strlen(c->valuestring), 1, -1};
    return (val){V_STR, 0, NULL, 0, 2, -1}; /* array/object: marked by from_json == 2 */
}

/* Is an unknown key a repeat of an earlier sibling? O(k) per unknown key. */
static int repeated_key(const cJSON *obj, const cJSON *c) {
    for (const cJSON *d = obj->child; d && d != c; d = d->next)
        if (strcmp(d->string, c->string) == 0)
            return 1;
    return 0;
}

static void path_join(char *out, size_t cap, const char *prefix, const char *key) {
    snprintf(out, cap, "%s%s%s", prefix, prefix[0] ? "." : "", key);
}

/* Sets one indicator from a JSON value, reporting with location. */
static int json_apply(pov_household *h, size_t row, size_t i, const cJSON *c,
                      const povi_json_src *src, const char *path) {
    val v = json_val(c);
    const povi_indicator *ind = povi_schema_get(h->ds->schema, i);
    if (v.from_json == 2)
        return povi_json_error(POV_ETYPE, src, path, "'%s' must be %s, got an %s", ind->id,
                               type_word[ind->type], cJSON_IsArray(c) ? "array" : "object");
    msgbuf mb;
    int r = apply(h->ds, row, i, &v, &mb);
    if (r)
        return povi_json_error(r, src, path, "%s", mb.text);
    return 0;
}

/* Appends "key":<value> of an unknown field to h->scratch. */
static int keep_unknown(pov_household *h, const cJSON *c) {
    char *raw = cJSON_PrintUnformatted(c);
    if (!raw)
        return povi_error(POV_ENOMEM, "out of memory");
    if (h->scratch->len)
        g_string_append_c(h->scratch, ',');
    povi_json_append_string(h->scratch, c->string, strlen(c->string));
    g_string_append_c(h->scratch, ':');
    g_string_append(h->scratch, raw);
    cJSON_free(raw);
    return 0;
}

static int json_member(pov_household *h, const cJSON *mobj, size_t j,
                       const povi_json_src *src) {
    char mpath[48], path[160];
    snprintf(mpath, sizeof mpath, "members[%zu]", j);
    if (!cJSON_IsObject(mobj))
        return povi_json_error(POV_ETYPE, src, mpath, "a member must be a JSON object");
    size_t idx;
    int r = member_add(h, &idx);
    if (r)
        return povi_json_error(r, src, mpath, "a household has at most %d members",
                               MAX_MEMBERS);
    pov_dataset *ds = h->ds;
    size_t row = member_row(ds, idx);
    uint32_t st = next_stamp(h);
    g_string_truncate(h->scratch, 0);
    for (const cJSON *c = mobj->child; c; c = c->next) {
        path_join(path, sizeof path, mpath, c->string);
        size_t i;
        if (povi_schema_lookup(ds->schema, c->string, strlen(c->string), &i)) {
            const povi_indicator *ind = povi_schema_get(ds->schema, i);
            if (h->seen[i] == st)
                return povi_json_error(POV_EDUPLICATE, src, path, "field '%s' given twice",
                                       c->string);
            h->seen[i] = st;
            if (ind->level != POV_LEVEL_MEMBER)
                return povi_json_error(POV_EUNKNOWN, src, path, "'%s' is a household-level "
                                       "indicator and cannot appear in a member", c->string);
            if ((r = json_apply(h, row, i, c, src, path)))
                return r;
        } else {
            if (repeated_key(mobj, c))
                return povi_json_error(POV_EDUPLICATE, src, path, "field '%s' given twice",
                                       c->string);
            if ((r = keep_unknown(h, c)))
                return r;
        }
    }
    if (h->scratch->len)
        ds->mextra[row] = povi_pool_add(ds, h->scratch->str, h->scratch->len);
    return 0;
}

static int json_history(pov_household *h, const cJSON *obj, const povi_json_src *src) {
    if (!cJSON_IsObject(obj))
        return povi_json_error(POV_ETYPE, src, "income_history", "'income_history' must be "
                               "an object of year: income");
    char path[160];
    for (const cJSON *c = obj->child; c; c = c->next) {
        path_join(path, sizeof path, "income_history", c->string);
        const char *k = c->string;
        size_t n = strlen(k);
        int digits = n >= 1 && n <= 4;
        for (size_t q = 0; q < n && digits; q++)
            digits = k[q] >= '0' && k[q] <= '9';
        if (!digits)
            return povi_json_error(POV_ETYPE, src, path, "income history keys must be years, "
                                   "got '%s'", k);
        if (!cJSON_IsNumber(c))
            return povi_json_error(POV_ETYPE, src, path, "the income of %s must be a number", k);
        msgbuf mb;
        int r = history_add(h->ds, atoi(k), c->valuedouble, &mb);
        if (r)
            return povi_json_error(r, src, path, "%s", mb.text);
    }
    return 0;
}

static int json_programs(pov_household *h, const cJSON *arr, const povi_json_src *src) {
    if (!cJSON_IsArray(arr))
        return povi_json_error(POV_ETYPE, src, "programs", "'programs' must be an array");
    char ppath[48], path[160];
    size_t j = 0;
    for (const cJSON *e = arr->child; e; e = e->next, j++) {
        snprintf(ppath, sizeof ppath, "programs[%zu]", j);
        if (!cJSON_IsObject(e))
            return povi_json_error(POV_ETYPE, src, ppath, "a programme enrolment must be an "
                                   "object {\"id\": ..., \"year\": ...}");
        const cJSON *id = NULL, *year = NULL;
        for (const cJSON *c = e->child; c; c = c->next) {
            path_join(path, sizeof path, ppath, c->string);
            const cJSON **slot = strcmp(c->string, "id") == 0     ? &id
                                 : strcmp(c->string, "year") == 0 ? &year
                                                                  : NULL;
            if (!slot)
                return povi_json_error(POV_EUNKNOWN, src, path, "unknown field '%s' in a "
                                       "programme enrolment (allowed: id, year)", c->string);
            if (*slot)
                return povi_json_error(POV_EDUPLICATE, src, path, "field '%s' given twice",
                                       c->string);
            *slot = c;
        }
        if (!id)
            return povi_json_error(POV_EMISSING, src, ppath, "programme enrolment without 'id'");
        if (!year)
            return povi_json_error(POV_EMISSING, src, ppath, "programme enrolment without "
                                   "'year'");
        path_join(path, sizeof path, ppath, "id");
        if (!cJSON_IsString(id))
            return povi_json_error(POV_ETYPE, src, path, "the programme id must be a string");
        path_join(path, sizeof path, ppath, "year");
        if (!cJSON_IsNumber(year))
            return povi_json_error(POV_ETYPE, src, path, "the programme year must be a number");
        msgbuf mb;
        int r = program_add(h->ds, id->valuestring, strlen(id->valuestring), year->valuedouble,
                            &mb);
        if (r) {
            path_join(path, sizeof path, ppath, r == POV_ERANGE ? "year" : "id");
            return povi_json_error(r, src, r == POV_EDUPLICATE ? ppath : path, "%s", mb.text);
        }
    }
    return 0;
}

int povi_household_fill_from_cjson(pov_household *h, const cJSON *obj,
                                   const povi_json_src *src) {
    if (!cJSON_IsObject(obj))
        return povi_json_error(POV_ETYPE, src, "", "a household must be a JSON object");
    pov_dataset *ds = h->ds;
    uint32_t st = next_stamp(h);
    const cJSON *size_node = NULL, *members = NULL, *hist = NULL, *progs = NULL, *id = NULL;
    int r;
    g_string_truncate(h->scratch, 0); /* household-level unknown fields */
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *k = c->string;
        const cJSON **slot = strcmp(k, "id") == 0               ? &id
                             : strcmp(k, "members") == 0        ? &members
                             : strcmp(k, "income_history") == 0 ? &hist
                             : strcmp(k, "programs") == 0       ? &progs
                                                                : NULL;
        if (slot) {
            if (*slot) {
                r = povi_json_error(POV_EDUPLICATE, src, k, "field '%s' given twice", k);
                goto done;
            }
            *slot = c;
            continue;
        }
        size_t i;
        if (povi_schema_lookup(ds->schema, k, strlen(k), &i)) {
            const povi_indicator *ind = povi_schema_get(ds->schema, i);
            if (h->seen[i] == st) {
                r = povi_json_error(POV_EDUPLICATE, src, k, "field '%s' given twice", k);
                goto done;
            }
            h->seen[i] = st;
            if (ind->level != POV_LEVEL_HOUSEHOLD) {
                r = povi_json_error(POV_EUNKNOWN, src, k, "'%s' is a member-level indicator; "
                                    "put it inside \"members\"", k);
                goto done;
            }
            if (i == POVI_HOUSEHOLD_SIZE) {
                size_node = c;
                continue;
            }
            if (ind->derived)
                continue; /* recomputed; documented */
            if ((r = json_apply(h, 0, i, c, src, k)))
                goto done;
        } else {
            if (repeated_key(obj, c)) {
                r = povi_json_error(POV_EDUPLICATE, src, k, "field '%s' given twice", k);
                goto done;
            }
            if ((r = keep_unknown(h, c)))
                goto done;
        }
    }
    if (h->scratch->len)
        ds->extra[0] = povi_pool_add(ds, h->scratch->str, h->scratch->len);
    if (id) {
        if (!cJSON_IsString(id)) {
            r = povi_json_error(POV_ETYPE, src, "id", "the household id must be a string");
            goto done;
        }
        size_t n = strlen(id->valuestring);
        if (n == 0 || !g_utf8_validate(id->valuestring, (gssize)n, NULL)) {
            r = povi_json_error(POV_EINVAL, src, "id", "the household id must be non-empty "
                                "UTF-8 text");
            goto done;
        }
        ds->ids[0] = povi_pool_add(ds, id->valuestring, n);
    }
    if (members) {
        if (!cJSON_IsArray(members)) {
            r = povi_json_error(POV_ETYPE, src, "members", "'members' must be an array");
            goto done;
        }
        size_t j = 0;
        for (const cJSON *e = members->child; e; e = e->next, j++)
            if ((r = json_member(h, e, j, src)))
                goto done;
    }
    if (hist && (r = json_history(h, hist, src)))
        goto done;
    if (progs && (r = json_programs(h, progs, src)))
        goto done;
    if (size_node) {
        val v = json_val(size_node);
        msgbuf mb;
        if (v.from_json == 2) {
            r = povi_json_error(POV_ETYPE, src, "household_size", "'household_size' must be an "
                                "integer");
            goto done;
        }
        if ((r = apply_size(ds, &v, &mb))) {
            r = povi_json_error(r, src, "household_size", "%s", mb.text);
            goto done;
        }
    }
    {
        char path[128];
        msgbuf mb;
        if ((r = validate(ds, path, sizeof path, &mb))) {
            r = povi_json_error(r, src, path, "%s", mb.text);
            goto done;
        }
    }
    povi_derive_row(ds, 0);
    h->dirty = 0;
    r = 0;
done:
    return r;
}

int povi_household_from_cjson(const pov_schema *schema, const cJSON *obj,
                              const povi_json_src *src, pov_household **out) {
    *out = NULL;
    pov_household *h = NULL;
    int r = pov_household_new(schema, &h);
    if (r)
        return r;
    r = povi_household_fill_from_cjson(h, obj, src);
    if (r) {
        pov_household_free(h);
        return r;
    }
    *out = h;
    return 0;
}

int pov_household_from_json(const pov_schema *schema, const char *text, size_t len,
                            const char *source_name, pov_household **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!schema || !text)
        return povi_error(POV_EINVAL, "schema or text is NULL");
    const char *srcname = source_name ? source_name : "<string>";
    cJSON *root = NULL;
    int r = povi_json_parse(text, len, srcname, POV_JSON_MAX_DEPTH, &root);
    if (r)
        return r;
    povi_json_src src = {srcname, text, len, "", 0, 0};
    r = povi_household_from_cjson(schema, root, &src, out);
    cJSON_Delete(root);
    return r;
}

/* ---- writing ------------------------------------------------------------- */

static void write_value(GString *o, const pov_dataset *ds, const povi_indicator *ind, size_t i,
                        size_t row, int *first) {
    double d = ds->num[i] ? ds->num[i][row] : NAN;
    int32_t k = ds->cat[i] ? ds->cat[i][row] : -1;
    if (ds->num[i] ? isnan(d) : k < 0)
        return;
    if (!*first)
        g_string_append_c(o, ',');
    *first = 0;
    povi_json_append_string(o, ind->id, strlen(ind->id));
    g_string_append_c(o, ':');
    switch (ind->type) {
    case POV_TYPE_NUMBER:
    case POV_TYPE_INTEGER: povi_json_append_number(o, d); break;
    case POV_TYPE_BOOLEAN: g_string_append(o, d != 0.0 ? "true" : "false"); break;
    case POV_TYPE_CATEGORY:
        povi_json_append_string(o, ind->codes[k].code, strlen(ind->codes[k].code));
        break;
    case POV_TYPE_TEXT: {
        const char *s = povi_pool_get(ds, k);
        povi_json_append_string(o, s, strlen(s));
        break;
    }
    }
}

int povi_dataset_row_to_json(const pov_dataset *ds, size_t row, unsigned flags, GString *o) {
    if (row >= ds->n)
        return povi_error(POV_ENOTFOUND, "household index %zu out of range", row);
    /* Values derive filled into the history-based indicators are written,
     * like derived indicators, only on request: the records they come from
     * are written, and a reader fills them again. Their indices are found
     * once per row: skip, then skip_next (ascending; SIZE_MAX: none). */
    size_t skip = SIZE_MAX, skip_next = SIZE_MAX;
    if ((ds->hi_income_fill || ds->hi_measures_fill) && !(flags & POV_JSON_DERIVED)) {
        size_t a = povi_dataset_value_filled(ds, row, ds->hi_income) ? ds->hi_income : SIZE_MAX;
        size_t b = povi_dataset_value_filled(ds, row, ds->hi_measures) ? ds->hi_measures
                                                                        : SIZE_MAX;
        skip = a < b ? a : b;
        skip_next = a < b ? b : a;
    }
    int first = 1;
    g_string_append_c(o, '{');
    if (ds->ids[row] >= 0) {
        const char *id = povi_pool_get(ds, ds->ids[row]);
        g_string_append(o, "\"id\":");
        povi_json_append_string(o, id, strlen(id));
        first = 0;
    }
    for (size_t i = 0; i < ds->ni; i++) {
        const povi_indicator *ind = povi_schema_get(ds->schema, i);
        if (ind->level != POV_LEVEL_HOUSEHOLD)
            continue;
        if (i == POVI_HOUSEHOLD_SIZE && !(flags & POV_JSON_DERIVED)) {
            if (!isnan(ds->dsize[row])) {
                g_string_append(o, first ? "\"household_size\":" : ",\"household_size\":");
                povi_json_append_number(o, ds->dsize[row]);
                first = 0;
            }
            continue;
        }
        if (ind->derived && !(flags & POV_JSON_DERIVED))
            continue;
        if (i == skip) {
            skip = skip_next;
            continue;
        }
        write_value(o, ds, ind, i, row, &first);
    }
    size_t m0 = ds->moff[row], m1 = ds->moff[row + 1];
    if (m1 > m0) {
        g_string_append(o, first ? "\"members\":[" : ",\"members\":[");
        first = 0;
        for (size_t j = m0; j < m1; j++) {
            g_string_append(o, j > m0 ? ",{" : "{");
            int mfirst = 1;
            for (size_t i = 0; i < ds->ni; i++) {
                const povi_indicator *ind = povi_schema_get(ds->schema, i);
                if (ind->level == POV_LEVEL_MEMBER)
                    write_value(o, ds, ind, i, j, &mfirst);
            }
            if (ds->mextra[j] >= 0) {
                if (!mfirst)
                    g_string_append_c(o, ',');
                g_string_append(o, povi_pool_get(ds, ds->mextra[j]));
            }
            g_string_append_c(o, '}');
        }
        g_string_append_c(o, ']');
    }
    size_t h0 = ds->hoff[row], h1 = ds->hoff[row + 1];
    if (h1 > h0) {
        g_string_append(o, first ? "\"income_history\":{" : ",\"income_history\":{");
        first = 0;
        for (size_t k = h0; k < h1; k++) {
            g_string_append_printf(o, k > h0 ? ",\"%d\":" : "\"%d\":", (int)ds->hyear[k]);
            povi_json_append_number(o, ds->hval[k]);
        }
        g_string_append_c(o, '}');
    }
    size_t p0 = ds->poff[row], p1 = ds->poff[row + 1];
    if (p1 > p0) {
        g_string_append(o, first ? "\"programs\":[" : ",\"programs\":[");
        first = 0;
        for (size_t k = p0; k < p1; k++) {
            const char *pid = povi_pool_get(ds, ds->pid[k]);
            g_string_append(o, k > p0 ? ",{\"id\":" : "{\"id\":");
            povi_json_append_string(o, pid, strlen(pid));
            g_string_append_printf(o, ",\"year\":%d}", (int)ds->pyear[k]);
        }
        g_string_append_c(o, ']');
    }
    if (ds->extra[row] >= 0) {
        if (!first)
            g_string_append_c(o, ',');
        g_string_append(o, povi_pool_get(ds, ds->extra[row]));
    }
    g_string_append_c(o, '}');
    return 0;
}

int pov_household_to_json(const pov_household *h, unsigned flags, char **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!h)
        return povi_error(POV_EINVAL, "household is NULL");
    if (flags & ~(POV_JSON_DERIVED | POV_JSON_PRETTY))
        return povi_error(POV_EINVAL, "unknown JSON flags 0x%x", flags);
    sync(h);
    GString *o = g_string_sized_new(1024);
    povi_dataset_row_to_json(h->ds, 0, flags, o);
    char *res;
    if (flags & POV_JSON_PRETTY) {
        cJSON *t = cJSON_ParseWithLength(o->str, o->len);
        char *p = t ? cJSON_Print(t) : NULL;
        cJSON_Delete(t);
        g_string_free(o, TRUE);
        if (!p)
            return povi_error(POV_ENOMEM, "out of memory");
        res = malloc(strlen(p) + 1);
        if (res)
            memcpy(res, p, strlen(p) + 1);
        cJSON_free(p);
    } else {
        res = malloc(o->len + 1);
        if (res)
            memcpy(res, o->str, o->len + 1);
        g_string_free(o, TRUE);
    }
    if (!res)
        return povi_error(POV_ENOMEM, "out of memory");
    *out = res;
    return 0;
}
