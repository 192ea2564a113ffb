/*
 * Columnar datasets: one array per indicator, members in a child table with
 * offsets, a string pool for text. Columns grow geometrically, so appending
 * is amortised O(1) and allocates nothing per household once grown.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_priv.h"

/* ---- string pool ---------------------------------------------------------- */

int32_t povi_pool_add(pov_dataset *ds, const char *s, size_t len) {
    char *p = g_string_chunk_insert_len(ds->chunk, s, (gssize)len);
    g_ptr_array_add(ds->strs, p);
    return (int32_t)(ds->strs->len - 1);
}

int32_t povi_pool_intern(pov_dataset *ds, const char *s, size_t len) {
    /* s need not be NUL-terminated: look up a terminated copy when needed */
    char stackbuf[128];
    const char *key = s;
    char *heap = NULL;
    {
        if (len < sizeof stackbuf) {
            memcpy(stackbuf, s, len);
            stackbuf[len] = '\0';
            key = stackbuf;
        } else {
            key = heap = g_strndup(s, len);
        }
    }
    gpointer v = g_hash_table_lookup(ds->intern, key);
    int32_t k;
    if (v) {
        k = (int32_t)(GPOINTER_TO_SIZE(v) - 1);
    } else {
        k = povi_pool_add(ds, s, len);
        g_hash_table_insert(ds->intern, g_ptr_array_index(ds->strs, k),
                            GSIZE_TO_POINTER((size_t)k + 1));
    }
    g_free(heap);
    return k;
}

const char *povi_pool_get(const pov_dataset *ds, int32_t k) {
    if (k < 0 || (guint)k >= ds->strs->len)
        return NULL;
    return g_ptr_array_index(ds->strs, k);
}

/* Initial capacities. All initial arrays live in one allocation (the slab),
 * so creating a household costs a handful of allocations, not one per
 * indicator; an array moves out of the slab the first time it grows. */
#define INIT_CAP 4
#define INIT_MCAP 8
#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static int in_slab(const pov_dataset *ds, const void *p) {
    return (const char *)p >= ds->slab && (const char *)p < ds->slab_end;
}

static void *col_renew(pov_dataset *ds, void *p, size_t old_n, size_t new_n, size_t elsz) {
    if (in_slab(ds, p)) {
        void *q = g_malloc(new_n * elsz);
        memcpy(q, p, old_n * elsz);
        return q;
    }
    return g_realloc(p, new_n * elsz);
}

static void col_free(pov_dataset *ds, void *p) {
    if (p && !in_slab(ds, p))
        g_free(p);
}

/* ---- growth --------------------------------------------------------------- */

static size_t grow_to(size_t cap, size_t need) {
    size_t c = cap ? cap : 4;
    while (c < need)
        c *= 2;
    return c;
}

static void grow_households(pov_dataset *ds, size_t need) {
    if (need <= ds->cap)
        return;
    size_t o = ds->cap, c = grow_to(ds->cap, need);
    for (size_t k = 0; k < ds->n_hnum; k++) {
        size_t i = ds->hnum[k];
        ds->num[i] = col_renew(ds, ds->num[i], o, c, sizeof(double));
    }
    for (size_t k = 0; k < ds->n_hcat; k++) {
        size_t i = ds->hcat[k];
        ds->cat[i] = col_renew(ds, ds->cat[i], o, c, sizeof(int32_t));
    }
    for (size_t k = 0; k < ds->n_htext; k++) {
        size_t i = ds->htext[k];
        ds->cat[i] = col_renew(ds, ds->cat[i], o, c, sizeof(int32_t));
    }
    ds->ids = col_renew(ds, ds->ids, o, c, sizeof(int32_t));
    ds->extra = col_renew(ds, ds->extra, o, c, sizeof(int32_t));
    ds->dsize = col_renew(ds, ds->dsize, o, c, sizeof(double));
    ds->moff = col_renew(ds, ds->moff, o + 1, c + 1, sizeof(size_t));
    ds->hoff = col_renew(ds, ds->hoff, o + 1, c + 1, sizeof(size_t));
    ds->poff = col_renew(ds, ds->poff, o + 1, c + 1, sizeof(size_t));
    if (ds->hi_income_fill)
        ds->hi_income_fill = col_renew(ds, ds->hi_income_fill, o, c, sizeof(double));
    if (ds->hi_measures_fill)
        ds->hi_measures_fill = col_renew(ds, ds->hi_measures_fill, o, c, sizeof(double));
    ds->cap = c;
}

