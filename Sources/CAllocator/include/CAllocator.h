#ifndef TASKTRACE_CALLOCATOR_H
#define TASKTRACE_CALLOCATOR_H
/* Raise glibc's mmap and trim thresholds so that large freed buffers are reused from the
   heap instead of being unmapped and page-faulted in again on the next allocation.
   Returns 1 when both settings were accepted (0 elsewhere than glibc). */
int tt_keep_large_buffers_on_heap(void);
#endif
