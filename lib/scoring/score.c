/*
 * povmetrics — scoring households with a compiled scorecard.
 *
 * The dataset path and the one-household path are the same function over a
 * povi_colview. Households are scored in blocks: for each block, each item
 * reads its input column (or evaluates its expression over the block with
 * the condition interpreter) and turns values into points, so the inner
 * loops run over contiguous arrays with no allocation and no lookup by name.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scoring_internal.h"

#define BLOCK 512

int pov_score_options_init(pov_score_options *opts) {
    if (!opts)
        return povi_error(POV_EINVAL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->mode = POV_SCORE_STRICT;
    opts->detail = POV_SCORE_DETAIL_ITEMS;
    return 0;
}

void pov_score_result_free(pov_score_result *res) {
    if (!res)
        return;
    if (res->adjustments) {
        for (guint a = 0; a < res->adjustments->len; a++) {
            povi_adjustment *adj = &g_array_index(res->adjustments, povi_adjustment, a);
            g_free(adj->reason);
            g_free(adj->who);
            g_free(adj->when);
        }
        g_array_free(res->adjustments, TRUE);
    }
    if (res->strings)
        g_string_chunk_free(res->strings);
    povi_big_free(res->ids);
    povi_big_free(res->id_text);
    for (int l = 0; l < 2; l++) {
        povi_big_free(res->unit[l]);
        g_free(res->unit_codes[l]);
        g_free(res->rank[l]);
        g_free(res->rank_n[l]);
    }
    povi_big_free(res->people);
    povi_big_free(res->pcni);
    povi_big_free(res->total);
    povi_big_free(res->adjusted);
    povi_big_free(res->cat);
    povi_big_free(res->catf);
    g_free(res->item_vcol);
    g_free(res->item_pcol);
    g_free(res->item_vsmall);
    g_free(res->item_psmall);
    povi_big_free(res->detail_mem);
    povi_big_free(res->item_flag);
    povi_big_free(res->missing);
    povi_big_free(res->veto);
    povi_big_free(res->veto_hits);
    if (res->sc)
        pov_scorecard_free(res->sc);
    g_free(res);
}

/* ---- the adapted view ----------------------------------------------------- */

/* The columns of the input, indexed by the scorecard schema's indicator
 * indices: core indicators map to themselves; extension indicators are
 * matched by id, and those the input lacks read as all-missing columns. */
typedef struct adapted {
    povi_colview v;
    const double **num;
    const int32_t **cat;
    double *nan_h, *nan_m;
    int32_t *neg_h, *neg_m;
} adapted;

static void adapted_clear(adapted *a) {
    g_free(a->num);
    g_free(a->cat);
    g_free(a->nan_h);
    g_free(a->nan_m);
    g_free(a->neg_h);
    g_free(a->neg_m);
}

static int adapt(const pov_scorecard *sc, const povi_colview *base, adapted *a) {
    memset(a, 0, sizeof *a);
    a->v = *base;
    const pov_schema *S = sc->schema;
    size_t n = pov_schema_count(S), core = pov_schema_core_count();
    a->num = g_new0(const double *, n ? n : 1);
    a->cat = g_new0(const int32_t *, n ? n : 1);
    for (size_t k = 0; k < n; k++) {
        if (k < core) {
            a->num[k] = base->num[k];
            a->cat[k] = base->cat[k];
            continue;
        }
        const povi_indicator *pi = povi_schema_get(S, k);
        size_t j;
        if (povi_schema_lookup(base->schema, pi->id, strlen(pi->id), &j)) {
            const povi_indicator *pj = povi_schema_get(base->schema, j);
            int numeric_i = pi->type == POV_TYPE_NUMBER || pi->type == POV_TYPE_INTEGER;
            int numeric_j = pj->type == POV_TYPE_NUMBER || pj->type == POV_TYPE_INTEGER;
            int same = pi->type == pj->type || (numeric_i && numeric_j);
            if (!same || pi->level != pj->level ||
                (pi->type == POV_TYPE_CATEGORY && pi->n_codes != pj->n_codes)) {
                adapted_clear(a);
                return povi_error(POV_ETYPE,
                                  "indicator \"%s\" of the data differs in type, level or codes "
                                  "from the scorecard's declaration", pi->id);
            }
            for (size_t c = 0; c < pi->n_codes; c++)
                if (strcmp(pi->codes[c].code, pj->codes[c].code) != 0) {
                    adapted_clear(a);
                    return povi_error(POV_ETYPE, "indicator \"%s\": code %zu is \"%s\" in the data "
                                                 "but \"%s\" in the scorecard",
                                      pi->id, c, pj->codes[c].code, pi->codes[c].code);
                }
            a->num[k] = base->num[j];
            a->cat[k] = base->cat[j];
            continue;
        }
        int member = pi->level == POV_LEVEL_MEMBER;
        size_t len = member ? base->n_members : base->n_households;
        if (pi->type == POV_TYPE_CATEGORY || pi->type == POV_TYPE_TEXT) {
            int32_t **col = member ? &a->neg_m : &a->neg_h;
            if (!*col) {
                *col = g_new(int32_t, len ? len : 1);
                for (size_t i = 0; i < len; i++)
                    (*col)[i] = -1;
            }
            a->cat[k] = *col;
        } else {
            double **col = member ? &a->nan_m : &a->nan_h;
            if (!*col) {
                *col = g_new(double, len ? len : 1);
                for (size_t i = 0; i < len; i++)
                    (*col)[i] = NAN;
            }
            a->num[k] = *col;
        }
    }
    a->v.schema = S;
    a->v.num = a->num;
    a->v.cat = a->cat;
    return 0;
}

/* ---- points of one value ---------------------------------------------------- */

/* Returns the points for value @p v of item @p it, or NaN when the value
 * cannot be scored; *flag says why (missing or outside every band). */
