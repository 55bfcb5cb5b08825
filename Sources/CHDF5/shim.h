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

/* File (on-disk) types: little-endian IEEE floats and two's-complement integers. */
static inline hid_t tt_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t tt_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline hid_t tt_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t tt_H5T_STD_U64LE(void) { return H5T_STD_U64LE; }
static inline hid_t tt_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline H5F_libver_t tt_H5F_LIBVER_LATEST(void) { return H5F_LIBVER_LATEST; }

/* Number of attributes attached to an object, or -1 on error (H5Oget_info's signature
   differs between HDF5 1.10 and 1.12+). */
static inline int tt_H5_num_attrs(hid_t obj) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info3(obj, &info, H5O_INFO_NUM_ATTRS) < 0) return -1;
#else
    H5O_info_t info;
    if (H5Oget_info2(obj, &info, H5O_INFO_NUM_ATTRS) < 0) return -1;
#endif
    return (int)info.num_attrs;
}

/* Frees the strings HDF5 allocated while reading variable-length data into buf. */
static inline herr_t tt_H5_vlen_reclaim(hid_t type, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}

/* > 0 when the file exists and starts with an HDF5 signature, 0 when it is not HDF5. */
static inline htri_t tt_H5_is_hdf5(const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Fis_accessible(name, H5P_DEFAULT);
#else
    return H5Fis_hdf5(name);
#endif
}

/* Sets the private file-access property "clear_status_flags" that h5clear -s uses: a file
   opened read-write with this fapl has its "open for writing" superblock mark cleared. */
static inline herr_t tt_H5P_set_clear_status_flags(hid_t fapl) {
    hbool_t clear = 1;
    return H5Pset(fapl, "clear_status_flags", &clear);
}

/* Silence HDF5's own error stack printing; TaskTrace reports errors itself. */
static inline void tt_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
