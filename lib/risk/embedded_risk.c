/*
 * povmetrics — the default documents of lib/risk/defaults, embedded by
 * lib/rules/embed.py under names local to this module (the generated code is
 * included here with its functions renamed, so it does not clash with the
 * rule documents embedded by lib/scoring).
 *
 * SPDX-License-Identifier: MIT
 */
#include "risk_internal.h"

#define povi_embedded_find povi_risk_embedded_find
#define povi_embedded_count povi_risk_embedded_count
#define povi_embedded_name povi_risk_embedded_name
#include "lib/risk/risk_embedded_gen.h"