static inline double item_points(const povi_item *it, double v, uint8_t *flag) {
    *flag = POVI_FLAG_OK;
    if (v != v) {
        *flag = POVI_FLAG_MISSING;
        return NAN;
    }
    switch (it->form) {
    case POVI_FORM_BANDS: {
        ptrdiff_t b = povi_bands_find(&it->bands, v);
        if (b < 0) {
            *flag = POVI_FLAG_OUTSIDE;
            return NAN;
        }
        return it->bands.value[b];
    }
    case POVI_FORM_MAP: {
        if (v < 0 || v >= (double)it->n_codes) {
            *flag = POVI_FLAG_MISSING;
            return NAN;
        }
        double p = it->map[(size_t)v];
        return p == p ? p : it->dflt;
    }
    case POVI_FORM_PER_UNIT: {
        double p = v / it->pu_per * it->pu_points;
        return p > it->pu_cap ? it->pu_cap : p < -it->pu_cap ? -it->pu_cap : p;
    }
    case POVI_FORM_BOOLEAN:
        return v != 0 ? it->b_true : it->b_false;
    case POVI_FORM_EXPR:
    default:
        return v > it->e_max ? it->e_max : v < it->e_min ? it->e_min : v;
    }
}

/* Points of item @p it for the @p m values in @p vals into @p pts: one tight
 * loop per form (no branch on the form per value). A value that cannot be
 * scored gives NaN; the caller then applies the missing rules (item_points()
 * says why). */
POVI_SIMD_CLONES
static void block_points(const povi_item *it, const double *vals, size_t m, double *pts) {
    switch (it->form) {
    case POVI_FORM_BANDS:
        for (size_t j = 0; j < m; j++) {
            ptrdiff_t b = povi_bands_find(&it->bands, vals[j]);
            pts[j] = b < 0 ? NAN : it->bands.value[b];
        }
        break;
    case POVI_FORM_MAP: {
        double nc = (double)it->n_codes;
        for (size_t j = 0; j < m; j++) {
            double v = vals[j];
            double p = (v >= 0 && v < nc) ? it->map[(size_t)v] : NAN;
            pts[j] = (p == p || !(v >= 0 && v < nc)) ? p : it->dflt;
        }
        break;
    }
    case POVI_FORM_PER_UNIT: {
        double per = it->pu_per, pp = it->pu_points, cap = it->pu_cap;
        for (size_t j = 0; j < m; j++) {
            double p = vals[j] / per * pp; /* NaN stays NaN; the documented order of operations */
            pts[j] = p > cap ? cap : p < -cap ? -cap : p;
        }
        break;
    }
    case POVI_FORM_BOOLEAN:
        for (size_t j = 0; j < m; j++) {
            double v = vals[j];
            pts[j] = v != v ? NAN : v != 0 ? it->b_true : it->b_false;
        }
        break;
    case POVI_FORM_EXPR:
        for (size_t j = 0; j < m; j++) {
            double v = vals[j];
            pts[j] = v > it->e_max ? it->e_max : v < it->e_min ? it->e_min : v;
        }
        break;
    }
}

/* The input values of item @p it for households [b0, b1): a pointer into the
 * data column when the input is a numeric column, else @p buf filled. */
POVI_SIMD_CLONES
static const double *item_inputs(const povi_item *it, const povi_colview *v, size_t b0,
                                 size_t b1, double *buf) {
    if (!it->expr && b1 + BLOCK <= v->n_households) {
        /* the next block of this column: with one stream per item, more
         * streams than the hardware prefetcher follows */
        const char *next = it->in_type == POVI_T_CATEGORY
                               ? (const char *)(v->cat[it->indicator] + b1)
                               : (const char *)(v->num[it->indicator] + b1);
        size_t bytes = BLOCK * (it->in_type == POVI_T_CATEGORY ? sizeof(int32_t) : sizeof(double));
        for (size_t o = 0; o < bytes; o += 64)
            __builtin_prefetch(next + o);
    }
    if (it->expr) {
        povi_condition_eval_batch(it->expr, v, b0, b1, buf, NULL);
        return buf;
    }
    if (it->in_type == POVI_T_CATEGORY) {
        const int32_t *col = v->cat[it->indicator];
        for (size_t i = b0; i < b1; i++)
            buf[i - b0] = col[i] < 0 ? NAN : (double)col[i];
        return buf;
    }
    return v->num[it->indicator] + b0;
}

/* ---- table forms ---------------------------------------------------------------
 *
 * Bands, maps and booleans give one of a few point values. Their kernel
 * computes a code per household (band index, category code, 0/1; or
 * POVI_UNSCORED) and the points are a look-up tab[code]. The codes are also
 * what the item detail stores (one byte per household and item). */

/* Fills tab[256] with the points of each code (NaN: unscorable); returns 0 if
 * the item is not of a table form or has too many entries for a byte code. */
static int item_table(const povi_item *it, double *tab) {
    for (size_t c = 0; c < 256; c++)
        tab[c] = NAN;
    switch (it->form) {
    case POVI_FORM_BANDS:
        if (it->bands.n >= POVI_UNSCORED)
            return 0;
        for (size_t b = 0; b < it->bands.n; b++)
            tab[b] = it->bands.value[b];
        return 1;
    case POVI_FORM_MAP:
        if (it->n_codes >= POVI_UNSCORED)
            return 0;
        for (size_t c = 0; c < it->n_codes; c++)
            tab[c] = it->map[c] == it->map[c] ? it->map[c] : it->dflt;
        return 1;
    case POVI_FORM_BOOLEAN:
        tab[0] = it->b_false;
        tab[1] = it->b_true;
        return 1;
    default:
        return 0;
    }
}

