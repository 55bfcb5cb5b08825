#ifndef TASKTRACE_CZLIB_SHIM_H
#define TASKTRACE_CZLIB_SHIM_H
#include <zlib.h>
#endif
