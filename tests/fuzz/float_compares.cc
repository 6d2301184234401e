// float_compares: GCC's -fsanitize-coverage=trace-cmp also reports
// floating-point comparisons, through two hooks that libFuzzer does not
// define (it takes only integer comparisons). They do nothing here.
extern "C" {
void __sanitizer_cov_trace_cmpf(float, float) {}
void __sanitizer_cov_trace_cmpd(double, double) {}
}
