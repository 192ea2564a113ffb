/*
 * Private layout of pov_dataset / pov_household, shared by the files of
 * lib/data only. Other modules use data_internal.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_DATASET_PRIV_H
#define POV_DATASET_PRIV_H

#include "data_internal.h"

struct pov_dataset {
    const pov_schema *schema; /* reference held */
    size_t ni;                /* number of indicators */
    size_t n, cap;            /* households */
    size_t m, mcap;           /* member rows */
    double **num;             /* [ni] column or NULL */
    int32_t **cat;            /* [ni] column or NULL */
    int32_t *ids;             /* [cap] pool index of the id, -1 none */
    int32_t *extra;           /* [cap] pool index of unknown fields ("k":v,...), -1 none */
    double *dsize;            /* [cap] declared household size, NaN none */
    size_t *moff;             /* [cap + 1] member offsets */
    int32_t *mextra;          /* [mcap] unknown member fields, -1 none */
    /* income history */
    size_t *hoff;             /* [cap + 1] */
    int32_t *hyear;
    double *hval;
    size_t nh, hcap;
    /* programme enrolments */
    size_t *poff;             /* [cap + 1] */
    int32_t *pid;
    int32_t *pyear;
    size_t np, pcap;
    /* string pool */
    GPtrArray *strs;          /* char * in chunk */
    GStringChunk *chunk;
    GHashTable *intern;       /* interned string -> index + 1 */
    int32_t *last_text;       /* [ni] append cache: pool index of the last text value */
    GHashTable *by_id;        /* id (pool string) -> row + 1 (not for households) */
    pov_derive_options opts;
    /* indicator indices by level and storage, precomputed so that the
     * per-row loops make no schema calls */
    size_t *hnum, *hcat, *htext, *mnum, *mcat, *mtext, *req;
    size_t n_hnum, n_hcat, n_htext, n_mnum, n_mcat, n_mtext, n_req;
    char *slab, *slab_end;    /* one block holding every initial array (see povi_ds_create) */
    /* history-based indicators (derive.c): schema index of income_last_year /
     * assistance_measures when the schema declares them with the expected
     * level and type (else SIZE_MAX), and per household row [cap] the value
     * derive.c stored there (NaN: none, the column holds the caller's value
     * or is missing); NULL when the indicator is not declared */
    size_t hi_income, hi_measures;
    double *hi_income_fill, *hi_measures_fill;
};

struct pov_household {
    pov_dataset *ds;          /* exactly one household row */
    uint32_t *seen;           /* [ni] duplicate-key detection while reading JSON */
    uint32_t stamp;
    GString *scratch;         /* unknown-field text while reading JSON */
    int dirty;                /* derived values need recomputing (see sync()) */
};

/* dataset.c */
/* chunk: block size of the string pool (small for households) */
int povi_ds_create(const pov_schema *schema, size_t chunk, pov_dataset **out);
void povi_ds_add_empty_row(pov_dataset *ds);
void povi_ds_reset(pov_dataset *ds);
void povi_ds_reserve_members(pov_dataset *ds, size_t extra);
void povi_ds_reserve_history(pov_dataset *ds, size_t extra);
void povi_ds_reserve_programs(pov_dataset *ds, size_t extra);
int32_t povi_pool_intern(pov_dataset *ds, const char *s, size_t len);
int32_t povi_pool_add(pov_dataset *ds, const char *s, size_t len);
const char *povi_pool_get(const pov_dataset *ds, int32_t k);
/* Copies household @p row of @p src into the last (empty) row of @p dst. */
void povi_ds_fill_last_row(pov_dataset *dst, const pov_dataset *src, size_t row);

/* derive.c */
void povi_derive_row(pov_dataset *ds, size_t row);
int povi_check_options(const pov_derive_options *opts);
/* Copies checked options, reading only opts->size bytes (fields after them
 * get their defaults); dst->size becomes sizeof(pov_derive_options). */
void povi_copy_options(pov_derive_options *dst, const pov_derive_options *src);
/* Schema indices of the history-based indicators (SIZE_MAX: not declared
 * with the level and type derive.c fills). */
void povi_derive_resolve(const pov_schema *schema, size_t *income_last_year,
                         size_t *measures);

#endif /* POV_DATASET_PRIV_H */