/* Codes of the @p m values in @p vals for table-form item @p it. */
static void block_codes(const povi_item *it, const double *tab, const double *vals, size_t m,
                        uint8_t *codes) {
    switch (it->form) {
    case POVI_FORM_BANDS: {
        const double *mn = it->bands.min, *mx = it->bands.max;
        size_t nb = it->bands.n;
        if (nb > 16) { /* long tables: binary search */
            for (size_t j = 0; j < m; j++) {
                ptrdiff_t b = povi_bands_find(&it->bands, vals[j]);
                codes[j] = b < 0 ? POVI_UNSCORED : (uint8_t)b;
            }
            break;
        }
        /* the band is the last one whose min <= v (mins ascend: validation
         * rejects overlaps and gaps), counted without branches; NaN counts 0 */
        for (size_t j = 0; j < m; j++) {
            double x = vals[j];
            size_t c = 0;
            for (size_t t = 0; t < nb; t++)
                c += mn[t] <= x;
            size_t b = c ? c - 1 : 0;
            codes[j] = (c && x < mx[b]) ? (uint8_t)b : POVI_UNSCORED;
        }
        break;
    }
    case POVI_FORM_MAP: {
        double nc = (double)it->n_codes;
        for (size_t j = 0; j < m; j++) {
            double x = vals[j];
            size_t c = (x >= 0 && x < nc) ? (size_t)x : POVI_UNSCORED;
            codes[j] = tab[c] == tab[c] ? (uint8_t)c : POVI_UNSCORED;
        }
        break;
    }
    default: /* POVI_FORM_BOOLEAN */
        for (size_t j = 0; j < m; j++) {
            double x = vals[j];
            codes[j] = x != x ? POVI_UNSCORED : x != 0 ? 1 : 0;
        }
        break;
    }
}

/* ---- totals-only kernels ----------------------------------------------------------
 *
 * When only totals are wanted, the points of each item for a block come from
 * a branch-free kernel per form: booleans and short band tables add into the
 * category sums directly (item_add_fused()); the other forms write pts[j]
 * with block_points(), NaN when the value cannot be scored (missing, outside
 * every band, unmapped code), and the caller scans for NaN once per item. Per-household
 * bookkeeping runs only when some value was unscorable. Each kernel gives
 * exactly the points item_points() gives (the same comparisons). */

/* The two commonest forms, booleans and short band tables, add their points
 * into the category sums in one pass with explicit two-lane vectors (GCC and
 * Clang vector extensions: SSE2 on x86-64, generic code elsewhere), the
 * unscorable values getting the fallback @p fb and setting a flag that the
 * caller turns into bookkeeping. Same comparisons as item_points(). */
typedef double povi_v2d __attribute__((vector_size(16)));
typedef long long povi_v2i __attribute__((vector_size(16)));

static inline povi_v2d v2_load(const double *p) {
    povi_v2d v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void v2_store(double *p, povi_v2d v) { memcpy(p, &v, sizeof v); }
/* lanes of a where mask is set, else lanes of b */
static inline povi_v2d v2_sel(povi_v2i mask, povi_v2d a, povi_v2d b) {
    return (povi_v2d)((mask & (povi_v2i)a) | (~mask & (povi_v2i)b));
}

/* Returns 1 when the item has a fused kernel (and ran it), else 0. *bad is
 * set when some value could not be scored. */
POVI_SIMD_CLONES
static int item_add_fused(const povi_item *it, const double *restrict vals, size_t m, double fb,
                          double *restrict acc, int *bad) {
    povi_v2i anybad = {0, 0};
    povi_v2d fbv = {fb, fb};
    size_t j = 0;
    int tail_bad = 0;
    if (it->form == POVI_FORM_BOOLEAN) {
        double bt = it->b_true, bf = it->b_false;
        povi_v2d btv = {bt, bt}, bfv = {bf, bf}, zero = {0, 0};
        for (; j + 2 <= m; j += 2) {
            povi_v2d x = v2_load(vals + j);
            povi_v2i nan = x != x;
            povi_v2d p = v2_sel(nan, fbv, v2_sel(x != zero, btv, bfv));
            v2_store(acc + j, v2_load(acc + j) + p);
            anybad |= nan;
        }
        for (; j < m; j++) {
            double x = vals[j];
            int b = x != x;
            acc[j] += b ? fb : x != 0 ? bt : bf;
            tail_bad |= b;
        }
    } else if (it->form == POVI_FORM_BANDS && it->bands.n <= 16) {
        /* bands are contiguous (validation rejects gaps and overlaps), so a
         * value in [min of the first, max of the last) lies in the last band
         * whose min is <= the value: one select per band */
        const double *mn = it->bands.min, *val = it->bands.value;
        size_t nb = it->bands.n;
        double lo = mn[0], hi = it->bands.max[nb - 1];
        povi_v2d lov = {lo, lo}, hiv = {hi, hi}, v0 = {val[0], val[0]};
        for (; j + 2 <= m; j += 2) {
            povi_v2d x = v2_load(vals + j), p = v0;
            for (size_t t = 1; t < nb; t++) {
                povi_v2d mt = {mn[t], mn[t]}, vt = {val[t], val[t]};
                p = v2_sel(x >= mt, vt, p);
            }
            povi_v2i in = (x >= lov) & (x < hiv); /* false for NaN */
            v2_store(acc + j, v2_load(acc + j) + v2_sel(in, p, fbv));
            anybad |= ~in;
        }
        for (; j < m; j++) {
            double x = vals[j], p = val[0];
            for (size_t t = 1; t < nb; t++)
                p = x >= mn[t] ? val[t] : p;
            int in = (x >= lo) & (x < hi);
            acc[j] += in ? p : fb;
            tail_bad |= !in;
        }
    } else {
        return 0;
    }
    *bad = tail_bad || anybad[0] || anybad[1];
    return 1;
}

/* Whether any of the @p m values is NaN (or infinite: the caller re-checks
 * each value, so a false alarm costs time, never a wrong result). */
POVI_SIMD_CLONES
static int any_nan(const double *p, size_t m) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t j = 0;
    for (; j + 4 <= m; j += 4) {
        s0 += p[j] - p[j];
        s1 += p[j + 1] - p[j + 1];
        s2 += p[j + 2] - p[j + 2];
        s3 += p[j + 3] - p[j + 3];
    }
    for (; j < m; j++)
        s0 += p[j] - p[j];
    double s = s0 + s1 + s2 + s3;
    return s != s;
}

