/*
 * povmetrics — indicator schema: what can be recorded about a household and
 * its members, with labels, units, valid ranges and category codes.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_SCHEMA_H
#define POVMETRICS_SCHEMA_H

#include "povmetrics/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An indicator schema (opaque, immutable once built).
 *
 * A schema is an ordered list of indicators. Every schema starts with the
 * indicators of the core schema (pov_schema_core()) in the same order and at
 * the same indices; a schema loaded from a `povmetrics.schema/1` document
 * appends its own indicators after them. Schemas are immutable and may be
 * shared between threads without locking. They are reference counted
 * internally: households and datasets keep the schema they were created with
 * alive, so the caller may pov_schema_free() its own reference at any time.
 * @since 0.1.0
 */
typedef struct pov_schema pov_schema;

/**
 * Level of an indicator: recorded once per household or once per member.
 * @since 0.1.0
 */
typedef enum pov_level {
    POV_LEVEL_HOUSEHOLD = 0, /**< one value per household */
    POV_LEVEL_MEMBER = 1     /**< one value per household member */
} pov_level;

/**
 * Value type of an indicator.
 *
 * Storage: number, integer and boolean values are `double` (NaN = missing;
 * integers are exact, booleans 0 or 1); category values are `int32_t` code
 * indices (-1 = missing); text values are `int32_t` indices into the string
 * pool of their dataset (-1 = missing).
 * @since 0.1.0
 */
typedef enum pov_type {
    POV_TYPE_NUMBER = 0,   /**< finite real number */
    POV_TYPE_INTEGER = 1,  /**< whole number, |v| <= 2^53 */
    POV_TYPE_BOOLEAN = 2,  /**< true/false, stored as 1.0/0.0 */
    POV_TYPE_CATEGORY = 3, /**< one code of a fixed list */
    POV_TYPE_TEXT = 4      /**< free UTF-8 text */
} pov_type;

/**
 * The built-in core schema (documented in docs/indicators.md).
 *
 * Never NULL. It has static lifetime, is built once in a thread-safe way on
 * first use, and pov_schema_free() on it is a no-op.
 * @since 0.1.0
 */
POV_API const pov_schema *pov_schema_core(void);

/**
 * Loads a `"format": "povmetrics.schema/1"` document that extends the core
 * schema with new indicators.
 *
 * Errors: POV_EIO (cannot read), POV_ESYNTAX (malformed JSON, with line and
 * column), POV_ETRUNCATED (text ends early), POV_ELIMIT (nesting too deep),
 * POV_EFORMAT (missing or other format tag), POV_EUNKNOWN (unknown field),
 * POV_EDUPLICATE (an id that the core or the document already defines),
 * POV_ETYPE / POV_EMISSING / POV_ERANGE / POV_EINVAL for bad fields; each with
 * the JSON path (e.g. `indicators[2].codes[0].code`) and line/column.
 * @param path file name (UTF-8)
 * @param out receives the new schema; free with pov_schema_free()
 * @since 0.1.0
 */
POV_API int pov_schema_load_file(const char *path, pov_schema **out);

/**
 * Same as pov_schema_load_file() from text in memory.
 * @param json the document (need not be NUL-terminated)
 * @param len its length in bytes
 * @param source_name name used in error reports (NULL gives "<string>")
 * @param out receives the new schema; free with pov_schema_free()
 * @since 0.1.0
 */
POV_API int pov_schema_load_string(const char *json, size_t len, const char *source_name,
                                   pov_schema **out);

/**
 * Releases the caller's reference to a schema. NULL and the core schema are
 * no-ops. Households and datasets built on the schema keep it alive.
 * @since 0.1.0
 */
POV_API void pov_schema_free(const pov_schema *schema);

/** Name of the schema ("core" for the core schema), owned by the schema. @since 0.1.0 */
POV_API const char *pov_schema_name(const pov_schema *schema);

/** Number of indicators (core + extension). @since 0.1.0 */
POV_API size_t pov_schema_count(const pov_schema *schema);