void povi_ds_reserve_members(pov_dataset *ds, size_t extra) {
    size_t need = ds->m + extra;
    if (need <= ds->mcap)
        return;
    size_t o = ds->mcap, c = grow_to(ds->mcap, need);
    for (size_t k = 0; k < ds->n_mnum; k++) {
        size_t i = ds->mnum[k];
        ds->num[i] = col_renew(ds, ds->num[i], o, c, sizeof(double));
    }
    for (size_t k = 0; k < ds->n_mcat; k++) {
        size_t i = ds->mcat[k];
        ds->cat[i] = col_renew(ds, ds->cat[i], o, c, sizeof(int32_t));
    }
    for (size_t k = 0; k < ds->n_mtext; k++) {
        size_t i = ds->mtext[k];
        ds->cat[i] = col_renew(ds, ds->cat[i], o, c, sizeof(int32_t));
    }
    ds->mextra = col_renew(ds, ds->mextra, o, c, sizeof(int32_t));
    ds->mcap = c;
}

void povi_ds_reserve_history(pov_dataset *ds, size_t extra) {
    if (ds->nh + extra <= ds->hcap)
        return;
    size_t c = grow_to(ds->hcap, ds->nh + extra);
    ds->hyear = g_renew(int32_t, ds->hyear, c);
    ds->hval = g_renew(double, ds->hval, c);
    ds->hcap = c;
}

void povi_ds_reserve_programs(pov_dataset *ds, size_t extra) {
    if (ds->np + extra <= ds->pcap)
        return;
    size_t c = grow_to(ds->pcap, ds->np + extra);
    ds->pid = g_renew(int32_t, ds->pid, c);
    ds->pyear = g_renew(int32_t, ds->pyear, c);
    ds->pcap = c;
}

/* ---- life cycle ----------------------------------------------------------- */

