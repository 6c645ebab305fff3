// zlib (Debian: zlib1g-dev). Swift cannot call the deflateInit2/inflateInit2 macros, so the
// shim exposes them as inline functions that pass the version and stream size zlib checks.
#include <zlib.h>

static inline int czlib_deflate_init2(z_streamp strm, int level, int method, int windowBits,
                                      int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}

static inline int czlib_inflate_init2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
