/*
 * povmetrics — explanations of household scores (text and JSON) and
 * per-household result files (JSON Lines, CSV).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../io/io_internal.h"
#include "povmetrics/io.h"
#include "scoring_internal.h"

static const char *const step_names[] = {"look", "count", "compare", "other"};
static const char *const step_zh[] = {"二看", "三算", "四比", "其他"};

/* Formats a number the short way (integers without decimals). */
static void num(GString *s, double v) {
    if (v != v) {
        g_string_append(s, "missing");
        return;
    }
    if (isinf(v)) {
        g_string_append(s, v > 0 ? "inf" : "-inf");
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.10g", v);
    g_string_append(s, buf);
}

/* The value an item used, as a reader sees it: a code, true/false or a number. */
static void value_text(GString *s, const pov_scorecard *sc, const povi_item *it, double v) {
    if (v != v) {
        g_string_append(s, "missing");
    } else if (it->in_type == POVI_T_CATEGORY && it->in_cat_ind >= 0) {
        const char *code = pov_schema_code(sc->schema, (size_t)it->in_cat_ind, (size_t)v);
        g_string_append(s, code ? code : "?");
    } else if (it->in_type == POVI_T_BOOLEAN) {
        g_string_append(s, v != 0 ? "true" : "false");
    } else {
        num(s, v);
    }
}

/* Which rule gave the points, e.g. "band [13, 20)" or "map". */
static void rule_text(GString *s, const povi_item *it, double v, uint8_t flag) {
    if (flag == POVI_FLAG_DECLARED) {
        g_string_append(s, "missing: declared points");
        return;
    }
    if (flag == POVI_FLAG_MISSING) {
        g_string_append(s, "missing: scored 0 (lenient)");
        return;
    }
    if (flag == POVI_FLAG_OUTSIDE) {
        g_string_append(s, it->has_missing ? "outside every band: declared points"
                                           : "outside every band: scored 0 (lenient)");
        return;
    }
    switch (it->form) {
    case POVI_FORM_BANDS: {
        ptrdiff_t b = povi_bands_find(&it->bands, v);
        g_string_append(s, "band [");
        num(s, it->bands.min[b]);
        g_string_append(s, ", ");
        num(s, it->bands.max[b]);
        g_string_append(s, ")");
        break;
    }
    case POVI_FORM_MAP:
        g_string_append(s, (v >= 0 && v < (double)it->n_codes && it->map[(size_t)v] == it->map[(size_t)v])
                               ? "map"
                               : "map default");
        break;
    case POVI_FORM_PER_UNIT:
        num(s, it->pu_points);
        if (it->pu_per != 1) {
            g_string_append(s, " per ");
            num(s, it->pu_per);
            g_string_append(s, " units, cap ");
        } else {
            g_string_append(s, " per unit, cap ");
        }
        num(s, it->pu_cap);
        break;
    case POVI_FORM_BOOLEAN:
        g_string_append(s, v != 0 ? "if true" : "if false");
        break;
    case POVI_FORM_EXPR:
        g_string_append(s, "expression, clamped to [");
        num(s, it->e_min);
        g_string_append(s, ", ");
        num(s, it->e_max);
        g_string_append(s, "]");
        break;
    }
}

static const char *input_name(const pov_scorecard *sc, const povi_item *it) {
    return it->expr ? "expression" : pov_schema_id(sc->schema, (size_t)it->indicator);
}

static void jstr(GString *o, const char *s) { povi_json_append_string(o, s, strlen(s)); }
static void jnum(GString *o, double v) {
    if (isfinite(v))
        povi_json_append_number(o, v);
    else
        g_string_append(o, "null");
}

/* The deliberation adjustments of household @p i as a JSON array: those among
 * adjustments [a0, a1), or, with @p order, those listed by order[a0..a1). */
static void adjustments_json(const pov_score_result *res, size_t i, guint a0, guint a1,
                             const guint *order, GString *o) {
    int first = 1;
    g_string_append_c(o, '[');
    for (guint a = a0; a < a1; a++) {
        const povi_adjustment *adj =
            &g_array_index(res->adjustments, povi_adjustment, order ? order[a] : a);
        if (adj->household != i)
            continue;
        g_string_append(o, first ? "{\"points\":" : ",{\"points\":");
        first = 0;
        jnum(o, adj->points);
        g_string_append(o, ",\"reason\":");
        jstr(o, adj->reason);
        g_string_append(o, ",\"who\":");
        jstr(o, adj->who);
        g_string_append(o, ",\"when\":");
        jstr(o, adj->when);
        g_string_append_c(o, '}');
    }
    g_string_append_c(o, ']');
}

static void explain_text(const pov_score_result *res, size_t i, GString *o) {
    const pov_scorecard *sc = res->sc;
    size_t C = res->n_cats;
    g_string_append_printf(o, "Household %s — scorecard %s %s\n", res->ids[i][0] ? res->ids[i] : "(no id)",
                           sc->id, sc->version);
    g_string_append(o, "Raw score ");
    num(o, res->total[i]);
    g_string_append(o, ", adjusted score ");
    num(o, res->adjusted[i]);
    g_string_append(o, " (higher = better off)\n");
    for (size_t c = 0; c < C; c++) {
        const povi_category *cat = &sc->cats[c];
        g_string_append_printf(o, "[%s %s] %s %s: ", step_zh[cat->step], step_names[cat->step],
                               cat->id, cat->label_zh);
        num(o, povi_result_cat(res, i, c));
        if (isfinite(cat->cap)) {
            g_string_append(o, " (cap ");
            num(o, cat->cap);
            g_string_append(o, ")");
        }
        g_string_append(o, "\n");
        for (size_t k = cat->first_item; k < cat->first_item + cat->n_items; k++) {
            const povi_item *it = &sc->items[k];
            double v = povi_result_item_value(res, k, i), p = povi_result_item_points(res, k, i);
            uint8_t flag = res->item_flag[k * res->n + i];
            g_string_append_printf(o, "  %s: %s = ", it->id, input_name(sc, it));
            value_text(o, sc, it, v);
            g_string_append(o, " → ");
            num(o, p);
            g_string_append(o, p == 1 ? " point (" : " points (");
            rule_text(o, it, v, flag);
            g_string_append(o, ")\n");
        }
    }
    if (res->veto_hits[i] == 0)
        g_string_append(o, "Vetoes: none\n");
    for (size_t w = 0; w < res->n_vetoes; w++) {
        uint8_t h = res->veto[i * res->n_vetoes + w];
        if (h == 1)
            g_string_append_printf(o, "VETO %s (%s): %s\n", sc->vetoes[w].id, sc->vetoes[w].label_zh,
                                   sc->vetoes[w].reason);
        else if (h == 2)
            g_string_append_printf(o, "Veto %s not checked: its inputs are missing\n", sc->vetoes[w].id);
    }
    g_string_append_printf(o, "Missing inputs: %u\n", res->missing[i]);
    for (guint a = 0; a < res->adjustments->len; a++) {
        const povi_adjustment *adj = &g_array_index(res->adjustments, povi_adjustment, a);
        if (adj->household != i)
            continue;
        g_string_append(o, "Deliberation (五议): ");
        if (adj->points > 0)
            g_string_append(o, "+");
        num(o, adj->points);
        g_string_append_printf(o, " by %s on %s: %s\n", adj->who, adj->when, adj->reason);
    }
    const char *lv[2] = {"village", "county"};
    for (int l = 0; l < 2; l++) {
        const char *code = res->unit_codes[l][res->unit[l][i]];
        g_string_append_printf(o, "Rank in %s %s: %u of %u (percentile %.1f)\n", lv[l],
                               code[0] ? code : "(none)", povi_rank(res, l)[i], povi_rank_n(res, l)[i],
                               100.0 * povi_rank(res, l)[i] / povi_rank_n(res, l)[i]);
    }
    double lk = pov_score_result_likelihood(res, i);
    if (lk == lk)
        g_string_append_printf(o, "Poverty likelihood: %.1f%%\n", 100 * lk);
}

static void explain_json(const pov_score_result *res, size_t i, GString *o) {
    const pov_scorecard *sc = res->sc;
    size_t C = res->n_cats;
    g_string_append(o, "{\"household\":");
    jstr(o, res->ids[i]);
    g_string_append(o, ",\"scorecard\":");
    jstr(o, sc->id);
    g_string_append(o, ",\"raw\":");
    jnum(o, res->total[i]);
    g_string_append(o, ",\"adjusted\":");
    jnum(o, res->adjusted[i]);
    g_string_append(o, ",\"categories\":[");
    for (size_t c = 0; c < C; c++) {
        const povi_category *cat = &sc->cats[c];
        g_string_append(o, c ? ",{\"id\":" : "{\"id\":");
        jstr(o, cat->id);
        g_string_append(o, ",\"step\":");
        jstr(o, step_names[cat->step]);
        g_string_append(o, ",\"points\":");
        jnum(o, povi_result_cat(res, i, c));
        g_string_append(o, ",\"cap\":");
        jnum(o, cat->cap);
        g_string_append(o, ",\"items\":[");
        for (size_t k = cat->first_item; k < cat->first_item + cat->n_items; k++) {
            const povi_item *it = &sc->items[k];
            double v = povi_result_item_value(res, k, i);
            uint8_t flag = res->item_flag[k * res->n + i];
            g_string_append(o, k > cat->first_item ? ",{\"id\":" : "{\"id\":");
            jstr(o, it->id);
            g_string_append(o, ",\"input\":");
            jstr(o, input_name(sc, it));
            g_string_append(o, ",\"value\":");
            if (v != v) {
                g_string_append(o, "null");
            } else if (it->in_type == POVI_T_NUMBER) {
                jnum(o, v);
            } else if (it->in_type == POVI_T_BOOLEAN) {
                g_string_append(o, v != 0 ? "true" : "false");
            } else {
                GString *t = g_string_new(NULL);
                value_text(t, sc, it, v);
                jstr(o, t->str);
                g_string_free(t, TRUE);
            }
            g_string_append(o, ",\"points\":");
            jnum(o, povi_result_item_points(res, k, i));
            g_string_append(o, ",\"rule\":");
            GString *t = g_string_new(NULL);
            rule_text(t, it, v, flag);
            jstr(o, t->str);
            g_string_free(t, TRUE);
            g_string_append_printf(o, ",\"missing\":%s}", flag ? "true" : "false");
        }
        g_string_append(o, "]}");
    }
    g_string_append(o, "],\"vetoes\":[");
    int first = 1;
    for (size_t w = 0; w < res->n_vetoes; w++) {
        uint8_t h = res->veto[i * res->n_vetoes + w];
        if (h != 1)
            continue;
        g_string_append(o, first ? "{\"id\":" : ",{\"id\":");
        first = 0;
        jstr(o, sc->vetoes[w].id);
        g_string_append(o, ",\"label_zh\":");
        jstr(o, sc->vetoes[w].label_zh);
        g_string_append(o, ",\"label_en\":");
        jstr(o, sc->vetoes[w].label_en);
        g_string_append(o, ",\"reason\":");
        jstr(o, sc->vetoes[w].reason);
        g_string_append(o, "}");
    }
    g_string_append(o, "],\"vetoes_unchecked\":[");
    first = 1;
    for (size_t w = 0; w < res->n_vetoes; w++)
        if (res->veto[i * res->n_vetoes + w] == 2) {
            if (!first)
                g_string_append(o, ",");
            first = 0;
            jstr(o, sc->vetoes[w].id);
        }
    g_string_append_printf(o, "],\"missing\":%u,\"adjustments\":", res->missing[i]);
    adjustments_json(res, i, 0, res->adjustments->len, NULL, o);
    const char *lv[2] = {"village", "county"};
    for (int l = 0; l < 2; l++) {
        g_string_append_printf(o, ",\"%s\":", lv[l]);
        jstr(o, res->unit_codes[l][res->unit[l][i]]);
        g_string_append_printf(o, ",\"rank_%s\":%u,\"n_%s\":%u", lv[l], povi_rank(res, l)[i], lv[l],
                               povi_rank_n(res, l)[i]);
    }
    double lk = pov_score_result_likelihood(res, i);
    if (lk == lk) {
        g_string_append(o, ",\"likelihood\":");
        jnum(o, lk);
    }
    g_string_append(o, "}");
}

int pov_score_result_explain(const pov_score_result *res, size_t i, int format, char **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!res || i >= res->n)
        return povi_error(POV_EINVAL, "household index out of range");
    if (format != POV_EXPLAIN_TEXT && format != POV_EXPLAIN_JSON)
        return povi_error(POV_EINVAL, "unknown explanation format %d", format);
    if (!res->item_flag)
        return povi_error(POV_ESTATE, "explanations need item detail (POV_SCORE_DETAIL_ITEMS)");
    GString *o = g_string_new(NULL);
    if (format == POV_EXPLAIN_TEXT)
        explain_text(res, i, o);
    else
        explain_json(res, i, o);
    *out = g_string_free(o, FALSE); /* g_malloc is malloc (GLib >= 2.46): pov_free() releases it */
    return 0;
}

