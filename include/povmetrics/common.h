/*
 * povmetrics — common definitions: export macro, status codes, error detail,
 * memory release.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_COMMON_H
#define POVMETRICS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @def POV_API
 * Marks a symbol as part of the public, exported API. Everything else in the
 * library is built with hidden visibility.
 */
#if defined(_WIN32) && defined(POV_BUILDING_DLL)
#define POV_API __declspec(dllexport)
#elif defined(_WIN32) && !defined(POV_STATIC)
#define POV_API __declspec(dllimport)
#elif defined(__GNUC__)
#define POV_API __attribute__((visibility("default")))
#else
#define POV_API
#endif

/**
 * Status codes.
 *
 * Every function that can fail returns `int`: 0 (`POV_OK`) on success or one
 * of these negative values. The values are part of the ABI and never change;
 * new codes are only ever appended. Details of the last failure on the
 * calling thread are available from pov_error_last().
 * @since 0.1.0
 */
typedef enum pov_status {
    POV_OK = 0,          /**< success */
    POV_ERROR = -1,      /**< unspecified failure (a bug if you see it) */
    POV_ENOMEM = -2,     /**< out of memory */
    POV_EINVAL = -3,     /**< invalid argument (NULL handle, bad parameter) */
    POV_EIO = -4,        /**< input/output error (open, read, write, rename) */
    POV_ENOTFOUND = -5,  /**< no such indicator, household, member or item */
    POV_ESYNTAX = -6,    /**< malformed JSON or CSV text */
    POV_ETYPE = -7,      /**< a value has the wrong type (string for number…) */
    POV_ERANGE = -8,     /**< a value is outside its valid range */
    POV_ENONFINITE = -9, /**< NaN or Infinity where a finite number is needed */
    POV_ECODE = -10,     /**< unknown category code */
    POV_EMISSING = -11,  /**< a required field is missing */
    POV_EDUPLICATE = -12,/**< a duplicate identifier */
    POV_EORPHAN = -13,   /**< a record refers to a parent that does not exist */
    POV_ELIMIT = -14,    /**< a configured limit was exceeded (line length, nesting) */
    POV_ETRUNCATED = -15,/**< the input ended in the middle of a record */
    POV_EFORMAT = -16,   /**< unknown or unsupported document format/version */
    POV_EUNKNOWN = -17,  /**< an unknown field or operator where none is allowed */
    POV_EDOMAIN = -18,   /**< a measure is undefined for the data (e.g. log of 0) */
    POV_EEMPTY = -19,    /**< no data: n = 0, empty group, or total weight 0 */
    POV_ESTATE = -20,    /**< the call is not allowed in the object's current state */
    POV_ERULE = -21,     /**< a rule document is inconsistent (overlapping bands…) */
    POV_ESINGULAR = -22  /**< a numerical problem is singular (collinear covariates) */
} pov_status;

/** Opaque view of an error record. Owned by the library (thread-local). */
typedef struct pov_error pov_error;

/**
 * Returns a static, English, human-readable description of a status code.
 * Never returns NULL; unknown codes give "unknown error code".
 * @since 0.1.0
 */
POV_API const char *pov_strerror(int code);

/**
 * Returns the detail of the most recent failure on the calling thread.
 *
 * The pointer is never NULL and stays valid until the next povmetrics call
 * on the same thread. Successful calls do not clear it: read it right after a
 * call returned a negative code. Code 0 means no failure was recorded since
 * the thread started or since pov_error_clear().
 * @since 0.1.0
 */
POV_API const pov_error *pov_error_last(void);

/** Forgets the calling thread's last error. @since 0.1.0 */
POV_API void pov_error_clear(void);

/** Status code of @p err (0 if none). @since 0.1.0 */
POV_API int pov_error_code(const pov_error *err);
/** Message, never NULL (empty if none). Owned by @p err. @since 0.1.0 */
POV_API const char *pov_error_message(const pov_error *err);
/** Name of the input (file name, "<string>", rule id), never NULL, may be empty. @since 0.1.0 */
POV_API const char *pov_error_source(const pov_error *err);
/** 1-based line in the source, 0 when not applicable. @since 0.1.0 */
POV_API size_t pov_error_line(const pov_error *err);
/** 1-based column (in bytes) in the source, 0 when not applicable. @since 0.1.0 */
POV_API size_t pov_error_column(const pov_error *err);
/** 0-based byte offset in the source, or SIZE_MAX when not applicable. @since 0.1.0 */
POV_API size_t pov_error_offset(const pov_error *err);
/**
 * Field path of the offending value, e.g. `[12].members[3].age` or
 * `categories[2].items[5].bands`; never NULL, may be empty.
 * @since 0.1.0
 */
POV_API const char *pov_error_path(const pov_error *err);

/**
 * Releases memory that the library allocated and handed to the caller
 * (strings documented as "free with pov_free()"). NULL is a no-op.
 * @since 0.1.0
 */
POV_API void pov_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* POVMETRICS_COMMON_H */
