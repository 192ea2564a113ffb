/*
 * povmetrics — xoshiro256** and splitmix64 (see rng.h for the references).
 *
 * SPDX-License-Identifier: MIT
 */
#include "rng.h"

uint64_t povi_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void povi_rng_seed(povi_rng *rng, uint64_t seed)
{
    uint64_t st = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = povi_splitmix64(&st);
    /* splitmix64 never yields four zero words in a row, so the state is
     * never the forbidden all-zero state. */
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t povi_rng_next(povi_rng *rng)
{
    uint64_t *s = rng->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t povi_rng_below(povi_rng *rng, uint64_t bound)
{
    /* 2^64 mod bound, computed in 64-bit arithmetic as (2^64 - bound) mod bound. */
    const uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x = povi_rng_next(rng);
        if (x >= threshold)
            return x % bound;
    }
}

double povi_rng_uniform(povi_rng *rng)
{
    return (double)(povi_rng_next(rng) >> 11) * 0x1.0p-53;
}