/* ---- result files -------------------------------------------------------------- */

static void csv_str(GString *o, const char *s) { povi_csv_put(o, s, strlen(s)); }

/* One result record; the household's adjustments are order[off[i] .. off[i+1])
 * (off NULL: none were recorded). */
static void record(const pov_score_result *res, size_t i, int csv, const guint *order,
                   const guint *off, GString *o) {
    const pov_scorecard *sc = res->sc;
    const char *village = res->unit_codes[0][res->unit[0][i]];
    const char *county = res->unit_codes[1][res->unit[1][i]];
    GString *vetoes = g_string_new(NULL);
    for (size_t w = 0; w < res->n_vetoes; w++)
        if (res->veto[i * res->n_vetoes + w] == 1) {
            if (vetoes->len)
                g_string_append(vetoes, csv ? ";" : ",");
            if (csv)
                g_string_append(vetoes, sc->vetoes[w].id);
            else
                jstr(vetoes, sc->vetoes[w].id);
        }
    double lk = pov_score_result_likelihood(res, i);
    if (csv) {
        csv_str(o, res->ids[i]);
        g_string_append_c(o, ',');
        csv_str(o, village);
        g_string_append_c(o, ',');
        csv_str(o, county);
        g_string_append_c(o, ',');
        jnum(o, res->people[i]);
        g_string_append_c(o, ',');
        jnum(o, res->total[i]);
        g_string_append_c(o, ',');
        jnum(o, res->adjusted[i]);
        for (size_t c = 0; c < res->n_cats; c++) {
            g_string_append_c(o, ',');
            jnum(o, povi_result_cat(res, i, c));
        }
        g_string_append_c(o, ',');
        csv_str(o, vetoes->str);
        g_string_append_printf(o, ",%u,%u,%u,", res->missing[i], povi_rank(res, 0)[i], povi_rank(res, 1)[i]);
        if (lk == lk)
            jnum(o, lk);
        g_string_append_c(o, ',');
        if (off && off[i] < off[i + 1]) { /* the JSON array, as one CSV field */
            GString *adj = g_string_new(NULL);
            adjustments_json(res, i, off[i], off[i + 1], order, adj);
            csv_str(o, adj->str);
            g_string_free(adj, TRUE);
        }
        g_string_append(o, "\r\n");
    } else {
        g_string_append(o, "{\"id\":");
        jstr(o, res->ids[i]);
        g_string_append(o, ",\"village_code\":");
        jstr(o, village);
        g_string_append(o, ",\"county_code\":");
        jstr(o, county);
        g_string_append(o, ",\"people\":");
        jnum(o, res->people[i]);
        g_string_append(o, ",\"score\":");
        jnum(o, res->total[i]);
        g_string_append(o, ",\"adjusted\":");
        jnum(o, res->adjusted[i]);
        g_string_append(o, ",\"categories\":{");
        for (size_t c = 0; c < res->n_cats; c++) {
            if (c)
                g_string_append_c(o, ',');
            jstr(o, sc->cats[c].id);
            g_string_append_c(o, ':');
            jnum(o, povi_result_cat(res, i, c));
        }
        g_string_append_printf(o, "},\"vetoes\":[%s],\"missing\":%u,\"rank_village\":%u,"
                                  "\"rank_county\":%u",
                               vetoes->str, res->missing[i], povi_rank(res, 0)[i], povi_rank(res, 1)[i]);
        if (lk == lk) {
            g_string_append(o, ",\"likelihood\":");
            jnum(o, lk);
        }
        if (off && off[i] < off[i + 1]) {
            g_string_append(o, ",\"adjustments\":");
            adjustments_json(res, i, off[i], off[i + 1], order, o);
        }
        g_string_append(o, "}\n");
    }
    g_string_free(vetoes, TRUE);
}

