/*
 * povmetrics — reading and writing household files (JSON, JSON Lines, CSV)
 * with located errors, a strict and a collecting mode, streaming in batches,
 * and atomic writes. See docs/data-formats.md and docs/errors.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_IO_H
#define POVMETRICS_IO_H

#include "povmetrics/common.h"
#include "povmetrics/dataset.h"
#include "povmetrics/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * File formats.
 * @since 0.1.0
 */
typedef enum pov_format {
    POV_FORMAT_AUTO = 0,  /**< choose by file extension: .json, .jsonl/.ndjson, .csv */
    POV_FORMAT_JSON = 1,  /**< one JSON array of household objects */
    POV_FORMAT_JSONL = 2, /**< JSON Lines: one household object per line */
    POV_FORMAT_CSV = 3    /**< RFC 4180 CSV, optional members file */
} pov_format;

/**
 * What a reader does with a bad record.
 * @since 0.1.0
 */
typedef enum pov_read_mode {
    POV_READ_STRICT = 0, /**< the first error stops reading; its location is in pov_error_last() */
    POV_READ_COLLECT = 1 /**< bad records are set aside in the report; good records load */
} pov_read_mode;

/** Default households per batch of a streaming reader. @since 0.1.0 */
#define POV_READ_DEFAULT_BATCH 8192
/** Default longest line or record, in bytes (16 MiB). @since 0.1.0 */
#define POV_READ_DEFAULT_MAX_LINE ((size_t)16 << 20)
/** Default deepest JSON nesting (objects and arrays). @since 0.1.0 */
#define POV_READ_DEFAULT_MAX_DEPTH 32

/**
 * Options of the readers. Always initialise with pov_read_options_init(),
 * which sets @c size; fields are only ever added at the end.
 * @since 0.1.0
 */
typedef struct pov_read_options {
    size_t size;              /**< sizeof(pov_read_options), set by pov_read_options_init() */
    int mode;                 /**< a pov_read_mode; default POV_READ_STRICT */
    size_t batch_size;        /**< households per batch of pov_reader_next(); default POV_READ_DEFAULT_BATCH */
    size_t max_line;          /**< longest line (JSONL), record (CSV) or array element (JSON), in bytes */
    size_t max_depth;         /**< deepest nesting of objects/arrays in one record */
    size_t max_rejects;       /**< collect mode: fail with POV_ELIMIT after this many rejects; 0 = no limit */
    int check_duplicates;     /**< non-zero (default): a repeated household id is POV_EDUPLICATE */
    const char *rejects_path; /**< collect mode: write the rejects here as JSON Lines (atomically); NULL = don't */
    const char *members_path; /**< CSV: the members file joined by its household_id column; NULL = none */
} pov_read_options;

/**
 * Sets @p opts to the defaults (strict mode, default limits, no files).
 * @return 0, or POV_EINVAL if @p opts is NULL.
 * @since 0.1.0
 */
POV_API int pov_read_options_init(pov_read_options *opts);

/**
 * Options of the writers. Initialise with pov_write_options_init().
 * @since 0.1.0
 */
typedef struct pov_write_options {
    size_t size;              /**< sizeof(pov_write_options), set by pov_write_options_init() */
    const char *members_path; /**< CSV: also write members to this file (atomically); NULL = don't */
    int sync;                 /**< non-zero (default): fsync the file and its directory before returning */
} pov_write_options;

/**
 * Sets @p opts to the defaults (sync on, no members file).
 * @return 0, or POV_EINVAL if @p opts is NULL.
 * @since 0.1.0
 */
POV_API int pov_write_options_init(pov_write_options *opts);

/**
 * Guesses the format from a file name: ".json" → POV_FORMAT_JSON,
 * ".jsonl"/".ndjson" → POV_FORMAT_JSONL, ".csv" → POV_FORMAT_CSV
 * (case-insensitive).
 * @return the format, or POV_EFORMAT (negative) for any other name.
 * @since 0.1.0
 */
