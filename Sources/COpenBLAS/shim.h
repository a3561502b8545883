#ifndef TRENDMIX_COPENBLAS_H
#define TRENDMIX_COPENBLAS_H

/// The LAPACK routines Trendmix calls, from Debian's OpenBLAS (libopenblas-dev), which exports LAPACK's
/// Fortran symbols with 32-bit integers (the LP64 interface). Declared here rather than through lapacke.h,
/// which Debian ships in another package.

/// Cholesky factorisation of a symmetric positive definite matrix: A = L·Lᵀ (uplo "L") in place.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);

/// The inverse of a symmetric positive definite matrix from its Cholesky factor (dpotrf's output), in place;
/// only the `uplo` triangle is written.
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);

/// OpenBLAS's thread count for the calls that follow.
void openblas_set_num_threads(int num_threads);

#endif
