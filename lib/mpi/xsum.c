/*
 * povmetrics — exact summation of doubles (see xsum.h).
 *
 * SPDX-License-Identifier: MIT
 */
#include "xsum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define XS_BIAS 1074 /* limb bit 0 has weight 2^-1074 */
#define XS_MASK UINT64_C(0xffffffff)

void povi_xsum_init(povi_xsum *s) {
    memset(s, 0, sizeof *s);
}

void povi_xsum_normalise(povi_xsum *s) {
    for (int k = 0; k < POVI_XSUM_LIMBS - 1; k++) {
        int64_t v = s->limb[k];
        int64_t low = (int64_t)((uint64_t)v & XS_MASK);
        /* v - low is an exact multiple of 2^32: the division is exact and
         * rounds the same way for negative values (floor carry). */
        s->limb[k] = low;
        s->limb[k + 1] += (v - low) / (INT64_C(1) << 32);
    }
    s->adds = 0;
}

void povi_xsum_add_sum(povi_xsum *s, const povi_xsum *t) {
    povi_xsum tt = *t;
    povi_xsum_normalise(s);
    povi_xsum_normalise(&tt);
    for (int k = 0; k < POVI_XSUM_LIMBS; k++)
        s->limb[k] += tt.limb[k];
    povi_xsum_normalise(s);
}

/* Normalised magnitude of @p s in @p m (all limbs in [0, 2^32) except that
 * the top limb may exceed it on overflow); returns 1 if the value is negative. */
static int magnitude(const povi_xsum *s, povi_xsum *m) {
    *m = *s;
    povi_xsum_normalise(m);
    if (m->limb[POVI_XSUM_LIMBS - 1] >= 0)
        return 0;
    for (int k = 0; k < POVI_XSUM_LIMBS; k++)
        m->limb[k] = -m->limb[k];
    povi_xsum_normalise(m);
    return 1;
}

static int clz32(uint64_t d) {
    int n = 0;
    while (n < 32 && !(d & (UINT64_C(1) << (31 - n))))
        n++;
    return n;
}

double povi_xsum_round(const povi_xsum *s, int *overflow) {
    povi_xsum m;
    int neg = magnitude(s, &m);
    *overflow = 0;
    int h = POVI_XSUM_LIMBS - 1;
    while (h >= 0 && m.limb[h] == 0)
        h--;
    if (h < 0)
        return 0.0;
    /* Limb 66 starts at bit 2112 - 1074 = 2^1038: beyond DBL_MAX. */
    if (h >= 66) {
        *overflow = 1;
        return neg ? -HUGE_VAL : HUGE_VAL;
    }
    uint64_t d0 = (uint64_t)m.limb[h];
    uint64_t d1 = h >= 1 ? (uint64_t)m.limb[h - 1] : 0;
    uint64_t d2 = h >= 2 ? (uint64_t)m.limb[h - 2] : 0;
    int sticky = 0;
    for (int k = 0; k < h - 2; k++)
        if (m.limb[k]) {
            sticky = 1;
            break;
        }
    int lz = clz32(d0);
    /* 64-bit window with the leading one at bit 63. */
    uint64_t w = (d0 << (32 + lz)) | (d1 << lz) | (lz ? d2 >> (32 - lz) : 0);
    if (lz == 0) {
        sticky |= d2 != 0;
    } else if (d2 & ((UINT64_C(1) << (32 - lz)) - 1)) {
        sticky = 1;
    }
    /* The window's lowest bit has weight 2^(32h - 32 - lz - 1074). Keep 53
     * bits, round to nearest, ties to even. A value below 2^-1022 has all its
     * bits inside the window at or above 2^-1074, so nothing is dropped and
     * ldexp() below is exact for subnormals too. */
    uint64_t q = w >> 11, r = w & 0x7ff;
    int e = 32 * h - 32 - lz - XS_BIAS + 11;
    if (r > 0x400 || (r == 0x400 && (sticky || (q & 1))))
        q++;
    if (q == (UINT64_C(1) << 53)) {
        q >>= 1;
        e++;
    }
    double v = ldexp((double)q, e);
    if (isinf(v))
        *overflow = 1;
    return neg ? -v : v;
}

char *povi_xsum_to_string(const povi_xsum *s) {
    povi_xsum m;
    int neg = magnitude(s, &m);
    int h = POVI_XSUM_LIMBS - 1, lo = 0;
    while (h >= 0 && m.limb[h] == 0)
        h--;
    if (h < 0) {
        char *z = malloc(6);
        if (z)
            memcpy(z, "0x0p0", 6);
        return z;
    }
    while (m.limb[lo] == 0)
        lo++;
    /* top limb may hold more than 32 bits after an overflow: 16 hex digits */
    size_t cap = 2 + 2 + 16 + 8 * (size_t)(h - lo) + 16 + 1;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t len = 0;
    len += (size_t)snprintf(out + len, cap - len, "%s0x%llx", neg ? "-" : "",
                            (unsigned long long)m.limb[h]);
    for (int k = h - 1; k >= lo; k--)
        len += (size_t)snprintf(out + len, cap - len, "%08llx", (unsigned long long)m.limb[k]);
    snprintf(out + len, cap - len, "p%d", 32 * lo - XS_BIAS);
    return out;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int povi_xsum_from_string(povi_xsum *s, const char *text) {
    povi_xsum_init(s);
    const char *p = text;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
        return -1;
    p += 2;
    const char *digits = p;
    while (hexval(*p) >= 0)
        p++;
    size_t nd = (size_t)(p - digits);
    if (nd == 0 || nd > 1024 || (*p != 'p' && *p != 'P'))
        return -1;
    p++;
    char *end;
    long ex = strtol(p, &end, 10);
    if (end == p || *end != '\0' || ex < -XS_BIAS || ex > 2200)
        return -1;
    /* digit i from the right has weight 2^(ex + 4i) */
    for (size_t i = 0; i < nd; i++) {
        uint64_t d = (uint64_t)hexval(digits[nd - 1 - i]);
        if (!d)
            continue;
        long bit = ex + XS_BIAS + 4 * (long)i;
        if (bit + 4 > 32L * (POVI_XSUM_LIMBS - 1))
            return -1; /* beyond any sum of doubles */
        int64_t v = (int64_t)(d << (bit & 31));
        s->limb[bit >> 5] += neg ? -v : v;
    }
    povi_xsum_normalise(s);
    return 0;
}
