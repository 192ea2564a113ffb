/*
 * povmetrics — one household: indicator values, members, income history,
 * programme enrolments, JSON in and out.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_HOUSEHOLD_H
#define POVMETRICS_HOUSEHOLD_H

#include "povmetrics/common.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A household (opaque). Internally a one-row dataset, so the single-household
 * path and the batch path are the same code. Not thread-safe: use one
 * household from one thread at a time.
 * @since 0.1.0
 */
typedef struct pov_household pov_household;

/**
 * Components of income and the rules for the derived indicators.
 *
 * Initialise with pov_derive_options_init() (the national definition), then
 * change fields. Starts with `size` so that fields can be appended later.
 * Do not build the options by zeroing the struct and setting `size`: a zero
 * `history_indicators` means "off", so such options silently switch the
 * history-based indicators off.
 * @since 0.1.0
 */
typedef struct pov_derive_options {
    size_t size;               /**< sizeof(pov_derive_options) */
    unsigned income_components; /**< POV_INCOME_* flags of the components that count */
    unsigned income_exclusions; /**< POV_INCOME_EXCL_* flags of transfer items subtracted */
    int subtract_production_costs; /**< 1: subtract production_costs (national rule) */
    int labour_age_min;        /**< youngest working age, inclusive (16) */
    int labour_age_max;        /**< oldest working age, inclusive (64) */
    int school_age_min;        /**< compulsory-education age, inclusive (6) */
    int school_age_max;        /**< compulsory-education age, inclusive (15) */
    /**
     * Nonzero (the default): when the schema declares `income_last_year`
     * (household level, number) or `assistance_measures` (household level,
     * integer) and a household's value is missing, derive it from the
     * household's income history (the entry of `year` − 1) or programme
     * records (those of `year` or earlier); a value the caller gave is never
     * replaced (docs/data-model.md, "History-based indicators"). 0: leave
     * them as given, and remove values derived before. Appended after the
     * fields above: a `size` that ends before this field reads it as 1 (a
     * caller built against the older header keeps the default), whereas
     * options zeroed by hand with `size = sizeof(pov_derive_options)` read
     * it as 0; use pov_derive_options_init().
     */
    int history_indicators;
} pov_derive_options;

/** @name Income components (pov_derive_options.income_components) @{ */
#define POV_INCOME_WAGE 0x01u      /**< income_wage (工资性收入) */
#define POV_INCOME_OPERATING 0x02u /**< income_operating (生产经营性收入) */
#define POV_INCOME_PROPERTY 0x04u  /**< income_property (财产性收入) */
#define POV_INCOME_TRANSFER 0x08u  /**< income_transfer (转移性收入) */
#define POV_INCOME_OTHER 0x10u     /**< income_other (其他收入) */
#define POV_INCOME_ALL 0x1Fu       /**< all five components */
/** @} */
/** @name Transfer items excluded from net income (income_exclusions) @{ */
#define POV_INCOME_EXCL_BASIC_PENSION 0x01u /**< transfer_basic_pension (基础养老金) */
#define POV_INCOME_EXCL_DIBAO_C 0x02u       /**< transfer_dibao_c (C类低保金) */
#define POV_INCOME_EXCL_TEMP_RELIEF 0x04u   /**< transfer_temporary_relief (临时救助) */
#define POV_INCOME_EXCL_ALL 0x07u           /**< all three */
/** @} */

/**
 * Fills @p opts with the national definition: all five income components,
 * minus production costs, minus the three excluded transfer items
 * (domain.md §3 item 9); working ages 16–64; compulsory-education ages 6–15;
 * history-based indicators on.
 * @since 0.1.0
 */
POV_API void pov_derive_options_init(pov_derive_options *opts);

/** @name JSON output flags (pov_household_to_json) @{ */
/** also write derived indicators (ignored when read back) and the values the library
 * filled into the history-based indicators `income_last_year` / `assistance_measures`
 * (read back, these count as given) */
#define POV_JSON_DERIVED 0x01u
#define POV_JSON_PRETTY 0x02u  /**< indented, multi-line output (default: one line) */
/** @} */

/** Default nesting limit for household JSON (objects/arrays deep). @since 0.1.0 */
#define POV_JSON_MAX_DEPTH 64

/**
 * Creates an empty household: no id, no members, every value missing.
 * @param schema the schema (kept alive by the household)
 * @param out receives the household; free with pov_household_free()
 * @since 0.1.0
 */
POV_API int pov_household_new(const pov_schema *schema, pov_household **out);

/** Frees a household. NULL is a no-op. @since 0.1.0 */
POV_API void pov_household_free(pov_household *h);

/** Returns a deep copy (unknown JSON fields included). @since 0.1.0 */
POV_API int pov_household_copy(const pov_household *h, pov_household **out);

/** The schema of @p h (owned by the household). @since 0.1.0 */
POV_API const pov_schema *pov_household_schema(const pov_household *h);

