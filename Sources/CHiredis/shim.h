// hiredis 0.14 as Debian ships it (libhiredis-dev): use only API present in 0.14.
#include <hiredis/hiredis.h>
