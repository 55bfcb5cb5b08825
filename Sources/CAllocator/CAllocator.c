#include "CAllocator.h"
#include <stdlib.h> /* defines __GLIBC__ on glibc */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int tt_keep_large_buffers_on_heap(void) {
#if defined(__GLIBC__)
    int mmap_ok = mallopt(M_MMAP_THRESHOLD, 32 << 20)  /* glibc caps it at 32 MiB on 64-bit */;
    int trim_ok = mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return mmap_ok && trim_ok;
#else
    return 0;
#endif
}