int povi_ds_create(const pov_schema *schema, size_t chunk, pov_dataset **out) {
    pov_dataset *ds = g_new0(pov_dataset, 1);
    ds->schema = povi_schema_ref(schema);
    size_t ni = ds->ni = pov_schema_count(schema);
    povi_derive_resolve(schema, &ds->hi_income, &ds->hi_measures);
    size_t nfill = (ds->hi_income != SIZE_MAX) + (ds->hi_measures != SIZE_MAX);
    /* slab size */
    size_t bytes = ALIGN8(2 * ni * sizeof(void *)) + ALIGN8(ni * sizeof(int32_t)) +
                   ALIGN8(7 * ni * sizeof(size_t));
    for (size_t i = 0; i < ni; i++) {
        const povi_indicator *ind = povi_schema_get(schema, i);
        size_t rows = ind->level == POV_LEVEL_HOUSEHOLD ? INIT_CAP : INIT_MCAP;
        size_t el = (ind->type == POV_TYPE_CATEGORY || ind->type == POV_TYPE_TEXT)
                        ? sizeof(int32_t) : sizeof(double);
        bytes += ALIGN8(rows * el);
    }
    bytes += 2 * ALIGN8(INIT_CAP * sizeof(int32_t)) + INIT_CAP * sizeof(double) +
             3 * (INIT_CAP + 1) * sizeof(size_t) + ALIGN8(INIT_MCAP * sizeof(int32_t)) +
             nfill * ALIGN8(INIT_CAP * sizeof(double));
    char *p = ds->slab = g_malloc(bytes); /* rows are initialised when added */
    ds->slab_end = ds->slab + bytes;
#define TAKE(T, n) ((T *)(void *)(p += ALIGN8((n) * sizeof(T)), p - ALIGN8((n) * sizeof(T))))
    ds->num = TAKE(double *, ni);
    ds->cat = TAKE(int32_t *, ni);
    memset(ds->num, 0, ni * sizeof(double *)); /* NULL: not a numeric column */
    memset(ds->cat, 0, ni * sizeof(int32_t *));
    ds->last_text = TAKE(int32_t, ni);
    ds->hnum = TAKE(size_t, 7 * ni);
    ds->hcat = ds->hnum + ni;
    ds->htext = ds->hcat + ni;
    ds->mnum = ds->htext + ni;
    ds->mcat = ds->mnum + ni;
    ds->mtext = ds->mcat + ni;
    ds->req = ds->mtext + ni;
    for (size_t i = 0; i < ni; i++) {
        const povi_indicator *ind = povi_schema_get(schema, i);
        int hh = ind->level == POV_LEVEL_HOUSEHOLD;
        size_t rows = hh ? INIT_CAP : INIT_MCAP;
        ds->last_text[i] = -1;
        /* every column exists (never NULL), even when empty */
        if (ind->type == POV_TYPE_CATEGORY) {
            ds->cat[i] = TAKE(int32_t, rows);
            if (hh)
                ds->hcat[ds->n_hcat++] = i;
            else
                ds->mcat[ds->n_mcat++] = i;
        } else if (ind->type == POV_TYPE_TEXT) {
            ds->cat[i] = TAKE(int32_t, rows);
            if (hh)
                ds->htext[ds->n_htext++] = i;
            else
                ds->mtext[ds->n_mtext++] = i;
        } else {
            ds->num[i] = TAKE(double, rows);
            if (hh)
                ds->hnum[ds->n_hnum++] = i;
            else
                ds->mnum[ds->n_mnum++] = i;
        }
        if (ind->required)
            ds->req[ds->n_req++] = i;
    }
    ds->cap = INIT_CAP;
    ds->mcap = INIT_MCAP;
    ds->ids = TAKE(int32_t, INIT_CAP);
    ds->extra = TAKE(int32_t, INIT_CAP);
    ds->dsize = TAKE(double, INIT_CAP);
    ds->moff = TAKE(size_t, INIT_CAP + 1);
    ds->hoff = TAKE(size_t, INIT_CAP + 1);
    ds->poff = TAKE(size_t, INIT_CAP + 1);
    ds->mextra = TAKE(int32_t, INIT_MCAP);
    if (ds->hi_income != SIZE_MAX)
        ds->hi_income_fill = TAKE(double, INIT_CAP);
    if (ds->hi_measures != SIZE_MAX)
        ds->hi_measures_fill = TAKE(double, INIT_CAP);
#undef TAKE
    g_assert(p <= ds->slab_end);
    ds->moff[0] = ds->hoff[0] = ds->poff[0] = 0;
    ds->strs = g_ptr_array_new();
    ds->chunk = g_string_chunk_new(chunk);
    ds->intern = g_hash_table_new(g_str_hash, g_str_equal);
    ds->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    pov_derive_options_init(&ds->opts);
    *out = ds;
    return 0;
}

int pov_dataset_new(const pov_schema *schema, pov_dataset **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!schema)
        return povi_error(POV_EINVAL, "schema is NULL");
    return povi_ds_create(schema, 65536, out);
}

void pov_dataset_free(pov_dataset *ds) {
    if (!ds)
        return;
    for (size_t i = 0; i < ds->ni; i++) {
        col_free(ds, ds->num[i]);
        col_free(ds, ds->cat[i]);
    }
    col_free(ds, ds->ids);
    col_free(ds, ds->extra);
    col_free(ds, ds->dsize);
    col_free(ds, ds->moff);
    col_free(ds, ds->mextra);
    col_free(ds, ds->hoff);
    col_free(ds, ds->poff);
    col_free(ds, ds->hi_income_fill);
    col_free(ds, ds->hi_measures_fill);
    g_free(ds->hyear);
    g_free(ds->hval);
    g_free(ds->pid);
    g_free(ds->pyear);
    g_ptr_array_free(ds->strs, TRUE);
    g_string_chunk_free(ds->chunk);
    g_hash_table_destroy(ds->intern);
    g_hash_table_destroy(ds->by_id);
    povi_schema_unref(ds->schema);
    g_free(ds->slab);
    g_free(ds);
}