/* ---- compact item detail -------------------------------------------------------- */

double povi_result_item_value(const pov_score_result *res, size_t k, size_t i) {
    if (res->item_vsmall[k]) {
        int16_t x = ((const int16_t *)res->item_vcol[k])[i];
        return x < 0 ? NAN : (double)x;
    }
    return ((const double *)res->item_vcol[k])[i];
}

double povi_result_item_points(const pov_score_result *res, size_t k, size_t i) {
    if (!res->item_psmall[k])
        return ((const double *)res->item_pcol[k])[i];
    const povi_item *it = &res->sc->items[k];
    uint8_t c = ((const uint8_t *)res->item_pcol[k])[i];
    if (c == POVI_UNSCORED)
        return it->has_missing ? it->missing_points : 0;
    switch (it->form) {
    case POVI_FORM_BANDS:
        return it->bands.value[c];
    case POVI_FORM_MAP:
        return it->map[c] == it->map[c] ? it->map[c] : it->dflt;
    default:
        return c ? it->b_true : it->b_false;
    }
}

/* Lays out the detail columns of @p res: compact columns where the item
 * allows (see scoring_internal.h), in one allocation. */
static void detail_alloc(pov_score_result *res, const uint8_t *has_tab) {
    const pov_scorecard *sc = res->sc;
    size_t K = res->n_items, n = res->n, n1 = n ? n : 1;
    res->item_vcol = g_new0(void *, K ? K : 1);
    res->item_pcol = g_new0(void *, K ? K : 1);
    res->item_vsmall = g_new0(uint8_t, K ? K : 1);
    res->item_psmall = g_new0(uint8_t, K ? K : 1);
    res->item_flag = povi_big_alloc(n1 * (K ? K : 1));
    size_t bytes = 0;
    for (size_t k = 0; k < K; k++) {
        const povi_item *it = &sc->items[k];
        int small = !it->expr &&
                    (it->in_type == POVI_T_BOOLEAN ||
                     (it->in_type == POVI_T_CATEGORY && it->in_cat_ind >= 0 &&
                      pov_schema_code_count(sc->schema, (size_t)it->in_cat_ind) <= INT16_MAX));
        res->item_vsmall[k] = (uint8_t)small;
        res->item_psmall[k] = has_tab[k];
        size_t vb = (small ? sizeof(int16_t) : sizeof(double)) * n1;
        size_t pb = (has_tab[k] ? sizeof(uint8_t) : sizeof(double)) * n1;
        bytes += ((vb + 7) & ~(size_t)7) + ((pb + 7) & ~(size_t)7);
    }
    res->detail_mem = povi_big_alloc(bytes);
    size_t at = 0;
    for (size_t k = 0; k < K; k++) {
        size_t vb = (res->item_vsmall[k] ? sizeof(int16_t) : sizeof(double)) * n1;
        size_t pb = (res->item_psmall[k] ? sizeof(uint8_t) : sizeof(double)) * n1;
        res->item_vcol[k] = res->detail_mem + at;
        at += (vb + 7) & ~(size_t)7;
        res->item_pcol[k] = res->detail_mem + at;
        at += (pb + 7) & ~(size_t)7;
    }
}

/* Names the first missing input of item @p it for household @p i. */
static const char *missing_input(const pov_scorecard *sc, const povi_item *it,
                                 const povi_colview *v, size_t i) {
    if (!it->expr)
        return pov_schema_id(sc->schema, (size_t)it->indicator);
    size_t n;
    const int32_t *in = povi_condition_inputs(it->expr, &n);
    for (size_t k = 0; k < n; k++) {
        const povi_indicator *pi = povi_schema_get(sc->schema, (size_t)in[k]);
        size_t r0 = i, r1 = i + 1;
        if (pi->level == POV_LEVEL_MEMBER) {
            r0 = v->member_offsets[i];
            r1 = v->member_offsets[i + 1];
        }
        for (size_t r = r0; r < r1; r++) {
            int miss = (pi->type == POV_TYPE_CATEGORY || pi->type == POV_TYPE_TEXT)
                           ? v->cat[in[k]][r] < 0
                           : isnan(v->num[in[k]][r]);
            if (miss)
                return pi->id;
        }
    }
    return n ? pov_schema_id(sc->schema, (size_t)in[0]) : it->id;
}

/* ---- ordering ---------------------------------------------------------------- */

typedef struct sort_ctx {
    const int32_t *unit;
    const double *score, *pcni;
    const char *const *ids;
} sort_ctx;

static gint order_cmp(gconstpointer pa, gconstpointer pb, gpointer data) {
    const sort_ctx *c = data;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (c->unit && c->unit[a] != c->unit[b])
        return c->unit[a] < c->unit[b] ? -1 : 1;
    double sa = c->score[a], sb = c->score[b];
    if (sa != sb)
        return sa < sb ? -1 : 1;
    double ia = c->pcni[a], ib = c->pcni[b];
    int na = ia != ia, nb = ib != ib;
    if (na != nb)
        return na ? 1 : -1; /* missing income sorts last */
    if (!na && ia != ib)
        return ia < ib ? -1 : 1;
    int s = strcmp(c->ids[a], c->ids[b]);
    if (s)
        return s;
    return a < b ? -1 : a > b;
}