int pov_score_result_write(const pov_score_result *res, const char *path, int format) {
    if (!res || !path)
        return povi_error(POV_EINVAL, "%s is NULL", res ? "path" : "res");
    if (format != POV_FORMAT_JSONL && format != POV_FORMAT_CSV)
        return povi_error(POV_EINVAL, "format must be POV_FORMAT_JSONL or POV_FORMAT_CSV, not %d",
                          format);
    int csv = format == POV_FORMAT_CSV;
    povi_afile af;
    int r = povi_afile_open(&af, path);
    if (r)
        return r;
    /* the adjustments by household, in the order they were recorded */
    guint *order = NULL, *off = NULL;
    guint na = res->adjustments->len;
    if (na) {
        off = g_new0(guint, res->n + 2);
        order = g_new(guint, na);
        for (guint a = 0; a < na; a++)
            off[g_array_index(res->adjustments, povi_adjustment, a).household + 2]++;
        for (size_t i = 0; i < res->n; i++)
            off[i + 2] += off[i + 1];
        for (guint a = 0; a < na; a++)
            order[off[g_array_index(res->adjustments, povi_adjustment, a).household + 1]++] = a;
    }
    GString *o = g_string_sized_new(1 << 16);
    if (csv) {
        g_string_append(o, "id,village_code,county_code,people,score,adjusted");
        for (size_t c = 0; c < res->n_cats; c++) {
            g_string_append_c(o, ',');
            csv_str(o, res->sc->cats[c].id);
        }
        g_string_append(o, ",vetoes,missing,rank_village,rank_county,likelihood,adjustments\r\n");
    }
    for (size_t i = 0; i < res->n; i++) {
        record(res, i, csv, order, off, o);
        if (o->len >= (1 << 16)) {
            povi_afile_write(&af, o->str, o->len);
            g_string_truncate(o, 0);
        }
    }
    povi_afile_write(&af, o->str, o->len);
    g_string_free(o, TRUE);
    g_free(order);
    g_free(off);
    return povi_afile_commit(&af, 1);
}