/**
 * Sets the household id (non-empty UTF-8 text; required, unique within a
 * dataset). @return 0, POV_EINVAL (NULL/empty/invalid UTF-8)
 * @since 0.1.0
 */
POV_API int pov_household_set_id(pov_household *h, const char *id);

/** The id, or NULL when not set. Owned by @p h, valid until it changes. @since 0.1.0 */
POV_API const char *pov_household_id(const pov_household *h);

/*
 * Household-level values by indicator id.
 *
 * Setters validate: POV_ENOTFOUND (no such indicator), POV_EINVAL (member
 * indicator used at household level, derived indicator, NULL), POV_ETYPE
 * (wrong type, e.g. set_number on a category, non-integral integer),
 * POV_ENONFINITE (NaN/Inf), POV_ERANGE (outside the valid range), POV_ECODE
 * (unknown code). The error path is the indicator id. A rejected value leaves
 * the old one in place. Derived indicators are recomputed after every set.
 *
 * Getters return 1 when a value is present, 0 when it is missing (output set
 * to NaN / NULL), or a negative error code.
 */

/** Sets a number or integer indicator. @since 0.1.0 */
POV_API int pov_household_set_number(pov_household *h, const char *id, double value);
/** Sets a boolean indicator (any non-zero is true). @since 0.1.0 */
POV_API int pov_household_set_boolean(pov_household *h, const char *id, int value);
/** Sets a category indicator by code (e.g. "brick_wood"). @since 0.1.0 */
POV_API int pov_household_set_category(pov_household *h, const char *id, const char *code);
/** Sets a text indicator (UTF-8, copied). @since 0.1.0 */
POV_API int pov_household_set_text(pov_household *h, const char *id, const char *text);
/** Marks an indicator of any non-derived type as missing. @since 0.1.0 */
POV_API int pov_household_set_missing(pov_household *h, const char *id);
/**
 * Gets a number, integer, boolean (as 0/1) or derived indicator.
 * @return 1 present, 0 missing (*out = NaN), negative error
 * @since 0.1.0
 */
POV_API int pov_household_get_number(const pov_household *h, const char *id, double *out);
/** Gets a boolean. @return 1 present (*out 0/1), 0 missing, negative error @since 0.1.0 */
POV_API int pov_household_get_boolean(const pov_household *h, const char *id, int *out);
/**
 * Gets a category code (owned by the schema).
 * @return 1 present, 0 missing (*out = NULL), negative error
 * @since 0.1.0
 */
POV_API int pov_household_get_category(const pov_household *h, const char *id,
                                       const char **out);
/**
 * Gets a text value (owned by @p h, valid until @p h is modified or freed).
 * @return 1 present, 0 missing (*out = NULL), negative error
 * @since 0.1.0
 */
POV_API int pov_household_get_text(const pov_household *h, const char *id, const char **out);

/* ---- members ------------------------------------------------------------ */

/** Number of members. @since 0.1.0 */
POV_API size_t pov_household_member_count(const pov_household *h);
/**
 * Appends a member with every value missing.
 * @param out receives the new member's index (may be NULL)
 * @since 0.1.0
 */
POV_API int pov_household_member_add(pov_household *h, size_t *out);
/** Removes member @p member (later members move down by one). @since 0.1.0 */
POV_API int pov_household_member_remove(pov_household *h, size_t member);
/*
 * Member-level values: as the household-level functions, for member index
 * @p member (POV_ENOTFOUND when out of range). Error paths look like
 * `members[2].age`.
 */
/** @since 0.1.0 */
POV_API int pov_household_member_set_number(pov_household *h, size_t member, const char *id,
                                            double value);
/** @since 0.1.0 */
POV_API int pov_household_member_set_boolean(pov_household *h, size_t member, const char *id,
                                             int value);
/** @since 0.1.0 */
POV_API int pov_household_member_set_category(pov_household *h, size_t member, const char *id,
                                              const char *code);
/** @since 0.1.0 */
POV_API int pov_household_member_set_text(pov_household *h, size_t member, const char *id,
                                          const char *text);
/** @since 0.1.0 */
POV_API int pov_household_member_set_missing(pov_household *h, size_t member, const char *id);
/** @since 0.1.0 */
POV_API int pov_household_member_get_number(const pov_household *h, size_t member,
                                            const char *id, double *out);
/** @since 0.1.0 */
POV_API int pov_household_member_get_boolean(const pov_household *h, size_t member,
                                             const char *id, int *out);
/** @since 0.1.0 */
POV_API int pov_household_member_get_category(const pov_household *h, size_t member,
                                              const char *id, const char **out);
/** @since 0.1.0 */
POV_API int pov_household_member_get_text(const pov_household *h, size_t member,
                                          const char *id, const char **out);

/* ---- income history ----------------------------------------------------- */

