#include <zlib.h>

// `inflateInit2` and `deflateInit2` are macros over the versioned functions; Swift sees
// neither macro, so these wrap them for raw (headerless) deflate, as ZIP entries store it.
static inline int valley_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}

static inline int valley_deflate_init_raw(z_stream *stream) {
    return deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
