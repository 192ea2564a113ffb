/*
 * povmetrics — exact, order-independent summation of doubles (internal).
 *
 * A "superaccumulator": a fixed array of 32-bit digits stored in int64 limbs
 * covering every bit a finite double can have (2^-1074 … 2^1023) plus carry
 * headroom. Adding a double is exact (no rounding at all), so the final sum
 * does not depend on the order of the additions nor on how the data were
 * split into batches; povi_xsum_round() then rounds the exact sum once, to
 * nearest with ties to even. This is what makes mergeable accumulators equal
 * the one-pass result bit for bit. The idea is the long accumulator of
 * Kulisch (and Neal 2015, "Fast exact summation using small and large
 * superaccumulators", arXiv:1505.05571); this is an independent, simple
 * version of the "large" variant without its caching.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_XSUM_H
#define POVI_XSUM_H

#include <stdint.h>
#include <string.h>

/* Limb k holds the digit for bits [32k, 32k+32) of the value scaled by
 * 2^1074. Bits up to 2097 are reachable by one double; 68 limbs leave room
 * for carries of up to 2^64 additions of DBL_MAX. */
#define POVI_XSUM_LIMBS 68
/* Each addition changes a limb by less than 2^32, so limbs stay far from
 * int64 overflow when carries are propagated every 2^30 additions. */
#define POVI_XSUM_NORMALISE_EVERY (1u << 30)

typedef struct povi_xsum {
    int64_t limb[POVI_XSUM_LIMBS];
    uint32_t adds; /* additions since the last carry propagation */
} povi_xsum;

void povi_xsum_init(povi_xsum *s);
/* Propagates carries: afterwards limbs 0..L-2 are in [0, 2^32) and the top
 * limb carries the sign. Does not change the value. */
void povi_xsum_normalise(povi_xsum *s);
/* s += t (exact). */
void povi_xsum_add_sum(povi_xsum *s, const povi_xsum *t);
/* The exact sum rounded to the nearest double (ties to even). Sets *overflow
 * to 1 (and returns ±HUGE_VAL) when the rounded value is not finite. */
double povi_xsum_round(const povi_xsum *s, int *overflow);
/* Exact text form "[-]0x<hex digits>p<exponent>" (a hexadecimal integer times
 * a power of two); malloc'ed, NULL when out of memory. */
char *povi_xsum_to_string(const povi_xsum *s);
/* Parses the form above (any hex digit string and decimal exponent whose bits
 * fall inside the accumulator's range). Returns 0, or -1 if malformed. */
int povi_xsum_from_string(povi_xsum *s, const char *text);

/* s += x, exactly. @p x must be finite (callers validate). */
static inline void povi_xsum_add(povi_xsum *s, double x) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    unsigned ex = (unsigned)((bits >> 52) & 0x7ff);
    if (ex == 0) {
        if (mant == 0)
            return; /* ±0 */
        ex = 1;     /* subnormal: mant * 2^-1074 */
    } else {
        mant |= UINT64_C(1) << 52;
    }
    /* |x| = mant * 2^(ex-1075); scaled by 2^1074 the lowest bit is ex-1. */
    unsigned b = ex - 1, k = b >> 5, sh = b & 31;
    int64_t lo = (int64_t)((mant << sh) & 0xffffffffu);
    int64_t mid = (int64_t)((mant >> (32 - sh)) & 0xffffffffu);
    int64_t hi = sh ? (int64_t)(mant >> (64 - sh)) : 0;
    if (bits >> 63) {
        s->limb[k] -= lo;
        s->limb[k + 1] -= mid;
        s->limb[k + 2] -= hi;
    } else {
        s->limb[k] += lo;
        s->limb[k + 1] += mid;
        s->limb[k + 2] += hi;
    }
    if (++s->adds >= POVI_XSUM_NORMALISE_EVERY)
        povi_xsum_normalise(s);
}

#endif /* POVI_XSUM_H */