/**
 * Number of core indicators at the start of every schema (the indices
 * 0 .. pov_schema_core_count()-1 mean the same in every schema).
 * @since 0.1.0
 */
POV_API size_t pov_schema_core_count(void);

/**
 * Looks up an indicator by id.
 * @param out receives its index (may be NULL to test existence)
 * @return 0, or POV_ENOTFOUND (error names the id), POV_EINVAL for NULL args
 * @since 0.1.0
 */
POV_API int pov_schema_find(const pov_schema *schema, const char *id, size_t *out);

/**
 * @defgroup schema_props Indicator properties by index
 * String results are owned by the schema (they live as long as it) and are
 * never NULL for a valid index ("" when not given); for an index out of range
 * the string functions return NULL and the int functions POV_EINVAL.
 * @{
 */
/** Indicator id (snake_case ASCII). @since 0.1.0 */
POV_API const char *pov_schema_id(const pov_schema *schema, size_t index);
/** Chinese label. @since 0.1.0 */
POV_API const char *pov_schema_label_zh(const pov_schema *schema, size_t index);
/** English label. @since 0.1.0 */
POV_API const char *pov_schema_label_en(const pov_schema *schema, size_t index);
/** Unit ("yuan/year", "m2", "mu", ...; "" when dimensionless). @since 0.1.0 */
POV_API const char *pov_schema_unit(const pov_schema *schema, size_t index);
/** Description, including how missing values are treated. @since 0.1.0 */
POV_API const char *pov_schema_description(const pov_schema *schema, size_t index);
/** Source of the definition ("[C] ..." confirmed, "[U] ..." illustrative). @since 0.1.0 */
POV_API const char *pov_schema_source(const pov_schema *schema, size_t index);
/** Level (a pov_level value) or POV_EINVAL. @since 0.1.0 */
POV_API int pov_schema_level(const pov_schema *schema, size_t index);
/** Type (a pov_type value) or POV_EINVAL. @since 0.1.0 */
POV_API int pov_schema_type(const pov_schema *schema, size_t index);
/** 1 if a value must be present (checked on append and when reading), 0 if not, or POV_EINVAL. @since 0.1.0 */
POV_API int pov_schema_required(const pov_schema *schema, size_t index);
/** 1 if the library computes the value (read-only to set), 0 if not, or POV_EINVAL. @since 0.1.0 */
POV_API int pov_schema_derived(const pov_schema *schema, size_t index);
/**
 * Valid range (inclusive) of a number or integer indicator; -INFINITY /
 * +INFINITY for an open side; both infinite for other types.
 * @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_schema_range(const pov_schema *schema, size_t index, double *min_out,
                             double *max_out);
/** Number of category codes (0 for non-category indicators or a bad index). @since 0.1.0 */
POV_API size_t pov_schema_code_count(const pov_schema *schema, size_t index);
/** Code @p code of a category indicator (ASCII id), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_schema_code(const pov_schema *schema, size_t index, size_t code);
/** Chinese label of a code, NULL when out of range. @since 0.1.0 */
POV_API const char *pov_schema_code_label_zh(const pov_schema *schema, size_t index, size_t code);
/** English label of a code, NULL when out of range. @since 0.1.0 */
POV_API const char *pov_schema_code_label_en(const pov_schema *schema, size_t index, size_t code);
/**
 * Finds the index of @p code in a category indicator.
 * @return 0, POV_ECODE (unknown code), POV_ETYPE (not a category), POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_schema_find_code(const pov_schema *schema, size_t index, const char *code,
                                 size_t *out);
/** @} */

/**
 * Writes the schema (all indicators, core included) as a JSON document
 * in the `povmetrics.schema/1` shape, with `"derived"`/`"core"` flags.
 * @param out receives a NUL-terminated UTF-8 string; free with pov_free()
 * @since 0.1.0
 */
POV_API int pov_schema_to_json(const pov_schema *schema, char **out);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_SCHEMA_H */