/**
 * Records the per-capita net income of a past year (yuan/person/year). Like a
 * setter, this marks the derived values for recomputing: a history-based
 * `income_last_year` (pov_derive_options.history_indicators) read afterwards
 * takes the new entry into account.
 * @return 0, POV_EDUPLICATE (year already recorded, path `income_history.<year>`),
 *         POV_ERANGE (year outside 1949..2100), POV_ENONFINITE (NaN/Inf)
 * @since 0.1.0
 */
POV_API int pov_household_history_add(pov_household *h, int year, double income);
/** Number of recorded years. @since 0.1.0 */
POV_API size_t pov_household_history_count(const pov_household *h);
/**
 * Entry @p k of the history in increasing year order.
 * @return 0 or POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_household_history_get(const pov_household *h, size_t k, int *year_out,
                                      double *income_out);
/**
 * Income of @p year. @return 1 recorded, 0 not recorded (*out = NaN), negative error
 * @since 0.1.0
 */
POV_API int pov_household_history_find(const pov_household *h, int year, double *out);
/**
 * Number of years missing between the first and last recorded year (gaps are
 * allowed; this reports them). 0 for fewer than two entries.
 * @since 0.1.0
 */
POV_API size_t pov_household_history_gaps(const pov_household *h);

/* ---- programme enrolments ----------------------------------------------- */

/**
 * Records that the household is enrolled in programme @p program_id (ASCII id,
 * as in programme rule files) in @p year. Like a setter, this marks the
 * derived values for recomputing: a history-based `assistance_measures`
 * (pov_derive_options.history_indicators) read afterwards counts the record.
 * @return 0, POV_EINVAL (bad id), POV_ERANGE (year), POV_EDUPLICATE (same
 *         programme and year recorded twice)
 * @since 0.1.0
 */
POV_API int pov_household_program_add(pov_household *h, const char *program_id, int year);
/** Number of enrolments. @since 0.1.0 */
POV_API size_t pov_household_program_count(const pov_household *h);
/**
 * Enrolment @p k in insertion order; the id is owned by @p h.
 * @return 0 or POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_household_program_get(const pov_household *h, size_t k, const char **id_out,
                                      int *year_out);

/* ---- derived values and validation -------------------------------------- */

/**
 * Recomputes the derived indicators with @p opts (NULL: the options the
 * household already uses, initially the national definition) and keeps the
 * options for later recomputations. This includes the history-based
 * indicators (pov_derive_options.history_indicators): a missing
 * `income_last_year` / `assistance_measures` that the schema declares is
 * filled from the income history / programme records; a given value is kept.
 * Only `opts->size` bytes of @p opts are read; fields after them take their
 * defaults.
 * @return 0, POV_EINVAL (bad options: size, ages out of order)
 * @since 0.1.0
 */
POV_API int pov_household_derive(pov_household *h, const pov_derive_options *opts);

/**
 * Checks that the id and every required indicator are present.
 * @return 0, POV_EMISSING (path names the field, e.g. `id` or `members[1].age`)
 * @since 0.1.0
 */
POV_API int pov_household_validate(const pov_household *h);

/* ---- JSON --------------------------------------------------------------- */

/**
 * Reads one household from a JSON object (shape: docs/data-model.md).
 *
 * Fields the schema does not know, at household and member level, are kept
 * verbatim and written back by pov_household_to_json(). Derived indicators in
 * the input are recomputed (their input value is ignored), except
 * `household_size`, which a household without member records may declare
 * (integer >= 1) and which must equal the member count otherwise.
 * Errors carry the source name, line, column, byte offset and field path
 * (e.g. `members[3].age`): POV_ESYNTAX, POV_ETRUNCATED, POV_ELIMIT (nesting
 * deeper than POV_JSON_MAX_DEPTH), POV_ETYPE, POV_ENONFINITE, POV_ERANGE,
 * POV_ECODE, POV_EMISSING, POV_EDUPLICATE, POV_EUNKNOWN (unknown field inside
 * `programs` entries).
 * @param text JSON text (need not be NUL-terminated)
 * @param len its length in bytes
 * @param source_name name for error reports (NULL: "<string>")
 * @param out receives the household; free with pov_household_free()
 * @since 0.1.0
 */
POV_API int pov_household_from_json(const pov_schema *schema, const char *text, size_t len,
                                    const char *source_name, pov_household **out);

/**
 * Writes the household as a JSON object: id, indicators in schema order
 * (missing values omitted), members, income_history, programs, then the
 * unknown fields in their input order. Reading the output back and writing it
 * again gives identical text. Without POV_JSON_DERIVED, values the library
 * filled into `income_last_year` / `assistance_measures` are left out like
 * derived ones (reading the output back fills them again); a value the caller
 * gave is always written.
 * @param flags POV_JSON_* flags
 * @param out receives a NUL-terminated UTF-8 string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_household_to_json(const pov_household *h, unsigned flags, char **out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_HOUSEHOLD_H */
