#ifndef TRENDMIX_CLIBFUZZER_H
#define TRENDMIX_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): parses libFuzzer's flags and runs the callback.
/// SwiftPM gives an executable the entry point `<module>_main`, so each target calls this from there instead of
/// relying on libFuzzer's own `main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