void povi_score_sort(size_t *order, size_t n, const int32_t *unit, const double *score,
                     const double *pcni, const char *const *ids) {
    sort_ctx c = {unit, score, pcni, ids};
    g_qsort_with_data(order, (gint)n, sizeof *order, order_cmp, &c);
}

/* ---- unit codes ---------------------------------------------------------------- */

static int cmp_cstr(gconstpointer a, gconstpointer b, gpointer unused) {
    (void)unused;
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Interns the unit code of every household (text column @p col) and
 * numbers the distinct codes in byte order. */
static void build_units(pov_score_result *res, int level, const povi_colview *v,
                        const int32_t *col) {
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    const char **codes = g_new(const char *, res->n ? res->n : 1);
    res->unit[level] = povi_big_alloc((res->n ? res->n : 1) * sizeof(int32_t));
    /* string-pool index -> unit: hash each distinct pool entry once, not
     * every household */
    int32_t *by_pool = g_new(int32_t, v->n_strings + 1);
    for (size_t k = 0; k <= v->n_strings; k++)
        by_pool[k] = -1;
    size_t nu = 0;
    for (size_t i = 0; i < res->n; i++) {
        int32_t s = col ? col[i] : -1;
        size_t slot = (s >= 0 && (size_t)s < v->n_strings) ? (size_t)s : v->n_strings;
        if (by_pool[slot] < 0) {
            const char *code = slot < v->n_strings ? v->strings[slot] : "";
            gpointer val;
            if (!g_hash_table_lookup_extended(seen, code, NULL, &val)) {
                const char *own = g_string_chunk_insert_const(res->strings, code);
                codes[nu] = own;
                val = GSIZE_TO_POINTER(nu);
                g_hash_table_insert(seen, (gpointer)own, val);
                nu++;
            }
            by_pool[slot] = (int32_t)GPOINTER_TO_SIZE(val);
        }
        res->unit[level][i] = by_pool[slot];
    }
    g_free(by_pool);
    g_hash_table_destroy(seen);
    /* renumber in byte order of the codes */
    const char **sorted = g_new(const char *, nu ? nu : 1);
    memcpy(sorted, codes, nu * sizeof *codes);
    g_qsort_with_data(sorted, (gint)nu, sizeof *sorted, cmp_cstr, NULL);
    int32_t *remap = g_new(int32_t, nu ? nu : 1);
    for (size_t u = 0; u < nu; u++) {
        /* binary search the sorted position of codes[u] */
        size_t lo = 0, hi = nu;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(sorted[mid], codes[u]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        remap[u] = (int32_t)lo;
    }
    for (size_t i = 0; i < res->n; i++)
        res->unit[level][i] = remap[res->unit[level][i]];
    g_free(remap);
    g_free(codes);
    res->unit_codes[level] = sorted;
    res->n_units[level] = nu;
}

/* Ranks within units are computed on first use (an O(n log n) sort per level
 * that callers who only want totals or identification do not pay for). The
 * result is one-thread-at-a-time, so the lazy cache needs no lock. */
static void compute_ranks(pov_score_result *res, int l) {
    size_t *order = g_new(size_t, res->n ? res->n : 1);
    res->rank[l] = g_new(uint32_t, res->n ? res->n : 1);
    res->rank_n[l] = g_new(uint32_t, res->n ? res->n : 1);
    for (size_t i = 0; i < res->n; i++)
        order[i] = i;
    povi_score_sort(order, res->n, res->unit[l], res->total, res->pcni, res->ids);
    size_t start = 0;
    while (start < res->n) {
        size_t end = start;
        int32_t u = res->unit[l][order[start]];
        while (end < res->n && res->unit[l][order[end]] == u)
            end++;
        for (size_t r = start; r < end; r++) {
            res->rank[l][order[r]] = (uint32_t)(r - start + 1);
            res->rank_n[l][order[r]] = (uint32_t)(end - start);
        }
        start = end;
    }
    g_free(order);
}

const uint32_t *povi_rank(const pov_score_result *res, int level) {
    if (!res->rank[level])
        compute_ranks((pov_score_result *)res, level);
    return res->rank[level];
}

const uint32_t *povi_rank_n(const pov_score_result *res, int level) {
    if (!res->rank_n[level])
        compute_ranks((pov_score_result *)res, level);
    return res->rank_n[level];
}

/* The first strict-mode failure: household i, item k (lowest i, then k). */
typedef struct strict_err {
    size_t i, k;
    uint8_t flag;
    double v;
} strict_err;

/* Notes that item @p it (index @p k) could not score value @p x of household
 * @p i: counts it, records the first strict-mode failure, and returns the
 * item flag (why: missing, declared `missing` points, outside the bands). */
static uint8_t note_unscored(pov_score_result *res, const povi_item *it, size_t k, double x,
                             size_t i, int strict, strict_err *e) {
    uint8_t flag;
    item_points(it, x, &flag);
    res->missing[i]++;
    if (it->has_missing) {
        if (flag == POVI_FLAG_MISSING)
            flag = POVI_FLAG_DECLARED;
    } else if (strict && (i < e->i || (i == e->i && k < e->k))) {
        e->i = i;
        e->k = k;
        e->flag = flag;
        e->v = x;
    }
    return flag;
}

/* ---- scoring ------------------------------------------------------------------ */

/* Stores the capped subtotals catsum[c * BLOCK + j] of households
 * [b0, b0 + m) (see pov_score_result.catf): as floats while each one
 * converts exactly; the first that does not moves every subtotal stored so
 * far (exact, so unchanged) and the rest to doubles. */
POVI_SIMD_CLONES
static void store_subtotals(pov_score_result *res, const double *catsum, size_t b0, size_t m) {
    size_t n = res->n, C = res->n_cats;
    if (res->catf) {
        int exact = 1;
        for (size_t c = 0; c < C; c++) {
            const double *a = catsum + c * BLOCK;
            float *d = res->catf + c * n + b0;
            for (size_t j = 0; j < m; j++) {
                float f = (float)a[j];
                exact &= (double)f == a[j];
                d[j] = f;
            }
        }
        if (exact)
            return;
        res->cat = povi_big_alloc((n ? n : 1) * (C ? C : 1) * sizeof(double));
        for (size_t c = 0; c < C; c++)
            for (size_t i = 0; i < b0; i++)
                res->cat[c * n + i] = (double)res->catf[c * n + i];
        povi_big_free(res->catf);
        res->catf = NULL;
    }
    for (size_t c = 0; c < C; c++)
        memcpy(res->cat + c * n + b0, catsum + c * BLOCK, m * sizeof(double));
}

POVI_SIMD_CLONES
static int score_view(const pov_scorecard *sc, const povi_colview *base,
                      const pov_score_options *opts, pov_score_result **out) {
    pov_score_options def;
    if (!opts) {
        pov_score_options_init(&def);
        opts = &def;
    }
    if (opts->size < sizeof(size_t) + 2 * sizeof(int))
        return povi_error(POV_EINVAL, "opts->size is too small: call pov_score_options_init()");
    if (opts->mode != POV_SCORE_STRICT && opts->mode != POV_SCORE_LENIENT)
        return povi_error(POV_EINVAL, "unknown score mode %d", opts->mode);
    if (opts->detail != POV_SCORE_DETAIL_ITEMS && opts->detail != POV_SCORE_DETAIL_TOTALS)
        return povi_error(POV_EINVAL, "unknown detail level %d", opts->detail);
    adapted A;
    int r = adapt(sc, base, &A);
    if (r)
        return r;
    const povi_colview *v = &A.v;
    size_t n = v->n_households, K = sc->n_items, C = sc->n_cats, V = sc->n_vetoes;
    size_t n1 = n ? n : 1;
    pov_score_result *res = g_new0(pov_score_result, 1);
    res->sc = povi_scorecard_ref((pov_scorecard *)sc);
    res->n = n;
    res->n_items = K;
    res->n_cats = C;
    res->n_vetoes = V;
    res->detail = opts->detail;
    res->mode = opts->mode;
    res->strings = g_string_chunk_new(4096);
    /* arrays of n: on huge pages where the system allows (fewer page faults) */
    res->total = povi_big_alloc(n1 * sizeof(double));
    res->adjusted = povi_big_alloc(n1 * sizeof(double));
    res->catf = povi_big_alloc(n1 * (C ? C : 1) * sizeof(float));
    res->missing = povi_big_alloc0(n1 * sizeof(uint32_t));
    res->veto = povi_big_alloc0(n1 * (V ? V : 1));
    res->veto_hits = povi_big_alloc0(n1 * sizeof(uint32_t));
    res->adjustments = g_array_new(FALSE, FALSE, sizeof(povi_adjustment));
    /* points tables of the table-form items (one look-up per household) */
    double *tabs = g_new(double, 256 * (K ? K : 1));
    uint8_t *has_tab = g_new0(uint8_t, K ? K : 1);
    for (size_t k = 0; k < K; k++)
        has_tab[k] = (uint8_t)item_table(&sc->items[k], tabs + 256 * k);
    if (opts->detail == POV_SCORE_DETAIL_ITEMS)
        detail_alloc(res, has_tab);

    double vbuf[BLOCK], pts[BLOCK];
    uint8_t codes[BLOCK], bad[BLOCK], states[BLOCK];
    double *catsum = g_new(double, BLOCK * (C ? C : 1));
    strict_err err = {SIZE_MAX, 0, 0, NAN};
    int strict = opts->mode == POV_SCORE_STRICT;
    for (size_t b0 = 0; b0 < n && err.i == SIZE_MAX; b0 += BLOCK) {
        size_t b1 = b0 + BLOCK < n ? b0 + BLOCK : n, m = b1 - b0;
        memset(catsum, 0, C * BLOCK * sizeof *catsum);
        /* item outer, household inner: each pass reads one input column and
         * adds into the category sums of the block */
        for (size_t k = 0; k < K; k++) {
            const povi_item *it = &sc->items[k];
            double *acc = catsum + it->category * BLOCK; /* category-major: contiguous in j */
            const double *vals = item_inputs(it, v, b0, b1, vbuf);
            /* points into pts and the category sums; unscorable values
             * (missing, outside the bands) get the item's fallback points
             * (`missing` when declared, else 0) and are noted */
            double fb = it->has_missing ? it->missing_points : 0;
            uint8_t *fl = res->item_flag ? res->item_flag + k * n + b0 : NULL;
            if (!fl) { /* totals only: vectorised kernel, bookkeeping when needed */
                int bad_any;
                if (item_add_fused(it, vals, m, fb, acc, &bad_any)) {
                    for (size_t j = 0; bad_any && j < m; j++) {
                        uint8_t flag;
                        double p = item_points(it, vals[j], &flag);
                        if (p != p)
                            note_unscored(res, it, k, vals[j], b0 + j, strict, &err);
                    }
                    continue;
                }
                block_points(it, vals, m, pts);
                if (any_nan(pts, m))
                    for (size_t j = 0; j < m; j++)
                        if (pts[j] != pts[j]) {
                            note_unscored(res, it, k, vals[j], b0 + j, strict, &err);
                            pts[j] = fb;
                        }
                for (size_t j = 0; j < m; j++)
                    acc[j] += pts[j];
                continue;
            }
            uint8_t any = 0;
            if (has_tab[k]) {
                const double *tab = tabs + 256 * k;
                block_codes(it, tab, vals, m, codes);
                for (size_t j = 0; j < m; j++) {
                    uint8_t cd = codes[j], b = cd == POVI_UNSCORED;
                    double p = b ? fb : tab[cd];
                    bad[j] = b;
                    any |= b;
                    pts[j] = p;
                    acc[j] += p;
                }
            } else {
                block_points(it, vals, m, pts);
                for (size_t j = 0; j < m; j++) {
                    double p = pts[j];
                    uint8_t b = p != p;
                    p = b ? fb : p;
                    bad[j] = b;
                    any |= b;
                    pts[j] = p;
                    acc[j] += p;
                }
            }
            memset(fl, POVI_FLAG_OK, m);
            for (size_t j = 0; any && j < m; j++)
                if (bad[j])
                    fl[j] = note_unscored(res, it, k, vals[j], b0 + j, strict, &err);
            if (res->item_psmall[k])
                memcpy((uint8_t *)res->item_pcol[k] + b0, codes, m);
            else
                memcpy((double *)res->item_pcol[k] + b0, pts, m * sizeof *pts);
            if (res->item_vsmall[k]) {
                int16_t *vs = (int16_t *)res->item_vcol[k] + b0;
                for (size_t j = 0; j < m; j++)
                    vs[j] = vals[j] != vals[j] ? -1 : (int16_t)vals[j];
            } else {
                memcpy((double *)res->item_vcol[k] + b0, vals, m * sizeof *vals);
            }
        }
        /* caps, then the total of the capped subtotals in category order */
        double *tot = res->total + b0;
        for (size_t j = 0; j < m; j++)
            tot[j] = 0;
        for (size_t c = 0; c < C; c++) {
            double cap = sc->cats[c].cap, *acc = catsum + c * BLOCK;
            for (size_t j = 0; j < m; j++) {
                double sv = acc[j] > cap ? cap : acc[j];
                acc[j] = sv;
                tot[j] += sv;
            }
        }
        /* subtotals are stored category-major: one contiguous copy each */
        store_subtotals(res, catsum, b0, m);
        memcpy(res->adjusted + b0, res->total + b0, m * sizeof *res->total);
        for (size_t w = 0; w < V; w++) {
            povi_condition_eval_batch(sc->vetoes[w].when, v, b0, b1, vbuf, states);
            for (size_t j = 0; j < m; j++) {
                uint8_t s = states[j] == POV_COND_TRUE ? 1 : states[j] == POV_COND_MISSING ? 2 : 0;
                res->veto[(b0 + j) * V + w] = s;
                res->veto_hits[b0 + j] += s == 1;
            }
        }
    }
    g_free(tabs);
    g_free(has_tab);
    g_free(catsum);
    if (err.i != SIZE_MAX) {
        size_t err_i = err.i;
        const povi_item *it = &sc->items[err.k];
        const char *ind = missing_input(sc, it, v, err_i);
        int32_t sid = v->ids ? v->ids[err_i] : -1;
        const char *hid = (sid >= 0 && (size_t)sid < v->n_strings) ? v->strings[sid] : "";
        char path[256];
        snprintf(path, sizeof path, "[%zu].%s", err_i, ind);
        povi_loc loc = {NULL, 0, 0, SIZE_MAX, path};
        if (err.flag == POVI_FLAG_OUTSIDE)
            r = povi_error_at(POV_ERANGE, &loc,
                              "household \"%s\" (row %zu): value %g of item \"%s\" is outside "
                              "every band (strict mode)",
                              hid, err_i, err.v, it->id);
        else
            r = povi_error_at(POV_EMISSING, &loc,
                              "household \"%s\" (row %zu): item \"%s\" needs indicator \"%s\", "
                              "which is missing (strict mode)",
                              hid, err_i, it->id, ind);
        adapted_clear(&A);
        pov_score_result_free(res);
        return r;
    }

    /* identity, people, income, units, ranks */
    res->ids = povi_big_alloc(n1 * sizeof(const char *));
    res->people = povi_big_alloc(n1 * sizeof(double));
    res->pcni = povi_big_alloc(n1 * sizeof(double));
    const double *size = v->num[POVI_HOUSEHOLD_SIZE];
    const double *pc = v->num[POVI_PER_CAPITA_NET_INCOME];
    /* the ids are copied into one block: lengths first, then the text */
    size_t id_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t sid = v->ids ? v->ids[i] : -1;
        res->ids[i] = (sid >= 0 && (size_t)sid < v->n_strings) ? v->strings[sid] : "";
        id_bytes += strlen(res->ids[i]) + 1;
    }
    res->id_text = povi_big_alloc(id_bytes ? id_bytes : 1);
    char *idp = res->id_text;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(res->ids[i]) + 1;
        memcpy(idp, res->ids[i], len);
        res->ids[i] = idp;
        idp += len;
    }
    for (size_t i = 0; i < n; i++) {
        double s = size ? size[i] : NAN;
        res->people[i] = s == s ? s : (double)(v->member_offsets[i + 1] - v->member_offsets[i]);
        res->pcni[i] = pc ? pc[i] : NAN;
    }
    build_units(res, POV_UNIT_VILLAGE, v, v->cat[POVI_VILLAGE_CODE]);
    build_units(res, POV_UNIT_COUNTY, v, v->cat[POVI_COUNTY_CODE]);
    adapted_clear(&A);
    *out = res;
    return 0;
}

