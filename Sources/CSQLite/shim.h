#ifndef VALLEY_CSQLITE_SHIM_H
#define VALLEY_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import:
// bound text is copied by SQLite before the call returns.
static inline sqlite3_destructor_type valley_sqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic (Swift cannot call it). Memory statistics take a global mutex on
// every allocation SQLite makes; Valley never reads them. Call before the first connection.
static inline int valley_sqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

#endif