POV_API int pov_format_from_path(const char *path);

/* ---- report of a read ---------------------------------------------------- */

/** What a read did: counts and the rejected records. @since 0.1.0 */
typedef struct pov_read_report pov_read_report;

/** Records (households) seen, good or bad. @since 0.1.0 */
POV_API size_t pov_read_report_read(const pov_read_report *report);
/** Records loaded. @since 0.1.0 */
POV_API size_t pov_read_report_accepted(const pov_read_report *report);
/** Records set aside (collect mode). @since 0.1.0 */
POV_API size_t pov_read_report_rejected(const pov_read_report *report);
/** Status code of reject @p i (0 if out of range). @since 0.1.0 */
POV_API int pov_read_report_reject_code(const pov_read_report *report, size_t i);
/** 1-based line where reject @p i starts (0 if out of range). @since 0.1.0 */
POV_API size_t pov_read_report_reject_line(const pov_read_report *report, size_t i);
/** 1-based byte column of the error in reject @p i (0 if unknown). @since 0.1.0 */
POV_API size_t pov_read_report_reject_column(const pov_read_report *report, size_t i);
/**
 * Source (file name) of reject @p i; never NULL ("" if out of range).
 * Owned by the report, valid until pov_read_report_free().
 * @since 0.1.0
 */
POV_API const char *pov_read_report_reject_source(const pov_read_report *report, size_t i);
/** Reason of reject @p i; never NULL. Owned by the report. @since 0.1.0 */
POV_API const char *pov_read_report_reject_message(const pov_read_report *report, size_t i);
/** Field path of reject @p i (e.g. `[4].members[1].age`); never NULL. Owned by the report. @since 0.1.0 */
POV_API const char *pov_read_report_reject_path(const pov_read_report *report, size_t i);
/**
 * Raw text of reject @p i, at most 4096 bytes (longer records are cut at a
 * UTF-8 boundary and end with "..."); never NULL. Owned by the report.
 * @since 0.1.0
 */
POV_API const char *pov_read_report_reject_text(const pov_read_report *report, size_t i);
/**
 * Writes the rejects as JSON Lines to @p path, atomically (temp file + rename).
 * Each line: {"source","line","column","code","message","path","text"}.
 * @since 0.1.0
 */
POV_API int pov_read_report_write(const pov_read_report *report, const char *path);
/** Frees a report; NULL is a no-op. @since 0.1.0 */
POV_API void pov_read_report_free(pov_read_report *report);

/* ---- whole-file reading ---------------------------------------------------- */

/**
 * Reads a household file into a new dataset.
 *
 * @param schema   indicator schema the values are checked against
 * @param path     file to read
 * @param format   a pov_format; POV_FORMAT_AUTO chooses by extension
 * @param opts     options, or NULL for the defaults
 * @param out      receives the dataset (free with pov_dataset_free()); NULL on failure
 * @param report_out if not NULL, receives the report (free with
 *                 pov_read_report_free()), also on failure when one exists
 * @return 0; in strict mode the code of the first bad record (location in
 *         pov_error_last()); in both modes POV_EIO, POV_ENOMEM, POV_EINVAL,
 *         POV_EFORMAT, and structural errors that make the rest unreadable
 *         (an unterminated CSV quote, a JSON document that is not an array).
 * @since 0.1.0
 */
POV_API int pov_dataset_read_file(const pov_schema *schema, const char *path, int format,
                                  const pov_read_options *opts, pov_dataset **out,
                                  pov_read_report **report_out);

/**
 * Same as pov_dataset_read_file() on @p len bytes at @p data (not copied;
 * need not be NUL-terminated). @p source_name names the input in errors
 * (NULL → "<buffer>"). POV_FORMAT_AUTO is not allowed here. For CSV, a
 * members table is not available from a buffer; use pov_dataset_read_csv_buffers().
 * @since 0.1.0
 */
