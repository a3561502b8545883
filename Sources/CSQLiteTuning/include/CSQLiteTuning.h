#ifndef TRENDMIX_CSQLITETUNING_H
#define TRENDMIX_CSQLITETUNING_H

/// Turns off SQLite's memory statistics, which take a global mutex on every allocation. Must run before
/// SQLite initialises (the first database opened); later calls change nothing and return SQLITE_MISUSE.
/// sqlite3_config is variadic, so Swift cannot call it directly.
int trendmix_sqlite_disable_memstatus(void);

#endif
