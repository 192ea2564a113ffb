/* The README's C example: read households, measure poverty of per-capita
 * net income against a line. Build: cc quickstart.c $(pkg-config --cflags --libs povmetrics)
 * Run:   ./quickstart examples/data/sample.jsonl 4000 */
#include <povmetrics.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOUSEHOLDS.jsonl LINE\n", argv[0]);
        return 2;
    }
    const pov_schema *schema = pov_schema_core();
    pov_dataset *ds = NULL;
    if (pov_dataset_read_file(schema, argv[1], POV_FORMAT_AUTO, NULL, &ds, NULL) < 0) {
        const pov_error *e = pov_error_last();
        fprintf(stderr, "%s:%zu:%zu: %s (%s)\n", pov_error_source(e), pov_error_line(e),
                pov_error_column(e), pov_error_message(e), pov_error_path(e));
        return 1;
    }
    size_t col, n = pov_dataset_count(ds);
    pov_schema_find(schema, "per_capita_net_income", &col);
    const double *income = pov_dataset_column_number(ds, col); /* zero-copy column */
    const double alphas[3] = {0, 1, 2};
    double fgt[3], gini;
    if (pov_fgt_many(income, NULL, n, atof(argv[2]), alphas, 3, fgt) < 0 ||
        pov_gini(income, NULL, n, &gini) < 0) {
        fprintf(stderr, "%s (%s)\n", pov_error_message(pov_error_last()),
                pov_error_path(pov_error_last()));
        pov_dataset_free(ds);
        return 1;
    }
    printf("%zu households: headcount %.3f, gap %.4f, squared gap %.4f, Gini %.3f\n", n,
           fgt[0], fgt[1], fgt[2], gini);
    pov_dataset_free(ds);
    return 0;
}
