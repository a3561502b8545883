#ifndef TRENDMIX_CTRENDMIXLIBC_H
#define TRENDMIX_CTRENDMIXLIBC_H

#include <stddef.h>

// Small C library calls that Swift's Glibc module does not declare.

/// Gives the pages the C allocator holds free back to the system (glibc's malloc_trim, which Swift's Glibc module
/// does not declare: it lives in malloc.h). Returns 1 when memory was released, 0 otherwise (and always 0 where
/// the allocator is not glibc's).
int trendmix_return_freed_memory(void);

/// The bytes the C allocator has handed out and not had back (glibc's mallinfo2: in use in its arenas plus mapped
/// blocks); 0 where the allocator is not glibc's. Level while the RSS grows is memory held free; growing is a leak.
size_t trendmix_allocated_bytes(void);

/// Lowers the calling thread's scheduling priority to `nice` (Linux: a thread has its own nice value; raising it
/// back needs privileges, so use it on a thread kept for such work). Returns 0, or -1 with errno set.
int trendmix_lower_thread_priority(int nice);

/// The calling thread's nice value (0 where threads have none of their own).
int trendmix_thread_priority(void);

/// The calling thread's kernel id (Linux's gettid); 0 elsewhere.
long trendmix_thread_id(void);

#endif