/* Empties the dataset, keeping its memory (used by povi_household_reset). */
void povi_ds_reset(pov_dataset *ds) {
    ds->n = ds->m = ds->nh = ds->np = 0;
    ds->moff[0] = ds->hoff[0] = ds->poff[0] = 0;
    g_ptr_array_set_size(ds->strs, 0);
    g_string_chunk_clear(ds->chunk);
    g_hash_table_remove_all(ds->intern);
    g_hash_table_remove_all(ds->by_id);
    for (size_t i = 0; i < ds->ni; i++)
        ds->last_text[i] = -1;
}

void povi_ds_add_empty_row(pov_dataset *ds) {
    grow_households(ds, ds->n + 1);
    size_t r = ds->n;
    for (size_t k = 0; k < ds->n_hnum; k++)
        ds->num[ds->hnum[k]][r] = NAN;
    for (size_t k = 0; k < ds->n_hcat; k++)
        ds->cat[ds->hcat[k]][r] = -1;
    for (size_t k = 0; k < ds->n_htext; k++)
        ds->cat[ds->htext[k]][r] = -1;
    ds->ids[r] = -1;
    ds->extra[r] = -1;
    ds->dsize[r] = NAN;
    ds->moff[r + 1] = ds->m;
    ds->hoff[r + 1] = ds->nh;
    ds->poff[r + 1] = ds->np;
    if (ds->hi_income_fill)
        ds->hi_income_fill[r] = NAN;
    if (ds->hi_measures_fill)
        ds->hi_measures_fill[r] = NAN;
    ds->n++;
}

/* Text from another pool: re-interned, with a one-entry cache per column
 * (region codes repeat from one household to the next). */
static int32_t copy_text(pov_dataset *dst, const pov_dataset *src, size_t i, int32_t k) {
    if (k < 0)
        return -1;
    const char *s = povi_pool_get(src, k);
    int32_t last = dst->last_text[i];
    if (last >= 0 && strcmp(povi_pool_get(dst, last), s) == 0)
        return last;
    int32_t r = povi_pool_intern(dst, s, strlen(s));
    dst->last_text[i] = r;
    return r;
}

static int32_t copy_raw(pov_dataset *dst, const pov_dataset *src, int32_t k) {
    if (k < 0)
        return -1;
    const char *s = povi_pool_get(src, k);
    return povi_pool_add(dst, s, strlen(s));
}

void povi_ds_fill_last_row(pov_dataset *dst, const pov_dataset *src, size_t row) {
    size_t r = dst->n - 1;
    size_t m0 = src->moff[row], m1 = src->moff[row + 1], km = m1 - m0;
    size_t h0 = src->hoff[row], h1 = src->hoff[row + 1];
    size_t p0 = src->poff[row], p1 = src->poff[row + 1];
    povi_ds_reserve_members(dst, km);
    povi_ds_reserve_history(dst, h1 - h0);
    povi_ds_reserve_programs(dst, p1 - p0);
    size_t d0 = dst->m;
    for (size_t k = 0; k < dst->n_hnum; k++) {
        size_t i = dst->hnum[k];
        dst->num[i][r] = src->num[i][row];
    }
    for (size_t k = 0; k < dst->n_hcat; k++) {
        size_t i = dst->hcat[k];
        dst->cat[i][r] = src->cat[i][row];
    }
    for (size_t k = 0; k < dst->n_htext; k++) {
        size_t i = dst->htext[k];
        dst->cat[i][r] = copy_text(dst, src, i, src->cat[i][row]);
    }
    if (km) {
        for (size_t k = 0; k < dst->n_mnum; k++) {
            size_t i = dst->mnum[k];
            memcpy(dst->num[i] + d0, src->num[i] + m0, km * sizeof(double));
        }
        for (size_t k = 0; k < dst->n_mcat; k++) {
            size_t i = dst->mcat[k];
            memcpy(dst->cat[i] + d0, src->cat[i] + m0, km * sizeof(int32_t));
        }
        for (size_t k = 0; k < dst->n_mtext; k++) {
            size_t i = dst->mtext[k];
            for (size_t j = 0; j < km; j++)
                dst->cat[i][d0 + j] = copy_text(dst, src, i, src->cat[i][m0 + j]);
        }
    }
    for (size_t j = 0; j < km; j++)
        dst->mextra[d0 + j] = copy_raw(dst, src, src->mextra[m0 + j]);
    dst->m += km;
    dst->moff[r + 1] = dst->m;
    if (h1 > h0) {
        memcpy(dst->hyear + dst->nh, src->hyear + h0, (h1 - h0) * sizeof(int32_t));
        memcpy(dst->hval + dst->nh, src->hval + h0, (h1 - h0) * sizeof(double));
        dst->nh += h1 - h0;
    }
    dst->hoff[r + 1] = dst->nh;
    for (size_t j = p0; j < p1; j++) {
        const char *pid = povi_pool_get(src, src->pid[j]);
        dst->pid[dst->np] = povi_pool_intern(dst, pid, strlen(pid));
        dst->pyear[dst->np] = src->pyear[j];
        dst->np++;
    }
    dst->poff[r + 1] = dst->np;
    dst->ids[r] = copy_raw(dst, src, src->ids[row]);
    dst->extra[r] = copy_raw(dst, src, src->extra[row]);
    dst->dsize[r] = src->dsize[row];
    /* which history-based values derive filled in (same schema: same arrays) */
    if (dst->hi_income_fill)
        dst->hi_income_fill[r] = src->hi_income_fill[row];
    if (dst->hi_measures_fill)
        dst->hi_measures_fill[r] = src->hi_measures_fill[row];
}

