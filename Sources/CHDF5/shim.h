#ifndef TASKTRACE_CHDF5_SHIM_H
#define TASKTRACE_CHDF5_SHIM_H
#include <hdf5.h>

/* Swift cannot import HDF5's function-like macros, and in Swift 6 mode it rejects the
   H5T_NATIVE_*_g globals as shared mutable state; these inline functions give them names
   Swift can call. */
static inline hid_t tt_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t tt_H5S_ALL(void) { return H5S_ALL; }
static inline hsize_t tt_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline unsigned tt_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned tt_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned tt_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned tt_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned tt_H5F_ACC_SWMR_WRITE(void) { return H5F_ACC_SWMR_WRITE; }
static inline unsigned tt_H5F_ACC_SWMR_READ(void) { return H5F_ACC_SWMR_READ; }
static inline hid_t tt_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t tt_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t tt_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t tt_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t tt_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t tt_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t tt_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t tt_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t tt_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t tt_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t tt_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t tt_H5T_VARIABLE(void) { return H5T_VARIABLE; }

/* Silence HDF5's own error stack printing; TaskTrace reports errors itself. */
static inline void tt_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
