/*
 * povmetrics — internal interface of the data model (schema, household,
 * dataset) for the readers/writers (lib/io), the condition language and the
 * engines. Not installed, not API. Declarations here are kept stable; changes
 * are source-compatible additions.
 *
 * Who uses what:
 *   - readers (JSON array, JSONL, CSV): povi_json_parse(), povi_json_src +
 *     povi_household_fill_from_cjson(), povi_household_reset(),
 *     povi_household_set_from_string(), povi_household_add_extra(),
 *     pov_dataset_append() (cheap: no allocation per household once the
 *     columns have grown; about 3,800 instructions per household).
 *   - writers: povi_dataset_row_to_json() (JSONL), povi_colview + the
 *     schema accessors (CSV).
 *   - condition compiler/evaluator: povi_schema_get(), povi_schema_lookup(),
 *     povi_schema_code_lookup(), povi_dataset_colview(),
 *     povi_household_colview().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_DATA_INTERNAL_H
#define POV_DATA_INTERNAL_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"
#include "povmetrics/dataset.h"
#include "povmetrics/household.h"
#include "povmetrics/schema.h"

/* ======================================================================== */
/* Schema internals                                                          */
/* ======================================================================== */

typedef struct povi_code {
    const char *code;     /* ASCII id: [A-Za-z0-9_]+ */
    const char *label_zh;
    const char *label_en;
} povi_code;

/* One indicator. Immutable once the schema is built; strings owned by the
 * schema. */
typedef struct povi_indicator {
    const char *id;          /* snake_case ASCII: [a-z][a-z0-9_]* */
    const char *label_zh;
    const char *label_en;
    const char *unit;        /* "" when dimensionless */
    const char *description;
    const char *source;      /* "[C] ..." or "[U] ..." */
    pov_level level;
    pov_type type;
    double min, max;         /* inclusive; -INFINITY/+INFINITY when open */
    const povi_code *codes;  /* category codes (n_codes of them), else NULL */
    size_t n_codes;
    int required;            /* 1: must be present */
    int derived;             /* 1: computed by the library (derive.c) */
    int core;                /* 1: part of the core schema */
} povi_indicator;

/* Indicator @p index (must be < pov_schema_count()); never NULL then. */
const povi_indicator *povi_schema_get(const pov_schema *schema, size_t index);

/* Looks up an id of @p len bytes (need not be NUL-terminated).
 * Returns 1 and sets *out when found, 0 otherwise. Never sets an error. */
int povi_schema_lookup(const pov_schema *schema, const char *id, size_t len, size_t *out);

/* Code index of @p code (len bytes) in category indicator @p index, or -1.
 * Never sets an error. Linear in the number of codes (lists are short). */
int32_t povi_schema_code_lookup(const pov_schema *schema, size_t index, const char *code,
                                size_t len);

/* Reference counting (atomic; no-ops for the static core schema). */
const pov_schema *povi_schema_ref(const pov_schema *schema);
void povi_schema_unref(const pov_schema *schema);

/* Checks an indicator id / code: 1 if valid. */
int povi_valid_id(const char *s);   /* [a-z][a-z0-9_]*, <= 64 bytes */
int povi_valid_code(const char *s); /* [A-Za-z0-9_]+, <= 64 bytes */

/* Indices of the core indicators: identical in every schema (extension
 * indicators come after POVI_CORE_COUNT). Checked against the ids by
 * tests/datamodel/test_schema.c. */
