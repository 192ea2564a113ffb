/*
 * povmetrics — compiled scorecards and score results (internal, not API).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_SCORING_INTERNAL_H
#define POVI_SCORING_INTERNAL_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "../rules/condition_internal.h"
#include "../data/data_internal.h"
#include "povmetrics/scorecard.h"

typedef enum povi_form {
    POVI_FORM_BANDS = 0,
    POVI_FORM_MAP = 1,
    POVI_FORM_PER_UNIT = 2,
    POVI_FORM_BOOLEAN = 3,
    POVI_FORM_EXPR = 4
} povi_form;

/* Numeric bands [min, max): min may be -INFINITY (first), max +INFINITY (last). */
typedef struct povi_bands {
    double *min, *max, *value; /* value = points (items) or probability (likelihood) */
    size_t n;
} povi_bands;

typedef struct povi_item {
    char *id, *label_zh, *label_en;
    size_t category;
    int32_t indicator;     /* input indicator (index in sc->schema), or -1 for expr */
    pov_condition *expr;   /* input expression, or NULL */
    int in_type;           /* povi_ctype of the input */
    int32_t in_cat_ind;    /* category indicator whose codes the input indexes, or -1 */
    povi_form form;
    povi_bands bands;
    double *map;           /* [n_codes] points, NaN = unmapped (use dflt) */
    size_t n_codes;
    int has_default;
    double dflt;
    double pu_points, pu_per, pu_cap;
    double b_true, b_false;
    double e_min, e_max;
    int has_missing;       /* item declares `missing` points */
    double missing_points;
    double max_points;
} povi_item;

typedef struct povi_category {
    char *id, *label_zh, *label_en;
    int step;              /* 0 look, 1 count, 2 compare, 3 other */
    double cap;            /* +INFINITY when none */
    size_t first_item, n_items;
} povi_category;

typedef struct povi_veto {
    char *id, *label_zh, *label_en, *reason;
    int illustrative;
    pov_condition *when;
} povi_veto;

typedef enum povi_rule_kind { POVI_RULE_CUTOFF = 0, POVI_RULE_QUOTA = 1 } povi_rule_kind;
typedef enum povi_quota_by { POVI_BY_HOUSEHOLDS = 0, POVI_BY_PEOPLE = 1, POVI_BY_SHARE = 2 } povi_quota_by;

struct pov_scorecard {
    gint refs;
    char *id, *version, *title_en, *title_zh, *region;
    const pov_schema *schema; /* owned reference */
    povi_category *cats;
    size_t n_cats;
    povi_item *items;
    size_t n_items;
    povi_veto *vetoes;
    size_t n_vetoes;
    double max_adjustment;
    povi_rule_kind rule;
    double cutoff;
    int quota_level;          /* pov_unit_level */
    povi_quota_by quota_by;
    double quota_share;
    char **quota_units;       /* sorted unit codes */
    double *quota_values;
    size_t n_quota;
    double review_margin;
    povi_bands likelihood;    /* n = 0 when none */
    double max_total;
};

typedef struct povi_adjustment {
    size_t household;
    double points;
    char *reason, *who, *when;
} povi_adjustment;

struct pov_score_result {
    pov_scorecard *sc;        /* reference */
    size_t n, n_items, n_cats, n_vetoes;
    int detail, mode;
    GStringChunk *strings;    /* unit codes */
    const char **ids;         /* household ids ("" when none), into id_text */
    char *id_text;            /* the ids, one after the other */
    int32_t *unit[2];         /* [POV_UNIT_VILLAGE/COUNTY][household]: index into unit_codes */
    const char **unit_codes[2]; /* sorted codes ("" for households without one) */
    size_t n_units[2];
    double *people;           /* household_size (or member count when missing) */
    double *pcni;             /* per-capita net income (NaN missing) */
    double *total, *adjusted;
    /* category subtotals, category-major: see povi_result_cat(). Stored as
     * float while every subtotal so far is a float exactly (card points are
     * mostly multiples of 0.5: half the memory), else as double; exactly one
     * of the two is set. */
    float *catf;
    double *cat;
    /* Item detail (only with POV_SCORE_DETAIL_ITEMS), one column of n per item,
     * stored compactly (see povi_result_item_value/_points):
     * values: double, or int16 code / 0-1 (-1 = missing) for category and
     * boolean indicator inputs; points: double, or a uint8 index into the
     * item's points table (bands, map, boolean; POVI_UNSCORED = unscorable). */
    void **item_vcol, **item_pcol;  /* [n_items] */
    uint8_t *item_vsmall, *item_psmall; /* [n_items]: 1 = compact column */
    unsigned char *detail_mem;      /* one allocation holding every column */
    uint8_t *item_flag;       /* n_items × n, item-major [k * n + i] (detail): POVI_FLAG_* */
    uint32_t *missing;        /* n */
    uint8_t *veto;            /* n × n_vetoes: 0 no, 1 hit, 2 unchecked */
    uint32_t *veto_hits;      /* n */
    uint32_t *rank[2], *rank_n[2]; /* computed on first use: povi_rank() */
    GArray *adjustments;      /* povi_adjustment */
};

enum { POVI_FLAG_OK = 0, POVI_FLAG_MISSING = 1, POVI_FLAG_DECLARED = 2, POVI_FLAG_OUTSIDE = 3 };

enum { POVI_UNSCORED = 255 };

/* Capped subtotal of category @p c for household @p i. Stored category-major
 * (cat[c * n + i]): scoring writes each category's block contiguously. */
static inline double povi_result_cat(const pov_score_result *res, size_t i, size_t c) {
    return res->catf ? (double)res->catf[c * res->n + i] : res->cat[c * res->n + i];
}

/* Input value / points of item @p k for household @p i (detail results only). */
double povi_result_item_value(const pov_score_result *res, size_t k, size_t i);
double povi_result_item_points(const pov_score_result *res, size_t k, size_t i);

/* Rank of every household within its unit at @p level, and the unit sizes. */
const uint32_t *povi_rank(const pov_score_result *res, int level);
const uint32_t *povi_rank_n(const pov_score_result *res, int level);

/* Sorts @p order (n indices) by (unit, score, pcni with NaN last, id). */
void povi_score_sort(size_t *order, size_t n, const int32_t *unit, const double *score,
                     const double *pcni, const char *const *ids);

struct pov_identification {
    size_t n;
    int32_t *status;
    uint8_t *review;
    size_t n_units;
    char **unit_codes;        /* owned */
    pov_unit_counts *units;
};

pov_scorecard *povi_scorecard_ref(pov_scorecard *sc);

/* Band index containing @p v, or -1. */
ptrdiff_t povi_bands_find(const povi_bands *b, double v);


#endif /* POVI_SCORING_INTERNAL_H */
