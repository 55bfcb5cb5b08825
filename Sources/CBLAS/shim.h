#ifndef TASKTRACE_CBLAS_SHIM_H
#define TASKTRACE_CBLAS_SHIM_H
#include <cblas.h>
#include <stddef.h>

/* Debian's OpenBLAS ships no lapacke.h but exports LAPACK's Fortran symbols.
   Fortran calling convention: every argument by pointer, 32-bit integers (this
   OpenBLAS is not an ILP64 build), and gfortran's hidden lengths of the
   character arguments appended at the end. */
void ssyev_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
            float *w, float *work, const int *lwork, int *info,
            size_t jobz_len, size_t uplo_len);
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info,
            size_t jobz_len, size_t uplo_len);
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
#endif