enum povi_core_index {
    /* household level: region and registry */
    POVI_PROVINCE_CODE, POVI_CITY_CODE, POVI_COUNTY_CODE, POVI_TOWNSHIP_CODE,
    POVI_VILLAGE_CODE, POVI_YEAR, POVI_REGISTRY_STATUS, POVI_HOUSEHOLD_TYPE,
    POVI_POVERTY_STANDARD,
    /* derived (household level) */
    POVI_HOUSEHOLD_SIZE, POVI_LABOUR_COUNT, POVI_DEPENDENCY_RATIO, POVI_NET_INCOME,
    POVI_PER_CAPITA_NET_INCOME, POVI_SCHOOL_AGE_OUT_OF_SCHOOL, POVI_UNINSURED_MEMBERS,
    POVI_FLOOR_AREA_PER_CAPITA,
    /* income (yuan/year) */
    POVI_INCOME_WAGE, POVI_INCOME_OPERATING, POVI_INCOME_PROPERTY, POVI_INCOME_TRANSFER,
    POVI_INCOME_OTHER, POVI_TRANSFER_BASIC_PENSION, POVI_TRANSFER_DIBAO_C,
    POVI_TRANSFER_TEMPORARY_RELIEF, POVI_PRODUCTION_COSTS,
    /* expenditure and debt */
    POVI_EXP_MEDICAL, POVI_EXP_EDUCATION, POVI_EXP_OTHER_RIGID, POVI_DISASTER_LOSS, POVI_DEBT,
    /* housing */
    POVI_HOUSING_STRUCTURE, POVI_HOUSING_SAFETY, POVI_FLOOR_AREA,
    /* water, power, road, communication */
    POVI_SAFE_WATER, POVI_WATER_LITRES_PER_DAY, POVI_WATER_FETCH_MINUTES,
    POVI_WATER_SUPPLY_PCT, POVI_ELECTRICITY, POVI_ROAD_HARDENED, POVI_TV, POVI_PHONE,
    POVI_BROADBAND,
    /* land, livestock, vehicles, assets */
    POVI_PADDY_MU, POVI_DRY_LAND_MU, POVI_ECONOMIC_FOREST_MU, POVI_FOREST_MU,
    POVI_LARGE_LIVESTOCK, POVI_PIGS, POVI_POULTRY, POVI_LIVESTOCK_VALUE, POVI_CARS,
    POVI_MOTORCYCLES, POVI_FARM_MACHINERY, POVI_TOWN_PROPERTY, POVI_PURCHASED_LAND,
    POVI_OWNS_COMPANY, POVI_DRUGS_GAMBLING,
    /* causes of poverty */
    POVI_CAUSE_MAIN, POVI_CAUSE_OTHER1, POVI_CAUSE_OTHER2,
    /* member level */
    POVI_RELATION, POVI_AGE, POVI_SEX, POVI_HEALTH, POVI_DISABILITY_GRADE,
    POVI_LABOUR_CAPACITY, POVI_SCHOOLING, POVI_MEDICAL_INSURANCE, POVI_PENSION_INSURANCE,
    POVI_MIGRANT_MONTHS, POVI_PUBLIC_FUNDS_PAID,
    POVI_CORE_COUNT
};

/* Code indices used by derive.c (checked by test_schema.c). */
enum { POVI_LABOUR_ORDINARY, POVI_LABOUR_SKILLED, POVI_LABOUR_WEAK, POVI_LABOUR_NONE,
       POVI_LABOUR_LOST };
enum { POVI_SCHOOL_PRESCHOOL, POVI_SCHOOL_PRIMARY, POVI_SCHOOL_JUNIOR_SECONDARY,
       POVI_SCHOOL_SENIOR_SECONDARY, POVI_SCHOOL_SECONDARY_VOCATIONAL, POVI_SCHOOL_TERTIARY,
       POVI_SCHOOL_HOME_TUITION, POVI_SCHOOL_NEVER_ENROLLED, POVI_SCHOOL_DROPPED_OUT,
       POVI_SCHOOL_SUSPENDED, POVI_SCHOOL_GRADUATED, POVI_SCHOOL_NOT_APPLICABLE };

/* ======================================================================== */
/* JSON helpers (lib/data/json_util.c) — for every JSON reader              */
/* ======================================================================== */

/*
 * Parses @p len bytes of JSON text (need not be NUL-terminated) into *out
 * (free with cJSON_Delete). Before parsing, a pre-scan rejects nesting deeper
 * than @p max_depth (0 = POV_JSON_MAX_DEPTH) with POV_ELIMIT at the offending
 * bracket. Syntax errors give POV_ESYNTAX, input that ends inside a value
 * POV_ETRUNCATED; all with source, 1-based line/column and byte offset of the
 * error position. Trailing non-whitespace after the value is POV_ESYNTAX.
 * Empty/whitespace-only text is POV_ETRUNCATED.
 */
int povi_json_parse(const char *text, size_t len, const char *source, int max_depth,
                    cJSON **out);

/*
 * Finds the byte offset (within text) of the value at @p path, e.g.
 * "members[3].age" or "[12].id" ("" = the root value). When the last
 * component is a missing key, returns the offset of the enclosing object.
 * Returns SIZE_MAX when the path cannot be followed. O(len); used only to
 * locate errors, because cJSON keeps no positions.
 */
size_t povi_json_locate(const char *text, size_t len, const char *path);

/* Where a cJSON value came from, for error locations. */
typedef struct povi_json_src {
    const char *source;    /* file name or "<string>" (NULL allowed) */
    const char *text;      /* the text the node was parsed from (NULL: no line/column) */
    size_t len;
    const char *base_path; /* path of the node inside text: "" / NULL for the root,
                              "[12]" for element 12 of a top-level array */
    size_t line_base;      /* lines before text in the file (JSONL: line number - 1) */
    size_t offset_base;    /* bytes before text in the file */
} povi_json_src;

/*
 * Records error @p code at @p rel_path (relative to src->base_path) and
 * returns @p code: the reported path is base_path + rel_path, the position
 * comes from povi_json_locate() in src->text, shifted by line_base and
 * offset_base.
 */
