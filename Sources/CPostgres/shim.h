// Debian's libpq (libpq-dev): PostgreSQL's own client library, the one psql uses.
#include <postgresql/libpq-fe.h>