int pov_scorecard_score(const pov_scorecard *sc, const pov_dataset *ds,
                        const pov_score_options *opts, pov_score_result **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!sc || !ds)
        return povi_error(POV_EINVAL, "%s is NULL", sc ? "ds" : "sc");
    povi_colview v;
    povi_dataset_colview(ds, &v);
    return score_view(sc, &v, opts, out);
}

int pov_scorecard_score_household(const pov_scorecard *sc, const pov_household *h,
                                  const pov_score_options *opts, pov_score_result **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!sc || !h)
        return povi_error(POV_EINVAL, "%s is NULL", sc ? "h" : "sc");
    povi_colview v;
    povi_household_colview(h, &v);
    return score_view(sc, &v, opts, out);
}

/* ---- accessors ------------------------------------------------------------------ */

size_t pov_score_result_count(const pov_score_result *res) { return res ? res->n : 0; }

const char *pov_score_result_household_id(const pov_score_result *res, size_t i) {
    return res && i < res->n ? res->ids[i] : NULL;
}
const double *pov_score_result_totals(const pov_score_result *res) {
    return res ? res->total : NULL;
}
const double *pov_score_result_adjusted(const pov_score_result *res) {
    return res ? res->adjusted : NULL;
}
double pov_score_result_category(const pov_score_result *res, size_t i, size_t c) {
    return res && i < res->n && c < res->n_cats ? povi_result_cat(res, i, c) : NAN;
}
double pov_score_result_item_points(const pov_score_result *res, size_t i, size_t k) {
    return res && res->item_pcol && i < res->n && k < res->n_items
               ? povi_result_item_points(res, k, i)
               : NAN;
}
double pov_score_result_item_value(const pov_score_result *res, size_t i, size_t k) {
    return res && res->item_vcol && i < res->n && k < res->n_items
               ? povi_result_item_value(res, k, i)
               : NAN;
}
int pov_score_result_item_missing(const pov_score_result *res, size_t i, size_t k) {
    if (!res || i >= res->n || k >= res->n_items)
        return povi_error(POV_EINVAL, "household or item index out of range");
    if (!res->item_flag)
        return povi_error(POV_ESTATE, "the result was scored without item detail");
    return res->item_flag[k * res->n + i] != POVI_FLAG_OK;
}
size_t pov_score_result_missing_count(const pov_score_result *res, size_t i) {
    return res && i < res->n ? res->missing[i] : 0;
}
size_t pov_score_result_veto_count(const pov_score_result *res, size_t i) {
    return res && i < res->n ? res->veto_hits[i] : 0;
}
int pov_score_result_veto_hit(const pov_score_result *res, size_t i, size_t v) {
    if (!res || i >= res->n || v >= res->n_vetoes)
        return povi_error(POV_EINVAL, "household or veto index out of range");
    return res->veto[i * res->n_vetoes + v];
}