/* ---- public API ----------------------------------------------------------- */

const pov_schema *pov_dataset_schema(const pov_dataset *ds) { return ds ? ds->schema : NULL; }
size_t pov_dataset_count(const pov_dataset *ds) { return ds ? ds->n : 0; }
size_t pov_dataset_member_count(const pov_dataset *ds) { return ds ? ds->m : 0; }
const pov_derive_options *povi_dataset_options(const pov_dataset *ds) { return &ds->opts; }

int povi_dataset_value_filled(const pov_dataset *ds, size_t row, size_t indicator) {
    const double *fill = indicator == ds->hi_income     ? ds->hi_income_fill
                         : indicator == ds->hi_measures ? ds->hi_measures_fill
                                                        : NULL;
    if (!fill || row >= ds->n)
        return 0;
    /* derive.c stores the same value in the column and in fill[row]; a value
     * set since then differs from it (the column is the caller's) */
    double v = ds->num[indicator][row];
    return !isnan(v) && v == fill[row];
}

int pov_dataset_append(pov_dataset *ds, const pov_household *h) {
    if (!ds || !h)
        return povi_error(POV_EINVAL, "dataset or household is NULL");
    const pov_dataset *src = h->ds;
    if (src->schema != ds->schema)
        return povi_error(POV_EINVAL, "the household uses schema '%s', the dataset '%s'",
                          pov_schema_name(src->schema), pov_schema_name(ds->schema));
    int r = pov_household_validate(h);
    if (r)
        return r;
    const char *id = povi_pool_get(src, src->ids[0]);
    if (g_hash_table_contains(ds->by_id, id)) {
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, "id"};
        return povi_error_at(POV_EDUPLICATE, &loc, "duplicate household id '%s'", id);
    }
    if (ds->n >= (size_t)INT32_MAX)
        return povi_error(POV_ELIMIT, "a dataset holds at most %d households", INT32_MAX);
    povi_ds_add_empty_row(ds);
    povi_ds_fill_last_row(ds, src, 0);
    povi_derive_row(ds, ds->n - 1);
    g_hash_table_insert(ds->by_id, (gpointer)povi_pool_get(ds, ds->ids[ds->n - 1]),
                        GSIZE_TO_POINTER(ds->n));
    return 0;
}

int pov_dataset_household(const pov_dataset *ds, size_t index, pov_household **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!ds)
        return povi_error(POV_EINVAL, "dataset is NULL");
    if (index >= ds->n)
        return povi_error(POV_ENOTFOUND, "household index %zu out of range (dataset has %zu)",
                          index, ds->n);
    pov_household *h = NULL;
    int r = pov_household_new(ds->schema, &h);
    if (r)
        return r;
    povi_ds_fill_last_row(h->ds, ds, index);
    h->ds->opts = ds->opts;
    povi_derive_row(h->ds, 0);
    *out = h;
    return 0;
}

