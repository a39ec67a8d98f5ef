/* sqlite_accounts.c — the accounts version (store.h), shared by every process that
 * opens the database.
 *
 * The HTTP server keeps what it read of a session or an API key for a moment and
 * trusts it while this number stays the same, so the number must grow whenever any
 * process changes users, sessions or API keys: the server itself, or `hamyar apikey
 * revoke` and `hamyar user disable` run beside it. It is read on every request, so it
 * is not a row (a read transaction is what the cache saves) but eight bytes of a small
 * file beside the database, <db>-accounts, mapped shared by each process that opens
 * it, as SQLite shares its WAL index in <db>-shm. The process that commits such a
 * change adds one once the commit is durable (sqlite_sync.c). Where the file cannot be
 * made (a read-only directory) the number is the process's own and the server sees
 * other processes' changes only when what it kept ages out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/sqlite_int.h"
#include "util/log.h"

#define MAP_BYTES 4096

void sq_accounts_open(struct sq_store *st) {
  st->accounts = &st->accounts_local;
  size_t n = strlen(st->path) + sizeof "-accounts";
  char *name = malloc(n);
  if (!name) return;
  snprintf(name, n, "%s-accounts", st->path);
  bool readonly = (st->flags & STORE_OPEN_READONLY) != 0;
  int fd = open(name, (readonly ? O_RDONLY : O_RDWR | O_CREAT) | O_CLOEXEC, 0644);
  struct stat sb;
  void *map = MAP_FAILED;
  if (fd >= 0 && fstat(fd, &sb) == 0) {
    if (sb.st_size >= MAP_BYTES || (!readonly && ftruncate(fd, MAP_BYTES) == 0))
      map = mmap(NULL, MAP_BYTES, readonly ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    else if (readonly)
      errno = ENOENT; /* a writer is making it this very moment: as if not made yet */
  }
  if (map != MAP_FAILED) {
    st->accounts = map;
  } else if (!readonly || errno != ENOENT) {
    log_msg(LOG_WARN, "store.open",
            "cannot share account changes through %s (%s); a server on this database sees changes "
            "made by other processes only when what it kept of a caller ages out",
            name, strerror(errno));
  }
  if (fd >= 0) close(fd); /* the mapping stays */
  free(name);
}

void sq_accounts_close(struct sq_store *st) {
  if (st->accounts && st->accounts != &st->accounts_local) munmap((void *)st->accounts, MAP_BYTES);
  st->accounts = NULL;
}

void sq_accounts_changed(struct sq_store *st) { atomic_fetch_add(st->accounts, 1); }

uint64_t sq_accounts_version(struct store *s) { return atomic_load(sq_store_of(s)->accounts); }