int pov_score_result_rank(const pov_score_result *res, size_t i, int level, size_t *rank_out,
                          size_t *n_out, double *percentile_out) {
    if (!res || i >= res->n)
        return povi_error(POV_EINVAL, "household index out of range");
    if (level != POV_UNIT_VILLAGE && level != POV_UNIT_COUNTY)
        return povi_error(POV_EINVAL, "unknown unit level %d", level);
    if (rank_out)
        *rank_out = povi_rank(res, level)[i];
    if (n_out)
        *n_out = povi_rank_n(res, level)[i];
    if (percentile_out)
        *percentile_out = 100.0 * povi_rank(res, level)[i] / povi_rank_n(res, level)[i];
    return 0;
}

/* ---- deliberation --------------------------------------------------------------- */

int pov_score_result_adjust(pov_score_result *res, size_t i, double points, const char *reason,
                            const char *who, const char *when) {
    if (!res || i >= res->n)
        return povi_error(POV_EINVAL, "household index out of range");
    if (!isfinite(points))
        return povi_error(POV_ENONFINITE, "adjustment points must be finite");
    if (points == 0)
        return povi_error(POV_EINVAL, "an adjustment of 0 points records nothing");
    if (!reason || !*reason || !who || !*who || !when || !*when)
        return povi_error(POV_EINVAL, "an adjustment needs a reason, who made it and when");
    double sum = points;
    for (guint a = 0; a < res->adjustments->len; a++) {
        const povi_adjustment *adj = &g_array_index(res->adjustments, povi_adjustment, a);
        if (adj->household == i)
            sum += adj->points;
    }
    double lim = res->sc->max_adjustment;
    if (sum > lim + 1e-9 || sum < -lim - 1e-9)
        return povi_error(POV_ERANGE,
                          "household \"%s\": adjustments would total %+g points, beyond the "
                          "scorecard's limit of ±%g",
                          res->ids[i], sum, lim);
    povi_adjustment adj = {i, points, g_strdup(reason), g_strdup(who), g_strdup(when)};
    g_array_append_val(res->adjustments, adj);
    res->adjusted[i] = res->total[i] + sum;
    return 0;
}