int pov_dataset_find(const pov_dataset *ds, const char *id, size_t *out) {
    if (!ds || !id)
        return povi_error(POV_EINVAL, "dataset or id is NULL");
    gpointer v = g_hash_table_lookup(ds->by_id, id);
    if (!v)
        return povi_error(POV_ENOTFOUND, "no household with id '%s'", id);
    if (out)
        *out = GPOINTER_TO_SIZE(v) - 1;
    return 0;
}

const char *pov_dataset_id(const pov_dataset *ds, size_t index) {
    if (!ds || index >= ds->n)
        return NULL;
    return povi_pool_get(ds, ds->ids[index]);
}

static const povi_indicator *column_check(const pov_dataset *ds, size_t indicator) {
    if (!ds) {
        povi_error(POV_EINVAL, "dataset is NULL");
        return NULL;
    }
    const povi_indicator *ind = povi_schema_get(ds->schema, indicator);
    if (!ind)
        povi_error(POV_EINVAL, "indicator index %zu out of range", indicator);
    return ind;
}

const double *pov_dataset_column_number(const pov_dataset *ds, size_t indicator) {
    const povi_indicator *ind = column_check(ds, indicator);
    if (!ind)
        return NULL;
    if (!ds->num[indicator]) {
        povi_error(POV_ETYPE, "indicator '%s' is not a number, integer or boolean", ind->id);
        return NULL;
    }
    return ds->num[indicator];
}

const int32_t *pov_dataset_column_category(const pov_dataset *ds, size_t indicator) {
    const povi_indicator *ind = column_check(ds, indicator);
    if (!ind)
        return NULL;
    if (!ds->cat[indicator]) {
        povi_error(POV_ETYPE, "indicator '%s' is not a category or text", ind->id);
        return NULL;
    }
    return ds->cat[indicator];
}

const size_t *pov_dataset_member_offsets(const pov_dataset *ds) { return ds ? ds->moff : NULL; }

const char *pov_dataset_string(const pov_dataset *ds, int32_t index) {
    return ds ? povi_pool_get(ds, index) : NULL;
}

int pov_dataset_get_text(const pov_dataset *ds, size_t row, size_t indicator, const char **out) {
    if (out)
        *out = NULL;
    const povi_indicator *ind = column_check(ds, indicator);
    if (!ind)
        return pov_error_code(pov_error_last());
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    if (ind->type != POV_TYPE_TEXT)
        return povi_error(POV_ETYPE, "indicator '%s' is not text", ind->id);
    size_t rows = ind->level == POV_LEVEL_HOUSEHOLD ? ds->n : ds->m;
    if (row >= rows)
        return povi_error(POV_ENOTFOUND, "row %zu out of range (%zu rows)", row, rows);
    int32_t k = ds->cat[indicator][row];
    if (k < 0)
        return 0;
    *out = povi_pool_get(ds, k);
    return 1;
}

int pov_dataset_derive(pov_dataset *ds, const pov_derive_options *opts) {
    if (!ds)
        return povi_error(POV_EINVAL, "dataset is NULL");
    if (opts) {
        int r = povi_check_options(opts);
        if (r)
            return r;
        povi_copy_options(&ds->opts, opts);
    }
    for (size_t i = 0; i < ds->n; i++)
        povi_derive_row(ds, i);
    return 0;
}

void povi_dataset_colview(const pov_dataset *ds, povi_colview *out) {
    memset(out, 0, sizeof *out);
    out->schema = ds->schema;
    out->n_households = ds->n;
    out->n_members = ds->m;
    out->num = (const double *const *)ds->num;
    out->cat = (const int32_t *const *)ds->cat;
    out->member_offsets = ds->moff;
    out->strings = (const char *const *)ds->strs->pdata;
    out->n_strings = ds->strs->len;
    out->ids = ds->ids;
    out->hist_offsets = ds->hoff;
    out->hist_year = ds->hyear;
    out->hist_value = ds->hval;
    out->prog_offsets = ds->poff;
    out->prog_id = ds->pid;
    out->prog_year = ds->pyear;
}