int povi_json_error(int code, const povi_json_src *src, const char *rel_path, const char *fmt,
                    ...) POVI_PRINTF(4, 5);

/* Appends @p s (n bytes) to @p out as a JSON string literal with quotes. */
void povi_json_append_string(GString *out, const char *s, size_t n);
/* Appends a finite double with the shortest text that reads back exactly
 * (integers without a decimal point). */
void povi_json_append_number(GString *out, double v);

/* ======================================================================== */
/* Household internals (lib/data/household.c)                               */
/* ======================================================================== */

/*
 * Clears @p h back to the state of pov_household_new() (no id, no members,
 * all values missing, no history/programs/unknown fields) but keeps its
 * allocated memory, so a reader can refill one household per record without
 * allocating.
 */
void povi_household_reset(pov_household *h);

/*
 * Fills @p h (after povi_household_reset()) from a parsed JSON object,
 * reporting errors through povi_json_error() with @p src. On error @p h is
 * left in an unspecified but valid state (reset it before reuse).
 * pov_household_from_json() = povi_json_parse + this.
 */
int povi_household_fill_from_cjson(pov_household *h, const cJSON *obj, const povi_json_src *src);

/* Same, allocating a new household. */
int povi_household_from_cjson(const pov_schema *schema, const cJSON *obj,
                              const povi_json_src *src, pov_household **out);

/*
 * Sets an indicator from text (CSV cells): @p member = SIZE_MAX for the
 * household level, else the member index. Empty text = missing. Numbers by
 * strtod (whole text must be consumed; "nan"/"inf" -> POV_ENONFINITE, other
 * junk -> POV_ETYPE); booleans "true"/"false"/"1"/"0" (case-insensitive);
 * categories by code; text as is. For household_size, see
 * pov_household_from_json(). The error path is the indicator id (the caller
 * prefixes row/column information); no line/column is set.
 */
int povi_household_set_from_string(pov_household *h, size_t member, size_t indicator,
                                   const char *text, size_t len);

/*
 * Adds an unknown field (kept verbatim): @p key (NUL-terminated) with
 * @p raw_json (a complete JSON value, len bytes, not checked) at household
 * level (member = SIZE_MAX) or for member @p member.
 */
int povi_household_add_extra(pov_household *h, size_t member, const char *key,
                             const char *raw_json, size_t len);

/* The one-row dataset behind a household (derived values brought up to date
 * first). Include this header as "../data/data_internal.h". */
pov_dataset *povi_household_dataset(const pov_household *h);

/* ======================================================================== */
/* Dataset internals (lib/data/dataset.c)                                    */
/* ======================================================================== */

/* Read-only columnar view for engines and the condition evaluator. Pointers
 * stay valid until the dataset/household is modified or freed. */
typedef struct povi_colview {
    const pov_schema *schema;
    size_t n_households, n_members;
    const double *const *num;   /* [indicator] number/integer/boolean column, else NULL;
                                   household- or member-level by the indicator's level */
    const int32_t *const *cat;  /* [indicator] category codes or text string indices, else NULL */
    const size_t *member_offsets;      /* n_households + 1 */
    const char *const *strings;        /* string pool: strings[k] for text index k */
    size_t n_strings;
    const int32_t *ids;                /* [household] string index of the id (-1: none) */
    /* income history: entries of household i are hist_offsets[i] .. [i+1]-1,
     * sorted by year */
    const size_t *hist_offsets;
    const int32_t *hist_year;
    const double *hist_value;
    /* programme enrolments: prog_offsets[i] .. [i+1]-1 in insertion order */
    const size_t *prog_offsets;
    const int32_t *prog_id;            /* string index of the programme id */
    const int32_t *prog_year;
} povi_colview;

void povi_dataset_colview(const pov_dataset *ds, povi_colview *out);
void povi_household_colview(const pov_household *h, povi_colview *out);

/* Appends household @p row of @p ds as one JSON object (no newline) to @p out
 * (flags as pov_household_to_json, POV_JSON_PRETTY ignored). */
int povi_dataset_row_to_json(const pov_dataset *ds, size_t row, unsigned flags, GString *out);

/* Options the dataset derives with. */
const pov_derive_options *povi_dataset_options(const pov_dataset *ds);

/* 1 when household @p row's value of @p indicator was filled in by the
 * library rather than given by the caller, else 0 (also for a missing value,
 * any other indicator, a row out of range). Only the history-based
 * indicators (docs/data-model.md, "History-based indicators") are ever
 * filled; their columns are not marked derived in the schema, so writers ask
 * this to leave such values out unless derived values are requested. O(1). */
int povi_dataset_value_filled(const pov_dataset *ds, size_t row, size_t indicator);

#endif /* POV_DATA_INTERNAL_H */
