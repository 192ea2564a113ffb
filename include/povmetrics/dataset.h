/*
 * povmetrics — datasets: many households stored column-wise.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_DATASET_H
#define POVMETRICS_DATASET_H

#include "povmetrics/common.h"
#include "povmetrics/household.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A dataset (opaque): households stored column-wise, one contiguous array per
 * household-level indicator, members in one child table whose rows for
 * household i are member_offsets[i] .. member_offsets[i+1]-1.
 *
 * Not thread-safe for modification; concurrent reads (getters, columns) from
 * several threads are safe while nobody modifies the dataset.
 * @since 0.1.0
 */
typedef struct pov_dataset pov_dataset;

/**
 * Creates an empty dataset.
 * @param schema the schema (kept alive by the dataset)
 * @param out receives the dataset; free with pov_dataset_free()
 * @since 0.1.0
 */
POV_API int pov_dataset_new(const pov_schema *schema, pov_dataset **out);

/** Frees a dataset. NULL is a no-op. @since 0.1.0 */
POV_API void pov_dataset_free(pov_dataset *ds);

/** The schema (owned by the dataset). @since 0.1.0 */
POV_API const pov_schema *pov_dataset_schema(const pov_dataset *ds);

/**
 * Appends a copy of @p h (amortised O(1) in the number of households).
 *
 * The household must use the same schema object as the dataset. Its id and
 * required indicators must be present. Derived indicators are recomputed with
 * the dataset's options.
 * @return 0, POV_EINVAL (schema differs), POV_EMISSING (id or required value
 *         missing; path names it), POV_EDUPLICATE (id already in the dataset,
 *         path `id`, message names the id); on error the dataset is unchanged
 * @since 0.1.0
 */
POV_API int pov_dataset_append(pov_dataset *ds, const pov_household *h);

/** Number of households. @since 0.1.0 */
POV_API size_t pov_dataset_count(const pov_dataset *ds);

/** Total number of members over all households. @since 0.1.0 */
POV_API size_t pov_dataset_member_count(const pov_dataset *ds);

/**
 * Returns a new household holding a copy of household @p index (a copy, not
 * a view: changing it does not change the dataset).
 * @param out receives the household; free with pov_household_free()
 * @return 0 or POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_dataset_household(const pov_dataset *ds, size_t index, pov_household **out);

/**
 * Finds a household by id (hash lookup).
 * @return 0 or POV_ENOTFOUND
 * @since 0.1.0
 */
POV_API int pov_dataset_find(const pov_dataset *ds, const char *id, size_t *out);

/** Id of household @p index (owned by the dataset, valid until it is freed), NULL when out of range. @since 0.1.0 */
POV_API const char *pov_dataset_id(const pov_dataset *ds, size_t index);

/*
 * Columns. A column pointer stays valid until the next modification of the
 * dataset (append, derive) or its release. Household-level columns have
 * pov_dataset_count() entries, member-level columns pov_dataset_member_count()
 * entries. Empty datasets may return NULL for a valid column; check the count.
 */

/**
 * Column of a number, integer or boolean indicator (NaN = missing).
 * @return NULL for an index out of range or another type (error set)
 * @since 0.1.0
 */
POV_API const double *pov_dataset_column_number(const pov_dataset *ds, size_t indicator);

/**
 * Column of a category indicator: code indices into pov_schema_code(), -1 =
 * missing. For a text indicator: string indices for pov_dataset_string(), -1 =
 * missing.
 * @return NULL for an index out of range or another type (error set)
 * @since 0.1.0
 */
POV_API const int32_t *pov_dataset_column_category(const pov_dataset *ds, size_t indicator);

/**
 * Member offsets: pov_dataset_count() + 1 entries; the members of household i
 * are rows offsets[i] .. offsets[i+1]-1 of the member-level columns. Never
 * NULL for a valid dataset.
 * @since 0.1.0
 */
POV_API const size_t *pov_dataset_member_offsets(const pov_dataset *ds);

/** String @p index of the dataset's string pool (text columns), NULL when out of range. Owned by the dataset. @since 0.1.0 */
POV_API const char *pov_dataset_string(const pov_dataset *ds, int32_t index);

/**
 * Text value of a text indicator. @p row is the household index for a
 * household-level indicator, or the member row (0 .. member_count-1, see
 * pov_dataset_member_offsets()) for a member-level one. The string is owned by
 * the dataset and lives until it is freed.
 * @return 1 present, 0 missing (*out = NULL), POV_ENOTFOUND (row), POV_ETYPE, POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_dataset_get_text(const pov_dataset *ds, size_t row, size_t indicator,
                                 const char **out);

/**
 * Recomputes every derived indicator of every household with @p opts (NULL:
 * the dataset's current options) and keeps the options for later appends.
 * This includes the history-based indicators `income_last_year` and
 * `assistance_measures` when the schema declares them (filled only where the
 * caller gave no value; see pov_derive_options.history_indicators).
 * @return 0 or POV_EINVAL
 * @since 0.1.0
 */
POV_API int pov_dataset_derive(pov_dataset *ds, const pov_derive_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_DATASET_H */