POV_API int pov_dataset_read_buffer(const pov_schema *schema, const char *data, size_t len,
                                    const char *source_name, int format,
                                    const pov_read_options *opts, pov_dataset **out,
                                    pov_read_report **report_out);

/**
 * Reads a CSV household table and a CSV members table from memory.
 * @p members may be NULL (no members). Names are used in errors.
 * @since 0.1.0
 */
POV_API int pov_dataset_read_csv_buffers(const pov_schema *schema, const char *households,
                                         size_t households_len, const char *households_name,
                                         const char *members, size_t members_len,
                                         const char *members_name, const pov_read_options *opts,
                                         pov_dataset **out, pov_read_report **report_out);

/* ---- streaming ------------------------------------------------------------- */

/** A streaming reader: batches of at most batch_size households. @since 0.1.0 */
typedef struct pov_reader pov_reader;

/**
 * Opens @p path for reading in batches. Memory use is bounded by the batch
 * size and max_line (plus the id set of the duplicate check, and for CSV the
 * index of the members file), not by the size of the file.
 * @since 0.1.0
 */
POV_API int pov_reader_open(const pov_schema *schema, const char *path, int format,
                            const pov_read_options *opts, pov_reader **out);

/**
 * Opens a reader over @p len bytes of memory (not copied: keep @p data alive
 * until pov_reader_free()).
 * @since 0.1.0
 */
POV_API int pov_reader_open_buffer(const pov_schema *schema, const char *data, size_t len,
                                   const char *source_name, int format,
                                   const pov_read_options *opts, pov_reader **out);

/**
 * Reads the next batch.
 * @param out receives a new dataset with the batch (free it with
 *            pov_dataset_free()), or NULL at the end
 * @return the number of households in the batch (> 0), 0 at the end (after
 *         which the rejects file, if any, has been written), or a negative
 *         code; after an error the reader only returns that error again.
 *         In collect mode a batch may hold fewer than batch_size households.
 * @since 0.1.0
 */
POV_API int pov_reader_next(pov_reader *reader, pov_dataset **out);

/**
 * The reader's running report; owned by the reader, valid until
 * pov_reader_free().
 * @since 0.1.0
 */
POV_API const pov_read_report *pov_reader_report(const pov_reader *reader);

/** Closes a reader; NULL is a no-op. @since 0.1.0 */
POV_API void pov_reader_free(pov_reader *reader);

/* ---- writing ------------------------------------------------------------- */

/**
 * Writes @p ds to @p path in @p format (JSON array, JSON Lines or CSV; with
 * CSV, members go to opts->members_path if set). The data goes to a
 * temporary file in the same directory, which is flushed, synced and renamed
 * over @p path: on any failure @p path is left as it was.
 * @since 0.1.0
 */
POV_API int pov_dataset_write_file(const pov_dataset *ds, const char *path, int format,
                                   const pov_write_options *opts);

/** An incremental writer: append batches, then commit. @since 0.1.0 */
typedef struct pov_writer pov_writer;

/**
 * Starts writing @p path (nothing is visible at @p path until
 * pov_writer_commit()). For CSV the columns are those of the schema plus the
 * unknown fields of the first batch; a later batch with a field outside
 * them fails with POV_EUNKNOWN.
 * @since 0.1.0
 */
POV_API int pov_writer_open(const char *path, int format, const pov_write_options *opts,
                            pov_writer **out);

/** Appends all households of @p ds. @since 0.1.0 */
POV_API int pov_writer_write(pov_writer *writer, const pov_dataset *ds);

/**
 * Finishes the file(s) and renames them into place. After a failure nothing
 * was replaced. The writer must still be freed.
 * @since 0.1.0
 */
POV_API int pov_writer_commit(pov_writer *writer);

/** Frees a writer; an uncommitted writer removes its temporary files. NULL is a no-op. @since 0.1.0 */
POV_API void pov_writer_free(pov_writer *writer);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_IO_H */