size_t pov_score_result_adjustment_count(const pov_score_result *res, size_t i) {
    size_t c = 0;
    if (!res || i >= res->n)
        return 0;
    for (guint a = 0; a < res->adjustments->len; a++)
        c += g_array_index(res->adjustments, povi_adjustment, a).household == i;
    return c;
}

/* ---- likelihood ------------------------------------------------------------------ */

double pov_score_result_likelihood(const pov_score_result *res, size_t i) {
    if (!res || i >= res->n || res->sc->likelihood.n == 0)
        return NAN;
    ptrdiff_t b = povi_bands_find(&res->sc->likelihood, res->total[i]);
    return b < 0 ? NAN : res->sc->likelihood.value[b];
}

int pov_score_result_poverty_rate(const pov_score_result *res, double *out) {
    if (!res || !out)
        return povi_error(POV_EINVAL, "%s is NULL", res ? "out" : "res");
    if (res->sc->likelihood.n == 0)
        return povi_error(POV_ESTATE, "scorecard \"%s\" has no likelihood table", res->sc->id);
    if (res->n == 0)
        return povi_error(POV_EEMPTY, "no households were scored");
    /* the mean of the households' likelihoods — never the likelihood of the
     * mean score (Schreiner's PPI method; see docs/scorecard-format.md) */
    double s = 0;
    for (size_t i = 0; i < res->n; i++) {
        double p = pov_score_result_likelihood(res, i);
        if (p != p)
            return povi_error(POV_ERANGE, "household \"%s\": score %g is outside the likelihood table",
                              res->ids[i], res->total[i]);
        s += p;
    }
    size_t used = res->n;
    *out = s / (double)used;
    return 0;
}
